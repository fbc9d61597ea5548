import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';

import type { DeckEventDelivery, DeckList, SandboxAttemptTail, SandboxDeliveryAttempt } from '@app/deck';

import { createCredential, seeded } from '../support/deck-fixtures';
import { expectDeckError } from '../support/envelope';
import { deckClient, DeckClient, MockDeck, newApiKey, startMockDeck, waitFor } from '../support/mock-deck-app';
import {
  advance,
  attemptsOf,
  createWebhookDestination,
  deliveriesOf,
  eventsOfType,
  pause,
  putFaults,
  waitForAttempts,
  waitForDelivery,
} from '../support/sandbox-deliveries';
import { answerOk, answerStatus, Responder, WebhookReceiver } from '../support/webhook-receiver';

const NEW_SECRET = 'whsec_' + Buffer.alloc(32, 42).toString('base64');
const DAY_MS = 24 * 60 * 60 * 1000;

/** Sandbox-time gaps between consecutive attempts. */
function gaps(attempts: SandboxDeliveryAttempt[]): number[] {
  return attempts.slice(1).map((a, i) => Date.parse(a.sent_at) - Date.parse(attempts[i].sent_at));
}

describe('Webhook delivery log, retry schedule and redelivery (/sandbox)', () => {
  let deck: MockDeck;
  let receiver: WebhookReceiver;
  let client: DeckClient;
  let sourceId: string;

  beforeAll(async () => {
    deck = await startMockDeck();
    receiver = new WebhookReceiver();
    await receiver.start();
  });

  afterAll(async () => {
    receiver.release();
    await deck.close();
    await receiver.close();
  });

  beforeEach(async () => {
    client = deckClient(deck);
    ({ sourceId } = await seeded(client));
  });

  afterEach(() => {
    // A frozen clock belongs to the whole app: give the next test a running one.
    if (deck.clock.isFrozen()) {
      deck.clock.resume();
    }
    receiver.release();
  });

  const credential = (name: string) => createCredential(client, sourceId, `${name}@example.com`);

  async function destinationAt(responder: Responder) {
    const path = receiver.endpoint(responder);
    return { path, destination: await createWebhookDestination(client, `${receiver.url}${path}`) };
  }

  /** Moves a frozen clock through the default retries (1 s, 2 s, 4 s), waiting for each try to be logged. */
  async function throughDefaultRetries(destinationId: string): Promise<SandboxDeliveryAttempt[]> {
    await waitForAttempts(client, destinationId, 1);
    for (const [delay, count] of [
      [1000, 2],
      [2000, 3],
    ]) {
      await advance(deck, delay);
      await waitForAttempts(client, destinationId, count);
    }
    await advance(deck, 4000);
    return waitForAttempts(client, destinationId, 4);
  }

  describe('attempts log', () => {
    it('should log a successful attempt with its status, latency, answer excerpt and signed timestamp', async () => {
      const { path, destination } = await destinationAt(() => ({ status: 200, body: 'y'.repeat(800) }));
      await credential('logged');
      const [sent] = await receiver.waitForRequests(path, 1);
      const [attempt] = await waitForAttempts(client, destination.id, 1);
      const [event] = await eventsOfType(client, 'credential.created');
      // Logged in the transaction that settled the delivery: never one without the other.
      const [delivery] = await deliveriesOf(client, destination.id);
      expect(delivery).toMatchObject({ status: 'success', attempts: 1 });

      expect(attempt).toEqual({
        object: 'delivery_attempt',
        id: expect.stringMatching(/^datt_[A-Za-z0-9]{24}$/),
        seq: expect.any(Number),
        delivery_id: delivery.id,
        event_id: event.id,
        event_type: 'credential.created',
        event_destination_id: destination.id,
        number: 1,
        sent_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        webhook_timestamp: Number(sent.headers['webhook-timestamp']),
        status_code: 200,
        latency_ms: expect.any(Number),
        response_excerpt: 'y'.repeat(500),
        error: null,
        outcome: 'success',
        faults: [],
        redelivery: false,
      });
      expect(attempt.latency_ms).toBeGreaterThanOrEqual(0);
      expect(attempt.latency_ms).toBeLessThan(5000);
      expect(Date.parse(attempt.sent_at)).toBeGreaterThanOrEqual(Date.parse(event.created_at));
    });

    it('should log a receiver that cannot be reached as a refused connection', async () => {
      deck.clock.freeze();
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      const destination = await createWebhookDestination(client, `http://127.0.0.1:${port}/gone`);
      await credential('unreachable');
      const [attempt] = await waitForAttempts(client, destination.id, 1);
      expect(attempt).toMatchObject({
        status_code: null,
        response_excerpt: null,
        error: 'connection refused',
        outcome: 'failure',
      });
      expect(await deliveriesOf(client, destination.id)).toEqual([
        expect.objectContaining({ status: 'pending', attempts: 1 }),
      ]);
    });

    it("should page a destination's attempts newest first and filter them by delivery", async () => {
      const { destination } = await destinationAt(answerOk);
      for (let i = 0; i < 5; i++) {
        await credential(`page-${i}`);
      }
      const all = await waitForAttempts(client, destination.id, 5);
      const url = `/sandbox/event-destinations/${destination.id}/attempts`;

      const first = (await client.get(`${url}?limit=2`).expect(200)).body as DeckList<SandboxDeliveryAttempt>;
      expect(first.data.map((a) => a.id)).toEqual([all[4].id, all[3].id]);
      expect(first).toMatchObject({ has_more: true, next_cursor: expect.any(String) });
      const second = (await client.get(`${url}?limit=2&cursor=${first.next_cursor}`).expect(200))
        .body as DeckList<SandboxDeliveryAttempt>;
      expect(second.data.map((a) => a.id)).toEqual([all[2].id, all[1].id]);
      const last = (await client.get(`${url}?limit=2&cursor=${second.next_cursor}`).expect(200))
        .body as DeckList<SandboxDeliveryAttempt>;
      expect(last).toMatchObject({ data: [expect.objectContaining({ id: all[0].id })], has_more: false });
      expect(last.next_cursor).toBeNull();

      const one = (await client.get(`${url}?delivery_id=${all[2].delivery_id}`).expect(200))
        .body as DeckList<SandboxDeliveryAttempt>;
      expect(one.data).toEqual([all[2]]);

      // A cursor belongs to its list; limits are Deck's.
      const other = await destinationAt(answerOk);
      expectDeckError(
        await client.get(`/sandbox/event-destinations/${other.destination.id}/attempts?cursor=${first.next_cursor}`),
        400,
        'cursor_invalid',
        'cursor',
      );
      expectDeckError(await client.get(`${url}?limit=0`), 400, 'input_invalid', 'limit');
      expectDeckError(
        await client.get('/sandbox/event-destinations/evtd_missing/attempts'),
        404,
        'event_destination_not_found',
      );
      expectDeckError(await deckClient(deck).get(url), 404, 'event_destination_not_found');
    });

    it("should tail the organisation's attempts after a seq, oldest first", async () => {
      const a = await destinationAt(answerOk);
      const b = await destinationAt(answerOk);
      await credential('tail-1');
      await credential('tail-2');
      await waitForAttempts(client, a.destination.id, 2);
      await waitForAttempts(client, b.destination.id, 2);

      const all = (await client.get('/sandbox/attempts').expect(200)).body as SandboxAttemptTail;
      expect(all.data).toHaveLength(4);
      const seqs = all.data.map((x) => x.seq);
      expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
      expect(new Set(seqs).size).toBe(4);
      expect(all).toMatchObject({ has_more: false, next_after: seqs[3] });

      const rest = (await client.get(`/sandbox/attempts?after=${seqs[1]}`).expect(200)).body as SandboxAttemptTail;
      expect(rest.data).toEqual(all.data.slice(2));
      const none = (await client.get(`/sandbox/attempts?after=${seqs[3]}`).expect(200)).body as SandboxAttemptTail;
      expect(none).toMatchObject({ data: [], has_more: false, next_after: seqs[3] });
      const page = (await client.get('/sandbox/attempts?limit=3').expect(200)).body as SandboxAttemptTail;
      expect(page).toMatchObject({ has_more: true, next_after: seqs[2] });

      const onlyB = (await client.get(`/sandbox/attempts?destination_id=${b.destination.id}`).expect(200))
        .body as SandboxAttemptTail;
      expect(onlyB.data.map((x) => x.event_destination_id)).toEqual([b.destination.id, b.destination.id]);

      // Another organisation sees none of it.
      const stranger = deckClient(deck);
      expect(((await stranger.get('/sandbox/attempts').expect(200)).body as SandboxAttemptTail).data).toEqual([]);
      expectDeckError(await client.get('/sandbox/attempts?after=-1'), 400, 'input_invalid', 'after');
      expectDeckError(
        await client.get('/sandbox/attempts?destination_id=evtd_missing'),
        404,
        'event_destination_not_found',
      );
    });
  });

  describe('retry schedule', () => {
    it('should retry after 1 s, 2 s and 4 s by default, logging each failure, then switch the destination off', async () => {
      deck.clock.freeze();
      const { path, destination } = await destinationAt(answerStatus(500, 'boom'));
      await credential('default-schedule');
      await waitForAttempts(client, destination.id, 1);
      await advance(deck, 999);
      await pause();
      expect(receiver.to(path)).toHaveLength(1);
      await advance(deck, 1);
      await waitForAttempts(client, destination.id, 2);
      await advance(deck, 2000);
      await waitForAttempts(client, destination.id, 3);
      await advance(deck, 3999);
      await pause();
      expect(receiver.to(path)).toHaveLength(3);
      await advance(deck, 1);
      const attempts = await waitForAttempts(client, destination.id, 4);

      expect(attempts.map((a) => a.number)).toEqual([1, 2, 3, 4]);
      expect(gaps(attempts)).toEqual([1000, 2000, 4000]);
      for (const attempt of attempts) {
        expect(attempt).toMatchObject({
          delivery_id: attempts[0].delivery_id,
          status_code: 500,
          response_excerpt: 'boom',
          error: 'answered 500',
          outcome: 'failure',
          faults: [],
          redelivery: false,
        });
      }
      // The last failure settled the delivery and the destination in the same transaction as its log entry.
      expect(await deliveriesOf(client, destination.id)).toEqual([
        expect.objectContaining({ status: 'failure', attempts: 4, delivered_at: null }),
      ]);
      expect((await client.get(`/v2/event-destinations/${destination.id}`).expect(200)).body).toMatchObject({
        status: 'inactive',
      });
      await advance(deck, 60_000);
      await pause();
      expect(receiver.to(path)).toHaveLength(4);
    });

    it('should follow MOCK_DECK_RETRY_SCHEDULE, its length being the number of retries', async () => {
      const custom = await startMockDeck({ MOCK_DECK_RETRY_SCHEDULE: '10s,1m' });
      try {
        custom.clock.freeze();
        const own = deckClient(custom);
        const { sourceId: ownSource } = await seeded(own);
        const path = receiver.endpoint(answerStatus(503, 'down'));
        const destination = await createWebhookDestination(own, `${receiver.url}${path}`);
        await createCredential(own, ownSource, 'custom-schedule@example.com');
        await waitForAttempts(own, destination.id, 1);

        await advance(custom, 9_999);
        await pause();
        expect(receiver.to(path)).toHaveLength(1);
        await advance(custom, 1);
        await waitForAttempts(own, destination.id, 2);
        await advance(custom, 59_999);
        await pause();
        expect(receiver.to(path)).toHaveLength(2);
        await advance(custom, 1);
        const attempts = await waitForAttempts(own, destination.id, 3);

        expect(gaps(attempts)).toEqual([10_000, 60_000]);
        expect(await deliveriesOf(own, destination.id)).toEqual([
          expect.objectContaining({ status: 'failure', attempts: 3 }),
        ]);
        expect((await own.get(`/v2/event-destinations/${destination.id}`).expect(200)).body).toMatchObject({
          status: 'inactive',
        });
        await advance(custom, DAY_MS);
        await pause();
        expect(receiver.to(path)).toHaveLength(3);
      } finally {
        await custom.close();
      }
    });

    it('should wait for a Retry-After on 429 or 503 when it is longer than the schedule, never shorter', async () => {
      deck.clock.freeze();
      const { path, destination } = await destinationAt((_request, nth) => {
        if (nth === 1) {
          return { status: 429, body: 'slow down', headers: { 'retry-after': '0' } };
        }
        return nth === 2 ? { status: 503, body: 'busy', headers: { 'retry-after': '30' } } : { status: 200 };
      });
      await credential('retry-after');
      await waitForAttempts(client, destination.id, 1);
      // Retry-After: 0 is shorter than the 1 s scheduled, so the schedule stands.
      await advance(deck, 1000);
      await waitForAttempts(client, destination.id, 2);
      // 30 s is longer than the 2 s scheduled.
      await advance(deck, 2000);
      await pause();
      expect(receiver.to(path)).toHaveLength(2);
      await advance(deck, 27_999);
      await pause();
      expect(receiver.to(path)).toHaveLength(2);
      await advance(deck, 1);
      const attempts = await waitForAttempts(client, destination.id, 3);

      expect(attempts.map((a) => [a.status_code, a.outcome])).toEqual([
        [429, 'failure'],
        [503, 'failure'],
        [200, 'success'],
      ]);
      expect(gaps(attempts)).toEqual([1000, 30_000]);
      expect(await deliveriesOf(client, destination.id)).toEqual([
        expect.objectContaining({ status: 'success', attempts: 3 }),
      ]);
    });

    it('should treat 410 Gone like any other failure: retried, and the destination stays on', async () => {
      deck.clock.freeze();
      const { destination } = await destinationAt((_request, nth) =>
        nth === 1 ? { status: 410, body: 'gone' } : { status: 200, body: 'back' },
      );
      await credential('gone');
      const [gone] = await waitForAttempts(client, destination.id, 1);
      expect(gone).toMatchObject({ status_code: 410, error: 'answered 410', outcome: 'failure' });
      expect((await client.get(`/v2/event-destinations/${destination.id}`).expect(200)).body).toMatchObject({
        status: 'active',
      });
      await advance(deck, 1000);
      const attempts = await waitForAttempts(client, destination.id, 2);
      expect(attempts[1]).toMatchObject({ status_code: 200, outcome: 'success' });
    });
  });

  describe('redelivery', () => {
    it('should redeliver with the same webhook-id and a fresh timestamp, leaving a success as it was', async () => {
      const { path, destination } = await destinationAt(answerOk);
      await credential('redeliver');
      const [first] = await receiver.waitForRequests(path, 1);
      const delivery = await waitForDelivery(client, destination.id, (d) => d.status === 'success', 'the delivery');
      const firstTimestamp = Number(first.headers['webhook-timestamp']);
      // Into the next wall-clock second, so a fresh timestamp must differ.
      await waitFor(
        () => Promise.resolve(Math.floor(Date.now() / 1000) > firstTimestamp ? true : undefined),
        2000,
        'the next wall-clock second',
      );

      const res = await client.post(`/sandbox/event-deliveries/${delivery.id}/redeliver`).expect(202);
      expect(res.body).toEqual({ ...delivery, request_id: expect.stringMatching(/^req_/) });
      const [, again] = await receiver.waitForRequests(path, 2);
      expect(again.headers['webhook-id']).toBe(first.headers['webhook-id']);
      expect(Number(again.headers['webhook-timestamp'])).toBeGreaterThan(firstTimestamp);
      expect(again.rawBody).toBe(first.rawBody);
      expect(new Webhook(destination.webhook.secret).verify(again.rawBody, again.headers)).toMatchObject({
        id: first.headers['webhook-id'],
      });

      const attempts = await waitForAttempts(client, destination.id, 2);
      expect(attempts.map((a) => [a.number, a.redelivery, a.outcome])).toEqual([
        [1, false, 'success'],
        [2, true, 'success'],
      ]);
      expect(attempts[1].webhook_timestamp).toBe(Number(again.headers['webhook-timestamp']));
      // A redelivery is not one of Deck's tries: the delivery is as it was.
      expect(await deliveriesOf(client, destination.id)).toEqual([delivery]);
    });

    it('should make a failed delivery a success when its redelivery succeeds, once the destination is active again', async () => {
      deck.clock.freeze();
      const { path, destination } = await destinationAt(answerStatus(500));
      await credential('failed-then-redelivered');
      await throughDefaultRetries(destination.id);
      const failed = await waitForDelivery(client, destination.id, (d) => d.status === 'failure', 'the failure');

      expectDeckError(await client.post(`/sandbox/event-deliveries/${failed.id}/redeliver`), 409, 'invalid_state');
      await client.patch(`/v2/event-destinations/${destination.id}`, { status: 'active' }).expect(200);
      receiver.answer(path, answerOk);
      const res = await client.post(`/sandbox/event-deliveries/${failed.id}/redeliver`).expect(202);
      expect(res.body).toMatchObject({ id: failed.id, status: 'failure' });

      await receiver.waitForRequests(path, 5);
      const delivered = await waitForDelivery(client, destination.id, (d) => d.status === 'success', 'the success');
      expect(delivered).toMatchObject({ id: failed.id, attempts: 4, delivered_at: deck.clock.now().toISOString() });
      const attempts = await attemptsOf(client, destination.id);
      expect(attempts.map((a) => [a.redelivery, a.outcome])).toEqual([
        [false, 'failure'],
        [false, 'failure'],
        [false, 'failure'],
        [false, 'failure'],
        [true, 'success'],
      ]);
    });

    it("should refuse to redeliver to a deleted destination, and not know another organisation's deliveries", async () => {
      const { destination } = await destinationAt(answerOk);
      await credential('deleted-destination');
      const delivery = await waitForDelivery(client, destination.id, (d) => d.status === 'success', 'the delivery');

      expectDeckError(
        await deckClient(deck).post(`/sandbox/event-deliveries/${delivery.id}/redeliver`),
        404,
        'event_delivery_not_found',
      );
      expectDeckError(
        await client.post('/sandbox/event-deliveries/edlv_missing/redeliver'),
        404,
        'event_delivery_not_found',
      );
      await client.delete(`/v2/event-destinations/${destination.id}`).expect(200);
      expectDeckError(await client.post(`/sandbox/event-deliveries/${delivery.id}/redeliver`), 409, 'invalid_state');
    });
  });

  describe('control plane', () => {
    it('should show the signing secret under /sandbox only, and both secrets during a rotation', async () => {
      deck.clock.freeze();
      const destination = await createWebhookDestination(client, `${receiver.url}/quiet`);
      const url = `/sandbox/event-destinations/${destination.id}/secret`;
      expect((await client.get(url).expect(200)).body).toEqual({
        id: destination.id,
        secret: destination.webhook.secret,
        previous_secret: null,
        previous_secret_expires_at: null,
        request_id: expect.stringMatching(/^req_/),
      });

      await client.patch(`/v2/event-destinations/${destination.id}`, { webhook: { secret: NEW_SECRET } }).expect(200);
      expect((await client.get(url).expect(200)).body).toMatchObject({
        secret: NEW_SECRET,
        previous_secret: destination.webhook.secret,
        previous_secret_expires_at: new Date(deck.clock.nowMs() + DAY_MS).toISOString(),
      });
      deck.clock.advance(DAY_MS + 1);
      expect((await client.get(url).expect(200)).body).toMatchObject({
        secret: NEW_SECRET,
        previous_secret: null,
        previous_secret_expires_at: null,
      });

      expectDeckError(await deckClient(deck).get(url), 404, 'event_destination_not_found');
      expectDeckError(
        await client.get('/sandbox/event-destinations/evtd_missing/secret'),
        404,
        'event_destination_not_found',
      );
      expectDeckError(await request(deck.url).get(url), 401, 'api_key_invalid');
    });

    it('should document the control plane in OpenAPI under the Sandbox tag, outside /v2', async () => {
      const doc = (await request(deck.url).get('/docs/openapi.json').expect(200)).body as {
        paths: Record<string, Record<string, { tags?: string[] }>>;
        components: {
          schemas: Record<string, { properties?: Record<string, { minimum?: number; maximum?: number }> }>;
        };
      };
      const operations: [string, string][] = [
        ['/sandbox/event-destinations/{destination_id}/secret', 'get'],
        ['/sandbox/event-destinations/{destination_id}/faults', 'get'],
        ['/sandbox/event-destinations/{destination_id}/faults', 'put'],
        ['/sandbox/event-destinations/{destination_id}/faults', 'delete'],
        ['/sandbox/event-destinations/{destination_id}/attempts', 'get'],
        ['/sandbox/attempts', 'get'],
        ['/sandbox/event-deliveries/{delivery_id}/redeliver', 'post'],
      ];
      for (const [path, method] of operations) {
        expect(doc.paths[path]?.[method]?.tags).toEqual(['Sandbox']);
      }
      expect(Object.keys(doc.paths).filter((p) => p.startsWith('/v2') && /fault|attempt|redeliver/.test(p))).toEqual(
        [],
      );
      const faults = doc.components.schemas.DeliveryFaultsDto.properties ?? {};
      expect(Object.keys(faults).sort()).toEqual([
        'bad_signature',
        'delay_ms',
        'drop_first',
        'dual_signature',
        'duplicate',
        'fail_first',
        'late_events',
        'reorder_window_ms',
        'stale_timestamp_s',
      ]);
      expect(faults.duplicate).toMatchObject({ minimum: 1, maximum: 5 });
    });
  });
});

