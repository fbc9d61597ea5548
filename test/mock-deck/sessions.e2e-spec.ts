import type { DeckCredential, DeckSession, DeckTaskRun, TaskRunStatus } from '@app/deck';

import { createCredential, eventTypes, runTask, seeded, waitForRun } from '../support/deck-fixtures';
import { expectDeckError } from '../support/envelope';
import { deckClient, DeckClient, MockDeck, startMockDeck, waitFor } from '../support/mock-deck-app';

const MINUTE = 60_000;

describe('Sessions (/v2/sessions)', () => {
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

  async function start(
    username: string,
    body: Record<string, unknown> = {},
  ): Promise<{ credential: DeckCredential; run: DeckTaskRun }> {
    const credential = await createCredential(client, sourceId, username);
    const run = await runTask(client, taskId, { credential_id: credential.id, ...body });
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
    return (await client.get(`/v2/task-runs/${runId}`).expect(200)).body as DeckTaskRun;
  }

  async function getSession(sessionId: string): Promise<DeckSession> {
    return (await client.get(`/v2/sessions/${sessionId}`).expect(200)).body as DeckSession;
  }

  function sessionEvents(sessionId: string): Promise<string[]> {
    return eventTypes(client, (data) => data.id === sessionId);
  }

  describe('GET /v2/sessions/:id', () => {
    it('should return the session with the runs it executed', async () => {
      const { credential, run } = await start('user_good');
      await until(run.id, 'completed');
      const res = await client.get(`/v2/sessions/${run.session_id}`).expect(200);
      expect(res.body).toEqual({
        id: run.session_id,
        object: 'session',
        status: 'idle',
        runtime_ms: expect.any(Number),
        task_runs: [{ id: run.id, task_id: taskId, agent_id: agentId, credential_id: credential.id }],
        created_at: expect.any(String),
        updated_at: expect.any(String),
        request_id: expect.stringMatching(/^req_/),
      });
      const session = res.body as DeckSession;
      expect(session.id).toMatch(/^sess_[A-Za-z0-9]{24}$/);
      expect(session.runtime_ms).toBeGreaterThanOrEqual(0);
    });

    it('should list every run of a reused session, oldest first', async () => {
      const { run: first } = await start('user_good');
      await until(first.id, 'completed');
      const second = await runTask(client, taskId, { source_id: sourceId, session_id: first.session_id });
      await until(second.id, 'completed');
      const session = await getSession(first.session_id!);
      expect(session.task_runs).toEqual([
        { id: first.id, task_id: taskId, agent_id: agentId, credential_id: first.credential_id },
        { id: second.id, task_id: taskId, agent_id: agentId, credential_id: null },
      ]);
      expect(session.status).toBe('idle');
    });

    it('should run while a run runs and go idle once it ends', async () => {
      const { run } = await start('user_slow');
      expect((await getSession(run.session_id!)).status).toMatch(/^(queued|running)$/);
      await until(run.id, 'running');
      expect((await getSession(run.session_id!)).status).toBe('running');
      await client.post(`/v2/task-runs/${run.id}/cancel`).expect(200);
      await until(run.id, 'canceled');
      expect((await getSession(run.session_id!)).status).toBe('idle');
      expect(await sessionEvents(run.session_id!)).toEqual(['session.queued', 'session.running', 'session.idle']);
    });

    it('should stay running while a run waits for an interaction', async () => {
      const { run } = await start('user_mfa');
      await until(run.id, 'interaction_required');
      expect((await getSession(run.session_id!)).status).toBe('running');
      await client.post(`/v2/task-runs/${run.id}/interaction`, { input: { code: '123456' } }).expect(200);
      await until(run.id, 'completed');
      expect((await getSession(run.session_id!)).status).toBe('idle');
      expect(await sessionEvents(run.session_id!)).toEqual(['session.queued', 'session.running', 'session.idle']);
    });

    it('should go idle while its run waits for review, and take another run then', async () => {
      const { run } = await start('user_review');
      await until(run.id, 'review_required');
      expect((await getSession(run.session_id!)).status).toBe('idle');
      const next = await runTask(client, taskId, { source_id: sourceId, session_id: run.session_id });
      expect(next.session_id).toBe(run.session_id);
      await until(next.id, 'completed');
      const session = await getSession(run.session_id!);
      expect(session.status).toBe('idle');
      expect(session.task_runs.map((r) => r.id)).toEqual([run.id, next.id]);
      expect(await sessionEvents(run.session_id!)).toEqual([
        'session.queued',
        'session.running',
        'session.idle',
        'session.running',
        'session.idle',
      ]);
    });

    it('should put the session in its events', async () => {
      const { run } = await start('user_good');
      await until(run.id, 'completed');
      const res = await client.get('/v2/events?type=session.idle').expect(200);
      const events = res.body as { data: { data: Record<string, unknown> }[] };
      expect(events.data).toHaveLength(1);
      expect(events.data[0].data).toMatchObject({
        id: run.session_id,
        object: 'session',
        status: 'idle',
        task_runs: [{ id: run.id }],
      });
      expect(events.data[0].data).not.toHaveProperty('request_id');
    });

    it('should answer 404 for an unknown session or one from another organisation', async () => {
      expectDeckError(await client.get('/v2/sessions/sess_missing'), 404, 'session_not_found');
      const run = await runTask(client, taskId, { source_id: sourceId });
      const other = deckClient(deck);
      expectDeckError(await other.get(`/v2/sessions/${run.session_id}`), 404, 'session_not_found');
    });
  });

  describe('POST /v2/sessions/:id/end', () => {
    it('should complete the session and cancel the run still running in it', async () => {
      const { credential, run } = await start('user_slow');
      await until(run.id, 'running');
      const res = await client.post(`/v2/sessions/${run.session_id}/end`).expect(200);
      expect(res.body).toMatchObject({
        id: run.session_id,
        object: 'session',
        status: 'completed',
        task_runs: [{ id: run.id }],
        request_id: expect.stringMatching(/^req_/),
      });

      const canceled = await until(run.id, 'canceled');
      expect(canceled.canceled_at).toEqual(expect.any(String));
      expect(await eventTypes(client, (d) => d.id === run.id)).toEqual([
        'task_run.queued',
        'task_run.running',
        'task_run.canceling',
        'task_run.canceled',
      ]);
      expect(await sessionEvents(run.session_id!)).toEqual([
        'session.queued',
        'session.running',
        'session.completing',
        'session.completed',
      ]);
      const ended = await getSession(run.session_id!);
      expect(ended.status).toBe('completed');
      expect(((await client.get(`/v2/credentials/${credential.id}`).expect(200)).body as DeckCredential).status).toBe(
        'unverified',
      );
    });

    it('should cancel a run waiting for an interaction', async () => {
      const { run } = await start('user_mfa');
      await until(run.id, 'interaction_required');
      await client.post(`/v2/sessions/${run.session_id}/end`).expect(200);
      expect(await until(run.id, 'canceled')).toMatchObject({ interaction: null });
    });

    it('should freeze the runtime of an ended session', async () => {
      const { run } = await start('user_good');
      await until(run.id, 'completed');
      const ended = (await client.post(`/v2/sessions/${run.session_id}/end`).expect(200)).body as DeckSession;
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect((await getSession(run.session_id!)).runtime_ms).toBe(ended.runtime_ms);
    });

    it('should refuse to end a session twice, or to run more tasks in it', async () => {
      const { credential, run } = await start('user_good');
      await until(run.id, 'completed');
      await client.post(`/v2/sessions/${run.session_id}/end`).expect(200);
      expectDeckError(await client.post(`/v2/sessions/${run.session_id}/end`), 409, 'invalid_state');
      expectDeckError(
        await client.post(`/v2/tasks/${taskId}/run`, { credential_id: credential.id, session_id: run.session_id }),
        409,
        'invalid_state',
        'session_id',
      );
      expect(await sessionEvents(run.session_id!)).toEqual([
        'session.queued',
        'session.running',
        'session.idle',
        'session.completing',
        'session.completed',
      ]);
    });

    it('should answer 404 for an unknown session', async () => {
      expectDeckError(await client.post('/v2/sessions/sess_missing/end'), 404, 'session_not_found');
    });
  });

  describe('idle timeout', () => {
    it('should complete a session after 10 minutes without a running run', async () => {
      const { run } = await start('user_good');
      await until(run.id, 'completed');
      deck.clock.advance(9 * MINUTE);
      await deck.settle();
      expect((await getSession(run.session_id!)).status).toBe('idle');
      deck.clock.advance(MINUTE + 1000);
      await deck.settle();
      const session = await getSession(run.session_id!);
      expect(session.status).toBe('completed');
      expect(session.runtime_ms).toBeGreaterThanOrEqual(10 * MINUTE);
      expect(await sessionEvents(run.session_id!)).toEqual([
        'session.queued',
        'session.running',
        'session.idle',
        'session.completing',
        'session.completed',
      ]);
    });

    it('should count the idle time again from the end of the last run', async () => {
      const { run: first } = await start('user_good');
      await until(first.id, 'completed');
      deck.clock.advance(8 * MINUTE);
      await deck.settle();
      const second = await runTask(client, taskId, { source_id: sourceId, session_id: first.session_id });
      await until(second.id, 'completed');
      deck.clock.advance(8 * MINUTE);
      await deck.settle();
      expect((await getSession(first.session_id!)).status).toBe('idle');
      deck.clock.advance(3 * MINUTE);
      await deck.settle();
      expect((await getSession(first.session_id!)).status).toBe('completed');
    });

    it('should close an idle session on its own when sandbox time runs faster', async () => {
      const { run } = await start('user_good');
      await until(run.id, 'completed');
      deck.clock.setScale(2000);
      try {
        // 10 sandbox minutes pass in about 300 ms of real time; nothing moves the clock by hand.
        await waitFor(
          async () => ((await getSession(run.session_id!)).status === 'completed' ? true : undefined),
          3000,
          'the idle session to complete',
        );
      } finally {
        deck.clock.setScale(1);
      }
    });
  });
});
