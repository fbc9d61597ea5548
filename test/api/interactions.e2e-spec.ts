import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { Response } from 'supertest';
import { DataSource, EntityManager } from 'typeorm';

import type { AuditEntryView, InteractionView, LiveChange, OperatorView, Page } from '@app/contracts';
import type { DeckCredential, DeckEvent, DeckList, DeckTaskRun, TaskRunStatus } from '@app/deck';
import { Transactor } from '@app/sqlite';

import { newToken, tokenHash } from '../../apps/api/src/auth/session-cookie';
import { DeckClient } from '../../apps/api/src/deck/deck-client.service';
import { LinkTokenRow } from '../../apps/api/src/auth/link-token.entity';
import { MirrorService } from '../../apps/api/src/mirror/mirror.service';
import { ApiApp, loginAs, OperatorClient, startApi } from '../support/api-app';
import { expectApiError } from '../support/api-envelope';
import { createCredential, runTask, seeded, waitForRun } from '../support/deck-fixtures';
import { deckClient, DeckClient as SandboxClient, MockDeck, newApiKey, startMockDeck } from '../support/mock-deck-app';

const RIGHT_CODE = '123456';
/** Distinctive wrong codes, so a search of the database and responses cannot hit them by chance. */
const WRONG_CODE = 'Wq7-wrong-code-48213';
const USER_CODE = 'Zx9-user-code-77341';
const PASSWORD = 'operators-passphrase-1';

/** A prompt the api's mirror knows about: the sandbox's run and credential, and their local ids. */
interface Prompt {
  deckRunId: string;
  deckCredentialId: string;
  runId: string;
  credentialId: string;
  interactionId: string;
}

