import type { DeckCredential, DeckList } from '@app/deck';

import { createCredential, eventTypes, seeded } from '../support/deck-fixtures';
import { expectDeckError } from '../support/envelope';
import { deckClient, DeckClient, MockDeck, startMockDeck } from '../support/mock-deck-app';

describe('Credentials (/v2/credentials)', () => {
  let deck: MockDeck;
  let client: DeckClient;
  let sourceId: string;

  beforeAll(async () => {
    deck = await startMockDeck();
  });

  afterAll(async () => {
    await deck.close();
  });

  beforeEach(async () => {
    client = deckClient(deck);
    ({ sourceId } = await seeded(client));
  });

  describe('POST /v2/credentials', () => {
    it('should store a username/password credential as unverified and never return the password', async () => {
      const res = await client
        .post('/v2/credentials', {
          source_id: sourceId,
          auth_method: 'username_password',
          auth_credentials: {
            username: 'mark@example.com',
            password: 'hunter2',
            source_fields: { company_id: 'ACME' },
          },
          external_id: 'user_42',
        })
        .expect(201);
      const credential = res.body as DeckCredential & { request_id: string };
      expect(credential).toEqual({
        id: expect.stringMatching(/^cred_[A-Za-z0-9]{24}$/),
        object: 'credential',
        status: 'unverified',
        external_id: 'user_42',
        source_id: sourceId,
        auth_method: 'username_password',
        auth_credentials: { username: 'mark@example.com', source_fields: { company_id: 'ACME' } },
        created_at: expect.any(String),
        updated_at: expect.any(String),
        request_id: expect.stringMatching(/^req_/),
      });
      expect(JSON.stringify(res.body)).not.toContain('hunter2');
      expect(await eventTypes(client)).toEqual(['credential.created']);
    });

    it('should default auth_method to none', async () => {
      const res = await client.post('/v2/credentials', { source_id: sourceId }).expect(201);
      expect(res.body).toMatchObject({ auth_method: 'none', auth_credentials: {}, external_id: null });
    });

    it('should require username and password for username_password, naming each field', async () => {
      const res = await client.post('/v2/credentials', { source_id: sourceId, auth_method: 'username_password' });
      const body = expectDeckError(res, 400, 'input_missing', 'auth_credentials.username');
      expect(body.errors.map((e) => e.field)).toEqual(['auth_credentials.username', 'auth_credentials.password']);
    });

    it('should refuse a missing source_id, an unknown source and unknown fields', async () => {
      expectDeckError(await client.post('/v2/credentials', {}), 400, 'input_missing', 'source_id');
      expectDeckError(
        await client.post('/v2/credentials', { source_id: 'src_nope' }),
        404,
        'source_not_found',
        'source_id',
      );
      expectDeckError(
        await client.post('/v2/credentials', { source_id: sourceId, is_admin: true }),
        400,
        'input_invalid',
        'is_admin',
      );
      expectDeckError(
        await client.post('/v2/credentials', { source_id: sourceId, auth_credentials: { username: 'u', pin: '1' } }),
        400,
        'input_invalid',
        'auth_credentials.pin',
      );
    });

    it('should refuse wrong types without coercing them', async () => {
      expectDeckError(await client.post('/v2/credentials', { source_id: 42 }), 400, 'input_invalid', 'source_id');
      expectDeckError(
        await client.post('/v2/credentials', {
          source_id: sourceId,
          auth_method: 'username_password',
          auth_credentials: { username: 'u', password: 123 },
        }),
        400,
        'input_invalid',
        'auth_credentials.password',
      );
      expectDeckError(
        await client.post('/v2/credentials', { source_id: sourceId, auth_method: 'google_sso' }),
        400,
        'input_invalid',
        'auth_method',
      );
    });

    it('should enforce the source_fields and external_id rules', async () => {
      const base = { source_id: sourceId, auth_method: 'none' };
      for (const source_fields of [{ Company: 'x' }, { password: 'x' }, { company_id: 7 }]) {
        expectDeckError(
          await client.post('/v2/credentials', { ...base, auth_credentials: { source_fields } }),
          400,
          'input_invalid',
          'auth_credentials.source_fields',
        );
      }
      const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`field_${i}`, 'v']));
      expectDeckError(
        await client.post('/v2/credentials', { ...base, auth_credentials: { source_fields: eleven } }),
        400,
        'input_invalid',
        'auth_credentials.source_fields',
      );
      expectDeckError(
        await client.post('/v2/credentials', { ...base, external_id: 'x'.repeat(256) }),
        400,
        'input_invalid',
        'external_id',
      );
    });

    it('should refuse a body that is not a JSON object, or not JSON at all', async () => {
      const res = await client.post('/v2/credentials').set('Content-Type', 'application/json').send('{"source_id":');
      expectDeckError(res, 400, 'body_invalid');
      expectDeckError(
        await client.post('/v2/credentials').set('Content-Type', 'application/json').send('[1,2]'),
        400,
        'body_invalid',
      );
    });
  });

  describe('GET /v2/credentials', () => {
    it('should list newest first and filter by status, source and external_id', async () => {
      const a = await createCredential(client, sourceId, 'a@example.com', { external_id: 'ext_a' });
      const b = await createCredential(client, sourceId, 'b@example.com', { external_id: 'ext_b' });
      await client.delete(`/v2/credentials/${a.id}`).expect(200);

      const all = (await client.get('/v2/credentials').expect(200)).body as DeckList<DeckCredential>;
      expect(all.data.map((c) => c.id)).toEqual([b.id, a.id]);
      expect(all).toMatchObject({ has_more: false, next_cursor: null, request_id: expect.stringMatching(/^req_/) });

      const deleted = (await client.get('/v2/credentials?status=deleted').expect(200)).body as DeckList<DeckCredential>;
      expect(deleted.data.map((c) => c.id)).toEqual([a.id]);
      const both = (await client.get('/v2/credentials?status=deleted,unverified').expect(200))
        .body as DeckList<DeckCredential>;
      expect(both.data).toHaveLength(2);
      const byExternal = (await client.get('/v2/credentials?external_id=ext_b').expect(200))
        .body as DeckList<DeckCredential>;
      expect(byExternal.data.map((c) => c.id)).toEqual([b.id]);
      const otherSource = (await client.get('/v2/credentials?source_id=src_other').expect(200))
        .body as DeckList<DeckCredential>;
      expect(otherSource.data).toEqual([]);
      expectDeckError(await client.get('/v2/credentials?status=broken'), 400, 'input_invalid', 'status');
    });

    it('should page with opaque cursors and refuse a cursor from another list', async () => {
      const created: string[] = [];
      for (let i = 0; i < 5; i++) {
        created.unshift((await createCredential(client, sourceId, `p${i}@example.com`)).id);
      }
      const first = (await client.get('/v2/credentials?limit=2').expect(200)).body as DeckList<DeckCredential>;
      expect(first.data.map((c) => c.id)).toEqual(created.slice(0, 2));
      expect(first.has_more).toBe(true);
      const second = (await client.get(`/v2/credentials?limit=2&cursor=${first.next_cursor}`).expect(200))
        .body as DeckList<DeckCredential>;
      expect(second.data.map((c) => c.id)).toEqual(created.slice(2, 4));
      const third = (await client.get(`/v2/credentials?limit=2&cursor=${second.next_cursor}`).expect(200))
        .body as DeckList<DeckCredential>;
      expect(third).toMatchObject({ has_more: false, next_cursor: null });
      expect(third.data.map((c) => c.id)).toEqual(created.slice(4));

      const after = (await client.get(`/v2/credentials?limit=2&starting_after=${created[1]}`).expect(200))
        .body as DeckList<DeckCredential>;
      expect(after.data.map((c) => c.id)).toEqual(created.slice(2, 4));

      expectDeckError(await client.get('/v2/credentials?cursor=garbage'), 400, 'cursor_invalid', 'cursor');
      expectDeckError(await client.get(`/v2/agents?cursor=${first.next_cursor}`), 400, 'cursor_invalid');
      expectDeckError(
        await client.get(`/v2/credentials?status=verified&cursor=${first.next_cursor}`),
        400,
        'cursor_invalid',
      );
      expectDeckError(await client.get('/v2/credentials?limit=0'), 400, 'input_invalid', 'limit');
      expectDeckError(await client.get('/v2/credentials?limit=101'), 400, 'input_invalid', 'limit');
      expectDeckError(await client.get('/v2/credentials?limit=abc'), 400, 'input_invalid', 'limit');
    });
  });

  describe('GET /v2/credentials/:id', () => {
    it('should return the credential or a 404 in the envelope', async () => {
      const credential = await createCredential(client, sourceId, 'user_good');
      const res = await client.get(`/v2/credentials/${credential.id}`).expect(200);
      expect(res.body).toMatchObject({ id: credential.id, status: 'unverified' });
      expectDeckError(await client.get('/v2/credentials/cred_missing'), 404, 'credential_not_found');
    });
  });

  describe('PATCH /v2/credentials/:id', () => {
    it('should change only the external id without touching the status', async () => {
      const credential = await createCredential(client, sourceId, 'user_good', { external_id: 'old' });
      const res = await client.patch(`/v2/credentials/${credential.id}`, { external_id: null }).expect(200);
      expect(res.body).toMatchObject({ external_id: null, status: 'unverified' });
      expect(await eventTypes(client)).toEqual(['credential.created']);
    });

    it('should refuse fields it does not take and wrong types', async () => {
      const credential = await createCredential(client, sourceId, 'user_good');
      expectDeckError(
        await client.patch(`/v2/credentials/${credential.id}`, { source_id: sourceId }),
        400,
        'input_invalid',
        'source_id',
      );
      expectDeckError(
        await client.patch(`/v2/credentials/${credential.id}`, { external_id: 5 }),
        400,
        'input_invalid',
        'external_id',
      );
      expectDeckError(
        await client.patch('/v2/credentials/cred_missing', { external_id: 'x' }),
        404,
        'credential_not_found',
      );
    });
  });

  describe('DELETE /v2/credentials/:id', () => {
    it('should leave a readable deleted credential that cannot be changed again', async () => {
      const credential = await createCredential(client, sourceId, 'user_good');
      const res = await client.delete(`/v2/credentials/${credential.id}`).expect(200);
      expect(res.body).toMatchObject({ id: credential.id, object: 'credential', status: 'deleted' });
      await client.get(`/v2/credentials/${credential.id}`).expect(200);
      expectDeckError(
        await client.patch(`/v2/credentials/${credential.id}`, { external_id: 'x' }),
        409,
        'invalid_state',
      );
      expectDeckError(await client.delete(`/v2/credentials/${credential.id}`), 409, 'invalid_state');
      expect(await eventTypes(client)).toEqual(['credential.created', 'credential.deleted']);
    });
  });
});
