import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource, EntityManager } from 'typeorm';

import type { DeckEvent, DeckEventDestination, DeckList } from '@app/deck';
import { Transactor } from '@app/sqlite';

import { ApiError } from '../../apps/api/src/common/api-error';
import { CredentialRow } from '../../apps/api/src/mirror/credential.entity';
import { DeckClient as ApiDeckClient } from '../../apps/api/src/deck/deck-client.service';
import { ChangeRow } from '../../apps/api/src/changes/change.entity';
import { SettingRow } from '../../apps/api/src/settings/setting.entity';
import { TaskRunRow } from '../../apps/api/src/mirror/task-run.entity';
import { CatchUpService } from '../../apps/api/src/webhooks/catch-up.service';
import { InboxService } from '../../apps/api/src/webhooks/inbox.service';
import { ReceivedEventRow } from '../../apps/api/src/webhooks/received-event.entity';
import { WebhookRegistration } from '../../apps/api/src/webhooks/webhook-registration.service';
import { ApiApp, freePort, startApi } from '../support/api-app';
import { expectApiError } from '../support/api-envelope';
import { createCredential, runTask, seeded, waitForRun } from '../support/deck-fixtures';
import { deckClient, DeckClient, MockDeck, newApiKey, startMockDeck, waitFor } from '../support/mock-deck-app';
import { attemptsOf } from '../support/sandbox-deliveries';

const WAIT_MS = 10_000;
const HOUR_MS = '3600000';

/** Reads between an api's transactions, so a half-written one is never seen. */
function reader(api: ApiApp) {
  return <T>(work: (manager: EntityManager) => Promise<T>): Promise<T> =>
    api.app.get(Transactor).exclusive(() => work(api.app.get(DataSource).manager));
}

