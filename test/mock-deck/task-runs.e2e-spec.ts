import type { DeckCredential, DeckList, DeckTask, DeckTaskRun, TaskRunStatus } from '@app/deck';

import { RunEngine } from '../../apps/mock-deck/src/task-runs/engine/run-engine.service';
import { createCredential, eventTypes, runTask, seeded, waitForRun } from '../support/deck-fixtures';
import { expectDeckError } from '../support/envelope';
import { deckClient, DeckClient, MockDeck, startMockDeck } from '../support/mock-deck-app';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

const MFA_INTERACTION = {
  type: 'mfa',
  message: expect.stringContaining('6-digit code'),
  fields: [{ name: 'code', type: 'string', label: expect.any(String) }],
};

describe('Task runs (/v2/tasks/:id/run, /v2/task-runs)', () => {
  let deck: MockDeck;
  let client: DeckClient;
  let sourceId: string;
  let taskId: string;
  let agentId: string;

  beforeAll(async () => {
    deck = await startMockDeck();
  });

  afterAll(async () => {
    await deck.close();
  });

  beforeEach(async () => {
    client = deckClient(deck);
    ({ sourceId, taskId, agentId } = await seeded(client));
  });

  /** Stores a credential with `username` and runs the seeded task (or `task`) with it. */
  async function start(
    username: string,
    options: { task?: string; body?: Record<string, unknown> } = {},
  ): Promise<{ credential: DeckCredential; run: DeckTaskRun }> {
    const credential = await createCredential(client, sourceId, username);
    const run = await runTask(client, options.task ?? taskId, { credential_id: credential.id, ...options.body });
    return { credential, run };
  }

  /**
   * Waits for `status`, then lets the scheduler settle and re-reads the run. Reads share the sandbox's one
   * SQLite connection, so a poll can see a step's new status before the rest of that step's transaction
   * (credential, storage, events) is written; settling first means every check sees whole steps.
   */
  async function until(runId: string, status: TaskRunStatus): Promise<DeckTaskRun> {
    await waitForRun(client, runId, (run) => run.status === status);
    await deck.settle();
    return getRun(runId);
  }

  async function getRun(runId: string, query = ''): Promise<DeckTaskRun> {
    return (await client.get(`/v2/task-runs/${runId}${query}`).expect(200)).body as DeckTaskRun;
  }

  async function answer(runId: string, input: Record<string, unknown>): Promise<DeckTaskRun> {
    return (await client.post(`/v2/task-runs/${runId}/interaction`, { input }).expect(200)).body as DeckTaskRun;
  }

  async function credentialStatus(credentialId: string): Promise<string> {
    return ((await client.get(`/v2/credentials/${credentialId}`).expect(200)).body as DeckCredential).status;
  }

  async function createTask(body: Record<string, unknown>): Promise<DeckTask> {
    return (await client.post('/v2/tasks', { name: 'Task under test', agent_id: agentId, ...body }).expect(201))
      .body as DeckTask;
  }

  async function listRuns(query: string): Promise<DeckList<DeckTaskRun>> {
    return (await client.get(`/v2/task-runs${query}`).expect(200)).body as DeckList<DeckTaskRun>;
  }

  function runEvents(runId: string): Promise<string[]> {
    return eventTypes(client, (data) => data.id === runId);
  }

  /** Moves the shared sandbox clock forward and lets everything that fell due run. */
  async function advance(ms: number): Promise<void> {
    deck.clock.advance(ms);
    await deck.settle();
  }

  describe('POST /v2/tasks/:id/run', () => {
    it('should queue a run with a credential, deriving its source, and open a session', async () => {
      const credential = await createCredential(client, sourceId, 'user_good');
      const res = await client.post(`/v2/tasks/${taskId}/run`, { credential_id: credential.id }).expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^trun_[A-Za-z0-9]{24}$/),
        object: 'task_run',
        status: 'queued',
        result: null,
        task_id: taskId,
        credential_id: credential.id,
        session_id: expect.stringMatching(/^sess_[A-Za-z0-9]{24}$/),
        workflow_id: null,
        agent_id: agentId,
        source_id: sourceId,
        runtime_ms: 0,
        output: null,
        errors: [],
        interaction: null,
        canceled_at: null,
        created_at: expect.any(String),
        updated_at: expect.any(String),
        request_id: expect.stringMatching(/^req_/),
      });
      expect(res.body).not.toHaveProperty('input');
      const run = res.body as DeckTaskRun;
      expect(await runEvents(run.id)).toContain('task_run.queued');
      await client.get(`/v2/sessions/${run.session_id}`).expect(200);
    });

    it('should run against a source alone, or a source that matches the credential', async () => {
      const bySource = await runTask(client, taskId, { source_id: sourceId });
      expect(bySource).toMatchObject({ status: 'queued', credential_id: null, source_id: sourceId });
      const done = await until(bySource.id, 'completed');
      expect(done).toMatchObject({ result: 'success', credential_id: null, errors: [] });

      const credential = await createCredential(client, sourceId, 'user_good');
      const both = await runTask(client, taskId, { credential_id: credential.id, source_id: sourceId });
      expect(both).toMatchObject({ credential_id: credential.id, source_id: sourceId });
    });

    it('should require a credential or a source', async () => {
      expectDeckError(await client.post(`/v2/tasks/${taskId}/run`, {}), 400, 'input_missing');
      expectDeckError(
        await client.post(`/v2/tasks/${taskId}/run`, { credential_id: null, source_id: null }),
        400,
        'input_missing',
      );
      expect((await listRuns('')).data).toEqual([]);
    });

    it('should answer 404 for an unknown or deleted task', async () => {
      const credential = await createCredential(client, sourceId, 'user_good');
      expectDeckError(
        await client.post('/v2/tasks/task_missing/run', { credential_id: credential.id }),
        404,
        'task_not_found',
      );
      const task = await createTask({});
      await client.delete(`/v2/tasks/${task.id}`).expect(200);
      expectDeckError(
        await client.post(`/v2/tasks/${task.id}/run`, { credential_id: credential.id }),
        404,
        'task_not_found',
      );
    });

    it('should answer 404 for an unknown credential or source, naming the field', async () => {
      expectDeckError(
        await client.post(`/v2/tasks/${taskId}/run`, { credential_id: 'cred_missing' }),
        404,
        'credential_not_found',
        'credential_id',
      );
      expectDeckError(
        await client.post(`/v2/tasks/${taskId}/run`, { source_id: 'src_missing' }),
        404,
        'source_not_found',
        'source_id',
      );
      const other = deckClient(deck);
      const otherCredential = await createCredential(other, (await seeded(other)).sourceId, 'user_good');
      expectDeckError(
        await client.post(`/v2/tasks/${taskId}/run`, { credential_id: otherCredential.id }),
        404,
        'credential_not_found',
        'credential_id',
      );
    });

    it('should refuse a deleted credential', async () => {
      const credential = await createCredential(client, sourceId, 'user_good');
      await client.delete(`/v2/credentials/${credential.id}`).expect(200);
      expectDeckError(
        await client.post(`/v2/tasks/${taskId}/run`, { credential_id: credential.id }),
        409,
        'invalid_state',
        'credential_id',
      );
      expect((await listRuns('')).data).toEqual([]);
    });

    it("should refuse a source_id that disagrees with the credential's", async () => {
      const sources = (await client.get('/v2/sources').expect(200)).body as DeckList<{ id: string }>;
      const otherSource = sources.data.find((s) => s.id !== sourceId)!.id;
      const credential = await createCredential(client, sourceId, 'user_good');
      expectDeckError(
        await client.post(`/v2/tasks/${taskId}/run`, { credential_id: credential.id, source_id: otherSource }),
        400,
        'input_invalid',
        'source_id',
      );
    });

    it('should refuse unknown fields and wrong types', async () => {
      expectDeckError(
        await client.post(`/v2/tasks/${taskId}/run`, { source_id: sourceId, priority: 'high' }),
        400,
        'input_invalid',
        'priority',
      );
      expectDeckError(
        await client.post(`/v2/tasks/${taskId}/run`, { credential_id: 42 }),
        400,
        'input_invalid',
        'credential_id',
      );
      expectDeckError(
        await client.post(`/v2/tasks/${taskId}/run`, { source_id: sourceId, session_id: ['sess_x'] }),
        400,
        'input_invalid',
        'session_id',
      );
    });

    it("should validate the input against the task's input_schema, naming each path", async () => {
      const task = await createTask({
        input_schema: {
          type: 'object',
          properties: {
            account: { type: 'string', minLength: 3 },
            months: { type: 'integer', minimum: 1 },
            period: { type: 'object', properties: { from: { type: 'string', format: 'date' } } },
          },
          required: ['account'],
        },
      });
      const credential = await createCredential(client, sourceId, 'user_good');
      const run = (input?: unknown) =>
        client.post(`/v2/tasks/${task.id}/run`, {
          credential_id: credential.id,
          ...(input === undefined ? {} : { input }),
        });

      expectDeckError(await run(), 400, 'input_missing', 'input.account');
      expectDeckError(await run({ months: 2 }), 400, 'input_missing', 'input.account');
      expectDeckError(await run({ account: 42 }), 400, 'input_invalid', 'input.account');
      const both = expectDeckError(await run({ account: 'ab', months: 0 }), 400, 'input_invalid', 'input.account');
      expect(both.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['input.account', 'input.months']));
      expect(both.errors.every((e) => e.type === 'request')).toBe(true);
      expectDeckError(
        await run({ account: 'acc_1', period: { from: 'last tuesday' } }),
        400,
        'input_invalid',
        'input.period.from',
      );
      expect((await listRuns('')).data).toEqual([]);

      const input = { account: 'acc_1', months: 3, period: { from: '2025-01-01' } };
      const ok = (await run(input).expect(201)).body as DeckTaskRun;
      expect(ok).not.toHaveProperty('input');
      expect((await getRun(ok.id, '?include=input')).input).toEqual(input);
    });

    it('should reuse an idle session, and refuse an unknown or busy one', async () => {
      const { credential, run: first } = await start('user_good');
      await until(first.id, 'completed');
      const second = await runTask(client, taskId, { credential_id: credential.id, session_id: first.session_id });
      expect(second.session_id).toBe(first.session_id);
      await until(second.id, 'completed');

      expectDeckError(
        await client.post(`/v2/tasks/${taskId}/run`, { credential_id: credential.id, session_id: 'sess_missing' }),
        404,
        'session_not_found',
        'session_id',
      );

      const { run: slow } = await start('user_slow');
      await until(slow.id, 'running');
      expectDeckError(
        await client.post(`/v2/tasks/${taskId}/run`, { credential_id: credential.id, session_id: slow.session_id }),
        409,
        'invalid_state',
        'session_id',
      );
    });

    it("should not reuse another organisation's session", async () => {
      const other = deckClient(deck);
      const otherSeed = await seeded(other);
      const otherRun = await runTask(other, otherSeed.taskId, { source_id: otherSeed.sourceId });
      await waitForRun(other, otherRun.id, (r) => r.status === 'completed');
      expectDeckError(
        await client.post(`/v2/tasks/${taskId}/run`, { source_id: sourceId, session_id: otherRun.session_id }),
        404,
        'session_not_found',
        'session_id',
      );
    });
  });

  describe('scripted runs', () => {
    it('should complete a user_good run and verify its credential', async () => {
      const { credential, run } = await start('user_good');
      const done = await until(run.id, 'completed');
      expect(done).toMatchObject({
        result: 'success',
        errors: [],
        interaction: null,
        canceled_at: null,
        credential_id: credential.id,
      });
      expect(done.runtime_ms).toBeGreaterThanOrEqual(40);
      expect(await credentialStatus(credential.id)).toBe('verified');
      expect(await eventTypes(client, (d) => d.id === run.id || d.id === credential.id)).toEqual([
        'credential.created',
        'task_run.queued',
        'task_run.running',
        'task_run.completed',
        'credential.verified',
      ]);
    });

    it('should put the documented fields in the task_run.completed event', async () => {
      const { credential, run } = await start('user_good');
      await until(run.id, 'completed');
      const events = (await client.get('/v2/events?type=task_run.completed').expect(200)).body as DeckList<{
        data: Record<string, unknown>;
      }>;
      expect(events.data).toHaveLength(1);
      expect(events.data[0].data).toMatchObject({
        id: run.id,
        object: 'task_run',
        status: 'completed',
        result: 'success',
        task_id: taskId,
        credential_id: credential.id,
        agent_id: agentId,
        source_id: sourceId,
        runtime_ms: expect.any(Number),
        created_at: run.created_at,
        updated_at: expect.any(String),
      });
    });

    it('should fail a user_bad run with an auth error and mark the credential invalid', async () => {
      const { credential, run } = await start('user_bad');
      const failed = await until(run.id, 'failed');
      expect(failed.result).toBe('failure');
      expect(failed.errors).toEqual([{ type: 'auth', code: 'auth_invalid', message: expect.any(String) }]);
      expect(await credentialStatus(credential.id)).toBe('invalid');
      expect(await eventTypes(client, (d) => d.id === run.id || d.id === credential.id)).toEqual([
        'credential.created',
        'task_run.queued',
        'task_run.running',
        'task_run.failed',
        'credential.invalid',
      ]);
    });

    it('should ask user_mfa for a code and complete with 123456', async () => {
      const { credential, run } = await start('user_mfa');
      const waiting = await until(run.id, 'interaction_required');
      expect(waiting.interaction).toEqual(MFA_INTERACTION);
      expect(waiting.result).toBeNull();
      expect(await credentialStatus(credential.id)).toBe('unverified');

      const resumed = await answer(run.id, { code: '123456' });
      expect(resumed).toMatchObject({ id: run.id, status: 'running', interaction: null });
      const done = await until(run.id, 'completed');
      expect(done).toMatchObject({ result: 'success', interaction: null });
      expect(await credentialStatus(credential.id)).toBe('verified');
      expect(await runEvents(run.id)).toEqual([
        'task_run.queued',
        'task_run.running',
        'task_run.interaction_required',
        'task_run.running',
        'task_run.completed',
      ]);
    });

    it('should put the interaction in the task_run.interaction_required event', async () => {
      const { run } = await start('user_mfa');
      await until(run.id, 'interaction_required');
      const events = (await client.get('/v2/events?type=task_run.interaction_required').expect(200)).body as DeckList<{
        data: Record<string, unknown>;
      }>;
      expect(events.data[0].data).toMatchObject({ id: run.id, interaction: MFA_INTERACTION });
    });

    it('should re-prompt user_mfa after a wrong code with a different message, then accept the right one', async () => {
      const { credential, run } = await start('user_mfa');
      const first = await until(run.id, 'interaction_required');
      const resumed = await answer(run.id, { code: '000000' });
      expect(resumed).toMatchObject({ status: 'running', interaction: null });
      const again = await until(run.id, 'interaction_required');
      expect(again.interaction).toEqual(MFA_INTERACTION);
      expect(again.interaction!.message).not.toBe(first.interaction!.message);
      await answer(run.id, { code: '123456' });
      expect(await until(run.id, 'completed')).toMatchObject({ result: 'success' });
      expect(await credentialStatus(credential.id)).toBe('verified');
    });

    it('should fail user_mfa after three wrong codes with interaction_invalid', async () => {
      const { credential, run } = await start('user_mfa');
      for (const code of ['111111', '222222']) {
        await until(run.id, 'interaction_required');
        await answer(run.id, { code });
      }
      await until(run.id, 'interaction_required');
      await answer(run.id, { code: '333333' });
      const failed = await until(run.id, 'failed');
      expect(failed).toMatchObject({ result: 'failure', interaction: null });
      expect(failed.errors).toEqual([
        { type: 'interaction', code: 'interaction_invalid', message: expect.any(String) },
      ]);
      expect(await credentialStatus(credential.id)).toBe('unverified');
      expect((await runEvents(run.id)).filter((t) => t === 'task_run.interaction_required')).toHaveLength(3);
    });

    it('should ask user_mfa_2 for two codes in a row', async () => {
      const { run } = await start('user_mfa_2');
      const first = await until(run.id, 'interaction_required');
      expect(first.interaction).toMatchObject({ type: 'mfa', fields: [{ name: 'code' }] });
      await answer(run.id, { code: '123456' });
      const second = await until(run.id, 'interaction_required');
      expect(second.interaction).toMatchObject({ type: 'mfa', fields: [{ name: 'code' }] });
      expect(second.interaction!.message).not.toBe(first.interaction!.message);
      await answer(run.id, { code: '123456' });
      await until(run.id, 'completed');
      expect((await runEvents(run.id)).filter((t) => t === 'task_run.interaction_required')).toHaveLength(2);
    });

    it('should ask user_question a security question and take any answer', async () => {
      const { credential, run } = await start('user_question');
      const waiting = await until(run.id, 'interaction_required');
      expect(waiting.interaction).toEqual({
        type: 'security_question',
        message: expect.any(String),
        fields: [{ name: 'answer', type: 'string', label: expect.any(String) }],
      });
      await answer(run.id, { answer: 'Rex' });
      expect(await until(run.id, 'completed')).toMatchObject({ result: 'success' });
      expect(await credentialStatus(credential.id)).toBe('verified');
    });

    it('should ask user_account to pick an account listed in the prompt', async () => {
      const { run } = await start('user_account');
      const waiting = await until(run.id, 'interaction_required');
      expect(waiting.interaction).toEqual({
        type: 'account_selection',
        message: expect.stringContaining('acc_checking'),
        fields: [{ name: 'account_id', type: 'string', label: expect.any(String) }],
      });
      await answer(run.id, { account_id: 'acc_unknown' });
      const again = await until(run.id, 'interaction_required');
      expect(again.interaction!.type).toBe('account_selection');
      await answer(run.id, { account_id: 'acc_checking' });
      expect(await until(run.id, 'completed')).toMatchObject({ result: 'success' });
    });

    it('should ask user_mfa_question for a code, then a security question, in one run', async () => {
      const { run } = await start('user_mfa_question');
      const mfa = await until(run.id, 'interaction_required');
      expect(mfa.interaction).toEqual(MFA_INTERACTION);
      await answer(run.id, { code: '123456' });
      const question = await until(run.id, 'interaction_required');
      expect(question.interaction).toMatchObject({ type: 'security_question', fields: [{ name: 'answer' }] });
      await answer(run.id, { answer: 'Rex' });
      await until(run.id, 'completed');
      expect(await runEvents(run.id)).toEqual([
        'task_run.queued',
        'task_run.running',
        'task_run.interaction_required',
        'task_run.running',
        'task_run.interaction_required',
        'task_run.running',
        'task_run.completed',
      ]);
    });

    it('should fail user_timeout with interaction_timeout once its 30-second window closes', async () => {
      const { credential, run } = await start('user_timeout');
      await until(run.id, 'interaction_required');
      await advance(20 * SECOND);
      expect((await getRun(run.id)).status).toBe('interaction_required');
      await advance(11 * SECOND);
      const failed = await getRun(run.id);
      expect(failed).toMatchObject({ status: 'failed', result: 'failure', interaction: null });
      expect(failed.errors).toEqual([
        { type: 'interaction', code: 'interaction_timeout', message: expect.any(String) },
      ]);
      expect(await credentialStatus(credential.id)).toBe('unverified');
      expectDeckError(
        await client.post(`/v2/task-runs/${run.id}/interaction`, { input: { code: '123456' } }),
        409,
        'invalid_state',
      );
    });

    it('should give other prompts a 10-minute window by default', async () => {
      const { run } = await start('user_mfa');
      await until(run.id, 'interaction_required');
      await advance(9 * MINUTE);
      expect((await getRun(run.id)).status).toBe('interaction_required');
      await advance(MINUTE + SECOND);
      const failed = await getRun(run.id);
      expect(failed.status).toBe('failed');
      expect(failed.errors[0]).toMatchObject({ type: 'interaction', code: 'interaction_timeout' });
    });

    it('should fail user_source_down with a source error and leave the credential as it was', async () => {
      const { credential, run } = await start('user_source_down');
      const failed = await until(run.id, 'failed');
      expect(failed.result).toBe('failure');
      expect(failed.errors).toEqual([{ type: 'source', code: expect.any(String), message: expect.any(String) }]);
      expect(await credentialStatus(credential.id)).toBe('unverified');
      expect(await eventTypes(client, (d) => d.id === credential.id)).toEqual(['credential.created']);
    });

    it('should verify user_locked on its first run and reject it on the next', async () => {
      const { credential, run } = await start('user_locked');
      await until(run.id, 'completed');
      expect(await credentialStatus(credential.id)).toBe('verified');

      const second = await runTask(client, taskId, { credential_id: credential.id });
      const failed = await until(second.id, 'failed');
      expect(failed.errors).toEqual([{ type: 'auth', code: 'auth_invalid', message: expect.any(String) }]);
      expect(await credentialStatus(credential.id)).toBe('invalid');
      expect(await eventTypes(client, (d) => d.id === credential.id)).toEqual([
        'credential.created',
        'credential.verified',
        'credential.invalid',
      ]);
    });

    it('should stop user_review in review_required', async () => {
      const { credential, run } = await start('user_review');
      const review = await until(run.id, 'review_required');
      expect(review).toMatchObject({ result: null, interaction: null, errors: [] });
      expect(await runEvents(run.id)).toEqual(['task_run.queued', 'task_run.running', 'task_run.review_required']);
      expect(await credentialStatus(credential.id)).toBe('unverified');
    });

    it('should pick the script from the local part of an e-mail, ignoring case', async () => {
      const { run: mfa } = await start('user_mfa@example.com');
      expect((await until(mfa.id, 'interaction_required')).interaction).toEqual(MFA_INTERACTION);
      const { run: bad } = await start('User_Bad@Example.com');
      expect((await until(bad.id, 'failed')).errors[0]).toMatchObject({ type: 'auth', code: 'auth_invalid' });
    });

    it('should treat an unknown username like user_good', async () => {
      const { credential, run } = await start('mark@example.com');
      expect(await until(run.id, 'completed')).toMatchObject({ result: 'success', errors: [] });
      expect(await credentialStatus(credential.id)).toBe('verified');
    });
  });

  describe('POST /v2/task-runs/:id/interaction', () => {
    it('should refuse an answer when the run is not waiting for one', async () => {
      const { run } = await start('user_good');
      await until(run.id, 'completed');
      const body = expectDeckError(
        await client.post(`/v2/task-runs/${run.id}/interaction`, { input: { code: '123456' } }),
        409,
        'invalid_state',
      );
      expect(body.errors[0].type).toBe('request');
    });

    it('should name a missing field, an unknown field and a bad value, and leave the prompt open', async () => {
      const { run } = await start('user_mfa');
      const waiting = await until(run.id, 'interaction_required');
      const path = `/v2/task-runs/${run.id}/interaction`;

      expectDeckError(await client.post(path, { input: {} }), 400, 'input_missing', 'input.code');
      expectDeckError(
        await client.post(path, { input: { code: '123456', remember_device: 'yes' } }),
        400,
        'input_invalid',
        'input.remember_device',
      );
      expectDeckError(await client.post(path, { input: { code: 123456 } }), 400, 'input_invalid', 'input.code');
      expectDeckError(await client.post(path, { input: { code: '' } }), 400, 'input_missing', 'input.code');
      expectDeckError(await client.post(path, { input: { code: '   ' } }), 400, 'input_invalid', 'input.code');
      expectDeckError(await client.post(path, { input: 'code=123456' }), 400, 'input_invalid', 'input');
      expectDeckError(await client.post(path, { input: { code: '123456' }, code: '1' }), 400, 'input_invalid', 'code');

      const still = await getRun(run.id);
      expect(still).toMatchObject({ status: 'interaction_required', interaction: waiting.interaction });
      expect((await runEvents(run.id)).filter((t) => t === 'task_run.interaction_required')).toHaveLength(1);
    });

    it('should refuse a request without a body or without input', async () => {
      const { run } = await start('user_mfa');
      await until(run.id, 'interaction_required');
      const path = `/v2/task-runs/${run.id}/interaction`;
      expectDeckError(await client.post(path), 400, 'body_invalid');
      expectDeckError(await client.post(path, {}), 400, 'input_missing', 'input');
      // Null is not a set of answers: refused by name like any other wrong type.
      expectDeckError(await client.post(path, { input: null }), 400, 'input_invalid', 'input');
      expect((await getRun(run.id)).status).toBe('interaction_required');
    });

    it('should accept the early-v2 body key `inputs`', async () => {
      const { run } = await start('user_mfa');
      await until(run.id, 'interaction_required');
      const res = await client.post(`/v2/task-runs/${run.id}/interaction`, { inputs: { code: '123456' } }).expect(200);
      expect(res.body).toMatchObject({ id: run.id, object: 'task_run', status: 'running', interaction: null });
      expect(await until(run.id, 'completed')).toMatchObject({ result: 'success' });
    });

    it('should answer 404 for an unknown run', async () => {
      expectDeckError(
        await client.post('/v2/task-runs/trun_missing/interaction', { input: { code: '123456' } }),
        404,
        'task_run_not_found',
      );
    });
  });

  describe('POST /v2/task-runs/:id/cancel', () => {
    it('should move a running run to cancelling, then canceled', async () => {
      const { credential, run } = await start('user_slow');
      await until(run.id, 'running');
      const res = await client.post(`/v2/task-runs/${run.id}/cancel`).expect(200);
      expect(res.body).toMatchObject({
        id: run.id,
        object: 'task_run',
        status: 'cancelling',
        canceled_at: null,
        request_id: expect.stringMatching(/^req_/),
      });
      const canceled = await until(run.id, 'canceled');
      expect(canceled.canceled_at).toEqual(expect.any(String));
      expect(Date.parse(canceled.canceled_at!)).not.toBeNaN();
      expect(canceled.interaction).toBeNull();
      expect(await runEvents(run.id)).toEqual([
        'task_run.queued',
        'task_run.running',
        'task_run.canceling',
        'task_run.canceled',
      ]);
      expect(await credentialStatus(credential.id)).toBe('unverified');
    });

    it('should cancel a queued run before it starts', async () => {
      deck.clock.freeze();
      try {
        const { run } = await start('user_good');
        expect((await getRun(run.id)).status).toBe('queued');
        const res = await client.post(`/v2/task-runs/${run.id}/cancel`).expect(200);
        expect(res.body).toMatchObject({ status: 'cancelling' });
        await until(run.id, 'canceled');
        expect(await runEvents(run.id)).toEqual(['task_run.queued', 'task_run.canceling', 'task_run.canceled']);
      } finally {
        deck.clock.resume();
      }
    });

    it('should cancel a run that waits for an interaction or a review', async () => {
      const { run: mfa } = await start('user_mfa');
      await until(mfa.id, 'interaction_required');
      await client.post(`/v2/task-runs/${mfa.id}/cancel`).expect(200);
      expect(await until(mfa.id, 'canceled')).toMatchObject({ interaction: null });
      expectDeckError(
        await client.post(`/v2/task-runs/${mfa.id}/interaction`, { input: { code: '123456' } }),
        409,
        'invalid_state',
      );

      const { run: review } = await start('user_review');
      await until(review.id, 'review_required');
      await client.post(`/v2/task-runs/${review.id}/cancel`).expect(200);
      await until(review.id, 'canceled');
    });

    it('should refuse to cancel a finished run', async () => {
      const { run } = await start('user_good');
      await until(run.id, 'completed');
      expectDeckError(await client.post(`/v2/task-runs/${run.id}/cancel`), 409, 'invalid_state');

      const { run: slow } = await start('user_slow');
      await until(slow.id, 'running');
      await client.post(`/v2/task-runs/${slow.id}/cancel`).expect(200);
      await until(slow.id, 'canceled');
      expectDeckError(await client.post(`/v2/task-runs/${slow.id}/cancel`), 409, 'invalid_state');
      expect((await getRun(run.id)).status).toBe('completed');
    });

    it('should find a cancelling run by either spelling of the status', async () => {
      const { run } = await start('user_slow');
      await until(run.id, 'running');
      // Hold the engine so the run stays in its (normally brief) cancelling state.
      const hold = jest.spyOn(deck.app.get(RunEngine), 'runDue').mockResolvedValue(null);
      try {
        await client.post(`/v2/task-runs/${run.id}/cancel`).expect(200);
        expect((await getRun(run.id)).status).toBe('cancelling');
        expect((await listRuns('?status=canceling')).data.map((r) => r.id)).toEqual([run.id]);
        expect((await listRuns('?status=cancelling')).data.map((r) => r.id)).toEqual([run.id]);
        expect((await listRuns('?status=running')).data).toEqual([]);
        const again = await client.post(`/v2/task-runs/${run.id}/cancel`).expect(200);
        expect(again.body).toMatchObject({ status: 'cancelling' });
      } finally {
        hold.mockRestore();
      }
      await deck.settle();
      expect((await getRun(run.id)).status).toBe('canceled');
      expect((await listRuns('?status=canceling')).data).toEqual([]);
      expect((await listRuns('?status=canceled')).data.map((r) => r.id)).toEqual([run.id]);
    });

    it('should answer 404 for an unknown run', async () => {
      expectDeckError(await client.post('/v2/task-runs/trun_missing/cancel'), 404, 'task_run_not_found');
    });
  });

  describe('GET /v2/task-runs', () => {
    it('should list newest first and filter by status, result, credential and task', async () => {
      const { credential: good, run: goodRun } = await start('user_good');
      const { credential: bad, run: badRun } = await start('user_bad');
      const task = await createTask({});
      const { run: slowRun } = await start('user_slow', { task: task.id });
      await until(goodRun.id, 'completed');
      await until(badRun.id, 'failed');
      await until(slowRun.id, 'running');

      const all = await listRuns('');
      expect(all.data.map((r) => r.id)).toEqual([slowRun.id, badRun.id, goodRun.id]);
      expect(all).toMatchObject({ has_more: false, next_cursor: null, request_id: expect.stringMatching(/^req_/) });
      expect(all.data.every((r) => !('input' in r) && !('storage' in r) && !('artifacts' in r))).toBe(true);

      const ids = async (query: string) => (await listRuns(query)).data.map((r) => r.id);
      expect(await ids('?status=completed')).toEqual([goodRun.id]);
      expect(await ids('?status=completed,failed')).toEqual([badRun.id, goodRun.id]);
      expect(await ids('?status=running&status=failed')).toEqual([slowRun.id, badRun.id]);
      expect(await ids('?outcome=success')).toEqual([goodRun.id]);
      expect(await ids('?result=failure')).toEqual([badRun.id]);
      expect(await ids('?outcome=success,failure')).toEqual([badRun.id, goodRun.id]);
      expect(await ids(`?credential_id=${good.id}`)).toEqual([goodRun.id]);
      expect(await ids(`?credential_id=${bad.id}&status=completed`)).toEqual([]);
      expect(await ids(`?task_id=${task.id}`)).toEqual([slowRun.id]);
      expect(await ids(`?task_id=${taskId}`)).toEqual([badRun.id, goodRun.id]);
      expect(await ids(`?agent_id=${agentId}`)).toHaveLength(3);
      expect(await ids(`?source_id=${sourceId}`)).toHaveLength(3);
      expect(await ids('?source_id=src_other')).toEqual([]);
      expect(await ids('?workflow_id=wflo_any')).toEqual([]);

      expectDeckError(await client.get('/v2/task-runs?status=pending'), 400, 'input_invalid', 'status');
      expectDeckError(await client.get('/v2/task-runs?outcome=great'), 400, 'input_invalid', 'outcome');
      expectDeckError(await client.get('/v2/task-runs?created_after=yesterday'), 400, 'input_invalid', 'created_after');
    });

    it('should filter by creation time', async () => {
      const first = await runTask(client, taskId, { source_id: sourceId });
      await new Promise((resolve) => setTimeout(resolve, 10));
      const second = await runTask(client, taskId, { source_id: sourceId });
      expect(Date.parse(second.created_at)).toBeGreaterThan(Date.parse(first.created_at));

      const after = await listRuns(`?created_after=${encodeURIComponent(first.created_at)}`);
      expect(after.data.map((r) => r.id)).toEqual([second.id]);
      const before = await listRuns(`?created_before=${encodeURIComponent(second.created_at)}`);
      expect(before.data.map((r) => r.id)).toEqual([first.id]);
      const window = await listRuns(
        `?created_after=${encodeURIComponent(new Date(Date.parse(first.created_at) - 1).toISOString())}` +
          `&created_before=${encodeURIComponent(new Date(Date.parse(second.created_at) + 1).toISOString())}`,
      );
      expect(window.data.map((r) => r.id)).toEqual([second.id, first.id]);
    });

    it('should page with cursors tied to the filters', async () => {
      const created: string[] = [];
      for (let i = 0; i < 3; i++) {
        created.unshift((await runTask(client, taskId, { source_id: sourceId })).id);
      }
      const first = await listRuns('?limit=2');
      expect(first.data.map((r) => r.id)).toEqual(created.slice(0, 2));
      expect(first.has_more).toBe(true);
      expect(first.next_cursor).toEqual(expect.any(String));
      const second = await listRuns(`?limit=2&cursor=${first.next_cursor}`);
      expect(second.data.map((r) => r.id)).toEqual(created.slice(2));
      expect(second).toMatchObject({ has_more: false, next_cursor: null });

      expectDeckError(
        await client.get(`/v2/task-runs?limit=2&status=queued&cursor=${first.next_cursor}`),
        400,
        'cursor_invalid',
      );
      expectDeckError(await client.get('/v2/task-runs?limit=0'), 400, 'input_invalid', 'limit');
    });

    it("should not show another organisation's runs", async () => {
      await runTask(client, taskId, { source_id: sourceId });
      const other = deckClient(deck);
      await seeded(other);
      expect(((await other.get('/v2/task-runs').expect(200)).body as DeckList<DeckTaskRun>).data).toEqual([]);
    });
  });

  describe('GET /v2/task-runs/:id', () => {
    it('should add the sections asked for with include, and only those', async () => {
      const run = await runTask(client, taskId, { source_id: sourceId, input: { hello: 'world' } });
      await until(run.id, 'completed');

      const plain = await getRun(run.id);
      expect(plain).toMatchObject({ id: run.id, object: 'task_run', request_id: expect.stringMatching(/^req_/) });
      for (const section of ['input', 'storage', 'artifacts']) {
        expect(plain).not.toHaveProperty(section);
      }

      const input = await getRun(run.id, '?include=input');
      expect(input.input).toEqual({ hello: 'world' });
      expect(input).not.toHaveProperty('storage');
      expect(input).not.toHaveProperty('artifacts');

      const all = await getRun(run.id, '?include=input,storage,artifacts');
      expect(all).toMatchObject({ input: { hello: 'world' }, storage: [], artifacts: { screenshots: [] } });
      const repeated = await getRun(run.id, '?include=storage&include=screenshots');
      expect(repeated).toMatchObject({ storage: [], artifacts: { screenshots: [] } });
      expect(repeated).not.toHaveProperty('input');

      const noInput = await runTask(client, taskId, { source_id: sourceId });
      expect((await getRun(noInput.id, '?include=input')).input).toBeNull();

      expectDeckError(await client.get(`/v2/task-runs/${run.id}?include=bogus`), 400, 'input_invalid', 'include');
      expectDeckError(await client.get(`/v2/task-runs/${run.id}?include=input,bogus`), 400, 'input_invalid', 'include');
    });

    it('should answer 404 for an unknown run or one from another organisation', async () => {
      expectDeckError(await client.get('/v2/task-runs/trun_missing'), 404, 'task_run_not_found');
      const run = await runTask(client, taskId, { source_id: sourceId });
      const other = deckClient(deck);
      expectDeckError(await other.get(`/v2/task-runs/${run.id}`), 404, 'task_run_not_found');
    });
  });

  describe('task timeout (settings.timeout_seconds)', () => {
    it('should fail a run that outlives its task timeout', async () => {
      const task = await createTask({ settings: { timeout_seconds: 60 } });
      const { credential, run } = await start('user_slow', { task: task.id });
      await until(run.id, 'running');
      await advance(30 * SECOND);
      expect((await getRun(run.id)).status).toBe('running');
      await advance(31 * SECOND);
      const failed = await getRun(run.id);
      expect(failed).toMatchObject({ status: 'failed', result: 'failure' });
      expect(failed.errors).toEqual([
        { type: 'task', code: 'timeout', message: 'Task execution exceeded the timeout of 1 minute.' },
      ]);
      expect(await credentialStatus(credential.id)).toBe('unverified');
      expect(await runEvents(run.id)).toEqual(['task_run.queued', 'task_run.running', 'task_run.failed']);
    });

    it('should fail a run waiting for an interaction when the task timeout comes first', async () => {
      const task = await createTask({ settings: { timeout_seconds: 60 } });
      const { run } = await start('user_mfa', { task: task.id });
      await until(run.id, 'interaction_required');
      await advance(61 * SECOND);
      const failed = await getRun(run.id);
      expect(failed).toMatchObject({ status: 'failed', interaction: null });
      expect(failed.errors).toEqual([{ type: 'task', code: 'timeout', message: expect.any(String) }]);
    });

    it('should fail a run waiting for review when the task timeout passes', async () => {
      const task = await createTask({ settings: { timeout_seconds: 60 } });
      const { run } = await start('user_review', { task: task.id });
      await until(run.id, 'review_required');
      await advance(61 * SECOND);
      const failed = await getRun(run.id);
      expect(failed.status).toBe('failed');
      expect(failed.errors).toEqual([{ type: 'task', code: 'timeout', message: expect.any(String) }]);
    });
  });
});
