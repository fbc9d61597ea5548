import { Logger } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { DeckCredential, DeckEvent, DeckList, ForcedStatus, SandboxClockView } from '@app/deck';

import { SandboxClock } from '../../apps/mock-deck/src/scheduler/clock';
import { MAX_SANDBOX_MS } from '../../apps/mock-deck/src/common/duration';
import { createCredential, seeded } from '../support/deck-fixtures';
import { expectDeckError } from '../support/envelope';
import { deckClient, DeckClient, MockDeck, startMockDeck } from '../support/mock-deck-app';
import { SqliteFile } from './sqlite-file';

const DAY = 86_400_000;

describe('Sandbox clock bounds', () => {
  let deck: MockDeck;
  let client: DeckClient;

  // Each test moves the one clock of its sandbox, so each gets its own.
  beforeEach(async () => {
    deck = await startMockDeck();
    deck.clock.freeze();
    client = deckClient(deck);
  });

  afterEach(async () => {
    await deck.close();
  });

  async function clockNow(): Promise<string> {
    return ((await client.get('/sandbox/clock').expect(200)).body as SandboxClockView).now;
  }

  it('should refuse a jump longer than ten years and leave the clock where it was', async () => {
    const before = await clockNow();
    for (const by of ['100000000d', '3651d', '87601h', `${'9'.repeat(40)}ms`]) {
      const res = await client.post('/sandbox/clock/advance', { by });
      expectDeckError(res, 400, 'input_invalid', 'by');
      expect(JSON.stringify(res.body)).toContain('at most 3650d');
    }
    expect(await clockNow()).toBe(before);
    await client.post('/sandbox/clock/advance', { by: '3650d' }).expect(200);
    expect(Date.parse(await clockNow()) - Date.parse(before)).toBe(3650 * DAY);
  });

  it('should refuse a jump past the latest time the sandbox keeps, and allow one up to it', async () => {
    deck.clock.restore({ sandbox_ms: MAX_SANDBOX_MS - DAY, real_ms: Date.now(), scale: 1, frozen: true });
    const res = await client.post('/sandbox/clock/advance', { by: '2d' });
    expectDeckError(res, 400, 'input_invalid', 'by');
    expect(JSON.stringify(res.body)).toContain(new Date(MAX_SANDBOX_MS).toISOString());
    expect(await clockNow()).toBe(new Date(MAX_SANDBOX_MS - DAY).toISOString());

    await client.post('/sandbox/clock/advance', { by: '1d' }).expect(200);
    expect(await clockNow()).toBe(new Date(MAX_SANDBOX_MS).toISOString());
    // Still a clock every organisation can work with.
    const { sourceId } = await seeded(client);
    const credential = await createCredential(client, sourceId, 'user_good');
    expect(credential.created_at).toBe(new Date(MAX_SANDBOX_MS).toISOString());
  });

  it('should refuse a forced status planned absurdly far ahead, planning nothing', async () => {
    const { sourceId } = await seeded(client);
    const credential = await createCredential(client, sourceId, 'user_good');
    for (const after of ['100000000d', '3651d', '1e9d']) {
      expectDeckError(
        await client.post(`/sandbox/credentials/${credential.id}/status`, { status: 'invalid', after }),
        400,
        'input_invalid',
        'after',
      );
    }
    // The limit itself is accepted.
    const planned = (
      await client
        .post(`/sandbox/credentials/${credential.id}/status`, { status: 'invalid', after: '3650d' })
        .expect(200)
    ).body as ForcedStatus;
    expect(planned.scheduled?.at).toBe(new Date(Date.parse(await clockNow()) + 3650 * DAY).toISOString());
    const stored = (await client.get(`/v2/credentials/${credential.id}`).expect(200)).body as DeckCredential;
    expect(stored.status).toBe('unverified');
  });
});

describe('A saved sandbox clock that is not valid', () => {
  let dir: string;
  let env: Record<string, string>;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mock-deck-clock-'));
    env = { MOCK_DECK_DATABASE: join(dir, 'mock-deck.sqlite') };
  });

  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A sandbox that saved a frozen clock, then the file edited as an older version or a hand would. */
  async function fileWithClock(column: string, value: unknown): Promise<void> {
    const first = await startMockDeck(env);
    first.clock.freeze();
    await first.close();
    const file = await SqliteFile.open(env.MOCK_DECK_DATABASE);
    try {
      await file.run(`UPDATE sandbox_clock SET ${column} = ?`, [value]);
    } finally {
      await file.close();
    }
  }

  it.each([
    ['sandbox_ms', 1e300],
    ['sandbox_ms', 'NaN'],
    ['sandbox_ms', MAX_SANDBOX_MS + 1],
    ['real_ms', 'not a number'],
    ['scale', 1e9],
    ['scale', 0],
  ])('should fall back to real time at start when %s is %p, with one warning', async (column, value) => {
    await fileWithClock(column, value);
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const deck = await startMockDeck(env);
    try {
      const warnings = warn.mock.calls.map(([message]) => String(message)).filter((m) => /clock/i.test(m));
      expect(warnings).toEqual(['The saved sandbox clock is not valid; it is reset to real time, running at scale 1.']);
      const client = deckClient(deck);
      const clock = (await client.get('/sandbox/clock').expect(200)).body as SandboxClockView;
      expect(clock).toMatchObject({ frozen: false, scale: 1 });
      expect(Math.abs(Date.parse(clock.now) - Date.now())).toBeLessThan(60_000);

      // Every organisation works again, and the repaired clock is what the file now holds.
      const { sourceId } = await seeded(client);
      await createCredential(client, sourceId, 'user_good');
      const events = (await client.get('/v2/events').expect(200)).body as DeckList<DeckEvent>;
      expect(Number.isNaN(Date.parse(events.data[0].created_at))).toBe(false);
      const file = await SqliteFile.open(env.MOCK_DECK_DATABASE);
      try {
        const saved = await file.get<{ sandbox_ms: number; real_ms: number; scale: number; frozen: number }>(
          'SELECT sandbox_ms, real_ms, scale, frozen FROM sandbox_clock',
        );
        expect(saved && SandboxClock.isValidState({ ...saved, frozen: saved.frozen === 1 })).toBe(true);
      } finally {
        await file.close();
      }
    } finally {
      await deck.close();
    }
  });
});