describe('Interaction queue (/api/interactions, /api/task-runs/:id/interaction)', () => {
  let deck: MockDeck;
  let api: ApiApp;
  let sandbox: SandboxClient;
  let sourceId: string;
  let taskId: string;
  let admin: OperatorClient;
  let viewer: OperatorClient;
  let operator: OperatorClient;
  let otherOperator: OperatorClient;
  let operatorId: string;
  let submits: jest.SpiedFunction<DeckClient['submitInteraction']>;
  let submitToDeck: DeckClient['submitInteraction'];
  /** Every body the api answered an answer with, searched for the answers at the end. */
  const answers: string[] = [];

  beforeAll(async () => {
    deck = await startMockDeck({ MOCK_DECK_STEP_MS: '20', MOCK_DECK_RATE_LIMIT: '2000' });
    const key = newApiKey();
    api = await startApi({
      DECK_API_URL: `${deck.url}/v2`,
      DECK_API_KEY: key,
      DECK_WEBHOOK_SECRET: `whsec_${randomBytes(32).toString('base64')}`,
      // The prompts here are fed to the mirror by hand; keep the periodic catch-up out of the way.
      CATCH_UP_INTERVAL_MS: '3600000',
    });
    sandbox = deckClient(deck, key);
    ({ sourceId, taskId } = await seeded(sandbox));
    admin = await loginAs(api);
    for (const [email, role] of [
      ['viewer@deckhand.test', 'viewer'],
      ['operator@deckhand.test', 'operator'],
      ['operator2@deckhand.test', 'operator'],
    ]) {
      await admin.post('/api/operators', { email, password: PASSWORD, role }).expect(201);
    }
    viewer = await loginAs(api, { email: 'viewer@deckhand.test', password: PASSWORD });
    operator = await loginAs(api, { email: 'operator@deckhand.test', password: PASSWORD });
    otherOperator = await loginAs(api, { email: 'operator2@deckhand.test', password: PASSWORD });
    operatorId = ((await operator.get('/api/auth/me').expect(200)).body as OperatorView).id;
    const deckSeam = api.app.get(DeckClient);
    submitToDeck = deckSeam.submitInteraction.bind(deckSeam);
    submits = jest.spyOn(deckSeam, 'submitInteraction');
  });

  afterAll(async () => {
    await api?.close();
    await deck?.close();
  });

  /** Waits for the sandbox run to reach `status`, then lets the sandbox finish that step. */
  async function sandboxRun(deckRunId: string, status: TaskRunStatus): Promise<DeckTaskRun> {
    await waitForRun(sandbox, deckRunId, (run) => run.status === status);
    await deck.settle();
    return (await sandbox.get(`/v2/task-runs/${deckRunId}`).expect(200)).body as DeckTaskRun;
  }

  /** Feeds the mirror the way the webhook inbox would, in one transaction. */
  function feed(work: (mirror: MirrorService, manager: EntityManager) => Promise<LiveChange[]>): Promise<LiveChange[]> {
    const mirror = api.app.get(MirrorService);
    return api.app.get(Transactor).run((manager) => work(mirror, manager));
  }

  /** A `user_mfa` credential and run at the sandbox, waiting for a code, mirrored into the api. */
  async function openPrompt(externalId = 'ext-ops'): Promise<Prompt> {
    const credential: DeckCredential = await createCredential(sandbox, sourceId, 'user_mfa', {
      external_id: externalId,
    });
    const started = await runTask(sandbox, taskId, { credential_id: credential.id });
    const waiting = await sandboxRun(started.id, 'interaction_required');
    expect(waiting.interaction?.fields.map((f) => f.name)).toEqual(['code']);
    const changes = await feed(async (mirror, manager) => [
      ...(await mirror.recordCredential(manager, credential)).changes,
      ...(await mirror.recordTaskRun(manager, waiting)).changes,
    ]);
    const run = changes.find((c) => c.kind === 'task_run');
    const interaction = changes.find((c) => c.kind === 'interaction');
    const local = changes.find((c) => c.kind === 'credential');
    if (run?.kind !== 'task_run' || interaction?.kind !== 'interaction' || local?.kind !== 'credential') {
      throw new Error('The mirror did not open the prompt');
    }
    return {
      deckRunId: waiting.id,
      deckCredentialId: credential.id,
      runId: run.task_run.id,
      credentialId: local.credential.id,
      interactionId: interaction.interaction.id,
    };
  }

  /** How many answers the sandbox took for a run: each one moves it back to `running`. */
  async function submitsSeen(deckRunId: string): Promise<number> {
    await deck.settle();
    const res = await sandbox.get('/v2/events?type=task_run.running&limit=100').expect(200);
    // The run's first move to `running` is its start, not an answer.
    return (res.body as DeckList<DeckEvent>).data.filter((e) => e.data.id === deckRunId).length - 1;
  }

  /** How many answers the api sent Deck for a run, through its one Deck seam. */
  function forwarded(deckRunId: string): number {
    return submits.mock.calls.filter(([runId]) => runId === deckRunId).length;
  }

  async function interaction(client: OperatorClient, id: string): Promise<InteractionView> {
    const page = (await client.get('/api/interactions?limit=100').expect(200)).body as Page<InteractionView>;
    const found = page.data.find((i) => i.id === id);
    if (!found) {
      throw new Error(`Interaction ${id} is not listed`);
    }
    return found;
  }

  async function answer(client: OperatorClient, runId: string, input: unknown): Promise<Response> {
    const res = await client.agent
      .post(`/api/task-runs/${runId}/interaction`)
      .set('X-XSRF-TOKEN', client.xsrf)
      .set('Content-Type', 'application/json')
      .send(typeof input === 'string' ? input : JSON.stringify({ input }));
    answers.push(JSON.stringify(res.body));
    return res;
  }

  async function linkFor(externalId: string, expiresInMs = 10 * 60_000): Promise<string> {
    const token = newToken();
    await api.app.get(Transactor).run((manager) =>
      manager.save(
        manager.create(LinkTokenRow, {
          token_hash: tokenHash(token),
          external_id: externalId,
          source_id: null,
          created_by: null,
          expires_at: new Date(Date.now() + expiresInMs).toISOString(),
          created_at: new Date().toISOString(),
        }),
      ),
    );
    return token;
  }

  function answerWithLink(token: string, runId: string, input: Record<string, string>) {
    return request(api.url).post(`/api/task-runs/${runId}/interaction`).set('X-Link-Token', token).send({ input });
  }

  describe('GET /api/interactions', () => {
    it('should list an open prompt with its fields, by ?status= or ?state=', async () => {
      const prompt = await openPrompt();
      for (const query of ['status=open', 'state=open', 'state=answered,open', 'state=expired&state=open']) {
        const page = (await viewer.get(`/api/interactions?${query}`).expect(200)).body as Page<InteractionView>;
        expect(page.data).toContainEqual(
          expect.objectContaining({
            id: prompt.interactionId,
            task_run_id: prompt.runId,
            credential_id: prompt.credentialId,
            state: 'open',
            answered_by: null,
            closed_at: null,
            prompt: {
              type: 'mfa',
              message: expect.stringContaining('6-digit code'),
              fields: [{ name: 'code', type: 'string', label: expect.any(String) }],
            },
          }),
        );
      }
      const answered = (await viewer.get('/api/interactions?state=answered').expect(200)).body as Page<InteractionView>;
      expect(answered.data.map((i) => i.id)).not.toContain(prompt.interactionId);
      const byCredential = (await viewer.get(`/api/interactions?credential_id=${prompt.credentialId}`).expect(200))
        .body as Page<InteractionView>;
      expect(byCredential.data.map((i) => i.id)).toEqual([prompt.interactionId]);
    });

    it('should page newest first with a cursor, without repeats', async () => {
      await openPrompt();
      await openPrompt();
      const all = (await viewer.get('/api/interactions?limit=100').expect(200)).body as Page<InteractionView>;
      expect(all.data.length).toBeGreaterThanOrEqual(3);
      const seen: InteractionView[] = [];
      let cursor: string | null = null;
      do {
        const res = await viewer.get(`/api/interactions?limit=2${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
        const page = res.body as Page<InteractionView>;
        expect(page.data.length).toBeLessThanOrEqual(2);
        seen.push(...page.data);
        cursor = page.next_cursor;
        expect(page.has_more).toBe(cursor !== null);
      } while (cursor);
      expect(seen.map((i) => i.id)).toEqual(all.data.map((i) => i.id));
      const openedAt = seen.map((i) => i.opened_at);
      expect([...openedAt].sort().reverse()).toEqual(openedAt);
    });

    it('should refuse bad filters with 400 naming the parameter', async () => {
      expectApiError(await viewer.get('/api/interactions?state=pending'), 400, 'validation_failed', 'state');
      expectApiError(await viewer.get("/api/interactions?status=open' OR 1=1--"), 400, 'validation_failed', 'status');
      expectApiError(await viewer.get('/api/interactions?limit=0'), 400, 'validation_failed', 'limit');
      expectApiError(await viewer.get('/api/interactions?limit=1e9'), 400, 'validation_failed', 'limit');
      expectApiError(await viewer.get('/api/interactions?limit=ten'), 400, 'validation_failed', 'limit');
      expectApiError(await viewer.get('/api/interactions?cursor=not-a-cursor'), 400, 'validation_failed', 'cursor');
      expectApiError(await viewer.get('/api/interactions?sort=name'), 400, 'validation_failed', 'sort');
    });

    it('should need a session or a link', async () => {
      expectApiError(await request(api.url).get('/api/interactions'), 401, 'unauthenticated');
      expectApiError(
        await request(api.url).get('/api/interactions').set('X-Link-Token', 'forged'),
        401,
        'link_invalid',
      );
    });
  });

  describe('POST /api/task-runs/:id/interaction', () => {
    it('should refuse a viewer with 403 and forward nothing', async () => {
      const prompt = await openPrompt();
      expectApiError(await answer(viewer, prompt.runId, { code: RIGHT_CODE }), 403, 'forbidden');
      expect(await submitsSeen(prompt.deckRunId)).toBe(0);
      expect(forwarded(prompt.deckRunId)).toBe(0);
      expect(await interaction(admin, prompt.interactionId)).toMatchObject({ state: 'open', answered_by: null });
    });

    it('should refuse answers that do not match the prompt with 400 and forward nothing', async () => {
      const prompt = await openPrompt();
      const cases: [unknown, string][] = [
        [{}, 'input.code'],
        [{ code: '   ' }, 'input.code'],
        [{ code: RIGHT_CODE, extra: 'x' }, 'input.extra'],
        [{ code: 123456 }, 'input.code'],
        [{ code: RIGHT_CODE, note: 'x'.repeat(1001) }, 'input.note'],
        [Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`f${i}`, 'x'])), 'input'],
        ['{"input":{"code":"123456","__proto__":{"polluted":"yes"}}}', '(body)'],
        ['{"input":{"constructor":"x"}}', '(body)'],
        ['{"input":"123456"}', 'input'],
        ['{"input":["123456"]}', 'input'],
        ['{}', 'input'],
        ['{"input":{"code":"123456"},"answered_by":"someone"}', 'answered_by'],
      ];
      for (const [input, field] of cases) {
        expectApiError(await answer(operator, prompt.runId, input), 400, 'validation_failed', field);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(await submitsSeen(prompt.deckRunId)).toBe(0);
      expect(forwarded(prompt.deckRunId)).toBe(0);
      expect((await sandbox.get(`/v2/task-runs/${prompt.deckRunId}`).expect(200)).body).toMatchObject({
        status: 'interaction_required',
      });
      expect(await interaction(admin, prompt.interactionId)).toMatchObject({ state: 'open', answered_by: null });
    });

    it('should forward a wrong code once, record who answered, refuse a second answer, then take the new prompt', async () => {
      const prompt = await openPrompt();
      const res = await answer(operator, prompt.runId, { code: WRONG_CODE });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: prompt.interactionId,
        state: 'answered',
        answered_by: operatorId,
        closed_at: expect.any(String),
      });
      expect(await interaction(viewer, prompt.interactionId)).toMatchObject({
        state: 'answered',
        answered_by: operatorId,
      });

      // Deck checks the code and asks again; the mirror has not heard of the new prompt yet.
      const again = await sandboxRun(prompt.deckRunId, 'interaction_required');
      expect(again.interaction?.message).toMatch(/not accepted/);
      expectApiError(await answer(otherOperator, prompt.runId, { code: RIGHT_CODE }), 409, 'conflict');
      expect(await submitsSeen(prompt.deckRunId)).toBe(1);
      expect(forwarded(prompt.deckRunId)).toBe(1);
      expect((await sandbox.get(`/v2/task-runs/${prompt.deckRunId}`).expect(200)).body).toMatchObject({
        status: 'interaction_required',
      });

      // The re-prompt reaches the mirror as Deck's event would, and is answered with the right code.
      const events = (await sandbox.get('/v2/events?type=task_run.interaction_required&limit=100').expect(200))
        .body as DeckList<DeckEvent>;
      const reprompt = events.data.find((e) => e.data.id === prompt.deckRunId);
      if (!reprompt) {
        throw new Error('The sandbox wrote no re-prompt event');
      }
      await feed(async (mirror, manager) => (await mirror.applyEvent(manager, reprompt)).changes);
      const queue = (await viewer.get(`/api/interactions?state=open&credential_id=${prompt.credentialId}`).expect(200))
        .body as Page<InteractionView>;
      expect(queue.data).toHaveLength(1);
      expect(queue.data[0].prompt.message).toMatch(/not accepted/);

      const right = await answer(otherOperator, prompt.runId, { code: RIGHT_CODE });
      expect(right.status).toBe(200);
      expect(right.body).toMatchObject({ id: queue.data[0].id, state: 'answered' });
      expect(await submitsSeen(prompt.deckRunId)).toBe(2);
      expect(forwarded(prompt.deckRunId)).toBe(2);
      const completed = await sandboxRun(prompt.deckRunId, 'completed');
      expect(completed.result).toBe('success');

      // Once the mirror knows the run finished, nothing is waiting any more (ASVS 2.3.1).
      await feed(async (mirror, manager) => (await mirror.recordTaskRun(manager, completed)).changes);
      expectApiError(await answer(operator, prompt.runId, { code: RIGHT_CODE }), 409, 'conflict');
      expect(await submitsSeen(prompt.deckRunId)).toBe(2);
      expect(forwarded(prompt.deckRunId)).toBe(2);
    });

    it('should forward exactly one of two answers sent at once', async () => {
      const prompt = await openPrompt();
      // Deck answers slowly, so the second answer arrives while the first is still on its way.
      submits.mockImplementationOnce(async (...args) => {
        await new Promise((resolve) => setTimeout(resolve, 150));
        return submitToDeck(...args);
      });
      const results = await Promise.all([
        answer(operator, prompt.runId, { code: WRONG_CODE }),
        answer(otherOperator, prompt.runId, { code: WRONG_CODE }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expectApiError(
        results.find((r) => r.status === 409)!,
        409,
        'conflict',
      );
      expect(await submitsSeen(prompt.deckRunId)).toBe(1);
      expect(forwarded(prompt.deckRunId)).toBe(1);
      const winner = results.find((r) => r.status === 200)!.body as InteractionView;
      expect(await interaction(admin, prompt.interactionId)).toMatchObject({
        state: 'answered',
        answered_by: winner.answered_by,
      });
    });

    it('should refuse a prompt the mirror has closed, without asking Deck', async () => {
      const prompt = await openPrompt();
      await sandbox.post(`/v2/task-runs/${prompt.deckRunId}/cancel`).expect(200);
      const canceled = await sandboxRun(prompt.deckRunId, 'canceled');
      await feed(async (mirror, manager) => (await mirror.recordTaskRun(manager, canceled)).changes);
      expect(await interaction(admin, prompt.interactionId)).toMatchObject({ state: 'superseded' });
      expectApiError(await answer(operator, prompt.runId, { code: RIGHT_CODE }), 409, 'conflict');
      expect(await submitsSeen(prompt.deckRunId)).toBe(0);
      expect(forwarded(prompt.deckRunId)).toBe(0);
    });

    it('should answer 409 and release the prompt when Deck says the run is no longer waiting', async () => {
      const prompt = await openPrompt();
      // The run ends at the sandbox, and the mirror has not heard yet: only Deck can refuse.
      await sandbox.post(`/v2/task-runs/${prompt.deckRunId}/cancel`).expect(200);
      await sandboxRun(prompt.deckRunId, 'canceled');
      expectApiError(await answer(operator, prompt.runId, { code: RIGHT_CODE }), 409, 'conflict');
      expect(forwarded(prompt.deckRunId)).toBe(1);
      const after = await interaction(admin, prompt.interactionId);
      expect(after.answered_by).toBeNull();
      // Deck's answer was taken as news: the stale prompt has left the queue.
      expect(after.state).toBe('superseded');
      const audit = (await admin.get('/api/audit?limit=100').expect(200)).body as Page<AuditEntryView>;
      expect(audit.data.filter((e) => e.target === prompt.interactionId)).toEqual([]);
    });

    it('should answer 404 for an unknown run', async () => {
      expectApiError(await answer(operator, 'no-such-run', { code: RIGHT_CODE }), 404, 'not_found');
    });
  });

  describe('an end user with a connect link', () => {
    it('should see and answer its own prompts only', async () => {
      const mine = await openPrompt('ext-alice');
      const theirs = await openPrompt('ext-bob');
      const alice = await linkFor('ext-alice');

      const page = (await request(api.url).get('/api/interactions?state=open').set('X-Link-Token', alice).expect(200))
        .body as Page<InteractionView>;
      expect(page.data.map((i) => i.id)).toEqual([mine.interactionId]);
      const filtered = (
        await request(api.url)
          .get(`/api/interactions?credential_id=${theirs.credentialId}`)
          .set('X-Link-Token', alice)
          .expect(200)
      ).body as Page<InteractionView>;
      expect(filtered.data).toEqual([]);

      const other = await answerWithLink(alice, theirs.runId, { code: USER_CODE });
      answers.push(JSON.stringify(other.body));
      expectApiError(other, 404, 'not_found');
      expect(await submitsSeen(theirs.deckRunId)).toBe(0);
      expect(forwarded(theirs.deckRunId)).toBe(0);

      const own = await answerWithLink(alice, mine.runId, { code: USER_CODE });
      answers.push(JSON.stringify(own.body));
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ id: mine.interactionId, state: 'answered', answered_by: 'end_user:ext-alice' });
      expect(await submitsSeen(mine.deckRunId)).toBe(1);
      expect(forwarded(mine.deckRunId)).toBe(1);
    });

    it('should be refused once the link has expired', async () => {
      const prompt = await openPrompt('ext-carol');
      const expired = await linkFor('ext-carol', -1000);
      expectApiError(await answerWithLink(expired, prompt.runId, { code: USER_CODE }), 401, 'link_invalid');
      expect(await submitsSeen(prompt.deckRunId)).toBe(0);
      expect(forwarded(prompt.deckRunId)).toBe(0);
    });
  });

  describe('the answers themselves', () => {
    it('should be audited by who and which prompt, never by value', async () => {
      const audit = (await admin.get('/api/audit?limit=100').expect(200)).body as Page<AuditEntryView>;
      const answered = audit.data.filter((e) => e.action === 'interaction.answered');
      expect(answered.length).toBeGreaterThanOrEqual(4);
      expect(answered).toContainEqual(
        expect.objectContaining({ actor: operatorId, detail: expect.objectContaining({ fields: ['code'] }) }),
      );
      expect(answered).toContainEqual(expect.objectContaining({ actor: 'end_user:ext-alice' }));
    });

    it('should appear in no response, no audit entry and no table', async () => {
      const audit = JSON.stringify((await admin.get('/api/audit?limit=100').expect(200)).body);
      const dataSource = api.app.get(DataSource);
      const tables = await dataSource.query<{ name: string }[]>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
      );
      const rows = await Promise.all(tables.map(({ name }) => dataSource.query(`SELECT * FROM "${name}"`)));
      const database = JSON.stringify(rows);
      expect(answers.length).toBeGreaterThan(10);
      // The right code is six digits that hex ids and hashes could contain by chance; the others cannot.
      for (const secret of [WRONG_CODE, USER_CODE]) {
        for (const [where, text] of [
          ['responses', answers.join('\n')],
          ['audit', audit],
          ['database', database],
        ]) {
          expect({ where, found: text.includes(secret) }).toEqual({ where, found: false });
        }
      }
    });
  });
});
