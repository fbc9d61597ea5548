import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import type { LiveChange } from '@app/contracts';

import { Clock } from '../common/clock';
import { ChangeRow } from './change.entity';

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** A change before the log numbers it. */
export type ChangeDraft = DistributiveOmit<LiveChange, 'seq'>;

/** Appends to the numbered change log, in the caller's transaction (publish only after it commits). */
@Injectable()
export class ChangeLog {
  constructor(private readonly clock: Clock) {}

  /** Numbers the drafts, in order, with one multi-row insert. */
  async append(manager: EntityManager, drafts: ChangeDraft[]): Promise<LiveChange[]> {
    if (drafts.length === 0) {
      return [];
    }
    const createdAt = this.clock.iso();
    const inserted = await manager.insert(
      ChangeRow,
      drafts.map((draft) => ({
        kind: draft.kind,
        credential_id: draft.credential_id,
        payload: draft,
        created_at: createdAt,
      })),
    );
    return drafts.map((draft, index) => ({ ...draft, seq: Number(inserted.identifiers[index].seq) }));
  }
}
