import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { apiEnvProblems, validateApiEnv } from './api.config';

const ROOT = join(__dirname, '..', '..', '..', '..');

describe('api configuration problems', () => {
  it('should accept no settings at all (a fresh clone against the local sandbox)', () => {
    expect(apiEnvProblems({})).toEqual([]);
  });

  it('should say what a malformed Deck key must look like, without repeating it', () => {
    const problems = apiEnvProblems({ DECK_API_KEY: 'sk_live_x' });
    expect(problems).toEqual([
      'DECK_API_KEY must start with sk_live_ or sk_test_, then 8 to 200 letters, digits, _ or -',
    ]);
    expect(problems.join('\n')).not.toContain('sk_live_x');
  });

  it('should give exactly one line per bad setting, each naming its rule', () => {
    const problems = apiEnvProblems({
      PORT: 'eighty',
      DECK_WEBHOOK_SECRET: 'whsec_short',
      LINK_TTL_MINUTES: '0',
      LOG_FORMAT: 'xml',
      DECK_API_URL: 'ftp://deck',
    });
    expect(problems).toEqual([
      'PORT must be a whole number from 0 to 65535',
      'DECK_API_URL must be an http:// or https:// URL, such as http://127.0.0.1:4010/v2',
      'DECK_WEBHOOK_SECRET must be whsec_ followed by a base64 key of 32 to 88 characters',
      'LINK_TTL_MINUTES must be a whole number of minutes from 1 to 1440',
      'LOG_FORMAT must be auto, pretty or json',
    ]);
  });

  it('should ask for a key when Deck is not a local sandbox', () => {
    expect(apiEnvProblems({ DECK_API_URL: 'https://api.deck.example/v2' })).toEqual([
      'DECK_API_KEY must be set (sk_live_… or sk_test_…) when DECK_API_URL is not a local sandbox',
    ]);
  });

  it('should make the config module refuse to start with the same lines', () => {
    expect(() => validateApiEnv({ DECK_API_KEY: 'sk_live_x' })).toThrow(
      'Invalid api configuration:\n  DECK_API_KEY must start with sk_live_ or sk_test_',
    );
  });

  it('should make main print those lines alone, without a stack trace, and exit with 1', () => {
    const run = spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'],
      {
        cwd: ROOT,
        env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.json', DECK_API_KEY: 'sk_live_x', PORT: 'eighty' },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'Invalid api configuration:\n' +
        '  PORT must be a whole number from 0 to 65535\n' +
        '  DECK_API_KEY must start with sk_live_ or sk_test_, then 8 to 200 letters, digits, _ or -\n',
    );
    expect(run.stdout).toBe('');
  }, 60_000);
});
