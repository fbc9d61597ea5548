import { DataSource, EntityManager } from 'typeorm';

import type { DeckEvent, DeckTaskRun, EventType } from '@app/deck';

import { ChangeLog } from '../changes/change-log';
import { Clock } from '../common/clock';
import { CredentialRow } from './credential.entity';
import { InteractionRow } from './interaction.entity';
import { ChangeRow } from '../changes/change.entity';
import { TaskRunRow } from './task-run.entity';
import { MIGRATIONS } from '../database/migrations';
import { MirrorService } from './mirror.service';

const CRED = 'cred_abc';
const RUN = 'trun_abc';
const MFA = { type: 'mfa', message: 'Code?', fields: [{ name: 'code', type: 'string', label: 'Code' }] };

let seq = 0;
function event(type: EventType, data: Record<string, unknown>, createdAt: string): DeckEvent {
  seq += 1;
  return { id: `evt_${seq}`, object: 'event', type, data, created_at: createdAt };
}
const credentialData = (status: string) => ({
  id: CRED,
  object: 'credential',
  status,
  source_id: 'src_1',
  external_id: 'user-7',
  auth_method: 'username_password',
  auth_credentials: { username: 'mark@example.com' },
});
const runData = (extra: Record<string, unknown> = {}) => ({
  id: RUN,
  object: 'task_run',
  task_id: 'task_1',
  credential_id: CRED,
  ...extra,
});

