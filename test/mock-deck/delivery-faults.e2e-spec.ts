import { Webhook } from 'standardwebhooks';

import type { DeckEventDestination } from '@app/deck';

import { createCredential, seeded } from '../support/deck-fixtures';
import { expectDeckError } from '../support/envelope';
import { deckClient, DeckClient, MockDeck, startMockDeck } from '../support/mock-deck-app';
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
import { answerOk, answerStatus, answerVerifying, ReceivedRequest, WebhookReceiver } from '../support/webhook-receiver';

const SIGNATURE = /^v1,[A-Za-z0-9+/]{43}=$/;

describe('Delivery faults', () => {
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

  /** A destination on a fresh receiver path, with `faults` set through the control plane. */
  async function faulty(faults: object, responder = answerOk) {
    const path = receiver.endpoint(responder);
    const destination = await createWebhookDestination(client, `${receiver.url}${path}`);
    const res = await putFaults(deck, client, destination.id, faults);
    expect(res.status).toBe(200);
    return { path, destination, secret: destination.webhook.secret };
  }

  const credential = (name: string) => createCredential(client, sourceId, `${name}@example.com`);
  const signaturesOf = (request: ReceivedRequest) => request.headers['webhook-signature'].split(' ');

  describe('control plane', () => {
    it('should set, replace, read and clear faults, never showing them under /v2', async () => {
      const destination = await createWebhookDestination(client, `${receiver.url}/quiet`);
      const path = `/sandbox/event-destinations/${destination.id}/faults`;
      const before = (await client.get(`/v2/event-destinations/${destination.id}`).expect(200)).body as object;
      expect((await client.get(path).expect(200)).body).toEqual({
        id: destination.id,
        faults: null,
        request_id: expect.stringMatching(/^req_/),
      });

      const set = await putFaults(deck, client, destination.id, {
        duplicate: 2,
        bad_signature: false,
        stale_timestamp_s: 600,
        dual_signature: true,
        delay_ms: null,
      });
      expect(set.status).toBe(200);
      const faults = { duplicate: 2, stale_timestamp_s: 600, dual_signature: true };
      expect(set.body).toEqual({ id: destination.id, faults, request_id: expect.stringMatching(/^req_/) });
      expect((await client.get(path).expect(200)).body).toMatchObject({ id: destination.id, faults });

      // /v2 is exactly Deck's: no faults key, and setting faults is not an update of the destination.
      const after = (await client.get(`/v2/event-destinations/${destination.id}`).expect(200)).body as object;
      expect({ ...after, request_id: null }).toEqual({ ...before, request_id: null });
      expect(JSON.stringify((await client.get('/v2/event-destinations').expect(200)).body)).not.toContain('fault');

      // PUT replaces the whole set rather than merging into it.
      expect((await putFaults(deck, client, destination.id, { drop_first: 1 })).body).toMatchObject({
        faults: { drop_first: 1 },
      });
      expect((await putFaults(deck, client, destination.id, {})).body).toMatchObject({ faults: null });

      await putFaults(deck, client, destination.id, { fail_first: 2 });
      expect((await client.delete(path).expect(200)).body).toEqual({
        id: destination.id,
        faults: null,
        request_id: expect.stringMatching(/^req_/),
      });
      expect((await client.get(path).expect(200)).body).toMatchObject({ faults: null });
    });

    it('should refuse faults out of bounds, of the wrong type or unknown, naming the field and keeping the old ones', async () => {
      const destination = await createWebhookDestination(client, `${receiver.url}/quiet`);
      await putFaults(deck, client, destination.id, { duplicate: 1 });
      const refused: [object, string][] = [
        [{ duplicate: 0 }, 'duplicate'],
        [{ duplicate: 6 }, 'duplicate'],
        [{ duplicate: 1.5 }, 'duplicate'],
        [{ duplicate: '2' }, 'duplicate'],
        [{ reorder_window_ms: 3_600_001 }, 'reorder_window_ms'],
        [{ delay_ms: -1 }, 'delay_ms'],
        [{ drop_first: 11 }, 'drop_first'],
        [{ fail_first: 0 }, 'fail_first'],
        [{ bad_signature: 'yes' }, 'bad_signature'],
        [{ stale_timestamp_s: 86_401 }, 'stale_timestamp_s'],
        [{ dual_signature: 1 }, 'dual_signature'],
        [{ surprise: true }, 'surprise'],
      ];
      for (const [body, field] of refused) {
        expectDeckError(await putFaults(deck, client, destination.id, body), 400, 'input_invalid', field);
      }
      expectDeckError(await putFaults(deck, client, destination.id, [{ duplicate: 1 }]), 400, 'body_invalid');
      const kept = await client.get(`/sandbox/event-destinations/${destination.id}/faults`).expect(200);
      expect(kept.body).toMatchObject({ faults: { duplicate: 1 } });
    });

    it("should answer 404 for an unknown, deleted or another organisation's destination and 409 for a non-webhook one", async () => {
      const destination = await createWebhookDestination(client, `${receiver.url}/quiet`);
      const stranger = deckClient(deck);
      expectDeckError(
        await putFaults(deck, stranger, destination.id, { duplicate: 1 }),
        404,
        'event_destination_not_found',
      );
      expectDeckError(
        await stranger.get(`/sandbox/event-destinations/${destination.id}/faults`),
        404,
        'event_destination_not_found',
      );
      expectDeckError(
        await putFaults(deck, client, 'evtd_missing', { duplicate: 1 }),
        404,
        'event_destination_not_found',
      );
      expectDeckError(
        await client.delete('/sandbox/event-destinations/evtd_missing/faults'),
        404,
        'event_destination_not_found',
      );

      await client.delete(`/v2/event-destinations/${destination.id}`).expect(200);
      expectDeckError(
        await putFaults(deck, client, destination.id, { duplicate: 1 }),
        404,
        'event_destination_not_found',
      );

      const queue = await client
        .post('/v2/event-destinations', {
          name: 'Queue',
          type: 'gcp_pubsub',
          events: ['*'],
          gcp_pubsub: { project_id: 'p', topic: 't' },
        })
        .expect(201);
      expectDeckError(
        await putFaults(deck, client, (queue.body as DeckEventDestination).id, { duplicate: 1 }),
        409,
        'invalid_state',
      );
    });

    it('should need the API key', async () => {
      const destination = await createWebhookDestination(client, `${receiver.url}/quiet`);
      const res = await putFaults(deck, { ...client, apiKey: 'not-a-key' }, destination.id, { duplicate: 1 });
      expectDeckError(res, 401, 'api_key_invalid');
    });
  });

  describe('applied to deliveries', () => {
    it('duplicate: should send extra copies of a successful send, same webhook-id, to that destination only', async () => {
      const { path, destination, secret } = await faulty({ duplicate: 2 });
      const cleanPath = receiver.endpoint(answerOk);
      const clean = await createWebhookDestination(client, `${receiver.url}${cleanPath}`);
      await credential('duplicated');

      const requests = await receiver.waitForRequests(path, 3);
      const attempts = await waitForAttempts(client, destination.id, 3);
      await pause();
      expect(receiver.to(path)).toHaveLength(3);
      for (const request of requests) {
        expect(request.headers).toMatchObject({
          'webhook-id': requests[0].headers['webhook-id'],
          'webhook-timestamp': requests[0].headers['webhook-timestamp'],
          'webhook-signature': requests[0].headers['webhook-signature'],
        });
        expect(request.rawBody).toBe(requests[0].rawBody);
        expect(new Webhook(secret).verify(request.rawBody, request.headers)).toMatchObject({
          id: requests[0].headers['webhook-id'],
        });
      }
      expect(attempts.map((a) => [a.number, a.outcome, a.faults, a.redelivery])).toEqual([
        [1, 'success', [], false],
        [2, 'success', ['duplicate'], false],
        [3, 'success', ['duplicate'], false],
      ]);
      expect(new Set(attempts.map((a) => a.delivery_id)).size).toBe(1);
      // Copies are not tries: the delivery took one.
      expect(await deliveriesOf(client, destination.id)).toEqual([
        expect.objectContaining({ status: 'success', attempts: 1 }),
      ]);

      await receiver.waitForRequests(cleanPath, 1);
      expect((await waitForAttempts(client, clean.id, 1)).map((a) => a.faults)).toEqual([[]]);
      expect(receiver.to(cleanPath)).toHaveLength(1);
    });

    it('reorder_window_ms: should hold first attempts to the end of the window, then send them newest first', async () => {
      deck.clock.freeze();
      const { path, destination } = await faulty({ reorder_window_ms: 1000 });
      const opened = deck.clock.nowMs();
      await credential('first');
      await advance(deck, 500);
      await credential('second');
      await advance(deck, 200);
      await credential('third');
      await advance(deck, 299);
      await pause();
      expect(receiver.to(path)).toEqual([]);
      expect((await deliveriesOf(client, destination.id)).map((d) => [d.status, d.attempts])).toEqual([
        ['pending', 0],
        ['pending', 0],
        ['pending', 0],
      ]);

      await advance(deck, 1);
      const requests = await receiver.waitForRequests(path, 3);
      const newestFirst = (await eventsOfType(client, 'credential.created')).map((e) => e.id);
      expect(requests.map((r) => r.headers['webhook-id'])).toEqual(newestFirst);
      const attempts = await waitForAttempts(client, destination.id, 3);
      expect(attempts.map((a) => a.event_id)).toEqual(newestFirst);
      for (const attempt of attempts) {
        expect(attempt).toMatchObject({
          number: 1,
          outcome: 'success',
          faults: ['reorder_window_ms'],
          sent_at: new Date(opened + 1000).toISOString(),
        });
      }
    });

    it('delay_ms: should hold every first attempt, but not the retries', async () => {
      deck.clock.freeze();
      const { path, destination } = await faulty({ delay_ms: 5000 }, (_request, nth) =>
        nth === 1 ? { status: 500, body: 'boom' } : { status: 200, body: 'ok' },
      );
      await credential('delayed');
      const [event] = await eventsOfType(client, 'credential.created');
      await advance(deck, 4999);
      await pause();
      expect(receiver.to(path)).toEqual([]);

      await advance(deck, 1);
      await waitForAttempts(client, destination.id, 1);
      await advance(deck, 1000);
      const attempts = await waitForAttempts(client, destination.id, 2);
      expect(attempts.map((a) => [a.status_code, a.faults])).toEqual([
        [500, ['delay_ms']],
        [200, []],
      ]);
      expect(Date.parse(attempts[0].sent_at) - Date.parse(event.created_at)).toBe(5000);
      expect(Date.parse(attempts[1].sent_at) - Date.parse(attempts[0].sent_at)).toBe(1000);
    });

    it('drop_first: should not send the first tries, logging them as dropped, then retry on the schedule', async () => {
      deck.clock.freeze();
      const { path, destination } = await faulty({ drop_first: 2 });
      await credential('dropped');

      const [dropped] = await waitForAttempts(client, destination.id, 1);
      expect(dropped).toMatchObject({
        number: 1,
        status_code: null,
        latency_ms: 0,
        response_excerpt: null,
        error: 'dropped by fault',
        outcome: 'failure',
        faults: ['drop_first'],
      });
      await advance(deck, 1000);
      await waitForAttempts(client, destination.id, 2);
      await pause();
      expect(receiver.to(path)).toEqual([]);

      await advance(deck, 2000);
      const attempts = await waitForAttempts(client, destination.id, 3);
      const [request] = await receiver.waitForRequests(path, 1);
      expect(attempts.map((a) => [a.error, a.faults])).toEqual([
        ['dropped by fault', ['drop_first']],
        ['dropped by fault', ['drop_first']],
        [null, []],
      ]);
      expect(attempts[2]).toMatchObject({ status_code: 200, outcome: 'success' });
      expect(attempts[2].webhook_timestamp).toBe(Number(request.headers['webhook-timestamp']));
      expect(await deliveriesOf(client, destination.id)).toEqual([
        expect.objectContaining({ status: 'success', attempts: 3 }),
      ]);
    });

    it('drop_first: should switch the destination off when every try is dropped', async () => {
      deck.clock.freeze();
      const { path, destination } = await faulty({ drop_first: 4 });
      await credential('all-dropped');
      await waitForAttempts(client, destination.id, 1);
      for (const [delay, count] of [
        [1000, 2],
        [2000, 3],
        [4000, 4],
      ]) {
        await advance(deck, delay);
        await waitForAttempts(client, destination.id, count);
      }
      const failed = await waitForDelivery(client, destination.id, (d) => d.status === 'failure', 'the failure');
      expect(failed).toMatchObject({ attempts: 4, delivered_at: null });
      expect((await attemptsOf(client, destination.id)).map((a) => a.error)).toEqual(Array(4).fill('dropped by fault'));
      expect((await client.get(`/v2/event-destinations/${destination.id}`).expect(200)).body).toMatchObject({
        status: 'inactive',
      });
      expect(receiver.to(path)).toEqual([]);
    });

    it('fail_first: should count an answered try as failed, so the receiver sees the retry', async () => {
      deck.clock.freeze();
      const { path, destination } = await faulty({ fail_first: 1 });
      await credential('failed-first');
      const [first] = await receiver.waitForRequests(path, 1);
      const [counted] = await waitForAttempts(client, destination.id, 1);
      expect(counted).toMatchObject({
        status_code: 200,
        response_excerpt: 'ok',
        error: 'counted as failed by fault',
        outcome: 'failure',
        faults: ['fail_first'],
      });
      expect(await deliveriesOf(client, destination.id)).toEqual([
        expect.objectContaining({ status: 'pending', attempts: 1 }),
      ]);

      await advance(deck, 1000);
      const [, second] = await receiver.waitForRequests(path, 2);
      expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
      const attempts = await waitForAttempts(client, destination.id, 2);
      expect(attempts[1]).toMatchObject({ status_code: 200, outcome: 'success', error: null, faults: [] });
      expect(await deliveriesOf(client, destination.id)).toEqual([
        expect.objectContaining({ status: 'success', attempts: 2 }),
      ]);
    });

    it('bad_signature: should sign with a wrong secret, so a verifying receiver refuses it', async () => {
      let secret = '';
      const { path, destination } = await faulty(
        { bad_signature: true },
        answerVerifying(() => secret),
      );
      secret = (
        (await client.get(`/sandbox/event-destinations/${destination.id}/secret`).expect(200)).body as {
          secret: string;
        }
      ).secret;
      deck.clock.freeze();
      await credential('bad-signature');

      const [request] = await receiver.waitForRequests(path, 1);
      expect(signaturesOf(request)).toEqual([expect.stringMatching(SIGNATURE)]);
      expect(() => new Webhook(secret).verify(request.rawBody, request.headers)).toThrow();
      const [attempt] = await waitForAttempts(client, destination.id, 1);
      expect(attempt).toMatchObject({
        status_code: 401,
        outcome: 'failure',
        error: 'answered 401',
        faults: ['bad_signature'],
        response_excerpt: expect.stringMatching(/signature/i),
      });
    });

    it('stale_timestamp_s: should sign an old timestamp validly, so only the age check fails', async () => {
      let secret = '';
      const {
        path,
        destination,
        secret: created,
      } = await faulty(
        { stale_timestamp_s: 600 },
        answerVerifying(() => secret),
      );
      secret = created;
      await credential('stale');

      const [request] = await receiver.waitForRequests(path, 1);
      const timestamp = Number(request.headers['webhook-timestamp']);
      expect(Math.abs(timestamp * 1000 - (request.receivedAt - 600_000))).toBeLessThan(3000);
      expect(signaturesOf(request)).toEqual([
        new Webhook(secret).sign(request.headers['webhook-id'], new Date(timestamp * 1000), request.rawBody),
      ]);
      expect(() => new Webhook(secret).verify(request.rawBody, request.headers)).toThrow(/too old/i);
      const [attempt] = await waitForAttempts(client, destination.id, 1);
      expect(attempt).toMatchObject({
        webhook_timestamp: timestamp,
        status_code: 401,
        faults: ['stale_timestamp_s'],
        response_excerpt: expect.stringMatching(/too old/i),
      });
    });

    it('dual_signature: should add a decoy signature before the real one, which a careful receiver accepts', async () => {
      let secret = '';
      const {
        path,
        destination,
        secret: created,
      } = await faulty(
        { dual_signature: true },
        answerVerifying(() => secret),
      );
      secret = created;
      await credential('dual');

      const [request] = await receiver.waitForRequests(path, 1);
      const real = new Webhook(secret).sign(
        request.headers['webhook-id'],
        new Date(Number(request.headers['webhook-timestamp']) * 1000),
        request.rawBody,
      );
      const signatures = signaturesOf(request);
      expect(signatures).toEqual([expect.stringMatching(SIGNATURE), real]);
      // A receiver that checks only the first entry would refuse it.
      expect(signatures[0]).not.toBe(real);
      const [attempt] = await waitForAttempts(client, destination.id, 1);
      expect(attempt).toMatchObject({ status_code: 200, outcome: 'success', faults: ['dual_signature'] });
    });

    it('should stop applying faults once they are cleared', async () => {
      const { path, destination, secret } = await faulty(
        { bad_signature: true, duplicate: 1 },
        answerStatus(200, 'taken'),
      );
      await credential('before-clear');
      const faulted = await receiver.waitForRequests(path, 2);
      for (const request of faulted) {
        expect(() => new Webhook(secret).verify(request.rawBody, request.headers)).toThrow();
      }
      await waitForAttempts(client, destination.id, 2);

      await client.delete(`/sandbox/event-destinations/${destination.id}/faults`).expect(200);
      await credential('after-clear');
      const [, , clean] = await receiver.waitForRequests(path, 3);
      expect(new Webhook(secret).verify(clean.rawBody, clean.headers)).toMatchObject({ type: 'credential.created' });
      const attempts = await waitForAttempts(client, destination.id, 3);
      expect(attempts.map((a) => a.faults)).toEqual([['bad_signature'], ['duplicate', 'bad_signature'], []]);
      await pause();
      expect(receiver.to(path)).toHaveLength(3);
    });
  });
});
