import request from 'supertest';

import type { DeckCredential, DeckList, DeckSource } from '@app/deck';

import { createCredential, seeded } from '../support/deck-fixtures';
import { expectDeckError } from '../support/envelope';
import { deckClient, MockDeck, newApiKey, startMockDeck } from '../support/mock-deck-app';

describe('Deck API conventions', () => {
  let deck: MockDeck;

  beforeAll(async () => {
    deck = await startMockDeck();
  });

  afterAll(async () => {
    await deck.close();
  });

  describe('authentication', () => {
    it('should refuse a missing, malformed or non-Deck key with 401 api_key_invalid', async () => {
      expectDeckError(await request(deck.url).get('/v2/sources'), 401, 'api_key_invalid');
      expectDeckError(
        await request(deck.url).get('/v2/sources').set('Authorization', 'Basic dXNlcjpwYXNz'),
        401,
        'api_key_invalid',
      );
      expectDeckError(
        await request(deck.url).get('/v2/sources').set('Authorization', 'Bearer pk_live_abcdefghijkl'),
        401,
        'api_key_invalid',
      );
    });

    it('should accept sk_live_ and sk_test_ keys', async () => {
      await deckClient(deck, newApiKey('sk_live_')).get('/v2/test').expect(200);
      await deckClient(deck, newApiKey('sk_test_')).get('/v2/test').expect(200);
    });
  });

  describe('organisation isolation', () => {
    it('should give each key its own seeded organisation that no other key can see into', async () => {
      const alice = deckClient(deck);
      const bob = deckClient(deck);
      const aliceSeed = await seeded(alice);
      const bobSeed = await seeded(bob);
      expect(aliceSeed.sourceId).not.toBe(bobSeed.sourceId);
      expect(aliceSeed.taskId).not.toBe(bobSeed.taskId);

      const credential = await createCredential(alice, aliceSeed.sourceId, 'user_good');
      expectDeckError(await bob.get(`/v2/credentials/${credential.id}`), 404, 'credential_not_found');
      expectDeckError(await bob.delete(`/v2/credentials/${credential.id}`), 404, 'credential_not_found');
      expectDeckError(
        await bob.post('/v2/credentials', { source_id: aliceSeed.sourceId }),
        404,
        'source_not_found',
        'source_id',
      );
      expectDeckError(
        await bob.post(`/v2/tasks/${aliceSeed.taskId}/run`, { credential_id: credential.id }),
        404,
        'task_not_found',
      );
      const bobsList = (await bob.get('/v2/credentials').expect(200)).body as DeckList<DeckCredential>;
      expect(bobsList.data).toEqual([]);
      const bobsEvents = (await bob.get('/v2/events').expect(200)).body as DeckList<unknown>;
      expect(bobsEvents.data).toEqual([]);
    });

    it('should seed three sources, an agent and a live "Verify login" task', async () => {
      const client = deckClient(deck);
      const sources = (await client.get('/v2/sources').expect(200)).body as DeckList<DeckSource>;
      expect(sources.data.map((s) => s.name).sort()).toEqual(['Acme Utilities', 'Example Bank', 'Northwind Payroll']);
      const tasks = (await client.get('/v2/tasks').expect(200)).body as DeckList<{ name: string; status: string }>;
      expect(tasks.data).toEqual([expect.objectContaining({ name: 'Verify login', status: 'live' })]);
    });
  });

  describe('errors', () => {
    it('should answer unknown routes and methods with the envelope, never an HTML page', async () => {
      const client = deckClient(deck);
      expectDeckError(await client.get('/v2/widgets'), 404, 'route_not_found');
      expectDeckError(await client.delete('/v2/test'), 404, 'route_not_found');
      const res = await request(deck.url).get('/nothing-here');
      expectDeckError(res, 404, 'route_not_found');
      expect(res.headers['content-type']).toMatch(/application\/json/);
    });

    it('should refuse a body over the size limit with 413', async () => {
      const client = deckClient(deck);
      const { sourceId } = await seeded(client);
      const res = await client.post('/v2/credentials', {
        source_id: sourceId,
        external_id: 'x'.repeat(2 * 1024 * 1024),
      });
      expectDeckError(res, 413, 'body_too_large');
    });

    it('should refuse prototype keys anywhere in a body, like any unknown field', async () => {
      const client = deckClient(deck);
      const { sourceId } = await seeded(client);
      const hostile = [
        [`{"source_id":"${sourceId}","__proto__":{"polluted":true}}`, '__proto__'],
        [`{"source_id":"${sourceId}","constructor":{"prototype":{"polluted":true}}}`, 'constructor'],
        [
          `{"source_id":"${sourceId}","auth_credentials":{"__proto__":{"polluted":true}}}`,
          'auth_credentials.__proto__',
        ],
      ];
      for (const [body, field] of hostile) {
        const res = await client.post('/v2/credentials').set('Content-Type', 'application/json').send(body);
        expectDeckError(res, 400, 'input_invalid', field);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      const list = (await client.get('/v2/credentials').expect(200)).body as DeckList<DeckCredential>;
      expect(list.data).toEqual([]);
    });
  });

  describe('request ids', () => {
    it('should put the same req_ id in the body and the Request-Id header, new for every request', async () => {
      const client = deckClient(deck);
      const first = await client.get('/v2/test').expect(200);
      const second = await client.get('/v2/test').expect(200);
      expect(first.body.request_id).toMatch(/^req_[A-Za-z0-9]{24}$/);
      expect(first.headers['request-id']).toBe(first.body.request_id);
      expect(second.body.request_id).not.toBe(first.body.request_id);
    });
  });

  describe('Idempotency-Key', () => {
    it('should replay the first successful answer for the same key and body', async () => {
      const client = deckClient(deck);
      const { sourceId } = await seeded(client);
      const body = { source_id: sourceId, external_id: 'idem' };
      const first = await client.post('/v2/credentials', body).set('Idempotency-Key', 'key-1').expect(201);
      const again = await client
        .post('/v2/credentials', { external_id: 'idem', source_id: sourceId })
        .set('Idempotency-Key', 'key-1')
        .expect(201);
      expect(again.body.id).toBe(first.body.id);
      expect(again.headers['idempotent-replayed']).toBe('true');
      const list = (await client.get('/v2/credentials').expect(200)).body as DeckList<DeckCredential>;
      expect(list.data).toHaveLength(1);
    });

    it('should refuse the same key with other parameters with 409 idempotency_error', async () => {
      const client = deckClient(deck);
      const { sourceId } = await seeded(client);
      await client
        .post('/v2/credentials', { source_id: sourceId, external_id: 'a' })
        .set('Idempotency-Key', 'k')
        .expect(201);
      const res = await client
        .post('/v2/credentials', { source_id: sourceId, external_id: 'b' })
        .set('Idempotency-Key', 'k');
      const body = expectDeckError(res, 409, 'idempotency_error');
      expect(body.errors[0]).toMatchObject({
        type: 'idempotency',
        message: 'Idempotency key has already been used with different parameters.',
      });
    });

    it('should not remember failures: a retry after an error runs again', async () => {
      const client = deckClient(deck);
      const { sourceId } = await seeded(client);
      expectDeckError(
        await client.post('/v2/credentials', { source_id: 'src_missing' }).set('Idempotency-Key', 'retry-me'),
        404,
        'source_not_found',
      );
      await client.post('/v2/credentials', { source_id: 'src_missing' }).set('Idempotency-Key', 'retry-me').expect(404);
      // The key was never used successfully, so other parameters are fine too.
      await client.post('/v2/credentials', { source_id: sourceId }).set('Idempotency-Key', 'retry-me').expect(201);
    });

    it('should refuse a key over 256 characters with 400 idempotency_key_error', async () => {
      const client = deckClient(deck);
      const { sourceId } = await seeded(client);
      await client.post('/v2/credentials', { source_id: sourceId }).set('Idempotency-Key', 'k'.repeat(256)).expect(201);
      const res = await client.post('/v2/credentials', { source_id: sourceId }).set('Idempotency-Key', 'k'.repeat(257));
      expectDeckError(res, 400, 'idempotency_key_error');
    });

    it('should scope keys to the organisation and to the route', async () => {
      const alice = deckClient(deck);
      const bob = deckClient(deck);
      const aliceSource = (await seeded(alice)).sourceId;
      const bobSource = (await seeded(bob)).sourceId;
      const a = await alice
        .post('/v2/credentials', { source_id: aliceSource })
        .set('Idempotency-Key', 'shared')
        .expect(201);
      const b = await bob
        .post('/v2/credentials', { source_id: bobSource })
        .set('Idempotency-Key', 'shared')
        .expect(201);
      expect(b.body.id).not.toBe(a.body.id);
      expectDeckError(
        await alice.post('/v2/agents', { name: 'x' }).set('Idempotency-Key', 'shared'),
        409,
        'idempotency_error',
      );
    });

    it('should run a burst of concurrent retries exactly once', async () => {
      const client = deckClient(deck);
      const { sourceId } = await seeded(client);
      const responses = await Promise.all(
        Array.from({ length: 5 }, () =>
          client.post('/v2/credentials', { source_id: sourceId }).set('Idempotency-Key', 'burst'),
        ),
      );
      const created = responses.filter((r) => r.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      expect(new Set(created.map((r) => (r.body as DeckCredential).id)).size).toBe(1);
      for (const r of responses.filter((res) => res.status !== 201)) {
        expectDeckError(r, 409, 'idempotency_error');
      }
      const list = (await client.get('/v2/credentials').expect(200)).body as DeckList<DeckCredential>;
      expect(list.data).toHaveLength(1);
    });

    it('should apply to DELETE as well', async () => {
      const client = deckClient(deck);
      const { sourceId } = await seeded(client);
      const credential = await createCredential(client, sourceId, 'user_good');
      await client.delete(`/v2/credentials/${credential.id}`).set('Idempotency-Key', 'del').expect(200);
      const replay = await client.delete(`/v2/credentials/${credential.id}`).set('Idempotency-Key', 'del').expect(200);
      expect(replay.body).toMatchObject({ id: credential.id, status: 'deleted' });
    });
  });

  describe('OpenAPI', () => {
    it('should serve the OpenAPI document of the /v2 surface at /docs', async () => {
      const doc = (await request(deck.url).get('/docs/openapi.json').expect(200)).body as {
        openapi: string;
        paths: Record<string, Record<string, unknown>>;
        components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
      };
      expect(doc.openapi).toMatch(/^3\./);
      for (const path of [
        '/v2/test',
        '/v2/agents',
        '/v2/sources/{source_id}',
        '/v2/credentials/{credential_id}',
        '/v2/tasks/{task_id}/run',
        '/v2/tasks/{task_id}/reset',
        '/v2/task-runs/{run_id}/interaction',
        '/v2/task-runs/{run_id}/cancel',
        '/v2/task-runs/{run_id}/storage',
        '/v2/sessions/{session_id}/end',
        '/v2/storage/{storage_id}',
        '/v2/events/{event_id}',
        '/v2/event-destinations/{destination_id}/event-deliveries',
        '/v2/token',
      ]) {
        expect(Object.keys(doc.paths)).toContain(path);
      }
      expect(Object.keys(doc.components.schemas.CreateCredentialDto.properties ?? {})).toEqual(
        expect.arrayContaining(['source_id', 'auth_method', 'auth_credentials', 'external_id']),
      );
      const page = await request(deck.url).get('/docs').expect(200);
      expect(page.text).toContain('swagger');
    });
  });
});

describe('Rate limit', () => {
  let deck: MockDeck;

  beforeAll(async () => {
    deck = await startMockDeck({ MOCK_DECK_RATE_LIMIT: '5', MOCK_DECK_RATE_WINDOW_MS: '60000' });
  });

  afterAll(async () => {
    await deck.close();
  });

  it('should answer 429 rate_limit_exceeded past the limit, per organisation', async () => {
    const busy = deckClient(deck);
    for (let i = 0; i < 5; i++) {
      await busy.get('/v2/test').expect(200);
    }
    const body = expectDeckError(await busy.get('/v2/test'), 429, 'rate_limit_exceeded');
    expect(body.errors[0]).toMatchObject({ type: 'rate_limit', message: 'Too many requests.' });
    await deckClient(deck).get('/v2/test').expect(200);
  });

  it('should be off when the limit is 0', async () => {
    const unlimited = await startMockDeck({ MOCK_DECK_RATE_LIMIT: '0' });
    try {
      const client = deckClient(unlimited);
      for (let i = 0; i < 30; i++) {
        await client.get('/v2/test').expect(200);
      }
    } finally {
      await unlimited.close();
    }
  });
});