describe(MirrorService.name, () => {
  let dataSource: DataSource;
  let manager: EntityManager;
  let sut: MirrorService;

  beforeEach(async () => {
    dataSource = new DataSource({
      type: 'sqlite',
      database: ':memory:',
      entities: [CredentialRow, TaskRunRow, InteractionRow, ChangeRow],
      migrations: MIGRATIONS,
      migrationsRun: true,
    });
    await dataSource.initialize();
    manager = dataSource.manager;
    const clock = new Clock();
    sut = new MirrorService(clock, new ChangeLog(clock));
  });

  afterEach(async () => {
    await dataSource.destroy();
  });

  const credential = () => manager.findOneByOrFail(CredentialRow, { deck_id: CRED });
  const run = () => manager.findOneByOrFail(TaskRunRow, { deck_id: RUN });

  it('should create a credential from its first event, masking the username', async () => {
    const applied = await sut.applyEvent(
      manager,
      event('credential.created', credentialData('unverified'), '2026-01-01T00:00:00.000Z'),
    );
    expect(applied.outcome).toBe('applied');
    expect(await credential()).toMatchObject({
      status: 'unverified',
      external_id: 'user-7',
      username_hint: 'ma***@example.com',
    });
    expect(applied.changes).toEqual([expect.objectContaining({ kind: 'credential', seq: 1 })]);
  });

  it('should never move a credential back to an older state, nor out of deleted', async () => {
    await sut.applyEvent(manager, event('credential.verified', credentialData('verified'), '2026-01-01T00:00:02.000Z'));
    const late = await sut.applyEvent(
      manager,
      event('credential.created', credentialData('unverified'), '2026-01-01T00:00:01.000Z'),
    );
    expect(late.outcome).toBe('stale');
    expect((await credential()).status).toBe('verified');
    await sut.applyEvent(manager, event('credential.deleted', credentialData('deleted'), '2026-01-01T00:00:03.000Z'));
    const revived = await sut.applyEvent(
      manager,
      event('credential.verified', credentialData('verified'), '2026-01-01T00:00:09.000Z'),
    );
    expect(revived.outcome).toBe('stale');
    expect((await credential()).status).toBe('deleted');
  });

  it('should keep a completed run completed when a late running event arrives (Deck’s own example)', async () => {
    await sut.applyEvent(
      manager,
      event('task_run.completed', runData({ status: 'completed', result: 'success' }), '2026-01-01T00:00:05.000Z'),
    );
    const late = await sut.applyEvent(
      manager,
      event('task_run.running', runData({ status: 'running' }), '2026-01-01T00:00:02.000Z'),
    );
    expect(late).toMatchObject({ outcome: 'stale', changes: [] });
    expect(await run()).toMatchObject({ status: 'completed', result: 'success' });
  });

  it('should let the later lifecycle state win a tie on created_at', async () => {
    const at = '2026-01-01T00:00:05.000Z';
    await sut.applyEvent(
      manager,
      event(
        'task_run.failed',
        runData({ status: 'failed', errors: [{ type: 'auth', code: 'auth_invalid', message: 'no' }] }),
        at,
      ),
    );
    const tie = await sut.applyEvent(manager, event('task_run.running', runData({ status: 'running' }), at));
    expect(tie.outcome).toBe('stale');
    expect((await run()).status).toBe('failed');
  });

  it('should follow a legit loop: prompt, answer, new prompt, completion, closing each prompt', async () => {
    await sut.applyEvent(
      manager,
      event('credential.created', credentialData('unverified'), '2026-01-01T00:00:00.000Z'),
    );
    const first = event(
      'task_run.interaction_required',
      runData({ status: 'interaction_required', interaction: MFA }),
      '2026-01-01T00:00:01.000Z',
    );
    await sut.applyEvent(manager, first);
    await sut.applyEvent(manager, first);
    expect(await manager.countBy(InteractionRow, { state: 'open' })).toBe(1);
    await sut.applyEvent(
      manager,
      event('task_run.running', runData({ status: 'running' }), '2026-01-01T00:00:02.000Z'),
    );
    await sut.applyEvent(
      manager,
      event(
        'task_run.interaction_required',
        runData({ status: 'interaction_required', interaction: { ...MFA, message: 'Again?' } }),
        '2026-01-01T00:00:03.000Z',
      ),
    );
    const open = await manager.findBy(InteractionRow, { state: 'open' });
    expect(open.map((i) => i.prompt.message)).toEqual(['Again?']);
    await sut.applyEvent(
      manager,
      event('task_run.completed', runData({ status: 'completed', result: 'success' }), '2026-01-01T00:00:04.000Z'),
    );
    expect(await manager.countBy(InteractionRow, { state: 'answered' })).toBe(2);
    const late = await sut.applyEvent(
      manager,
      event(
        'task_run.interaction_required',
        runData({ status: 'interaction_required', interaction: MFA }),
        '2026-01-01T00:00:03.500Z',
      ),
    );
    expect(late.outcome).toBe('stale');
    expect(await manager.countBy(InteractionRow, { state: 'open' })).toBe(0);
  });

  it('should expire the prompt of a run that timed out and record the error on the credential', async () => {
    await sut.applyEvent(
      manager,
      event('credential.created', credentialData('unverified'), '2026-01-01T00:00:00.000Z'),
    );
    await sut.applyEvent(
      manager,
      event(
        'task_run.interaction_required',
        runData({ status: 'interaction_required', interaction: MFA }),
        '2026-01-01T00:00:01.000Z',
      ),
    );
    const error = { type: 'interaction', code: 'interaction_timeout', message: 'Too late.' };
    await sut.applyEvent(
      manager,
      event('task_run.failed', runData({ status: 'failed', errors: [error] }), '2026-01-01T00:10:01.000Z'),
    );
    expect((await manager.findOneByOrFail(InteractionRow, { task_run_id: (await run()).id })).state).toBe('expired');
    expect((await credential()).last_error).toEqual(error);
  });

  it('should map both spellings of cancelling to one state', async () => {
    await sut.applyEvent(
      manager,
      event('task_run.canceling', runData({ status: 'cancelling' }), '2026-01-01T00:00:01.000Z'),
    );
    expect((await run()).status).toBe('cancelling');
  });

  it('should hold events it cannot apply instead of failing', async () => {
    expect((await sut.applyEvent(manager, event('foo.bar' as EventType, {}, '2026-01-01T00:00:00.000Z'))).outcome).toBe(
      'held',
    );
    expect(
      (
        await sut.applyEvent(
          manager,
          event('credential.verified', { id: CRED, status: 'verified' }, '2026-01-01T00:00:00.000Z'),
        )
      ).outcome,
    ).toBe('held');
    expect(
      (await sut.applyEvent(manager, event('session.idle', { id: 'sess_1' }, '2026-01-01T00:00:00.000Z'))).note,
    ).toBe('not mirrored');
  });

  it('should number every change in commit order', async () => {
    await sut.applyEvent(
      manager,
      event('credential.created', credentialData('unverified'), '2026-01-01T00:00:00.000Z'),
    );
    await sut.applyEvent(
      manager,
      event('task_run.running', runData({ status: 'running' }), '2026-01-01T00:00:01.000Z'),
    );
    const rows = await manager.find(ChangeRow, { order: { seq: 'ASC' } });
    expect(rows.map((r) => [r.seq, r.kind])).toEqual([
      [1, 'credential'],
      [2, 'task_run'],
    ]);
  });

  describe('a run seen before its credential', () => {
    const failed = runData({
      status: 'failed',
      errors: [{ type: 'authentication_error', code: 'invalid_credentials', message: 'Wrong password' }],
    });

    it('should link the run and its prompt when the credential arrives, and publish both under it', async () => {
      await sut.applyEvent(
        manager,
        event(
          'task_run.interaction_required',
          runData({ status: 'interaction_required', interaction: MFA }),
          '2026-01-01T00:00:02.000Z',
        ),
      );
      expect((await run()).credential_id).toBeNull();

      const applied = await sut.applyEvent(
        manager,
        event('credential.created', credentialData('unverified'), '2026-01-01T00:00:00.000Z'),
      );
      const { id } = await credential();
      expect((await run()).credential_id).toBe(id);
      expect((await manager.findOneByOrFail(InteractionRow, { state: 'open' })).credential_id).toBe(id);
      expect(applied.changes.map((c) => [c.kind, c.credential_id])).toEqual([
        ['credential', id],
        ['task_run', id],
        ['interaction', id],
      ]);
    });

    it('should link it even when the credential event that names it is stale, and carry a failure to last_error', async () => {
      await sut.applyEvent(manager, event('credential.invalid', credentialData('invalid'), '2026-01-01T00:00:05.000Z'));
      // A run stored unlinked before the mirror kept the Deck credential of each run (the migration back-fills it).
      await sut.applyEvent(
        manager,
        event('task_run.failed', { ...failed, credential_id: undefined }, '2026-01-01T00:00:04.000Z'),
      );
      await manager.update(TaskRunRow, { deck_id: RUN }, { deck_credential_id: CRED });
      expect((await run()).credential_id).toBeNull();

      const late = await sut.applyEvent(
        manager,
        event('credential.created', credentialData('unverified'), '2026-01-01T00:00:00.000Z'),
      );
      expect(late.outcome).toBe('stale');
      const row = await credential();
      expect((await run()).credential_id).toBe(row.id);
      expect(row.last_error).toMatchObject({ code: 'invalid_credentials' });
      expect(late.changes.map((c) => c.kind)).toEqual(['task_run', 'credential']);
    });

    it('should link it when a later event of the run names a credential already known', async () => {
      await sut.applyEvent(
        manager,
        event(
          'task_run.completed',
          { ...runData({ status: 'completed', result: 'success' }), credential_id: undefined },
          '2026-01-01T00:00:05.000Z',
        ),
      );
      await sut.applyEvent(
        manager,
        event('credential.created', credentialData('unverified'), '2026-01-01T00:00:00.000Z'),
      );
      expect((await run()).credential_id).toBeNull();

      const stale = await sut.applyEvent(
        manager,
        event('task_run.running', runData({ status: 'running' }), '2026-01-01T00:00:03.000Z'),
      );
      expect(stale.outcome).toBe('stale');
      expect((await run()).credential_id).toBe((await credential()).id);
      expect(stale.changes).toEqual([
        expect.objectContaining({ kind: 'task_run', credential_id: (await credential()).id }),
      ]);
    });
  });

  describe("Deck's own object recorded, then the event of the same state", () => {
    const deckRun = (status: string, updatedAt: string, extra: Record<string, unknown> = {}) =>
      ({ ...runData({ status, ...extra }), updated_at: updatedAt }) as unknown as DeckTaskRun;

    beforeEach(async () => {
      await sut.applyEvent(
        manager,
        event('credential.created', credentialData('unverified'), '2026-01-01T00:00:00.000Z'),
      );
    });

    it('should keep one prompt for one question when the event follows a recorded prompt', async () => {
      const at = '2026-01-01T00:00:01.000Z';
      const recorded = await sut.recordTaskRun(manager, deckRun('interaction_required', at, { interaction: MFA }));
      expect(recorded.changes.filter((c) => c.kind === 'interaction')).toHaveLength(1);

      const announced = await sut.applyEvent(
        manager,
        event('task_run.interaction_required', runData({ status: 'interaction_required', interaction: MFA }), at),
      );
      expect(announced.changes).toEqual([]);
      expect(await manager.countBy(InteractionRow, {})).toBe(1);
      expect(await manager.findOneByOrFail(InteractionRow, {})).toMatchObject({ state: 'open', prompt: MFA });
    });

    it("should open no prompt from Deck's object for a question its event already opened, answered or not", async () => {
      const at = '2026-01-01T00:00:01.000Z';
      await sut.applyEvent(
        manager,
        event('task_run.interaction_required', runData({ status: 'interaction_required', interaction: MFA }), at),
      );
      // Read from Deck while the question was open (say, after Deck refused a retried answer as in progress).
      const recorded = await sut.recordTaskRun(manager, deckRun('interaction_required', at, { interaction: MFA }));
      expect(recorded.changes).toEqual([]);
      const prompts = await manager.find(InteractionRow);
      expect(prompts.map((p) => p.state)).toEqual(['open']);
    });

    it('should open a new prompt when Deck asks again after an answer, recorded each time', async () => {
      await sut.recordTaskRun(
        manager,
        deckRun('interaction_required', '2026-01-01T00:00:01.000Z', { interaction: MFA }),
      );
      await sut.recordTaskRun(manager, deckRun('running', '2026-01-01T00:00:02.000Z'));
      await sut.recordTaskRun(
        manager,
        deckRun('interaction_required', '2026-01-01T00:00:03.000Z', { interaction: { ...MFA, message: 'Again?' } }),
      );
      const prompts = await manager.find(InteractionRow, { order: { opened_at: 'ASC' } });
      expect(prompts.map((p) => [p.prompt.message, p.state])).toEqual([
        ['Code?', 'answered'],
        ['Again?', 'open'],
      ]);
    });

    it('should not publish a run or credential again when the event repeats what was recorded', async () => {
      const at = '2026-01-01T00:00:04.000Z';
      await sut.recordTaskRun(manager, deckRun('completed', at, { result: 'success' }));
      const again = await sut.applyEvent(
        manager,
        event('task_run.completed', runData({ status: 'completed', result: 'success' }), at),
      );
      expect(again.outcome).toBe('applied');
      expect(again.changes).toEqual([]);

      const credentialAgain = await sut.applyEvent(
        manager,
        event('credential.unverified', credentialData('unverified'), '2026-01-01T00:00:05.000Z'),
      );
      expect(credentialAgain.changes).toEqual([]);
    });
  });
});
