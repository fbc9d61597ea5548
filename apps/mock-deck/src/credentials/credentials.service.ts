import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';

import type { CredentialStatus, DeckCredential, DeckList } from '@app/deck';

import { SandboxClock } from '../scheduler/clock';
import { DeckError } from '../common/deck-error';
import { IdGenerator } from '../common/ids';
import { paginate } from '../common/pagination';
import { Transactor } from '@app/sqlite';
import { Scheduler } from '../scheduler/scheduler.service';
import { EventsService } from '../events/events.service';
import { SourcesService } from '../sources/sources.service';
import { Credential } from './credential.entity';
import { CreateCredentialDto } from './dto/create-credential.dto';
import { ListCredentialsQueryDto } from './dto/list-credentials-query.dto';
import { UpdateCredentialDto } from './dto/update-credential.dto';
import { hashPassword } from './password-hash';

/** The credential as Deck returns it: a summary of the login, never the password. */
export function toDeckCredential(credential: Credential): DeckCredential {
  const summary: DeckCredential['auth_credentials'] = {};
  if (credential.username !== null) {
    summary.username = credential.username;
  }
  if (credential.source_fields && Object.keys(credential.source_fields).length > 0) {
    summary.source_fields = credential.source_fields;
  }
  return {
    id: credential.id,
    object: 'credential',
    status: credential.status,
    external_id: credential.external_id,
    source_id: credential.source_id,
    auth_method: credential.auth_method,
    auth_credentials: summary,
    created_at: credential.created_at,
    updated_at: credential.updated_at,
  };
}

const STATUS_EVENT = {
  unverified: 'credential.unverified',
  verified: 'credential.verified',
  invalid: 'credential.invalid',
  deleted: 'credential.deleted',
} as const satisfies Record<CredentialStatus, string>;

@Injectable()
export class CredentialsService {
  constructor(
    @InjectRepository(Credential) private readonly credentials: Repository<Credential>,
    private readonly sources: SourcesService,
    private readonly transactor: Transactor,
    private readonly events: EventsService,
    private readonly clock: SandboxClock,
    private readonly ids: IdGenerator,
    private readonly scheduler: Scheduler,
  ) {}

  async create(orgId: string, dto: CreateCredentialDto): Promise<DeckCredential> {
    const authMethod = dto.auth_method ?? 'none';
    const login = dto.auth_credentials ?? {};
    if (authMethod === 'username_password') {
      this.requireLogin(login.username, login.password);
    }
    // Hashing is slow on purpose; do it before taking the write queue.
    const passwordHash = login.password === undefined ? null : await hashPassword(login.password);
    return this.transactor.run(async (manager) => {
      await this.sources.find(manager, orgId, dto.source_id, 'source_id');
      const now = this.clock.now().toISOString();
      const credential = manager.create(Credential, {
        id: this.ids.newId('credential'),
        org_id: orgId,
        status: 'unverified',
        external_id: dto.external_id ?? null,
        source_id: dto.source_id,
        auth_method: authMethod,
        username: login.username ?? null,
        password_hash: passwordHash,
        source_fields: login.source_fields ?? null,
        created_at: now,
        updated_at: now,
      });
      await manager.save(credential);
      const view = toDeckCredential(credential);
      await this.events.record(manager, orgId, 'credential.created', credential.id, { ...view });
      return view;
    });
  }

  async list(orgId: string, query: ListCredentialsQueryDto): Promise<DeckList<DeckCredential>> {
    const qb = this.credentials.createQueryBuilder('c').where('c.org_id = :orgId', { orgId });
    if (query.source_id?.length) {
      qb.andWhere('c.source_id IN (:...sourceIds)', { sourceIds: query.source_id });
    }
    if (query.status?.length) {
      qb.andWhere('c.status IN (:...statuses)', { statuses: query.status });
    }
    if (query.external_id !== undefined) {
      qb.andWhere('c.external_id = :externalId', { externalId: query.external_id });
    }
    const page = await paginate(qb, query, ['credentials', query.source_id, query.status, query.external_id]);
    return { ...page, data: page.data.map(toDeckCredential) };
  }

