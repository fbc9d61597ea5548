import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, Observable } from 'rxjs';

import { requestIdOf } from './request-id';

/** Adds `request_id` to every JSON object answer and a `Request-Id` header, as Deck does. */
@Injectable()
export class RequestIdInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const requestId = requestIdOf(http.getRequest<Request>());
    http.getResponse<Response>().setHeader('Request-Id', requestId);
    return next
      .handle()
      .pipe(
        map((body: unknown) =>
          typeof body === 'object' && body !== null && !Array.isArray(body) ? { ...body, request_id: requestId } : body,
        ),
      );
  }
}
