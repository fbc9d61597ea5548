import type { DeckEvent, DeckList } from '@app/deck';

import { createCredential, runTask, seeded, waitForRun } from '../support/deck-fixtures';
import { expectDeckError } from '../support/envelope';
import { deckClient, DeckClient, MockDeck, startMockDeck, waitFor } from '../support/mock-deck-app';

type EventList = DeckList<DeckEvent>;

describe('Events (/v2/events)', () => {
  let deck: MockDeck;
  let client: DeckClient;
  let sourceId: string;
  let taskId: string;

  beforeAll(async () => {
    deck = await startMockDeck();
  });

  afterAll(async () => {
    await deck.close();
  });

  beforeEach(async () => {
    client = deckClient(deck);
    ({ sourceId, taskId } = await seeded(client));
  });

  async function listEvents(query = ''): Promise<EventList> {
    return (await client.get(`/v2/events${query}`).expect(200)).body as EventList;
  }

  /** The one event of this type about this object; waits for it to be written. */
  function eventFor(type: string, objectId: string): Promise<DeckEvent> {
    return waitFor(
      async () => {
        const events = await listEvents(`?type=${type}&limit=100`);
        return events.data.find((e) => e.data.id === objectId);
      },
      5000,
      `${type} for ${objectId}`,
    );
  }

  describe('GET /v2/events', () => {
    it('should list events newest first in the event shape, without updated_at', async () => {
      const a = await createCredential(client, sourceId, 'a@example.com');
      const b = await createCredential(client, sourceId, 'b@example.com');
      await client.delete(`/v2/credentials/${a.id}`).expect(200);

      const list = await listEvents();
      expect(list).toEqual({
        data: expect.any(Array),
        has_more: false,
        next_cursor: null,
        request_id: expect.stringMatching(/^req_[A-Za-z0-9]{24}$/),
      });
      expect(list.data.map((e) => [e.type, e.data.id])).toEqual([
        ['credential.deleted', a.id],
        ['credential.created', b.id],
        ['credential.created', a.id],
      ]);
      for (const event of list.data) {
        expect(event).toEqual({
          id: expect.stringMatching(/^evt_[A-Za-z0-9]{24}$/),
          object: 'event',
          type: expect.any(String),
          data: expect.objectContaining({ object: 'credential' }),
          created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/),
        });
        expect(event).not.toHaveProperty('updated_at');
        expect(event).not.toHaveProperty('request_id');
      }
      expect(new Set(list.data.map((e) => e.id)).size).toBe(3);
      const times = list.data.map((e) => Date.parse(e.created_at));
      expect([...times].sort((x, y) => y - x)).toEqual(times);
    });

    it('should keep each organisation to its own events', async () => {
      await createCredential(client, sourceId, 'mine@example.com');
      const other = deckClient(deck);
      const { sourceId: otherSource } = await seeded(other);
      await createCredential(other, otherSource, 'theirs@example.com');

      const mine = await listEvents();
      expect(mine.data).toHaveLength(1);
      expect(mine.data[0].data).toMatchObject({ auth_credentials: { username: 'mine@example.com' } });
      const theirs = (await other.get('/v2/events').expect(200)).body as EventList;
      expect(theirs.data).toHaveLength(1);
      expect(theirs.data[0].id).not.toBe(mine.data[0].id);
    });

    it('should filter by type in the repeated and comma forms', async () => {
      const a = await createCredential(client, sourceId, 'a@example.com');
      await client.delete(`/v2/credentials/${a.id}`).expect(200);
      await client.post('/v2/agents', { name: 'Filter agent' }).expect(201);

      const created = await listEvents('?type=credential.created');
      expect(created.data.map((e) => e.type)).toEqual(['credential.created']);

      const repeated = await listEvents('?type=credential.deleted&type=agent.created');
      expect(repeated.data.map((e) => e.type)).toEqual(['agent.created', 'credential.deleted']);

      const comma = await listEvents('?type=credential.created,agent.created');
      expect(comma.data.map((e) => e.type)).toEqual(['agent.created', 'credential.created']);

      const none = await listEvents('?type=task.deleted');
      expect(none).toMatchObject({ data: [], has_more: false, next_cursor: null });
    });

    it('should refuse an unknown type value', async () => {
      expectDeckError(await client.get('/v2/events?type=credential.exploded'), 400, 'input_invalid', 'type');
      expectDeckError(
        await client.get('/v2/events?type=credential.created,task_run.pending'),
        400,
        'input_invalid',
        'type',
      );
      expectDeckError(await client.get('/v2/events?type=*'), 400, 'input_invalid', 'type');
    });

    it('should filter by created_after and created_before, both exclusive', async () => {
      const first = await createCredential(client, sourceId, 'first@example.com');
      deck.clock.advance(2_000);
      const second = await createCredential(client, sourceId, 'second@example.com');
      deck.clock.advance(2_000);
      const third = await createCredential(client, sourceId, 'third@example.com');

      const all = await listEvents();
      const at = (id: string) => all.data.find((e) => e.data.id === id)!.created_at;
      const ids = (list: EventList) => list.data.map((e) => e.data.id);

      expect(ids(await listEvents(`?created_after=${at(first.id)}`))).toEqual([third.id, second.id]);
      expect(ids(await listEvents(`?created_before=${at(third.id)}`))).toEqual([second.id, first.id]);
      expect(ids(await listEvents(`?created_after=${at(first.id)}&created_before=${at(third.id)}`))).toEqual([
        second.id,
      ]);
      const midpoint = new Date(Date.parse(at(second.id)) + 1_000).toISOString();
      expect(ids(await listEvents(`?created_after=${midpoint}`))).toEqual([third.id]);
      expect(ids(await listEvents(`?created_before=${midpoint}`))).toEqual([second.id, first.id]);
      const future = new Date(Date.parse(at(third.id)) + 60_000).toISOString();
      expect(ids(await listEvents(`?created_after=${future}`))).toEqual([]);

      // The same instant written with a UTC offset.
      const inParis = new Date(Date.parse(midpoint) + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
      expect(ids(await listEvents(`?created_after=${encodeURIComponent(inParis)}`))).toEqual([third.id]);
      // Filters combine with the type filter.
      expect(ids(await listEvents(`?type=credential.created&created_before=${midpoint}`))).toEqual([
        second.id,
        first.id,
      ]);
    });

    it('should refuse dates that are not ISO 8601', async () => {
      for (const query of [
        'created_after=yesterday',
        'created_after=2024-13-45T00:00:00Z',
        'created_before=1700000000',
        'created_before=',
      ]) {
        expectDeckError(await client.get(`/v2/events?${query}`), 400, 'input_invalid', query.split('=')[0]);
      }
    });

    it('should page with opaque cursors and refuse a cursor from another list', async () => {
      const created: string[] = [];
      for (let i = 0; i < 5; i++) {
        created.unshift((await createCredential(client, sourceId, `p${i}@example.com`)).id);
      }
      const first = await listEvents('?limit=2');
      expect(first.data.map((e) => e.data.id)).toEqual(created.slice(0, 2));
      expect(first.has_more).toBe(true);
      expect(typeof first.next_cursor).toBe('string');
      const second = await listEvents(`?limit=2&cursor=${first.next_cursor}`);
      expect(second.data.map((e) => e.data.id)).toEqual(created.slice(2, 4));
      const third = await listEvents(`?limit=2&cursor=${second.next_cursor}`);
      expect(third).toMatchObject({ has_more: false, next_cursor: null });
      expect(third.data.map((e) => e.data.id)).toEqual(created.slice(4));

      expectDeckError(await client.get('/v2/events?cursor=garbage'), 400, 'cursor_invalid', 'cursor');
      expectDeckError(await client.get(`/v2/credentials?cursor=${first.next_cursor}`), 400, 'cursor_invalid');
      expectDeckError(
        await client.get(`/v2/events?type=credential.created&cursor=${first.next_cursor}`),
        400,
        'cursor_invalid',
      );
      expectDeckError(await client.get('/v2/events?limit=0'), 400, 'input_invalid', 'limit');
      expectDeckError(await client.get('/v2/events?limit=101'), 400, 'input_invalid', 'limit');
    });

    it('should page a filtered list with its own cursor', async () => {
      for (let i = 0; i < 3; i++) {
        const credential = await createCredential(client, sourceId, `f${i}@example.com`);
        await client.delete(`/v2/credentials/${credential.id}`).expect(200);
      }
      const first = await listEvents('?type=credential.deleted&limit=2');
      expect(first.data.map((e) => e.type)).toEqual(['credential.deleted', 'credential.deleted']);
      expect(first.has_more).toBe(true);
      const second = await listEvents(`?type=credential.deleted&limit=2&cursor=${first.next_cursor}`);
      expect(second).toMatchObject({ has_more: false, next_cursor: null });
      expect(second.data.map((e) => e.type)).toEqual(['credential.deleted']);
    });
  });

  describe('GET /v2/events/:id', () => {
    it('should return one event with a request id', async () => {
      const credential = await createCredential(client, sourceId, 'one@example.com');
      const [listed] = (await listEvents()).data;
      const res = await client.get(`/v2/events/${listed.id}`).expect(200);
      expect(res.body).toEqual({ ...listed, request_id: expect.stringMatching(/^req_[A-Za-z0-9]{24}$/) });
      expect((res.body as DeckEvent).data.id).toBe(credential.id);
      expect(res.body).not.toHaveProperty('updated_at');
    });

    it('should answer 404 event_not_found for an unknown id or another organisation', async () => {
      expectDeckError(await client.get('/v2/events/evt_missing'), 404, 'event_not_found');
      await createCredential(client, sourceId, 'one@example.com');
      const [event] = (await listEvents()).data;
      expectDeckError(await deckClient(deck).get(`/v2/events/${event.id}`), 404, 'event_not_found');
    });
  });

  describe('event data snapshots', () => {
    it('should snapshot credentials with external_id and never the password', async () => {
      const credential = await createCredential(client, sourceId, 'user_good', { external_id: 'ext_snap' });
      const created = await eventFor('credential.created', credential.id);
      expect(created.data).toEqual({
        id: credential.id,
        object: 'credential',
        status: 'unverified',
        external_id: 'ext_snap',
        source_id: sourceId,
        auth_method: 'username_password',
        auth_credentials: { username: 'user_good' },
        created_at: credential.created_at,
        updated_at: credential.updated_at,
      });

      const run = await runTask(client, taskId, { credential_id: credential.id });
      await waitForRun(client, run.id, (r) => r.status === 'completed');
      const verified = await eventFor('credential.verified', credential.id);
      expect(verified.data).toMatchObject({ id: credential.id, status: 'verified', external_id: 'ext_snap' });
      // An event keeps the snapshot of its own moment.
      const createdAgain = (await client.get(`/v2/events/${created.id}`).expect(200)).body as DeckEvent;
      expect(createdAgain.data).toMatchObject({ status: 'unverified' });

      await client.delete(`/v2/credentials/${credential.id}`).expect(200);
      const deleted = await eventFor('credential.deleted', credential.id);
      expect(deleted.data).toMatchObject({ id: credential.id, status: 'deleted', external_id: 'ext_snap' });

      const all = JSON.stringify((await listEvents('?limit=100')).data);
      expect(all).not.toContain('correct horse battery staple');
      expect(all).not.toContain('password_hash');
      expect(all).not.toContain('request_id');
    });

    it('should snapshot a completed run with status, result and session, and no output', async () => {
      const credential = await createCredential(client, sourceId, 'user_good');
      const run = await runTask(client, taskId, { credential_id: credential.id });
      const done = await waitForRun(client, run.id, (r) => r.status === 'completed');
      const completed = await eventFor('task_run.completed', run.id);
      expect(completed.data).toMatchObject({
        id: run.id,
        object: 'task_run',
        status: 'completed',
        result: 'success',
        task_id: taskId,
        credential_id: credential.id,
        session_id: expect.stringMatching(/^sess_/),
        agent_id: done.agent_id,
        source_id: sourceId,
        runtime_ms: expect.any(Number),
        errors: [],
        created_at: run.created_at,
        updated_at: expect.any(String),
      });
      expect(completed.data.session_id).toBe(done.session_id);
      expect(completed.data).not.toHaveProperty('output');
      expect(completed.data).not.toHaveProperty('request_id');

      const queued = await eventFor('task_run.queued', run.id);
      expect(queued.data).toMatchObject({ status: 'queued', result: null });
      expect(queued.data).not.toHaveProperty('output');
    });

    it('should snapshot a failed run with its errors', async () => {
      const credential = await createCredential(client, sourceId, 'user_bad');
      const run = await runTask(client, taskId, { credential_id: credential.id });
      const done = await waitForRun(client, run.id, (r) => r.status === 'failed');
      expect(done.errors.length).toBeGreaterThan(0);
      const failed = await eventFor('task_run.failed', run.id);
      expect(failed.data).toMatchObject({
        id: run.id,
        status: 'failed',
        result: done.result,
        session_id: done.session_id,
        errors: done.errors,
      });
      expect((failed.data.errors as { code: string }[])[0].code).toBe('auth_invalid');
      expect(failed.data).not.toHaveProperty('output');
      const invalid = await eventFor('credential.invalid', credential.id);
      expect(invalid.data).toMatchObject({ status: 'invalid' });
    });

    it('should snapshot an interaction_required run with its interaction', async () => {
      const credential = await createCredential(client, sourceId, 'user_mfa');
      const run = await runTask(client, taskId, { credential_id: credential.id });
      const waiting = await waitForRun(client, run.id, (r) => r.status === 'interaction_required');
      const prompted = await eventFor('task_run.interaction_required', run.id);
      expect(prompted.data).toMatchObject({
        id: run.id,
        status: 'interaction_required',
        session_id: waiting.session_id,
        interaction: waiting.interaction,
      });
      expect(prompted.data.interaction).toMatchObject({
        type: 'mfa',
        fields: [expect.objectContaining({ name: 'code' })],
      });
      expect(prompted.data).not.toHaveProperty('output');
    });
  });
});
