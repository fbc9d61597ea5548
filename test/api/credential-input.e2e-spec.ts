import { scrypt, ScryptOptions, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import request from 'supertest';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';

import type { CredentialView } from '@app/contracts';

import { Credential as SandboxCredential } from '../../apps/mock-deck/src/credentials/credential.entity';
import { CredentialRow } from '../../apps/api/src/mirror/credential.entity';
import { DeckIntentRow } from '../../apps/api/src/deck/deck-intent.entity';
import { ChangeRow } from '../../apps/api/src/changes/change.entity';
import { loginAs, OperatorClient } from '../support/api-app';
import { expectApiError } from '../support/api-envelope';
import {
  ConnectPage,
  connectPage,
  ConnectPair,
  issueLink,
  sandboxCredentials,
  startConnectPair,
} from '../support/connect-flow';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: ScryptOptions,
) => Promise<Buffer>;

/** The documented limit (Deck's own): 1–4096 characters. */
const MAX_PASSWORD = 4096;

/**
 * Hostile and malformed input on the connect endpoint (POST /api/credentials with a link
 * token): every hostile or malformed body gets a clear 4xx in the one error
 * shape, and leaves no trace (no credential at the sandbox, nothing in the
 * mirror). Accepted passwords reach Deck exactly as sent.
 */
