import { randomBytes } from 'node:crypto';
import request from 'supertest';

import type {
  ConsoleInfoView,
  Page,
  ReceivedEventDetail,
  ReceivedEventView,
  SourceCountsView,
  StatusChangeSeries,
} from '@app/contracts';
import type { DeckEvent, DeckSource, DeckList } from '@app/deck';

import { SETTING_KEYS, SettingsService } from '../../apps/api/src/settings/settings.service';
import { InboxService } from '../../apps/api/src/webhooks/inbox.service';
import { ApiApp, freePort, loginAs, OperatorClient, startApi } from '../support/api-app';
import { expectApiError } from '../support/api-envelope';
import {
  addOperator,
  connectPage,
  ConnectPair,
  issueLink,
  startConnectPair,
  webhookSecret,
} from '../support/connect-flow';

const HOUR = 3_600_000;
const newId = (prefix: string): string => `${prefix}_${randomBytes(12).toString('hex')}`;
const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();
const hourOf = (iso: string): string => `${iso.slice(0, 13)}:00:00.000Z`;

function deckEvent(type: string, data: Record<string, unknown>, createdAt: string): DeckEvent {
  return { id: newId('evt'), object: 'event', type, data, created_at: createdAt } as DeckEvent;
}

function credentialData(id: string, status: string, sourceId: string): Record<string, unknown> {
  return {
    id,
    object: 'credential',
    status,
    source_id: sourceId,
    external_id: 'console-suite',
    auth_method: 'username_password',
    auth_credentials: { username: 'someone@example.com' },
  };
}

/** Events enter through the same inbox as webhooks and catch-up; this suite is about what is read back. */
async function receive(api: ApiApp, ...events: DeckEvent[]): Promise<void> {
  for (const event of events) {
    await api.app.get(InboxService).receive(event, 'catch_up', null);
  }
}

