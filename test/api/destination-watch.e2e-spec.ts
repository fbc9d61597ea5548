import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';

import type { DeckEventDestination } from '@app/deck';

import { CredentialRow } from '../../apps/api/src/mirror/credential.entity';
import { DestinationWatch } from '../../apps/api/src/webhooks/destination-watch.service';
import { WebhookRegistration } from '../../apps/api/src/webhooks/webhook-registration.service';
import { freePort, startApi } from '../support/api-app';
import { createCredential, seeded } from '../support/deck-fixtures';
import { deckClient, DeckClient, MockDeck, newApiKey, startMockDeck, waitFor } from '../support/mock-deck-app';
import { createWebhookDestination } from '../support/sandbox-deliveries';

const WAIT_MS = 10_000;
const HOUR_MS = '3600000';

describe('A webhook destination Deck switched off', () => {
  let deck: MockDeck;

  beforeAll(async () => {
    deck = await startMockDeck({ MOCK_DECK_RATE_LIMIT: '0' });
  });

  afterAll(async () => {
    await deck?.close();
  });

  async function destination(sandbox: DeckClient, id: string): Promise<DeckEventDestination> {
    return (await sandbox.get(`/v2/event-destinations/${id}`).expect(200)).body as DeckEventDestination;
  }

  it('should be switched back on by the api against the sandbox, and what it missed caught up', async () => {
    const sandbox = deckClient(deck, newApiKey());
    const { sourceId } = await seeded(sandbox);
    const port = await freePort();
    const api = await startApi({
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DECK_API_URL: `${deck.url}/v2`,
      DECK_API_KEY: sandbox.apiKey,
      CATCH_UP_INTERVAL_MS: HOUR_MS,
      DESTINATION_CHECK_INTERVAL_MS: '200',
    });
    try {
      const id = await waitFor(
        () => Promise.resolve(api.app.get(WebhookRegistration).status().destination_id ?? undefined),
        WAIT_MS,
        'the api to register its destination',
      );
      await sandbox.patch(`/v2/event-destinations/${id}`, { status: 'inactive' }).expect(200);
      // Created while nothing is delivered: only catch-up can bring it.
      const missed = await createCredential(sandbox, sourceId, 'user_good');

      // The api counts a reactivation once Deck has answered it, a moment after Deck shows it active.
      await waitFor(
        () => Promise.resolve(api.app.get(DestinationWatch).status().reactivations > 0 ? true : undefined),
        WAIT_MS,
        'the api to switch its destination back on',
      );
      expect((await destination(sandbox, id)).status).toBe('active');
      expect(api.app.get(DestinationWatch).status()).toMatchObject({ destination_id: id, reactivations: 1 });
      expect((await request(api.url).get('/health')).body.details.webhook_destination).toMatchObject({
        status: 'up',
        destination_status: 'active',
        reactivations: 1,
      });
      await waitFor(
        async () =>
          (await api.app.get(DataSource).manager.findOneBy(CredentialRow, { deck_id: missed.id })) ?? undefined,
        WAIT_MS,
        'the credential created meanwhile',
      );
    } finally {
      await api.close();
    }
  });

  it("should be reported, loudly and once, against real Deck, which only the destination's owner may switch on", async () => {
    const sandbox = deckClient(deck, newApiKey());
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const registered = await createWebhookDestination(sandbox, `${publicUrl}/webhooks/deck`, ['*']);
    const errors = jest.spyOn(Logger.prototype, 'error');
    const api = await startApi({
      PORT: String(port),
      PUBLIC_URL: publicUrl,
      DECK_API_URL: `${deck.url}/v2`,
      DECK_API_KEY: sandbox.apiKey,
      DECK_SANDBOX: 'false',
      DECK_WEBHOOK_SECRET: `whsec_${randomBytes(32).toString('base64')}`,
      CATCH_UP_INTERVAL_MS: HOUR_MS,
      DESTINATION_CHECK_INTERVAL_MS: HOUR_MS,
    });
    try {
      const watch = api.app.get(DestinationWatch);
      expect(await watch.checkNow()).toMatchObject({ destination_id: registered.id, status: 'active' });
      expect((await request(api.url).get('/health')).body.details.webhook_destination).toEqual({
        status: 'up',
        destination_id: registered.id,
        destination_status: 'active',
      });

      await sandbox.patch(`/v2/event-destinations/${registered.id}`, { status: 'inactive' }).expect(200);
      expect(await watch.checkNow()).toMatchObject({ status: 'inactive', reactivations: 0 });
      expect(await watch.checkNow()).toMatchObject({ status: 'inactive' });
      expect((await destination(sandbox, registered.id)).status).toBe('inactive');
      const said = errors.mock.calls.filter(([message]) => String(message).includes(registered.id));
      expect(said).toHaveLength(1);
      expect(String(said[0][0])).toMatch(/switched webhook destination .* off/);

      // Monitors and the console's header read /health.
      const health = await request(api.url).get('/health').expect(503);
      expect(health.body.error.webhook_destination).toEqual({
        status: 'down',
        destination_id: registered.id,
        destination_status: 'inactive',
      });
    } finally {
      errors.mockRestore();
      await api.close();
    }
  });
});
