import request from 'supertest';

import type { DeckAgent, DeckList, DeckToken } from '@app/deck';

import { expectDeckError } from '../support/envelope';
import { deckClient, DeckClient, MockDeck, newApiKey, startMockDeck } from '../support/mock-deck-app';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const REQUEST_ID = /^req_[A-Za-z0-9]{24}$/;
const THIRTY_MINUTES_MS = 30 * 60 * 1000;

type TokenResponse = DeckToken & { request_id: string };

describe('Test endpoint, Auth Component token and API key authentication', () => {
  let deck: MockDeck;
  let client: DeckClient;

  beforeAll(async () => {
    deck = await startMockDeck();
  });

  afterAll(async () => {
    await deck.close();
  });

  beforeEach(() => {
    client = deckClient(deck);
  });

  /** A request with exactly these headers and no others. */
  function raw(method: 'get' | 'post', path: string, headers: Record<string, string> = {}) {
    const req = request(deck.url)[method](path);
    for (const [name, value] of Object.entries(headers)) {
      req.set(name, value);
    }
    return req;
  }

  describe('GET /v2/test', () => {
    it('should answer ready in the live environment with a request id', async () => {
      const res = await client.get('/v2/test').expect(200);
      expect(res.body).toEqual({ status: 'ready', environment: 'live', request_id: expect.stringMatching(REQUEST_ID) });
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['request-id']).toBe((res.body as { request_id: string }).request_id);
    });

    it('should give every request its own request id', async () => {
      const first = (await client.get('/v2/test').expect(200)).body as { request_id: string };
      const second = (await client.get('/v2/test').expect(200)).body as { request_id: string };
      expect(second.request_id).not.toBe(first.request_id);
    });

    it('should work with both sk_live_ and sk_test_ keys', async () => {
      for (const prefix of ['sk_live_', 'sk_test_'] as const) {
        const res = await deckClient(deck, newApiKey(prefix)).get('/v2/test').expect(200);
        expect(res.body).toMatchObject({ status: 'ready', environment: 'live' });
      }
    });
  });

  describe('POST /v2/token', () => {
    it('should create a token that expires 30 minutes after it was created', async () => {
      const before = deck.clock.nowMs();
      const res = await client.post('/v2/token').expect(201);
      const after = deck.clock.nowMs();
      const token = res.body as TokenResponse;
      expect(token).toEqual({
        id: expect.stringMatching(/^tok_[A-Za-z0-9]{24}$/),
        object: 'token',
        token: expect.stringMatching(/^tk_[A-Za-z0-9]{24}$/),
        expires_at: expect.stringMatching(ISO),
        created_at: expect.stringMatching(ISO),
        request_id: expect.stringMatching(REQUEST_ID),
      });
      expect(Date.parse(token.expires_at) - Date.parse(token.created_at)).toBe(THIRTY_MINUTES_MS);
      expect(Date.parse(token.created_at)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(token.created_at)).toBeLessThanOrEqual(after);
    });

    it('should stamp the token with the sandbox clock', async () => {
      deck.clock.advance(2 * 60 * 60 * 1000);
      const expected = deck.clock.nowMs();
      const token = (await client.post('/v2/token').expect(201)).body as TokenResponse;
      expect(Math.abs(Date.parse(token.created_at) - expected)).toBeLessThan(5000);
      expect(Date.parse(token.created_at)).toBeGreaterThan(Date.now() + 60 * 60 * 1000);
      expect(Date.parse(token.expires_at)).toBe(Date.parse(token.created_at) + THIRTY_MINUTES_MS);
    });

    it('should make a new token and id on every call', async () => {
      const first = (await client.post('/v2/token').expect(201)).body as TokenResponse;
      const second = (await client.post('/v2/token').expect(201)).body as TokenResponse;
      expect(second.id).not.toBe(first.id);
      expect(second.token).not.toBe(first.token);
    });

    it('should work with both sk_live_ and sk_test_ keys and need one', async () => {
      for (const prefix of ['sk_live_', 'sk_test_'] as const) {
        const res = await deckClient(deck, newApiKey(prefix)).post('/v2/token').expect(201);
        expect(res.body).toMatchObject({ object: 'token', token: expect.stringMatching(/^tk_/) });
      }
      expectDeckError(await raw('post', '/v2/token'), 401, 'api_key_invalid');
    });
  });

  describe('API key authentication', () => {
    it('should answer 401 api_key_invalid in the envelope when the Authorization header is missing', async () => {
      for (const [method, path] of [
        ['get', '/v2/test'],
        ['post', '/v2/token'],
        ['get', '/v2/agents'],
        ['post', '/v2/agents'],
        ['get', '/v2/tasks/task_x'],
      ] as const) {
        const res = await raw(method, path);
        const body = expectDeckError(res, 401, 'api_key_invalid');
        expect(body.errors).toEqual([
          { type: 'request', code: 'api_key_invalid', message: expect.stringContaining('Authorization') },
        ]);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
      }
    });

    it('should refuse a malformed Authorization header', async () => {
      const key = newApiKey('sk_live_');
      for (const header of [
        '',
        key,
        `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
        `Token ${key}`,
        'Bearer',
        'Bearer ',
        `Bearer ${key} extra`,
        `Bearer: ${key}`,
      ]) {
        expectDeckError(await raw('get', '/v2/test', { Authorization: header }), 401, 'api_key_invalid');
      }
    });

    it('should refuse keys that do not match sk_live_ or sk_test_ and 8 to 200 safe characters', async () => {
      for (const key of [
        'sk_prod_abcdefgh12',
        'pk_live_abcdefgh12',
        'SK_LIVE_abcdefgh12',
        'sk_live_',
        'sk_live_abc1234',
        `sk_live_${'a'.repeat(201)}`,
        'sk_live_abcd.efgh',
        'sk_test_abcd$efgh',
        'sk_test_abcdéfghij',
        'sk_liveabcdefgh12',
        'whsec_abcdefgh12',
      ]) {
        const res = await raw('get', '/v2/test', { Authorization: `Bearer ${key}` });
        const body = expectDeckError(res, 401, 'api_key_invalid');
        expect(body.errors[0].type).toBe('request');
        expect(JSON.stringify(body)).not.toContain(key);
      }
    });

    it('should accept keys at the length limits and with _ and -', async () => {
      for (const key of ['sk_live_abcd1234', `sk_test_${'Z'.repeat(200)}`, 'sk_live_with-dash_and_underscore']) {
        await raw('get', '/v2/test', { Authorization: `Bearer ${key}` }).expect(200);
      }
      await raw('get', '/v2/test', { Authorization: `bearer ${newApiKey()}` }).expect(200);
    });

    it('should keep one organisation per key: same key, same data; other key, other data', async () => {
      const key = newApiKey('sk_live_');
      const agent = (await deckClient(deck, key).post('/v2/agents', { name: 'Mine' }).expect(201)).body as DeckAgent;

      const again = (await deckClient(deck, key).get('/v2/agents').expect(200)).body as DeckList<DeckAgent>;
      expect(again.data.map((a) => a.id)).toContain(agent.id);

      const suffix = key.slice('sk_live_'.length);
      const testKey = deckClient(deck, `sk_test_${suffix}`);
      const theirs = (await testKey.get('/v2/agents').expect(200)).body as DeckList<DeckAgent>;
      expect(theirs.data.map((a) => a.id)).not.toContain(agent.id);
      expectDeckError(await testKey.get(`/v2/agents/${agent.id}`), 404, 'agent_not_found');
    });

    it('should check the key before the body, so a bad key never gets a validation error', async () => {
      const res = await raw('post', '/v2/agents', { Authorization: 'Bearer sk_live_short' }).send({ bogus: true });
      expectDeckError(res, 401, 'api_key_invalid');
      expectDeckError(await raw('post', '/v2/agents').send({}), 401, 'api_key_invalid');
    });
  });
});
