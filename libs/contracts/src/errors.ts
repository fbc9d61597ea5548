/** Every error code the api answers with; the dashboard switches on these, never on messages. */
export const API_ERROR_CODES = [
  'validation_failed',
  'body_invalid',
  'body_too_large',
  'url_invalid',
  'unauthenticated',
  'forbidden',
  'csrf_invalid',
  'not_found',
  'route_not_found',
  'conflict',
  'link_invalid',
  'rate_limited',
  'signature_invalid',
  'deck_rejected',
  'deck_unavailable',
  'unavailable',
  'internal',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** One problem with one input, for form errors. */
export interface ApiFieldError {
  field: string;
  message: string;
}

/** The one error shape of every non-2xx api answer. */
export interface ApiErrorBody {
  statusCode: number;
  code: ApiErrorCode;
  message: string;
  details?: ApiFieldError[];
  request_id?: string;
}
