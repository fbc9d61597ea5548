import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { LessThan, MoreThan } from 'typeorm';

import type { OperatorView, Role } from '@app/contracts';
import { Reader, Transactor } from '@app/sqlite';

import { AuditService } from '../audit/audit.service';
import { ApiError } from '../common/api-error';
import { Clock } from '../common/clock';
import { apiConfig, ApiConfig } from '../config/api.config';
import { LinkTokenRow } from './link-token.entity';
import type { Actor } from './request-actor';
import { OperatorSessionRow } from './operator-session.entity';
import { OperatorRow } from './operator.entity';
import { hashPassword, verifyPassword } from './password';
import { newToken, SESSION_TTL_MS, tokenHash } from './session-cookie';

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Whether `role` may do what `required` may. */
export function roleAtLeast(role: Role, required: Role): boolean {
  return RANK[role] >= RANK[required];
}

export function toOperatorView(row: OperatorRow): OperatorView {
  return { id: row.id, email: row.email, role: row.role, created_at: row.created_at };
}

/** Operators, their sessions, and the link tokens end users connect with. */
@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly transactor: Transactor,
    private readonly reader: Reader,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(apiConfig.KEY) private readonly config: ApiConfig,
  ) {}

  /** The first operator comes from ADMIN_EMAIL / ADMIN_PASSWORD, once, when there is none. */
  async onApplicationBootstrap(): Promise<void> {
    if ((await this.reader.read((manager) => manager.count(OperatorRow))) > 0) {
      return;
    }
    const { email, password, passwordIsDefault } = this.config.admin;
    await this.transactor.run(async (manager) => {
      await manager.save(
        manager.create(OperatorRow, {
          id: randomUUID(),
          email: email.toLowerCase(),
          password_hash: await hashPassword(password),
          role: 'admin',
          created_at: this.clock.iso(),
        }),
      );
    });
    this.logger.log(`Created the first operator ${email} (admin)`);
    if (passwordIsDefault) {
      this.logger.warn('The first operator has the default password from the README: set ADMIN_PASSWORD, or change it');
    }
  }

  /**
   * The first operator's password for the start-up banner, only while it is
   * still the embedded default: never one the user set (ADMIN_PASSWORD, or a
   * change made since), so the banner cannot leak a real password.
   */
  async defaultAdminPassword(): Promise<string | null> {
    const { email, password, passwordIsDefault } = this.config.admin;
    if (!passwordIsDefault) {
      return null;
    }
    const admin = await this.reader.read((manager) => manager.findOneBy(OperatorRow, { email: email.toLowerCase() }));
    return admin && (await verifyPassword(password, admin.password_hash)) ? password : null;
  }

  /** Checks the password and opens a session; the token goes to a cookie and is stored only hashed. */
  async login(email: string, password: string): Promise<{ operator: OperatorView; token: string }> {
    const operator = await this.reader.read((manager) =>
      manager.findOneBy(OperatorRow, { email: email.toLowerCase() }),
    );
    const ok = await verifyPassword(password, operator?.password_hash ?? null);
    if (!operator || !ok) {
      this.logger.warn('Failed operator login');
      throw new ApiError('unauthenticated', 'Wrong e-mail or password.');
    }
    const token = newToken();
    await this.transactor.run(async (manager) => {
      await manager.delete(OperatorSessionRow, { expires_at: LessThan(this.clock.iso()) });
      await manager.save(
        manager.create(OperatorSessionRow, {
          token_hash: tokenHash(token),
          operator_id: operator.id,
          expires_at: new Date(this.clock.nowMs() + SESSION_TTL_MS).toISOString(),
          created_at: this.clock.iso(),
        }),
      );
      await this.audit.record(manager, operator.id, 'operator.login', operator.id);
    });
    return { operator: toOperatorView(operator), token };
  }

  async logout(sessionHash: string): Promise<void> {
    await this.transactor.run((manager) => manager.delete(OperatorSessionRow, { token_hash: sessionHash }));
  }

  /** The operator behind a session cookie's token, or null when it is unknown or expired. */
  async operatorForSession(token: string): Promise<Extract<Actor, { kind: 'operator' }> | null> {
    const hash = tokenHash(token);
    const now = this.clock.iso();
    const operator = await this.reader.read(async (manager) => {
      const session = await manager.findOneBy(OperatorSessionRow, { token_hash: hash, expires_at: MoreThan(now) });
      return session ? manager.findOneBy(OperatorRow, { id: session.operator_id }) : null;
    });
    return operator
      ? { kind: 'operator', id: operator.id, email: operator.email, role: operator.role, sessionHash: hash }
      : null;
  }

  /** The end user behind a connect link, or null when it is unknown or expired. */
  async endUserForLink(token: string): Promise<Extract<Actor, { kind: 'end_user' }> | null> {
    const hash = tokenHash(token);
    const now = this.clock.iso();
    const link = await this.reader.read((manager) =>
      manager.findOneBy(LinkTokenRow, { token_hash: hash, expires_at: MoreThan(now) }),
    );
    return link ? { kind: 'end_user', externalId: link.external_id, sourceId: link.source_id, linkHash: hash } : null;
  }

  async operatorView(id: string): Promise<OperatorView> {
    const operator = await this.reader.read((manager) => manager.findOneBy(OperatorRow, { id }));
    if (!operator) {
      throw new ApiError('unauthenticated', 'Log in again.');
    }
    return toOperatorView(operator);
  }
}
