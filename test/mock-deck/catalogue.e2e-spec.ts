import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

import type {
  DeckCredential,
  DeckEvent,
  DeckEventDelivery,
  DeckEventDestination,
  DeckInteraction,
  DeckList,
  DeckTaskRun,
  TaskRunStatus,
} from '@app/deck';

import { runTask, seeded } from '../support/deck-fixtures';
import { deckClient, DeckClient, MockDeck, startMockDeck, waitFor } from '../support/mock-deck-app';

/**
 * The README's catalogue ("Source scripts: the username decides"), row by row, end to end:
 * a run of the seeded "Verify login" task on the frozen sandbox clock, every event arriving
 * at a real HTTP receiver, each one verified with `standardwebhooks`.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
/** MOCK_DECK_STEP_MS, set explicitly for this file (it is also the README's default). */
const STEP_MS = 1000;
const RIGHT_CODE = '123456';

/** One request the receiver got, verified against its destination's secret. */
interface Hook {
  headers: Record<string, string>;
  rawBody: string;
  event: DeckEvent;
}

interface ReceivedRequest {
  path: string;
  headers: Record<string, string>;
  rawBody: string;
}

/** A real HTTP server that answers 200 to everything and records raw bodies and headers. */
class Receiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly server: Server = createServer((req, res) => this.handle(req, res));
  private nextPath = 0;
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A fresh path, so each test sees only its own destination's requests. */
  endpoint(): string {
    return `/catalogue/${++this.nextPath}`;
  }

  to(path: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        headers[name] = Array.isArray(value) ? value.join(', ') : (value ?? '');
      }
      this.requests.push({ path: req.url ?? '', headers, rawBody: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = 200;
      res.end('ok');
    });
  }
}

/** The webhook event a run status announces (the REST status `cancelling` is the event `task_run.canceling`). */
function eventTypeOf(status: TaskRunStatus): string {
  return status === 'cancelling' || status === 'canceling' ? 'task_run.canceling' : `task_run.${status}`;
}

/** Events about a run or about a credential: what the catalogue is judged on. */
function isRunOrCredentialEvent(event: DeckEvent, credentialId: string): boolean {
  return (
    (event.type.startsWith('task_run.') && event.data.credential_id === credentialId) ||
    (event.type.startsWith('credential.') && event.data.id === credentialId)
  );
}

