import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

import type { AuditEntryView, Page } from '@app/contracts';
import { Transactor } from '@app/sqlite';

import { decodeSeekCursor, pageOf } from '../common/seek-cursor';
import { AuditEntryRow } from './audit-entry.entity';

/** A page of the log: at most `limit` entries, older than the cursor's. */
export interface AuditPageQuery {
  cursor?: string;
  limit?: number;
}

function toAuditEntryView(row: AuditEntryRow): AuditEntryView {
  return { seq: row.seq, at: row.at, actor: row.actor, action: row.action, target: row.target, detail: row.detail };
}

/** Reads the audit log, newest first. */
@Injectable()
export class AuditLogService {
  constructor(
    @InjectRepository(AuditEntryRow) private readonly entries: Repository<AuditEntryRow>,
    private readonly transactor: Transactor,
  ) {}

  list(query: AuditPageQuery): Promise<Page<AuditEntryView>> {
    const limit = query.limit ?? 50;
    const qb = this.entries.createQueryBuilder('a');
    if (query.cursor !== undefined) {
      const [seq] = decodeSeekCursor<[number]>(query.cursor, ['number']);
      qb.where('a.seq < :seq', { seq });
    }
    qb.orderBy('a.seq', 'DESC').limit(limit + 1);
    return this.transactor.exclusive(async () =>
      pageOf(await qb.getMany(), limit, toAuditEntryView, (row) => [row.seq]),
    );
  }
}
