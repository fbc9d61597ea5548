import { CREDENTIAL_SORTS } from '@app/contracts';
import type { CredentialSort, CredentialView } from '@app/contracts';
import { CREDENTIAL_STATUSES } from '@app/deck';
import type { CredentialStatus } from '@app/deck';

export const PAGE_SIZES = [25, 50] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

export const DEFAULT_SORT: CredentialSort = '-created_at';
export const DEFAULT_PAGE_SIZE: PageSize = 25;

/** The sort select's choices, in the words an operator uses. */
export const SORT_OPTIONS: readonly { value: CredentialSort; label: string }[] = [
  { value: '-created_at', label: 'Newest first' },
  { value: 'created_at', label: 'Oldest first' },
  { value: '-status_changed_at', label: 'Recently changed' },
  { value: 'status_changed_at', label: 'Least recently changed' },
];

/**
 * Everything that decides what the table shows, as the URL carries it:
 * `status`, `source_id`, `q`, `sort`, `limit`, `cursor` (the page) and `back`
 * (the cursors of the pages before it, page 1 left out, joined by dots).
 */
export interface CredentialsViewQuery {
  status: CredentialStatus | null;
  sourceId: string | null;
  q: string;
  sort: CredentialSort;
  limit: PageSize;
  cursor: string | null;
  back: string[];
}

/** The URL's query parameters, as the router hands them to the page's inputs. */
export interface CredentialsUrlParams {
  status?: string;
  source_id?: string;
  q?: string;
  sort?: string;
  limit?: string;
  cursor?: string;
  back?: string;
}

const BACK_SEPARATOR = '.';

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Anything unknown in the URL falls back to the default instead of breaking the page. */
export function parseViewQuery(params: CredentialsUrlParams): CredentialsViewQuery {
  const status = first(params.status);
  const sort = first(params.sort);
  const limit = Number(first(params.limit));
  const cursor = first(params.cursor) || null;
  const back = first(params.back);
  return {
    status: CREDENTIAL_STATUSES.includes(status as CredentialStatus) ? (status as CredentialStatus) : null,
    sourceId: first(params.source_id) || null,
    q: (first(params.q) ?? '').trim(),
    sort: CREDENTIAL_SORTS.includes(sort as CredentialSort) ? (sort as CredentialSort) : DEFAULT_SORT,
    limit: PAGE_SIZES.includes(limit as PageSize) ? (limit as PageSize) : DEFAULT_PAGE_SIZE,
    cursor,
    back: cursor && back ? back.split(BACK_SEPARATOR).filter((c) => c !== '') : [],
  };
}

export function sameViewQuery(a: CredentialsViewQuery, b: CredentialsViewQuery): boolean {
  return (
    a.status === b.status &&
    a.sourceId === b.sourceId &&
    a.q === b.q &&
    a.sort === b.sort &&
    a.limit === b.limit &&
    a.cursor === b.cursor &&
    a.back.join(BACK_SEPARATOR) === b.back.join(BACK_SEPARATOR)
  );
}

/** Query parameters for a page of the same view: `null` removes a parameter when merged. */
export function pageParams(cursor: string | null, back: string[]): Record<string, string | null> {
  return { cursor, back: cursor && back.length > 0 ? back.join(BACK_SEPARATOR) : null };
}

/** Whether any filter narrows the list (the empty state then offers to clear them). */
export function isFiltered(query: CredentialsViewQuery): boolean {
  return query.status !== null || query.sourceId !== null || query.q !== '';
}

/**
 * The api's filters that the status counts describe (every filter but status),
 * checked in the browser the way the api does: source, and `q` as a
 * case-insensitive substring of the external id, the masked username or Deck's id.
 */
export function matchesCountFilters(credential: CredentialView, query: CredentialsViewQuery): boolean {
  if (query.sourceId !== null && credential.source_id !== query.sourceId) {
    return false;
  }
  if (query.q === '') {
    return true;
  }
  const needle = query.q.toLowerCase();
  return [credential.external_id, credential.username_hint, credential.deck_id].some(
    (text) => text !== null && text.toLowerCase().includes(needle),
  );
}

/** Whether the credential belongs in the current view: the count filters and the status tab. */
export function matchesView(credential: CredentialView, query: CredentialsViewQuery): boolean {
  return (query.status === null || credential.status === query.status) && matchesCountFilters(credential, query);
}
