import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import request from 'supertest';

import type { LiveChange } from '@app/contracts';
import { LIVE_NAMESPACE } from '@app/contracts';
import type { DeckEvent, EventType } from '@app/deck';
import { Transactor } from '@app/sqlite';

import { OperatorRow } from '../../apps/api/src/auth/operator.entity';
import { hashPassword } from '../../apps/api/src/auth/password';
import { newToken, tokenHash } from '../../apps/api/src/auth/session-cookie';
import { LinkTokenRow } from '../../apps/api/src/auth/link-token.entity';
import { LivePublisher } from '../../apps/api/src/changes/live-publisher';
import { LiveGateway } from '../../apps/api/src/live/live.gateway';
import { LiveService } from '../../apps/api/src/live/live.service';
import { MirrorService } from '../../apps/api/src/mirror/mirror.service';
import { ADMIN, ApiApp, startApi } from '../support/api-app';
import { connectLive, LiveClient, LiveClientOptions } from '../support/live-client';
import { MockDeck, newApiKey, startMockDeck, waitFor } from '../support/mock-deck-app';

const ORIGIN = 'http://dashboard.test';
const VIEWER = { email: 'viewer@deckhand.test', password: 'viewer-password-1' };
const WEBHOOK_SECRET = `whsec_${Buffer.from('live-spec-secret-0123456789abcdef').toString('base64')}`;

interface Session {
  /** `deckhand_session=…` */
  cookie: string;
  /** The session and XSRF cookies plus the header value, for cookie-authenticated writes. */
  xsrf: string;
  cookies: string;
}

