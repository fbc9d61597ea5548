import { HttpStatus } from '@nestjs/common';

import type { ApiErrorCode, ApiFieldError } from '@app/contracts';

/** The HTTP status of each error code: one exhaustive switch, so a new code cannot be forgotten. */
export function statusOf(code: ApiErrorCode): number {
  switch (code) {
    case 'validation_failed':
    case 'body_invalid':
    case 'url_invalid':
      return HttpStatus.BAD_REQUEST;
    case 'body_too_large':
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case 'unauthenticated':
    case 'signature_invalid':
    case 'link_invalid':
      return HttpStatus.UNAUTHORIZED;
    case 'forbidden':
    case 'csrf_invalid':
      return HttpStatus.FORBIDDEN;
    case 'not_found':
    case 'route_not_found':
      return HttpStatus.NOT_FOUND;
    case 'conflict':
      return HttpStatus.CONFLICT;
    case 'deck_rejected':
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case 'rate_limited':
      return HttpStatus.TOO_MANY_REQUESTS;
    case 'deck_unavailable':
      return HttpStatus.BAD_GATEWAY;
    case 'unavailable':
      return HttpStatus.SERVICE_UNAVAILABLE;
    case 'internal':
      return HttpStatus.INTERNAL_SERVER_ERROR;
  }
}

/** The one exception services throw; the global filter turns it into the contract's error shape. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: ApiFieldError[],
    /** Overrides the code's usual status (a Deck 404 relayed as a 404, say). */
    readonly status: number = statusOf(code),
  ) {
    super(message);
  }

  static notFound(what: string): ApiError {
    return new ApiError('not_found', `${what} was not found.`);
  }
}
