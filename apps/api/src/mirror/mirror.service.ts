import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager, IsNull } from 'typeorm';

import type { LiveChange } from '@app/contracts';
import {
  CredentialStatus,
  DeckCredential,
  DeckEvent,
  DeckInteraction,
  DeckTaskRun,
  EVENT_TYPES,
  TERMINAL_TASK_RUN_STATUSES,
  TaskRunStatus,
} from '@app/deck';

import { ChangeDraft, ChangeLog } from '../changes/change-log';
import { Clock } from '../common/clock';
import { CredentialRow } from './credential.entity';
import { InteractionRow } from './interaction.entity';
import { TaskRunRow } from './task-run.entity';
import { MirrorLookups } from './mirror-lookups';
import { maskUsername, toCredentialView, toInteractionView, toTaskRunView } from './views';

export interface Applied {
  outcome: 'applied' | 'stale' | 'held';
  note: string | null;
  /** Committed with the caller's transaction; publish them after it commits. */
  changes: LiveChange[];
}

/** Mirror rows Deck may still move on (see MirrorService.openObjects). */
export interface OpenObjects {
  credentials: Pick<CredentialRow, 'deck_id' | 'status'>[];
  runs: Pick<TaskRunRow, 'deck_id' | 'status'>[];
}

/** When two events carry the same time, the later state in the lifecycle wins. */
const CREDENTIAL_RANK: Record<CredentialStatus, number> = { unverified: 0, verified: 1, invalid: 1, deleted: 2 };
const RUN_RANK: Record<TaskRunStatus, number> = {
  queued: 0,
  running: 1,
  interaction_required: 1,
  review_required: 2,
  canceling: 2,
  cancelling: 2,
  completed: 3,
  failed: 3,
  canceled: 3,
};

type Data = Record<string, unknown>;

/** One projection call: its transaction, the rows it reads, and the changes it appends (numbered when it ends). */
interface Pass {
  manager: EntityManager;
  lookups: MirrorLookups;
  drafts: ChangeDraft[];
}

/** What a rule decided; the changes it made are in its pass. */
type Verdict = Omit<Applied, 'changes'>;
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * Marks a prompt opened from Deck's object rather than an event (followed by the
 * run and the time of that state): the event announcing the same prompt adopts it.
 */
const RECORDED = 'run:';

/** A view as users see it move: `updated_at` alone changing is not news. */
const sameView = <T extends { updated_at: string }>(a: T, b: T): boolean =>
  JSON.stringify({ ...a, updated_at: null }) === JSON.stringify({ ...b, updated_at: null });

/** Deck spells the cancelling status two ways; the mirror keeps one. */
function normaliseStatus(status: string): TaskRunStatus {
  return (status === 'canceling' ? 'cancelling' : status) as TaskRunStatus;
}

function isInteraction(value: unknown): value is DeckInteraction {
  const candidate = value as Partial<DeckInteraction> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.type === 'string' &&
    typeof candidate.message === 'string' &&
    Array.isArray(candidate.fields) &&
    candidate.fields.every((f) => typeof f?.name === 'string' && typeof f.label === 'string')
  );
}

/**
 * The projection of Deck's events onto the local mirror. Events come late,
 * twice and out of order: a row never moves back to an older state (ordered by
 * the event's `created_at`, ties broken by lifecycle rank), terminal run states
 * and `deleted` credentials never revert. Every change appends a numbered row
 * to the change log in the caller's transaction.
 */
@Injectable()
export class MirrorService {
  constructor(
    private readonly clock: Clock,
    private readonly changeLog: ChangeLog,
  ) {}

  /** `lookups` lets a batch of events share their reads (see MirrorLookups). */
  applyEvent(manager: EntityManager, event: DeckEvent, lookups = new MirrorLookups(manager)): Promise<Applied> {
    const type: string = event.type;
    const data = (event.data ?? {}) as Data;
    return this.pass(manager, lookups, async (pass) => {
      if (!(EVENT_TYPES as readonly string[]).includes(type)) {
        return { outcome: 'held', note: `unknown event type ${type}` };
      }
      if (type.startsWith('credential.')) {
        const status = type.slice('credential.'.length) as CredentialStatus;
        return this.applyCredential(
          pass,
          { ...data, status: type === 'credential.created' ? (data.status ?? 'unverified') : status },
          event.created_at,
        );
      }
      if (type.startsWith('task_run.')) {
        return this.applyTaskRun(
          pass,
          event.id,
          normaliseStatus(type.slice('task_run.'.length)),
          data,
          event.created_at,
        );
      }
      return { outcome: 'applied', note: 'not mirrored' };
    });
  }

