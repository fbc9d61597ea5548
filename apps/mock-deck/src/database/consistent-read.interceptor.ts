import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { from, lastValueFrom, Observable } from 'rxjs';

import { Transactor } from '@app/sqlite';

/**
 * Runs GET handlers between write transactions, so a client never sees a run
 * `completed` before the credential, storage and events of that same step.
 */
@Injectable()
export class ConsistentReadInterceptor implements NestInterceptor {
  constructor(private readonly transactor: Transactor) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.switchToHttp().getRequest<Request>().method !== 'GET') {
      return next.handle();
    }
    return from(this.transactor.exclusive(() => lastValueFrom(next.handle(), { defaultValue: undefined })));
  }
}
