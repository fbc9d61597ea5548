import type { DeckDeleted, DeckEvent, DeckList, DeckSource } from '@app/deck';

import { eventTypes } from '../support/deck-fixtures';
import { expectDeckError } from '../support/envelope';
import { deckClient, DeckClient, MockDeck, startMockDeck } from '../support/mock-deck-app';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const SOURCE_ID = /^src_[A-Za-z0-9]{24}$/;
const REQUEST_ID = /^req_[A-Za-z0-9]{24}$/;

type SourceResponse = DeckSource & { request_id: string };

/** The three sources every organisation starts with, newest first. */
const SEEDED = [
  { name: 'Northwind Payroll', url: 'https://payroll.northwind.example.com/' },
  { name: 'Acme Utilities', url: 'https://acme-utilities.example.com/signin' },
  { name: 'Example Bank', url: 'https://bank.example.com/login' },
];

describe('Sources (/v2/sources)', () => {
  let deck: MockDeck;
  let client: DeckClient;
  let seededIds: string[];

  beforeAll(async () => {
    deck = await startMockDeck();
  });

  afterAll(async () => {
    await deck.close();
  });

  beforeEach(async () => {
    client = deckClient(deck);
    seededIds = ((await client.get('/v2/sources').expect(200)).body as DeckList<DeckSource>).data.map((s) => s.id);
  });

  async function createSource(
    body: Record<string, unknown> = { type: 'website', website: { url: 'https://portal.example.org/login' } },
  ): Promise<SourceResponse> {
    return (await client.post('/v2/sources', body).expect(201)).body as SourceResponse;
  }

  /** Source events recorded in the organisation, oldest first. */
  async function sourceEvents(): Promise<DeckEvent[]> {
    const res = await client
      .get('/v2/events?type=source.created&type=source.updated&type=source.deleted&limit=100')
      .expect(200);
    return (res.body as DeckList<DeckEvent>).data.reverse();
  }

  describe('POST /v2/sources', () => {
    it('should create a website source with the exact Deck shape and record source.created', async () => {
      const res = await client
        .post('/v2/sources', {
          type: 'website',
          name: 'Payroll portal',
          website: { url: 'https://payroll.example.org/' },
        })
        .expect(201);
      const source = res.body as SourceResponse;
      expect(source).toEqual({
        id: expect.stringMatching(SOURCE_ID),
        object: 'source',
        name: 'Payroll portal',
        type: 'website',
        website: { url: 'https://payroll.example.org/' },
        created_at: expect.stringMatching(ISO),
        updated_at: expect.stringMatching(ISO),
        request_id: expect.stringMatching(REQUEST_ID),
      });
      expect(source.updated_at).toBe(source.created_at);
      expect(seededIds).not.toContain(source.id);

      const events = await sourceEvents();
      expect(events).toHaveLength(1);
      const { request_id: _requestId, ...withoutRequestId } = source;
      expect(events[0]).toEqual({
        id: expect.stringMatching(/^evt_[A-Za-z0-9]{24}$/),
        object: 'event',
        type: 'source.created',
        data: withoutRequestId,
        created_at: expect.stringMatching(ISO),
      });
      expect(await eventTypes(client)).toEqual(['source.created']);
    });

    it('should make the name optional and nullable', async () => {
      await expect(
        createSource({ type: 'website', website: { url: 'https://a.example.com/' } }),
      ).resolves.toMatchObject({ name: null });
      await expect(
        createSource({ type: 'website', name: null, website: { url: 'https://b.example.com/' } }),
      ).resolves.toMatchObject({ name: null });
    });

    it('should accept absolute http and https URLs and echo them unchanged', async () => {
      for (const url of [
        'http://intranet.example.com/login',
        'https://example.com/sign-in?next=%2Fhome#top',
        'http://localhost:3000/login',
        'https://10.0.0.5:8443/portal',
      ]) {
        await expect(createSource({ type: 'website', website: { url } })).resolves.toMatchObject({
          type: 'website',
          website: { url },
        });
      }
    });

    it('should refuse a website URL that is not an absolute http(s) URL', async () => {
      for (const url of [
        'ftp://files.example.com/',
        'mailto:ops@example.com',
        'javascript:alert(1)',
        '/login',
        'example.com/login',
        '//example.com/login',
        'https://',
        'not a url',
        '',
      ]) {
        const res = await client.post('/v2/sources', { type: 'website', website: { url } });
        expectDeckError(res, 400, 'input_invalid', 'website.url');
      }
      expectDeckError(
        await client.post('/v2/sources', {
          type: 'website',
          website: { url: `https://example.com/${'a'.repeat(2048)}` },
        }),
        400,
        'input_invalid',
        'website.url',
      );
      expectDeckError(
        await client.post('/v2/sources', { type: 'website', website: { url: 42 } }),
        400,
        'input_invalid',
        'website.url',
      );
    });

    it('should require type and website, naming each missing field', async () => {
      const body = expectDeckError(await client.post('/v2/sources', {}), 400, 'input_missing', 'type');
      expect(body.errors.map((e) => [e.code, e.field])).toEqual([
        ['input_missing', 'type'],
        ['input_missing', 'website'],
      ]);
      expectDeckError(
        await client.post('/v2/sources', { website: { url: 'https://a.example.com/' } }),
        400,
        'input_missing',
        'type',
      );
      expectDeckError(await client.post('/v2/sources', { type: 'website' }), 400, 'input_missing', 'website');
      expectDeckError(
        await client.post('/v2/sources', { type: 'website', website: {} }),
        400,
        'input_missing',
        'website.url',
      );
    });

    it('should only take the website type', async () => {
      for (const type of ['api', 'WEBSITE', 7]) {
        expectDeckError(
          await client.post('/v2/sources', { type, website: { url: 'https://a.example.com/' } }),
          400,
          'input_invalid',
          'type',
        );
      }
      expectDeckError(
        await client.post('/v2/sources', { type: null, website: { url: 'https://a.example.com/' } }),
        400,
        'input_missing',
        'type',
      );
    });

    it('should refuse a website that is not an object', async () => {
      for (const website of [
        'https://a.example.com/',
        5,
        ['https://a.example.com/'],
        [{ url: 'https://a.example.com/' }],
      ]) {
        expectDeckError(
          await client.post('/v2/sources', { type: 'website', website }),
          400,
          'input_invalid',
          'website',
        );
      }
      expectDeckError(
        await client.post('/v2/sources', { type: 'website', website: null }),
        400,
        'input_missing',
        'website',
      );
    });

    it('should refuse an empty, too long or mistyped name', async () => {
      const url = { url: 'https://a.example.com/' };
      expectDeckError(
        await client.post('/v2/sources', { type: 'website', website: url, name: '' }),
        400,
        'input_missing',
        'name',
      );
      expectDeckError(
        await client.post('/v2/sources', { type: 'website', website: url, name: 'n'.repeat(256) }),
        400,
        'input_invalid',
        'name',
      );
      expectDeckError(
        await client.post('/v2/sources', { type: 'website', website: url, name: 12 }),
        400,
        'input_invalid',
        'name',
      );
      await expect(createSource({ type: 'website', website: url, name: 'n'.repeat(255) })).resolves.toMatchObject({
        name: 'n'.repeat(255),
      });
    });

    it('should refuse unknown fields at any depth, with dotted paths', async () => {
      expectDeckError(
        await client.post('/v2/sources', {
          type: 'website',
          website: { url: 'https://a.example.com/' },
          agent_id: 'x',
        }),
        400,
        'input_invalid',
        'agent_id',
      );
      expectDeckError(
        await client.post('/v2/sources', {
          type: 'website',
          website: { url: 'https://a.example.com/', login_selector: '#user' },
        }),
        400,
        'input_invalid',
        'website.login_selector',
      );
    });

    it('should write no event and store nothing when the request is refused', async () => {
      await client.post('/v2/sources', { type: 'website', website: { url: 'ftp://x.example.com/' } }).expect(400);
      await client.post('/v2/sources', {}).expect(400);
      expect(await eventTypes(client)).toEqual([]);
      const list = (await client.get('/v2/sources').expect(200)).body as DeckList<DeckSource>;
      expect(list.data.map((s) => s.id)).toEqual(seededIds);
    });
  });

  describe('GET /v2/sources', () => {
    it('should list the three seeded sources, newest first', async () => {
      const res = await client.get('/v2/sources').expect(200);
      expect(res.body).toEqual({
        data: SEEDED.map((s) => ({
          id: expect.stringMatching(SOURCE_ID),
          object: 'source',
          name: s.name,
          type: 'website',
          website: { url: s.url },
          created_at: expect.stringMatching(ISO),
          updated_at: expect.stringMatching(ISO),
        })),
        has_more: false,
        next_cursor: null,
        request_id: expect.stringMatching(REQUEST_ID),
      });
      expect(new Set(seededIds).size).toBe(3);
    });

    it('should put new sources first, leave out deleted ones and show only the organisation’s own', async () => {
      const a = await createSource();
      const b = await createSource({ type: 'website', name: 'B', website: { url: 'https://b.example.com/' } });
      await client.delete(`/v2/sources/${seededIds[1]}`).expect(200);

      const list = (await client.get('/v2/sources').expect(200)).body as DeckList<DeckSource>;
      expect(list.data.map((s) => s.id)).toEqual([b.id, a.id, seededIds[0], seededIds[2]]);
      expect(list.data[0]).not.toHaveProperty('request_id');
      expect(list.data[0]).toEqual({ ...b, request_id: undefined });

      const other = deckClient(deck);
      const theirs = (await other.get('/v2/sources').expect(200)).body as DeckList<DeckSource>;
      expect(theirs.data).toHaveLength(3);
      expect(theirs.data.map((s) => s.id)).not.toContain(a.id);
      expect(theirs.data.map((s) => s.id).filter((id) => seededIds.includes(id))).toEqual([]);
    });

    it('should page with limit, next_cursor and has_more', async () => {
      const created: string[] = [];
      for (let i = 0; i < 2; i++) {
        created.unshift((await createSource({ type: 'website', website: { url: `https://s${i}.example.com/` } })).id);
      }
      const all = [...created, ...seededIds];

      const first = (await client.get('/v2/sources?limit=2').expect(200)).body as DeckList<DeckSource>;
      expect(first.data.map((s) => s.id)).toEqual(all.slice(0, 2));
      expect(first).toMatchObject({ has_more: true, next_cursor: expect.any(String) });

      const second = (await client.get(`/v2/sources?limit=2&cursor=${first.next_cursor}`).expect(200))
        .body as DeckList<DeckSource>;
      expect(second.data.map((s) => s.id)).toEqual(all.slice(2, 4));
      expect(second.has_more).toBe(true);

      const third = (await client.get(`/v2/sources?limit=2&cursor=${second.next_cursor}`).expect(200))
        .body as DeckList<DeckSource>;
      expect(third.data.map((s) => s.id)).toEqual(all.slice(4));
      expect(third).toMatchObject({ has_more: false, next_cursor: null });

      const whole = (await client.get('/v2/sources?limit=5').expect(200)).body as DeckList<DeckSource>;
      expect(whole.data.map((s) => s.id)).toEqual(all);
      expect(whole).toMatchObject({ has_more: false, next_cursor: null });
    });

    it('should refuse bad cursors and limits', async () => {
      const first = (await client.get('/v2/sources?limit=1').expect(200)).body as DeckList<DeckSource>;
      expect(first.has_more).toBe(true);
      expectDeckError(await client.get('/v2/sources?cursor=garbage'), 400, 'cursor_invalid', 'cursor');
      expectDeckError(await client.get(`/v2/agents?cursor=${first.next_cursor}`), 400, 'cursor_invalid', 'cursor');
      expectDeckError(await client.get('/v2/sources?starting_after=src_missing'), 400, 'cursor_invalid');
      for (const limit of ['0', '101', 'ten', '-1']) {
        expectDeckError(await client.get(`/v2/sources?limit=${limit}`), 400, 'input_invalid', 'limit');
      }
      const hundred = (await client.get('/v2/sources?limit=100').expect(200)).body as DeckList<DeckSource>;
      expect(hundred.data).toHaveLength(3);
    });
  });

  describe('GET /v2/sources/:id', () => {
    it('should return a seeded or created source', async () => {
      const seededSource = (await client.get(`/v2/sources/${seededIds[2]}`).expect(200)).body as SourceResponse;
      expect(seededSource).toEqual({
        id: seededIds[2],
        object: 'source',
        name: 'Example Bank',
        type: 'website',
        website: { url: 'https://bank.example.com/login' },
        created_at: expect.stringMatching(ISO),
        updated_at: expect.stringMatching(ISO),
        request_id: expect.stringMatching(REQUEST_ID),
      });
      const source = await createSource();
      const res = await client.get(`/v2/sources/${source.id}`).expect(200);
      expect(res.body).toEqual({ ...source, request_id: expect.stringMatching(REQUEST_ID) });
    });

    it('should answer 404 source_not_found for an unknown id or another organisation’s source', async () => {
      expectDeckError(await client.get('/v2/sources/src_missing'), 404, 'source_not_found');
      const other = deckClient(deck);
      expectDeckError(await other.get(`/v2/sources/${seededIds[0]}`), 404, 'source_not_found');
    });
  });

  describe('PATCH /v2/sources/:id', () => {
    it('should update name and website, bump updated_at and record source.updated', async () => {
      const source = await createSource({ type: 'website', name: 'Old', website: { url: 'https://old.example.com/' } });
      deck.clock.advance(1000);
      const res = await client
        .patch(`/v2/sources/${source.id}`, { name: 'New', website: { url: 'https://new.example.com/login' } })
        .expect(200);
      const updated = res.body as SourceResponse;
      expect(updated).toEqual({
        ...source,
        name: 'New',
        website: { url: 'https://new.example.com/login' },
        updated_at: expect.stringMatching(ISO),
        request_id: expect.stringMatching(REQUEST_ID),
      });
      expect(Date.parse(updated.updated_at)).toBeGreaterThan(Date.parse(source.updated_at));
      await expect(client.get(`/v2/sources/${source.id}`).then((r) => r.body as unknown)).resolves.toMatchObject({
        name: 'New',
        website: { url: 'https://new.example.com/login' },
        updated_at: updated.updated_at,
      });

      const events = await sourceEvents();
      expect(events.map((e) => e.type)).toEqual(['source.created', 'source.updated']);
      const { request_id: _requestId, ...withoutRequestId } = updated;
      expect(events[1].data).toEqual(withoutRequestId);
    });

    it('should change only the fields sent, and clear the name with null', async () => {
      const id = seededIds[0];
      await expect(
        client.patch(`/v2/sources/${id}`, { name: 'Payroll' }).then((r) => r.body as unknown),
      ).resolves.toMatchObject({
        name: 'Payroll',
        website: { url: SEEDED[0].url },
      });
      await expect(
        client
          .patch(`/v2/sources/${id}`, { website: { url: 'http://payroll.example.net/' } })
          .then((r) => r.body as unknown),
      ).resolves.toMatchObject({ name: 'Payroll', website: { url: 'http://payroll.example.net/' } });
      await expect(
        client.patch(`/v2/sources/${id}`, { name: null }).then((r) => r.body as unknown),
      ).resolves.toMatchObject({
        name: null,
        type: 'website',
        website: { url: 'http://payroll.example.net/' },
      });
    });

    it('should validate the website as on create and refuse a null website', async () => {
      const id = seededIds[0];
      expectDeckError(
        await client.patch(`/v2/sources/${id}`, { website: { url: 'ftp://x.example.com/' } }),
        400,
        'input_invalid',
        'website.url',
      );
      expectDeckError(await client.patch(`/v2/sources/${id}`, { website: {} }), 400, 'input_missing', 'website.url');
      expectDeckError(await client.patch(`/v2/sources/${id}`, { website: null }), 400, 'input_invalid', 'website');
      expectDeckError(
        await client.patch(`/v2/sources/${id}`, { website: 'https://x.example.com/' }),
        400,
        'input_invalid',
        'website',
      );
      expectDeckError(
        await client.patch(`/v2/sources/${id}`, { website: [{ url: 'https://x.example.com/' }] }),
        400,
        'input_invalid',
        'website',
      );
      expectDeckError(await client.patch(`/v2/sources/${id}`, { name: '' }), 400, 'input_missing', 'name');
      await expect(client.get(`/v2/sources/${id}`).then((r) => r.body as unknown)).resolves.toMatchObject({
        name: SEEDED[0].name,
        website: { url: SEEDED[0].url },
      });
      expect(await eventTypes(client)).toEqual([]);
    });

    it('should refuse fields it does not take', async () => {
      for (const [field, value] of [
        ['type', 'website'],
        ['id', 'src_mine'],
        ['credential_id', 'cred_x'],
      ]) {
        expectDeckError(
          await client.patch(`/v2/sources/${seededIds[0]}`, { [field]: value }),
          400,
          'input_invalid',
          field,
        );
      }
    });

    it('should answer 404 for an unknown or deleted source', async () => {
      expectDeckError(await client.patch('/v2/sources/src_missing', { name: 'x' }), 404, 'source_not_found');
      await client.delete(`/v2/sources/${seededIds[0]}`).expect(200);
      expectDeckError(await client.patch(`/v2/sources/${seededIds[0]}`, { name: 'x' }), 404, 'source_not_found');
    });
  });

  describe('DELETE /v2/sources/:id', () => {
    it('should answer {id, object, deleted}, record source.deleted and hide the source afterwards', async () => {
      const source = await createSource();
      const res = await client.delete(`/v2/sources/${source.id}`).expect(200);
      expect(res.body as DeckDeleted).toEqual({
        id: source.id,
        object: 'source',
        deleted: true,
        request_id: expect.stringMatching(REQUEST_ID),
      });

      expectDeckError(await client.get(`/v2/sources/${source.id}`), 404, 'source_not_found');
      expectDeckError(await client.delete(`/v2/sources/${source.id}`), 404, 'source_not_found');
      const list = (await client.get('/v2/sources').expect(200)).body as DeckList<DeckSource>;
      expect(list.data.map((s) => s.id)).toEqual(seededIds);

      const events = await sourceEvents();
      expect(events.map((e) => e.type)).toEqual(['source.created', 'source.deleted']);
      expect(events[1].data).toEqual({ id: source.id, object: 'source', deleted: true });
    });

    it('should delete a seeded source, after which no credential can be stored for it', async () => {
      await client.delete(`/v2/sources/${seededIds[2]}`).expect(200);
      expectDeckError(
        await client.post('/v2/credentials', { source_id: seededIds[2] }),
        404,
        'source_not_found',
        'source_id',
      );
      expect(await eventTypes(client)).toEqual(['source.deleted']);
    });

    it('should answer 404 for an unknown source or another organisation’s source', async () => {
      expectDeckError(await client.delete('/v2/sources/src_missing'), 404, 'source_not_found');
      const other = deckClient(deck);
      expectDeckError(await other.delete(`/v2/sources/${seededIds[0]}`), 404, 'source_not_found');
      await client.get(`/v2/sources/${seededIds[0]}`).expect(200);
    });
  });
});
