import type { Params } from '@angular/router';

import type { ReceivedEventListQuery, ReceivedEventView } from '@app/contracts';

export type EventOutcome = ReceivedEventView['outcome'];
export type EventVia = ReceivedEventView['via'];

export const EVENT_OUTCOMES: readonly { value: EventOutcome; label: string; meaning: string }[] = [
  { value: 'applied', label: 'applied', meaning: 'Applied to the mirror.' },
  { value: 'stale', label: 'stale', meaning: 'Older than what the mirror had, so it changed nothing.' },
  { value: 'held', label: 'held', meaning: 'Validly signed but could not be applied; kept for review.' },
];

export const EVENT_VIAS: readonly { value: EventVia; label: string }[] = [
  { value: 'webhook', label: 'webhook' },
  { value: 'catch_up', label: 'catch-up' },
];

/** What the events page shows, as kept in its URL. */
export interface EventFilters {
  types: string[];
  outcomes: EventOutcome[];
  vias: EventVia[];
  /** Deck's credential id (`cred_…`) typed or shared in the URL. */
  deckCredentialId: string | null;
  /** Our credential id (`?credential=`), resolved to its Deck id before listing. */
  credentialId: string | null;
  cursor: string | null;
}

export const NO_EVENT_FILTERS: EventFilters = {
  types: [],
  outcomes: [],
  vias: [],
  deckCredentialId: null,
  credentialId: null,
  cursor: null,
};

/** `a,b`, `['a','b']` or `['a,b']` alike, trimmed, without blanks or repeats. */
function list(value: unknown): string[] {
  const items = ([] as unknown[])
    .concat(value ?? [])
    .flatMap((item) => (typeof item === 'string' ? item.split(',') : []))
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return [...new Set(items)];
}

function single(value: unknown): string | null {
  const first: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
  return typeof first === 'string' && first.trim() !== '' ? first.trim() : null;
}

function oneOf<T extends string>(allowed: readonly { value: T }[], value: unknown): T[] {
  const known = new Set<string>(allowed.map((option) => option.value));
  return list(value).filter((item): item is T => known.has(item));
}

/** The URL's query params as filters; unknown outcomes and vias are dropped, unknown types kept (Deck may add some). */
export function filtersFromParams(params: Params): EventFilters {
  return {
    types: list(params['type']),
    outcomes: oneOf(EVENT_OUTCOMES, params['outcome']),
    vias: oneOf(EVENT_VIAS, params['via']),
    deckCredentialId: single(params['deck_credential_id']),
    credentialId: single(params['credential']),
    cursor: single(params['cursor']),
  };
}

/** Filters as query params, every key present (null removes it) so a navigation replaces the whole set. */
export function filtersToParams(filters: EventFilters): Params {
  const join = (items: string[]): string | null => (items.length > 0 ? items.join(',') : null);
  return {
    type: join(filters.types),
    outcome: join(filters.outcomes),
    via: join(filters.vias),
    deck_credential_id: filters.credentialId ? null : filters.deckCredentialId,
    credential: filters.credentialId,
    cursor: filters.cursor,
  };
}

/** The api's list query; `deckCredentialId` is the one resolved from `?credential=` when that was given. */
export function toListQuery(
  filters: EventFilters,
  deckCredentialId: string | null,
  limit: number,
): ReceivedEventListQuery {
  return {
    ...(filters.types.length > 0 ? { type: filters.types } : {}),
    ...(filters.outcomes.length > 0 ? { outcome: filters.outcomes } : {}),
    ...(filters.vias.length > 0 ? { via: filters.vias } : {}),
    ...(deckCredentialId ? { deck_credential_id: deckCredentialId } : {}),
    ...(filters.cursor ? { cursor: filters.cursor } : {}),
    limit,
  };
}

export function hasFilters(filters: EventFilters): boolean {
  return (
    filters.types.length > 0 ||
    filters.outcomes.length > 0 ||
    filters.vias.length > 0 ||
    filters.deckCredentialId !== null ||
    filters.credentialId !== null
  );
}

/** Whether `a` was received after `b`, in the list's own order (receipt time, then id). */
export function isNewer(
  a: Pick<ReceivedEventView, 'received_at' | 'id'>,
  b: Pick<ReceivedEventView, 'received_at' | 'id'>,
): boolean {
  return a.received_at > b.received_at || (a.received_at === b.received_at && a.id > b.id);
}
