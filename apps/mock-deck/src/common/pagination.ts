import { createHash } from 'node:crypto';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

import type { DeckList } from '@app/deck';

import { DeckError } from './deck-error';

/** The paging part of every list query. */
export interface PageParams {
  limit?: number;
  cursor?: string;
  /** Older id-based cursors some Deck reference pages document; accepted too. */
  starting_after?: string;
  ending_before?: string;
}

interface CursorPayload {
  /** The last row's seq. */
  s: number;
  /** Which endpoint and filters the cursor belongs to. */
  f: string;
}

export const DEFAULT_LIMIT = 20;

function scopeHash(scope: unknown): string {
  return createHash('sha256').update(JSON.stringify(scope)).digest('base64url').slice(0, 12);
}

export function encodeCursor(seq: number, scope: unknown): string {
  const payload: CursorPayload = { s: seq, f: scopeHash(scope) };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

function decodeCursor(cursor: string, scope: unknown): number {
  const invalid = new DeckError('cursor_invalid', 'The cursor is not valid for this list.', 'cursor');
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  const candidate = payload as Partial<CursorPayload> | null;
  if (!candidate || !Number.isSafeInteger(candidate.s) || candidate.f !== scopeHash(scope)) {
    throw invalid;
  }
  return candidate.s as number;
}

/**
 * Pages a query newest first. `scope` is whatever identifies the endpoint and
 * its filters: a cursor made for one list is refused by any other. The query's
 * main alias must be a table with `seq` and `id` columns.
 */
export async function paginate<T extends ObjectLiteral & { seq: number; id: string }>(
  qb: SelectQueryBuilder<T>,
  page: PageParams,
  scope: unknown,
): Promise<Omit<DeckList<T>, 'request_id'>> {
  const alias = qb.alias;
  const limit = page.limit ?? DEFAULT_LIMIT;
  let ascending = false;

  if (page.cursor !== undefined) {
    qb.andWhere(`${alias}.seq < :cursorSeq`, { cursorSeq: decodeCursor(page.cursor, scope) });
  } else if (page.starting_after !== undefined || page.ending_before !== undefined) {
    const field = page.starting_after !== undefined ? 'starting_after' : 'ending_before';
    const anchorId = page.starting_after ?? page.ending_before;
    const anchor = await qb
      .clone()
      .select(`${alias}.seq`, 'seq')
      .andWhere(`${alias}.id = :anchorId`, { anchorId })
      .getRawOne<{ seq: number }>();
    if (!anchor) {
      throw new DeckError('cursor_invalid', `\`${field}\` does not name an item of this list.`, field);
    }
    ascending = field === 'ending_before';
    qb.andWhere(`${alias}.seq ${ascending ? '>' : '<'} :anchorSeq`, { anchorSeq: anchor.seq });
  }

  const rows = await qb
    .orderBy(`${alias}.seq`, ascending ? 'ASC' : 'DESC')
    .limit(limit + 1)
    .getMany();
  const has_more = rows.length > limit;
  const data = rows.slice(0, limit);
  if (ascending) {
    data.reverse();
  }
  const last = data[data.length - 1];
  return {
    data,
    has_more,
    next_cursor: has_more && last && !ascending ? encodeCursor(last.seq, scope) : null,
  };
}
