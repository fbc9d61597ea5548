import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import type { LiveChange } from '@app/contracts';
import { Reader } from '@app/sqlite';

import { ChangeRow } from './change.entity';

/** What a reconnecting client missed: the changes it may see after its seq, or too many to replay. */
export interface Backlog {
  /** The newest committed seq when the backlog was read; the client continues from here. */
  newest: number;
  changes: LiveChange[];
  /** More than `limit` changes were missed: the client should refetch over REST instead. */
  truncated: boolean;
}

/**
 * Names the credentials a reader may see; called inside the same read as the
 * log, so a credential created meanwhile cannot fall between the two.
 */
export type VisibleCredentials = (manager: EntityManager) => Promise<string[]>;

/** Reads the numbered change log, on the Reader: committed state only, never waiting for a write. */
@Injectable()
export class ChangesService {
  constructor(private readonly reader: Reader) {}

  /** The newest committed seq (0 when nothing changed yet): REST answers can tell clients where live updates start. */
  newestSeq(): Promise<number> {
    return this.reader.read((manager) => readNewest(manager));
  }

  /** The changes after `afterSeq`, oldest first; only those of `visible` credentials when given. */
  async backlog(afterSeq: number, limit: number, visible: VisibleCredentials | null): Promise<Backlog> {
    return this.reader.read(async (manager) => {
      const newest = await readNewest(manager);
      if (afterSeq >= newest) {
        return { newest, changes: [], truncated: false };
      }
      const query = manager
        .createQueryBuilder(ChangeRow, 'change')
        .where('change.seq > :afterSeq', { afterSeq })
        .orderBy('change.seq', 'ASC')
        .limit(limit + 1);
      if (visible) {
        const credentialIds = await visible(manager);
        if (credentialIds.length === 0) {
          return { newest, changes: [], truncated: false };
        }
        query.andWhere('change.credential_id IN (:...credentialIds)', { credentialIds });
      }
      const rows = await query.getMany();
      return { newest, changes: rows.slice(0, limit).map(toLiveChange), truncated: rows.length > limit };
    });
  }
}

async function readNewest(manager: EntityManager): Promise<number> {
  return (await manager.maximum(ChangeRow, 'seq')) ?? 0;
}

function toLiveChange(row: ChangeRow): LiveChange {
  return { ...(row.payload as Omit<LiveChange, 'seq'>), seq: row.seq } as LiveChange;
}
