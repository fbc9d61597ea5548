import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';

import type { ApiErrorBody } from '@app/contracts';

import { ApiError } from './api-error';
import { bodyReadError, isBodyReadError } from './request-body';

/** Every error, whatever threw it, leaves as `{statusCode, code, message, details?, request_id}`; never a stack. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(ApiExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') {
      return;
    }
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: unknown }>();
    const response = http.getResponse<Response>();
    const error = this.toApiError(exception, request);
    if (error.status >= 500 && error.code === 'internal') {
      this.logger.error({ err: exception, request_id: request.id }, 'Unhandled error');
    }
    const body: ApiErrorBody = {
      statusCode: error.status,
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
      ...(typeof request.id === 'string' ? { request_id: request.id } : {}),
    };
    response.status(error.status).json(body);
  }

  private toApiError(exception: unknown, request: Request): ApiError {
    if (exception instanceof ApiError) {
      return exception;
    }
    if (exception instanceof ThrottlerException) {
      return new ApiError('rate_limited', 'Too many requests. Wait a little and try again.');
    }
    if (isBodyReadError(exception)) {
      return bodyReadError(exception);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === Number(HttpStatus.NOT_FOUND)) {
        return new ApiError('route_not_found', `No route matches ${request.method} ${request.path}.`);
      }
      if (status === Number(HttpStatus.PAYLOAD_TOO_LARGE)) {
        return new ApiError('body_too_large', 'The request body is too large.');
      }
      if (status === Number(HttpStatus.BAD_REQUEST)) {
        return new ApiError('body_invalid', 'The request could not be read.');
      }
      if (status === Number(HttpStatus.UNSUPPORTED_MEDIA_TYPE)) {
        return new ApiError('body_invalid', 'Send JSON with Content-Type: application/json.', undefined, status);
      }
    }
    return new ApiError('internal', 'An internal error occurred. Please try again later.');
  }
}