  /** A credential Deck just answered with (our own create or update): same rules as its events. */
  recordCredential(manager: EntityManager, credential: DeckCredential): Promise<Applied> {
    return this.pass(manager, new MirrorLookups(manager), (pass) =>
      this.applyCredential(pass, { ...credential }, credential.updated_at),
    );
  }

  /** A run Deck just answered with (our own verify): same rules as its events. */
  recordTaskRun(manager: EntityManager, run: DeckTaskRun): Promise<Applied> {
    return this.pass(manager, new MirrorLookups(manager), (pass) =>
      this.applyTaskRun(
        pass,
        `${RECORDED}${run.id}@${Date.parse(run.updated_at)}`,
        normaliseStatus(run.status),
        { ...run },
        run.updated_at,
      ),
    );
  }

  /**
   * What Deck may still change and an event may have been lost for: credentials
   * not yet verified or refused, runs not finished, runs with a prompt open;
   * least recently updated first.
   */
  async openObjects(manager: EntityManager, limit: number): Promise<OpenObjects> {
    const credentials = await manager.find(CredentialRow, {
      select: { deck_id: true, status: true },
      where: { status: 'unverified' },
      order: { updated_at: 'ASC' },
      take: limit,
    });
    const runs = await manager
      .createQueryBuilder(TaskRunRow, 'run')
      .select(['run.deck_id', 'run.status'])
      .where('run.status NOT IN (:...terminal)', { terminal: TERMINAL_TASK_RUN_STATUSES })
      .orWhere(`EXISTS (SELECT 1 FROM interactions prompt WHERE prompt.task_run_id = run.id AND prompt.state = 'open')`)
      .orderBy('run.updated_at', 'ASC')
      .take(limit)
      .getMany();
    return { credentials, runs };
  }

  /** Someone answered a prompt through us: who, kept for the queue and the audit log. */
  async markAnswered(manager: EntityManager, interaction: InteractionRow, answeredBy: string): Promise<LiveChange> {
    interaction.state = 'answered';
    interaction.answered_by = answeredBy;
    interaction.closed_at = this.clock.iso();
    const { changes } = await this.pass(manager, new MirrorLookups(manager), async (pass) => {
      await this.savePrompt(pass, interaction);
      return { outcome: 'applied', note: null };
    });
    return changes[0];
  }

  /** Runs `rule`, then numbers the changes it made in one insert. */
  private async pass(
    manager: EntityManager,
    lookups: MirrorLookups,
    rule: (pass: Pass) => Promise<Verdict>,
  ): Promise<Applied> {
    const pass: Pass = { manager, lookups, drafts: [] };
    const verdict = await rule(pass);
    return { ...verdict, changes: await this.changeLog.append(manager, pass.drafts) };
  }

  private async applyCredential(pass: Pass, data: Data, at: string): Promise<Verdict> {
    const deckId = str(data.id);
    const status = str(data.status) as CredentialStatus | null;
    if (!deckId || !status || !(status in CREDENTIAL_RANK)) {
      return { outcome: 'held', note: 'credential event without id or status' };
    }
    const now = this.clock.iso();
    let row = await pass.lookups.credential(deckId);
    const isNew = row === null;
    if (!row) {
      const sourceId = str(data.source_id);
      if (!sourceId) {
        return { outcome: 'held', note: `unknown credential ${deckId} and no source in the event` };
      }
      row = pass.manager.create(CredentialRow, {
        id: randomUUID(),
        deck_id: deckId,
        source_id: sourceId,
        external_id: null,
        auth_method: (str(data.auth_method) ?? 'none') as CredentialRow['auth_method'],
        username_hint: null,
        status,
        last_error: null,
        last_event_at: null,
        status_changed_at: at,
        created_at: now,
        updated_at: now,
      });
    } else if (
      this.isStale(row.last_event_at, at, CREDENTIAL_RANK[row.status], CREDENTIAL_RANK[status]) ||
      (row.status === 'deleted' && status !== 'deleted')
    ) {
      // Too old to change the credential, but it still names it: runs seen before it are linked now.
      await this.linkOrphanRuns(pass, row);
      return { outcome: 'stale', note: `credential is ${row.status} as of ${row.last_event_at}` };
    }
    const before = row.last_event_at === null ? null : toCredentialView(row);
    if (row.status !== status) {
      row.status_changed_at = at;
    }
    row.status = status;
    if (status === 'verified' || status === 'unverified') {
      row.last_error = null;
    }
    if ('external_id' in data) {
      row.external_id = str(data.external_id);
    }
    const login = data.auth_credentials as { username?: unknown } | undefined;
    if (login && typeof login.username === 'string') {
      row.username_hint = maskUsername(login.username);
    }
    row.last_event_at = at;
    if (isNew) {
      await pass.manager.insert(CredentialRow, row);
      pass.lookups.created(row);
    }
    const published = pass.drafts.length;
    await this.linkOrphanRuns(pass, row, false);
    const moved = before === null || !sameView(before, toCredentialView(row));
    row.updated_at = moved ? now : row.updated_at;
    if (!isNew) {
      await pass.manager.update(CredentialRow, { id: row.id }, row);
    }
    if (moved) {
      // Published ahead of the runs it just linked, as a reader expects the credential first.
      pass.drafts.splice(published, 0, credentialChange(row));
    }
    return { outcome: 'applied', note: null };
  }