describe('Webhook deliveries across a restart (SQLite file)', () => {
  let dir: string;
  let receiver: WebhookReceiver;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mock-deck-deliveries-'));
    receiver = new WebhookReceiver();
    await receiver.start();
  });

  afterEach(async () => {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should send a pending retry and a held first attempt after a restart, losing nothing', async () => {
    const env = { MOCK_DECK_DATABASE: join(dir, 'mock-deck.sqlite'), MOCK_DECK_RETRY_SCHEDULE: '1h' };
    const apiKey = newApiKey();
    const failingPath = receiver.endpoint(answerStatus(503, 'down for maintenance'));
    const heldPath = receiver.endpoint(answerOk);

    const first = await startMockDeck(env);
    let retrying = { id: '' };
    let held = { id: '' };
    try {
      first.clock.freeze();
      const before = deckClient(first, apiKey);
      const { sourceId } = await seeded(before);
      retrying = await createWebhookDestination(before, `${receiver.url}${failingPath}`);
      held = await createWebhookDestination(before, `${receiver.url}${heldPath}`);
      expect((await putFaults(first, before, held.id, { delay_ms: 3_600_000 })).status).toBe(200);
      await createCredential(before, sourceId, 'restart@example.com');
      await waitForAttempts(before, retrying.id, 1);
      await first.settle();
      expect(await deliveriesOf(before, retrying.id)).toEqual([
        expect.objectContaining({ status: 'pending', attempts: 1 }),
      ]);
      expect(await deliveriesOf(before, held.id)).toEqual([
        expect.objectContaining({ status: 'pending', attempts: 0 }),
      ]);
      expect(receiver.to(heldPath)).toEqual([]);
    } finally {
      await first.close();
    }
    receiver.answer(failingPath, answerOk);

    const second = await startMockDeck(env);
    try {
      second.clock.freeze();
      const after = deckClient(second, apiKey);
      await advance(second, 3_600_000);

      const retried = await waitForAttempts(after, retrying.id, 2);
      expect(retried.map((a) => [a.number, a.status_code, a.outcome])).toEqual([
        [1, 503, 'failure'],
        [2, 200, 'success'],
      ]);
      const [sent] = await receiver.waitForRequests(heldPath, 1);
      const [heldAttempt] = await waitForAttempts(after, held.id, 1);
      expect(heldAttempt).toMatchObject({ number: 1, outcome: 'success', faults: ['delay_ms'] });
      expect(heldAttempt.webhook_timestamp).toBe(Number(sent.headers['webhook-timestamp']));
      const delivered = [expect.objectContaining<Partial<DeckEventDelivery>>({ status: 'success' })];
      expect(await deliveriesOf(after, retrying.id)).toEqual(delivered);
      expect(await deliveriesOf(after, held.id)).toEqual(delivered);
      expect(receiver.to(failingPath)).toHaveLength(2);
    } finally {
      await second.close();
    }
  });
});
