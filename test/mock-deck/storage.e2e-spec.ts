import type { DeckList, DeckStorageItem, DeckTask, DeckTaskRun } from '@app/deck';

import { createCredential, eventTypes, runTask, seeded, waitForRun } from '../support/deck-fixtures';
import { expectDeckError } from '../support/envelope';
import { deckClient, DeckClient, MockDeck, startMockDeck } from '../support/mock-deck-app';

const EXTRACTING_STORAGE = { enabled: true, extraction: true, extraction_schema: { type: 'object' } };

describe('Storage (/v2/storage, /v2/task-runs/:id/storage)', () => {
  let deck: MockDeck;
  let client: DeckClient;
  let sourceId: string;
  let taskId: string;
  let agentId: string;

  beforeAll(async () => {
    deck = await startMockDeck();
  });

  afterAll(async () => {
    await deck.close();
  });

  beforeEach(async () => {
    client = deckClient(deck);
    ({ sourceId, taskId, agentId } = await seeded(client));
  });

  async function createTask(storage: Record<string, unknown> | null): Promise<DeckTask> {
    const res = await client.post('/v2/tasks', { name: 'Fetch statements', agent_id: agentId, storage }).expect(201);
    return res.body as DeckTask;
  }

  /**
   * Runs `task` with a credential for `username` and waits for the run to finish. Reads share the sandbox's
   * one SQLite connection, so a poll can see `completed` before the same transaction has written the
   * storage item; letting the scheduler settle first means every check sees the whole step.
   */
  async function finishedRun(task: string, username = 'user_good'): Promise<DeckTaskRun> {
    const credential = await createCredential(client, sourceId, username);
    const run = await runTask(client, task, { credential_id: credential.id });
    await waitForRun(client, run.id, (r) => ['completed', 'failed', 'canceled'].includes(r.status));
    await deck.settle();
    return (await client.get(`/v2/task-runs/${run.id}`).expect(200)).body as DeckTaskRun;
  }

  async function listStorage(runId: string, query = ''): Promise<DeckList<DeckStorageItem>> {
    return (await client.get(`/v2/task-runs/${runId}/storage${query}`).expect(200)).body as DeckList<DeckStorageItem>;
  }

  describe('capture', () => {
    it('should capture one file with its extraction when a storage task succeeds', async () => {
      const task = await createTask(EXTRACTING_STORAGE);
      const run = await finishedRun(task.id);
      expect(run).toMatchObject({ status: 'completed', result: 'success' });

      const list = await listStorage(run.id);
      expect(list).toMatchObject({ has_more: false, next_cursor: null, request_id: expect.stringMatching(/^req_/) });
      expect(list.data).toHaveLength(1);
      const item = list.data[0];
      expect(item).toMatchObject({
        id: expect.stringMatching(/^stor_[A-Za-z0-9]{24}$/),
        object: 'storage',
        file_name: expect.any(String),
        file_type: expect.stringMatching(/^[a-z]+\/[a-z0-9.+-]+$/),
        file_size: expect.any(Number),
        result: 'success',
        task_run_id: run.id,
        created_at: expect.any(String),
      });
      expect(item.file_size).toBeGreaterThan(0);
      expect(item.extraction).toEqual(expect.any(Object));

      expect(await eventTypes(client, (d) => d.id === run.id || d.id === item.id)).toEqual([
        'task_run.queued',
        'task_run.running',
        'task_run.completed',
        'storage.created',
      ]);
      const events = (await client.get('/v2/events?type=storage.created').expect(200)).body as DeckList<{
        data: Record<string, unknown>;
      }>;
      expect(events.data).toHaveLength(1);
      expect(events.data[0].data).toMatchObject({ id: item.id, object: 'storage', task_run_id: run.id });
    });

    it('should keep extraction null when only storage is on', async () => {
      const task = await createTask({ enabled: true });
      const run = await finishedRun(task.id);
      const list = await listStorage(run.id);
      expect(list.data).toHaveLength(1);
      expect(list.data[0]).toMatchObject({ result: 'success', extraction: null, task_run_id: run.id });
    });

    it('should capture nothing when storage is off or the run fails', async () => {
      const plain = await finishedRun(taskId);
      expect((await listStorage(plain.id)).data).toEqual([]);

      const off = await createTask({ enabled: false });
      expect((await listStorage((await finishedRun(off.id)).id)).data).toEqual([]);

      const storing = await createTask(EXTRACTING_STORAGE);
      const failed = await finishedRun(storing.id, 'user_bad');
      expect(failed.status).toBe('failed');
      expect((await listStorage(failed.id)).data).toEqual([]);
      expect(await eventTypes(client)).not.toContain('storage.created');
    });

    it('should skip a file already captured for the same task and credential when deduplication is on', async () => {
      const deduplicating = await createTask({ enabled: true, deduplication: true });
      const credential = await createCredential(client, sourceId, 'user_good');
      const runFor = async (task: string, credentialId: string) => {
        const run = await runTask(client, task, { credential_id: credentialId });
        await waitForRun(client, run.id, (r) => r.status === 'completed');
        await deck.settle();
        return (await listStorage(run.id)).data.length;
      };
      expect(await runFor(deduplicating.id, credential.id)).toBe(1);
      expect(await runFor(deduplicating.id, credential.id)).toBe(0);
      const otherCredential = await createCredential(client, sourceId, 'user_good');
      expect(await runFor(deduplicating.id, otherCredential.id)).toBe(1);

      const keeping = await createTask({ enabled: true });
      expect(await runFor(keeping.id, credential.id)).toBe(1);
      expect(await runFor(keeping.id, credential.id)).toBe(1);
      expect((await eventTypes(client)).filter((t) => t === 'storage.created')).toHaveLength(4);
    });

    it('should show the captured files on the run with include=storage', async () => {
      const task = await createTask(EXTRACTING_STORAGE);
      const run = await finishedRun(task.id);
      const [item] = (await listStorage(run.id)).data;

      const withStorage = (await client.get(`/v2/task-runs/${run.id}?include=storage`).expect(200)).body as DeckTaskRun;
      expect(withStorage.storage).toEqual([item]);
      const without = (await client.get(`/v2/task-runs/${run.id}`).expect(200)).body as DeckTaskRun;
      expect(without).not.toHaveProperty('storage');
    });
  });

  describe('GET /v2/storage/:id', () => {
    it('should return the storage item', async () => {
      const task = await createTask(EXTRACTING_STORAGE);
      const run = await finishedRun(task.id);
      const [listed] = (await listStorage(run.id)).data;

      const res = await client.get(`/v2/storage/${listed.id}`).expect(200);
      expect(res.body).toEqual({
        id: listed.id,
        object: 'storage',
        file_name: listed.file_name,
        file_type: listed.file_type,
        file_size: listed.file_size,
        url: null,
        metadata: expect.any(Object),
        fetch_date: expect.any(String),
        extraction: listed.extraction,
        result: 'success',
        task_run_id: run.id,
        created_at: listed.created_at,
        request_id: expect.stringMatching(/^req_/),
      });
      expect(res.body).not.toHaveProperty('updated_at');
    });

    it('should answer 404 for an unknown item or one from another organisation', async () => {
      expectDeckError(await client.get('/v2/storage/stor_missing'), 404, 'storage_not_found');
      const task = await createTask(EXTRACTING_STORAGE);
      const [item] = (await listStorage((await finishedRun(task.id)).id)).data;
      const other = deckClient(deck);
      expectDeckError(await other.get(`/v2/storage/${item.id}`), 404, 'storage_not_found');
    });
  });

  describe('GET /v2/task-runs/:id/storage', () => {
    it('should answer 404 for an unknown run or one from another organisation', async () => {
      expectDeckError(await client.get('/v2/task-runs/trun_missing/storage'), 404, 'task_run_not_found');
      const task = await createTask(EXTRACTING_STORAGE);
      const run = await finishedRun(task.id);
      const other = deckClient(deck);
      expectDeckError(await other.get(`/v2/task-runs/${run.id}/storage`), 404, 'task_run_not_found');
    });

    it('should page and refuse a bad cursor or limit', async () => {
      const task = await createTask(EXTRACTING_STORAGE);
      const run = await finishedRun(task.id);
      const page = await listStorage(run.id, '?limit=1');
      expect(page.data).toHaveLength(1);
      expect(page).toMatchObject({ has_more: false, next_cursor: null });
      expectDeckError(await client.get(`/v2/task-runs/${run.id}/storage?cursor=garbage`), 400, 'cursor_invalid');
      expectDeckError(await client.get(`/v2/task-runs/${run.id}/storage?limit=500`), 400, 'input_invalid', 'limit');
    });
  });
});