describe('Catch-up from GET /v2/events', () => {
  let deck: MockDeck;
  let sandbox: DeckClient;
  let sourceId: string;
  let taskId: string;
  /** Configured as if Deck were not the sandbox, and with no secret: it can verify no delivery. */
  let api: ApiApp;
  let read: ReturnType<typeof reader>;

  /** Every Deck event of the organisation, oldest first. */
  async function allDeckEvents(): Promise<DeckEvent[]> {
    const events: DeckEvent[] = [];
    let cursor = '';
    do {
      const res = await sandbox.get(`/v2/events?limit=100${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      const page = res.body as DeckList<DeckEvent>;
      events.push(...page.data);
      cursor = page.has_more && page.next_cursor ? page.next_cursor : '';
    } while (cursor);
    return events.reverse();
  }

  beforeAll(async () => {
    deck = await startMockDeck({ MOCK_DECK_RETRY_SCHEDULE: '50ms,50ms,50ms', MOCK_DECK_RATE_LIMIT: '0' });
    sandbox = deckClient(deck, newApiKey());
    ({ sourceId, taskId } = await seeded(sandbox));
    api = await startApi({
      DECK_API_URL: `${deck.url}/v2`,
      DECK_API_KEY: sandbox.apiKey,
      DECK_SANDBOX: 'false',
      CATCH_UP_INTERVAL_MS: HOUR_MS,
    });
    read = reader(api);
    await waitFor(
      async () => (await api.app.get(CatchUpService).status()).last_run_at ?? undefined,
      WAIT_MS,
      'the start-up catch-up',
    );
  });

  afterAll(async () => {
    await api?.close();
    await deck?.close();
  });

  describe('deliveries that fail', () => {
    let destination: DeckEventDestination;
    const deckIds = { good: '', bad: '', goodRun: '', badRun: '' };

    /** Each test reads the mirror after a run of its own; runs after the first find nothing new. */
    const caughtUp = async () => {
      const result = await api.app.get(CatchUpService).runNow();
      expect(result).toMatchObject({ ok: true, error: null });
      return result;
    };

    beforeAll(async () => {
      destination = (
        await sandbox
          .post('/v2/event-destinations', {
            name: 'Deckhand api',
            events: ['*'],
            webhook: { url: `${api.url}/webhooks/deck` },
          })
          .expect(201)
      ).body as DeckEventDestination;
      const good = await createCredential(sandbox, sourceId, 'user_good');
      const bad = await createCredential(sandbox, sourceId, 'user_bad');
      deckIds.good = good.id;
      deckIds.bad = bad.id;
      deckIds.goodRun = (await runTask(sandbox, taskId, { credential_id: good.id })).id;
      deckIds.badRun = (await runTask(sandbox, taskId, { credential_id: bad.id })).id;
      // Everything Deck will write is written, and Deck has given up delivering it.
      for (const runId of [deckIds.goodRun, deckIds.badRun]) {
        await waitForRun(sandbox, runId, (run) => run.status === 'completed' || run.status === 'failed', WAIT_MS);
      }
      await waitFor(
        async () => {
          const current = (await sandbox.get(`/v2/event-destinations/${destination.id}`).expect(200))
            .body as DeckEventDestination;
          return current.status === 'inactive' ? current : undefined;
        },
        WAIT_MS,
        'the destination to be switched off',
      );
    });

    it('should refuse every delivery when Deck is not the sandbox and no secret is configured', async () => {
      expect(api.app.get(WebhookRegistration).status()).toEqual({
        mode: 'none',
        destination_id: null,
        secret_loaded: false,
        previous_secret_loaded: false,
        last_error: null,
      });
      // The api registered nothing of its own: it is not allowed to assume Deck is the sandbox.
      const listed = (await sandbox.get('/v2/event-destinations').expect(200)).body as DeckList<DeckEventDestination>;
      expect(listed.data.map((d) => d.id)).toEqual([destination.id]);
      const attempts = await attemptsOf(sandbox, destination.id);
      expect(attempts.length).toBeGreaterThan(0);
      expect(new Set(attempts.map((a) => a.status_code))).toEqual(new Set([401]));
      expect(await read((m) => m.countBy(ReceivedEventRow, { via: 'webhook' }))).toBe(0);
    });

    it('should recover every event whose delivery failed, through the inbox, with runNow()', async () => {
      await caughtUp();

      const good = await read((m) => m.findOneByOrFail(CredentialRow, { deck_id: deckIds.good }));
      const bad = await read((m) => m.findOneByOrFail(CredentialRow, { deck_id: deckIds.bad }));
      expect(good.status).toBe('verified');
      expect(bad.status).toBe('invalid');
      expect(await read((m) => m.findOneByOrFail(TaskRunRow, { deck_id: deckIds.goodRun }))).toMatchObject({
        status: 'completed',
        result: 'success',
        credential_id: good.id,
      });
      expect(await read((m) => m.findOneByOrFail(TaskRunRow, { deck_id: deckIds.badRun }))).toMatchObject({
        status: 'failed',
        credential_id: bad.id,
      });

      const deckEvents = await allDeckEvents();
      const rows = await read((m) => m.find(ReceivedEventRow));
      expect(rows.map((r) => r.id).sort()).toEqual(deckEvents.map((e) => e.id).sort());
      expect(rows.every((r) => r.via === 'catch_up')).toBe(true);
      expect(rows.filter((r) => r.type.startsWith('task_run.')).every((r) => r.outcome === 'applied')).toBe(true);

      const settings = await read((m) => m.find(SettingRow));
      const setting = (key: string) => settings.find((s) => s.key === key)?.value;
      // The newest event's time, whatever order the list gave them in.
      const newest = deckEvents.map((e) => e.created_at).sort()[deckEvents.length - 1];
      expect(setting('catch_up.watermark')).toBe(newest);
      expect(Date.parse(setting('catch_up.last_run_at') ?? '')).toBeGreaterThan(Date.now() - WAIT_MS);
    });

    it('should feed events oldest first, as Deck wrote them', async () => {
      await caughtUp();
      const changes = await read((m) => m.find(ChangeRow, { order: { seq: 'ASC' } }));
      const runStatuses = changes
        .map((c) => c.payload as { kind: string; task_run?: { deck_id: string; status: string } })
        .filter((p) => p.kind === 'task_run' && p.task_run?.deck_id === deckIds.goodRun)
        .map((p) => p.task_run?.status);
      expect(runStatuses).toEqual(['queued', 'running', 'completed']);
    });

    it('should change nothing when run again, and count no duplicates for its own overlap', async () => {
      await caughtUp();
      const changesBefore = await read((m) => m.count(ChangeRow));
      const duplicatesBefore = await read((m) => m.sum(ReceivedEventRow, 'duplicates'));
      const result = await caughtUp();
      expect(result.recovered).toBe(0);
      expect(result.read).toBeGreaterThan(0);
      expect(await read((m) => m.count(ChangeRow))).toBe(changesBefore);
      expect(await read((m) => m.sum(ReceivedEventRow, 'duplicates'))).toBe(duplicatesBefore);
    });

    it('should page through more than one page of events', async () => {
      await caughtUp();
      const created = [];
      for (let i = 0; i < 105; i++) {
        created.push((await createCredential(sandbox, sourceId, `user_good_${i}`)).id);
      }
      expect(await caughtUp()).toMatchObject({ recovered: 105 });
      const mirrored = await read((m) => m.find(CredentialRow));
      expect(mirrored.map((c) => c.deck_id)).toEqual(expect.arrayContaining(created));
    });

    it('should never run two at once: a second run starts when the first has fed its events', async () => {
      await caughtUp();
      await createCredential(sandbox, sourceId, 'user_good');
      const service = api.app.get(CatchUpService);
      const lists = jest.spyOn(api.app.get(ApiDeckClient), 'listEvents');
      const receives = jest.spyOn(api.app.get(InboxService), 'receive');
      try {
        const [first, second] = await Promise.all([service.runNow(), service.runNow()]);
        expect(first).toMatchObject({ ok: true, recovered: 1 });
        expect(second).toMatchObject({ ok: true, recovered: 0 });
        // A run lists before it feeds anything: the second run's first list comes after the first run's feed.
        const firstFeed = Math.min(...receives.mock.invocationCallOrder);
        expect(lists.mock.invocationCallOrder.some((o) => o > firstFeed)).toBe(true);
        expect(receives).toHaveBeenCalledTimes(1);
        expect((await service.status()).running).toBe(false);
      } finally {
        lists.mockRestore();
        receives.mockRestore();
      }
    });
  });

  describe('events listed out of order', () => {
    /** An organisation of its own with three pages of events, and an api that has read them all at start. */
    async function caughtUp(
      before: (org: DeckClient, credentialId: string) => Promise<unknown> = () => Promise.resolve(),
    ): Promise<{ org: DeckClient; events: DeckEvent[]; app: ApiApp; credentialId: string }> {
      const org = deckClient(deck, newApiKey());
      const { sourceId: source } = await seeded(org);
      const credential = await createCredential(org, source, 'user_good');
      for (let i = 0; i < 210; i++) {
        await org.post('/sandbox/trigger', { type: 'credential.created', credential_id: credential.id }).expect(201);
      }
      await before(org, credential.id);
      const app = await startApi({
        DECK_API_URL: `${deck.url}/v2`,
        DECK_API_KEY: org.apiKey,
        DECK_SANDBOX: 'false',
        CATCH_UP_INTERVAL_MS: HOUR_MS,
      });
      await waitFor(
        async () => ((await app.app.get(CatchUpService).status()).last_run_at ? true : undefined),
        WAIT_MS,
        'the start-up catch-up',
      );
      const events: DeckEvent[] = [];
      let cursor = '';
      do {
        const page = (await org.get(`/v2/events?limit=100${cursor ? `&cursor=${cursor}` : ''}`).expect(200))
          .body as DeckList<DeckEvent>;
        events.push(...page.data);
        cursor = page.has_more && page.next_cursor ? page.next_cursor : '';
      } while (cursor);
      return { org, events: events.reverse(), app, credentialId: credential.id };
    }

    it('should read an event Deck committed late, listed above known ones but older than everything it read', async () => {
      const { org, app } = await caughtUp();
      try {
        const { sourceId: source } = await seeded(org);
        const late = await createCredential(org, source, 'user_good');
        const deckSeam = app.app.get(ApiDeckClient);
        const original = deckSeam.listEvents.bind(deckSeam);
        // As a Deck that stamped this event an hour before it committed it would list it.
        jest.spyOn(deckSeam, 'listEvents').mockImplementation(async (query) => {
          const page = await original(query);
          const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
          return { ...page, data: page.data.map((e) => (e.data.id === late.id ? { ...e, created_at: hourAgo } : e)) };
        });
        const result = await app.app.get(CatchUpService).runNow();
        expect(result).toMatchObject({ ok: true, recovered: 1 });
        expect(await reader(app)((m) => m.findOneBy(CredentialRow, { deck_id: late.id }))).toMatchObject({
          status: 'unverified',
        });
      } finally {
        await app.close();
      }
    });

    it('should find an event it lacks below a whole page it already has, within the overlap', async () => {
      const { events, app } = await caughtUp();
      try {
        // The oldest event is three pages down; its delivery, say, was lost and it never reached the inbox.
        const lost = events[0];
        await app.app.get(Transactor).run((m) => m.delete(ReceivedEventRow, { id: lost.id }));
        const result = await app.app.get(CatchUpService).runNow();
        expect(result).toMatchObject({ ok: true, recovered: 1 });
        expect(await reader(app)((m) => m.findOneBy(ReceivedEventRow, { id: lost.id }))).toMatchObject({
          via: 'catch_up',
        });
      } finally {
        await app.close();
      }
    });

    it('should stop paging at a page it already has once past the newest time it read less the overlap', async () => {
      // An hour passes (sandbox time) before the api first reads: all but the newest event are an hour old.
      const trigger = (org: DeckClient, credentialId: string) =>
        org.post('/sandbox/trigger', { type: 'credential.verified', credential_id: credentialId }).expect(201);
      const { org, app, credentialId } = await caughtUp(async (org, credentialId) => {
        await org.post('/sandbox/clock/advance', { by: '1h' }).expect(200);
        await trigger(org, credentialId);
      });
      try {
        const fresh = (await trigger(org, credentialId)).body as DeckEvent;
        const listEvents = jest.spyOn(app.app.get(ApiDeckClient), 'listEvents');
        const result = await app.app.get(CatchUpService).runNow();
        expect(result).toMatchObject({ ok: true, recovered: 1 });
        // Three pages exist: the first holds the new event, the second is known and an hour older than the last read.
        expect(listEvents).toHaveBeenCalledTimes(2);
        expect(await reader(app)((m) => m.findOneBy(ReceivedEventRow, { id: fresh.id }))).not.toBeNull();
      } finally {
        await app.close();
      }
    });
  });

  describe('an api that was away', () => {
    it('should catch up at start, log and survive Deck failing, and recover on the next tick', async () => {
      const late = await startApi({
        DECK_API_URL: `${deck.url}/v2`,
        DECK_API_KEY: sandbox.apiKey,
        DECK_WEBHOOK_SECRET: `whsec_${randomBytes(32).toString('base64')}`,
        CATCH_UP_INTERVAL_MS: '200',
      });
      try {
        const readLate = reader(late);
        const known = await allDeckEvents();
        await waitFor(
          async () => ((await readLate((m) => m.count(ReceivedEventRow))) >= known.length ? true : undefined),
          WAIT_MS,
          'the start-up catch-up',
        );

        // Deck goes down: the tick fails, is logged, and nothing breaks.
        const listEvents = jest
          .spyOn(late.app.get(ApiDeckClient), 'listEvents')
          .mockRejectedValueOnce(new ApiError('deck_unavailable', 'Deck is not answering right now.'));
        await waitFor(
          async () => (await late.app.get(CatchUpService).status()).last_error ?? undefined,
          WAIT_MS,
          'a failed tick',
        );
        expectApiError(await request(late.url).get('/api/events'), 401, 'unauthenticated');

        // Deck is back: the next tick brings what happened meanwhile.
        const credential = await createCredential(sandbox, sourceId, 'user_good');
        const row = await waitFor(
          async () => (await readLate((m) => m.findOneBy(CredentialRow, { deck_id: credential.id }))) ?? undefined,
          WAIT_MS,
          'the next tick',
        );
        expect(row.status).toBe('unverified');
        expect((await late.app.get(CatchUpService).status()).last_error).toBeNull();
        expect(listEvents.mock.calls.length).toBeGreaterThan(1);
      } finally {
        await late.close();
      }
    });

    it('should answer runNow() with the failure when Deck cannot be reached at all', async () => {
      const port = await freePort();
      const orphan = await startApi({
        DECK_API_URL: `http://127.0.0.1:${port}/v2`,
        DECK_API_KEY: sandbox.apiKey,
        DECK_WEBHOOK_SECRET: `whsec_${randomBytes(32).toString('base64')}`,
        CATCH_UP_INTERVAL_MS: HOUR_MS,
      });
      try {
        const result = await orphan.app.get(CatchUpService).runNow();
        expect(result).toMatchObject({ ok: false, recovered: 0, error: expect.stringMatching(/Deck/) });
        const status = await orphan.app.get(CatchUpService).status();
        expect(status).toMatchObject({ last_run_at: null, watermark: null, last_error: expect.any(String) });
      } finally {
        await orphan.close();
      }
    });
  });
});
