/** Deck's error classes. */
export const ERROR_TYPES = [
  'api',
  'idempotency',
  'session',
  'rate_limit',
  'source',
  'request',
  'auth',
  'interaction',
  'task',
  'storage',
  'organization',
] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

/** One error: `code` is for programs, `message` for people, `field` names the input at fault. */
export interface DeckErrorItem {
  type: ErrorType;
  code: string;
  message: string;
  field?: string | null;
}

/** Every non-2xx response from Deck has this body. */
export interface DeckErrorEnvelope {
  errors: DeckErrorItem[];
  request_id: string;
}