describe('Console API', () => {
  let pair: ConnectPair;
  let admin: OperatorClient;
  let viewer: OperatorClient;
  /** An api whose Deck is not the sandbox and does not answer at all. */
  let offline: ApiApp;
  let offlineAdmin: OperatorClient;

  beforeAll(async () => {
    pair = await startConnectPair();
    admin = await loginAs(pair.api);
    viewer = await addOperator(pair.api, 'viewer');
    offline = await startApi({
      DECK_API_URL: `http://127.0.0.1:${await freePort()}/v2`,
      DECK_SANDBOX: 'false',
      DECK_API_KEY: 'sk_test_console_suite_key',
      DECK_WEBHOOK_SECRET: webhookSecret(),
      CATCH_UP_INTERVAL_MS: '3600000',
    });
    offlineAdmin = await loginAs(offline);
  });

  afterAll(async () => {
    await offline?.close();
    await pair?.close();
  });

  describe('GET /api/console', () => {
    it('should say the sandbox is there, with the destination the api registered once it has one', async () => {
      expect((await viewer.get('/api/console').expect(200)).body).toEqual({
        sandbox: true,
        webhook_destination_id: null,
      } satisfies ConsoleInfoView);
      await pair.api.app.get(SettingsService).set(SETTING_KEYS.webhookDestinationId, 'evtd_console_suite');
      expect((await viewer.get('/api/console').expect(200)).body).toEqual({
        sandbox: true,
        webhook_destination_id: 'evtd_console_suite',
      } satisfies ConsoleInfoView);
    });

    it('should name no destination when Deck is not the sandbox, even one remembered from before', async () => {
      await offline.app.get(SettingsService).set(SETTING_KEYS.webhookDestinationId, 'evtd_from_before');
      expect((await offlineAdmin.get('/api/console').expect(200)).body).toEqual({
        sandbox: false,
        webhook_destination_id: null,
      } satisfies ConsoleInfoView);
    });

    it('should need a login', async () => {
      expectApiError(await request(pair.api.url).get('/api/console'), 401, 'unauthenticated');
    });
  });

  describe('GET /api/events', () => {
    const credential = newId('cred');
    const run = newId('trun');
    let created: DeckEvent;
    let completed: DeckEvent;
    let source: DeckEvent;

    beforeAll(async () => {
      created = deckEvent('credential.created', credentialData(credential, 'unverified', 'src_events'), ago(3 * HOUR));
      completed = deckEvent(
        'task_run.completed',
        { id: run, object: 'task_run', task_id: 'task_1', credential_id: credential, status: 'completed' },
        ago(2 * HOUR),
      );
      source = deckEvent('source.updated', { id: 'src_events', object: 'source' }, ago(HOUR));
      await receive(pair.api, created, completed, source);
    });

    it("should carry each event's Deck credential: its own object, or the one its data names", async () => {
      const page = (await viewer.get('/api/events?limit=100').expect(200)).body as Page<ReceivedEventView>;
      const byId = new Map(page.data.map((e) => [e.id, e]));
      expect(byId.get(created.id)).toMatchObject({ object_id: credential, deck_credential_id: credential });
      expect(byId.get(completed.id)).toMatchObject({ object_id: run, deck_credential_id: credential });
      expect(byId.get(source.id)).toMatchObject({ object_id: 'src_events', deck_credential_id: null });
      expect(byId.get(created.id)).not.toHaveProperty('payload');
    });

    it('should filter by deck_credential_id, with the other filters', async () => {
      const all = (await viewer.get(`/api/events?deck_credential_id=${credential}`).expect(200))
        .body as Page<ReceivedEventView>;
      expect(all.data.map((e) => e.id).sort()).toEqual([created.id, completed.id].sort());
      const runs = (
        await viewer.get(`/api/events?deck_credential_id=${credential}&type=task_run.completed`).expect(200)
      ).body as Page<ReceivedEventView>;
      expect(runs.data.map((e) => e.id)).toEqual([completed.id]);
      const none = (await viewer.get(`/api/events?deck_credential_id=${newId('cred')}`).expect(200))
        .body as Page<ReceivedEventView>;
      expect(none.data).toEqual([]);
    });

    it('should refuse an empty or repeated deck_credential_id', async () => {
      expectApiError(
        await viewer.get('/api/events?deck_credential_id='),
        400,
        'validation_failed',
        'deck_credential_id',
      );
      expectApiError(
        await viewer.get(`/api/events?deck_credential_id=${credential}&deck_credential_id=${credential}`),
        400,
        'validation_failed',
        'deck_credential_id',
      );
    });

    describe('GET /api/events/:id', () => {
      it('should answer the event with the payload as received', async () => {
        const detail = (await viewer.get(`/api/events/${completed.id}`).expect(200)).body as ReceivedEventDetail;
        expect(detail).toMatchObject({
          id: completed.id,
          type: 'task_run.completed',
          deck_credential_id: credential,
          via: 'catch_up',
          outcome: expect.any(String),
        });
        expect(detail.payload).toEqual(completed);
      });

      it('should answer 404 not_found for an event it does not have', async () => {
        expectApiError(await viewer.get(`/api/events/${newId('evt')}`), 404, 'not_found');
        expectApiError(await viewer.get(`/api/events/${'x'.repeat(300)}`), 404, 'not_found');
      });
    });
  });

  describe('GET /api/events/status-changes', () => {
    /** The hour and field each counted event should land in: the day's three, then yesterday's. */
    const counted: { hour: string; field: 'verified' | 'invalid' }[] = [];

    beforeAll(async () => {
      const verifiedEarly = deckEvent(
        'credential.verified',
        credentialData(newId('cred'), 'verified', 'src_s'),
        ago(HOUR),
      );
      const invalidLater = deckEvent(
        'credential.invalid',
        credentialData(newId('cred'), 'invalid', 'src_s'),
        ago(5 * HOUR),
      );
      const yesterday = deckEvent(
        'credential.verified',
        credentialData(newId('cred'), 'verified', 'src_s'),
        ago(30 * HOUR),
      );
      const lastMonth = deckEvent(
        'credential.invalid',
        credentialData(newId('cred'), 'invalid', 'src_s'),
        ago(30 * 24 * HOUR),
      );
      // Older than what the mirror has for its credential: stale, so it changed nothing and is not counted.
      const flipped = newId('cred');
      const current = deckEvent('credential.invalid', credentialData(flipped, 'invalid', 'src_s'), ago(2 * HOUR));
      const stale = deckEvent('credential.verified', credentialData(flipped, 'verified', 'src_s'), ago(3 * HOUR));
      await receive(pair.api, verifiedEarly, invalidLater, yesterday, lastMonth, current, stale);
      // A second delivery of the same event is one row.
      await receive(pair.api, verifiedEarly);
      counted.push(
        { hour: hourOf(verifiedEarly.created_at), field: 'verified' },
        { hour: hourOf(invalidLater.created_at), field: 'invalid' },
        { hour: hourOf(current.created_at), field: 'invalid' },
        { hour: hourOf(yesterday.created_at), field: 'verified' },
      );
    });

    const totals = (series: StatusChangeSeries) => ({
      verified: series.buckets.reduce((n, b) => n + b.verified, 0),
      invalid: series.buckets.reduce((n, b) => n + b.invalid, 0),
    });

    function expectHourly(series: StatusChangeSeries, hours: number): void {
      expect(series.buckets).toHaveLength(hours);
      const starts = series.buckets.map((b) => Date.parse(b.hour));
      starts.forEach((start, i) => {
        expect(new Date(start).toISOString()).toBe(series.buckets[i].hour);
        expect(start % HOUR).toBe(0);
        if (i > 0) {
          expect(start - starts[i - 1]).toBe(HOUR);
        }
      });
      // The window ends with the current hour.
      expect(Date.now() - starts[starts.length - 1]).toBeLessThan(2 * HOUR);
      expect(Date.now() - starts[starts.length - 1]).toBeGreaterThanOrEqual(0);
    }

    it('should answer the last 24 hours by default, oldest first, zeros included', async () => {
      const series = (await viewer.get('/api/events/status-changes').expect(200)).body as StatusChangeSeries;
      expect(series.window).toBe('day');
      expectHourly(series, 24);
      expect(totals(series)).toEqual({ verified: 1, invalid: 2 });
      for (const { hour, field } of counted.slice(0, 3)) {
        expect(series.buckets.find((b) => b.hour === hour)?.[field]).toBeGreaterThanOrEqual(1);
      }
      expect(series.buckets.filter((b) => b.verified === 0 && b.invalid === 0).length).toBeGreaterThanOrEqual(20);
    });

    it('should answer 168 hours for window=week, yesterday included and last month not', async () => {
      const series = (await viewer.get('/api/events/status-changes?window=week').expect(200))
        .body as StatusChangeSeries;
      expect(series.window).toBe('week');
      expectHourly(series, 168);
      expect(totals(series)).toEqual({ verified: 2, invalid: 2 });
      const yesterday = counted[3];
      expect(series.buckets.find((b) => b.hour === yesterday.hour)?.verified).toBe(1);
    });

    it('should refuse another window', async () => {
      expectApiError(await viewer.get('/api/events/status-changes?window=month'), 400, 'validation_failed', 'window');
    });
  });

  describe('GET /api/credentials/by-source', () => {
    let named: DeckSource;

    beforeAll(async () => {
      const sources = (await pair.sandbox.get('/v2/sources').expect(200)).body as DeckList<DeckSource>;
      named = sources.data[0];
      const statuses = ['verified', 'verified', 'invalid', 'unverified'];
      await receive(
        pair.api,
        ...statuses.map((status) =>
          deckEvent(`credential.${status}`, credentialData(newId('cred'), status, named.id), ago(HOUR)),
        ),
        deckEvent('credential.deleted', credentialData(newId('cred'), 'deleted', 'src_nowhere'), ago(HOUR)),
      );
    });

    it('should count each source by status, all four statuses, with the names Deck has', async () => {
      const list = (await viewer.get('/api/credentials/by-source').expect(200)).body as SourceCountsView[];
      expect(list.find((s) => s.source_id === named.id)).toEqual({
        source_id: named.id,
        name: named.name,
        total: 4,
        counts: { unverified: 1, verified: 2, invalid: 1, deleted: 0 },
      });
      expect(list.find((s) => s.source_id === 'src_nowhere')).toEqual({
        source_id: 'src_nowhere',
        name: null,
        total: 1,
        counts: { unverified: 0, verified: 0, invalid: 0, deleted: 1 },
      });
      const totals = list.map((s) => s.total);
      expect(totals).toEqual([...totals].sort((a, b) => b - a));
    });

    it('should still answer, without names, when Deck does not', async () => {
      await receive(
        offline,
        deckEvent('credential.verified', credentialData(newId('cred'), 'verified', 'src_offline'), ago(HOUR)),
      );
      const list = (await offlineAdmin.get('/api/credentials/by-source').expect(200)).body as SourceCountsView[];
      expect(list).toEqual([
        {
          source_id: 'src_offline',
          name: null,
          total: 1,
          counts: { unverified: 0, verified: 1, invalid: 0, deleted: 0 },
        },
      ]);
    });

    it('should be for operators only, not connect links', async () => {
      const link = await issueLink(admin, 'by-source-link');
      expectApiError(await connectPage(pair.api, link.token).get('/api/credentials/by-source'), 401, 'unauthenticated');
      expectApiError(await request(pair.api.url).get('/api/credentials/by-source'), 401, 'unauthenticated');
    });
  });
});
