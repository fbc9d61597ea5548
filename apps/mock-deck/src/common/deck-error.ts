import { HttpStatus } from '@nestjs/common';

import type { DeckErrorItem, ErrorType } from '@app/deck';

/**
 * Every error code the sandbox answers with, its Deck error type and HTTP status.
 * Codes Deck documents are copied; the rest are defaults chosen where Deck says nothing,
 * recommends, kept in this one table so they are easy to change.
 */
export const DECK_ERRORS = {
  input_missing: { type: 'request', status: HttpStatus.BAD_REQUEST },
  input_invalid: { type: 'request', status: HttpStatus.BAD_REQUEST },
  body_invalid: { type: 'request', status: HttpStatus.BAD_REQUEST },
  body_too_large: { type: 'request', status: HttpStatus.PAYLOAD_TOO_LARGE },
  content_type_unsupported: { type: 'request', status: HttpStatus.UNSUPPORTED_MEDIA_TYPE },
  url_invalid: { type: 'request', status: HttpStatus.BAD_REQUEST },
  cursor_invalid: { type: 'request', status: HttpStatus.BAD_REQUEST },
  api_key_invalid: { type: 'request', status: HttpStatus.UNAUTHORIZED },
  route_not_found: { type: 'request', status: HttpStatus.NOT_FOUND },
  method_not_allowed: { type: 'request', status: HttpStatus.METHOD_NOT_ALLOWED },
  invalid_state: { type: 'request', status: HttpStatus.CONFLICT },
  agent_not_found: { type: 'request', status: HttpStatus.NOT_FOUND },
  source_not_found: { type: 'source', status: HttpStatus.NOT_FOUND },
  credential_not_found: { type: 'request', status: HttpStatus.NOT_FOUND },
  task_not_found: { type: 'request', status: HttpStatus.NOT_FOUND },
  task_run_not_found: { type: 'request', status: HttpStatus.NOT_FOUND },
  session_not_found: { type: 'request', status: HttpStatus.NOT_FOUND },
  storage_not_found: { type: 'request', status: HttpStatus.NOT_FOUND },
  event_not_found: { type: 'request', status: HttpStatus.NOT_FOUND },
  event_destination_not_found: { type: 'request', status: HttpStatus.NOT_FOUND },
  event_delivery_not_found: { type: 'request', status: HttpStatus.NOT_FOUND },
  scenario_not_found: { type: 'request', status: HttpStatus.NOT_FOUND },
  idempotency_error: { type: 'idempotency', status: HttpStatus.CONFLICT },
  idempotency_key_error: { type: 'idempotency', status: HttpStatus.BAD_REQUEST },
  rate_limit_exceeded: { type: 'rate_limit', status: HttpStatus.TOO_MANY_REQUESTS },
  api_error: { type: 'api', status: HttpStatus.INTERNAL_SERVER_ERROR },
} as const satisfies Record<string, { type: ErrorType; status: HttpStatus }>;

export type DeckErrorCode = keyof typeof DECK_ERRORS;

/** One problem to report; several may travel in one error (validation lists them all). */
export interface DeckProblem {
  code: DeckErrorCode;
  message: string;
  field?: string;
}

/**
 * The one exception services throw. The global filter turns it into Deck's
 * `{errors, request_id}` envelope; the HTTP status is the first problem's.
 */
export class DeckError extends Error {
  readonly problems: DeckProblem[];

  constructor(code: DeckErrorCode, message: string, field?: string);
  constructor(problems: DeckProblem[]);
  constructor(codeOrProblems: DeckErrorCode | DeckProblem[], message?: string, field?: string) {
    const problems = Array.isArray(codeOrProblems)
      ? codeOrProblems
      : [{ code: codeOrProblems, message: message ?? codeOrProblems, field }];
    super(problems.map((p) => p.message).join('; '));
    this.problems = problems;
  }

  get status(): number {
    return DECK_ERRORS[this.problems[0].code].status;
  }

  toItems(): DeckErrorItem[] {
    return this.problems.map((p) => ({
      type: DECK_ERRORS[p.code].type,
      code: p.code,
      message: p.message,
      ...(p.field === undefined ? {} : { field: p.field }),
    }));
  }

  static notFound(
    code: Extract<DeckErrorCode, `${string}_not_found`>,
    resource: string,
    id: string,
    field?: string,
  ): DeckError {
    return new DeckError(code, `No ${resource} with id \`${id}\` exists.`, field);
  }

  static invalidState(message: string): DeckError {
    return new DeckError('invalid_state', message);
  }
}