  async get(orgId: string, id: string): Promise<DeckCredential> {
    return toDeckCredential(await this.find(this.credentials.manager, orgId, id));
  }

  async update(orgId: string, id: string, dto: UpdateCredentialDto): Promise<DeckCredential> {
    const login = dto.auth_credentials;
    const passwordHash = login?.password === undefined ? undefined : await hashPassword(login.password);
    return this.transactor.run(async (manager) => {
      const credential = await this.find(manager, orgId, id);
      if (credential.status === 'deleted') {
        throw DeckError.invalidState('A deleted credential cannot be updated; create a new one.');
      }
      if (dto.external_id !== undefined) {
        credential.external_id = dto.external_id;
      }
      if (login !== undefined) {
        credential.username = login.username ?? credential.username;
        credential.password_hash = passwordHash ?? credential.password_hash;
        credential.source_fields = login.source_fields ?? credential.source_fields;
        if (credential.auth_method === 'username_password') {
          this.requireLogin(credential.username ?? undefined, credential.password_hash ?? undefined);
        }
      }
      credential.updated_at = this.clock.now().toISOString();
      // New login details must be proven again.
      const revert = login !== undefined && credential.status !== 'unverified';
      if (login !== undefined) {
        // New login details replace whatever breakage was planned for the old ones.
        credential.scheduled_status = null;
        credential.scheduled_status_at = null;
      }
      if (revert) {
        credential.status = 'unverified';
      }
      await manager.save(credential);
      const view = toDeckCredential(credential);
      if (revert) {
        await this.events.record(manager, orgId, 'credential.unverified', credential.id, { ...view });
      }
      return view;
    });
  }

  remove(orgId: string, id: string): Promise<DeckCredential> {
    return this.transactor.run(async (manager) => {
      const credential = await this.find(manager, orgId, id);
      if (credential.status === 'deleted') {
        throw DeckError.invalidState('The credential is already deleted.');
      }
      return this.setStatus(manager, credential, 'deleted');
    });
  }

  async find(manager: EntityManager, orgId: string, id: string, field?: string): Promise<Credential> {
    const credential = await manager.findOneBy(Credential, { org_id: orgId, id });
    if (!credential) {
      throw DeckError.notFound('credential_not_found', 'credential', id, field);
    }
    return credential;
  }

  /** Plans a status change at a sandbox time; the credential schedule makes it when it falls due. */
  async scheduleStatus(
    manager: EntityManager,
    credentialId: string,
    status: CredentialStatus,
    atMs: number,
  ): Promise<void> {
    await manager.update(Credential, { id: credentialId }, { scheduled_status: status, scheduled_status_at: atMs });
    this.scheduler.wake();
  }

  /** Moves a credential to a new status with its event; a no-op when it is already there. */
  async setStatus(manager: EntityManager, credential: Credential, status: CredentialStatus): Promise<DeckCredential> {
    if (credential.status !== status) {
      credential.status = status;
      credential.updated_at = this.clock.now().toISOString();
      await manager.save(credential);
      await this.events.record(manager, credential.org_id, STATUS_EVENT[status], credential.id, {
        ...toDeckCredential(credential),
      });
    }
    return toDeckCredential(credential);
  }

  private requireLogin(username: string | undefined, password: string | undefined): void {
    const problems = [
      ...(username === undefined ? [{ field: 'auth_credentials.username' }] : []),
      ...(password === undefined ? [{ field: 'auth_credentials.password' }] : []),
    ];
    if (problems.length > 0) {
      throw new DeckError(
        problems.map(({ field }) => ({
          code: 'input_missing' as const,
          field,
          message: `\`${field}\` is required when \`auth_method\` is \`username_password\`.`,
        })),
      );
    }
  }
}
