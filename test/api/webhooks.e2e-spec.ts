import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { Response } from 'supertest';
import { Webhook } from 'standardwebhooks';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';

import type { Page, ReceivedEventView } from '@app/contracts';
import type { DeckCredential, DeckEvent, DeckEventDestination, DeckList, DeckTaskRun } from '@app/deck';
import { Transactor } from '@app/sqlite';

import { CredentialRow } from '../../apps/api/src/mirror/credential.entity';
import { DeckClient as ApiDeckClient } from '../../apps/api/src/deck/deck-client.service';
import { InteractionRow } from '../../apps/api/src/mirror/interaction.entity';
import { ChangeRow } from '../../apps/api/src/changes/change.entity';
import { MirrorService } from '../../apps/api/src/mirror/mirror.service';
import { SettingRow } from '../../apps/api/src/settings/setting.entity';
import { TaskRunRow } from '../../apps/api/src/mirror/task-run.entity';
import { CatchUpService } from '../../apps/api/src/webhooks/catch-up.service';
import { ReceivedEventRow } from '../../apps/api/src/webhooks/received-event.entity';
import { WebhookRegistration } from '../../apps/api/src/webhooks/webhook-registration.service';
import { ApiApp, freePort, loginAs, OperatorClient, startApi } from '../support/api-app';
import { expectApiError } from '../support/api-envelope';
import { createCredential, runTask, seeded } from '../support/deck-fixtures';
import { deckClient, DeckClient, MockDeck, newApiKey, startMockDeck, waitFor } from '../support/mock-deck-app';
import { attemptsOf, deliveriesOf, putFaults } from '../support/sandbox-deliveries';

const RIGHT_CODE = '123456';
const VIEWER = { email: 'viewer@deckhand.test', password: 'viewer-passphrase-1' };
const WAIT_MS = 10_000;

const newSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;
const newId = (prefix: string): string => `${prefix}_${randomBytes(12).toString('hex')}`;
const seconds = (at: Date): string => String(Math.floor(at.getTime() / 1000));

/** A Deck event as Deck would send it. */
function deckEvent(type: string, data: Record<string, unknown>, createdAt: string, id = newId('evt')): DeckEvent {
  return { id, object: 'event', type, data, created_at: createdAt } as DeckEvent;
}

/** A task run snapshot for a run the sandbox never had: the mirror learns of it from events only. */
function runData(runId: string, status: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: runId,
    object: 'task_run',
    task_id: 'task_handcrafted',
    credential_id: null,
    status,
    result: null,
    errors: [],
    interaction: null,
    ...extra,
  };
}

