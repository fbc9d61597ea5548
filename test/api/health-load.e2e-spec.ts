import type { ApiErrorBody } from '@app/contracts';

import { DeckClient } from '../../apps/api/src/deck/deck-client.service';
import { HEALTH_LIMIT } from '../../apps/api/src/health/health.controller';
import { ApiApp, startApi } from '../support/api-app';
import { MockDeck, newApiKey, startMockDeck } from '../support/mock-deck-app';
import { webhookSecret } from '../support/connect-flow';
import { requestFrom } from './from-address';

/** /health is public: a flood of it must neither spend Deck's request allowance nor go unthrottled. */
describe('GET /health under load', () => {
  let deck: MockDeck;
  let api: ApiApp;

  beforeAll(async () => {
    deck = await startMockDeck({ MOCK_DECK_RATE_LIMIT: '0' });
    api = await startApi({
      DECK_API_URL: `${deck.url}/v2`,
      DECK_API_KEY: newApiKey(),
      DECK_WEBHOOK_SECRET: webhookSecret(),
    });
  });

  afterAll(async () => {
    await api?.close();
    await deck?.close();
  });

  it('should answer 300 concurrent calls with at most one Deck request per check', async () => {
    const raw = jest.spyOn(api.app.get(DeckClient), 'raw');
    try {
      // Spread over ten client addresses, so the per-address limit is not what is tested here.
      const answers = await Promise.all(
        Array.from({ length: 300 }, (_, i) => requestFrom(`127.0.1.${(i % 10) + 1}`, api.url, '/health')),
      );
      expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 300 }, () => 200));
      expect(answers[0].body).toMatchObject({ status: 'ok', details: { deck: { status: 'up' } } });
      // The reachability check; no destination is registered, so that check asks Deck nothing.
      expect(raw.mock.calls.length).toBeLessThanOrEqual(2);
      expect(raw.mock.calls.length).toBeGreaterThanOrEqual(1);
    } finally {
      raw.mockRestore();
    }
  });

  it('should answer 429 in the error shape, with Retry-After, once one address goes over its limit', async () => {
    const from = '127.0.2.1';
    const answers = await Promise.all(
      Array.from({ length: HEALTH_LIMIT.limit + 20 }, () => requestFrom(from, api.url, '/health')),
    );
    const throttled = answers.filter((a) => a.status === 429);
    expect(throttled).toHaveLength(20);
    expect(throttled[0].body).toMatchObject({ statusCode: 429, code: 'rate_limited', request_id: expect.any(String) });
    expect((throttled[0].body as ApiErrorBody).message).toEqual(expect.any(String));
    expect(Number(throttled[0].headers['retry-after'])).toBeGreaterThan(0);
    // Another address is still served.
    expect((await requestFrom('127.0.2.2', api.url, '/health')).status).toBe(200);
  });
});
