import { Injectable } from '@nestjs/common';
import { EntityManager, Not } from 'typeorm';

import type { Role } from '@app/contracts';

import { OperatorSessionRow } from './operator-session.entity';
import { OperatorRow } from './operator.entity';

/**
 * Operator accounts and their sessions for the admin screens. Every method takes
 * the caller's EntityManager: writes so a change and its audit entry commit
 * together, reads so they run in a Reader's read or the caller's transaction.
 */
@Injectable()
export class OperatorAccounts {
  /** Oldest first. */
  list(manager: EntityManager): Promise<OperatorRow[]> {
    return manager.find(OperatorRow, { order: { created_at: 'ASC', email: 'ASC' } });
  }

  find(manager: EntityManager, id: string): Promise<OperatorRow | null> {
    return manager.findOneBy(OperatorRow, { id });
  }

  emailTaken(manager: EntityManager, email: string): Promise<boolean> {
    return manager.existsBy(OperatorRow, { email });
  }

  count(manager: EntityManager, role: Role): Promise<number> {
    return manager.countBy(OperatorRow, { role });
  }

  create(manager: EntityManager, operator: OperatorRow): Promise<OperatorRow> {
    return manager.save(manager.create(OperatorRow, operator));
  }

  save(manager: EntityManager, operator: OperatorRow): Promise<OperatorRow> {
    return manager.save(operator);
  }

  /** Ends the operator's sessions, all of them or all but the one whose token hashes to `keep`. */
  async endSessions(manager: EntityManager, operatorId: string, keep: string | null = null): Promise<void> {
    await manager.delete(
      OperatorSessionRow,
      keep === null ? { operator_id: operatorId } : { operator_id: operatorId, token_hash: Not(keep) },
    );
  }

  /** Removes the operator and its sessions. */
  async remove(manager: EntityManager, id: string): Promise<void> {
    await this.endSessions(manager, id);
    await manager.delete(OperatorRow, { id });
  }
}
