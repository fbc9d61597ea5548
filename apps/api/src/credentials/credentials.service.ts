import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';

import type { CredentialView, TaskRunView } from '@app/contracts';
import type { DeckCredential } from '@app/deck';
import { Reader, Transactor } from '@app/sqlite';

import { AuditService } from '../audit/audit.service';
import { Actor, actorLabel } from '../auth/request-actor';
import { ApiError } from '../common/api-error';
import { DeckClient } from '../deck/deck-client.service';
import { DeckIntents } from '../deck/deck-intents';
import { LivePublisher } from '../changes/live-publisher';
import type { CredentialRow } from '../mirror/credential.entity';
import { MirrorRecords } from '../mirror/mirror-records';
import { MirrorService } from '../mirror/mirror.service';
import { toCredentialView, toTaskRunView } from '../mirror/views';
import { SourcesService } from '../sources/sources.service';
import { CredentialQueriesService } from './credential-queries.service';
import { CreateCredentialDto } from './dto/create-credential.dto';
import { UpdateCredentialDto } from './dto/update-credential.dto';
import { VerifyTask } from './verify-task';

/** What a client may send as its Idempotency-Key: visible ASCII, like Deck's own (≤ 255). */
const CLIENT_KEY = /^[\x21-\x7e]{1,255}$/;

export interface CreatedCredential {
  credential: CredentialView;
  /** The answer to an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

interface CreateOutcome extends CreatedCredential {
  /** Deck's copy, for comparing a repeat with the first request. */
  deck: DeckCredential;
}

/** Deck said no to the request itself: nothing happened there, so the intent is not worth keeping. */
function isRefusal(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    (error.code === 'deck_rejected' || error.code === 'not_found' || error.code === 'validation_failed')
  );
}

function invalid(field: string, message: string): ApiError {
  return new ApiError('validation_failed', 'The request is not valid.', [{ field, message }]);
}

/**
 * The credential flow. The password passes through: from the request body
 * into Deck's request body, and nowhere else (no row, no log, no error, no
 * answer). Each Deck write is recorded as an intent with its idempotency key
 * first, made outside any transaction, and its answer then recorded in the
 * mirror, the intent and the audit log in one transaction, after which the
 * change is published live.
 */
@Injectable()
export class CredentialsService {
  /** Requests under way per client Idempotency-Key: a double-click waits for the first and gets its answer. */
  private readonly inFlight = new Map<string, Promise<CreateOutcome>>();

  constructor(
    private readonly deck: DeckClient,
    private readonly mirror: MirrorService,
    private readonly records: MirrorRecords,
    private readonly publisher: LivePublisher,
    private readonly transactor: Transactor,
    private readonly reader: Reader,
    private readonly audit: AuditService,
    private readonly intents: DeckIntents,
    private readonly queries: CredentialQueriesService,
    private readonly verifyTask: VerifyTask,
    private readonly sources: SourcesService,
  ) {}

