import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

import type { Page, ReceivedEventView } from '@app/contracts';
import { Transactor } from '@app/sqlite';

import { ApiError } from '../common/api-error';
import { ListReceivedEventsQueryDto } from './dto/list-received-events.dto';
import { ReceivedEventRow } from './received-event.entity';

const DEFAULT_LIMIT = 50;

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

/** The payload is never part of the view: operators see what came and what became of it. */
function toView(row: ReceivedEventRow): ReceivedEventView {
  return {
    id: row.id,
    type: row.type,
    object_id: row.object_id,
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
    @InjectRepository(ReceivedEventRow) private readonly events: Repository<ReceivedEventRow>,
    private readonly transactor: Transactor,
  ) {}

  async list(query: ListReceivedEventsQueryDto): Promise<Page<ReceivedEventView>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const qb = this.events.createQueryBuilder('e');
    if (query.type?.length) {
      qb.andWhere('e.type IN (:...types)', { types: query.type });
    }
    if (query.outcome?.length) {
      qb.andWhere('e.outcome IN (:...outcomes)', { outcomes: query.outcome });
    }
    if (query.via?.length) {
      qb.andWhere('e.via IN (:...vias)', { vias: query.via });
    }
    if (query.cursor !== undefined) {
      const { r, i } = decodeCursor(query.cursor);
      qb.andWhere('(e.received_at < :r OR (e.received_at = :r AND e.id < :i))', { r, i });
    }
    qb.orderBy('e.received_at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(limit + 1);
    const rows = await this.transactor.exclusive(() => qb.getMany());
    const page = rows.slice(0, limit);
    const hasMore = rows.length > limit;
    return {
      data: page.map(toView),
      has_more: hasMore,
      next_cursor: hasMore ? encodeCursor(page[page.length - 1]) : null,
    };
  }
}
