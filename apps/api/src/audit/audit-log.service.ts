import { Injectable } from '@nestjs/common';

import type { AuditEntryView, Page } from '@app/contracts';
import { Reader } from '@app/sqlite';

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
  constructor(private readonly reader: Reader) {}

  list(query: AuditPageQuery): Promise<Page<AuditEntryView>> {
    const limit = query.limit ?? 50;
    const before = query.cursor !== undefined ? decodeSeekCursor<[number]>(query.cursor, ['number'])[0] : undefined;
    return this.reader.read(async (manager) => {
      const qb = manager.createQueryBuilder(AuditEntryRow, 'a');
      if (before !== undefined) {
        qb.where('a.seq < :seq', { seq: before });
      }
      qb.orderBy('a.seq', 'DESC').limit(limit + 1);
      return pageOf(await qb.getMany(), limit, toAuditEntryView, (row) => [row.seq]);
    });
  }
}
