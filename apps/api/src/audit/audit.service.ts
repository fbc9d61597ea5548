import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { Clock } from '../common/clock';
import { AuditEntryRow } from './audit-entry.entity';

/** Appends to the audit log inside the caller's transaction. Details must never hold a secret. */
@Injectable()
export class AuditService {
  constructor(private readonly clock: Clock) {}

  async record(
    manager: EntityManager,
    actor: string,
    action: string,
    target: string | null,
    detail: Record<string, unknown> | null = null,
  ): Promise<void> {
    await manager.save(manager.create(AuditEntryRow, { at: this.clock.iso(), actor, action, target, detail }));
  }
}
