import { createHash } from 'node:crypto';

import type { CredentialSort } from '@app/contracts';

import { ApiError } from '../common/api-error';
import { decodeSeekCursor, encodeSeekCursor } from '../common/seek-cursor';

/** Where a page ended: the sort column's value and the id that breaks ties. */
export interface CursorPosition {
  value: string;
  id: string;
}

/** A short digest of the filters, so a cursor cannot be replayed against another list. */
export function filterDigest(filters: unknown): string {
  return createHash('sha256').update(JSON.stringify(filters)).digest('base64url').slice(0, 16);
}

/** Opaque to clients; bound to its sort and filters. */
export function encodeCursor(sort: CredentialSort, digest: string, position: CursorPosition): string {
  return encodeSeekCursor([sort, digest, position.value, position.id]);
}

export function decodeCursor(cursor: string, sort: CredentialSort, digest: string): CursorPosition {
  const [cursorSort, cursorDigest, value, id] = decodeSeekCursor<[string, string, string, string]>(cursor, [
    'string',
    'string',
    'string',
    'string',
  ]);
  if (cursorSort !== sort || cursorDigest !== digest) {
    throw new ApiError('validation_failed', 'The request is not valid.', [
      { field: 'cursor', message: 'cursor belongs to a list with other filters or another sort' },
    ]);
  }
  return { value, id };
}
