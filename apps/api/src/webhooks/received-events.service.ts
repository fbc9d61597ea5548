import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import type {
  Page,
  ReceivedEventDetail,
  ReceivedEventView,
  StatusChangeBucket,
  StatusChangeSeries,
  StatusChangeWindow,
} from '@app/contracts';
import { Reader } from '@app/sqlite';

import { ApiError } from '../common/api-error';
import { Clock } from '../common/clock';
import { ListReceivedEventsQueryDto } from './dto/list-received-events.dto';
import { StatusChangesQueryDto } from './dto/status-changes-query.dto';
import { ReceivedEventRow } from './received-event.entity';

const DEFAULT_LIMIT = 50;
const HOUR_MS = 3_600_000;
const WINDOW_HOURS: Record<StatusChangeWindow, number> = { day: 24, week: 24 * 7 };
/** The event types a status-change series counts, and the bucket field each one fills. */
const STATUS_CHANGE_TYPES = { 'credential.verified': 'verified', 'credential.invalid': 'invalid' } as const;

/** Position after the last item of a page: newest first by receipt time, then by id. */
interface Cursor {
  r: string;
  i: string;
}

function encodeCursor(row: ReceivedEventRow): string {
  return Buffer.from(JSON.stringify({ r: row.received_at, i: row.id } satisfies Cursor)).toString('base64url');
}

function decodeCursor(cursor: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<Cursor> | null;
    if (typeof value?.r === 'string' && typeof value.i === 'string') {
      return { r: value.r, i: value.i };
    }
  } catch {
    // Falls through to the refusal below.
  }
  throw new ApiError('validation_failed', 'The request is not valid.', [
    { field: 'cursor', message: 'cursor is not a next_cursor from this list' },
  ]);
}

/** The payload is only in the detail: a list shows what came and what became of it. */
function toView(row: ReceivedEventRow): ReceivedEventView {
  return {
    id: row.id,
    type: row.type,
    object_id: row.object_id,
    deck_credential_id: row.deck_credential_id,
    created_at: row.created_at,
    received_at: row.received_at,
    via: row.via,
    duplicates: row.duplicates,
    outcome: row.outcome,
    note: row.note,
  };
}

/** The operators' log of what Deck sent (or catch-up found). */
@Injectable()
export class ReceivedEventsService {
  constructor(
    private readonly reader: Reader,
    private readonly clock: Clock,
  ) {}

  async list(query: ListReceivedEventsQueryDto): Promise<Page<ReceivedEventView>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const cursor = query.cursor !== undefined ? decodeCursor(query.cursor) : null;
    const rows = await this.reader.read((manager) => {
      const qb = manager.createQueryBuilder(ReceivedEventRow, 'e');
      if (query.type?.length) {
        qb.andWhere('e.type IN (:...types)', { types: query.type });
      }
      if (query.outcome?.length) {
        qb.andWhere('e.outcome IN (:...outcomes)', { outcomes: query.outcome });
      }
      if (query.via?.length) {
        qb.andWhere('e.via IN (:...vias)', { vias: query.via });
      }
      if (query.deck_credential_id !== undefined) {
        qb.andWhere('e.deck_credential_id = :credentialId', { credentialId: query.deck_credential_id });
      }
      if (cursor) {
        qb.andWhere('(e.received_at < :r OR (e.received_at = :r AND e.id < :i))', {
          r: cursor.r,
          i: cursor.i,
        });
      }
      return qb
        .orderBy('e.received_at', 'DESC')
        .addOrderBy('e.id', 'DESC')
        .limit(limit + 1)
        .getMany();
    });
    const page = rows.slice(0, limit);
    const hasMore = rows.length > limit;
    return {
      data: page.map(toView),
      has_more: hasMore,
      next_cursor: hasMore ? encodeCursor(page[page.length - 1]) : null,
    };
  }

  /**
   * The newest events about a Deck credential or its runs, newest first by Deck's time (for its
   * timeline); in the caller's read, so they agree with the runs and prompts read beside them.
   */
  async aboutCredential(manager: EntityManager, deckCredentialId: string, limit: number): Promise<ReceivedEventView[]> {
    const rows = await manager.find(ReceivedEventRow, {
      where: { deck_credential_id: deckCredentialId },
      order: { created_at: 'DESC' },
      take: limit,
    });
    return rows.map(toView);
  }

  /** One event with the payload as received (Deck's events never carry a password). */
  async detail(id: string): Promise<ReceivedEventDetail> {
    const row = await this.reader.read((manager) => manager.findOneBy(ReceivedEventRow, { id }));
    if (!row) {
      throw ApiError.notFound('The event');
    }
    return { ...toView(row), payload: row.payload };
  }

  /**
   * Credentials that became verified or invalid, per hour of Deck's event time,
   * over the window ending with the current hour. Only applied events count: a
   * stale or held one changed nothing, and a duplicate is one row.
   */
  async statusChanges(query: StatusChangesQueryDto): Promise<StatusChangeSeries> {
    const window = query.window ?? 'day';
    const hours = WINDOW_HOURS[window];
    const currentHour = Math.floor(this.clock.nowMs() / HOUR_MS) * HOUR_MS;
    const from = new Date(currentHour - (hours - 1) * HOUR_MS).toISOString();
    const to = new Date(currentHour + HOUR_MS).toISOString();
    // created_at is always written by toISOString(), so its first 13 characters name the hour on any database.
    const counted = await this.reader.read((manager) =>
      manager
        .createQueryBuilder(ReceivedEventRow, 'e')
        .select('substr(e.created_at, 1, 13)', 'hour')
        .addSelect('e.type', 'type')
        .addSelect('COUNT(*)', 'n')
        .where('e.type IN (:...types)', { types: Object.keys(STATUS_CHANGE_TYPES) })
        .andWhere("e.outcome = 'applied'")
        .andWhere('e.created_at >= :from AND e.created_at < :to', { from, to })
        .groupBy('substr(e.created_at, 1, 13)')
        .addGroupBy('e.type')
        .getRawMany<{ hour: string; type: keyof typeof STATUS_CHANGE_TYPES; n: number | string }>(),
    );
    const buckets: StatusChangeBucket[] = [];
    const byHour = new Map<string, StatusChangeBucket>();
    for (let i = 0; i < hours; i++) {
      const hour = new Date(currentHour - (hours - 1 - i) * HOUR_MS).toISOString();
      const bucket = { hour, verified: 0, invalid: 0 };
      buckets.push(bucket);
      byHour.set(hour.slice(0, 13), bucket);
    }
    for (const { hour, type, n } of counted) {
      const bucket = byHour.get(hour);
      if (bucket) {
        bucket[STATUS_CHANGE_TYPES[type]] += Number(n);
      }
    }
    return { window, buckets };
  }
}
