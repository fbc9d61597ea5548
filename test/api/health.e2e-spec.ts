import { createServer, Server, Socket } from 'node:net';
import request from 'supertest';

import { Transactor } from '@app/sqlite';

import { Clock } from '../../apps/api/src/common/clock';
import { DECK_CHECK_CACHE_MS } from '../../apps/api/src/health/deck-health.indicator';
import { SettingRow } from '../../apps/api/src/settings/setting.entity';
import { ApiApp, startApi } from '../support/api-app';
import { deckClient, DeckClient, MockDeck, newApiKey, startMockDeck } from '../support/mock-deck-app';
import { createWebhookDestination } from '../support/sandbox-deliveries';

const WEBHOOK_SECRET = `whsec_${Buffer.from('health-spec-secret-0123456789abcd').toString('base64')}`;
const CATCH_UP_INTERVAL_MS = 60_000;

interface HealthBody {
  status: 'ok' | 'error';
  info: Record<string, Record<string, unknown>>;
  error: Record<string, Record<string, unknown>>;
  details: Record<string, { status: 'up' | 'down' } & Record<string, unknown>>;
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') {
    throw new Error('No port');
  }
  return address.port;
}

describe('GET /health', () => {
  let deck: MockDeck;
  let sandbox: DeckClient;
  let api: ApiApp;

  beforeAll(async () => {
    deck = await startMockDeck();
    sandbox = deckClient(deck, newApiKey());
    api = await startApi({
      DECK_API_URL: `${deck.url}/v2`,
      DECK_API_KEY: sandbox.apiKey,
      // Given a secret, the api registers no destination of its own: the tests decide which one it knows.
      DECK_WEBHOOK_SECRET: WEBHOOK_SECRET,
      CATCH_UP_INTERVAL_MS: String(CATCH_UP_INTERVAL_MS),
    });
  });

  afterAll(async () => {
    await api.close();
    await deck.close();
  });

  async function rememberDestination(id: string | null): Promise<void> {
    await api.app.get(Transactor).run(async (manager) => {
      await manager.delete(SettingRow, { key: 'webhook.destination_id' });
      if (id !== null) {
        await manager.insert(SettingRow, { key: 'webhook.destination_id', value: id });
      }
    });
  }

  function expectNoSecrets(body: unknown): void {
    const text = JSON.stringify(body);
    expect(text).not.toContain(sandbox.apiKey);
    expect(text).not.toContain('whsec_');
  }

  it('should answer 200 without a login when everything is up, reporting an unregistered destination', async () => {
    await rememberDestination(null);
    const res = await request(api.url).get('/health').expect(200);
    const body = res.body as HealthBody;
    expect(body.status).toBe('ok');
    expect(body.error).toEqual({});
    expect(body.details).toMatchObject({
      database: { status: 'up' },
      deck: { status: 'up' },
      webhook_destination: { status: 'up', message: 'not registered' },
      catch_up: { status: 'up', max_lag_ms: 3 * CATCH_UP_INTERVAL_MS },
    });
    expect(res.headers['cache-control']).toContain('no-store');
    expectNoSecrets(body);
  });

  it('should report the registered destination active, and answer 503 once Deck has switched it off', async () => {
    // Deck's answers serve /health for a few seconds: each of these calls moves the api's clock past the last one's.
    let skippedMs = 0;
    const healthAfterCache = async (status: number): Promise<HealthBody> => {
      skippedMs += DECK_CHECK_CACHE_MS;
      const later = jest.spyOn(api.app.get(Clock), 'nowMs').mockImplementation(() => Date.now() + skippedMs);
      try {
        return (await request(api.url).get('/health').expect(status)).body as HealthBody;
      } finally {
        later.mockRestore();
      }
    };
    const destination = await createWebhookDestination(sandbox, `${api.url}/webhooks/deck`);
    await rememberDestination(destination.id);

    const up = (await request(api.url).get('/health').expect(200)).body as HealthBody;
    expect(up.details.webhook_destination).toEqual({ status: 'up', destination_status: 'active' });
    expectNoSecrets(up);

    await sandbox.patch(`/v2/event-destinations/${destination.id}`, { status: 'inactive' }).expect(200);
    const down = await healthAfterCache(503);
    expect(down.status).toBe('error');
    expect(down.error).toEqual({ webhook_destination: { status: 'down', destination_status: 'inactive' } });
    expect(down.info).toMatchObject({ database: { status: 'up' }, deck: { status: 'up' } });
    expectNoSecrets(down);

    await sandbox.patch(`/v2/event-destinations/${destination.id}`, { status: 'active' }).expect(200);
    await healthAfterCache(200);
  });

  it('should answer 503 when Deck no longer knows the registered destination', async () => {
    await rememberDestination('evtd_gone');
    const body = (await request(api.url).get('/health').expect(503)).body as HealthBody;
    expect(body.error).toEqual({ webhook_destination: { status: 'down', message: 'Deck answered HTTP 404' } });
    await rememberDestination(null);
  });

  it('should answer 503 when catch-up has not run for three of its intervals', async () => {
    const clock = api.app.get(Clock);
    const now = clock.nowMs();
    const lagging = jest.spyOn(clock, 'nowMs').mockReturnValue(now + 3 * CATCH_UP_INTERVAL_MS + 60_000);
    try {
      const body = (await request(api.url).get('/health').expect(503)).body as HealthBody;
      expect(Object.keys(body.error)).toEqual(['catch_up']);
      expect(body.error.catch_up).toMatchObject({ status: 'down', max_lag_ms: 3 * CATCH_UP_INTERVAL_MS });
      expect(body.error.catch_up.lag_ms).toBeGreaterThanOrEqual(3 * CATCH_UP_INTERVAL_MS);
    } finally {
      lagging.mockRestore();
    }
    await request(api.url).get('/health').expect(200);
  });

  describe('when Deck does not answer', () => {
    let offline: ApiApp;
    let key: string;

    beforeAll(async () => {
      key = newApiKey();
      offline = await startApi({
        DECK_API_URL: `http://127.0.0.1:${await closedPort()}/v2`,
        DECK_API_KEY: key,
        DECK_WEBHOOK_SECRET: WEBHOOK_SECRET,
      });
    });

    afterAll(async () => {
      await offline.close();
    });

    it('should answer 503 naming Deck, with the database still up', async () => {
      const body = (await request(offline.url).get('/health').expect(503)).body as HealthBody;
      expect(body.status).toBe('error');
      expect(body.error).toEqual({ deck: { status: 'down', message: 'Deck could not be reached' } });
      expect(body.info).toMatchObject({
        database: { status: 'up' },
        webhook_destination: { status: 'up', message: 'not registered' },
      });
      expect(JSON.stringify(body)).not.toContain(key);
    });
  });

  describe('when Deck accepts connections but never answers', () => {
    let silent: Server;
    const sockets = new Set<Socket>();
    let stuck: ApiApp;

    beforeAll(async () => {
      silent = createServer((socket) => {
        sockets.add(socket);
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const address = silent.address();
      if (address === null || typeof address === 'string') {
        throw new Error('No port');
      }
      stuck = await startApi({
        DECK_API_URL: `http://127.0.0.1:${address.port}/v2`,
        DECK_API_KEY: newApiKey(),
        DECK_WEBHOOK_SECRET: WEBHOOK_SECRET,
      });
    });

    afterAll(async () => {
      // Hang-ups first, so nothing in the api is still waiting on Deck when it shuts down.
      for (const socket of sockets) {
        socket.destroy();
      }
      await new Promise<void>((resolve) => silent.close(() => resolve()));
      await stuck.close();
    });

    it('should give up on Deck within its 2 s budget and answer 503', async () => {
      const started = Date.now();
      const body = (await request(stuck.url).get('/health').expect(503)).body as HealthBody;
      const elapsed = Date.now() - started;
      expect(body.error).toEqual({ deck: { status: 'down', message: 'no answer within 2000 ms' } });
      expect(elapsed).toBeGreaterThanOrEqual(1900);
      expect(elapsed).toBeLessThan(4000);
    });
  });
});
