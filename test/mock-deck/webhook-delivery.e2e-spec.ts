import { Webhook } from 'standardwebhooks';

import type { DeckEvent, DeckEventDelivery, DeckEventDestination, DeckList } from '@app/deck';

import { createCredential, seeded } from '../support/deck-fixtures';
import { expectDeckError } from '../support/envelope';
import { deckClient, DeckClient, MockDeck, startMockDeck, waitFor } from '../support/mock-deck-app';
import { deliveriesOf as listDeliveries } from '../support/sandbox-deliveries';
import { answerOk, answerStatus, ReceivedRequest, Responder, WebhookReceiver } from '../support/webhook-receiver';

/** The Standard Webhooks test vector's secret, and a second one for rotations. */
const OLD_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const NEW_SECRET = 'whsec_' + Buffer.alloc(32, 42).toString('base64');

/** A receiver that fails the first delivery to a path and takes every later one. */
const failOnce: Responder = (_request, nth) =>
  nth === 1 ? { status: 500, body: 'boom' } : { status: 200, body: 'ok' };
const hang: Responder = () => 'hang';

describe('Webhook delivery', () => {
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

  async function createDestination(path: string, body: Record<string, unknown> = {}): Promise<DeckEventDestination> {
    const { webhook, ...rest } = body;
    const res = await client
      .post('/v2/event-destinations', {
        name: `Receiver ${path}`,
        events: ['*'],
        ...rest,
        webhook: { url: `${receiver.url}${path}`, ...(webhook as object) },
      })
      .expect(201);
    return res.body as DeckEventDestination;
  }

  function deliveriesOf(destinationId: string): Promise<DeckEventDelivery[]> {
    return listDeliveries(client, destinationId);
  }

  function waitForDelivery(
    destinationId: string,
    accept: (delivery: DeckEventDelivery) => boolean,
    what: string,
  ): Promise<DeckEventDelivery> {
    return waitFor(async () => (await deliveriesOf(destinationId)).find(accept), 5000, what);
  }

  async function eventsOfType(type: string): Promise<DeckEvent[]> {
    return ((await client.get(`/v2/events?type=${type}`).expect(200)).body as DeckList<DeckEvent>).data;
  }

  function signaturesOf(request: ReceivedRequest): string[] {
    return request.headers['webhook-signature'].split(' ');
  }

  describe('signed POST to the destination', () => {
    it('should POST a credential created after the destination exists, signed as Standard Webhooks', async () => {
      const path = receiver.endpoint(answerOk);
      const destination = await createDestination(path, { events: ['credential.created'] });
      const secret = destination.webhook!.secret!;
      const credential = await createCredential(client, sourceId, 'hooked@example.com', { external_id: 'ext_hook' });

      const [request] = await receiver.waitForRequests(path, 1);
      const [event] = await eventsOfType('credential.created');
      expect(request.method).toBe('POST');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['webhook-id']).toBe(event.id);
      expect(request.headers['webhook-timestamp']).toMatch(/^\d{10}$/);
      expect(Math.abs(Number(request.headers['webhook-timestamp']) * 1000 - request.receivedAt)).toBeLessThan(5_000);
      expect(signaturesOf(request)).toEqual([expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/)]);

      const verified = new Webhook(secret).verify(request.rawBody, request.headers);
      expect(verified).toEqual({
        id: event.id,
        object: 'event',
        type: 'credential.created',
        data: expect.objectContaining({ id: credential.id, object: 'credential', external_id: 'ext_hook' }),
        created_at: event.created_at,
      });
      const stored = (await client.get(`/v2/events/${event.id}`).expect(200)).body as DeckEvent;
      const { request_id: _requestId, ...withoutRequestId } = stored;
      expect(JSON.parse(request.rawBody)).toEqual(withoutRequestId);
      expect(request.rawBody).not.toContain('correct horse battery staple');

      // The signature covers exactly these bytes, this id and this timestamp.
      const expected = new Webhook(secret).sign(
        event.id,
        new Date(Number(request.headers['webhook-timestamp']) * 1000),
        request.rawBody,
      );
      expect(signaturesOf(request)).toEqual([expected]);
      expect(() => new Webhook(NEW_SECRET).verify(request.rawBody, request.headers)).toThrow();
      expect(() => new Webhook(secret).verify(`${request.rawBody} `, request.headers)).toThrow();
      expect(() =>
        new Webhook(secret).verify(request.rawBody, { ...request.headers, 'webhook-id': 'evt_other' }),
      ).toThrow();

      const delivery = await waitForDelivery(destination.id, (d) => d.status === 'success', 'a successful delivery');
      expect(delivery).toEqual({
        id: expect.stringMatching(/^edlv_/),
        object: 'event_delivery',
        status: 'success',
        event_type: 'credential.created',
        event_id: event.id,
        event_destination_id: destination.id,
        attempts: 1,
        created_at: event.created_at,
        delivered_at: expect.any(String),
      });
    });

    it('should sign with a secret given at creation', async () => {
      const path = receiver.endpoint(answerOk);
      const destination = await createDestination(path, { webhook: { secret: OLD_SECRET } });
      expect(destination.webhook!.secret).toBe(OLD_SECRET);
      await createCredential(client, sourceId, 'given-secret@example.com');
      const [request] = await receiver.waitForRequests(path, 1);
      expect(new Webhook(OLD_SECRET).verify(request.rawBody, request.headers)).toMatchObject({
        type: 'credential.created',
      });
    });

    it('should add the custom headers without letting them replace the signing headers', async () => {
      const path = receiver.endpoint(answerOk);
      const destination = await createDestination(path, {
        webhook: {
          custom_headers: JSON.stringify({
            'X-Team': 'ops',
            Authorization: 'Bearer receiver-token',
            'webhook-id': 'spoofed',
            'Content-Type': 'text/plain',
          }),
        },
      });
      await createCredential(client, sourceId, 'headers@example.com');
      const [request] = await receiver.waitForRequests(path, 1);
      const [event] = await eventsOfType('credential.created');
      expect(request.headers['x-team']).toBe('ops');
      expect(request.headers.authorization).toBe('Bearer receiver-token');
      expect(request.headers['webhook-id']).toBe(event.id);
      expect(request.headers['content-type']).toBe('application/json');
      expect(new Webhook(destination.webhook!.secret!).verify(request.rawBody, request.headers)).toMatchObject({
        id: event.id,
      });
    });

    it('should send only the event types a destination subscribes to', async () => {
      const onlyCreated = receiver.endpoint(answerOk);
      const everything = receiver.endpoint(answerOk);
      const onlyDeleted = receiver.endpoint(answerOk);
      const a = await createDestination(onlyCreated, { events: ['credential.created'] });
      const b = await createDestination(everything, { events: ['*'] });
      const c = await createDestination(onlyDeleted, { events: ['credential.deleted', 'agent.created'] });

      const credential = await createCredential(client, sourceId, 'subscribed@example.com');
      await client.patch(`/v2/credentials/${credential.id}`, { external_id: 'quiet' }).expect(200);
      await client.delete(`/v2/credentials/${credential.id}`).expect(200);

      const all = await receiver.waitForRequests(everything, 2);
      expect(all.map((r) => (JSON.parse(r.rawBody) as DeckEvent).type).sort()).toEqual([
        'credential.created',
        'credential.deleted',
      ]);
      await receiver.waitForRequests(onlyDeleted, 1);
      await waitFor(
        async () => ((await deliveriesOf(b.id)).every((d) => d.status === 'success') ? true : undefined),
        5000,
        'every delivery to * settled',
      );
      expect(receiver.to(onlyCreated).map((r) => (JSON.parse(r.rawBody) as DeckEvent).type)).toEqual([
        'credential.created',
      ]);
      expect(receiver.to(onlyDeleted).map((r) => (JSON.parse(r.rawBody) as DeckEvent).type)).toEqual([
        'credential.deleted',
      ]);
      expect((await deliveriesOf(a.id)).map((d) => d.event_type)).toEqual(['credential.created']);
      expect((await deliveriesOf(b.id)).map((d) => d.event_type)).toEqual(['credential.deleted', 'credential.created']);
      expect((await deliveriesOf(c.id)).map((d) => d.event_type)).toEqual(['credential.deleted']);
    });

    it('should send nothing to an inactive destination', async () => {
      const off = receiver.endpoint(answerOk);
      const on = receiver.endpoint(answerOk);
      const inactive = await createDestination(off);
      await client.patch(`/v2/event-destinations/${inactive.id}`, { status: 'inactive' }).expect(200);
      const active = await createDestination(on, { events: ['credential.created'] });

      await createCredential(client, sourceId, 'nobody-listens@example.com');
      await receiver.waitForRequests(on, 1);
      await waitForDelivery(active.id, (d) => d.status === 'success', 'the active destination delivered');
      expect(receiver.to(off)).toEqual([]);
      expect(await deliveriesOf(inactive.id)).toEqual([]);

      // Switched back on, it receives what happens from then on (starting with its own activation).
      await client.patch(`/v2/event-destinations/${inactive.id}`, { status: 'active' }).expect(200);
      const [request] = await receiver.waitForRequests(off, 1);
      expect(JSON.parse(request.rawBody)).toMatchObject({
        type: 'event_destination.activated',
        data: { id: inactive.id, status: 'active' },
      });
    });
  });

  describe('retries', () => {
    it('should retry a failing receiver after 1 s, 2 s and 4 s, then fail the delivery and switch the destination off', async () => {
      deck.clock.freeze();
      const path = receiver.endpoint(answerStatus(500));
      const watcher = receiver.endpoint(answerOk);
      const destination = await createDestination(path, { events: ['credential.created'] });
      await createDestination(watcher, { events: ['event_destination.deactivated'] });
      await createCredential(client, sourceId, 'retry@example.com');
      const [event] = await eventsOfType('credential.created');

      const attemptsRecorded = (n: number) =>
        waitForDelivery(destination.id, (d) => d.attempts === n, `${n} recorded attempt(s)`);

      await receiver.waitForRequests(path, 1);
      expect(await attemptsRecorded(1)).toMatchObject({ status: 'pending', delivered_at: null });

      // Not due until the whole delay has passed.
      deck.clock.advance(999);
      await deck.settle();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(receiver.to(path)).toHaveLength(1);

      deck.clock.advance(1);
      await deck.settle();
      await receiver.waitForRequests(path, 2);
      await attemptsRecorded(2);

      deck.clock.advance(2_000);
      await deck.settle();
      await receiver.waitForRequests(path, 3);
      await attemptsRecorded(3);

      // Let the wall clock tick into a new second, so the last attempt's timestamp must differ from the first's.
      const firstTimestamp = Number(receiver.to(path)[0].headers['webhook-timestamp']);
      await waitFor(
        () => Promise.resolve(Math.floor(Date.now() / 1000) > firstTimestamp ? true : undefined),
        2000,
        'the next wall-clock second',
      );
      deck.clock.advance(3_999);
      await deck.settle();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(receiver.to(path)).toHaveLength(3);
      deck.clock.advance(1);
      await deck.settle();
      const attempts = await receiver.waitForRequests(path, 4);

      expect(attempts.map((r) => r.headers['webhook-id'])).toEqual([event.id, event.id, event.id, event.id]);
      for (const request of attempts) {
        expect(new Webhook(destination.webhook!.secret!).verify(request.rawBody, request.headers)).toMatchObject({
          id: event.id,
        });
        expect(request.rawBody).toBe(attempts[0].rawBody);
      }
      const timestamps = attempts.map((r) => Number(r.headers['webhook-timestamp']));
      expect(timestamps[3]).toBeGreaterThan(timestamps[0]);
      expect(signaturesOf(attempts[3])).not.toEqual(signaturesOf(attempts[0]));

      const failed = await waitForDelivery(destination.id, (d) => d.status === 'failure', 'the failed delivery');
      expect(failed).toMatchObject({ event_id: event.id, attempts: 4, delivered_at: null });

      const after = await client.get(`/v2/event-destinations/${destination.id}`).expect(200);
      expect(after.body).toMatchObject({ status: 'inactive' });
      const [deactivated] = await eventsOfType('event_destination.deactivated');
      expect(deactivated.data).toMatchObject({ id: destination.id, object: 'event_destination', status: 'inactive' });
      expect(JSON.stringify(deactivated.data)).not.toContain('secret');
      const [notice] = await receiver.waitForRequests(watcher, 1);
      expect(JSON.parse(notice.rawBody)).toMatchObject({ id: deactivated.id, type: 'event_destination.deactivated' });

      // Nothing more goes to it: neither further retries nor new events.
      await createCredential(client, sourceId, 'after-failure@example.com');
      deck.clock.advance(60_000);
      await deck.settle();
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(receiver.to(path)).toHaveLength(4);
      expect(await deliveriesOf(destination.id)).toHaveLength(1);
    });

    it('should succeed on the retry when the receiver recovers', async () => {
      deck.clock.freeze();
      const path = receiver.endpoint(failOnce);
      const destination = await createDestination(path, { events: ['credential.created'] });
      await createCredential(client, sourceId, 'recovers@example.com');

      await receiver.waitForRequests(path, 1);
      await waitForDelivery(destination.id, (d) => d.attempts === 1, 'the first attempt recorded');
      deck.clock.advance(1_000);
      await deck.settle();
      const [first, second] = await receiver.waitForRequests(path, 2);
      expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);

      const delivered = await waitForDelivery(destination.id, (d) => d.status === 'success', 'the delivery');
      expect(delivered).toMatchObject({ attempts: 2, delivered_at: deck.clock.now().toISOString() });
      const after = await client.get(`/v2/event-destinations/${destination.id}`).expect(200);
      expect(after.body).toMatchObject({ status: 'active' });
      expect(await eventsOfType('event_destination.deactivated')).toEqual([]);
      deck.clock.advance(10_000);
      await deck.settle();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(receiver.to(path)).toHaveLength(2);
    });

    it('should stop retrying once the destination is switched off, without counting a try it did not make', async () => {
      deck.clock.freeze();
      const path = receiver.endpoint(answerStatus(500));
      const destination = await createDestination(path, { events: ['credential.created'] });
      await createCredential(client, sourceId, 'switched-off@example.com');
      await receiver.waitForRequests(path, 1);
      await waitForDelivery(destination.id, (d) => d.attempts === 1, 'the first attempt recorded');

      await client.patch(`/v2/event-destinations/${destination.id}`, { status: 'inactive' }).expect(200);
      deck.clock.advance(1_000);
      await deck.settle();
      const failed = await waitForDelivery(destination.id, (d) => d.status === 'failure', 'the delivery given up');
      expect(failed.attempts).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(receiver.to(path)).toHaveLength(1);
    });
  });

  describe('secret rotation', () => {
    it('should sign with both the new and the old secret for 24 h after a rotation', async () => {
      const path = receiver.endpoint(answerOk);
      const destination = await createDestination(path, {
        events: ['credential.created'],
        webhook: { secret: OLD_SECRET },
      });
      await createCredential(client, sourceId, 'before-rotation@example.com');
      const [before] = await receiver.waitForRequests(path, 1);
      expect(signaturesOf(before)).toHaveLength(1);

      await client.patch(`/v2/event-destinations/${destination.id}`, { webhook: { secret: NEW_SECRET } }).expect(200);
      await createCredential(client, sourceId, 'after-rotation@example.com');
      const [, rotated] = await receiver.waitForRequests(path, 2);
      const signatures = signaturesOf(rotated);
      expect(signatures).toHaveLength(2);
      for (const signature of signatures) {
        expect(signature).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
      }
      const signedAt = new Date(Number(rotated.headers['webhook-timestamp']) * 1000);
      const id = rotated.headers['webhook-id'];
      expect(signatures).toEqual([
        new Webhook(NEW_SECRET).sign(id, signedAt, rotated.rawBody),
        new Webhook(OLD_SECRET).sign(id, signedAt, rotated.rawBody),
      ]);
      expect(new Webhook(NEW_SECRET).verify(rotated.rawBody, rotated.headers)).toMatchObject({ id });
      expect(new Webhook(OLD_SECRET).verify(rotated.rawBody, rotated.headers)).toMatchObject({ id });

      // A day later the old secret has retired.
      deck.clock.advance(24 * 60 * 60 * 1000 + 1_000);
      await createCredential(client, sourceId, 'day-later@example.com');
      const [, , later] = await receiver.waitForRequests(path, 3);
      expect(signaturesOf(later)).toHaveLength(1);
      expect(new Webhook(NEW_SECRET).verify(later.rawBody, later.headers)).toMatchObject({
        id: later.headers['webhook-id'],
      });
      expect(() => new Webhook(OLD_SECRET).verify(later.rawBody, later.headers)).toThrow();
    });
  });

  describe('slow receivers', () => {
    it('should keep answering API calls while a receiver hangs', async () => {
      const path = receiver.endpoint(hang);
      const destination = await createDestination(path, { events: ['credential.created'] });
      await createCredential(client, sourceId, 'slow@example.com');
      await receiver.waitForRequests(path, 1);

      const started = Date.now();
      await client.get('/v2/test').expect(200);
      const credential = await createCredential(client, sourceId, 'meanwhile@example.com');
      await client.get(`/v2/credentials/${credential.id}`).expect(200);
      expectDeckError(await client.get('/v2/events/evt_missing'), 404, 'event_not_found');
      expect(Date.now() - started).toBeLessThan(1_000);
      const pending = await deliveriesOf(destination.id);
      expect(pending).toHaveLength(2);
      for (const delivery of pending) {
        expect(delivery).toMatchObject({ status: 'pending', attempts: 0, delivered_at: null });
      }

      receiver.answer(path, answerOk);
      receiver.release(200);
      await waitFor(
        async () => {
          const deliveries = await deliveriesOf(destination.id);
          return deliveries.length === 2 && deliveries.every((d) => d.status === 'success') ? true : undefined;
        },
        5000,
        'both deliveries to succeed',
      );
    });
  });
});
