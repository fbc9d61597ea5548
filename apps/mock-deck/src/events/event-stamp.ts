import { EntityManager } from 'typeorm';

import { DeckEventRow } from './event.entity';

/** The newest `created_at` among an organisation's events, or null. */
async function newestCreatedAt(manager: EntityManager, orgId: string): Promise<string | null> {
  const row = await manager
    .createQueryBuilder(DeckEventRow, 'e')
    .select('MAX(e.created_at)', 'newest')
    .where('e.org_id = :orgId', { orgId })
    .getRawOne<{ newest: string | null }>();
  return row?.newest ?? null;
}

/** ISO times of the sandbox (four-digit years) sort as text. */
function later(a: string, b: string | null): string {
  return b !== null && b > a ? b : a;
}

/**
 * The `created_at` of an event committed now, inside the transaction that
 * inserts it (so no other write comes between). Never before the
 * organisation's newest event: work run as of its due time after a lag, a
 * restart or a clock jump would otherwise commit events older than ones already
 * listed, and newest-first would stop meaning last-committed-first.
 */
export async function eventCreatedAt(manager: EntityManager, orgId: string, nowMs: number): Promise<string> {
  return later(new Date(nowMs).toISOString(), await newestCreatedAt(manager, orgId));
}
