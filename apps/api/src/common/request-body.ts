import type { NextFunction, Request, Response } from 'express';

import { ApiError } from './api-error';
import { jsonShapeProblem, MAX_JSON_DEPTH } from './json-shape';

/** What body-parser (and raw-body under it) attaches to the errors it raises. */
export interface BodyReadError {
  type: string;
  status?: number;
  limit?: number;
  body?: unknown;
}

export function isBodyReadError(error: unknown): error is BodyReadError {
  return typeof error === 'object' && error !== null && typeof (error as BodyReadError).type === 'string';
}

const kilobytes = (bytes: number | undefined): string =>
  bytes === undefined ? 'its limit' : `the ${Math.round(bytes / 1024)} kB limit`;

/** The parser's own error as the api's: what was wrong with the body, never the parser's text. */
export function bodyReadError(error: BodyReadError): ApiError {
  switch (error.type) {
    case 'entity.too.large':
      return new ApiError('body_too_large', `The request body is larger than ${kilobytes(error.limit)}.`);
    case 'entity.parse.failed': {
      const start = typeof error.body === 'string' ? error.body.trimStart().charAt(0) : '{';
      return start === '{' || start === '['
        ? new ApiError('body_invalid', 'The body is not valid JSON.')
        : new ApiError('body_invalid', 'The body must be a JSON object, not a bare value.');
    }
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError('body_invalid', 'Send the body as UTF-8, without a content encoding.', undefined, 415);
    case 'request.aborted':
    case 'request.size.invalid':
      return new ApiError('body_invalid', 'The body ended before its announced length.');
    default:
      return error.status !== undefined && error.status < 500
        ? new ApiError('body_invalid', 'The request body could not be read.')
        : new ApiError('internal', 'An internal error occurred. Please try again later.');
  }
}

/**
 * Express error middleware, right after the body parsers: turns their errors
 * into ApiErrors before the framework flattens them into a bare 400.
 */
export function explainBodyReadError(error: unknown, _req: Request, _res: Response, next: NextFunction): void {
  next(isBodyReadError(error) ? bodyReadError(error) : error);
}

/**
 * Every parsed JSON body, before any route, pipe or pass-through walks it:
 * no deeper than the cap, and only well-formed text in its keys and strings.
 */
export function refuseHostileJson(req: Request, _res: Response, next: NextFunction): void {
  const problem = jsonShapeProblem(req.body as unknown);
  if (problem?.kind === 'too_deep') {
    next(new ApiError('body_invalid', `The body nests deeper than ${MAX_JSON_DEPTH} levels.`));
    return;
  }
  if (problem?.kind === 'malformed_text') {
    next(
      new ApiError('validation_failed', 'The request is not valid.', [
        { field: problem.field, message: `${problem.field} is not well-formed text (it has an unpaired surrogate)` },
      ]),
    );
    return;
  }
  next();
}
