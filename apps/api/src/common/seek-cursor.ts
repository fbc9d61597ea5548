import { ApiError } from './api-error';

type Key = string | number;

/**
 * Opaque keyset cursors: the sort key of a page's last row, so the next page
 * starts right after it even while new rows arrive at the top.
 */
export function encodeSeekCursor(key: readonly Key[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key a cursor carries, checked against the list's key shape; 400 naming `cursor` otherwise. */
export function decodeSeekCursor<T extends Key[]>(cursor: string, shape: { [I in keyof T]: 'string' | 'number' }): T {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = null;
  }
  const valid =
    Array.isArray(key) &&
    key.length === shape.length &&
    key.every((part, i) => typeof part === shape[i] && (typeof part !== 'number' || Number.isSafeInteger(part)));
  if (!valid) {
    throw new ApiError('validation_failed', 'The request is not valid.', [
      { field: 'cursor', message: 'cursor is not one this list handed out' },
    ]);
  }
  return key as T;
}

/** `limit` rows of `limit + 1` fetched, and whether there is more after them. */
export function pageOf<R, V>(
  rows: R[],
  limit: number,
  view: (row: R) => V,
  keyOf: (row: R) => Key[],
): { data: V[]; has_more: boolean; next_cursor: string | null } {
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  return {
    data: page.map(view),
    has_more: hasMore,
    next_cursor: hasMore && page.length > 0 ? encodeSeekCursor(keyOf(page[page.length - 1])) : null,
  };
}
