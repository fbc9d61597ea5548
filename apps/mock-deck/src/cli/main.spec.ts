import { CliIo, runCli } from './main';
import type { FetchLike } from './sandbox-client';

interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** A fake sandbox: answers each request with the next reply, and records what was sent. */
function fakeSandbox(replies: ((call: Call) => Response | Promise<Response>)[]) {
  const calls: Call[] = [];
  const fetch: FetchLike = (url, init) => {
    const call = {
      method: init.method ?? 'GET',
      url,
      headers: init.headers as Record<string, string>,
      body: init.body as string | undefined,
    };
    calls.push(call);
    const reply = replies.shift();
    if (!reply) {
      throw new Error(`unexpected request ${call.method} ${url}`);
    }
    return Promise.resolve(reply(call));
  };
  return { calls, fetch };
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

async function run(argv: string[], fetch: FetchLike = () => Promise.reject(new Error('nothing should be sent'))) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const interrupt = new AbortController();
  const io: CliIo = { stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t), signal: interrupt.signal, fetch };
  const code = await runCli(argv, { SANDBOX_URL: 'http://sandbox.test', SANDBOX_API_KEY: 'sk_test_unit_tests' }, io);
  return { code, stdout: stdout.join(''), stderr: stderr.join(''), interrupt };
}

describe('runCli: the command line', () => {
  it('should print the usage and exit 2 for an unknown command, sending nothing', async () => {
    const sandbox = fakeSandbox([]);
    const result = await run(['bogus'], sandbox.fetch);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: unknown command "bogus"\n\nusage: npm run sandbox -- <command>/);
    expect(result.stderr).toContain('clock advance <duration>');
    expect(sandbox.calls).toHaveLength(0);
  });

  it('should exit 2 with the usage when no command is given, 0 when help is asked for', async () => {
    expect(await run([])).toMatchObject({ code: 2, stderr: expect.stringContaining('error: missing command') });
    expect(await run(['--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('exit codes: 0 done') });
    expect(await run(['help', 'clock'])).toMatchObject({ code: 0, stdout: expect.stringContaining('clock scale <n>') });
    expect(await run(['scenario', '--help'])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('usage: npm run sandbox -- scenario list'),
    });
  });

  it('should refuse an unknown option with the command usage', async () => {
    const result = await run(['reset', '--force']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: unknown option --force');
    expect(result.stderr).toContain('npm run sandbox -- reset');
  });

  it('should refuse bad JSON in --data with exit 2 and send nothing', async () => {
    const sandbox = fakeSandbox([]);
    const result = await run(['trigger', 'credential.invalid', '--data', '{oops}'], sandbox.fetch);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--data is not valid JSON');
    expect(sandbox.calls).toHaveLength(0);
  });
});

describe('runCli: talking to the sandbox', () => {
  it('should send the trigger with the key and print the event', async () => {
    const sandbox = fakeSandbox([
      () =>
        json(
          {
            id: 'evt_1',
            object: 'event',
            type: 'credential.invalid',
            data: { id: 'cred_1' },
            created_at: '2026-01-01T00:00:00.000Z',
          },
          201,
        ),
    ]);
    const result = await run(
      ['trigger', 'credential.invalid', '--credential', 'cred_1', '--data', '{"external_id":"x"}'],
      sandbox.fetch,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('sent credential.invalid evt_1 about cred_1 at 2026-01-01T00:00:00.000Z\n');
    expect(sandbox.calls[0]).toMatchObject({
      method: 'POST',
      url: 'http://sandbox.test/sandbox/trigger',
      headers: { Authorization: 'Bearer sk_test_unit_tests', 'Content-Type': 'application/json' },
    });
    expect(JSON.parse(sandbox.calls[0].body ?? '')).toEqual({
      type: 'credential.invalid',
      credential_id: 'cred_1',
      data: { external_id: 'x' },
    });
  });

  it('should turn the error envelope into one readable line and exit 1', async () => {
    const sandbox = fakeSandbox([
      () =>
        json(
          {
            errors: [
              {
                type: 'request',
                code: 'input_invalid',
                message: 'No credential with id `cred_x` exists.',
                field: 'credential_id',
              },
            ],
            request_id: 'req_abc',
          },
          400,
        ),
    ]);
    const result = await run(['trigger', 'credential.invalid', '--credential', 'cred_x'], sandbox.fetch);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error 400 input_invalid: No credential with id `cred_x` exists. (field credential_id, request req_abc)\n',
    );
  });

  it('should say when something other than the sandbox answers', async () => {
    const sandbox = fakeSandbox([() => new Response('<html>Not Found</html>', { status: 404 })]);
    const result = await run(['clock'], sandbox.fetch);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error 404: http://sandbox.test did not answer like the sandbox: <html>Not Found</html>\n',
    );
  });

  it('should exit 3 with a hint when nothing answers', async () => {
    const refused: FetchLike = () =>
      Promise.reject(
        new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }),
      );
    const result = await run(['reset'], refused);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      'cannot reach the sandbox at http://sandbox.test: is it running? (npm run start:mock-deck)\n  (ECONNREFUSED)\n',
    );
  });
});