describe('Catalogue rows end to end (frozen clock, real webhook receiver)', () => {
  let deck: MockDeck;
  let receiver: Receiver;

  beforeAll(async () => {
    deck = await startMockDeck({ MOCK_DECK_STEP_MS: String(STEP_MS) });
    deck.clock.freeze();
    receiver = new Receiver();
    await receiver.start();
  });

  afterAll(async () => {
    await deck.close();
    await receiver.close();
  });

  /**
   * One test's world: a fresh organisation, a destination for every event pointing at its own
   * receiver path, and a credential whose username picks the catalogue row.
   */
  class Flow {
    private constructor(
      readonly client: DeckClient,
      readonly taskId: string,
      readonly sourceId: string,
      readonly path: string,
      readonly destination: DeckEventDestination,
      readonly secret: string,
      readonly credential: DeckCredential,
      readonly password: string,
    ) {}

    static async start(username: string): Promise<Flow> {
      const client = deckClient(deck);
      const { sourceId, taskId } = await seeded(client);
      const path = receiver.endpoint();
      const destination = (
        await client
          .post('/v2/event-destinations', {
            name: `Catalogue ${username}`,
            events: ['*'],
            webhook: { url: `${receiver.url}${path}` },
          })
          .expect(201)
      ).body as DeckEventDestination;
      const secret = destination.webhook?.secret;
      expect(secret).toMatch(/^whsec_/);
      const password = `pw-${randomBytes(12).toString('hex')}`;
      const credential = (
        await client
          .post('/v2/credentials', {
            source_id: sourceId,
            auth_method: 'username_password',
            auth_credentials: { username, password },
            external_id: `ext_${username}`,
          })
          .expect(201)
      ).body as DeckCredential;
      expect(credential.status).toBe('unverified');
      return new Flow(client, taskId, sourceId, path, destination, secret!, credential, password);
    }

    /** Starts a run of the seeded "Verify login" task with the credential. */
    async run(): Promise<DeckTaskRun> {
      const run = await runTask(this.client, this.taskId, { credential_id: this.credential.id });
      expect(run.status).toBe('queued');
      return run;
    }

    async getRun(runId: string): Promise<DeckTaskRun> {
      return (await this.client.get(`/v2/task-runs/${runId}`).expect(200)).body as DeckTaskRun;
    }

    async answer(runId: string, input: Record<string, string>): Promise<DeckTaskRun> {
      const res = await this.client.post(`/v2/task-runs/${runId}/interaction`, { input }).expect(200);
      const run = res.body as DeckTaskRun;
      expect(run).toMatchObject({ id: runId, status: 'running', interaction: null });
      return run;
    }

    async credentialStatus(): Promise<string> {
      return ((await this.client.get(`/v2/credentials/${this.credential.id}`).expect(200)).body as DeckCredential)
        .status;
    }

    /**
     * Every request to this test's path, each verified with `standardwebhooks` against the
     * destination secret (a bad signature throws), with webhook-id equal to the event id.
     * Deliveries are at least once, so a repeat of an event id counts once.
     */
    hooks(): Hook[] {
      const byId = new Map<string, Hook>();
      for (const request of receiver.to(this.path)) {
        const event = new Webhook(this.secret).verify(request.rawBody, request.headers) as DeckEvent;
        expect(request.headers['webhook-id']).toBe(event.id);
        expect(request.headers['content-type']).toBe('application/json');
        const earlier = byId.get(event.id);
        if (earlier) {
          expect(request.rawBody).toBe(earlier.rawBody);
        } else {
          byId.set(event.id, { headers: request.headers, rawBody: request.rawBody, event });
        }
      }
      return [...byId.values()];
    }

    /** Received events of `type` about `objectId`. */
    received(type: string, objectId: string): DeckEvent[] {
      return this.hooks()
        .map((h) => h.event)
        .filter((e) => e.type === type && e.data.id === objectId);
    }

    /** Waits until the receiver has got at least `count` events of `type` about `objectId`. */
    waitForEvent(type: string, objectId: string, count = 1): Promise<DeckEvent[]> {
      return waitFor(
        () => {
          const events = this.received(type, objectId);
          return Promise.resolve(events.length >= count ? events : undefined);
        },
        5000,
        `${count} × ${type} for ${objectId} at the receiver`,
      );
    }

    /**
     * Waits until no delivery to the destination is still pending, so a big clock jump cannot
     * overtake a send in flight, and so every event written so far has reached the receiver.
     */
    async quiesce(): Promise<void> {
      await waitFor(
        async () => {
          const res = await this.client
            .get(`/v2/event-destinations/${this.destination.id}/event-deliveries?limit=100`)
            .expect(200);
          const deliveries = (res.body as DeckList<DeckEventDelivery>).data;
          return deliveries.every((d) => d.status !== 'pending') ? true : undefined;
        },
        5000,
        `the deliveries to ${this.destination.id} to finish`,
      );
    }

    /**
     * The task_run.* and credential.* events the receiver got for this credential, oldest first.
     * Webhooks may arrive in any order, so they are put in the event store's
     * order; every stored event of those kinds must have arrived, byte for byte the stored event.
     */
    async sequence(): Promise<DeckEvent[]> {
      await this.quiesce();
      const res = await this.client.get('/v2/events?limit=100').expect(200);
      const stored = (res.body as DeckList<DeckEvent>).data
        .reverse()
        .filter((e) => isRunOrCredentialEvent(e, this.credential.id));
      const received = new Map(
        this.hooks()
          .filter((h) => isRunOrCredentialEvent(h.event, this.credential.id))
          .map((h) => [h.event.id, h] as const),
      );
      expect([...received.keys()].sort()).toEqual(stored.map((e) => e.id).sort());
      return stored.map((event) => {
        const { request_id: _requestId, ...withoutRequestId } = event;
        const hook = received.get(event.id)!;
        expect(JSON.parse(hook.rawBody)).toEqual(withoutRequestId);
        return hook.event;
      });
    }

    async types(): Promise<string[]> {
      return (await this.sequence()).map((e) => e.type);
    }

    /** The credential's status from the API, and the same status in the newest credential event it sent. */
    async expectCredential(status: 'unverified' | 'verified' | 'invalid'): Promise<void> {
      expect(await this.credentialStatus()).toBe(status);
      const credentialEvents = (await this.sequence()).filter((e) => e.type.startsWith('credential.'));
      const latest = credentialEvents[credentialEvents.length - 1];
      expect(latest.data).toEqual(
        expect.objectContaining({
          id: this.credential.id,
          object: 'credential',
          status,
          source_id: this.sourceId,
          auth_method: 'username_password',
          external_id: this.credential.external_id,
        }),
      );
    }
  }

  /** Moves the frozen clock by `ms` once the deliveries so far are done, and lets everything due run. */
  async function step(flow: Flow, ms = STEP_MS): Promise<void> {
    await flow.quiesce();
    deck.clock.advance(ms);
    await deck.settle();
  }

  /**
   * Steps the clock until the run has `status`, then waits for the webhook that announced it;
   * returns the run (REST) and that event (as received).
   */
  async function stepUntil(
    flow: Flow,
    runId: string,
    status: TaskRunStatus,
    maxSteps = 6,
  ): Promise<{ run: DeckTaskRun; event: DeckEvent }> {
    const type = eventTypeOf(status);
    const seen = flow.received(type, runId).length;
    for (let i = 0; i < maxSteps; i++) {
      await step(flow);
      const run = await flow.getRun(runId);
      if (run.status === status) {
        const events = await flow.waitForEvent(type, runId, seen + 1);
        return { run, event: events[seen] };
      }
    }
    const last = await flow.getRun(runId);
    throw new Error(`Run ${runId} is ${last.status} after ${maxSteps} steps of ${STEP_MS} ms, not ${status}`);
  }

  /** Steps to the next prompt and checks the REST run and the webhook show the same interaction. */
  async function nextPrompt(flow: Flow, runId: string): Promise<DeckInteraction> {
    const { run, event } = await stepUntil(flow, runId, 'interaction_required');
    expect(run.interaction).not.toBeNull();
    expect(event.data).toEqual(
      expect.objectContaining({ id: runId, status: 'interaction_required', interaction: run.interaction }),
    );
    return run.interaction!;
  }

  /** Answers, and waits for the `task_run.running` that the answer resumes the run with. */
  async function answer(flow: Flow, runId: string, input: Record<string, string>): Promise<void> {
    const seen = flow.received('task_run.running', runId).length;
    await flow.answer(runId, input);
    await flow.waitForEvent('task_run.running', runId, seen + 1);
  }

  async function expectCompleted(flow: Flow, runId: string): Promise<DeckTaskRun> {
    const { run, event } = await stepUntil(flow, runId, 'completed');
    expect(run).toMatchObject({ status: 'completed', result: 'success', errors: [], interaction: null });
    expect(event.data).toEqual(
      expect.objectContaining({
        id: runId,
        object: 'task_run',
        status: 'completed',
        result: 'success',
        task_id: flow.taskId,
        credential_id: flow.credential.id,
        source_id: flow.sourceId,
        runtime_ms: expect.any(Number),
      }),
    );
    await flow.waitForEvent('credential.verified', flow.credential.id);
    return run;
  }

  async function expectFailed(flow: Flow, runId: string, type: string, code: string, maxSteps = 6) {
    const { run, event } = await stepUntil(flow, runId, 'failed', maxSteps);
    expect(run).toMatchObject({ status: 'failed', result: 'failure', interaction: null });
    expect(run.errors).toEqual([expect.objectContaining({ type, code, message: expect.any(String) })]);
    expect(event.data).toEqual(
      expect.objectContaining({ id: runId, status: 'failed', errors: [expect.objectContaining({ type, code })] }),
    );
    return run;
  }

  const MFA_PROMPT = {
    type: 'mfa',
    message: expect.any(String),
    fields: [{ name: 'code', type: 'string', label: expect.any(String) }],
  };
  const QUESTION_PROMPT = {
    type: 'security_question',
    message: expect.any(String),
    fields: [{ name: 'answer', type: 'string', label: expect.any(String) }],
  };
  const ACCOUNT_PROMPT = {
    type: 'account_selection',
    message: expect.any(String),
    fields: [{ name: 'account_id', type: 'string', label: expect.any(String) }],
  };

  const SUCCESS = ['task_run.queued', 'task_run.running', 'task_run.completed', 'credential.verified'];
  const PROMPT = ['task_run.interaction_required', 'task_run.running'];

  describe('user_good', () => {
    it('should go queued → running → completed (success) and verify the credential, moving only with the clock', async () => {
      const flow = await Flow.start('user_good');
      const created = await flow.run();

      // Frozen: nothing moves until the clock does; a step is MOCK_DECK_STEP_MS.
      await deck.settle();
      await flow.quiesce();
      expect((await flow.getRun(created.id)).status).toBe('queued');
      await step(flow, STEP_MS - 1);
      expect((await flow.getRun(created.id)).status).toBe('queued');
      expect(flow.received('task_run.running', created.id)).toEqual([]);
      await step(flow, 1);
      expect((await flow.getRun(created.id)).status).toBe('running');
      await flow.waitForEvent('task_run.running', created.id);

      await expectCompleted(flow, created.id);
      expect(await flow.types()).toEqual(['credential.created', ...SUCCESS]);
      await flow.expectCredential('verified');
    });

    it('should close the idle session after 10 minutes', async () => {
      const flow = await Flow.start('user_good');
      const created = await flow.run();
      const run = await expectCompleted(flow, created.id);
      const sessionId = run.session_id!;
      const sessionStatus = async () =>
        ((await flow.client.get(`/v2/sessions/${sessionId}`).expect(200)).body as { status: string }).status;
      expect(await sessionStatus()).toBe('idle');

      await step(flow, 10 * MINUTE - SECOND);
      expect(await sessionStatus()).toBe('idle');
      await step(flow, 2 * SECOND);
      expect(await sessionStatus()).toBe('completed');
      await flow.waitForEvent('session.completed', sessionId);
    });
  });

  describe('user_bad', () => {
    it('should fail with auth_invalid and make the credential invalid', async () => {
      const flow = await Flow.start('user_bad');
      const run = await flow.run();
      await expectFailed(flow, run.id, 'auth', 'auth_invalid');
      await flow.waitForEvent('credential.invalid', flow.credential.id);
      expect(await flow.types()).toEqual([
        'credential.created',
        'task_run.queued',
        'task_run.running',
        'task_run.failed',
        'credential.invalid',
      ]);
      await flow.expectCredential('invalid');
    });
  });

  describe('user_mfa', () => {
    it('should ask for a 6-digit code and complete with 123456', async () => {
      const flow = await Flow.start('user_mfa');
      const run = await flow.run();
      expect(await nextPrompt(flow, run.id)).toEqual(MFA_PROMPT);
      await answer(flow, run.id, { code: RIGHT_CODE });
      await expectCompleted(flow, run.id);
      expect(await flow.types()).toEqual([
        'credential.created',
        'task_run.queued',
        'task_run.running',
        ...PROMPT,
        'task_run.completed',
        'credential.verified',
      ]);
      await flow.expectCredential('verified');
    });

    it('should re-prompt with a new message after a wrong code, then complete; no code or password in any webhook', async () => {
      const flow = await Flow.start('user_mfa');
      const wrongCode = '918273';
      const run = await flow.run();
      const first = await nextPrompt(flow, run.id);
      expect(first).toEqual(MFA_PROMPT);
      await answer(flow, run.id, { code: wrongCode });
      const second = await nextPrompt(flow, run.id);
      expect(second).toEqual(MFA_PROMPT);
      expect(second.message).not.toBe(first.message);
      await answer(flow, run.id, { code: RIGHT_CODE });
      await expectCompleted(flow, run.id);
      expect(await flow.types()).toEqual([
        'credential.created',
        'task_run.queued',
        'task_run.running',
        ...PROMPT,
        ...PROMPT,
        'task_run.completed',
        'credential.verified',
      ]);
      await flow.expectCredential('verified');

      const bodies = receiver.to(flow.path).map((r) => r.rawBody);
      expect(bodies.length).toBeGreaterThanOrEqual(10);
      for (const body of bodies) {
        expect(body).not.toContain(flow.password);
        expect(body).not.toContain(RIGHT_CODE);
        expect(body).not.toContain(wrongCode);
      }
    });

    it('should fail with interaction_invalid after three wrong codes, leaving the credential unverified', async () => {
      const flow = await Flow.start('user_mfa');
      const run = await flow.run();
      const messages: string[] = [];
      for (const code of ['000001', '000002', '000003']) {
        const prompt = await nextPrompt(flow, run.id);
        expect(prompt).toEqual(MFA_PROMPT);
        messages.push(prompt.message);
        await answer(flow, run.id, { code });
      }
      expect(messages[1]).not.toBe(messages[0]);
      await expectFailed(flow, run.id, 'interaction', 'interaction_invalid');
      expect(await flow.types()).toEqual([
        'credential.created',
        'task_run.queued',
        'task_run.running',
        ...PROMPT,
        ...PROMPT,
        ...PROMPT,
        'task_run.failed',
      ]);
      await flow.expectCredential('unverified');
    });

    it('should fail with interaction_timeout when nobody answers within 10 minutes', async () => {
      const flow = await Flow.start('user_mfa');
      const run = await flow.run();
      expect(await nextPrompt(flow, run.id)).toEqual(MFA_PROMPT);

      await step(flow, 10 * MINUTE - SECOND);
      expect(await flow.getRun(run.id)).toMatchObject({ status: 'interaction_required', interaction: MFA_PROMPT });
      await expectFailed(flow, run.id, 'interaction', 'interaction_timeout', 2);
      expect(await flow.types()).toEqual([
        'credential.created',
        'task_run.queued',
        'task_run.running',
        'task_run.interaction_required',
        'task_run.failed',
      ]);
      await flow.expectCredential('unverified');
    });
  });

  describe('user_mfa_<n>', () => {
    it.each([2, 3])('user_mfa_%i should ask for the code that many times, then complete', async (rounds) => {
      const flow = await Flow.start(`user_mfa_${rounds}`);
      const run = await flow.run();
      for (let round = 0; round < rounds; round++) {
        expect(await nextPrompt(flow, run.id)).toEqual(MFA_PROMPT);
        await answer(flow, run.id, { code: RIGHT_CODE });
      }
      await expectCompleted(flow, run.id);
      expect(await flow.types()).toEqual([
        'credential.created',
        'task_run.queued',
        'task_run.running',
        ...Array.from({ length: rounds }, () => PROMPT).flat(),
        'task_run.completed',
        'credential.verified',
      ]);
      await flow.expectCredential('verified');
    });
  });

  describe('user_question', () => {
    it('should ask a security question, take any answer and complete', async () => {
      const flow = await Flow.start('user_question');
      const run = await flow.run();
      expect(await nextPrompt(flow, run.id)).toEqual(QUESTION_PROMPT);
      await answer(flow, run.id, { answer: 'Any text at all' });
      await expectCompleted(flow, run.id);
      expect(await flow.types()).toEqual([
        'credential.created',
        'task_run.queued',
        'task_run.running',
        ...PROMPT,
        'task_run.completed',
        'credential.verified',
      ]);
      await flow.expectCredential('verified');
    });
  });

  describe('user_account', () => {
    it('should list the accounts, re-prompt for an unknown one and complete with acc_checking', async () => {
      const flow = await Flow.start('user_account');
      const run = await flow.run();
      const first = await nextPrompt(flow, run.id);
      expect(first).toEqual(ACCOUNT_PROMPT);
      expect(first.message).toContain('acc_checking');
      expect(first.message).toContain('acc_savings');

      await answer(flow, run.id, { account_id: 'acc_premium' });
      expect(await nextPrompt(flow, run.id)).toEqual(ACCOUNT_PROMPT);
      await answer(flow, run.id, { account_id: 'acc_checking' });
      await expectCompleted(flow, run.id);
      expect(await flow.types()).toEqual([
        'credential.created',
        'task_run.queued',
        'task_run.running',
        ...PROMPT,
        ...PROMPT,
        'task_run.completed',
        'credential.verified',
      ]);
      await flow.expectCredential('verified');
    });
  });

  describe('user_mfa_question', () => {
    it('should ask for MFA, then a security question, in one run', async () => {
      const flow = await Flow.start('user_mfa_question');
      const run = await flow.run();
      const mfa = await nextPrompt(flow, run.id);
      expect(mfa).toEqual(MFA_PROMPT);
      await answer(flow, run.id, { code: RIGHT_CODE });
      const question = await nextPrompt(flow, run.id);
      expect(question).toEqual(QUESTION_PROMPT);
      expect(question.message).not.toBe(mfa.message);
      await answer(flow, run.id, { answer: 'Rex' });
      await expectCompleted(flow, run.id);
      expect(await flow.types()).toEqual([
        'credential.created',
        'task_run.queued',
        'task_run.running',
        ...PROMPT,
        ...PROMPT,
        'task_run.completed',
        'credential.verified',
      ]);
      await flow.expectCredential('verified');
    });
  });

  describe('user_timeout', () => {
    it('should fail with interaction_timeout when the 30-second window closes', async () => {
      const flow = await Flow.start('user_timeout');
      const run = await flow.run();
      expect(await nextPrompt(flow, run.id)).toEqual(MFA_PROMPT);

      await step(flow, 29 * SECOND);
      expect((await flow.getRun(run.id)).status).toBe('interaction_required');
      await expectFailed(flow, run.id, 'interaction', 'interaction_timeout', 2);
      expect(await flow.types()).toEqual([
        'credential.created',
        'task_run.queued',
        'task_run.running',
        'task_run.interaction_required',
        'task_run.failed',
      ]);
      await flow.expectCredential('unverified');
    });
  });

  describe('user_source_down', () => {
    it('should fail with source_not_available and leave an unverified credential unverified', async () => {
      const flow = await Flow.start('user_source_down');
      const run = await flow.run();
      await expectFailed(flow, run.id, 'source', 'source_not_available');
      expect(await flow.types()).toEqual([
        'credential.created',
        'task_run.queued',
        'task_run.running',
        'task_run.failed',
      ]);
      await flow.expectCredential('unverified');
    });

    it('should leave a verified credential verified', async () => {
      // Verified by a user_good run that is under way when the username changes (the credential is still
      // unverified then, so the change reverts nothing); the next run follows user_source_down.
      const flow = await Flow.start('user_good');
      const first = await flow.run();
      await stepUntil(flow, first.id, 'running');
      await step(flow);
      expect((await flow.getRun(first.id)).status).toBe('running');
      await flow.client
        .patch(`/v2/credentials/${flow.credential.id}`, { auth_credentials: { username: 'user_source_down' } })
        .expect(200);
      expect(await flow.credentialStatus()).toBe('unverified');
      const second = await flow.run();

      await expectCompleted(flow, first.id);
      expect((await flow.getRun(second.id)).status).not.toBe('failed');
      await flow.expectCredential('verified');

      await expectFailed(flow, second.id, 'source', 'source_not_available');
      const sequence = await flow.sequence();
      expect(sequence.map((e) => e.type)).toEqual([
        'credential.created',
        'task_run.queued',
        'task_run.running',
        'task_run.queued',
        'task_run.completed',
        'credential.verified',
        'task_run.running',
        'task_run.failed',
      ]);
      expect(sequence[sequence.length - 1].data.id).toBe(second.id);
      await flow.expectCredential('verified');
    });
  });

  describe('user_locked', () => {
    it('should verify on the first run, then fail auth_invalid and go invalid on the next', async () => {
      const flow = await Flow.start('user_locked');
      const first = await flow.run();
      await expectCompleted(flow, first.id);
      await flow.expectCredential('verified');

      const second = await flow.run();
      await expectFailed(flow, second.id, 'auth', 'auth_invalid');
      const [invalid] = await flow.waitForEvent('credential.invalid', flow.credential.id);
      expect(invalid.data).toMatchObject({ id: flow.credential.id, status: 'invalid' });
      expect(await flow.types()).toEqual([
        'credential.created',
        ...SUCCESS,
        'task_run.queued',
        'task_run.running',
        'task_run.failed',
        'credential.invalid',
      ]);
      await flow.expectCredential('invalid');
    });
  });

  describe('user_slow', () => {
    it('should still be running after 5 minutes, and cancel through canceling to canceled', async () => {
      const flow = await Flow.start('user_slow');
      const run = await flow.run();
      await stepUntil(flow, run.id, 'running');
      await step(flow, 5 * MINUTE);
      expect(await flow.getRun(run.id)).toMatchObject({ status: 'running', result: null });

      const cancelled = (await flow.client.post(`/v2/task-runs/${run.id}/cancel`).expect(200)).body as DeckTaskRun;
      expect(['cancelling', 'canceling', 'canceled']).toContain(cancelled.status);
      await flow.waitForEvent('task_run.canceling', run.id);
      await step(flow);
      await flow.waitForEvent('task_run.canceled', run.id);
      const final = await flow.getRun(run.id);
      expect(final).toMatchObject({ status: 'canceled', canceled_at: expect.any(String), interaction: null });

      expect(await flow.types()).toEqual([
        'credential.created',
        'task_run.queued',
        'task_run.running',
        'task_run.canceling',
        'task_run.canceled',
      ]);
      await flow.expectCredential('unverified');
    });

    it('should complete after 10 minutes of work when nobody cancels it', async () => {
      const flow = await Flow.start('user_slow');
      const run = await flow.run();
      await stepUntil(flow, run.id, 'running');
      // A jump of the clock is time passing: the 10 minutes count from when the work was due to start,
      // however the clock got there, so the run completes within a few steps of running + 10 minutes.
      await step(flow, 9 * MINUTE);
      expect((await flow.getRun(run.id)).status).toBe('running');
      await step(flow, 59 * SECOND);
      expect((await flow.getRun(run.id)).status).toBe('running');

      const completed = await expectCompleted(flow, run.id);
      expect(completed.runtime_ms).toBeGreaterThanOrEqual(10 * MINUTE);
      expect(await flow.types()).toEqual(['credential.created', ...SUCCESS]);
      await flow.expectCredential('verified');
    });
  });

  describe('user_review', () => {
    it('should stop in review_required and stay there', async () => {
      const flow = await Flow.start('user_review');
      const run = await flow.run();
      const { event } = await stepUntil(flow, run.id, 'review_required');
      expect(event.data).toMatchObject({ id: run.id, status: 'review_required' });

      await step(flow, 10 * MINUTE);
      expect(await flow.getRun(run.id)).toMatchObject({ status: 'review_required', interaction: null });
      expect(await flow.types()).toEqual([
        'credential.created',
        'task_run.queued',
        'task_run.running',
        'task_run.review_required',
      ]);
      await flow.expectCredential('unverified');
    });
  });

  describe('usernames outside the table', () => {
    it('should treat an e-mail by its local part: user_bad@example.com behaves like user_bad', async () => {
      const flow = await Flow.start('user_bad@example.com');
      const run = await flow.run();
      await expectFailed(flow, run.id, 'auth', 'auth_invalid');
      await flow.waitForEvent('credential.invalid', flow.credential.id);
      expect(await flow.types()).toEqual([
        'credential.created',
        'task_run.queued',
        'task_run.running',
        'task_run.failed',
        'credential.invalid',
      ]);
      await flow.expectCredential('invalid');
    });

    it('should treat any other username like user_good', async () => {
      const flow = await Flow.start('jane.doe@example.com');
      const run = await flow.run();
      await expectCompleted(flow, run.id);
      expect(await flow.types()).toEqual(['credential.created', ...SUCCESS]);
      await flow.expectCredential('verified');
    });
  });
});
