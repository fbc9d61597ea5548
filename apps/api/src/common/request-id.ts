import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';

/**
 * Names the request before anything can refuse it (a bad URL, a body the parser
 * throws out), so every error carries `request_id`; the request log reuses it.
 */
export function assignRequestId(req: Request, _res: Response, next: NextFunction): void {
  const named = req as Request & { id?: unknown };
  if (typeof named.id !== 'string') {
    named.id = randomUUID();
  }
  next();
}
