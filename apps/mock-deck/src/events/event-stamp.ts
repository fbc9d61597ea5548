import { EntityManager } from 'typeorm';

import { EventDestination } from '../event-destinations/event-destination.entity';
import { DeckEventRow } from './event.entity';

/**
 * The lateness (ms) the `late_events` fault asks of an organisation's events:
 * the largest set on any of its destinations, or 0.
 */
export function latenessMs(destinations: EventDestination[]): number {
  const seconds = destinations.map((d) => d.faults?.late_events ?? 0);
  return Math.max(0, ...seconds) * 1000;
}

/** The newest `created_at` among an organisation's events (optionally one object's), or null. */
async function newestCreatedAt(manager: EntityManager, orgId: string, objectId?: string): Promise<string | null> {
  const qb = manager
    .createQueryBuilder(DeckEventRow, 'e')
    .select('MAX(e.created_at)', 'newest')
    .where('e.org_id = :orgId', { orgId });
  if (objectId !== undefined) {
    qb.andWhere('e.object_id = :objectId', { objectId });
  }
  const row = await qb.getRawOne<{ newest: string | null }>();
  return row?.newest ?? null;
}

/** ISO times of the sandbox (four-digit years) sort as text. */
function later(a: string, b: string | null): string {
  return b !== null && b > a ? b : a;
}

/**
 * The `created_at` of an event committed now, inside the transaction that
 * inserts it (so no other write comes between). Normally never before the
 * organisation's newest event: work run as of its due time after a lag, a
 * restart or a clock jump would otherwise commit events older than ones already
 * listed, and newest-first would stop meaning last-committed-first. Under
 * `late_events` it is that far behind the clock instead, but never before the
 * object's own newest event, so one object's events keep their order as in Deck.
 */
export async function eventCreatedAt(
  manager: EntityManager,
  orgId: string,
  objectId: string,
  nowMs: number,
  lateMs: number,
): Promise<string> {
  if (lateMs > 0) {
    const behind = new Date(Math.max(0, nowMs - lateMs)).toISOString();
    return later(behind, await newestCreatedAt(manager, orgId, objectId));
  }
  return later(new Date(nowMs).toISOString(), await newestCreatedAt(manager, orgId));
}
