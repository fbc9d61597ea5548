import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';

import type { CredentialView, TaskRunView } from '@app/contracts';

import { loginAs, OperatorClient } from '../support/api-app';
import { ConnectPair, connectPage, issueLink, startConnectPair } from '../support/connect-flow';

type Write = (...args: unknown[]) => unknown;

/**
 * Everything the process writes to its standard output and error, however it
 * gets there: through the streams (Nest, pino in tests) or straight to the
 * file descriptors (pino's SonicBoom outside jest). Kept, not shown: debug
 * logging is loud.
 */
function captureOutput(): { text(): string; restore(): void } {
  const chunks: string[] = [];
  const keep = (chunk: unknown) => {
    chunks.push(Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
  };
  const stdout = process.stdout.write.bind(process.stdout) as Write;
  const stderr = process.stderr.write.bind(process.stderr) as Write;
  const writeSync = fs.writeSync as unknown as Write;
  const write = fs.write as unknown as Write;
  const mutable = fs as unknown as Record<'writeSync' | 'write', Write>;
  const swallow = (chunk: unknown, ...rest: unknown[]) => {
    keep(chunk);
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    if (callback) {
      process.nextTick(callback);
    }
    return true;
  };
  (process.stdout as unknown as { write: Write }).write = swallow;
  (process.stderr as unknown as { write: Write }).write = swallow;
  mutable.writeSync = (fd: unknown, chunk: unknown, ...rest: unknown[]) => {
    if (fd === 1 || fd === 2) {
      keep(chunk);
      return Buffer.byteLength(Buffer.isBuffer(chunk) ? chunk : String(chunk));
    }
    return writeSync(fd, chunk, ...rest);
  };
  mutable.write = (fd: unknown, chunk: unknown, ...rest: unknown[]) => {
    if (fd === 1 || fd === 2) {
      keep(chunk);
      const callback = rest.find((r) => typeof r === 'function') as ((...a: unknown[]) => void) | undefined;
      callback?.(null, Buffer.byteLength(Buffer.isBuffer(chunk) ? chunk : String(chunk)));
      return undefined;
    }
    return write(fd, chunk, ...rest);
  };
  return {
    text: () => chunks.join(''),
    restore: () => {
      (process.stdout as unknown as { write: Write }).write = stdout;
      (process.stderr as unknown as { write: Write }).write = stderr;
      mutable.writeSync = writeSync;
      mutable.write = write;
    },
  };
}

/**
 * The rule the whole api is built around: the password goes to Deck and
 * nowhere else. A file database and debug logging, a full create → update →
 * verify flow (and refused requests carrying the password), then a search of
 * every database file, every log line and every response for it.
 */
describe('Password secrecy', () => {
  // Distinctive, so a hit cannot be a coincidence.
  const PASSWORD = `pw-${randomUUID()}-Zq9`;
  const NEW_PASSWORD = `pw2-${randomUUID()}-Kx4`;
  const secrets = [PASSWORD, NEW_PASSWORD];

  let dir: string;
  let output: ReturnType<typeof captureOutput>;
  let pair: ConnectPair;
  let admin: OperatorClient;
  let credential: CredentialView;
  const responses: string[] = [];
  let apiClosed = false;

  const record = (res: Response): Response => {
    responses.push(JSON.stringify(res.headers), res.text ?? '');
    return res;
  };

  /** The database and its WAL and shared-memory files, as bytes. */
  const databaseFiles = () =>
    fs
      .readdirSync(dir)
      .filter((name) => name.startsWith('api.sqlite'))
      .map((name) => ({ name, bytes: fs.readFileSync(join(dir, name)) }));

  beforeAll(async () => {
    dir = fs.mkdtempSync(join(tmpdir(), 'deckhand-secrecy-'));
    output = captureOutput();
    pair = await startConnectPair({ DATABASE_PATH: join(dir, 'api.sqlite'), LOG_LEVEL: 'debug' });
    admin = await loginAs(pair.api);
    const [sourceId] = pair.sourceIds;

    const link = await issueLink(admin, 'secrecy-user');
    const page = connectPage(pair.api, link.token);
    // Refused on the way in, each with the password in the body.
    record(
      await page.post('/api/credentials', { source_id: sourceId, username: 'user_good', password: PASSWORD, extra: 1 }),
    );
    record(
      await page.post('/api/credentials', { source_id: 'src_unknown', username: 'user_good', password: PASSWORD }),
    );
    record(
      await page.post('/api/credentials', {
        source_id: sourceId,
        username: PASSWORD,
        email: 'x@example.com',
        password: PASSWORD,
      }),
    );
    // Stored, updated and verified.
    const created = record(
      await page.post('/api/credentials', { source_id: sourceId, username: 'user_good', password: PASSWORD }),
    );
    expect(created.status).toBe(201);
    credential = created.body as CredentialView;
    record(
      await admin.post('/api/credentials', {
        source_id: sourceId,
        username: 'user_mfa',
        password: PASSWORD,
        external_id: 'secrecy-2',
      }),
    );
    expect(record(await page.patch(`/api/credentials/${credential.id}`, { password: NEW_PASSWORD })).status).toBe(200);
    const verify = record(await page.post(`/api/credentials/${credential.id}/verify`));
    expect(verify.status).toBe(202);
    expect((verify.body as TaskRunView).credential_id).toBe(credential.id);
    record(await admin.get(`/api/credentials/${credential.id}`));
    record(await admin.get('/api/credentials?limit=100'));
    record(await page.get('/api/credentials'));
  });

  afterAll(async () => {
    output?.restore();
    if (!apiClosed) {
      await pair?.api.close();
    }
    await pair?.deck.close();
    if (dir) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('should keep the password out of every database file (db, -wal, -shm)', () => {
    const files = databaseFiles();
    expect(files.map((f) => f.name)).toContain('api.sqlite');
    // The search can find things: the credential itself is in there.
    expect(files.some((f) => f.bytes.includes(Buffer.from(credential.deck_id)))).toBe(true);
    for (const { name, bytes } of files) {
      for (const secret of secrets) {
        expect({ name, found: bytes.includes(Buffer.from(secret)) }).toEqual({ name, found: false });
      }
    }
  });

  it('should keep the password out of every log line, at debug level', () => {
    const logs = output.text();
    // The capture works: the requests above were logged.
    expect(logs).toContain('/api/credentials');
    for (const secret of secrets) {
      expect(logs).not.toContain(secret);
    }
  });

  it('should keep the password out of every response, refusals included', () => {
    expect(responses.length).toBeGreaterThan(10);
    expect(responses.join('\n')).toContain(credential.id);
    for (const secret of secrets) {
      expect(responses.join('\n')).not.toContain(secret);
    }
  });

  it('should keep it out of the database files after shutdown, too', async () => {
    await pair.api.close();
    apiClosed = true;
    for (const { name, bytes } of databaseFiles()) {
      for (const secret of secrets) {
        expect({ name, found: bytes.includes(Buffer.from(secret)) }).toEqual({ name, found: false });
      }
    }
    expect(output.text()).not.toContain(PASSWORD);
  });
});
