import { randomBytes } from 'node:crypto';

import type { DeckAgent, DeckDeleted, DeckEvent, DeckList, DeckTask } from '@app/deck';

import { eventTypes, seeded } from '../support/deck-fixtures';
import { expectDeckError } from '../support/envelope';
import { deckClient, DeckClient, MockDeck, startMockDeck } from '../support/mock-deck-app';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const TASK_ID = /^task_[A-Za-z0-9]{24}$/;
const REQUEST_ID = /^req_[A-Za-z0-9]{24}$/;

type TaskResponse = DeckTask & { request_id: string };

/** A client-supplied task id no other test in this sandbox uses (task ids are unique sandbox-wide). */
function clientTaskId(label: string): string {
  return `task_${label}_${randomBytes(6).toString('hex')}`;
}

const INPUT_SCHEMA = {
  type: 'object',
  properties: { account_number: { type: 'string', minLength: 4 } },
  required: ['account_number'],
  additionalProperties: false,
};
const OUTPUT_SCHEMA = { type: 'object', properties: { balance: { type: 'number' } } };
const EXTRACTION_SCHEMA = { type: 'object', properties: { total: { type: 'number' } } };

describe('Tasks (/v2/tasks)', () => {
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

  async function createTask(body: Record<string, unknown> = {}): Promise<TaskResponse> {
    const res = await client.post('/v2/tasks', { name: 'Download statements', agent_id: agentId, ...body });
    expect(res.status).toBe(201);
    return res.body as TaskResponse;
  }

  async function createAgent(name: string): Promise<DeckAgent> {
    return (await client.post('/v2/agents', { name }).expect(201)).body as DeckAgent;
  }

  async function listTaskIds(query = ''): Promise<string[]> {
    const res = await client.get(`/v2/tasks${query}`).expect(200);
    return (res.body as DeckList<DeckTask>).data.map((t) => t.id);
  }

  /** Task events recorded in the organisation, oldest first. */
  async function taskEvents(): Promise<DeckEvent[]> {
    const res = await client.get('/v2/events?type=task.created,task.updated,task.deleted,task.reset&limit=100');
    expect(res.status).toBe(200);
    return (res.body as DeckList<DeckEvent>).data.reverse();
  }

  function withoutRequestId(task: TaskResponse): DeckTask {
    const { request_id: _requestId, ...rest } = task;
    return rest;
  }

  describe('POST /v2/tasks', () => {
    it('should create a learning task with defaults, the exact Deck shape and a task.created event', async () => {
      const res = await client.post('/v2/tasks', { name: 'Download statements', agent_id: agentId }).expect(201);
      const task = res.body as TaskResponse;
      expect(task).toEqual({
        id: expect.stringMatching(TASK_ID),
        object: 'task',
        name: 'Download statements',
        prompt: null,
        status: 'learning',
        agent_id: agentId,
        input_schema: null,
        output_schema: null,
        storage: null,
        extraction: false,
        settings: { timeout_seconds: 1800 },
        created_at: expect.stringMatching(ISO),
        updated_at: expect.stringMatching(ISO),
        request_id: expect.stringMatching(REQUEST_ID),
      });
      expect(task.updated_at).toBe(task.created_at);

      const events = await taskEvents();
      expect(events).toEqual([
        {
          id: expect.stringMatching(/^evt_[A-Za-z0-9]{24}$/),
          object: 'event',
          type: 'task.created',
          data: withoutRequestId(task),
          created_at: expect.stringMatching(ISO),
        },
      ]);
      expect(await eventTypes(client)).toEqual(['task.created']);

      const agent = (await client.get(`/v2/agents/${agentId}`).expect(200)).body as DeckAgent;
      expect(agent.tasks).toEqual([
        { id: task.id, object: 'task', name: 'Download statements', status: 'learning' },
        { id: taskId, object: 'task', name: 'Verify login', status: 'live' },
      ]);
    });

    it('should store and echo every optional field', async () => {
      const storage = {
        enabled: true,
        extraction: true,
        extraction_schema: EXTRACTION_SCHEMA,
        extraction_prompt: 'Pull the invoice total.',
        deduplication: true,
        deduplication_schema: { type: 'object', properties: { invoice_number: { type: 'string' } } },
      };
      const task = await createTask({
        name: 'Fetch balance',
        prompt: 'Open the accounts page and read the balance.',
        input_schema: INPUT_SCHEMA,
        output_schema: OUTPUT_SCHEMA,
        storage,
        extraction: true,
        settings: { timeout_seconds: 600 },
      });
      expect(task).toMatchObject({
        name: 'Fetch balance',
        prompt: 'Open the accounts page and read the balance.',
        status: 'learning',
        input_schema: INPUT_SCHEMA,
        output_schema: OUTPUT_SCHEMA,
        storage,
        extraction: true,
        settings: { timeout_seconds: 600 },
      });
      const read = (await client.get(`/v2/tasks/${task.id}`).expect(200)).body as TaskResponse;
      expect(withoutRequestId(read)).toEqual(withoutRequestId(task));
    });

    it('should accept explicit nulls for the nullable fields, and refuse one for settings', async () => {
      await expect(
        createTask({ prompt: null, input_schema: null, output_schema: null, storage: null }),
      ).resolves.toMatchObject({
        prompt: null,
        input_schema: null,
        output_schema: null,
        storage: null,
        settings: { timeout_seconds: 1800 },
      });
      // Leaving settings out takes the default; null is not an object of settings.
      expectDeckError(
        await client.post('/v2/tasks', { name: 'Null settings', agent_id: agentId, settings: null }),
        400,
        'input_invalid',
        'settings',
      );
    });

    it('should take a client-supplied id and refuse a duplicate with 409 invalid_state on id', async () => {
      const id = clientTaskId('mine');
      const task = await createTask({ id });
      expect(task.id).toBe(id);
      await expect(client.get(`/v2/tasks/${id}`).then((r) => r.body as unknown)).resolves.toMatchObject({
        id,
        object: 'task',
      });

      const body = expectDeckError(
        await client.post('/v2/tasks', { id, name: 'Again', agent_id: agentId }),
        409,
        'invalid_state',
        'id',
      );
      expect(body.errors[0].type).toBe('request');
      expectDeckError(
        await client.post('/v2/tasks', { id: taskId, name: 'Seeded id', agent_id: agentId }),
        409,
        'invalid_state',
        'id',
      );
      expect(await eventTypes(client)).toEqual(['task.created']);
    });

    it('should take ids of task_ and up to 35 letters, digits, _ or -', async () => {
      const longest = `task_${randomBytes(17).toString('hex')}x`;
      await expect(createTask({ id: longest })).resolves.toMatchObject({ id: longest });
      const dashed = clientTaskId('dash-and_under');
      await expect(createTask({ id: dashed })).resolves.toMatchObject({ id: dashed });

      for (const id of [
        'mine',
        'task_',
        'agt_abc',
        'Task_abc',
        'task_has space',
        'task_dot.dot',
        `task_${'a'.repeat(36)}`,
        42,
      ]) {
        expectDeckError(
          await client.post('/v2/tasks', { id, name: 'x', agent_id: agentId }),
          400,
          'input_invalid',
          'id',
        );
      }
    });

    it('should require name and agent_id, naming both', async () => {
      const body = expectDeckError(await client.post('/v2/tasks', {}), 400, 'input_missing', 'name');
      expect(body.errors.map((e) => [e.code, e.field])).toEqual([
        ['input_missing', 'name'],
        ['input_missing', 'agent_id'],
      ]);
      expectDeckError(await client.post('/v2/tasks', { agent_id: agentId }), 400, 'input_missing', 'name');
      expectDeckError(await client.post('/v2/tasks', { name: 'x' }), 400, 'input_missing', 'agent_id');
    });

    it('should answer 404 agent_not_found on agent_id for an unknown, foreign or deleted agent', async () => {
      expectDeckError(
        await client.post('/v2/tasks', { name: 'x', agent_id: 'agt_missing' }),
        404,
        'agent_not_found',
        'agent_id',
      );
      const other = deckClient(deck);
      const { agentId: foreignAgent } = await seeded(other);
      expectDeckError(
        await client.post('/v2/tasks', { name: 'x', agent_id: foreignAgent }),
        404,
        'agent_not_found',
        'agent_id',
      );
      const agent = await createAgent('Gone');
      await client.delete(`/v2/agents/${agent.id}`).expect(200);
      expectDeckError(
        await client.post('/v2/tasks', { name: 'x', agent_id: agent.id }),
        404,
        'agent_not_found',
        'agent_id',
      );
    });

    it('should refuse an input_schema or output_schema that is not a valid JSON Schema', async () => {
      for (const schema of [
        { type: 'nope' },
        { type: 'object', required: 'account_number' },
        { properties: 5 },
        { type: 'string', minLength: -1 },
      ]) {
        const res = await client.post('/v2/tasks', { name: 'x', agent_id: agentId, input_schema: schema });
        const body = expectDeckError(res, 400, 'input_invalid', 'input_schema');
        expect(body.errors[0].type).toBe('request');
        expectDeckError(
          await client.post('/v2/tasks', { name: 'x', agent_id: agentId, output_schema: schema }),
          400,
          'input_invalid',
          'output_schema',
        );
      }
      for (const schema of [['type', 'object'], 'object', 7, true]) {
        expectDeckError(
          await client.post('/v2/tasks', { name: 'x', agent_id: agentId, input_schema: schema }),
          400,
          'input_invalid',
          'input_schema',
        );
      }
      expect(await eventTypes(client)).toEqual([]);
    });

    it('should require storage.extraction_schema when storage extraction is on', async () => {
      for (const storage of [
        { enabled: true, extraction: true },
        { enabled: true, extraction: true, extraction_schema: null },
      ]) {
        const body = expectDeckError(
          await client.post('/v2/tasks', { name: 'x', agent_id: agentId, storage }),
          400,
          'input_missing',
          'storage.extraction_schema',
        );
        expect(body.errors[0].type).toBe('request');
      }
      await expect(createTask({ storage: { enabled: true, extraction: false } })).resolves.toMatchObject({
        storage: { enabled: true, extraction: false },
      });
      await expect(createTask({ storage: { enabled: false } })).resolves.toMatchObject({ storage: { enabled: false } });
    });

    it('should validate the storage object field by field', async () => {
      const post = (storage: unknown) => client.post('/v2/tasks', { name: 'x', agent_id: agentId, storage });
      expectDeckError(await post({ extraction: false }), 400, 'input_missing', 'storage.enabled');
      expectDeckError(await post({ enabled: 'yes' }), 400, 'input_invalid', 'storage.enabled');
      expectDeckError(await post({ enabled: true, extraction: 1 }), 400, 'input_invalid', 'storage.extraction');
      expectDeckError(
        await post({ enabled: true, extraction: true, extraction_schema: 'total' }),
        400,
        'input_invalid',
        'storage.extraction_schema',
      );
      expectDeckError(await post({ enabled: true, folder: '/tmp' }), 400, 'input_invalid', 'storage.folder');
      for (const storage of ['on', true, [{ enabled: true }]]) {
        expectDeckError(await post(storage), 400, 'input_invalid', 'storage');
      }
    });

    it('should default settings.timeout_seconds to 1800 and keep it within 1 to 14400', async () => {
      await expect(createTask({ settings: {} })).resolves.toMatchObject({ settings: { timeout_seconds: 1800 } });
      await expect(createTask({ settings: { timeout_seconds: 1 } })).resolves.toMatchObject({
        settings: { timeout_seconds: 1 },
      });
      await expect(createTask({ settings: { timeout_seconds: 14400 } })).resolves.toMatchObject({
        settings: { timeout_seconds: 14400 },
      });
      for (const timeout_seconds of [0, -5, 14401, 1.5, '600', null]) {
        expectDeckError(
          await client.post('/v2/tasks', { name: 'x', agent_id: agentId, settings: { timeout_seconds } }),
          400,
          'input_invalid',
          'settings.timeout_seconds',
        );
      }
      expectDeckError(
        await client.post('/v2/tasks', { name: 'x', agent_id: agentId, settings: { retries: 3 } }),
        400,
        'input_invalid',
        'settings.retries',
      );
      for (const settings of [600, 'fast', [{ timeout_seconds: 60 }]]) {
        expectDeckError(
          await client.post('/v2/tasks', { name: 'x', agent_id: agentId, settings }),
          400,
          'input_invalid',
          'settings',
        );
      }
    });

    it('should report an empty name as missing', async () => {
      expectDeckError(await client.post('/v2/tasks', { name: '', agent_id: agentId }), 400, 'input_missing', 'name');
    });

    it('should refuse wrong types, unknown fields and a status on create', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ name: 5 }, 'name'],
        [{ name: 'n'.repeat(256) }, 'name'],
        [{ agent_id: 42 }, 'agent_id'],
        [{ prompt: 12 }, 'prompt'],
        [{ extraction: 'yes' }, 'extraction'],
        [{ extraction: null }, 'extraction'],
        [{ status: 'live' }, 'status'],
        [{ schedule: 'daily' }, 'schedule'],
      ];
      for (const [override, field] of cases) {
        expectDeckError(
          await client.post('/v2/tasks', { name: 'x', agent_id: agentId, ...override }),
          400,
          'input_invalid',
          field,
        );
      }
      expect(await eventTypes(client)).toEqual([]);
    });
  });

  describe('GET /v2/tasks', () => {
    it('should list the seeded task with the full task shape', async () => {
      const res = await client.get('/v2/tasks').expect(200);
      expect(res.body).toEqual({
        data: [
          {
            id: taskId,
            object: 'task',
            name: 'Verify login',
            prompt: expect.any(String),
            status: 'live',
            agent_id: agentId,
            input_schema: null,
            output_schema: null,
            storage: null,
            extraction: false,
            settings: { timeout_seconds: 1800 },
            created_at: expect.stringMatching(ISO),
            updated_at: expect.stringMatching(ISO),
          },
        ],
        has_more: false,
        next_cursor: null,
        request_id: expect.stringMatching(REQUEST_ID),
      });
    });

    it('should list newest first, leave out deleted tasks and show only the organisation’s own', async () => {
      const a = await createTask({ name: 'A' });
      const b = await createTask({ name: 'B' });
      const c = await createTask({ name: 'C' });
      await client.delete(`/v2/tasks/${b.id}`).expect(200);
      expect(await listTaskIds()).toEqual([c.id, a.id, taskId]);

      const other = deckClient(deck);
      const theirs = (await other.get('/v2/tasks').expect(200)).body as DeckList<DeckTask>;
      expect(theirs.data).toHaveLength(1);
      expect(theirs.data[0].id).not.toBe(taskId);
    });

    it('should filter by agent_id and by one or several statuses', async () => {
      const second = await createAgent('Second agent');
      const learning = await createTask({ name: 'Learning' });
      const testing = await createTask({ name: 'Testing', agent_id: second.id });
      await client.patch(`/v2/tasks/${testing.id}`, { status: 'test' }).expect(200);

      expect(await listTaskIds(`?agent_id=${agentId}`)).toEqual([learning.id, taskId]);
      expect(await listTaskIds(`?agent_id=${second.id}`)).toEqual([testing.id]);
      expect(await listTaskIds('?agent_id=agt_missing')).toEqual([]);

      expect(await listTaskIds('?status=learning')).toEqual([learning.id]);
      expect(await listTaskIds('?status=test')).toEqual([testing.id]);
      expect(await listTaskIds('?status=live')).toEqual([taskId]);
      expect(await listTaskIds('?status=learning,live')).toEqual([learning.id, taskId]);
      expect(await listTaskIds('?status=learning&status=test')).toEqual([testing.id, learning.id]);
      expect(await listTaskIds(`?status=test,live&agent_id=${agentId}`)).toEqual([taskId]);

      expectDeckError(await client.get('/v2/tasks?status=done'), 400, 'input_invalid', 'status');
      expectDeckError(await client.get('/v2/tasks?status=learning,paused'), 400, 'input_invalid', 'status');
    });

    it('should page with limit, next_cursor and has_more, with cursors tied to the filters', async () => {
      const created: string[] = [];
      for (let i = 0; i < 4; i++) {
        created.unshift((await createTask({ name: `Task ${i}` })).id);
      }
      const all = [...created, taskId];

      const first = (await client.get('/v2/tasks?limit=2').expect(200)).body as DeckList<DeckTask>;
      expect(first.data.map((t) => t.id)).toEqual(all.slice(0, 2));
      expect(first).toMatchObject({ has_more: true, next_cursor: expect.any(String) });
      const second = (await client.get(`/v2/tasks?limit=2&cursor=${first.next_cursor}`).expect(200))
        .body as DeckList<DeckTask>;
      expect(second.data.map((t) => t.id)).toEqual(all.slice(2, 4));
      expect(second.has_more).toBe(true);
      const third = (await client.get(`/v2/tasks?limit=2&cursor=${second.next_cursor}`).expect(200))
        .body as DeckList<DeckTask>;
      expect(third.data.map((t) => t.id)).toEqual([taskId]);
      expect(third).toMatchObject({ has_more: false, next_cursor: null });

      const learningFirst = (await client.get('/v2/tasks?status=learning&limit=3').expect(200))
        .body as DeckList<DeckTask>;
      expect(learningFirst.data.map((t) => t.id)).toEqual(created.slice(0, 3));
      const learningRest = (
        await client.get(`/v2/tasks?status=learning&limit=3&cursor=${learningFirst.next_cursor}`).expect(200)
      ).body as DeckList<DeckTask>;
      expect(learningRest.data.map((t) => t.id)).toEqual(created.slice(3));
      expect(learningRest).toMatchObject({ has_more: false, next_cursor: null });

      expectDeckError(await client.get(`/v2/tasks?cursor=${learningFirst.next_cursor}`), 400, 'cursor_invalid');
      expectDeckError(
        await client.get(`/v2/tasks?status=live&cursor=${learningFirst.next_cursor}`),
        400,
        'cursor_invalid',
      );
      expectDeckError(await client.get(`/v2/agents?cursor=${first.next_cursor}`), 400, 'cursor_invalid');
      expectDeckError(await client.get('/v2/tasks?cursor=not-a-cursor'), 400, 'cursor_invalid', 'cursor');
      for (const limit of ['0', '101', 'all']) {
        expectDeckError(await client.get(`/v2/tasks?limit=${limit}`), 400, 'input_invalid', 'limit');
      }
    });
  });

  describe('GET /v2/tasks/:id', () => {
    it('should return the task', async () => {
      const task = await createTask({ prompt: 'Do it.' });
      const res = await client.get(`/v2/tasks/${task.id}`).expect(200);
      expect(res.body).toEqual({ ...task, request_id: expect.stringMatching(REQUEST_ID) });
    });

    it('should answer 404 task_not_found for an unknown id or another organisation’s task', async () => {
      const body = expectDeckError(await client.get('/v2/tasks/task_missing'), 404, 'task_not_found');
      expect(body.errors[0].type).toBe('request');
      const other = deckClient(deck);
      expectDeckError(await other.get(`/v2/tasks/${taskId}`), 404, 'task_not_found');
    });
  });

  describe('PATCH /v2/tasks/:id', () => {
    it('should change only the fields sent, bump updated_at and record task.updated', async () => {
      const task = await createTask({ prompt: 'Old prompt', settings: { timeout_seconds: 300 } });
      deck.clock.advance(1000);
      const res = await client
        .patch(`/v2/tasks/${task.id}`, { name: 'Renamed', input_schema: INPUT_SCHEMA, output_schema: OUTPUT_SCHEMA })
        .expect(200);
      const updated = res.body as TaskResponse;
      expect(updated).toEqual({
        ...task,
        name: 'Renamed',
        input_schema: INPUT_SCHEMA,
        output_schema: OUTPUT_SCHEMA,
        updated_at: expect.stringMatching(ISO),
        request_id: expect.stringMatching(REQUEST_ID),
      });
      expect(Date.parse(updated.updated_at)).toBeGreaterThan(Date.parse(task.updated_at));
      await expect(client.get(`/v2/tasks/${task.id}`).then((r) => r.body as unknown)).resolves.toMatchObject({
        name: 'Renamed',
        prompt: 'Old prompt',
        input_schema: INPUT_SCHEMA,
        settings: { timeout_seconds: 300 },
      });

      const events = await taskEvents();
      expect(events.map((e) => e.type)).toEqual(['task.created', 'task.updated']);
      expect(events[1].data).toEqual(withoutRequestId(updated));
    });

    it('should clear nullable fields with null and replace storage and settings', async () => {
      const task = await createTask({
        prompt: 'Prompt',
        input_schema: INPUT_SCHEMA,
        storage: { enabled: true },
        extraction: true,
      });
      const cleared = await client
        .patch(`/v2/tasks/${task.id}`, { prompt: null, input_schema: null, storage: null, extraction: false })
        .expect(200);
      expect(cleared.body).toMatchObject({ prompt: null, input_schema: null, storage: null, extraction: false });

      const replaced = await client
        .patch(`/v2/tasks/${task.id}`, {
          storage: { enabled: true, extraction: true, extraction_schema: EXTRACTION_SCHEMA },
          settings: { timeout_seconds: 7200 },
        })
        .expect(200);
      expect(replaced.body).toMatchObject({
        storage: { enabled: true, extraction: true, extraction_schema: EXTRACTION_SCHEMA },
        settings: { timeout_seconds: 7200 },
      });
      const untouched = await client.patch(`/v2/tasks/${task.id}`, { settings: {} }).expect(200);
      expect(untouched.body).toMatchObject({ settings: { timeout_seconds: 7200 } });
    });

    it('should move a task between learning, test and live with status', async () => {
      const task = await createTask();
      for (const status of ['test', 'live', 'learning', 'test'] as const) {
        const res = await client.patch(`/v2/tasks/${task.id}`, { status }).expect(200);
        expect(res.body).toMatchObject({ id: task.id, status });
      }
      expect(await listTaskIds('?status=test')).toEqual([task.id]);
      const agent = (await client.get(`/v2/agents/${agentId}`).expect(200)).body as DeckAgent;
      expect(agent.tasks).toContainEqual({ id: task.id, object: 'task', name: task.name, status: 'test' });
      expectDeckError(await client.patch(`/v2/tasks/${task.id}`, { status: 'done' }), 400, 'input_invalid', 'status');
      expectDeckError(await client.patch(`/v2/tasks/${task.id}`, { status: 3 }), 400, 'input_invalid', 'status');
    });

    it('should move a task to another agent, and answer 404 on agent_id for an unknown one', async () => {
      const task = await createTask();
      const second = await createAgent('Second agent');
      await expect(
        client.patch(`/v2/tasks/${task.id}`, { agent_id: second.id }).then((r) => r.body as unknown),
      ).resolves.toMatchObject({ agent_id: second.id });
      const secondAgent = (await client.get(`/v2/agents/${second.id}`).expect(200)).body as DeckAgent;
      expect(secondAgent.tasks.map((t) => t.id)).toEqual([task.id]);
      const firstAgent = (await client.get(`/v2/agents/${agentId}`).expect(200)).body as DeckAgent;
      expect(firstAgent.tasks.map((t) => t.id)).toEqual([taskId]);

      expectDeckError(
        await client.patch(`/v2/tasks/${task.id}`, { agent_id: 'agt_missing' }),
        404,
        'agent_not_found',
        'agent_id',
      );
      await expect(client.get(`/v2/tasks/${task.id}`).then((r) => r.body as unknown)).resolves.toMatchObject({
        agent_id: second.id,
      });
    });

    it('should validate schemas, storage and settings as on create', async () => {
      const task = await createTask();
      expectDeckError(
        await client.patch(`/v2/tasks/${task.id}`, { input_schema: { type: 'nope' } }),
        400,
        'input_invalid',
        'input_schema',
      );
      expectDeckError(
        await client.patch(`/v2/tasks/${task.id}`, { output_schema: { required: 'x' } }),
        400,
        'input_invalid',
        'output_schema',
      );
      expectDeckError(
        await client.patch(`/v2/tasks/${task.id}`, { storage: { enabled: true, extraction: true } }),
        400,
        'input_missing',
        'storage.extraction_schema',
      );
      for (const timeout_seconds of [0, 14401, 2.5]) {
        expectDeckError(
          await client.patch(`/v2/tasks/${task.id}`, { settings: { timeout_seconds } }),
          400,
          'input_invalid',
          'settings.timeout_seconds',
        );
      }
      expectDeckError(await client.patch(`/v2/tasks/${task.id}`, { id: 'task_new' }), 400, 'input_invalid', 'id');
      expectDeckError(await client.patch(`/v2/tasks/${task.id}`, { owner: 'me' }), 400, 'input_invalid', 'owner');
      await expect(client.get(`/v2/tasks/${task.id}`).then((r) => r.body as unknown)).resolves.toEqual({
        ...task,
        request_id: expect.stringMatching(REQUEST_ID),
      });
      expect(await eventTypes(client)).toEqual(['task.created']);
    });

    it('should refuse null for fields a task cannot be without', async () => {
      const task = await createTask();
      // Fields that must not be empty report null as missing; the others as the wrong type.
      for (const field of ['name', 'agent_id']) {
        expectDeckError(await client.patch(`/v2/tasks/${task.id}`, { [field]: null }), 400, 'input_missing', field);
      }
      for (const field of ['status', 'extraction']) {
        expectDeckError(await client.patch(`/v2/tasks/${task.id}`, { [field]: null }), 400, 'input_invalid', field);
      }
      expectDeckError(
        await client.patch(`/v2/tasks/${task.id}`, { settings: { timeout_seconds: null } }),
        400,
        'input_invalid',
        'settings.timeout_seconds',
      );
      await expect(client.get(`/v2/tasks/${task.id}`).then((r) => r.body as unknown)).resolves.toMatchObject({
        name: task.name,
        agent_id: agentId,
        status: 'learning',
        extraction: false,
        settings: { timeout_seconds: 1800 },
      });
    });

    it('should answer 404 for an unknown or deleted task', async () => {
      expectDeckError(await client.patch('/v2/tasks/task_missing', { name: 'x' }), 404, 'task_not_found');
      const task = await createTask();
      await client.delete(`/v2/tasks/${task.id}`).expect(200);
      expectDeckError(await client.patch(`/v2/tasks/${task.id}`, { name: 'x' }), 404, 'task_not_found');
    });
  });

  describe('DELETE /v2/tasks/:id', () => {
    it('should answer {id, object, deleted}, record task.deleted and hide the task afterwards', async () => {
      const task = await createTask();
      const res = await client.delete(`/v2/tasks/${task.id}`).expect(200);
      expect(res.body as DeckDeleted).toEqual({
        id: task.id,
        object: 'task',
        deleted: true,
        request_id: expect.stringMatching(REQUEST_ID),
      });

      expectDeckError(await client.get(`/v2/tasks/${task.id}`), 404, 'task_not_found');
      expectDeckError(await client.delete(`/v2/tasks/${task.id}`), 404, 'task_not_found');
      expectDeckError(await client.post(`/v2/tasks/${task.id}/reset`), 404, 'task_not_found');
      expect(await listTaskIds()).toEqual([taskId]);
      const agent = (await client.get(`/v2/agents/${agentId}`).expect(200)).body as DeckAgent;
      expect(agent.tasks.map((t) => t.id)).toEqual([taskId]);

      const events = await taskEvents();
      expect(events.map((e) => e.type)).toEqual(['task.created', 'task.deleted']);
      expect(events[1].data).toEqual({ id: task.id, object: 'task', deleted: true });
    });

    it('should answer 404 for an unknown task or another organisation’s task', async () => {
      expectDeckError(await client.delete('/v2/tasks/task_missing'), 404, 'task_not_found');
      const other = deckClient(deck);
      expectDeckError(await other.delete(`/v2/tasks/${taskId}`), 404, 'task_not_found');
      await client.get(`/v2/tasks/${taskId}`).expect(200);
    });
  });

  describe('POST /v2/tasks/:id/reset', () => {
    it('should answer 200 with the task back in learning and record task.reset', async () => {
      const before = (await client.get(`/v2/tasks/${taskId}`).expect(200)).body as TaskResponse;
      expect(before.status).toBe('live');
      deck.clock.advance(1000);

      const res = await client.post(`/v2/tasks/${taskId}/reset`);
      expect(res.status).toBe(200);
      const reset = res.body as TaskResponse;
      expect(reset).toEqual({
        ...before,
        status: 'learning',
        updated_at: expect.stringMatching(ISO),
        request_id: expect.stringMatching(REQUEST_ID),
      });
      expect(Date.parse(reset.updated_at)).toBeGreaterThan(Date.parse(before.updated_at));
      await expect(client.get(`/v2/tasks/${taskId}`).then((r) => r.body as unknown)).resolves.toMatchObject({
        status: 'learning',
      });

      const events = await taskEvents();
      expect(events.map((e) => e.type)).toEqual(['task.reset']);
      expect(events[0].data).toEqual(withoutRequestId(reset));
    });

    it('should reset a task in test, and a task already learning', async () => {
      const task = await createTask();
      await client.patch(`/v2/tasks/${task.id}`, { status: 'test' }).expect(200);
      await expect(
        client.post(`/v2/tasks/${task.id}/reset`).then((r) => [r.status, (r.body as DeckTask).status]),
      ).resolves.toEqual([200, 'learning']);
      await expect(
        client.post(`/v2/tasks/${task.id}/reset`).then((r) => [r.status, (r.body as DeckTask).status]),
      ).resolves.toEqual([200, 'learning']);
      expect(await eventTypes(client)).toEqual(['task.created', 'task.updated', 'task.reset', 'task.reset']);
    });

    it('should answer 404 for an unknown task or another organisation’s task', async () => {
      expectDeckError(await client.post('/v2/tasks/task_missing/reset'), 404, 'task_not_found');
      const other = deckClient(deck);
      expectDeckError(await other.post(`/v2/tasks/${taskId}/reset`), 404, 'task_not_found');
      await expect(client.get(`/v2/tasks/${taskId}`).then((r) => r.body as unknown)).resolves.toMatchObject({
        status: 'live',
      });
    });
  });
});
