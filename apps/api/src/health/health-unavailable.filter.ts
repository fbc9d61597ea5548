import { ArgumentsHost, Catch, ExceptionFilter, ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';

/**
 * Terminus reports a failed check by throwing a 503 whose body is the check
 * result. Monitors expect that body, so /health keeps it instead of the api's error shape.
 */
@Catch(ServiceUnavailableException)
export class HealthUnavailableFilter implements ExceptionFilter<ServiceUnavailableException> {
  catch(exception: ServiceUnavailableException, host: ArgumentsHost): void {
    host.switchToHttp().getResponse<Response>().status(exception.getStatus()).json(exception.getResponse());
  }
}
