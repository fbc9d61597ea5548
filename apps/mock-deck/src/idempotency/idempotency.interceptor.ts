import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { catchError, from, map, mergeMap, Observable, of, throwError } from 'rxjs';
import { IsNull } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

import { SandboxClock } from '../scheduler/clock';
import { DeckError } from '../common/deck-error';
import { Transactor } from '@app/sqlite';
import type { OrgRequest } from '../orgs/current-org.decorator';
import { IdempotencyRecord } from './idempotency-record.entity';
import { requestFingerprint } from './request-fingerprint';

const KEY_HEADER = 'idempotency-key';
const MAX_KEY_LENGTH = 256;
const LIFETIME_MS = 24 * 60 * 60 * 1000;
const WRITE_METHODS = new Set(['POST', 'PATCH', 'DELETE']);

/**
 * Deck's `Idempotency-Key`: the first successful answer is
 * kept for 24 hours per organisation; the same key and parameters get it again,
 * other parameters a 409. Failures are not kept, so a retry after an error runs
 * again. A second request while the first is still running is refused with 409
 * rather than run twice; a claim a dead process left unanswered is released at
 * the next start (`UnfinishedClaims`).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly transactor: Transactor,
    private readonly clock: SandboxClock,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request & OrgRequest>();
    const key = request.headers[KEY_HEADER];
    if (!WRITE_METHODS.has(request.method) || key === undefined || !request.org) {
      return next.handle();
    }
    if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
      throw new DeckError('idempotency_key_error', `Idempotency key must be at most ${MAX_KEY_LENGTH} characters`);
    }
    const orgId = request.org.id;
    const fingerprint = requestFingerprint(request.method, request.path, request.body);

    // Nest applies the route's status after interceptors, so read it the way Nest does.
    const statusCode =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
      (request.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);

    return from(this.claim(orgId, key, fingerprint)).pipe(
      mergeMap((replay) => {
        if (replay) {
          http.getResponse<Response>().setHeader('Idempotent-Replayed', 'true');
          return of(replay.body);
        }
        return next.handle().pipe(
          // Recorded before the answer goes out: a client holding the answer can count on a retry replaying
          // it, even if the sandbox stops right after.
          mergeMap((body: unknown) => from(this.complete(orgId, key, statusCode, body)).pipe(map(() => body))),
          catchError((error: unknown) => from(this.release(orgId, key)).pipe(mergeMap(() => throwError(() => error)))),
        );
      }),
    );
  }

  /** Returns the remembered answer to replay, or null after claiming the key for this request. */
  private claim(orgId: string, key: string, fingerprint: string): Promise<IdempotencyRecord | null> {
    return this.transactor.run(async (manager) => {
      const now = this.clock.nowMs();
      const existing = await manager.findOneBy(IdempotencyRecord, { org_id: orgId, key });
      if (existing && Date.parse(existing.expires_at) > now) {
        if (existing.fingerprint !== fingerprint) {
          throw new DeckError('idempotency_error', 'Idempotency key has already been used with different parameters.');
        }
        if (existing.status_code === null) {
          throw new DeckError('idempotency_error', 'A request with this idempotency key is still being processed.');
        }
        return existing;
      }
      if (existing) {
        await manager.delete(IdempotencyRecord, { seq: existing.seq });
      }
      await manager.insert(IdempotencyRecord, {
        org_id: orgId,
        key,
        fingerprint,
        status_code: null,
        expires_at: new Date(now + LIFETIME_MS).toISOString(),
      });
      return null;
    });
  }

  private complete(orgId: string, key: string, statusCode: number, body: unknown): Promise<void> {
    // One statement, no read first: this runs after every write request that carries a key.
    return this.transactor.run(async (manager) => {
      const answer: Pick<IdempotencyRecord, 'status_code' | 'body'> = { status_code: statusCode, body };
      await manager.update(
        IdempotencyRecord,
        { org_id: orgId, key },
        answer as QueryDeepPartialEntity<IdempotencyRecord>,
      );
    });
  }

  private release(orgId: string, key: string): Promise<void> {
    return this.transactor.run(async (manager) => {
      await manager.delete(IdempotencyRecord, { org_id: orgId, key, status_code: IsNull() });
    });
  }
}
