import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { DeckDeleted, DeckEvent, DeckEventDelivery, DeckEventDestination, DeckList } from '@app/deck';

import { createCredential, seeded } from '../support/deck-fixtures';
import { expectDeckError } from '../support/envelope';
import { deckClient, DeckClient, MockDeck, startMockDeck, waitFor } from '../support/mock-deck-app';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OTHER_SECRET = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
/** A local port nothing listens on: sends fail at once and never leave the machine. */
const DEAD_URL = 'http://127.0.0.1:9/hooks';

describe('Event destinations (/v2/event-destinations)', () => {
  let deck: MockDeck;
  let client: DeckClient;
  let sourceId: string;
  /** Answers 204 on /ok and 500 on anything else. */
  let receiver: Server;
  let receiverUrl: string;

  beforeAll(async () => {
    deck = await startMockDeck();
    receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.statusCode = req.url === '/ok' ? 204 : 500;
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await deck.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  beforeEach(async () => {
    client = deckClient(deck);
    ({ sourceId } = await seeded(client));
  });

  async function createDestination(body: Record<string, unknown> = {}): Promise<DeckEventDestination> {
    const res = await client
      .post('/v2/event-destinations', {
        name: 'Ops webhook',
        events: ['credential.created'],
        webhook: { url: DEAD_URL },
        ...body,
      })
      .expect(201);
    return res.body as DeckEventDestination;
  }

  async function listEvents(type: string): Promise<DeckEvent[]> {
    return ((await client.get(`/v2/events?type=${type}`).expect(200)).body as DeckList<DeckEvent>).data;
  }

  function deliveries(id: string, query = ''): Promise<DeckList<DeckEventDelivery>> {
    return client
      .get(`/v2/event-destinations/${id}/event-deliveries${query}`)
      .expect(200)
      .then((res) => res.body as DeckList<DeckEventDelivery>);
  }

  describe('POST /v2/event-destinations', () => {
    it('should create an active webhook destination and return its secret this once', async () => {
      const res = await client
        .post('/v2/event-destinations', {
          name: 'Ops webhook',
          type: 'webhook',
          events: ['credential.created', 'task_run.completed'],
          webhook: { url: 'https://hooks.example.com/deck', custom_headers: '{"X-Team":"ops"}' },
        })
        .expect(201);
      const destination = res.body as DeckEventDestination;
      expect(destination).toEqual({
        id: expect.stringMatching(/^evtd_[A-Za-z0-9]{24}$/),
        object: 'event_destination',
        name: 'Ops webhook',
        status: 'active',
        type: 'webhook',
        events: ['credential.created', 'task_run.completed'],
        webhook: {
          url: 'https://hooks.example.com/deck',
          custom_headers: '{"X-Team":"ops"}',
          secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{32,}={0,2}$/),
        },
        created_at: expect.any(String),
        updated_at: expect.any(String),
        request_id: expect.stringMatching(/^req_[A-Za-z0-9]{24}$/),
      });
      const key = Buffer.from(destination.webhook!.secret!.slice('whsec_'.length), 'base64');
      expect(key.length).toBeGreaterThanOrEqual(24);
      expect(key.length).toBeLessThanOrEqual(64);

      const other = await createDestination();
      expect(other.webhook!.secret).not.toBe(destination.webhook!.secret);
    });

    it('should never show the secret again on GET or in the list', async () => {
      const created = await createDestination({ webhook: { url: DEAD_URL, secret: SECRET } });
      const one = await client.get(`/v2/event-destinations/${created.id}`).expect(200);
      expect(one.body).toMatchObject({ id: created.id, webhook: { url: DEAD_URL, custom_headers: null } });
      expect((one.body as DeckEventDestination).webhook).not.toHaveProperty('secret');
      expect(JSON.stringify(one.body)).not.toContain(SECRET.slice(6));

      const list = await client.get('/v2/event-destinations').expect(200);
      expect(JSON.stringify(list.body)).not.toContain('secret');
      expect(JSON.stringify(list.body)).not.toContain(SECRET.slice(6));
    });

    it('should use a given webhook.secret and default the type to webhook', async () => {
      const destination = await createDestination({ webhook: { url: DEAD_URL, secret: SECRET } });
      expect(destination).toMatchObject({
        type: 'webhook',
        status: 'active',
        webhook: { url: DEAD_URL, custom_headers: null, secret: SECRET },
      });
    });

    it('should accept the older {config, credentials} body shape', async () => {
      const res = await client
        .post('/v2/event-destinations', {
          name: 'Legacy',
          type: 'webhook',
          events: ['*'],
          config: { url: DEAD_URL, custom_headers: '{"X-Legacy":"1"}' },
          credentials: { secret: SECRET },
        })
        .expect(201);
      expect(res.body).toMatchObject({
        name: 'Legacy',
        type: 'webhook',
        events: ['*'],
        webhook: { url: DEAD_URL, custom_headers: '{"X-Legacy":"1"}', secret: SECRET },
      });
      expect(res.body).not.toHaveProperty('config');
      expect(res.body).not.toHaveProperty('credentials');
    });

    it('should require name, events and a webhook url', async () => {
      const base = { name: 'x', events: ['*'], webhook: { url: DEAD_URL } };
      expectDeckError(
        await client.post('/v2/event-destinations', { ...base, name: undefined }),
        400,
        'input_missing',
        'name',
      );
      expectDeckError(await client.post('/v2/event-destinations', { ...base, name: '' }), 400, 'input_missing', 'name');
      expectDeckError(
        await client.post('/v2/event-destinations', { ...base, events: null }),
        400,
        'input_missing',
        'events',
      );
      expectDeckError(
        await client.post('/v2/event-destinations', { ...base, events: undefined }),
        400,
        'input_missing',
        'events',
      );
      expectDeckError(
        await client.post('/v2/event-destinations', { ...base, webhook: undefined }),
        400,
        'input_missing',
        'webhook.url',
      );
      expectDeckError(
        await client.post('/v2/event-destinations', { ...base, webhook: {} }),
        400,
        'input_missing',
        'webhook.url',
      );
    });

    it('should refuse empty events, * combined with types and unknown event types', async () => {
      const base = { name: 'x', webhook: { url: DEAD_URL } };
      for (const events of [
        [],
        ['*', 'credential.created'],
        ['credential.exploded'],
        ['task_run.pending'],
        'credential.created',
      ]) {
        expectDeckError(
          await client.post('/v2/event-destinations', { ...base, events }),
          400,
          'input_invalid',
          'events',
        );
      }
    });

    it('should refuse urls that are not absolute http(s)', async () => {
      for (const url of [
        'file:///etc/passwd',
        'ftp://files.example.com/hook',
        'javascript:alert(1)',
        '/relative',
        'not a url',
        42,
      ]) {
        expectDeckError(
          await client.post('/v2/event-destinations', { name: 'x', events: ['*'], webhook: { url } }),
          400,
          'input_invalid',
          'webhook.url',
        );
      }
    });

    it('should refuse cloud metadata addresses (SSRF)', async () => {
      for (const url of [
        'http://169.254.169.254/',
        'http://169.254.169.254/latest/meta-data/',
        'https://169.254.170.2/v2/credentials',
        'http://metadata.google.internal/computeMetadata/v1/',
        'http://METADATA.google.internal/',
        'http://0xa9fea9fe/',
        'http://[::ffff:169.254.169.254]/',
        'http://[::ffff:a9fe:a9fe]/latest/meta-data/',
        'http://[fd00:ec2::254]/',
      ]) {
        expectDeckError(
          await client.post('/v2/event-destinations', { name: 'x', events: ['*'], webhook: { url } }),
          400,
          'input_invalid',
          'webhook.url',
        );
      }
    });

    it('should refuse config under another type key', async () => {
      expectDeckError(
        await client.post('/v2/event-destinations', {
          name: 'x',
          events: ['*'],
          webhook: { url: DEAD_URL },
          aws_sqs: { queue_url: 'https://sqs.example.com/q' },
        }),
        400,
        'input_invalid',
        'aws_sqs',
      );
      expectDeckError(
        await client.post('/v2/event-destinations', {
          name: 'x',
          type: 'aws_sqs',
          events: ['*'],
          webhook: { url: DEAD_URL },
        }),
        400,
        'input_invalid',
        'webhook',
      );
      expectDeckError(
        await client.post('/v2/event-destinations', { name: 'x', type: 'smtp', events: ['*'], smtp: {} }),
        400,
        'input_invalid',
        'type',
      );
    });

    it('should not echo the write-only token of a non-webhook config', async () => {
      const res = await client
        .post('/v2/event-destinations', {
          name: 'Hookdeck',
          type: 'hookdeck',
          events: ['*'],
          hookdeck: { token: 'hd_super_secret_token' },
        })
        .expect(201);
      expect(res.body).toMatchObject({ type: 'hookdeck', status: 'active' });
      expect(JSON.stringify(res.body)).not.toContain('hd_super_secret_token');
      const one = await client.get(`/v2/event-destinations/${(res.body as DeckEventDestination).id}`).expect(200);
      expect(JSON.stringify(one.body)).not.toContain('hd_super_secret_token');
    });

    it('should echo a non-webhook config under its own key without a secret', async () => {
      const res = await client
        .post('/v2/event-destinations', {
          name: 'Queue',
          type: 'gcp_pubsub',
          events: ['*'],
          gcp_pubsub: { project_id: 'p', topic: 't' },
        })
        .expect(201);
      expect(res.body).toMatchObject({ type: 'gcp_pubsub', gcp_pubsub: { project_id: 'p', topic: 't' } });
      expect(res.body).not.toHaveProperty('webhook');
      expect(JSON.stringify(res.body)).not.toContain('whsec_');
    });

    it('should refuse custom_headers that are not a JSON-encoded object string', async () => {
      for (const custom_headers of [
        'not json',
        '{"X-A":',
        { 'X-A': '1' },
        '"X-A: 1"',
        '[["X-A", "1"]]',
        '{"X-A": 5}',
        '{"Bad Header": "x"}',
        '{"X-A": "line\\nbreak"}',
        '{"Content-Length": "3"}',
        '{"Transfer-Encoding": "chunked"}',
      ]) {
        expectDeckError(
          await client.post('/v2/event-destinations', {
            name: 'x',
            events: ['*'],
            webhook: { url: DEAD_URL, custom_headers },
          }),
          400,
          'input_invalid',
          'webhook.custom_headers',
        );
      }
    });

    it('should refuse a badly formed secret', async () => {
      for (const secret of ['secret', 'whsec_short', `whsec_${'!'.repeat(40)}`, SECRET.slice(6), 42]) {
        expectDeckError(
          await client.post('/v2/event-destinations', {
            name: 'x',
            events: ['*'],
            webhook: { url: DEAD_URL, secret },
          }),
          400,
          'input_invalid',
          'webhook.secret',
        );
      }
      expectDeckError(
        await client.post('/v2/event-destinations', {
          name: 'x',
          events: ['*'],
          config: { url: DEAD_URL },
          credentials: { secret: 'whsec_short' },
        }),
        400,
        'input_invalid',
        'credentials.secret',
      );
    });

    it('should refuse unknown fields', async () => {
      expectDeckError(
        await client.post('/v2/event-destinations', {
          name: 'x',
          events: ['*'],
          webhook: { url: DEAD_URL },
          status: 'inactive',
        }),
        400,
        'input_invalid',
        'status',
      );
      expectDeckError(
        await client.post('/v2/event-destinations', {
          name: 'x',
          events: ['*'],
          webhook: { url: DEAD_URL, method: 'PUT' },
        }),
        400,
        'input_invalid',
        'webhook.method',
      );
    });
  });

  describe('GET /v2/event-destinations', () => {
    it('should list newest first and filter by status', async () => {
      const a = await createDestination({ name: 'A' });
      const b = await createDestination({ name: 'B' });
      await client.patch(`/v2/event-destinations/${a.id}`, { status: 'inactive' }).expect(200);

      const all = (await client.get('/v2/event-destinations').expect(200)).body as DeckList<DeckEventDestination>;
      expect(all).toMatchObject({ has_more: false, next_cursor: null, request_id: expect.stringMatching(/^req_/) });
      expect(all.data.map((d) => [d.id, d.status])).toEqual([
        [b.id, 'active'],
        [a.id, 'inactive'],
      ]);

      const inactive = (await client.get('/v2/event-destinations?status=inactive').expect(200))
        .body as DeckList<DeckEventDestination>;
      expect(inactive.data.map((d) => d.id)).toEqual([a.id]);
      const both = (await client.get('/v2/event-destinations?status=active,inactive').expect(200))
        .body as DeckList<DeckEventDestination>;
      expect(both.data).toHaveLength(2);
      const pending = (await client.get('/v2/event-destinations?status=pending_verification').expect(200))
        .body as DeckList<DeckEventDestination>;
      expect(pending.data).toEqual([]);
      expectDeckError(await client.get('/v2/event-destinations?status=deleted'), 400, 'input_invalid', 'status');

      const page = (await client.get('/v2/event-destinations?limit=1').expect(200))
        .body as DeckList<DeckEventDestination>;
      expect(page.data.map((d) => d.id)).toEqual([b.id]);
      const next = (await client.get(`/v2/event-destinations?limit=1&cursor=${page.next_cursor}`).expect(200))
        .body as DeckList<DeckEventDestination>;
      expect(next.data.map((d) => d.id)).toEqual([a.id]);
      expectDeckError(await client.get('/v2/event-destinations?cursor=garbage'), 400, 'cursor_invalid');

      const elsewhere = (await deckClient(deck).get('/v2/event-destinations').expect(200))
        .body as DeckList<DeckEventDestination>;
      expect(elsewhere.data).toEqual([]);
    });
  });

  describe('GET /v2/event-destinations/:id', () => {
    it('should return the destination or 404 event_destination_not_found', async () => {
      const created = await createDestination({ webhook: { url: DEAD_URL, custom_headers: '{"X-A":"1"}' } });
      const res = await client.get(`/v2/event-destinations/${created.id}`).expect(200);
      const { secret: _secret, ...webhook } = created.webhook!;
      expect(res.body).toEqual({ ...created, webhook, request_id: expect.stringMatching(/^req_/) });
      expect(webhook).toEqual({ url: DEAD_URL, custom_headers: '{"X-A":"1"}' });

      expectDeckError(await client.get('/v2/event-destinations/evtd_missing'), 404, 'event_destination_not_found');
      expectDeckError(
        await deckClient(deck).get(`/v2/event-destinations/${created.id}`),
        404,
        'event_destination_not_found',
      );
    });
  });

  describe('PATCH /v2/event-destinations/:id', () => {
    it('should change the name and the events', async () => {
      const created = await createDestination();
      const res = await client
        .patch(`/v2/event-destinations/${created.id}`, { name: 'Renamed', events: ['*'] })
        .expect(200);
      expect(res.body).toMatchObject({ id: created.id, name: 'Renamed', events: ['*'], status: 'active' });
      expect((res.body as DeckEventDestination).webhook).toEqual({ url: DEAD_URL, custom_headers: null });
      const again = await client.get(`/v2/event-destinations/${created.id}`).expect(200);
      expect(again.body).toMatchObject({ name: 'Renamed', events: ['*'] });
    });

    it('should change the webhook url and custom headers, keeping what is left out', async () => {
      const created = await createDestination({ webhook: { url: DEAD_URL, custom_headers: '{"X-A":"1"}' } });
      const res = await client
        .patch(`/v2/event-destinations/${created.id}`, { webhook: { url: 'https://hooks.example.com/v2' } })
        .expect(200);
      expect((res.body as DeckEventDestination).webhook).toEqual({
        url: 'https://hooks.example.com/v2',
        custom_headers: '{"X-A":"1"}',
      });
      const headers = await client
        .patch(`/v2/event-destinations/${created.id}`, { webhook: { custom_headers: '{"X-B":"2"}' } })
        .expect(200);
      expect((headers.body as DeckEventDestination).webhook).toEqual({
        url: 'https://hooks.example.com/v2',
        custom_headers: '{"X-B":"2"}',
      });
    });

    it('should refuse null for fields that cannot be empty, changing nothing', async () => {
      const created = await createDestination({ webhook: { url: DEAD_URL, custom_headers: '{"X-A":"1"}' } });
      for (const [body, field, code] of [
        [{ name: null }, 'name', 'input_missing'],
        [{ status: null }, 'status', 'input_invalid'],
        [{ events: null }, 'events', 'input_invalid'],
        [{ webhook: null }, 'webhook', 'input_invalid'],
        [{ webhook: { url: null } }, 'webhook.url', 'input_invalid'],
        [{ webhook: { secret: null } }, 'webhook.secret', 'input_invalid'],
      ] as const) {
        expectDeckError(await client.patch(`/v2/event-destinations/${created.id}`, body), 400, code, field);
      }
      const cleared = await client
        .patch(`/v2/event-destinations/${created.id}`, { webhook: { custom_headers: null } })
        .expect(200);
      expect((cleared.body as DeckEventDestination).webhook).toEqual({ url: DEAD_URL, custom_headers: null });
      const after = await client.get(`/v2/event-destinations/${created.id}`).expect(200);
      expect(after.body).toMatchObject({ name: 'Ops webhook', status: 'active', events: ['credential.created'] });
      // The organisation's events still record normally.
      await createCredential(client, sourceId, 'still-works@example.com');
    });

    it('should rotate the secret without ever echoing it', async () => {
      const created = await createDestination({ webhook: { url: DEAD_URL, secret: SECRET } });
      const res = await client
        .patch(`/v2/event-destinations/${created.id}`, { webhook: { secret: OTHER_SECRET } })
        .expect(200);
      expect((res.body as DeckEventDestination).webhook).toEqual({ url: DEAD_URL, custom_headers: null });
      expect(JSON.stringify(res.body)).not.toContain(OTHER_SECRET.slice(6));
      expect(JSON.stringify(res.body)).not.toContain(SECRET.slice(6));

      const legacy = await client
        .patch(`/v2/event-destinations/${created.id}`, { credentials: { secret: SECRET } })
        .expect(200);
      expect(JSON.stringify(legacy.body)).not.toContain(SECRET.slice(6));
    });

    it('should write event_destination.deactivated and .activated when the status flips', async () => {
      const created = await createDestination();
      const off = await client.patch(`/v2/event-destinations/${created.id}`, { status: 'inactive' }).expect(200);
      expect(off.body).toMatchObject({ status: 'inactive' });
      const deactivated = await listEvents('event_destination.deactivated');
      expect(deactivated).toHaveLength(1);
      expect(deactivated[0].data).toMatchObject({
        id: created.id,
        object: 'event_destination',
        status: 'inactive',
        type: 'webhook',
        webhook: { url: DEAD_URL },
      });
      expect(JSON.stringify(deactivated[0].data)).not.toContain('secret');

      // Setting the same status again is not a change.
      await client.patch(`/v2/event-destinations/${created.id}`, { status: 'inactive' }).expect(200);
      expect(await listEvents('event_destination.deactivated')).toHaveLength(1);
      expect(await listEvents('event_destination.activated')).toHaveLength(0);

      const on = await client.patch(`/v2/event-destinations/${created.id}`, { status: 'active' }).expect(200);
      expect(on.body).toMatchObject({ status: 'active' });
      const activated = await listEvents('event_destination.activated');
      expect(activated).toHaveLength(1);
      expect(activated[0].data).toMatchObject({ id: created.id, status: 'active' });

      // A rename is not a status change.
      await client.patch(`/v2/event-destinations/${created.id}`, { name: 'Quiet' }).expect(200);
      const all = (await client.get('/v2/events').expect(200)).body as DeckList<DeckEvent>;
      expect(all.data.map((e) => e.type)).toEqual(['event_destination.activated', 'event_destination.deactivated']);
    });

    it('should refuse config for another type, bad values and unknown ids', async () => {
      const created = await createDestination();
      expectDeckError(
        await client.patch(`/v2/event-destinations/${created.id}`, { aws_sqs: { queue_url: 'https://q' } }),
        400,
        'input_invalid',
        'aws_sqs',
      );
      expectDeckError(
        await client.patch(`/v2/event-destinations/${created.id}`, { status: 'pending_verification' }),
        400,
        'input_invalid',
        'status',
      );
      expectDeckError(
        await client.patch(`/v2/event-destinations/${created.id}`, { events: [] }),
        400,
        'input_invalid',
        'events',
      );
      expectDeckError(
        await client.patch(`/v2/event-destinations/${created.id}`, { events: ['*', 'credential.created'] }),
        400,
        'input_invalid',
        'events',
      );
      expectDeckError(
        await client.patch(`/v2/event-destinations/${created.id}`, { webhook: { url: 'file:///etc/passwd' } }),
        400,
        'input_invalid',
        'webhook.url',
      );
      expectDeckError(
        await client.patch(`/v2/event-destinations/${created.id}`, { webhook: { url: 'http://169.254.169.254/' } }),
        400,
        'input_invalid',
        'webhook.url',
      );
      expectDeckError(
        await client.patch(`/v2/event-destinations/${created.id}`, { webhook: { custom_headers: '{"Host":"x"}' } }),
        400,
        'input_invalid',
        'webhook.custom_headers',
      );
      expectDeckError(
        await client.patch(`/v2/event-destinations/${created.id}`, { webhook: { secret: 'whsec_short' } }),
        400,
        'input_invalid',
        'webhook.secret',
      );
      expectDeckError(
        await client.patch(`/v2/event-destinations/${created.id}`, {
          config: { url: DEAD_URL },
          hookdeck: { token: 't' },
        }),
        400,
        'input_invalid',
        'hookdeck',
      );
      expectDeckError(
        await client.patch(`/v2/event-destinations/${created.id}`, { type: 'aws_sqs' }),
        400,
        'input_invalid',
        'type',
      );
      expectDeckError(
        await client.patch('/v2/event-destinations/evtd_missing', { name: 'x' }),
        404,
        'event_destination_not_found',
      );
      const unchanged = await client.get(`/v2/event-destinations/${created.id}`).expect(200);
      expect(unchanged.body).toMatchObject({ events: ['credential.created'], webhook: { url: DEAD_URL } });
    });
  });

  describe('DELETE /v2/event-destinations/:id', () => {
    it('should confirm the delete and 404 afterwards', async () => {
      const created = await createDestination({ events: ['*'] });
      const res = await client.delete(`/v2/event-destinations/${created.id}`).expect(200);
      expect(res.body as DeckDeleted).toEqual({
        id: created.id,
        object: 'event_destination',
        deleted: true,
        request_id: expect.stringMatching(/^req_/),
      });
      expectDeckError(await client.get(`/v2/event-destinations/${created.id}`), 404, 'event_destination_not_found');
      expectDeckError(
        await client.patch(`/v2/event-destinations/${created.id}`, { name: 'x' }),
        404,
        'event_destination_not_found',
      );
      expectDeckError(await client.delete(`/v2/event-destinations/${created.id}`), 404, 'event_destination_not_found');
      expectDeckError(
        await client.get(`/v2/event-destinations/${created.id}/event-deliveries`),
        404,
        'event_destination_not_found',
      );
      const list = (await client.get('/v2/event-destinations').expect(200)).body as DeckList<DeckEventDestination>;
      expect(list.data).toEqual([]);
    });

    it('should stop fanning events out to a deleted destination', async () => {
      const kept = await createDestination({ events: ['*'], webhook: { url: `${receiverUrl}/ok` } });
      const gone = await createDestination({ events: ['*'], webhook: { url: `${receiverUrl}/ok` } });
      await client.delete(`/v2/event-destinations/${gone.id}`).expect(200);
      await createCredential(client, sourceId, 'after-delete@example.com');
      const list = await deliveries(kept.id);
      expect(list.data.map((d) => d.event_type)).toEqual(['credential.created']);
      const other = await createDestination({ events: ['*'] });
      expect((await deliveries(other.id)).data).toEqual([]);
    });
  });

  describe('GET /v2/event-destinations/:id/event-deliveries', () => {
    it('should list deliveries in their shape, newest first, filtered by status and type', async () => {
      const ok = await createDestination({
        events: ['credential.created', 'credential.deleted'],
        webhook: { url: `${receiverUrl}/ok` },
      });
      const credential = await createCredential(client, sourceId, 'deliver@example.com');
      await client.delete(`/v2/credentials/${credential.id}`).expect(200);
      const [deletedEvent] = await listEvents('credential.deleted');
      const [createdEvent] = await listEvents('credential.created');

      const done = await waitFor(
        async () => {
          const list = await deliveries(ok.id);
          return list.data.length === 2 && list.data.every((d) => d.status === 'success') ? list : undefined;
        },
        5000,
        'two successful deliveries',
      );
      expect(done).toMatchObject({ has_more: false, next_cursor: null, request_id: expect.stringMatching(/^req_/) });
      expect(done.data).toEqual([
        {
          id: expect.stringMatching(/^edlv_[A-Za-z0-9]{24}$/),
          object: 'event_delivery',
          status: 'success',
          event_type: 'credential.deleted',
          event_id: deletedEvent.id,
          event_destination_id: ok.id,
          attempts: 1,
          created_at: deletedEvent.created_at,
          delivered_at: expect.any(String),
        },
        {
          id: expect.stringMatching(/^edlv_[A-Za-z0-9]{24}$/),
          object: 'event_delivery',
          status: 'success',
          event_type: 'credential.created',
          event_id: createdEvent.id,
          event_destination_id: ok.id,
          attempts: 1,
          created_at: createdEvent.created_at,
          delivered_at: expect.any(String),
        },
      ]);
      for (const delivery of done.data) {
        expect(delivery).not.toHaveProperty('request_id');
        expect(Date.parse(delivery.delivered_at!)).toBeGreaterThanOrEqual(Date.parse(delivery.created_at));
      }

      const byType = await deliveries(ok.id, '?type=credential.created');
      expect(byType.data.map((d) => d.event_id)).toEqual([createdEvent.id]);
      const byBothTypes = await deliveries(ok.id, '?type=credential.created&type=credential.deleted');
      expect(byBothTypes.data).toHaveLength(2);
      expect((await deliveries(ok.id, '?status=success')).data).toHaveLength(2);
      expect((await deliveries(ok.id, '?status=failure')).data).toEqual([]);
      expect((await deliveries(ok.id, '?type=task_run.completed')).data).toEqual([]);

      const page = await deliveries(ok.id, '?limit=1');
      expect(page.has_more).toBe(true);
      const rest = await deliveries(ok.id, `?limit=1&cursor=${page.next_cursor}`);
      expect(rest.data.map((d) => d.event_id)).toEqual([createdEvent.id]);

      expectDeckError(
        await client.get(`/v2/event-destinations/${ok.id}/event-deliveries?status=skipped`),
        400,
        'input_invalid',
        'status',
      );
      expectDeckError(
        await client.get(`/v2/event-destinations/${ok.id}/event-deliveries?type=nope`),
        400,
        'input_invalid',
        'type',
      );
      expectDeckError(
        await client.get('/v2/event-destinations/evtd_missing/event-deliveries'),
        404,
        'event_destination_not_found',
      );
    });

    it('should show a failing delivery as failure after its retries, next to successes', async () => {
      const failing = await createDestination({ events: ['*'], webhook: { url: `${receiverUrl}/fail` } });
      await createCredential(client, sourceId, 'fail@example.com');
      const [event] = await listEvents('credential.created');

      const attemptsReach = (n: number) =>
        waitFor(
          async () => {
            const [delivery] = (await deliveries(failing.id)).data;
            return delivery && delivery.attempts >= n ? delivery : undefined;
          },
          5000,
          `attempt ${n}`,
        );
      const first = await attemptsReach(1);
      expect(first).toMatchObject({ status: 'pending', attempts: 1, delivered_at: null, event_id: event.id });
      for (const [n, delay] of [
        [2, 1_000],
        [3, 2_000],
        [4, 4_000],
      ]) {
        deck.clock.advance(delay);
        await deck.settle();
        await attemptsReach(n);
      }
      const failed = await waitFor(
        async () => {
          const list = await deliveries(failing.id, '?status=failure');
          return list.data.length === 1 ? list.data[0] : undefined;
        },
        5000,
        'a failed delivery',
      );
      expect(failed).toMatchObject({ status: 'failure', attempts: 4, delivered_at: null, event_id: event.id });
      expect((await deliveries(failing.id, '?status=success')).data).toEqual([]);
      expect((await deliveries(failing.id, '?status=success,failure')).data).toHaveLength(1);
      const destination = await client.get(`/v2/event-destinations/${failing.id}`).expect(200);
      expect(destination.body).toMatchObject({ status: 'inactive' });
    });
  });
});