  async create(actor: Actor, dto: CreateCredentialDto, clientKey?: string): Promise<CreatedCredential> {
    const externalId = this.externalIdFor(actor, dto);
    if (clientKey !== undefined && !CLIENT_KEY.test(clientKey)) {
      throw invalid('Idempotency-Key', 'Idempotency-Key must be 1–255 visible ASCII characters');
    }
    if (!(await this.sources.exists(dto.source_id))) {
      throw invalid('source_id', 'source_id is not a Deck source');
    }
    if (clientKey === undefined) {
      const { credential } = await this.createOnce(actor, dto, externalId, `cred-create:${randomUUID()}`);
      return { credential, replayed: false };
    }
    // Scoped to the caller, hashed to fit the column (and so the raw header is not kept).
    const key = `client:${createHash('sha256')
      .update(`${actorLabel(actor)}\n${clientKey}`)
      .digest('hex')}`;
    let work = this.inFlight.get(key);
    const first = work === undefined;
    if (!work) {
      work = this.createOnce(actor, dto, externalId, key).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, work);
    }
    const outcome = await work;
    const replayed = outcome.replayed || !first;
    if (replayed) {
      this.assertSameRequest(outcome.deck, dto, externalId);
    }
    return { credential: outcome.credential, replayed };
  }

  async update(actor: Actor, id: string, dto: UpdateCredentialDto): Promise<CredentialView> {
    const login = {
      ...(dto.email !== undefined || dto.username !== undefined ? { username: dto.email ?? dto.username } : {}),
      ...(dto.password !== undefined ? { password: dto.password } : {}),
      ...(dto.source_fields !== undefined ? { source_fields: dto.source_fields } : {}),
    };
    if (Object.keys(login).length === 0) {
      throw invalid('(body)', 'give at least one of email, username, password, source_fields');
    }
    const row = await this.usable(actor, id, 'updated');
    const key = `cred-update:${randomUUID()}`;
    await this.intents.begin('credential.update', key);
    const answer = await this.callDeck(key, () =>
      this.deck.updateCredential(row.deck_id, { auth_credentials: login }, { idempotencyKey: key }),
    );
    // Field names only: which parts of the login changed, never their values.
    return this.recordCredential(actor, key, answer, 'credential.updated', { fields: Object.keys(login) });
  }

  async remove(actor: Actor, id: string): Promise<CredentialView> {
    const row = await this.usable(actor, id, 'deleted');
    const key = `cred-delete:${randomUUID()}`;
    await this.intents.begin('credential.delete', key);
    const answer = await this.callDeck(key, () => this.deck.deleteCredential(row.deck_id, { idempotencyKey: key }));
    return this.recordCredential(actor, key, answer, 'credential.deleted', {});
  }

  /** Starts the verification task for the credential; the run's progress arrives by webhook. */
  async verify(actor: Actor, id: string): Promise<TaskRunView> {
    const row = await this.usable(actor, id, 'verified');
    const taskId = await this.verifyTask.id();
    const key = `cred-verify:${randomUUID()}`;
    await this.intents.begin('task.run', key);
    const run = await this.callDeck(key, async () => {
      try {
        return await this.deck.runTask(taskId, { credential_id: row.deck_id }, { idempotencyKey: key });
      } catch (error: unknown) {
        if (error instanceof ApiError && error.code === 'not_found') {
          this.verifyTask.forget();
        }
        throw error;
      }
    });
    const { view, changes } = await this.transactor.run(async (manager) => {
      const applied = await this.mirror.recordTaskRun(manager, run);
      const saved = await this.records.runByDeckId(manager, run.id);
      await this.intents.complete(manager, key, run.id);
      await this.audit.record(manager, actorLabel(actor), 'credential.verify', row.id, {
        deck_id: row.deck_id,
        task_id: taskId,
        task_run_id: run.id,
      });
      return { view: toTaskRunView(saved), changes: applied.changes };
    });
    this.publisher.publish(changes);
    return view;
  }

  /** Operators name the end user; a link already names them, and may pin the source. */
  private externalIdFor(actor: Actor, dto: CreateCredentialDto): string {
    if (actor.kind === 'operator') {
      if (dto.external_id === undefined) {
        throw invalid('external_id', 'external_id is required: name the end user this login belongs to');
      }
      return dto.external_id;
    }
    if (dto.external_id !== undefined) {
      throw invalid('external_id', 'external_id comes from the connect link; leave it out');
    }
    if (actor.sourceId !== null && dto.source_id !== actor.sourceId) {
      throw new ApiError('forbidden', 'This connect link is for another source.');
    }
    return actor.externalId;
  }

  private async createOnce(
    actor: Actor,
    dto: CreateCredentialDto,
    externalId: string,
    key: string,
  ): Promise<CreateOutcome> {
    const intent = await this.intents.begin('credential.create', key);
    if (intent.completed_at && intent.result_id) {
      const done = await this.reader.read((manager) =>
        this.queries.visible(manager, actor, intent.result_id ?? '').catch(() => null),
      );
      if (done) {
        // Deck's copy has the unmasked username and source fields to compare the repeat with.
        return {
          credential: toCredentialView(done),
          deck: await this.deck.getCredential(done.deck_id),
          replayed: true,
        };
      }
    }
    // A key seen before but never completed (a crash, or a refusal) is sent again: Deck replays or redoes it.
    const answer = await this.callDeck(key, () =>
      this.deck.createCredential(
        {
          source_id: dto.source_id,
          auth_method: 'username_password',
          auth_credentials: {
            username: dto.email ?? dto.username,
            password: dto.password,
            ...(dto.source_fields !== undefined ? { source_fields: dto.source_fields } : {}),
          },
          external_id: externalId,
        },
        { idempotencyKey: key },
      ),
    );
    const credential = await this.recordCredential(actor, key, answer, 'credential.created', {
      source_id: answer.source_id,
      external_id: answer.external_id,
      via: actor.kind === 'operator' ? 'operator' : 'link',
    });
    return { credential, deck: answer, replayed: false };
  }

  /** A repeat must be the same request (the password aside, which is never kept to compare). */
  private assertSameRequest(deck: DeckCredential, dto: CreateCredentialDto, externalId: string): void {
    const fields = (value: Record<string, string> | undefined) =>
      JSON.stringify(Object.entries(value ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)));
    if (
      deck.source_id !== dto.source_id ||
      deck.external_id !== externalId ||
      deck.auth_credentials.username !== (dto.email ?? dto.username) ||
      fields(deck.auth_credentials.source_fields) !== fields(dto.source_fields)
    ) {
      throw new ApiError('conflict', 'This Idempotency-Key was already used for a different request.');
    }
  }

  /**
   * Calls Deck. When Deck refuses outright nothing happened there (it keeps
   * only successful answers), so the intent is dropped; after a timeout or a
   * 5xx it stays, since Deck may have acted.
   */
  private async callDeck<T>(key: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error: unknown) {
      if (isRefusal(error)) {
        await this.intents.discard(key);
      }
      throw error;
    }
  }

  /** Deck's answer into the mirror, the intent and the audit log together; then published. */
  private async recordCredential(
    actor: Actor,
    key: string,
    answer: DeckCredential,
    action: string,
    detail: Record<string, unknown>,
  ): Promise<CredentialView> {
    const { view, changes } = await this.transactor.run(async (manager: EntityManager) => {
      const applied = await this.mirror.recordCredential(manager, answer);
      const saved = await this.records.credentialByDeckId(manager, answer.id);
      await this.intents.complete(manager, key, answer.id);
      await this.audit.record(manager, actorLabel(actor), action, saved.id, { deck_id: answer.id, ...detail });
      return { view: toCredentialView(saved), changes: applied.changes };
    });
    this.publisher.publish(changes);
    return view;
  }

  /** A credential the actor may act on; a deleted one is refused here rather than sent to Deck. */
  private async usable(actor: Actor, id: string, verb: string): Promise<CredentialRow> {
    const row = await this.reader.read((manager) => this.queries.visible(manager, actor, id));
    if (row.status === 'deleted') {
      throw new ApiError('conflict', `The credential is deleted and cannot be ${verb}.`);
    }
    return row;
  }
}