describe('Live updates (socket.io /live)', () => {
  let deck: MockDeck;
  let api: ApiApp;
  let admin: Session;
  let viewer: Session;
  const clients: LiveClient[] = [];
  let eventNumber = 0;

  beforeAll(async () => {
    deck = await startMockDeck();
    api = await startApi({
      DECK_API_URL: `${deck.url}/v2`,
      DECK_API_KEY: newApiKey(),
      DECK_WEBHOOK_SECRET: WEBHOOK_SECRET,
      PUBLIC_URL: ORIGIN,
    });
    await api.app.get(Transactor).run(async (manager) => {
      await manager.insert(OperatorRow, {
        id: randomUUID(),
        email: VIEWER.email,
        password_hash: await hashPassword(VIEWER.password),
        role: 'viewer',
        created_at: new Date().toISOString(),
      });
    });
    admin = await login(ADMIN);
    viewer = await login(VIEWER);
  });

  afterEach(() => {
    for (const client of clients.splice(0)) {
      client.close();
    }
  });

  afterAll(async () => {
    await api.close();
    await deck.close();
  });

  async function login(credentials: { email: string; password: string }): Promise<Session> {
    const res = await request(api.url).post('/api/auth/login').send(credentials).expect(200);
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]);
    const cookie = cookies.find((c) => c.startsWith('deckhand_session='));
    const xsrf = cookies.find((c) => c.startsWith('XSRF-TOKEN='));
    if (!cookie || !xsrf) {
      throw new Error('Login set no session or XSRF cookie');
    }
    return { cookie, xsrf: decodeURIComponent(xsrf.slice('XSRF-TOKEN='.length)), cookies: cookies.join('; ') };
  }

  function live(options: Partial<LiveClientOptions> = {}): LiveClient {
    const client = connectLive(api.url, { origin: ORIGIN, ...options });
    clients.push(client);
    return client;
  }

  async function linkToken(externalId: string, expiresInMs = 30 * 60_000): Promise<string> {
    const token = newToken();
    await api.app.get(Transactor).run((manager) =>
      manager.insert(LinkTokenRow, {
        token_hash: tokenHash(token),
        external_id: externalId,
        source_id: null,
        created_by: null,
        expires_at: new Date(Date.now() + expiresInMs).toISOString(),
        created_at: new Date().toISOString(),
      }),
    );
    return token;
  }

  /** A Deck event, each a second after the previous, so the mirror applies them all in order. */
  function event(type: EventType, data: Record<string, unknown>): DeckEvent {
    eventNumber += 1;
    return {
      id: `evt_live_${eventNumber}`,
      object: 'event',
      type,
      data,
      created_at: new Date(Date.UTC(2030, 0, 1) + eventNumber * 1000).toISOString(),
    };
  }

  const credentialCreated = (deckId: string, externalId: string): DeckEvent =>
    event('credential.created', {
      id: deckId,
      source_id: 'src_live',
      external_id: externalId,
      auth_method: 'username_password',
      status: 'unverified',
    });

  const runEvent = (type: EventType, runId: string, credentialDeckId: string): DeckEvent =>
    event(type, { id: runId, credential_id: credentialDeckId, task_id: 'task_live' });

  /** Applies events through the real mirror in one transaction, without telling the sockets. */
  async function commit(events: DeckEvent[]): Promise<LiveChange[]> {
    const mirror = api.app.get(MirrorService);
    return api.app.get(Transactor).run(async (manager) => {
      const changes: LiveChange[] = [];
      for (const deckEvent of events) {
        changes.push(...(await mirror.applyEvent(manager, deckEvent)).changes);
      }
      return changes;
    });
  }

  /** As the webhook inbox does: commit, then publish. */
  async function produce(events: DeckEvent[]): Promise<LiveChange[]> {
    const changes = await commit(events);
    api.app.get(LivePublisher).publish(changes);
    return changes;
  }

  const newestSeq = (): Promise<number> => api.app.get(LiveService).newestSeq();
  const seqs = (changes: LiveChange[]): number[] => changes.map((c) => c.seq);
  const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  describe('handshake', () => {
    it('should refuse a connection with neither a session cookie nor a link token', async () => {
      const refusal = await live().refused();
      expect(refusal.message).toBe('unauthenticated');
      expect(refusal.data?.code).toBe('unauthenticated');
    });

    it('should refuse a forged session cookie', async () => {
      expect((await live({ cookie: 'deckhand_session=forged' }).refused()).message).toBe('unauthenticated');
    });

    it('should refuse a valid session cookie sent from another origin or with no Origin', async () => {
      expect((await live({ origin: 'https://evil.example', cookie: admin.cookie }).refused()).message).toBe(
        'origin not allowed',
      );
      expect((await live({ origin: `${ORIGIN}.evil.example`, cookie: admin.cookie }).refused()).message).toBe(
        'origin not allowed',
      );
      expect((await live({ origin: null, cookie: admin.cookie }).refused()).message).toBe('origin not allowed');
    });

    it('should refuse an unknown or expired link token', async () => {
      const unknown = await live({ auth: { link_token: newToken() } }).refused();
      expect(unknown).toMatchObject({ message: 'unauthenticated', data: { code: 'link_invalid' } });
      const expired = await linkToken('user_expired', -1000);
      const refusal = await live({ auth: { link_token: expired } }).refused();
      expect(refusal).toMatchObject({ message: 'unauthenticated', data: { code: 'link_invalid' } });
    });

    it('should not take a link token from the query string', async () => {
      const token = await linkToken('user_query');
      const socket = io(`${api.url}${LIVE_NAMESPACE}`, {
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        extraHeaders: { Origin: ORIGIN },
        query: { link_token: token },
      });
      try {
        const error = await new Promise<Error>((resolve, reject) => {
          socket.on('connect_error', resolve);
          socket.on('connect', () => reject(new Error('connected with a token in the URL')));
        });
        expect(error.message).toBe('unauthenticated');
      } finally {
        socket.disconnect();
      }
    });

    it('should refuse a last_seq that is not a non-negative integer', async () => {
      for (const lastSeq of [-1, 1.5, '3'] as unknown as number[]) {
        const refusal = await live({ cookie: admin.cookie, auth: { last_seq: lastSeq } }).refused();
        expect(refusal).toMatchObject({ data: { code: 'validation_failed' } });
      }
    });

    it('should accept a session cookie among other cookies, and a valid link token', async () => {
      await live({ cookie: `theme=dark; ${admin.cookie}; other=1` }).connected();
      await live({ auth: { link_token: await linkToken('user_ok') } }).connected();
    });
  });

  describe('delivery', () => {
    it('should send every change to operators and viewers, in increasing seq order', async () => {
      const operator = await live({ cookie: admin.cookie }).connected();
      const reader = await live({ cookie: viewer.cookie }).connected();
      const produced = [
        ...(await produce([
          credentialCreated('cred_all_a', 'user_all_a'),
          credentialCreated('cred_all_b', 'user_all_b'),
        ])),
        ...(await produce([runEvent('task_run.running', 'run_all_a', 'cred_all_a')])),
        ...(await produce([runEvent('task_run.interaction_required', 'run_all_a', 'cred_all_a')])),
        ...(await produce([event('credential.verified', { id: 'cred_all_b' })])),
      ];
      expect(produced.map((c) => c.kind)).toEqual([
        'credential',
        'credential',
        'task_run',
        'task_run',
        'interaction',
        'credential',
      ]);
      for (const client of [operator, reader]) {
        await client.waitForChanges(produced.length);
        expect(client.changes).toEqual(produced);
        const received = seqs(client.changes);
        expect(received).toEqual([...received].sort((a, b) => a - b));
        expect(new Set(received).size).toBe(received.length);
      }
    });

    it("should send a connect page only its own credential's changes", async () => {
      const mine = await live({ auth: { link_token: await linkToken('user_mine') } }).connected();
      const operator = await live({ cookie: admin.cookie }).connected();
      const produced = [
        ...(await produce([
          credentialCreated('cred_mine', 'user_mine'),
          credentialCreated('cred_theirs', 'user_theirs'),
        ])),
        ...(await produce([runEvent('task_run.running', 'run_theirs', 'cred_theirs')])),
        ...(await produce([runEvent('task_run.running', 'run_mine', 'cred_mine')])),
        ...(await produce([runEvent('task_run.interaction_required', 'run_theirs', 'cred_theirs')])),
        ...(await produce([runEvent('task_run.interaction_required', 'run_mine', 'cred_mine')])),
        ...(await produce([event('credential.invalid', { id: 'cred_theirs' })])),
      ];
      const mineId = produced[0].credential_id;
      const own = produced.filter((c) => c.credential_id === mineId);
      expect(own.length).toBeGreaterThanOrEqual(4);
      // The operator's copy of the last change (someone else's) shows everything has been routed.
      await operator.waitForSeq(produced[produced.length - 1].seq);
      await mine.waitForSeq(own[own.length - 1].seq);
      expect(mine.changes).toEqual(own);
      expect(JSON.stringify(mine.changes)).not.toContain('user_theirs');
    });

    it('should scope a connect page to its link even when an operator is signed in in the same browser', async () => {
      const page = await live({
        cookie: admin.cookie,
        auth: { link_token: await linkToken('user_linked') },
      }).connected();
      const operator = await live({ cookie: admin.cookie }).connected();
      const produced = [
        ...(await produce([credentialCreated('cred_linked', 'user_linked')])),
        ...(await produce([credentialCreated('cred_other', 'user_other')])),
      ];
      await operator.waitForSeq(produced[1].seq);
      await page.waitForSeq(produced[0].seq);
      expect(page.changes).toEqual([produced[0]]);
    });
  });

  describe('catch-up', () => {
    it('should replay exactly the missed changes, in order, when a client reconnects with last_seq', async () => {
      const first = await live({ cookie: admin.cookie }).connected();
      const seen = await produce([
        credentialCreated('cred_gap_1', 'user_gap'),
        credentialCreated('cred_gap_2', 'user_gap'),
      ]);
      await first.waitForChanges(seen.length);
      const lastSeq = first.changes[first.changes.length - 1].seq;
      first.close();

      const missed = [
        ...(await produce([runEvent('task_run.running', 'run_gap', 'cred_gap_1')])),
        ...(await produce([runEvent('task_run.completed', 'run_gap', 'cred_gap_1')])),
        ...(await produce([credentialCreated('cred_gap_3', 'user_gap')])),
      ];
      const again = await live({ cookie: admin.cookie, auth: { last_seq: lastSeq } }).connected();
      await again.waitForChanges(missed.length);
      const after = await produce([credentialCreated('cred_gap_4', 'user_gap')]);
      await again.waitForSeq(after[0].seq);
      expect(again.changes).toEqual([...missed, ...after]);
      expect(again.resyncs).toEqual([]);
    });

    it('should tell a new client where the log stands, so a drop before its first change loses nothing', async () => {
      const before = await produce([credentialCreated('cred_pos_1', 'user_pos')]);
      const fresh = await live({ cookie: admin.cookie }).connected();
      await waitFor(async () => Promise.resolve(fresh.positions[0]), 5000, 'a position');
      expect(fresh.positions).toEqual([{ seq: before[0].seq }]);
      expect(fresh.changes).toEqual([]);
      fresh.close();

      const missed = await produce([credentialCreated('cred_pos_2', 'user_pos')]);
      const again = await live({ cookie: admin.cookie, auth: { last_seq: fresh.positions[0].seq } }).connected();
      await again.waitForSeq(missed[0].seq);
      expect(again.changes).toEqual(missed);
      expect(again.positions).toEqual([]);
    });

    it('should lose and repeat nothing when changes keep coming while clients catch up', async () => {
      // Credentials the live feed has not seen, so routing each run's change waits on a database lookup.
      await commit(Array.from({ length: 40 }, (_, i) => credentialCreated(`cred_storm_${i}`, `user_storm_${i % 3}`)));
      const start = await newestSeq();
      const producing = (async () => {
        for (let i = 0; i < 40; i++) {
          await produce([runEvent('task_run.running', `run_storm_${i}`, `cred_storm_${i}`)]);
        }
      })();
      const catching: LiveClient[] = [];
      for (let i = 0; i < 6; i++) {
        await pause(10);
        catching.push(live({ cookie: admin.cookie, auth: { last_seq: start } }));
      }
      await producing;
      const end = await newestSeq();
      for (const client of catching) {
        await client.waitForSeq(end);
        expect(seqs(client.changes)).toEqual(range(start + 1, end));
      }
    });

    it('should not send twice a change that was replayed before it was published', async () => {
      const start = await newestSeq();
      // Committed but not yet published: the backlog carries it.
      const late = await commit([credentialCreated('cred_late', 'user_late')]);
      const client = await live({ cookie: admin.cookie, auth: { last_seq: start } }).connected();
      await client.waitForSeq(late[0].seq);
      api.app.get(LivePublisher).publish(late);
      const next = await produce([credentialCreated('cred_after_late', 'user_late')]);
      await client.waitForSeq(next[0].seq);
      expect(seqs(client.changes)).toEqual([late[0].seq, next[0].seq]);
    });

    it('should replay to a connect page only its own missed changes', async () => {
      const token = await linkToken('user_replay');
      const start = await newestSeq();
      const produced = [
        ...(await produce([
          credentialCreated('cred_replay', 'user_replay'),
          credentialCreated('cred_other', 'user_other'),
        ])),
        ...(await produce([runEvent('task_run.running', 'run_other', 'cred_other')])),
        ...(await produce([runEvent('task_run.running', 'run_replay', 'cred_replay')])),
      ];
      const credentialId = produced[0].credential_id;
      const own = produced.filter((c) => c.credential_id === credentialId);
      expect(own).toHaveLength(2);
      const client = await live({ auth: { link_token: token, last_seq: start } }).connected();
      await client.waitForChanges(own.length);
      const marker = await produce([event('credential.verified', { id: 'cred_replay' })]);
      await client.waitForSeq(marker[0].seq);
      expect(client.changes).toEqual([...own, ...marker]);
    });

    it('should send resync instead of more than 500 missed changes, and replay exactly 500', async () => {
      const start = await newestSeq();
      await produce(Array.from({ length: 501 }, (_, i) => credentialCreated(`cred_bulk_${i}`, 'user_bulk')));
      const end = await newestSeq();
      expect(end - start).toBe(501);

      const behind = await live({ cookie: admin.cookie, auth: { last_seq: start } }).connected();
      await waitFor(async () => Promise.resolve(behind.resyncs.length > 0 ? true : undefined), 5000, 'a resync');
      const exactly = await live({ cookie: admin.cookie, auth: { last_seq: start + 1 } }).connected();
      await exactly.waitForSeq(end, 10_000);
      expect(seqs(exactly.changes)).toEqual(range(start + 2, end));
      expect(exactly.resyncs).toEqual([]);

      const next = await produce([credentialCreated('cred_bulk_next', 'user_bulk')]);
      await behind.waitForSeq(next[0].seq);
      expect(behind.resyncs).toEqual([{ seq: end }]);
      expect(behind.changes).toEqual(next);
    });

    it('should tell a client whose last_seq is ahead of the log to resync', async () => {
      const end = await newestSeq();
      const client = await live({ cookie: admin.cookie, auth: { last_seq: end + 1000 } }).connected();
      await waitFor(async () => Promise.resolve(client.resyncs.length > 0 ? true : undefined), 5000, 'a resync');
      expect(client.resyncs).toEqual([{ seq: end }]);
    });
  });

  describe('ping', () => {
    it('should acknowledge a ping with the newest seq', async () => {
      const client = await live({ auth: { link_token: await linkToken('user_ping') } }).connected();
      const produced = await produce([credentialCreated('cred_ping', 'user_ping')]);
      expect(await client.ping()).toEqual({ seq: produced[produced.length - 1].seq });
    });
  });

  describe('revocation', () => {
    it('should disconnect a socket whose session was logged out or whose link expired', async () => {
      const session = await login(ADMIN);
      const operator = await live({ cookie: session.cookie }).connected();
      const token = await linkToken('user_revoked');
      const endUser = await live({ auth: { link_token: token } }).connected();
      const stays = await live({ cookie: admin.cookie }).connected();

      await request(api.url)
        .post('/api/auth/logout')
        .set('Cookie', session.cookies)
        .set('X-XSRF-TOKEN', session.xsrf)
        .expect(204);
      await api.app
        .get(Transactor)
        .run((manager) =>
          manager.update(LinkTokenRow, { token_hash: tokenHash(token) }, { expires_at: new Date(0).toISOString() }),
        );
      await api.app.get(LiveGateway).recheck();

      await waitFor(async () => Promise.resolve(operator.disconnectReason ?? undefined), 5000, 'a disconnect');
      await waitFor(async () => Promise.resolve(endUser.disconnectReason ?? undefined), 5000, 'a disconnect');
      expect(operator.disconnectReason).toBe('io server disconnect');
      expect(endUser.disconnectReason).toBe('io server disconnect');
      expect(stays.socket.connected).toBe(true);
      expect((await live({ cookie: session.cookie }).refused()).message).toBe('unauthenticated');
    });
  });
});
