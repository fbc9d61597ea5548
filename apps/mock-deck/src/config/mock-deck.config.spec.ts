import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { mockDeckEnvProblems, validateMockDeckEnv } from './mock-deck.config';

const ROOT = join(__dirname, '..', '..', '..', '..');

describe('sandbox configuration problems', () => {
  it('should accept no settings at all, and empty ones (their defaults)', () => {
    expect(mockDeckEnvProblems({})).toEqual([]);
    expect(mockDeckEnvProblems({ MOCK_DECK_PORT: '', MOCK_DECK_RATE_WINDOW_MS: '', MOCK_DECK_LOG_LEVEL: '' })).toEqual(
      [],
    );
  });

  it('should give exactly one line per bad setting, each saying what it must look like', () => {
    expect(
      mockDeckEnvProblems({
        MOCK_DECK_PORT: 'eighty',
        MOCK_DECK_RATE_WINDOW_MS: '0',
        MOCK_DECK_TIME_SCALE: '1e9',
        MOCK_DECK_RETRY_SCHEDULE: '1s,whenever',
        MOCK_DECK_CANCEL_SPELLING: 'cancelled',
      }),
    ).toEqual([
      'MOCK_DECK_PORT must be a whole number from 0 to 65535',
      'MOCK_DECK_RATE_WINDOW_MS must be a whole number of milliseconds above 0',
      'MOCK_DECK_TIME_SCALE must be a number above 0 and at most 1000000 (sandbox seconds per second)',
      'MOCK_DECK_RETRY_SCHEDULE must be 1 to 20 durations of at most 30 days, separated by commas (such as 1s,2s,4s), or empty',
      'MOCK_DECK_CANCEL_SPELLING must be cancelling or canceling',
    ]);
  });

  it('should never repeat the value', () => {
    const secretLookingValue = 'sk_live_should_not_be_printed';
    const problems = mockDeckEnvProblems({
      MOCK_DECK_PORT: secretLookingValue,
      MOCK_DECK_LOG_LEVEL: secretLookingValue,
    });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).not.toContain(secretLookingValue);
  });

  it('should make the config module refuse to start with the same lines', () => {
    expect(() => validateMockDeckEnv({ MOCK_DECK_PORT: '70000' })).toThrow(
      'Invalid sandbox configuration:\n  MOCK_DECK_PORT must be a whole number from 0 to 65535\n',
    );
  });

  it('should make main print those lines alone, without a stack trace, and exit with 1', () => {
    const run = spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/mock-deck/src/main.ts'],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          TS_NODE_PROJECT: 'tsconfig.json',
          MOCK_DECK_DATABASE: ':memory:',
          MOCK_DECK_PORT: 'sk_live_not_a_port',
          MOCK_DECK_LOG_LEVEL: 'loud',
        },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'Invalid sandbox configuration:\n' +
        '  MOCK_DECK_PORT must be a whole number from 0 to 65535\n' +
        '  MOCK_DECK_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent\n',
    );
    expect(run.stdout).toBe('');
  }, 60_000);
});
