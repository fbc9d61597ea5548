import type { NextFunction, Request, Response } from 'express';

import { ApiError } from './api-error';
import { PROTOTYPE_KEYS } from './validation';

/** A path with a broken %-escape (`/api/operators/%ff`) cannot be routed: it is the URL that is wrong, not a body. */
export function refuseMalformedPath(req: Request, _res: Response, next: NextFunction): void {
  try {
    decodeURIComponent(req.path);
  } catch {
    next(new ApiError('url_invalid', 'The URL path is not valid: it has a broken %-escape.'));
    return;
  }
  next();
}

/**
 * `?__proto__=1`, `?constructor=1`, `?a[__proto__]=1`: read from the raw query
 * string, because the query parser may drop or rename them before validation
 * sees them, so they would pass silently where any other unknown parameter is refused.
 */
export function refusePrototypeQuery(req: Request, _res: Response, next: NextFunction): void {
  const at = req.originalUrl.indexOf('?');
  if (at >= 0) {
    const names = [...new URLSearchParams(req.originalUrl.slice(at + 1)).keys()];
    const bad = names.filter((name) => name.split(/[[\].]/).some((part) => PROTOTYPE_KEYS.has(part)));
    if (bad.length > 0) {
      next(
        new ApiError(
          'validation_failed',
          'The request is not valid.',
          bad.map((field) => ({ field, message: `${field} is not a recognised field` })),
        ),
      );
      return;
    }
  }
  next();
}