  /**
   * Runs whose events came before any event of their credential were stored
   * without it; link them (and their prompts) to it. A failed run's error
   * becomes the credential's last error unless Deck has verified it since.
   * With `save` (the default), a changed credential is saved and published here.
   */
  private async linkOrphanRuns(pass: Pass, credential: CredentialRow, save = true): Promise<void> {
    const lastErrorBefore = credential.last_error;
    for (const run of await pass.lookups.orphansOf(credential.deck_id)) {
      await this.attach(pass, run, credential);
      if (credential.status !== 'verified' && run.status === 'failed') {
        credential.last_error = run.errors[0] ?? null;
      } else if (run.status === 'completed' && run.result === 'success') {
        credential.last_error = null;
      }
    }
    if (save && credential.last_error !== lastErrorBefore) {
      credential.updated_at = this.clock.iso();
      await pass.manager.update(CredentialRow, { id: credential.id }, credential);
      pass.drafts.push(credentialChange(credential));
    }
  }

  /** Links one run and its prompts to their credential, publishing both. */
  private async attach(pass: Pass, run: TaskRunRow, credential: CredentialRow): Promise<void> {
    const namedBefore = run.deck_credential_id;
    run.credential_id = credential.id;
    run.deck_credential_id = credential.deck_id;
    await pass.manager.update(TaskRunRow, { id: run.id }, run);
    pass.lookups.attached(run, namedBefore);
    pass.drafts.push({ kind: 'task_run', credential_id: credential.id, task_run: toTaskRunView(run) });
    const prompts = await pass.manager.findBy(InteractionRow, { task_run_id: run.id, credential_id: IsNull() });
    for (const prompt of prompts.map((row) => pass.lookups.one(row))) {
      prompt.credential_id = credential.id;
      await this.savePrompt(pass, prompt);
    }
  }

  private async applyTaskRun(
    pass: Pass,
    eventId: string,
    status: TaskRunStatus,
    data: Data,
    at: string,
  ): Promise<Verdict> {
    const deckId = str(data.id);
    if (!deckId || !(status in RUN_RANK)) {
      return { outcome: 'held', note: 'task run event without id or known status' };
    }
    const now = this.clock.iso();
    const credentialDeckId = str(data.credential_id);
    const credential = credentialDeckId ? await pass.lookups.credential(credentialDeckId) : null;
    let run = await pass.lookups.run(deckId);
    const isNew = run === null;
    if (!run) {
      const taskId = str(data.task_id);
      if (!taskId) {
        return { outcome: 'held', note: `unknown run ${deckId} and no task in the event` };
      }
      run = pass.manager.create(TaskRunRow, {
        id: randomUUID(),
        deck_id: deckId,
        credential_id: credential?.id ?? null,
        deck_credential_id: credentialDeckId,
        task_id: taskId,
        status,
        result: null,
        errors: [],
        started_at: null,
        finished_at: null,
        last_event_at: null,
        created_at: now,
        updated_at: now,
      });
    } else if (
      this.isStale(run.last_event_at, at, RUN_RANK[run.status], RUN_RANK[status]) ||
      (TERMINAL_TASK_RUN_STATUSES.includes(run.status) && run.status !== status)
    ) {
      // Too old to change the run, but it may name the credential the run was stored without.
      if (run.credential_id === null && credential) {
        await this.attach(pass, run, credential);
      }
      return { outcome: 'stale', note: `run is ${run.status} as of ${run.last_event_at}` };
    }
    if (run.credential_id === null && credential && !isNew) {
      await this.attach(pass, run, credential);
    }
    const before = run.last_event_at === null ? null : toTaskRunView(run);
    const terminal = TERMINAL_TASK_RUN_STATUSES.includes(status);
    run.status = status;
    run.deck_credential_id = run.deck_credential_id ?? credentialDeckId;
    run.result = str(data.result) ?? (terminal ? run.result : null);
    run.errors = Array.isArray(data.errors) ? (data.errors as TaskRunRow['errors']) : run.errors;
    if (status !== 'queued' && !run.started_at) {
      run.started_at = at;
    }
    run.finished_at = terminal ? at : null;
    run.last_event_at = at;
    // The same state again (our own record, then its event) is saved for ordering but not published twice.
    const moved = before === null || !sameView(before, toTaskRunView(run));
    run.updated_at = moved ? now : run.updated_at;
    if (isNew) {
      await pass.manager.insert(TaskRunRow, run);
      pass.lookups.created(run);
    } else {
      await pass.manager.update(TaskRunRow, { id: run.id }, run);
    }
    if (moved) {
      pass.drafts.push({ kind: 'task_run', credential_id: run.credential_id, task_run: toTaskRunView(run) });
    }
    await this.applyInteraction(pass, eventId, run, status, data, at);
    const lastError = status === 'failed' ? (run.errors[0] ?? null) : null;
    if (
      credential &&
      (status === 'failed' || (status === 'completed' && run.result === 'success')) &&
      JSON.stringify(credential.last_error) !== JSON.stringify(lastError)
    ) {
      credential.last_error = lastError;
      credential.updated_at = now;
      await pass.manager.update(CredentialRow, { id: credential.id }, credential);
      pass.drafts.push(credentialChange(credential));
    }
    return { outcome: 'applied', note: null };
  }