describe('runCli: following', () => {
  const attempt = {
    object: 'delivery_attempt',
    id: 'datt_1',
    seq: 41,
    delivery_id: 'edlv_1',
    event_id: 'evt_1',
    event_type: 'credential.created',
    event_destination_id: 'evtd_1',
    number: 1,
    sent_at: '2026-01-01T00:00:00.000Z',
    webhook_timestamp: 1,
    status_code: 200,
    latency_ms: 9,
    response_excerpt: 'ok',
    error: null,
    outcome: 'success',
    faults: [],
    redelivery: false,
  };

  it('should tail from the last seq, say it is waiting once, and exit 0 on Ctrl-C', async () => {
    const interrupt = new AbortController();
    const sandbox = fakeSandbox([
      () => json({ data: [attempt], has_more: false, next_after: 41 }),
      () => json({ data: [], has_more: false, next_after: 41 }),
      () => {
        // Ctrl-C while the third poll is out: the tail ends cleanly.
        interrupt.abort();
        return json({ data: [], has_more: false, next_after: 41 });
      },
    ]);
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await runCli(
      ['deliveries', '--follow', '--interval', '50', '--destination', 'evtd_1'],
      { SANDBOX_URL: 'http://sandbox.test' },
      { stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t), signal: interrupt.signal, fetch: sandbox.fetch },
    );
    expect(code).toBe(0);
    expect(stdout).toHaveLength(1);
    expect(stdout[0]).toMatch(/credential\.created .*evt_1 {2}→ evtd_1 {2}#1 {2}success {2}200 +9 ms/);
    expect(stderr).toEqual(['waiting for deliveries… (Ctrl-C to stop)\n']);
    expect(sandbox.calls.map((c) => c.url)).toEqual([
      'http://sandbox.test/sandbox/attempts?after=0&destination_id=evtd_1&limit=100',
      'http://sandbox.test/sandbox/attempts?after=41&destination_id=evtd_1&limit=100',
      'http://sandbox.test/sandbox/attempts?after=41&destination_id=evtd_1&limit=100',
    ]);
  });

  it('should exit 1 when a played scenario does not end before the timeout', async () => {
    const run0 = {
      id: 'trun_1',
      object: 'task_run',
      status: 'queued',
      created_at: '2026-01-01T00:00:00.000Z',
      errors: [],
      interaction: null,
    };
    const queued = { id: 'evt_q', object: 'event', type: 'task_run.queued', data: run0, created_at: run0.created_at };
    const events = () => json({ data: [queued], has_more: false, next_cursor: null });
    const sandbox = fakeSandbox([
      () => json({ object: 'scenario_run', scenario: 'user_slow', credential: { id: 'cred_1' }, task_run: run0 }, 201),
      ...Array.from({ length: 50 }, () => events),
    ]);
    const result = await run(['scenario', 'run', 'user_slow', '--timeout', '150ms', '--interval', '50'], sandbox.fetch);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('playing user_slow: credential cred_1, run trun_1\n2026-01-01T00:00:00.000Z  queued\n');
    expect(result.stderr).toBe('timed out after 150ms: run trun_1 is still queued\n');
    expect(sandbox.calls[1].url).toBe(
      'http://sandbox.test/v2/events?type=task_run.queued%2Ctask_run.running%2Ctask_run.interaction_required%2Ctask_run.review_required%2Ctask_run.completed%2Ctask_run.failed%2Ctask_run.canceling%2Ctask_run.canceled&created_after=2025-12-31T23%3A59%3A59.999Z&limit=100',
    );
  });
});