describe('Connect endpoint input (POST /api/credentials)', () => {
  let pair: ConnectPair;
  let admin: OperatorClient;
  let sourceId: string;
  let page: ConnectPage;
  let token: string;
  let externalId: string;
  let seq = 0;

  beforeAll(async () => {
    pair = await startConnectPair();
    [sourceId] = pair.sourceIds;
    admin = await loginAs(pair.api);
  });

  afterAll(async () => {
    await pair?.close();
  });

  // A fresh link per test: the connect route allows 20 requests a minute per link.
  beforeEach(async () => {
    externalId = `input-user-${++seq}`;
    token = (await issueLink(admin, externalId)).token;
    page = connectPage(pair.api, token);
  });

  const valid = () => ({ source_id: sourceId, username: 'user_good', password: 'a-fine-password' });

  interface Snapshot {
    atSandbox: number;
    credentials: number;
    changes: number;
    intents: number;
  }

  async function snapshot(): Promise<Snapshot> {
    const db = pair.api.app.get(DataSource);
    return {
      atSandbox: (await sandboxCredentials(pair.sandbox)).length,
      credentials: await db.getRepository(CredentialRow).count(),
      changes: await db.getRepository(ChangeRow).count(),
      intents: await db.getRepository(DeckIntentRow).count(),
    };
  }

  /** Sends a raw body with a content type, as a hostile client would. */
  function raw(body: string, contentType: string | null = 'application/json'): request.Test {
    const test = request(pair.api.url).post('/api/credentials').set('X-Link-Token', token);
    return contentType === null ? test.send(Buffer.from(body)) : test.set('Content-Type', contentType).send(body);
  }

  /** Asserts a refusal in the error shape, and that nothing changed at the sandbox or in the mirror. */
  async function expectRefused(
    send: () => Promise<Response>,
    status: number,
    code: string,
    field?: string,
  ): Promise<void> {
    const before = await snapshot();
    expectApiError(await send(), status, code, field);
    expect(await snapshot()).toEqual(before);
  }

  /** The sandbox keeps only a salted scrypt hash: check the password it got against it, byte for byte. */
  async function sandboxGotPassword(deckId: string, password: string): Promise<boolean> {
    const stored = await pair.deck.app.get(DataSource).getRepository(SandboxCredential).findOneByOrFail({ id: deckId });
    // scrypt$N=<cost>$<salt>$<hash>: the cost is in the text, so the check follows whatever the sandbox chose.
    const parts = (stored.password_hash ?? '').split('$');
    const [salt, hash] = parts.slice(-2);
    const cost = Number(/^N=(\d+)$/.exec(parts[1] ?? '')?.[1] ?? 16384);
    const expected = Buffer.from(hash, 'base64');
    const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, { N: cost });
    return timingSafeEqual(actual, expected);
  }

  describe('malformed bodies', () => {
    it('should refuse broken JSON with a generic message', async () => {
      await expectRefused(() => raw('{"source_id":'), 400, 'body_invalid');
      await expectRefused(() => raw('{"password": "a",}'), 400, 'body_invalid');
    });

    it('should refuse a body over the size limit with 413', async () => {
      const huge = JSON.stringify({ ...valid(), password: 'p'.repeat(70 * 1024) });
      await expectRefused(() => raw(huge), 413, 'body_too_large');
    });

    it('should not parse text/plain, or a body without a content type, as JSON', async () => {
      const json = JSON.stringify(valid());
      await expectRefused(() => raw(json, 'text/plain'), 415, 'body_invalid');
      await expectRefused(() => raw(json, null), 415, 'body_invalid');
    });

    it('should refuse a body that is not an object', async () => {
      await expectRefused(() => raw('[]'), 400, 'body_invalid');
      await expectRefused(() => raw('"user_good"'), 400, 'body_invalid');
      await expectRefused(() => raw('null'), 400, 'body_invalid');
    });
  });

  describe('unknown and mistyped fields', () => {
    it('should refuse unknown fields, naming them', async () => {
      await expectRefused(
        () => page.post('/api/credentials', { ...valid(), isAdmin: true }),
        400,
        'validation_failed',
        'isAdmin',
      );
      await expectRefused(
        () => page.post('/api/credentials', { ...valid(), status: 'verified' }),
        400,
        'validation_failed',
        'status',
      );
    });

    it.each([
      ['password', 123],
      ['password', ['a']],
      ['password', { $gt: '' }],
      ['password', null],
      ['password', true],
      ['source_id', { $gt: '' }],
      ['source_id', ['src_a', 'src_b']],
      ['username', { $ne: null }],
      ['username', 42],
      ['email', ['user_good@example.com']],
      ['source_fields', ['company_id']],
      ['source_fields', { company_id: 12 }],
      ['source_fields', { company_id: { $gt: '' } }],
      ['source_fields', null],
    ])('should refuse %s = %j', async (field, value) => {
      const body: Record<string, unknown> = { ...valid(), [field]: value };
      if (field === 'email') {
        delete body.username;
      }
      await expectRefused(() => page.post('/api/credentials', body), 400, 'validation_failed', field);
    });

    it("should hold source_fields to Deck's rules", async () => {
      const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`field_${i}`, 'x']));
      for (const fields of [
        eleven,
        { CompanyId: 'x' },
        { '1abc': 'x' },
        { password: 'x' },
        { ['a'.repeat(65)]: 'x' },
      ]) {
        await expectRefused(
          () => page.post('/api/credentials', { ...valid(), source_fields: fields }),
          400,
          'validation_failed',
          'source_fields',
        );
      }
    });
  });

  describe('missing and empty fields', () => {
    it.each<[string, Record<string, string>]>([
      ['source_id', { username: 'user_good', password: 'p' }],
      ['password', { source_id: 'SOURCE', username: 'user_good' }],
      ['email', { source_id: 'SOURCE', password: 'p' }],
      ['source_id', { source_id: '', username: 'user_good', password: 'p' }],
      ['source_id', { source_id: '   ', username: 'user_good', password: 'p' }],
      ['password', { source_id: 'SOURCE', username: 'user_good', password: '' }],
      ['username', { source_id: 'SOURCE', username: '', password: 'p' }],
      ['username', { source_id: 'SOURCE', username: '   ', password: 'p' }],
      ['email', { source_id: 'SOURCE', email: '', password: 'p' }],
      ['email', { source_id: 'SOURCE', email: 'not-an-email', password: 'p' }],
      ['username', { source_id: 'SOURCE', email: 'a@example.com', username: 'a', password: 'p' }],
    ])('should refuse a bad or missing %s: %j', async (field, body) => {
      const withSource = { ...body, ...(body.source_id === 'SOURCE' ? { source_id: sourceId } : {}) };
      await expectRefused(() => page.post('/api/credentials', withSource), 400, 'validation_failed', field);
    });
  });

  describe('passwords', () => {
    async function accepted(password: string): Promise<CredentialView> {
      const res = await page.post('/api/credentials', { ...valid(), password });
      expect(res.status).toBe(201);
      expect(JSON.stringify(res.body)).not.toContain(password);
      return res.body as CredentialView;
    }

    it(`should accept a password of exactly ${MAX_PASSWORD} characters and forward it whole`, async () => {
      const password = 'L'.repeat(MAX_PASSWORD - 1) + '!';
      const credential = await accepted(password);
      await expect(sandboxGotPassword(credential.deck_id, password)).resolves.toBe(true);
    });

    it(`should refuse a password over ${MAX_PASSWORD} characters, 10 kB included`, async () => {
      for (const password of ['L'.repeat(MAX_PASSWORD + 1), 'x'.repeat(10 * 1024)]) {
        await expectRefused(
          () => page.post('/api/credentials', { ...valid(), password }),
          400,
          'validation_failed',
          'password',
        );
      }
    });

    it.each([
      ['a NUL byte', 'before\u0000after'],
      ['right-to-left and zero-width characters', '\u202Egnp.exe\u200B\u200Dpass'],
      ['emoji', 'pässwörd-🔐👩‍👩‍👧-💥'],
      ['leading and trailing spaces', '  spaced out  '],
      ['only spaces', '    '],
      ['JSON and SQL metacharacters', `"}'; DROP TABLE credentials; --\\`],
    ])('should forward a password with %s byte for byte, untrimmed', async (_what, password) => {
      const credential = await accepted(password);
      await expect(sandboxGotPassword(credential.deck_id, password)).resolves.toBe(true);
      await expect(sandboxGotPassword(credential.deck_id, password.trim() + 'x')).resolves.toBe(false);
    });

    it('should take the last of duplicate keys (JSON.parse) as the password', async () => {
      const res = await raw(
        `{"source_id":${JSON.stringify(sourceId)},"username":"user_good","password":"first-one","password":"second-one"}`,
      );
      expect(res.status).toBe(201);
      const credential = res.body as CredentialView;
      await expect(sandboxGotPassword(credential.deck_id, 'second-one')).resolves.toBe(true);
    });
  });

  describe('hostile structures', () => {
    it('should refuse prototype pollution and leave Object.prototype alone', async () => {
      const bodies = [
        `{"__proto__":{"polluted":1},"source_id":${JSON.stringify(sourceId)},"username":"u","password":"p"}`,
        `{"constructor":{"prototype":{"polluted":1}},"source_id":${JSON.stringify(sourceId)},"username":"u","password":"p"}`,
        `{"source_id":${JSON.stringify(sourceId)},"username":"u","password":"p","source_fields":{"__proto__":{"polluted":1}}}`,
      ];
      for (const body of bodies) {
        await expectRefused(() => raw(body), 400, 'validation_failed');
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('should refuse 10,000 levels of nesting and huge arrays without falling over', async () => {
      const deep = `{"source_id":${JSON.stringify(sourceId)},"username":"u","password":"p","source_fields":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
      await expectRefused(() => raw(deep), 400, 'body_invalid');
      const wide = JSON.stringify({ ...valid(), source_fields: Array.from({ length: 10_000 }, () => 'x') });
      await expectRefused(() => raw(wide), 400, 'validation_failed', 'source_fields');
      // Still serving.
      expect((await page.get('/api/links/current')).status).toBe(200);
    });
  });

  describe('methods that must not change anything', () => {
    it('should answer GET and TRACE on state-changing routes with 404/405 and change nothing', async () => {
      const credential = (await page.post('/api/credentials', valid()).expect(201)).body as CredentialView;
      const before = await snapshot();
      const runsBefore = await pair.sandbox.get(`/v2/task-runs?credential_id=${credential.deck_id}`).expect(200);
      const trace = await request(pair.api.url).trace('/api/credentials').set('X-Link-Token', token);
      expect([404, 405]).toContain(trace.status);
      expectApiError(await page.get(`/api/credentials/${credential.id}/verify`), 404, 'route_not_found');
      expectApiError(await page.get('/api/links'), 404, 'route_not_found');
      expect(await snapshot()).toEqual(before);
      const runsAfter = await pair.sandbox.get(`/v2/task-runs?credential_id=${credential.deck_id}`).expect(200);
      expect((runsAfter.body as { data: unknown[] }).data).toHaveLength(
        (runsBefore.body as { data: unknown[] }).data.length,
      );
    });
  });

  describe('rate limit', () => {
    it('should allow a link 20 posts a minute, then answer 429 and change nothing', async () => {
      for (let i = 0; i < 20; i++) {
        expect((await page.post('/api/credentials', { ...valid(), password: '' })).status).toBe(400);
      }
      await expectRefused(() => page.post('/api/credentials', valid()), 429, 'rate_limited');
      // Another link (another end user) is not held back by this one.
      const other = connectPage(pair.api, (await issueLink(admin, `${externalId}-other`)).token);
      expect((await other.post('/api/credentials', { ...valid(), password: '' })).status).toBe(400);
    });
  });
});
