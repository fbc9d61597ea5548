import { EntityManager, In, IsNull } from 'typeorm';

import type { DeckEvent } from '@app/deck';

import { CredentialRow } from './credential.entity';
import { InteractionRow } from './interaction.entity';
import { TaskRunRow } from './task-run.entity';

type Row = CredentialRow | TaskRunRow | InteractionRow;

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * The mirror rows one transaction reads, each read once: a batch of events is
 * looked up in a few set-based queries instead of several per event, and every
 * row is one object however it was found, so a change made through one path is
 * what the next path sees (and writes). Valid only inside its transaction;
 * `forget()` after a savepoint is rolled back.
 */
export class MirrorLookups {
  /** One object per row, by table and primary key. */
  private readonly rows = new Map<string, Row>();
  private readonly credentials = new Map<string, CredentialRow | null>();
  private readonly runs = new Map<string, TaskRunRow | null>();
  /** By Deck credential id: runs stored before their credential was known. */
  private readonly orphans = new Map<string, TaskRunRow[]>();
  /** By local run id. */
  private readonly openPrompts = new Map<string, InteractionRow[]>();

  constructor(readonly manager: EntityManager) {}

  /** Reads every row these events may touch, in four queries however many events there are. */
  async load(events: DeckEvent[]): Promise<void> {
    const credentialIds = new Set<string>();
    const runIds = new Set<string>();
    for (const event of events) {
      const data = event.data ?? {};
      if (event.type.startsWith('credential.')) {
        this.add(credentialIds, str(data.id));
      } else if (event.type.startsWith('task_run.')) {
        this.add(runIds, str(data.id));
        this.add(credentialIds, str(data.credential_id));
      }
    }
    if (runIds.size > 0) {
      const found = await this.manager.find(TaskRunRow, { where: { deck_id: In([...runIds]) } });
      this.fill(
        this.runs,
        runIds,
        found.map((row) => this.one(row)),
      );
    }
    if (credentialIds.size > 0) {
      const found = await this.manager.find(CredentialRow, { where: { deck_id: In([...credentialIds]) } });
      this.fill(
        this.credentials,
        credentialIds,
        found.map((row) => this.one(row)),
      );
      const orphans = await this.manager.find(TaskRunRow, {
        where: { deck_credential_id: In([...credentialIds]), credential_id: IsNull() },
        order: { last_event_at: 'ASC' },
      });
      for (const id of credentialIds) {
        this.orphans.set(id, []);
      }
      for (const run of orphans) {
        this.orphans.get(run.deck_credential_id as string)?.push(this.one(run));
      }
    }
    const loadedRuns = [...this.runs.values()].filter((run): run is TaskRunRow => run !== null);
    if (loadedRuns.length > 0) {
      const open = await this.manager.find(InteractionRow, {
        where: { task_run_id: In(loadedRuns.map((run) => run.id)), state: 'open' },
      });
      for (const run of loadedRuns) {
        this.openPrompts.set(run.id, []);
      }
      for (const prompt of open) {
        this.openPrompts.get(prompt.task_run_id)?.push(this.one(prompt));
      }
    }
  }

  async credential(deckId: string): Promise<CredentialRow | null> {
    if (!this.credentials.has(deckId)) {
      const row = await this.manager.findOneBy(CredentialRow, { deck_id: deckId });
      this.credentials.set(deckId, row && this.one(row));
    }
    return this.credentials.get(deckId) ?? null;
  }

  async run(deckId: string): Promise<TaskRunRow | null> {
    if (!this.runs.has(deckId)) {
      const row = await this.manager.findOneBy(TaskRunRow, { deck_id: deckId });
      this.runs.set(deckId, row && this.one(row));
    }
    return this.runs.get(deckId) ?? null;
  }

  /** Runs naming this Deck credential that were stored without it, oldest event first. */
  async orphansOf(deckCredentialId: string): Promise<TaskRunRow[]> {
    if (!this.orphans.has(deckCredentialId)) {
      const rows = await this.manager.find(TaskRunRow, {
        where: { deck_credential_id: deckCredentialId, credential_id: IsNull() },
        order: { last_event_at: 'ASC' },
      });
      this.orphans.set(
        deckCredentialId,
        rows.map((row) => this.one(row)),
      );
    }
    return [...(this.orphans.get(deckCredentialId) ?? [])];
  }

  async openPromptsOf(run: TaskRunRow): Promise<InteractionRow[]> {
    if (!this.openPrompts.has(run.id)) {
      const rows = await this.manager.findBy(InteractionRow, { task_run_id: run.id, state: 'open' });
      this.openPrompts.set(
        run.id,
        rows.map((row) => this.one(row)),
      );
    }
    return [...(this.openPrompts.get(run.id) ?? [])];
  }

  /** The one object for a row read by some other query. */
  one<T extends Row>(row: T): T {
    const key = `${row.constructor.name}:${row.id}`;
    const known = this.rows.get(key) as T | undefined;
    if (known) {
      return known;
    }
    this.rows.set(key, row);
    return row;
  }

  /** A row just inserted; later look-ups find it without a query. */
  created(row: Row): void {
    this.one(row);
    if (row instanceof CredentialRow) {
      this.credentials.set(row.deck_id, row);
    } else if (row instanceof TaskRunRow) {
      this.runs.set(row.deck_id, row);
      this.openPrompts.set(row.id, []);
      if (row.credential_id === null && row.deck_credential_id !== null) {
        this.orphans.get(row.deck_credential_id)?.push(row);
      }
    } else {
      this.promptMoved(row);
    }
  }

  /** A run now linked to its credential is no longer an orphan. */
  attached(run: TaskRunRow, deckCredentialId: string | null): void {
    if (deckCredentialId === null) {
      return;
    }
    const list = this.orphans.get(deckCredentialId) ?? [];
    const at = list.indexOf(run);
    if (at >= 0) {
      list.splice(at, 1);
    }
  }

  /** A prompt opened or closed: keeps the open list of its run true. */
  promptMoved(prompt: InteractionRow): void {
    const list = this.openPrompts.get(prompt.task_run_id);
    if (!list) {
      return;
    }
    const at = list.indexOf(prompt);
    if (prompt.state === 'open' && at < 0) {
      list.push(prompt);
    } else if (prompt.state !== 'open' && at >= 0) {
      list.splice(at, 1);
    }
  }

  /** After a rollback: what was read may no longer be what the database holds. */
  forget(): void {
    this.rows.clear();
    this.credentials.clear();
    this.runs.clear();
    this.orphans.clear();
    this.openPrompts.clear();
  }

  private add(ids: Set<string>, id: string | null): void {
    if (id !== null) {
      ids.add(id);
    }
  }

  private fill<T extends { deck_id: string }>(map: Map<string, T | null>, ids: Set<string>, found: T[]): void {
    for (const id of ids) {
      map.set(id, null);
    }
    for (const row of found) {
      map.set(row.deck_id, row);
    }
  }
}
