import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

import type { LiveChange } from '@app/contracts';
import { Transactor } from '@app/sqlite';

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
export type VisibleCredentials = () => Promise<string[]>;

/** Reads the numbered change log. Reads run between transactions, so they never see a half-written one. */
@Injectable()
export class ChangesService {
  constructor(
    @InjectRepository(ChangeRow) private readonly changes: Repository<ChangeRow>,
    private readonly transactor: Transactor,
  ) {}

  /** The newest committed seq (0 when nothing changed yet): REST answers can tell clients where live updates start. */
  newestSeq(): Promise<number> {
    return this.transactor.exclusive(() => this.readNewest());
  }

  /** The changes after `afterSeq`, oldest first; only those of `visible` credentials when given. */
  async backlog(afterSeq: number, limit: number, visible: VisibleCredentials | null): Promise<Backlog> {
    return this.transactor.exclusive(async () => {
      const newest = await this.readNewest();
      if (afterSeq >= newest) {
        return { newest, changes: [], truncated: false };
      }
      const query = this.changes
        .createQueryBuilder('change')
        .where('change.seq > :afterSeq', { afterSeq })
        .orderBy('change.seq', 'ASC')
        .limit(limit + 1);
      if (visible) {
        const credentialIds = await visible();
        if (credentialIds.length === 0) {
          return { newest, changes: [], truncated: false };
        }
        query.andWhere('change.credential_id IN (:...credentialIds)', { credentialIds });
      }
      const rows = await query.getMany();
      return { newest, changes: rows.slice(0, limit).map(toLiveChange), truncated: rows.length > limit };
    });
  }

  private async readNewest(): Promise<number> {
    return (await this.changes.maximum('seq')) ?? 0;
  }
}

function toLiveChange(row: ChangeRow): LiveChange {
  return { ...(row.payload as Omit<LiveChange, 'seq'>), seq: row.seq } as LiveChange;
}