describe('Webhook inbox (POST /webhooks/deck) against the sandbox', () => {
  let deck: MockDeck;
  let api: ApiApp;
  let sandbox: DeckClient;
  let sourceId: string;
  let taskId: string;
  let destinationId: string;
  let secret: string;
  let admin: OperatorClient;

  /** Reads between the api's transactions, so a half-written one is never seen. */
  const read = <T>(work: (manager: EntityManager) => Promise<T>): Promise<T> =>
    api.app.get(Transactor).exclusive(() => work(api.app.get(DataSource).manager));

  const received = (id: string): Promise<ReceivedEventRow | null> => read((m) => m.findOneBy(ReceivedEventRow, { id }));

  function mirrorCredential(deckId: string, accept: (row: CredentialRow) => boolean = () => true) {
    return waitFor(
      async () => {
        const row = await read((m) => m.findOneBy(CredentialRow, { deck_id: deckId }));
        return row && accept(row) ? row : undefined;
      },
      WAIT_MS,
      `mirrored credential ${deckId}`,
    );
  }

  function mirrorRun(deckId: string, accept: (row: TaskRunRow) => boolean = () => true) {
    return waitFor(
      async () => {
        const row = await read((m) => m.findOneBy(TaskRunRow, { deck_id: deckId }));
        return row && accept(row) ? row : undefined;
      },
      WAIT_MS,
      `mirrored run ${deckId}`,
    );
  }

  function receivedEventually(id: string, accept: (row: ReceivedEventRow) => boolean = () => true) {
    return waitFor(
      async () => {
        const row = await received(id);
        return row && accept(row) ? row : undefined;
      },
      WAIT_MS,
      `received event ${id}`,
    );
  }

  /** Every Deck event about one object (a credential or a run), oldest first. */
  async function deckEventsAbout(objectId: string): Promise<DeckEvent[]> {
    const events: DeckEvent[] = [];
    let cursor = '';
    do {
      const res = await sandbox.get(`/v2/events?limit=100${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      const page = res.body as DeckList<DeckEvent>;
      events.push(...page.data);
      cursor = page.has_more && page.next_cursor ? page.next_cursor : '';
    } while (cursor);
    return events.filter((e) => e.data.id === objectId).reverse();
  }

  async function deckEventOf(objectId: string, type: string): Promise<DeckEvent> {
    return waitFor(
      async () => (await deckEventsAbout(objectId)).find((e) => e.type === type),
      WAIT_MS,
      `${type} of ${objectId}`,
    );
  }

  function signedHeaders(body: string, options: { id: string; secret?: string; at?: Date }): Record<string, string> {
    const at = options.at ?? new Date();
    return {
      'Content-Type': 'application/json',
      'webhook-id': options.id,
      'webhook-timestamp': seconds(at),
      'webhook-signature': new Webhook(options.secret ?? secret).sign(options.id, at, body),
    };
  }

  function deliver(body: string, headers: Record<string, string | string[]>) {
    const req = request(api.url).post('/webhooks/deck');
    for (const [name, value] of Object.entries(headers)) {
      req.set(name, value as string);
    }
    return req.send(body);
  }

  /** Signs an event as Deck does (webhook-id = event id) and posts it. */
  function send(event: DeckEvent, options: { secret?: string; webhookId?: string } = {}) {
    const body = JSON.stringify(event);
    return deliver(body, signedHeaders(body, { id: options.webhookId ?? event.id, secret: options.secret }));
  }

  const changesOf = (credentialId: string): Promise<number> =>
    read((m) => m.countBy(ChangeRow, { credential_id: credentialId }));

  beforeAll(async () => {
    deck = await startMockDeck({ MOCK_DECK_RETRY_SCHEDULE: '50ms,50ms,50ms', MOCK_DECK_RATE_LIMIT: '0' });
    sandbox = deckClient(deck, newApiKey());
    ({ sourceId, taskId } = await seeded(sandbox));
    // The api registers a destination for its own URL, so it has to know that URL before it listens.
    const port = await freePort();
    api = await startApi({
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DECK_API_URL: `${deck.url}/v2`,
      DECK_API_KEY: sandbox.apiKey,
      // Catch-up runs when a test says so (and once at start).
      CATCH_UP_INTERVAL_MS: '3600000',
    });
    const registration = api.app.get(WebhookRegistration);
    destinationId = await waitFor(
      () => Promise.resolve(registration.status().destination_id ?? undefined),
      WAIT_MS,
      'the api to register its destination',
    );
    await waitFor(
      async () => (await api.app.get(CatchUpService).status()).last_run_at ?? undefined,
      WAIT_MS,
      'the start-up catch-up',
    );
    secret = (
      (await sandbox.get(`/sandbox/event-destinations/${destinationId}/secret`).expect(200)).body as {
        secret: string;
      }
    ).secret;
    admin = await loginAs(api);
  });

  afterAll(async () => {
    await api?.close();
    await deck?.close();
  });

  describe('registration in sandbox mode', () => {
    it('should register one active destination for every event at its own URL', async () => {
      const destination = (await sandbox.get(`/v2/event-destinations/${destinationId}`).expect(200))
        .body as DeckEventDestination;
      expect(destination).toMatchObject({
        name: 'Deckhand api',
        status: 'active',
        events: ['*'],
        webhook: { url: `${api.url}/webhooks/deck` },
      });
      const all = (await sandbox.get('/v2/event-destinations').expect(200)).body as DeckList<DeckEventDestination>;
      expect(all.data.map((d) => d.id)).toEqual([destinationId]);
    });

    it('should keep the destination id in settings and the secret in memory only', async () => {
      const settings = await read((m) => m.find(SettingRow));
      expect(settings.find((s) => s.key === 'webhook.destination_id')?.value).toBe(destinationId);
      expect(JSON.stringify(settings)).not.toContain('whsec_');
      expect(JSON.stringify(settings)).not.toContain(secret.slice(6));
      expect(api.app.get(WebhookRegistration).status()).toEqual({
        mode: 'sandbox',
        destination_id: destinationId,
        secret_loaded: true,
        previous_secret_loaded: false,
        last_error: null,
      });
    });

    it('should receive the signed events of a run and move the mirror with them', async () => {
      const credential = await createCredential(sandbox, sourceId, 'user_good', { external_id: 'ext_good' });
      const run = await runTask(sandbox, taskId, { credential_id: credential.id });
      const mirrored = await mirrorCredential(credential.id, (row) => row.status === 'verified');
      expect(mirrored).toMatchObject({
        source_id: sourceId,
        external_id: 'ext_good',
        auth_method: 'username_password',
      });
      const runRow = await mirrorRun(run.id, (row) => row.status === 'completed');
      expect(runRow).toMatchObject({ result: 'success', credential_id: mirrored.id });

      const deckEvents = [...(await deckEventsAbout(credential.id)), ...(await deckEventsAbout(run.id))];
      expect(deckEvents.map((e) => e.type)).toEqual(
        expect.arrayContaining(['credential.created', 'task_run.queued', 'task_run.running', 'task_run.completed']),
      );
      for (const event of deckEvents) {
        const row = await receivedEventually(event.id);
        expect(row).toMatchObject({ type: event.type, via: 'webhook', object_id: event.data.id });
        expect(row.outcome).not.toBe('held');
      }
      const listed = (await admin.get('/api/events?limit=100').expect(200)).body as Page<ReceivedEventView>;
      const ids = listed.data.map((e) => e.id);
      expect(ids).toEqual(expect.arrayContaining(deckEvents.map((e) => e.id)));
    });
  });

  describe('registration across restarts', () => {
    it('should reuse the destination it registered before, switched back on at its new URL', async () => {
      const org = deckClient(deck, newApiKey());
      const { sourceId: orgSource } = await seeded(org);
      const dir = mkdtempSync(join(tmpdir(), 'deckhand-api-'));
      const envAt = (port: number): Record<string, string> => ({
        PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        DECK_API_URL: `${deck.url}/v2`,
        DECK_API_KEY: org.apiKey,
        DATABASE_PATH: join(dir, 'api.sqlite'),
        CATCH_UP_INTERVAL_MS: '3600000',
      });
      const registered = (app: ApiApp) =>
        waitFor(
          () => Promise.resolve(app.app.get(WebhookRegistration).status().destination_id ?? undefined),
          WAIT_MS,
          'a registered destination',
        );
      try {
        const first = await startApi(envAt(await freePort()));
        const id = await registered(first).finally(() => first.close());
        await org.patch(`/v2/event-destinations/${id}`, { status: 'inactive' }).expect(200);

        const second = await startApi(envAt(await freePort()));
        try {
          expect(await registered(second)).toBe(id);
          const destinations = (await org.get('/v2/event-destinations').expect(200))
            .body as DeckList<DeckEventDestination>;
          expect(destinations.data).toHaveLength(1);
          expect(destinations.data[0]).toMatchObject({
            id,
            status: 'active',
            webhook: { url: `${second.url}/webhooks/deck` },
          });
          // The secret was read back from the sandbox: deliveries verify.
          const credential = await createCredential(org, orgSource, 'user_good');
          const [event] = await deckEventsFor(org, credential.id);
          await waitFor(
            async () =>
              (await second.app
                .get(Transactor)
                .exclusive(() => second.app.get(DataSource).manager.findOneBy(ReceivedEventRow, { id: event.id }))) ??
              undefined,
            WAIT_MS,
            'a delivery to the restarted api',
          );
        } finally {
          await second.close();
        }

        await org.delete(`/v2/event-destinations/${id}`).expect(200);
        const third = await startApi(envAt(await freePort()));
        try {
          const replacement = await registered(third);
          expect(replacement).not.toBe(id);
          const stored = await third.app
            .get(Transactor)
            .exclusive(() =>
              third.app.get(DataSource).manager.findOneBy(SettingRow, { key: 'webhook.destination_id' }),
            );
          expect(stored?.value).toBe(replacement);
        } finally {
          await third.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('should register again at once when an operator resets the sandbox through the console', async () => {
      const org = deckClient(deck, newApiKey());
      await seeded(org);
      const port = await freePort();
      const app = await startApi({
        PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        DECK_API_URL: `${deck.url}/v2`,
        DECK_API_KEY: org.apiKey,
        CATCH_UP_INTERVAL_MS: '3600000',
      });
      try {
        const registration = app.app.get(WebhookRegistration);
        const before = await waitFor(
          () => Promise.resolve(registration.status().destination_id ?? undefined),
          WAIT_MS,
          'a registered destination',
        );
        const operator = await loginAs(app);
        const verifyOne = async (sourceId: string, externalId: string): Promise<string> => {
          const created = (
            await operator
              .post('/api/credentials', {
                source_id: sourceId,
                username: 'user_good',
                password: 'pw-1',
                external_id: externalId,
              })
              .expect(201)
          ).body as { id: string; deck_id: string };
          await operator.post(`/api/credentials/${created.id}/verify`).expect(202);
          return created.deck_id;
        };
        // The api now has the verification task's id cached.
        await verifyOne(
          ((await org.get('/v2/sources').expect(200)).body as DeckList<{ id: string }>).data[0].id,
          'before',
        );
        expect((await operator.post('/api/sandbox/reset', {})).status).toBeLessThan(300);

        // Answered only once the api is registered again: deliveries of the fresh organisation reach it.
        const after = registration.status().destination_id;
        expect(after).not.toBe(before);
        const destination = (await org.get(`/v2/event-destinations/${after}`).expect(200)).body as DeckEventDestination;
        expect(destination).toMatchObject({ status: 'active', webhook: { url: `${app.url}/webhooks/deck` } });
        const sources = (await operator.get('/api/sources').expect(200)).body as { id: string }[];
        const fresh = (await org.get('/v2/sources').expect(200)).body as DeckList<{ id: string }>;
        expect(sources.map((s) => s.id).sort()).toEqual(fresh.data.map((s) => s.id).sort());
        // The verification task has a new id too: the api starts a run at once, with no retry.
        const [event] = await deckEventsFor(org, await verifyOne(fresh.data[0].id, 'after'));
        await waitFor(
          async () =>
            (await app.app
              .get(Transactor)
              .exclusive(() => app.app.get(DataSource).manager.findOneBy(ReceivedEventRow, { id: event.id }))) ??
            undefined,
          WAIT_MS,
          'a delivery after the reset',
        );
      } finally {
        await app.close();
      }
    });

    it('should start without the sandbox, refuse deliveries, and keep trying in the background', async () => {
      const nowhere = await freePort();
      const started = Date.now();
      const early = await startApi({
        DECK_API_URL: `http://127.0.0.1:${nowhere}/v2`,
        DECK_API_KEY: newApiKey(),
        CATCH_UP_INTERVAL_MS: '3600000',
      });
      try {
        expect(Date.now() - started).toBeLessThan(WAIT_MS);
        const registration = early.app.get(WebhookRegistration);
        const creates = jest.spyOn(early.app.get(ApiDeckClient), 'createEventDestination');
        await waitFor(() => Promise.resolve(registration.status().last_error ?? undefined), WAIT_MS, 'a failed try');
        expect(registration.status()).toMatchObject({ mode: 'sandbox', destination_id: null, secret_loaded: false });
        await waitFor(() => Promise.resolve(creates.mock.calls.length > 0 ? true : undefined), WAIT_MS, 'another try');
        const event = deckEvent(
          'credential.created',
          { id: newId('cred'), source_id: 'src_x' },
          new Date().toISOString(),
        );
        const body = JSON.stringify(event);
        const res = await request(early.url)
          .post('/webhooks/deck')
          .set(signedHeaders(body, { id: event.id, secret: newSecret() }))
          .send(body);
        expectApiError(res, 401, 'signature_invalid');
      } finally {
        await early.close();
      }
    });
  });

  describe('catalogue scenarios end in the right mirror state', () => {
    async function start(username: string): Promise<{ credential: DeckCredential; run: DeckTaskRun }> {
      const credential = await createCredential(sandbox, sourceId, username);
      await mirrorCredential(credential.id);
      return { credential, run: await runTask(sandbox, taskId, { credential_id: credential.id }) };
    }

    it('should verify user_good', async () => {
      const { credential, run } = await start('user_good');
      await mirrorRun(run.id, (r) => r.status === 'completed' && r.result === 'success');
      expect((await mirrorCredential(credential.id, (c) => c.status === 'verified')).last_error).toBeNull();
    });

    it('should fail user_bad with auth_invalid and mark the credential invalid', async () => {
      const { credential, run } = await start('user_bad');
      const failed = await mirrorRun(run.id, (r) => r.status === 'failed');
      expect(failed.errors[0]).toMatchObject({ type: 'auth', code: 'auth_invalid' });
      const invalid = await mirrorCredential(credential.id, (c) => c.status === 'invalid');
      expect(invalid.last_error).toMatchObject({ code: 'auth_invalid' });
    });

    it('should open a prompt for user_mfa, and verify once the code is answered at Deck', async () => {
      const { credential, run } = await start('user_mfa');
      const runRow = await mirrorRun(run.id, (r) => r.status === 'interaction_required');
      const prompt = await waitFor(
        () =>
          read((m) => m.findOneBy(InteractionRow, { task_run_id: runRow.id, state: 'open' })).then(
            (r) => r ?? undefined,
          ),
        WAIT_MS,
        'an open prompt',
      );
      expect(prompt.prompt.fields.map((f) => f.name)).toEqual(['code']);
      await sandbox.post(`/v2/task-runs/${run.id}/interaction`, { input: { code: RIGHT_CODE } }).expect(200);
      await mirrorRun(run.id, (r) => r.status === 'completed' && r.result === 'success');
      await mirrorCredential(credential.id, (c) => c.status === 'verified');
      const closed = await read((m) => m.findOneByOrFail(InteractionRow, { id: prompt.id }));
      expect(closed.state).toBe('answered');
    });

    it('should fail user_timeout with interaction_timeout when the sandbox clock passes the prompt window', async () => {
      const { credential, run } = await start('user_timeout');
      const runRow = await mirrorRun(run.id, (r) => r.status === 'interaction_required');
      await sandbox.post('/sandbox/clock/advance', { by: '31s' }).expect(200);
      const failed = await mirrorRun(run.id, (r) => r.status === 'failed');
      expect(failed.errors[0]).toMatchObject({ code: 'interaction_timeout' });
      const prompts = await read((m) => m.findBy(InteractionRow, { task_run_id: runRow.id }));
      expect(prompts.map((p) => p.state)).toEqual(['expired']);
      const atDeck = (await sandbox.get(`/v2/credentials/${credential.id}`).expect(200)).body as DeckCredential;
      expect((await mirrorCredential(credential.id)).status).toBe(atDeck.status);
    });

    it('should fail user_source_down with a source error and leave the credential as it was', async () => {
      const { credential, run } = await start('user_source_down');
      const failed = await mirrorRun(run.id, (r) => r.status === 'failed');
      expect(failed.errors[0]).toMatchObject({ type: 'source', code: 'source_not_available' });
      const row = await mirrorCredential(credential.id);
      expect(row.status).toBe('unverified');
      expect(row.last_error).toMatchObject({ code: 'source_not_available' });
    });

    it('should verify user_locked on its first run and mark it invalid on the second', async () => {
      const { credential, run } = await start('user_locked');
      await mirrorRun(run.id, (r) => r.status === 'completed');
      await mirrorCredential(credential.id, (c) => c.status === 'verified');
      const second = await runTask(sandbox, taskId, { credential_id: credential.id });
      const failed = await mirrorRun(second.id, (r) => r.status === 'failed');
      expect(failed.errors[0]).toMatchObject({ code: 'auth_invalid' });
      await mirrorCredential(credential.id, (c) => c.status === 'invalid');
    });

    it('should stop user_review in review_required, then complete it when approved', async () => {
      const { credential, run } = await start('user_review');
      await mirrorRun(run.id, (r) => r.status === 'review_required');
      await sandbox.post(`/sandbox/task-runs/${run.id}/review`, { decision: 'approve' }).expect(200);
      await mirrorRun(run.id, (r) => r.status === 'completed');
      await mirrorCredential(credential.id, (c) => c.status === 'verified');
    });
  });

  describe('delivery faults on the api destination', () => {
    afterEach(async () => {
      await sandbox.delete(`/sandbox/event-destinations/${destinationId}/faults`).expect(200);
      const destination = (await sandbox.get(`/v2/event-destinations/${destinationId}`).expect(200))
        .body as DeckEventDestination;
      if (destination.status !== 'active') {
        await sandbox.patch(`/v2/event-destinations/${destinationId}`, { status: 'active' }).expect(200);
      }
      // Nothing of this test still on its way (the activation's own event included) to trouble the next one.
      await waitFor(
        async () =>
          (await deliveriesOf(sandbox, destinationId)).every((d) => d.status !== 'pending') ? true : undefined,
        WAIT_MS,
        'no delivery pending',
      );
    });

    async function setFaults(faults: Record<string, unknown>): Promise<void> {
      expect((await putFaults(deck, sandbox, destinationId, faults)).status).toBe(200);
    }

    /** The logged attempts to deliver `eventId`, once there are `count` of them (the log is written after the send). */
    function attemptsAt(eventId: string, count: number) {
      return waitFor(
        async () => {
          const attempts = (await attemptsOf(sandbox, destinationId)).filter((a) => a.event_id === eventId);
          return attempts.length >= count ? attempts : undefined;
        },
        WAIT_MS,
        `${count} attempts at ${eventId}`,
      );
    }

    /** Waits until Deck has given up on the delivery of `eventId` (the destination is then inactive). */
    async function givenUp(eventId: string): Promise<void> {
      await waitFor(
        async () =>
          (await deliveriesOf(sandbox, destinationId)).find((d) => d.event_id === eventId && d.status === 'failure'),
        WAIT_MS,
        `Deck to give up on ${eventId}`,
      );
    }

    it('should apply a triplicated delivery once and count the copies', async () => {
      await setFaults({ duplicate: 2 });
      const credential = await createCredential(sandbox, sourceId, 'user_good');
      const created = await deckEventOf(credential.id, 'credential.created');
      const row = await receivedEventually(created.id, (r) => r.duplicates === 2);
      expect(row).toMatchObject({ outcome: 'applied', via: 'webhook' });
      const mirrored = await mirrorCredential(credential.id);
      expect(await changesOf(mirrored.id)).toBe(1);
    });

    it('should end in the right state when a run’s events arrive newest first', async () => {
      const credential = await createCredential(sandbox, sourceId, 'user_good');
      await mirrorCredential(credential.id);
      await setFaults({ reorder_window_ms: 400 });
      const run = await runTask(sandbox, taskId, { credential_id: credential.id });
      const completed = await deckEventOf(run.id, 'task_run.completed');
      const events = await deckEventsAbout(run.id);
      const rows = await Promise.all(events.map((e) => receivedEventually(e.id)));
      expect(await mirrorRun(run.id)).toMatchObject({ status: 'completed', result: 'success' });
      await mirrorCredential(credential.id, (c) => c.status === 'verified');
      // Newest first: the completion came before the earlier states, which were recorded but not applied.
      expect(rows.find((r) => r.id === completed.id)?.outcome).toBe('applied');
      expect(rows.filter((r) => r.outcome === 'stale').map((r) => r.type)).toEqual(
        expect.arrayContaining(['task_run.queued']),
      );
      const attempts = (await attemptsOf(sandbox, destinationId)).filter((a) => a.faults.includes('reorder_window_ms'));
      expect(attempts.length).toBeGreaterThan(0);
    });

    it('should refuse deliveries signed with a wrong secret, apply nothing, and recover them by catch-up', async () => {
      await setFaults({ bad_signature: true });
      const credential = await createCredential(sandbox, sourceId, 'user_good');
      const created = await deckEventOf(credential.id, 'credential.created');
      await givenUp(created.id);
      const attempts = await attemptsAt(created.id, 4);
      expect(attempts.map((a) => a.status_code)).toEqual([401, 401, 401, 401]);
      expect(await received(created.id)).toBeNull();
      expect(await read((m) => m.findOneBy(CredentialRow, { deck_id: credential.id }))).toBeNull();

      await sandbox.delete(`/sandbox/event-destinations/${destinationId}/faults`).expect(200);
      const result = await api.app.get(CatchUpService).runNow();
      expect(result).toMatchObject({ ok: true, error: null });
      expect(result.recovered).toBeGreaterThanOrEqual(1);
      expect(await received(created.id)).toMatchObject({ via: 'catch_up', outcome: 'applied' });
      await mirrorCredential(credential.id, (c) => c.status === 'unverified');
    });

    it('should refuse deliveries signed ten minutes ago', async () => {
      await setFaults({ stale_timestamp_s: 600 });
      const credential = await createCredential(sandbox, sourceId, 'user_good');
      const created = await deckEventOf(credential.id, 'credential.created');
      await givenUp(created.id);
      const attempts = await attemptsAt(created.id, 4);
      expect(attempts.map((a) => a.status_code)).toEqual([401, 401, 401, 401]);
      expect(attempts.every((a) => a.faults.includes('stale_timestamp_s'))).toBe(true);
      expect(await received(created.id)).toBeNull();
    });

    it('should accept a delivery carrying a wrong signature before the right one', async () => {
      await setFaults({ dual_signature: true });
      const credential = await createCredential(sandbox, sourceId, 'user_good');
      const created = await deckEventOf(credential.id, 'credential.created');
      expect(await receivedEventually(created.id)).toMatchObject({ via: 'webhook', outcome: 'applied' });
      const [attempt] = await attemptsAt(created.id, 1);
      expect(attempt).toMatchObject({ status_code: 200, faults: ['dual_signature'] });
    });
  });

  describe('signature checks', () => {
    /** A valid, applicable event nobody has sent yet. */
    function freshEvent(): { event: DeckEvent; body: string } {
      const event = deckEvent(
        'credential.created',
        { id: newId('cred'), object: 'credential', source_id: sourceId, status: 'unverified' },
        new Date().toISOString(),
      );
      return { event, body: JSON.stringify(event) };
    }

    async function expectRefused(res: Response, event: DeckEvent): Promise<void> {
      expectApiError(res, 401, 'signature_invalid');
      expect(await received(event.id)).toBeNull();
      expect(await read((m) => m.findOneBy(CredentialRow, { deck_id: event.data.id as string }))).toBeNull();
    }

    it('should accept the same event when it is correctly signed', async () => {
      const { event, body } = freshEvent();
      const res = await deliver(body, signedHeaders(body, { id: event.id })).expect(200);
      expect(res.body).toEqual({ received: true, duplicate: false, outcome: 'applied' });
    });

    it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
      'should refuse a delivery without %s',
      async (header) => {
        const { event, body } = freshEvent();
        const headers = signedHeaders(body, { id: event.id });
        delete headers[header];
        await expectRefused(await deliver(body, headers), event);
      },
    );

    it('should refuse a body changed after signing, or re-serialised', async () => {
      const { event, body } = freshEvent();
      const headers = signedHeaders(body, { id: event.id });
      await expectRefused(await deliver(body.replace('unverified', 'verified__'), headers), event);
      await expectRefused(await deliver(JSON.stringify(event, null, 2), headers), event);
      await expectRefused(await deliver(`${body}\n`, headers), event);
    });

    it('should refuse a wrong secret, an empty, garbage or v1a-only signature', async () => {
      const { event, body } = freshEvent();
      const headers = signedHeaders(body, { id: event.id });
      await expectRefused(await deliver(body, signedHeaders(body, { id: event.id, secret: newSecret() })), event);
      for (const signature of ['', 'v1,', 'v1,!!!not-base64!!!', `v1a,${headers['webhook-signature'].slice(3)}`]) {
        await expectRefused(await deliver(body, { ...headers, 'webhook-signature': signature }), event);
      }
    });

    it('should refuse timestamps 301 s in the past or the future', async () => {
      const { event, body } = freshEvent();
      for (const offset of [-301_000, 301_000]) {
        const at = new Date(Date.now() + offset);
        await expectRefused(await deliver(body, signedHeaders(body, { id: event.id, at })), event);
      }
    });

    it('should refuse a timestamp that is not whole seconds, even one the library would parse', async () => {
      const { event, body } = freshEvent();
      const headers = signedHeaders(body, { id: event.id });
      await expectRefused(await deliver(body, { ...headers, 'webhook-timestamp': 'abc' }), event);
      await expectRefused(
        await deliver(body, { ...headers, 'webhook-timestamp': `${headers['webhook-timestamp']}abc` }),
        event,
      );
    });

    it('should refuse repeated signing headers with 401, never a 500', async () => {
      const { event, body } = freshEvent();
      const headers = signedHeaders(body, { id: event.id });
      for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
        await expectRefused(await deliver(body, { ...headers, [name]: [headers[name], headers[name]] }), event);
      }
    });

    it('should refuse a delivery with no body at all', async () => {
      const { event, body } = freshEvent();
      const headers = signedHeaders(body, { id: event.id });
      const res = await request(api.url)
        .post('/webhooks/deck')
        .set('webhook-id', headers['webhook-id'])
        .set('webhook-timestamp', headers['webhook-timestamp'])
        .set('webhook-signature', headers['webhook-signature']);
      await expectRefused(res, event);
    });

    it('should verify the raw bytes whatever the content type says', async () => {
      const { event, body } = freshEvent();
      const res = await deliver(body, { ...signedHeaders(body, { id: event.id }), 'Content-Type': 'text/plain' });
      expect(res.status).toBe(200);
      expect(await received(event.id)).toMatchObject({ outcome: 'applied' });
    });

    it('should answer 413 to a body over the webhook limit', async () => {
      const body = JSON.stringify({ ...freshEvent().event, padding: 'x'.repeat(300 * 1024) });
      expectApiError(await deliver(body, signedHeaders(body, { id: newId('evt') })), 413, 'body_too_large');
    });

    it('should accept the previous secret too when the api is configured with both (a rotation)', async () => {
      const rotationDeck = deckClient(deck, newApiKey());
      const oldSecret = newSecret();
      const currentSecret = newSecret();
      const rotated = await startApi({
        DECK_API_URL: `${deck.url}/v2`,
        DECK_API_KEY: rotationDeck.apiKey,
        DECK_WEBHOOK_SECRET: currentSecret,
        DECK_WEBHOOK_SECRET_PREVIOUS: oldSecret,
        CATCH_UP_INTERVAL_MS: '3600000',
      });
      try {
        const { sourceId: otherSource } = await seeded(rotationDeck);
        const destination = (
          await rotationDeck
            .post('/v2/event-destinations', {
              name: 'Rotating',
              events: ['credential.created'],
              webhook: { url: `${rotated.url}/webhooks/deck`, secret: oldSecret },
            })
            .expect(201)
        ).body as DeckEventDestination;
        const readRotated = (id: string) =>
          rotated.app
            .get(Transactor)
            .exclusive(() => rotated.app.get(DataSource).manager.findOneBy(ReceivedEventRow, { id }));
        const before = await createCredential(rotationDeck, otherSource, 'user_good');
        const signedOld = (await deckEventsFor(rotationDeck, before.id))[0];
        await waitFor(async () => (await readRotated(signedOld.id)) ?? undefined, WAIT_MS, 'old-secret delivery');

        // Rotate at the sandbox: it signs with both secrets for 24 h.
        await rotationDeck
          .patch(`/v2/event-destinations/${destination.id}`, { webhook: { secret: currentSecret } })
          .expect(200);
        const after = await createCredential(rotationDeck, otherSource, 'user_good');
        const signedBoth = (await deckEventsFor(rotationDeck, after.id))[0];
        await waitFor(async () => (await readRotated(signedBoth.id)) ?? undefined, WAIT_MS, 'dual-signed delivery');
        const attempt = await waitFor(
          async () => (await attemptsOf(rotationDeck, destination.id)).find((a) => a.event_id === signedBoth.id),
          WAIT_MS,
          'the logged attempt',
        );
        expect(attempt.status_code).toBe(200);

        // Each secret alone, and neither.
        for (const [key, status] of [
          [oldSecret, 200],
          [currentSecret, 200],
          [newSecret(), 401],
        ] as const) {
          const event = deckEvent(
            'credential.created',
            { id: newId('cred'), source_id: otherSource },
            new Date().toISOString(),
          );
          const body = JSON.stringify(event);
          const res = await request(rotated.url)
            .post('/webhooks/deck')
            .set(signedHeaders(body, { id: event.id, secret: key }))
            .send(body);
          expect(res.status).toBe(status);
        }
      } finally {
        await rotated.close();
      }
    });
  });

  describe('delivery semantics', () => {
    const at = (second: number): string => new Date(Date.UTC(2031, 0, 1, 0, 0, second)).toISOString();

    it('should keep a run completed when its running event comes afterwards', async () => {
      const runId = newId('trun');
      await send(deckEvent('task_run.completed', runData(runId, 'completed', { result: 'success' }), at(2))).expect(
        200,
      );
      const late = deckEvent('task_run.running', runData(runId, 'running'), at(1));
      const res = await send(late).expect(200);
      expect(res.body).toEqual({ received: true, duplicate: false, outcome: 'stale' });
      expect(await received(late.id)).toMatchObject({ outcome: 'stale', type: 'task_run.running' });
      expect(await mirrorRun(runId)).toMatchObject({ status: 'completed', result: 'success' });
    });

    it('should not reopen a prompt when interaction_required comes after completed', async () => {
      const runId = newId('trun');
      await send(deckEvent('task_run.completed', runData(runId, 'completed', { result: 'success' }), at(2))).expect(
        200,
      );
      const interaction = { type: 'mfa', message: 'Code?', fields: [{ name: 'code', type: 'string', label: 'Code' }] };
      const late = deckEvent(
        'task_run.interaction_required',
        runData(runId, 'interaction_required', { interaction }),
        at(3),
      );
      expect((await send(late).expect(200)).body).toMatchObject({ outcome: 'stale' });
      const run = await mirrorRun(runId);
      expect(run.status).toBe('completed');
      expect(await read((m) => m.countBy(InteractionRow, { task_run_id: run.id }))).toBe(0);
    });

    it('should let the terminal state win between events of the same instant, in either order', async () => {
      const first = newId('trun');
      await send(deckEvent('task_run.completed', runData(first, 'completed', { result: 'success' }), at(5))).expect(
        200,
      );
      expect(
        (await send(deckEvent('task_run.running', runData(first, 'running'), at(5))).expect(200)).body,
      ).toMatchObject({
        outcome: 'stale',
      });
      const second = newId('trun');
      await send(deckEvent('task_run.running', runData(second, 'running'), at(5))).expect(200);
      await send(deckEvent('task_run.completed', runData(second, 'completed', { result: 'success' }), at(5))).expect(
        200,
      );
      expect((await mirrorRun(first)).status).toBe('completed');
      expect((await mirrorRun(second)).status).toBe('completed');
    });

    it('should apply the same event delivered five times at once exactly once', async () => {
      const credentialId = newId('cred');
      const event = deckEvent(
        'credential.created',
        { id: credentialId, source_id: sourceId, status: 'unverified' },
        at(1),
      );
      const body = JSON.stringify(event);
      const headers = signedHeaders(body, { id: event.id });
      const answers = await Promise.all(Array.from({ length: 5 }, () => deliver(body, headers)));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      expect(answers.filter((a) => (a.body as { duplicate: boolean }).duplicate === false)).toHaveLength(1);
      expect(await received(event.id)).toMatchObject({ duplicates: 4, outcome: 'applied' });
      expect(await changesOf((await mirrorCredential(credentialId)).id)).toBe(1);
    });

    it('should deduplicate on the event id, whatever the webhook-id (#19, #20)', async () => {
      const event = deckEvent('credential.created', { id: newId('cred'), source_id: sourceId }, at(1));
      await send(event).expect(200);
      expect((await send(event, { webhookId: newId('msg') }).expect(200)).body).toMatchObject({ duplicate: true });
      expect((await received(event.id))?.duplicates).toBe(1);
      // The same webhook-id on another event: the event id decides, so it is new.
      const other = deckEvent('credential.created', { id: newId('cred'), source_id: sourceId }, at(1));
      expect((await send(other, { webhookId: event.id }).expect(200)).body).toMatchObject({
        duplicate: false,
        outcome: 'applied',
      });
    });

    it('should acknowledge and hold an unknown event type', async () => {
      const event = deckEvent('foo.bar', { id: 'foo_1' }, at(1));
      expect((await send(event).expect(200)).body).toEqual({ received: true, duplicate: false, outcome: 'held' });
      expect((await received(event.id))?.note).toMatch(/unknown event type foo\.bar/);
    });

    it('should map task_run.canceling to the mirror’s one cancelling status', async () => {
      const runId = newId('trun');
      await send(deckEvent('task_run.canceling', runData(runId, 'cancelling'), at(1))).expect(200);
      expect((await mirrorRun(runId)).status).toBe('cancelling');
    });

    it('should take "" and null alike in event data', async () => {
      const [empty, nulls] = [newId('trun'), newId('trun')];
      const blanks = { credential_id: '', result: '' };
      const missing = { credential_id: null, result: null };
      await send(deckEvent('task_run.failed', runData(empty, 'failed', blanks), at(1))).expect(200);
      await send(deckEvent('task_run.failed', runData(nulls, 'failed', missing), at(1))).expect(200);
      for (const id of [empty, nulls]) {
        expect(await mirrorRun(id)).toMatchObject({ status: 'failed', credential_id: null, result: null });
      }
      const credentialId = newId('cred');
      await send(
        deckEvent('credential.created', { id: credentialId, source_id: sourceId, external_id: '' }, at(1)),
      ).expect(200);
      expect((await mirrorCredential(credentialId)).external_id).toBeNull();
    });

    it('should keep an event the projection throws on, acknowledged, for review', async () => {
      const applyEvent = jest.spyOn(api.app.get(MirrorService), 'applyEvent').mockRejectedValueOnce(new TypeError('x'));
      try {
        const runId = newId('trun');
        const event = deckEvent('task_run.running', runData(runId, 'running'), at(1));
        expect((await send(event).expect(200)).body).toEqual({ received: true, duplicate: false, outcome: 'held' });
        expect(await received(event.id)).toMatchObject({
          type: 'task_run.running',
          object_id: runId,
          outcome: 'held',
          note: 'not applied: the projection failed (TypeError)',
        });
        expect(await read((m) => m.findOneBy(TaskRunRow, { deck_id: runId }))).toBeNull();
      } finally {
        applyEvent.mockRestore();
      }
    });

    it('should apply every other event delivered alongside one the projection throws on, and undo only that one', async () => {
      const mirror = api.app.get(MirrorService);
      const project = mirror.applyEvent.bind(mirror);
      const runIds = Array.from({ length: 12 }, () => newId('trun'));
      const events = runIds.map((runId) => deckEvent('task_run.running', runData(runId, 'running'), at(1)));
      const poison = events[5];
      // Throws after the projection wrote its rows: what it wrote must be undone with it, and nothing else.
      const applyEvent = jest.spyOn(mirror, 'applyEvent').mockImplementation(async (...args) => {
        const applied = await project(...args);
        if (args[1].id === poison.id) {
          throw new TypeError('x');
        }
        return applied;
      });
      try {
        const answers = await Promise.all(events.map((event) => send(event)));

        expect(answers.map((answer) => [answer.status, (answer.body as { outcome: string }).outcome])).toEqual(
          events.map((event) => [200, event === poison ? 'held' : 'applied']),
        );
        expect(await received(poison.id)).toMatchObject({ outcome: 'held', note: expect.stringMatching(/projection/) });
        const runs = await read((m) =>
          m.findBy(
            TaskRunRow,
            runIds.map((deck_id) => ({ deck_id })),
          ),
        );
        expect(runs.map((run) => run.deck_id).sort()).toEqual(runIds.filter((id) => id !== runIds[5]).sort());
        const logged = await read((m) => m.find(ChangeRow, { where: { kind: 'task_run' } }));
        const loggedRuns = logged.map((row) => (row.payload as { task_run: { deck_id: string } }).task_run.deck_id);
        expect(loggedRuns).not.toContain(runIds[5]);
        expect(loggedRuns).toEqual(expect.arrayContaining(runIds.filter((id) => id !== runIds[5])));
      } finally {
        applyEvent.mockRestore();
      }
    });

    it('should answer 503, keeping nothing, when the database fails, so Deck retries', async () => {
      const locked = new QueryFailedError('INSERT', [], new Error('SQLITE_BUSY: database is locked'));
      const applyEvent = jest.spyOn(api.app.get(MirrorService), 'applyEvent').mockRejectedValueOnce(locked);
      try {
        const runId = newId('trun');
        const event = deckEvent('task_run.running', runData(runId, 'running'), at(1));
        expectApiError(await send(event), 503, 'unavailable');
        expect(await received(event.id)).toBeNull();
        // Deck's retry then goes through.
        expect((await send(event).expect(200)).body).toMatchObject({ duplicate: false, outcome: 'applied' });
      } finally {
        applyEvent.mockRestore();
      }
    });

    it('should hold, and acknowledge, signed bodies that are not events', async () => {
      for (const [body, note] of [
        ['{"a":', /not JSON/],
        ['"just a string"', /not an object/],
        ['[1,2,3]', /not an object/],
        ['{"hello":"world"}', /not a Deck event/],
      ] as const) {
        const webhookId = newId('msg');
        const res = await deliver(body, signedHeaders(body, { id: webhookId }));
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ received: true, duplicate: false, outcome: 'held' });
        expect(await received(webhookId)).toMatchObject({ outcome: 'held', note: expect.stringMatching(note) });
      }
    });
  });

  describe('GET /api/events', () => {
    let viewer: OperatorClient;
    const VIEW_KEYS = [
      'created_at',
      'deck_credential_id',
      'duplicates',
      'id',
      'note',
      'object_id',
      'outcome',
      'received_at',
      'type',
      'via',
    ];

    beforeAll(async () => {
      await admin.post('/api/operators', { ...VIEWER, role: 'viewer' }).expect(201);
      viewer = await loginAs(api, VIEWER);
    });

    async function everything(query: string, limit: number): Promise<ReceivedEventView[]> {
      const items: ReceivedEventView[] = [];
      let cursor: string | null = null;
      do {
        const path: string = `/api/events?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = (await viewer.get(path).expect(200)).body as Page<ReceivedEventView>;
        expect(page.data.length).toBeLessThanOrEqual(limit);
        items.push(...page.data);
        cursor = page.next_cursor;
        expect(page.has_more).toBe(cursor !== null);
      } while (cursor);
      return items;
    }

    it('should need a session', async () => {
      expectApiError(await request(api.url).get('/api/events'), 401, 'unauthenticated');
    });

    it('should list for a viewer, newest first, the view only (no payload, no signature)', async () => {
      const page = (await viewer.get('/api/events').expect(200)).body as Page<ReceivedEventView>;
      expect(page.data.length).toBeGreaterThan(0);
      expect(page.data.length).toBeLessThanOrEqual(50);
      for (const item of page.data) {
        expect(Object.keys(item).sort()).toEqual(VIEW_KEYS);
      }
      const times = page.data.map((e) => e.received_at);
      expect([...times].sort().reverse()).toEqual(times);
      expect(JSON.stringify(page)).not.toMatch(/v1,|whsec_|payload/);
    });

    it('should page with an opaque cursor without gaps or repeats', async () => {
      const whole = await everything('', 100);
      const paged = await everything('', 7);
      expect(paged.map((e) => e.id)).toEqual(whole.map((e) => e.id));
      expect(new Set(paged.map((e) => e.id)).size).toBe(paged.length);
    });

    it('should filter by type, outcome and via', async () => {
      const held = await everything('&outcome=held', 100);
      expect(held.length).toBeGreaterThan(0);
      expect(held.every((e) => e.outcome === 'held')).toBe(true);
      const caughtUp = await everything('&via=catch_up', 100);
      expect(caughtUp.length).toBeGreaterThan(0);
      expect(caughtUp.every((e) => e.via === 'catch_up')).toBe(true);
      const types = await everything('&type=task_run.completed,task_run.failed', 100);
      expect(new Set(types.map((e) => e.type))).toEqual(new Set(['task_run.completed', 'task_run.failed']));
      const both = await everything('&type=credential.created&outcome=applied&via=webhook', 100);
      expect(both.length).toBeGreaterThan(0);
      expect(both.every((e) => e.type === 'credential.created' && e.outcome === 'applied' && e.via === 'webhook')).toBe(
        true,
      );
    });

    it('should refuse a bad limit, filter or cursor with 400', async () => {
      for (const limit of ['0', '101', 'abc', '2.5']) {
        expectApiError(await viewer.get(`/api/events?limit=${limit}`), 400, 'validation_failed', 'limit');
      }
      expectApiError(await viewer.get('/api/events?outcome=lost'), 400, 'validation_failed', 'outcome');
      expectApiError(await viewer.get('/api/events?via=carrier_pigeon'), 400, 'validation_failed', 'via');
      expectApiError(await viewer.get('/api/events?cursor=not-a-cursor'), 400, 'validation_failed', 'cursor');
      expectApiError(await viewer.get('/api/events?sort=id'), 400, 'validation_failed', 'sort');
    });
  });
});

/** The events about one object in another organisation, oldest first. */
async function deckEventsFor(client: DeckClient, objectId: string): Promise<DeckEvent[]> {
  return waitFor(
    async () => {
      const page = (await client.get('/v2/events?limit=100').expect(200)).body as DeckList<DeckEvent>;
      const found = page.data.filter((e) => e.data.id === objectId).reverse();
      return found.length > 0 ? found : undefined;
    },
    WAIT_MS,
    `events of ${objectId}`,
  );
}