  /** Opens a prompt when a run asks for input; closes the open one when the run moves on. */
  private async applyInteraction(
    pass: Pass,
    eventId: string,
    run: TaskRunRow,
    status: TaskRunStatus,
    data: Data,
    at: string,
  ): Promise<void> {
    const open = await pass.lookups.openPromptsOf(run);
    const close = async (row: InteractionRow, state: InteractionRow['state']): Promise<void> => {
      row.state = state;
      row.closed_at = at;
      await this.savePrompt(pass, row);
    };
    if (status === 'interaction_required') {
      const asked = isInteraction(data.interaction) ? data.interaction : null;
      if (eventId.startsWith(RECORDED)) {
        const newest = await pass.manager.findOne(InteractionRow, {
          where: { task_run_id: run.id },
          order: { opened_at: 'DESC' },
        });
        if (newest && newest.opened_at >= at) {
          // Deck's object shows a question the mirror already has (recorded, its event came first, or answered since).
          return;
        }
      } else {
        if (await pass.manager.existsBy(InteractionRow, { opened_by_event: eventId })) {
          return;
        }
        const recorded = open.length === 1 && open[0].opened_by_event.startsWith(RECORDED) ? open[0] : null;
        if (recorded) {
          // The event announces the prompt already opened from Deck's object: one question, one prompt.
          return this.adopt(pass, recorded, eventId, asked ?? recorded.prompt);
        }
      }
      const prompt = asked ?? {
        type: 'unknown',
        message: 'Deck asked for input; open the run for the prompt.',
        fields: [],
      };
      for (const row of open) {
        await close(row, 'superseded');
      }
      const row = pass.manager.create(InteractionRow, {
        id: randomUUID(),
        task_run_id: run.id,
        credential_id: run.credential_id,
        prompt,
        state: 'open',
        opened_by_event: eventId,
        opened_at: at,
        closed_at: null,
        answered_by: null,
      });
      await pass.manager.insert(InteractionRow, row);
      pass.lookups.created(row);
      pass.drafts.push(promptChange(row));
      return;
    }
    const timedOut = run.errors.some((e) => e.code === 'interaction_timeout');
    for (const row of open) {
      await close(
        row,
        status === 'running' || status === 'completed' ? 'answered' : timedOut ? 'expired' : 'superseded',
      );
    }
  }

  /** Gives a prompt opened from Deck's object the event's id (and its wording, if newer); published only if that shows. */
  private async adopt(pass: Pass, row: InteractionRow, eventId: string, prompt: DeckInteraction): Promise<void> {
    const reworded = JSON.stringify(row.prompt) !== JSON.stringify(prompt);
    row.opened_by_event = eventId;
    row.prompt = prompt;
    await pass.manager.update(InteractionRow, { id: row.id }, row);
    if (reworded) {
      pass.drafts.push(promptChange(row));
    }
  }

  /** Writes a prompt that already exists and publishes it. */
  private async savePrompt(pass: Pass, row: InteractionRow): Promise<void> {
    await pass.manager.update(InteractionRow, { id: row.id }, row);
    pass.lookups.promptMoved(row);
    pass.drafts.push(promptChange(row));
  }

  /** Older than what the row already reflects, or the same instant but earlier in the lifecycle. */
  private isStale(lastAt: string | null, at: string, currentRank: number, newRank: number): boolean {
    if (lastAt === null) {
      return false;
    }
    return at < lastAt || (at === lastAt && newRank < currentRank);
  }
}

const credentialChange = (row: CredentialRow): ChangeDraft => ({
  kind: 'credential',
  credential_id: row.id,
  credential: toCredentialView(row),
});

const promptChange = (row: InteractionRow): ChangeDraft => ({
  kind: 'interaction',
  credential_id: row.credential_id,
  interaction: toInteractionView(row),
});
