import request from 'supertest';
import { DataSource, EntityManager } from 'typeorm';

import { Transactor } from '@app/sqlite';

import { CredentialRow } from '../../apps/api/src/mirror/credential.entity';
import { DeckClient as ApiDeckClient } from '../../apps/api/src/deck/deck-client.service';
import { ChangeRow } from '../../apps/api/src/changes/change.entity';
import { TaskRunRow } from '../../apps/api/src/mirror/task-run.entity';
import { CatchUpService } from '../../apps/api/src/webhooks/catch-up.service';
import { ReconciliationService } from '../../apps/api/src/webhooks/reconciliation.service';
import { ApiApp, startApi } from '../support/api-app';
import { createCredential, runTask, seeded, waitForRun } from '../support/deck-fixtures';
import { deckClient, DeckClient, MockDeck, newApiKey, startMockDeck, waitFor } from '../support/mock-deck-app';

const WAIT_MS = 10_000;
const HOUR_MS = '3600000';

describe('Reconciliation of open objects against Deck', () => {
  let deck: MockDeck;

  beforeAll(async () => {
    deck = await startMockDeck({ MOCK_DECK_RATE_LIMIT: '0' });
  });

  afterAll(async () => {
    await deck?.close();
  });

  /**
   * An organisation with a verified credential and its finished run, mirrored
   * by an api that gets no webhooks (not the sandbox, no secret) and has caught up.
   */
  async function mirrored(): Promise<{ sandbox: DeckClient; api: ApiApp; credentialId: string; runId: string }> {
    const sandbox = deckClient(deck, newApiKey());
    const { sourceId, taskId } = await seeded(sandbox);
    const credential = await createCredential(sandbox, sourceId, 'user_good');
    const run = await runTask(sandbox, taskId, { credential_id: credential.id });
    await waitForRun(sandbox, run.id, (r) => r.status === 'completed');
    const api = await startApi({
      DECK_API_URL: `${deck.url}/v2`,
      DECK_API_KEY: sandbox.apiKey,
      DECK_SANDBOX: 'false',
      CATCH_UP_INTERVAL_MS: HOUR_MS,
      RECONCILE_INTERVAL_MS: HOUR_MS,
    });
    await waitFor(
      () => Promise.resolve(api.app.get(ReconciliationService).status().last_run_at ?? undefined),
      WAIT_MS,
      'the start-up reconciliation',
    );
    return { sandbox, api, credentialId: credential.id, runId: run.id };
  }

  const read =
    (api: ApiApp) =>
    <T>(work: (manager: EntityManager) => Promise<T>): Promise<T> =>
      api.app.get(Transactor).exclusive(() => work(api.app.get(DataSource).manager));

  /** As if the events that moved these rows on had never reached the api, nor Deck's event list. */
  async function loseTheLastEvents(api: ApiApp, credentialId: string, runId: string): Promise<void> {
    await api.app.get(Transactor).run(async (m) => {
      await m.update(
        CredentialRow,
        { deck_id: credentialId },
        { status: 'unverified', last_event_at: '2020-01-01T00:00:00.000Z' },
      );
      await m.update(
        TaskRunRow,
        { deck_id: runId },
        { status: 'running', result: null, finished_at: null, last_event_at: '2020-01-01T00:00:00.000Z' },
      );
    });
  }

  it('should run once at start, after the first catch-up, and find nothing to repair in a mirror that is right', async () => {
    const { api, credentialId } = await mirrored();
    try {
      expect(api.app.get(ReconciliationService).status()).toMatchObject({
        repaired: 0,
        repaired_total: 0,
        last_error: null,
      });
      expect(await read(api)((m) => m.findOneByOrFail(CredentialRow, { deck_id: credentialId }))).toMatchObject({
        status: 'verified',
      });
    } finally {
      await api.close();
    }
  });

  it("should put an open credential and run right from Deck's own objects, and publish the changes", async () => {
    const { api, credentialId, runId } = await mirrored();
    try {
      await loseTheLastEvents(api, credentialId, runId);
      const changesBefore = await read(api)((m) => m.count(ChangeRow));

      const status = await api.app.get(ReconciliationService).runNow();
      expect(status).toMatchObject({ checked: 2, repaired: 2, repaired_total: 2, last_error: null });
      expect(await read(api)((m) => m.findOneByOrFail(CredentialRow, { deck_id: credentialId }))).toMatchObject({
        status: 'verified',
      });
      expect(await read(api)((m) => m.findOneByOrFail(TaskRunRow, { deck_id: runId }))).toMatchObject({
        status: 'completed',
        result: 'success',
      });
      expect(await read(api)((m) => m.count(ChangeRow))).toBeGreaterThan(changesBefore);

      // Level with Deck now: the next pass checks nothing, as nothing is open.
      expect(await api.app.get(ReconciliationService).runNow()).toMatchObject({ checked: 0, repaired: 0 });
      // What monitors and the console's header see.
      expect((await request(api.url).get('/health')).body.details.reconciliation).toMatchObject({
        status: 'up',
        checked: 0,
        repaired: 0,
        repaired_total: 2,
        last_error: null,
        last_run_at: expect.any(String),
      });
    } finally {
      await api.close();
    }
  });

  it('should leave a row alone, and write no change, when Deck agrees it is still open', async () => {
    const { sandbox, api } = await mirrored();
    try {
      const { sourceId } = await seeded(sandbox);
      const open = await createCredential(sandbox, sourceId, 'user_good');
      await api.app.get(CatchUpService).runNow();
      const changesBefore = await read(api)((m) => m.count(ChangeRow));

      const status = await api.app.get(ReconciliationService).runNow();
      expect(status).toMatchObject({ checked: 1, repaired: 0 });
      expect(await read(api)((m) => m.findOneByOrFail(CredentialRow, { deck_id: open.id }))).toMatchObject({
        status: 'unverified',
      });
      expect(await read(api)((m) => m.count(ChangeRow))).toBe(changesBefore);
    } finally {
      await api.close();
    }
  });

  it("should leave Deck's rate window to users: no spare requests, no checks", async () => {
    const { api, credentialId, runId } = await mirrored();
    try {
      await loseTheLastEvents(api, credentialId, runId);
      jest.spyOn(api.app.get(ApiDeckClient), 'spareRequests').mockReturnValue(10);
      expect(await api.app.get(ReconciliationService).runNow()).toMatchObject({ checked: 0, repaired: 0 });
      expect(await read(api)((m) => m.findOneByOrFail(CredentialRow, { deck_id: credentialId }))).toMatchObject({
        status: 'unverified',
      });
    } finally {
      await api.close();
    }
  });
});
