import { createServer, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { describeSendError, describeStatus, postWebhook, RESPONSE_EXCERPT_CHARS } from './webhook-transport';

describe(describeStatus.name, () => {
  it('should say nothing of a 2xx and name every other status', () => {
    expect(describeStatus(200)).toBeNull();
    expect(describeStatus(204)).toBeNull();
    expect(describeStatus(302)).toBe('answered 302: redirects are not followed');
    expect(describeStatus(410)).toBe('answered 410');
    expect(describeStatus(500)).toBe('answered 500');
  });
});

describe(describeSendError.name, () => {
  const fetchFailed = (code: string) =>
    new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });

  it('should name timeouts and the common network errors', () => {
    expect(describeSendError(new DOMException('The operation timed out.', 'TimeoutError'), 5000)).toBe(
      'timeout after 5000 ms',
    );
    expect(describeSendError(fetchFailed('ECONNREFUSED'), 5000)).toBe('connection refused');
    expect(describeSendError(fetchFailed('ECONNRESET'), 5000)).toBe('connection reset');
    expect(describeSendError(fetchFailed('ENOTFOUND'), 5000)).toBe('host not found');
    expect(describeSendError(fetchFailed('UND_ERR_SOCKET'), 5000)).toBe('connection closed without an answer');
  });

  it('should fall back to the code or the message', () => {
    expect(describeSendError(fetchFailed('EWEIRD'), 5000)).toBe('request failed (EWEIRD)');
    expect(describeSendError(new Error('bad things'), 5000)).toBe('request failed: bad things');
    expect(describeSendError('???', 5000)).toBe('request failed');
  });
});

describe(postWebhook.name, () => {
  let server: Server;
  let url: string;
  const hanging: ServerResponse[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url === '/long') {
          res.end('x'.repeat(2000));
        } else if (req.url === '/throttled') {
          res.writeHead(503, { 'retry-after': '30' }).end('busy');
        } else if (req.url === '/redirect') {
          res.writeHead(301, { location: '/long' }).end();
        } else if (req.url === '/hang') {
          hanging.push(res);
        } else {
          res.end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    hanging.forEach((res) => res.end());
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('should succeed on a 2xx and keep the first 500 characters of the answer', async () => {
    const result = await postWebhook(`${url}/long`, {}, '{}', 2000);
    expect(result).toEqual({
      ok: true,
      status_code: 200,
      latency_ms: expect.any(Number),
      response_excerpt: 'x'.repeat(RESPONSE_EXCERPT_CHARS),
      error: null,
      retry_after_ms: null,
    });
  });

  it('should keep an empty answer as an empty excerpt', async () => {
    expect(await postWebhook(`${url}/empty`, {}, '{}', 2000)).toMatchObject({ ok: true, response_excerpt: '' });
  });

  it('should read Retry-After from a 503', async () => {
    expect(await postWebhook(`${url}/throttled`, {}, '{}', 2000)).toMatchObject({
      ok: false,
      status_code: 503,
      response_excerpt: 'busy',
      error: 'answered 503',
      retry_after_ms: 30_000,
    });
  });

  it('should not follow a redirect', async () => {
    expect(await postWebhook(`${url}/redirect`, {}, '{}', 2000)).toMatchObject({
      ok: false,
      status_code: 301,
      error: 'answered 301: redirects are not followed',
    });
  });

  it('should give up on a receiver that does not answer in time', async () => {
    const result = await postWebhook(`${url}/hang`, {}, '{}', 150);
    expect(result).toMatchObject({
      ok: false,
      status_code: null,
      response_excerpt: null,
      error: 'timeout after 150 ms',
    });
    expect(result.latency_ms).toBeGreaterThanOrEqual(140);
  });

  it('should report a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await postWebhook(`http://127.0.0.1:${port}/`, {}, '{}', 2000)).toMatchObject({
      ok: false,
      status_code: null,
      error: 'connection refused',
    });
  });
});
