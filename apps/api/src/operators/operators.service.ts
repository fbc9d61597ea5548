import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';

import type { OperatorView } from '@app/contracts';
import { Reader, Transactor } from '@app/sqlite';

import { AuditService } from '../audit/audit.service';
import { toOperatorView } from '../auth/auth.service';
import { OperatorAccounts } from '../auth/operator-accounts';
import type { OperatorRow } from '../auth/operator.entity';
import { hashPassword } from '../auth/password';
import type { Actor } from '../auth/request-actor';
import { ApiError } from '../common/api-error';
import { Clock } from '../common/clock';
import { CreateOperatorDto } from './dto/create-operator.dto';
import { UpdateOperatorDto } from './dto/update-operator.dto';

type OperatorActor = Extract<Actor, { kind: 'operator' }>;

/**
 * Admins manage operators. There is always an admin: the last one can be
 * neither removed nor demoted, and nobody removes or demotes themselves.
 * Passwords are hashed here and appear in no audit entry.
 */
@Injectable()
export class OperatorsService {
  constructor(
    private readonly accounts: OperatorAccounts,
    private readonly transactor: Transactor,
    private readonly reader: Reader,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  list(): Promise<OperatorView[]> {
    return this.reader.read(async (manager) => (await this.accounts.list(manager)).map(toOperatorView));
  }

  async create(actor: OperatorActor, dto: CreateOperatorDto): Promise<OperatorView> {
    const email = dto.email.toLowerCase();
    // Hashing is slow on purpose, so it happens before the write queue is held.
    const passwordHash = await hashPassword(dto.password);
    return this.transactor.run(async (manager) => {
      if (await this.accounts.emailTaken(manager, email)) {
        throw new ApiError('conflict', 'An operator with this e-mail already exists.');
      }
      const row = await this.accounts.create(manager, {
        id: randomUUID(),
        email,
        password_hash: passwordHash,
        role: dto.role,
        created_at: this.clock.iso(),
      });
      await this.audit.record(manager, actor.id, 'operator.created', row.id, { email, role: row.role });
      return toOperatorView(row);
    });
  }

  async update(actor: OperatorActor, id: string, dto: UpdateOperatorDto): Promise<OperatorView> {
    if (dto.role === undefined && dto.password === undefined) {
      throw new ApiError('validation_failed', 'Nothing to change.', [
        { field: '(body)', message: 'give a role, a password, or both' },
      ]);
    }
    const passwordHash = dto.password === undefined ? null : await hashPassword(dto.password);
    return this.transactor.run(async (manager) => {
      const row = await this.find(manager, id);
      const detail: Record<string, unknown> = {};
      if (dto.role !== undefined && dto.role !== row.role) {
        if (row.role === 'admin') {
          await this.keepAnAdmin(manager, actor, row, 'demote');
        }
        detail.role = { from: row.role, to: dto.role };
        row.role = dto.role;
      }
      if (passwordHash !== null) {
        row.password_hash = passwordHash;
        detail.password_changed = true;
        // A new password ends the operator's other sessions; the caller's own stays.
        await this.accounts.endSessions(manager, row.id, actor.sessionHash);
      }
      await this.accounts.save(manager, row);
      if (Object.keys(detail).length > 0) {
        await this.audit.record(manager, actor.id, 'operator.updated', row.id, detail);
      }
      return toOperatorView(row);
    });
  }

  /** Removes the operator and its sessions: it is logged out at once. */
  remove(actor: OperatorActor, id: string): Promise<void> {
    return this.transactor.run(async (manager) => {
      const row = await this.find(manager, id);
      if (row.role === 'admin') {
        await this.keepAnAdmin(manager, actor, row, 'remove');
      } else if (row.id === actor.id) {
        throw new ApiError('conflict', 'You cannot remove yourself.');
      }
      await this.accounts.remove(manager, row.id);
      await this.audit.record(manager, actor.id, 'operator.deleted', row.id, { email: row.email, role: row.role });
    });
  }

  private async find(manager: EntityManager, id: string): Promise<OperatorRow> {
    const row = await this.accounts.find(manager, id);
    if (!row) {
      throw ApiError.notFound('The operator');
    }
    return row;
  }

  /** Inside the write's transaction, so two admins demoting each other cannot both succeed. */
  private async keepAnAdmin(
    manager: EntityManager,
    actor: OperatorActor,
    admin: OperatorRow,
    change: 'demote' | 'remove',
  ): Promise<void> {
    if ((await this.accounts.count(manager, 'admin')) <= 1) {
      throw new ApiError('conflict', `The last admin cannot be ${change === 'demote' ? 'demoted' : 'removed'}.`);
    }
    if (admin.id === actor.id) {
      throw new ApiError('conflict', `You cannot ${change} yourself.`);
    }
  }
}
