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
  /** The last row's created_at, in lists ordered by it. */
  c?: string;
  /** Which endpoint and filters the cursor belongs to. */
  f: string;
}

/** Where a page starts: just past this row, in list order. */
interface Position {
  seq: number;
  created_at?: string;
}

export interface PageOrder {
  /** Newest `created_at` first, then the newest row (events, whose times need not follow their rows). */
  byCreatedAt?: boolean;
}

export const DEFAULT_LIMIT = 20;

function scopeHash(scope: unknown): string {
  return createHash('sha256').update(JSON.stringify(scope)).digest('base64url').slice(0, 12);
}

export function encodeCursor(position: Position, scope: unknown): string {
  const payload: CursorPayload = { s: position.seq, c: position.created_at, f: scopeHash(scope) };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

function decodeCursor(cursor: string, scope: unknown, order: PageOrder): Position {
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
  if (order.byCreatedAt && (typeof candidate.c !== 'string' || candidate.c.length > 30)) {
    throw invalid;
  }
  return { seq: candidate.s as number, created_at: candidate.c };
}

/** Rows past `position` in list order (newest first), or before it when `ascending`. */
function pastPosition<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  position: Position,
  order: PageOrder,
  ascending: boolean,
): void {
  const alias = qb.alias;
  const cmp = ascending ? '>' : '<';
  if (order.byCreatedAt) {
    qb.andWhere(
      `(${alias}.created_at ${cmp} :pageAt OR (${alias}.created_at = :pageAt AND ${alias}.seq ${cmp} :pageSeq))`,
      { pageAt: position.created_at, pageSeq: position.seq },
    );
  } else {
    qb.andWhere(`${alias}.seq ${cmp} :pageSeq`, { pageSeq: position.seq });
  }
}

/**
 * Pages a query newest first. `scope` is whatever identifies the endpoint and
 * its filters: a cursor made for one list is refused by any other. The query's
 * main alias must be a table with `seq` and `id` columns (and `created_at` when
 * ordered by it).
 */
export async function paginate<T extends ObjectLiteral & { seq: number; id: string }>(
  qb: SelectQueryBuilder<T>,
  page: PageParams,
  scope: unknown,
  order: PageOrder = {},
): Promise<Omit<DeckList<T>, 'request_id'>> {
  const alias = qb.alias;
  const limit = page.limit ?? DEFAULT_LIMIT;
  let ascending = false;

  if (page.cursor !== undefined) {
    pastPosition(qb, decodeCursor(page.cursor, scope, order), order, false);
  } else if (page.starting_after !== undefined || page.ending_before !== undefined) {
    const field = page.starting_after !== undefined ? 'starting_after' : 'ending_before';
    const anchorId = page.starting_after ?? page.ending_before;
    const anchorQb = qb.clone().select(`${alias}.seq`, 'seq');
    if (order.byCreatedAt) {
      anchorQb.addSelect(`${alias}.created_at`, 'created_at');
    }
    const anchor = await anchorQb.andWhere(`${alias}.id = :anchorId`, { anchorId }).getRawOne<Position>();
    if (!anchor) {
      throw new DeckError('cursor_invalid', `\`${field}\` does not name an item of this list.`, field);
    }
    ascending = field === 'ending_before';
    pastPosition(qb, anchor, order, ascending);
  }

  const direction = ascending ? 'ASC' : 'DESC';
  if (order.byCreatedAt) {
    qb.orderBy(`${alias}.created_at`, direction).addOrderBy(`${alias}.seq`, direction);
  } else {
    qb.orderBy(`${alias}.seq`, direction);
  }
  const rows = await qb.limit(limit + 1).getMany();
  const has_more = rows.length > limit;
  const data = rows.slice(0, limit);
  if (ascending) {
    data.reverse();
  }
  const last = data[data.length - 1];
  return {
    data,
    has_more,
    next_cursor:
      has_more && last && !ascending
        ? encodeCursor({ seq: last.seq, created_at: order.byCreatedAt ? String(last.created_at) : undefined }, scope)
        : null,
  };
}
