import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { Response } from 'supertest';

import { ApiApp, freePort, startApi } from '../support/api-app';
import { expectApiError } from '../support/api-envelope';
import { webhookSecret } from '../support/connect-flow';

const INDEX =
  '<!doctype html><html><head><base href="/"></head><body>dashboard-index<script src="main-ABCD1234.js" type="module"></script></body></html>';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** An api with no Deck to talk to: this suite is about what it serves itself. */
async function startWith(dashboardDir: string): Promise<ApiApp> {
  return startApi({
    DASHBOARD_DIR: dashboardDir,
    DECK_API_URL: `http://127.0.0.1:${await freePort()}/v2`,
    DECK_SANDBOX: 'false',
    DECK_API_KEY: 'sk_test_dashboard_suite_key',
    DECK_WEBHOOK_SECRET: webhookSecret(),
    CATCH_UP_INTERVAL_MS: '3600000',
  });
}

function expectIndex(res: Response): void {
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/html/);
  expect(res.text).toContain('dashboard-index');
  expect(res.headers['cache-control']).toBe('no-store');
}

describe('The dashboard, served by the api', () => {
  let dir: string;
  let api: ApiApp;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'deckhand-dashboard-'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'main-ABCD1234.js'), 'console.log("main");');
    writeFileSync(join(dir, 'styles-EFGH5678.css'), 'body{}');
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    mkdirSync(join(dir, 'media'));
    writeFileSync(join(dir, 'media', 'roboto-latin-400-normal-IJKL9012.woff2'), 'font');
    api = await startWith(dir);
  });

  afterAll(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('GET /', () => {
    it('should answer index.html, never cached', async () => {
      expectIndex(await request(api.url).get('/'));
      expectIndex(await request(api.url).get('/index.html'));
    });

    it("should send a strict Content-Security-Policy (no inline script) with the dashboard's page", async () => {
      const res = await request(api.url).get('/').expect(200);
      const csp = String(res.headers['content-security-policy']);
      const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src'));
      expect(scriptSrc?.trim()).toBe("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("object-src 'none'");
    });
  });

  describe('hashed files', () => {
    it.each(['/main-ABCD1234.js', '/styles-EFGH5678.css', '/media/roboto-latin-400-normal-IJKL9012.woff2'])(
      'should keep %s for a year, immutable',
      async (path) => {
        const res = await request(api.url).get(path).expect(200);
        expect(res.headers['cache-control']).toBe(IMMUTABLE);
      },
    );

    it('should serve them with their own content type', async () => {
      expect((await request(api.url).get('/main-ABCD1234.js').expect(200)).headers['content-type']).toMatch(
        /javascript/,
      );
      expect((await request(api.url).get('/styles-EFGH5678.css').expect(200)).headers['content-type']).toMatch(
        /^text\/css/,
      );
    });

    it('should have a file without a hash revalidated', async () => {
      const res = await request(api.url).get('/favicon.svg').expect(200);
      expect(res.headers['cache-control']).toBe('no-cache');
    });

    it('should answer a missing file with a JSON 404, not index.html', async () => {
      expectApiError(await request(api.url).get('/main-ZZZZ9999.js'), 404, 'route_not_found');
      expectApiError(await request(api.url).get('/media/gone-ABCD1234.woff2'), 404, 'route_not_found');
    });

    it('should not serve anything outside the folder', async () => {
      const res = await request(api.url).get('/..%2f..%2fpackage.json');
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.text).not.toContain('"dependencies"');
    });
  });

  describe('deep links', () => {
    it.each(['/credentials/cred_abc', '/connect', '/connect?from=mail', '/interactions', '/media', '/settings/'])(
      'should answer index.html for %s',
      async (path) => {
        expectIndex(await request(api.url).get(path));
      },
    );

    it('should answer only reads: another method is a JSON 404', async () => {
      expectApiError(await request(api.url).post('/credentials/cred_abc').send({}), 404, 'route_not_found');
    });
  });

  describe("the api's own paths", () => {
    it.each(['/api', '/api/', '/api/nothing-here', '/API/nothing-here', '/api/credentials/cred_abc/nothing'])(
      'should keep %s a JSON 404 in the error shape',
      async (path) => {
        const body = expectApiError(await request(api.url).get(path), 404, 'route_not_found');
        expect(body.request_id).toEqual(expect.any(String));
      },
    );

    it.each(['/webhooks', '/webhooks/deck', '/webhooks/elsewhere', '/health/extra', '/socket.io'])(
      'should keep %s a JSON 404 in the error shape',
      async (path) => {
        expectApiError(await request(api.url).get(path), 404, 'route_not_found');
      },
    );

    it('should keep answering /health and the socket.io handshake itself', async () => {
      const health = await request(api.url).get('/health');
      expect(health.headers['content-type']).toMatch(/^application\/json/);
      expect(health.text).not.toContain('dashboard-index');
      const socket = await request(api.url).get('/socket.io/?EIO=4&transport=polling');
      expect(socket.text).not.toContain('dashboard-index');
      const unknown = await request(api.url).get('/socket.io/anything');
      expect(unknown.status).toBeGreaterThanOrEqual(400);
      expect(unknown.text).not.toContain('dashboard-index');
    });

    it("should keep the api's own errors for a refused body, not turn them into a 404", async () => {
      const broken = request(api.url).post('/api/auth/login').set('Content-Type', 'application/json');
      expectApiError(await broken.send('{"email":'), 400, 'body_invalid');
      const tooLarge = request(api.url).post('/api/auth/login').set('Content-Type', 'application/json');
      expectApiError(await tooLarge.send(JSON.stringify({ email: 'x'.repeat(70_000) })), 413, 'body_too_large');
    });

    it('should keep API answers uncached', async () => {
      const res = await request(api.url).get('/api/console');
      expect(res.headers['cache-control']).toBe('no-store');
    });
  });

  describe('before the dashboard is built', () => {
    let unbuilt: ApiApp;

    beforeAll(async () => {
      unbuilt = await startWith(join(dir, 'not-built-yet'));
    });

    afterAll(async () => {
      await unbuilt?.close();
    });

    it('should answer its pages with one clear error in the api shape', async () => {
      for (const path of ['/', '/credentials/cred_abc', '/connect']) {
        const body = expectApiError(await request(unbuilt.url).get(path), 503, 'unavailable');
        expect(body.message).toMatch(/dashboard is not built.*npm run build/);
        expect(body.message).not.toContain(dir);
        expect(body.request_id).toEqual(expect.any(String));
      }
    });

    it("should leave the api's own answers as they are", async () => {
      expectApiError(await request(unbuilt.url).get('/api/nothing-here'), 404, 'route_not_found');
      expectApiError(await request(unbuilt.url).get('/main-ABCD1234.js'), 404, 'route_not_found');
      expectApiError(await request(unbuilt.url).get('/api/console'), 401, 'unauthenticated');
    });
  });
});
