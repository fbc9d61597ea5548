import { HttpErrorResponse } from '@angular/common/http';

import type { ApiErrorBody, ApiErrorCode, ApiFieldError } from '@app/contracts';

/** Every failed request, in the api's one error shape, whatever actually went wrong. */
export interface ApiProblem {
  status: number;
  code: ApiErrorCode | 'network';
  message: string;
  details: ApiFieldError[];
  /** The answer's body as sent (a 503 from `/health` carries its report). */
  body?: unknown;
}

function isErrorBody(body: unknown): body is ApiErrorBody {
  return typeof body === 'object' && body !== null && 'code' in body && 'message' in body;
}

export function toApiProblem(error: unknown): ApiProblem {
  if (error instanceof HttpErrorResponse) {
    if (isErrorBody(error.error)) {
      return {
        status: error.status,
        code: error.error.code,
        message: error.error.message,
        details: error.error.details ?? [],
        body: error.error,
      };
    }
    if (error.status === 0) {
      return { status: 0, code: 'network', message: '', details: [] };
    }
    return {
      status: error.status,
      code: error.status >= 500 ? 'internal' : 'validation_failed',
      message: '',
      details: [],
      body: error.error,
    };
  }
  return { status: 0, code: 'internal', message: '', details: [] };
}

export function isApiProblem(error: unknown): error is ApiProblem {
  return typeof error === 'object' && error !== null && 'status' in error && 'code' in error && 'details' in error;
}

/** A failure as an `ApiProblem`: the interceptor already made HTTP failures one; anything else is converted. */
export function asApiProblem(error: unknown): ApiProblem {
  return isApiProblem(error) ? error : toApiProblem(error);
}

/** Any failure as a sentence. */
export function problemSentence(error: unknown): string {
  return describeProblem(asApiProblem(error));
}

/**
 * A sentence a person understands, never a bare code. The api's own messages
 * are written for people and are used where the code alone says too little.
 */
export function describeProblem(problem: ApiProblem): string {
  switch (problem.code) {
    case 'network':
      return 'The Deckhand server could not be reached. Check your connection and try again.';
    case 'unauthenticated':
      return 'Your session has ended. Sign in again to continue.';
    case 'forbidden':
      return 'Your role does not allow this. Ask an admin if you need it.';
    case 'csrf_invalid':
      return 'This page was open too long to be trusted. Reload it and try again.';
    case 'not_found':
    case 'route_not_found':
      return 'This no longer exists. It may have been deleted.';
    case 'conflict':
      return problem.message || 'Someone else changed this at the same time. Reload and try again.';
    case 'link_invalid':
      return 'This link has expired or is not valid. Ask for a new one.';
    case 'rate_limited':
      return 'Too many attempts in a short time. Wait a minute and try again.';
    case 'deck_rejected':
      return problem.message || 'Deck refused the request.';
    case 'deck_unavailable':
      return 'Deck is not answering right now. Nothing was changed; try again in a moment.';
    case 'unavailable':
      return 'The service is busy or starting. Try again in a moment.';
    case 'validation_failed':
      return problem.details.length > 0
        ? problem.details.map((d) => d.message).join('. ') + '.'
        : problem.message || 'Some of what was entered is not valid.';
    case 'body_invalid':
    case 'body_too_large':
    case 'signature_invalid':
      return problem.message || 'The request could not be read.';
    case 'url_invalid':
      return 'This address is not valid. Check the link, or go back and try again.';
    case 'internal':
      return 'Something went wrong on the server. Try again; if it keeps happening, tell your admin.';
  }
}
