import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { EntityManager, Not, Repository } from 'typeorm';

import type { OperatorView } from '@app/contracts';
import { Transactor } from '@app/sqlite';

import { AuditService } from '../audit/audit.service';
import { toOperatorView } from '../auth/auth.service';
import { OperatorSessionRow } from '../auth/operator-session.entity';
import { OperatorRow } from '../auth/operator.entity';
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
    @InjectRepository(OperatorRow) private readonly operators: Repository<OperatorRow>,
    private readonly transactor: Transactor,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  list(): Promise<OperatorView[]> {
    return this.transactor.exclusive(async () =>
      (await this.operators.find({ order: { created_at: 'ASC', email: 'ASC' } })).map(toOperatorView),
    );
  }

  async create(actor: OperatorActor, dto: CreateOperatorDto): Promise<OperatorView> {
    const email = dto.email.toLowerCase();
    // Hashing is slow on purpose, so it happens before the write queue is held.
    const passwordHash = await hashPassword(dto.password);
    return this.transactor.run(async (manager) => {
      if (await manager.existsBy(OperatorRow, { email })) {
        throw new ApiError('conflict', 'An operator with this e-mail already exists.');
      }
      const row = await manager.save(
        manager.create(OperatorRow, {
          id: randomUUID(),
          email,
          password_hash: passwordHash,
          role: dto.role,
          created_at: this.clock.iso(),
        }),
      );
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
        await manager.delete(OperatorSessionRow, { operator_id: row.id, token_hash: Not(actor.sessionHash) });
      }
      await manager.save(row);
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
      await manager.delete(OperatorSessionRow, { operator_id: row.id });
      await manager.delete(OperatorRow, { id: row.id });
      await this.audit.record(manager, actor.id, 'operator.deleted', row.id, { email: row.email, role: row.role });
    });
  }

  private async find(manager: EntityManager, id: string): Promise<OperatorRow> {
    const row = await manager.findOneBy(OperatorRow, { id });
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
    if ((await manager.countBy(OperatorRow, { role: 'admin' })) <= 1) {
      throw new ApiError('conflict', `The last admin cannot be ${change === 'demote' ? 'demoted' : 'removed'}.`);
    }
    if (admin.id === actor.id) {
      throw new ApiError('conflict', `You cannot ${change} yourself.`);
    }
  }
}
