import type { DeckAgent, DeckDeleted, DeckEvent, DeckList, DeckTask } from '@app/deck';

import { eventTypes, seeded } from '../support/deck-fixtures';
import { expectDeckError } from '../support/envelope';
import { deckClient, DeckClient, MockDeck, startMockDeck } from '../support/mock-deck-app';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const AGENT_ID = /^agt_[A-Za-z0-9]{24}$/;
const REQUEST_ID = /^req_[A-Za-z0-9]{24}$/;

type AgentResponse = DeckAgent & { request_id: string };

describe('Agents (/v2/agents)', () => {
  let deck: MockDeck;
  let client: DeckClient;
  let agentId: string;
  let taskId: string;

  beforeAll(async () => {
    deck = await startMockDeck();
  });

  afterAll(async () => {
    await deck.close();
  });

  beforeEach(async () => {
    client = deckClient(deck);
    ({ agentId, taskId } = await seeded(client));
  });

  async function createAgent(body: Record<string, unknown> = { name: 'Invoice fetcher' }): Promise<AgentResponse> {
    return (await client.post('/v2/agents', body).expect(201)).body as AgentResponse;
  }

  async function createTask(forAgent: string, name: string): Promise<DeckTask> {
    return (await client.post('/v2/tasks', { name, agent_id: forAgent }).expect(201)).body as DeckTask;
  }

  /** Agent events recorded in the organisation, oldest first. */
  async function agentEvents(): Promise<DeckEvent[]> {
    const res = await client.get('/v2/events?type=agent.created,agent.updated,agent.deleted&limit=100').expect(200);
    return (res.body as DeckList<DeckEvent>).data.reverse();
  }

  describe('POST /v2/agents', () => {
    it('should create an agent with the exact Deck shape and record agent.created', async () => {
      const res = await client
        .post('/v2/agents', { name: 'Invoice fetcher', description: 'Downloads monthly invoices.' })
        .expect(201);
      const agent = res.body as AgentResponse;
      expect(agent).toEqual({
        id: expect.stringMatching(AGENT_ID),
        object: 'agent',
        name: 'Invoice fetcher',
        description: 'Downloads monthly invoices.',
        tasks: [],
        created_at: expect.stringMatching(ISO),
        updated_at: expect.stringMatching(ISO),
        request_id: expect.stringMatching(REQUEST_ID),
      });
      expect(agent.updated_at).toBe(agent.created_at);
      expect(res.headers['request-id']).toBe(agent.request_id);

      const events = await agentEvents();
      expect(events).toHaveLength(1);
      const { request_id: _requestId, ...withoutRequestId } = agent;
      expect(events[0]).toEqual({
        id: expect.stringMatching(/^evt_[A-Za-z0-9]{24}$/),
        object: 'event',
        type: 'agent.created',
        data: withoutRequestId,
        created_at: expect.stringMatching(ISO),
      });
      expect(await eventTypes(client)).toEqual(['agent.created']);
    });

    it('should give every agent its own id', async () => {
      const first = await createAgent();
      const second = await createAgent();
      expect(second.id).not.toBe(first.id);
      expect(second.id).toMatch(AGENT_ID);
    });

    it('should default description to null and accept an explicit null', async () => {
      await expect(createAgent({ name: 'No description' })).resolves.toMatchObject({ description: null });
      await expect(createAgent({ name: 'Null description', description: null })).resolves.toMatchObject({
        description: null,
      });
    });

    it('should require a name', async () => {
      const body = expectDeckError(await client.post('/v2/agents', {}), 400, 'input_missing', 'name');
      expect(body.errors).toEqual([
        { type: 'request', code: 'input_missing', field: 'name', message: '`name` is required and cannot be empty.' },
      ]);
      expectDeckError(await client.post('/v2/agents', { description: 'no name' }), 400, 'input_missing', 'name');
    });

    it('should refuse an empty or null name', async () => {
      for (const name of ['', null]) {
        const res = await client.post('/v2/agents', { name });
        expect(res.status).toBe(400);
        const body = res.body as { errors: { code: string; field?: string }[]; request_id: string };
        expect(body.request_id).toMatch(REQUEST_ID);
        expect(body.errors).toEqual([
          expect.objectContaining({ type: 'request', code: expect.stringMatching(/^input_(missing|invalid)$/) }),
        ]);
        expect(body.errors[0].field).toBe('name');
      }
    });

    it('should refuse wrong types without coercing them', async () => {
      for (const name of [42, true, ['a'], { first: 'a' }]) {
        expectDeckError(await client.post('/v2/agents', { name }), 400, 'input_invalid', 'name');
      }
      for (const description of [42, false, ['a'], { text: 'a' }]) {
        expectDeckError(
          await client.post('/v2/agents', { name: 'x', description }),
          400,
          'input_invalid',
          'description',
        );
      }
    });

    it('should refuse unknown and read-only fields, naming each one', async () => {
      const res = await client.post('/v2/agents', { name: 'x', is_admin: true, tasks: [] });
      const body = expectDeckError(res, 400, 'input_invalid', 'is_admin');
      expect(body.errors.map((e) => e.field).sort()).toEqual(['is_admin', 'tasks']);
      for (const field of ['id', 'object', 'created_at']) {
        expectDeckError(
          await client.post('/v2/agents', { name: 'x', [field]: 'agt_mine' }),
          400,
          'input_invalid',
          field,
        );
      }
    });

    it('should enforce the name and description length limits', async () => {
      await expect(createAgent({ name: 'n'.repeat(255), description: 'd'.repeat(2000) })).resolves.toMatchObject({
        name: 'n'.repeat(255),
      });
      expectDeckError(await client.post('/v2/agents', { name: 'n'.repeat(256) }), 400, 'input_invalid', 'name');
      expectDeckError(
        await client.post('/v2/agents', { name: 'x', description: 'd'.repeat(2001) }),
        400,
        'input_invalid',
        'description',
      );
    });

    it('should refuse a body that is not a JSON object', async () => {
      expectDeckError(
        await client.post('/v2/agents').set('Content-Type', 'application/json').send('{"name":'),
        400,
        'body_invalid',
      );
      expectDeckError(
        await client.post('/v2/agents').set('Content-Type', 'application/json').send('["x"]'),
        400,
        'body_invalid',
      );
    });

    it('should write no event and store nothing when the request is refused', async () => {
      await client.post('/v2/agents', {}).expect(400);
      await client.post('/v2/agents', { name: 'x', foo: 1 }).expect(400);
      expect(await eventTypes(client)).toEqual([]);
      const list = (await client.get('/v2/agents').expect(200)).body as DeckList<DeckAgent>;
      expect(list.data.map((a) => a.id)).toEqual([agentId]);
    });
  });

  describe('GET /v2/agents', () => {
    it('should list the seeded agent with its seeded task', async () => {
      const res = await client.get('/v2/agents').expect(200);
      expect(res.body).toEqual({
        data: [
          {
            id: agentId,
            object: 'agent',
            name: 'Sandbox agent',
            description: 'Runs the seeded verification task.',
            tasks: [{ id: taskId, object: 'task', name: 'Verify login', status: 'live' }],
            created_at: expect.stringMatching(ISO),
            updated_at: expect.stringMatching(ISO),
          },
        ],
        has_more: false,
        next_cursor: null,
        request_id: expect.stringMatching(REQUEST_ID),
      });
    });

    it('should list newest first, leave out deleted agents and show only the organisation’s own', async () => {
      const a = await createAgent({ name: 'A' });
      const b = await createAgent({ name: 'B' });
      const c = await createAgent({ name: 'C' });
      await client.delete(`/v2/agents/${b.id}`).expect(200);

      const list = (await client.get('/v2/agents').expect(200)).body as DeckList<DeckAgent>;
      expect(list.data.map((agent) => agent.id)).toEqual([c.id, a.id, agentId]);
      expect(list.data[0]).toEqual({ ...c, request_id: undefined });
      expect(list.data[0]).not.toHaveProperty('request_id');

      const other = deckClient(deck);
      const theirs = (await other.get('/v2/agents').expect(200)).body as DeckList<DeckAgent>;
      expect(theirs.data).toHaveLength(1);
      expect(theirs.data.map((agent) => agent.id)).not.toContain(a.id);
    });

    it('should page with limit, next_cursor and has_more', async () => {
      const created: string[] = [];
      for (let i = 0; i < 4; i++) {
        created.unshift((await createAgent({ name: `Agent ${i}` })).id);
      }
      const all = [...created, agentId];

      const first = (await client.get('/v2/agents?limit=2').expect(200)).body as DeckList<DeckAgent>;
      expect(first.data.map((a) => a.id)).toEqual(all.slice(0, 2));
      expect(first.has_more).toBe(true);
      expect(first.next_cursor).toEqual(expect.any(String));

      const second = (await client.get(`/v2/agents?limit=2&cursor=${first.next_cursor}`).expect(200))
        .body as DeckList<DeckAgent>;
      expect(second.data.map((a) => a.id)).toEqual(all.slice(2, 4));
      expect(second.has_more).toBe(true);

      const third = (await client.get(`/v2/agents?limit=2&cursor=${second.next_cursor}`).expect(200))
        .body as DeckList<DeckAgent>;
      expect(third).toEqual({
        data: [expect.objectContaining({ id: agentId })],
        has_more: false,
        next_cursor: null,
        request_id: expect.stringMatching(REQUEST_ID),
      });

      const exact = (await client.get('/v2/agents?limit=5').expect(200)).body as DeckList<DeckAgent>;
      expect(exact).toMatchObject({ has_more: false, next_cursor: null });
      expect(exact.data).toHaveLength(5);

      const byDefault = (await client.get('/v2/agents').expect(200)).body as DeckList<DeckAgent>;
      expect(byDefault.data.map((a) => a.id)).toEqual(all);

      const after = (await client.get(`/v2/agents?limit=2&starting_after=${all[1]}`).expect(200))
        .body as DeckList<DeckAgent>;
      expect(after.data.map((a) => a.id)).toEqual(all.slice(2, 4));
    });

    it('should refuse bad cursors and limits', async () => {
      await createAgent({ name: 'A' });
      await createAgent({ name: 'B' });
      const first = (await client.get('/v2/agents?limit=1').expect(200)).body as DeckList<DeckAgent>;
      expect(first.next_cursor).toEqual(expect.any(String));

      expectDeckError(await client.get('/v2/agents?cursor=garbage'), 400, 'cursor_invalid', 'cursor');
      expectDeckError(await client.get(`/v2/sources?cursor=${first.next_cursor}`), 400, 'cursor_invalid', 'cursor');
      expectDeckError(await client.get('/v2/agents?starting_after=agt_missing'), 400, 'cursor_invalid');
      for (const limit of ['0', '101', 'abc', '2.5']) {
        expectDeckError(await client.get(`/v2/agents?limit=${limit}`), 400, 'input_invalid', 'limit');
      }
      expectDeckError(await client.get('/v2/agents?status=live'), 400, 'input_invalid', 'status');
    });
  });

  describe('GET /v2/agents/:id', () => {
    it('should return the agent with a summary of its live tasks, newest first', async () => {
      const agent = await createAgent({ name: 'Two tasks' });
      const t1 = await createTask(agent.id, 'First');
      const t2 = await createTask(agent.id, 'Second');
      await client.patch(`/v2/tasks/${t1.id}`, { status: 'test' }).expect(200);

      const res = await client.get(`/v2/agents/${agent.id}`).expect(200);
      expect(res.body).toEqual({
        ...agent,
        tasks: [
          { id: t2.id, object: 'task', name: 'Second', status: 'learning' },
          { id: t1.id, object: 'task', name: 'First', status: 'test' },
        ],
        request_id: expect.stringMatching(REQUEST_ID),
      });
      expect((res.body as AgentResponse).request_id).not.toBe(agent.request_id);

      await client.delete(`/v2/tasks/${t2.id}`).expect(200);
      const after = (await client.get(`/v2/agents/${agent.id}`).expect(200)).body as DeckAgent;
      expect(after.tasks.map((t) => t.id)).toEqual([t1.id]);

      const seededAgent = (await client.get(`/v2/agents/${agentId}`).expect(200)).body as DeckAgent;
      expect(seededAgent.tasks).toEqual([{ id: taskId, object: 'task', name: 'Verify login', status: 'live' }]);
    });

    it('should answer 404 agent_not_found for an unknown id or another organisation’s agent', async () => {
      const body = expectDeckError(await client.get('/v2/agents/agt_missing'), 404, 'agent_not_found');
      expect(body.errors[0].type).toBe('request');
      const other = deckClient(deck);
      expectDeckError(await other.get(`/v2/agents/${agentId}`), 404, 'agent_not_found');
    });
  });

  describe('PATCH /v2/agents/:id', () => {
    it('should update name and description, bump updated_at and record agent.updated', async () => {
      const agent = await createAgent({ name: 'Old', description: 'Old description' });
      deck.clock.advance(1000);
      const res = await client.patch(`/v2/agents/${agent.id}`, { name: 'New', description: 'New description' });
      expect(res.status).toBe(200);
      const updated = res.body as AgentResponse;
      expect(updated).toEqual({
        ...agent,
        name: 'New',
        description: 'New description',
        updated_at: expect.stringMatching(ISO),
        request_id: expect.stringMatching(REQUEST_ID),
      });
      expect(Date.parse(updated.updated_at)).toBeGreaterThan(Date.parse(agent.updated_at));
      await expect(
        client
          .get(`/v2/agents/${agent.id}`)
          .expect(200)
          .then((r) => r.body as unknown),
      ).resolves.toMatchObject({
        name: 'New',
        description: 'New description',
        updated_at: updated.updated_at,
      });

      const events = await agentEvents();
      expect(events.map((e) => e.type)).toEqual(['agent.created', 'agent.updated']);
      const { request_id: _requestId, ...withoutRequestId } = updated;
      expect(events[1].data).toEqual(withoutRequestId);
    });

    it('should change only the fields sent, and clear the description with null', async () => {
      const agent = await createAgent({ name: 'Keep', description: 'Keep me' });
      await expect(
        client.patch(`/v2/agents/${agent.id}`, { name: 'Renamed' }).then((r) => r.body as unknown),
      ).resolves.toMatchObject({ name: 'Renamed', description: 'Keep me' });
      await expect(
        client.patch(`/v2/agents/${agent.id}`, { description: 'Changed' }).then((r) => r.body as unknown),
      ).resolves.toMatchObject({ name: 'Renamed', description: 'Changed' });
      await expect(
        client.patch(`/v2/agents/${agent.id}`, { description: null }).then((r) => r.body as unknown),
      ).resolves.toMatchObject({ name: 'Renamed', description: null });
      await expect(client.patch(`/v2/agents/${agent.id}`, {}).then((r) => r.body as unknown)).resolves.toMatchObject({
        id: agent.id,
        name: 'Renamed',
        description: null,
      });
    });

    it('should keep the agent’s tasks summary in the response', async () => {
      const res = await client.patch(`/v2/agents/${agentId}`, { name: 'Renamed sandbox agent' }).expect(200);
      expect(res.body).toMatchObject({
        id: agentId,
        name: 'Renamed sandbox agent',
        tasks: [{ id: taskId, object: 'task', name: 'Verify login', status: 'live' }],
      });
    });

    it('should refuse a null, empty or mistyped name, unknown fields and wrong description types', async () => {
      const agent = await createAgent({ name: 'Stable' });
      expectDeckError(await client.patch(`/v2/agents/${agent.id}`, { name: null }), 400, 'input_missing', 'name');
      expectDeckError(await client.patch(`/v2/agents/${agent.id}`, { name: 7 }), 400, 'input_invalid', 'name');
      expectDeckError(await client.patch(`/v2/agents/${agent.id}`, { name: '' }), 400, 'input_missing', 'name');
      expectDeckError(
        await client.patch(`/v2/agents/${agent.id}`, { name: 'n'.repeat(256) }),
        400,
        'input_invalid',
        'name',
      );
      expectDeckError(
        await client.patch(`/v2/agents/${agent.id}`, { description: 3 }),
        400,
        'input_invalid',
        'description',
      );
      for (const field of ['tasks', 'id', 'owner']) {
        expectDeckError(await client.patch(`/v2/agents/${agent.id}`, { [field]: 'x' }), 400, 'input_invalid', field);
      }
      await expect(client.get(`/v2/agents/${agent.id}`).then((r) => r.body as unknown)).resolves.toMatchObject({
        name: 'Stable',
        updated_at: agent.updated_at,
      });
      expect(await eventTypes(client)).toEqual(['agent.created']);
    });

    it('should answer 404 for an unknown or deleted agent', async () => {
      expectDeckError(await client.patch('/v2/agents/agt_missing', { name: 'x' }), 404, 'agent_not_found');
      const agent = await createAgent();
      await client.delete(`/v2/agents/${agent.id}`).expect(200);
      expectDeckError(await client.patch(`/v2/agents/${agent.id}`, { name: 'x' }), 404, 'agent_not_found');
    });
  });

  describe('DELETE /v2/agents/:id', () => {
    it('should answer the deleted confirmation, record agent.deleted and hide the agent afterwards', async () => {
      const agent = await createAgent({ name: 'Short-lived' });
      const res = await client.delete(`/v2/agents/${agent.id}`).expect(200);
      expect(res.body as DeckDeleted).toEqual({
        id: agent.id,
        object: 'agent',
        deleted: true,
        request_id: expect.stringMatching(REQUEST_ID),
      });

      expectDeckError(await client.get(`/v2/agents/${agent.id}`), 404, 'agent_not_found');
      expectDeckError(await client.delete(`/v2/agents/${agent.id}`), 404, 'agent_not_found');
      const list = (await client.get('/v2/agents').expect(200)).body as DeckList<DeckAgent>;
      expect(list.data.map((a) => a.id)).toEqual([agentId]);

      const events = await agentEvents();
      expect(events.map((e) => e.type)).toEqual(['agent.created', 'agent.deleted']);
      expect(events[1].data).toEqual({ id: agent.id, object: 'agent', deleted: true });
    });

    it('should refuse new tasks for a deleted agent', async () => {
      const agent = await createAgent();
      await client.delete(`/v2/agents/${agent.id}`).expect(200);
      expectDeckError(
        await client.post('/v2/tasks', { name: 'Orphan', agent_id: agent.id }),
        404,
        'agent_not_found',
        'agent_id',
      );
    });

    it('should answer 404 for an unknown agent or another organisation’s agent', async () => {
      expectDeckError(await client.delete('/v2/agents/agt_missing'), 404, 'agent_not_found');
      const other = deckClient(deck);
      expectDeckError(await other.delete(`/v2/agents/${agentId}`), 404, 'agent_not_found');
      await client.get(`/v2/agents/${agentId}`).expect(200);
    });
  });
});
