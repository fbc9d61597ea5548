// The sandbox under a QA burst: N `user_good` credentials created and their verify runs started
// at once (16 at a time), every event delivered to a fast local receiver, and a 24 h clock
// advance with 120 users' work due. Prints how fast the writes go (against `GET /v2/test` as
// the baseline), how long an event waits for its delivery, and how long the clock jump takes.
// Plain Node (CommonJS); `run(options)` returns the figures for `npm run bench`.
const { createServer } = require('node:http');
const { randomBytes } = require('node:crypto');

const { cleanUp, machine, percentile, startSandbox, stopOnSignals, tempFolder } = require('./lib/system');

const DEFAULTS = {
  /** Credentials (and verify runs) in the burst. */
  credentials: 500,
  /** Requests in flight at once; each worker is its own organisation (Deck limits 200 / 10 s per organisation). */
  concurrency: 16,
  /** `GET /v2/test` requests for the baseline (at most 190 per organisation, under Deck's limit). */
  baselineRequests: 2400,
  /** Users whose work falls due during the clock advance. */
  clockUsers: 120,
  /** How far the clock jumps. */
  advance: '24h',
  /** Progress lines on stderr. */
  progress: true,
};

/** What the clock-advance users run: quick, long, prompts that time out, a review the task timeout ends. */
const CLOCK_SCENARIOS = ['user_good', 'user_slow', 'user_timeout', 'user_review', 'user_mfa', 'user_locked'];

/** How long the burst may take before the benchmark gives up (deliveries still missing). */
const BURST_TIMEOUT_MS = 10 * 60_000;

function newKey() {
  return `sk_test_${randomBytes(16).toString('hex')}`;
}

/** A tiny HTTP client for one organisation of the sandbox. */
function client(baseURL, key) {
  return async (method, path, body) => {
    const res = await fetch(`${baseURL}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        // Writes carry an idempotency key, as the api's Deck client sends them.
        ...(body === undefined
          ? {}
          : { 'content-type': 'application/json', 'idempotency-key': randomBytes(12).toString('hex') }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(180_000),
    });
    const text = await res.text();
    if (res.status >= 300) {
      throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    }
    return text ? JSON.parse(text) : null;
  };
}

/**
 * The receiver: answers 204 at once and records when each event (by `webhook-id`) first
 * arrived, with its type and `created_at`. No signature check: only the sandbox is measured.
 */
async function startReceiver() {
  const arrivals = new Map();
  let duplicates = 0;
  const listeners = new Set();
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const at = Date.now();
      const id = req.headers['webhook-id'];
      if (typeof id === 'string' && req.headers['webhook-signature']) {
        if (arrivals.has(id)) {
          duplicates++;
        } else {
          const event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          arrivals.set(id, { at, type: event.type, createdAt: Date.parse(event.created_at), org: req.url });
          listeners.forEach((listener) => listener());
        }
      }
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    arrivals,
    duplicates: () => duplicates,
    /** Resolves when `done()` holds (checked on every arrival), rejects after `timeoutMs`. */
    until(done, timeoutMs, what) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (done()) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${what}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Runs `count` jobs, `concurrency` at a time; job(i, worker). Resolves with the seconds it took. */
async function pool(count, concurrency, job) {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (next < count) {
        const i = next++;
        await job(i, worker);
      }
    }),
  );
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** An organisation ready for the burst: its key, source, verify task and a destination at the receiver. */
async function organisation(sandboxURL, receiverURL, name) {
  const call = client(sandboxURL, newKey());
  const sources = await call('GET', '/v2/sources');
  const tasks = await call('GET', '/v2/tasks');
  const task = tasks.data.find((t) => t.name === 'Verify login');
  await call('POST', '/v2/event-destinations', {
    name: `Bench receiver ${name}`,
    events: ['*'],
    webhook: { url: `${receiverURL}/${name}` },
  });
  return { call, sourceId: sources.data[0].id, taskId: task.id, name };
}

/** Creates a credential for `username` and starts its verify run: two requests. */
async function createAndRun(org, username) {
  const credential = await org.call('POST', '/v2/credentials', {
    source_id: org.sourceId,
    auth_method: 'username_password',
    auth_credentials: { username, password: 'correct horse battery staple' },
  });
  const run = await org.call('POST', `/v2/tasks/${org.taskId}/run`, { credential_id: credential.id });
  return { credential, run };
}

/** Every event of an organisation (its id), paging the newest-first list. */
async function eventIds(org) {
  const ids = [];
  let cursor = null;
  do {
    const page = await org.call('GET', `/v2/events?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    ids.push(...page.data.map((e) => e.id));
    cursor = page.next_cursor;
  } while (cursor);
  return ids;
}

function progressLine(enabled) {
  let last = 0;
  return (text, force = false) => {
    if (!enabled || (!force && Date.now() - last < 500)) {
      return;
    }
    last = Date.now();
    process.stderr.write(`\r${text.padEnd(100)}`);
    if (force) {
      process.stderr.write('\n');
    }
  };
}

const round = (n, digits = 1) => (n === null ? null : Number(n.toFixed(digits)));

/** The burst on a fresh sandbox: baseline, creates + runs, every delivery. */
async function burst(options, say) {
  const dir = tempFolder('sandbox-burst-');
  const sandbox = await startSandbox(dir);
  const receiver = await startReceiver();
  try {
    const orgs = await Promise.all(
      Array.from({ length: options.concurrency }, (_, i) => organisation(sandbox.url, receiver.url, `org${i}`)),
    );
    // Warm-up: every path once per organisation before anything is timed.
    await Promise.all(orgs.map((org) => org.call('GET', '/v2/test')));

    // Each worker its own organisation and an equal share, so none reaches Deck's rate limit.
    const baseline = Array.from({ length: options.concurrency }, () => client(sandbox.url, newKey()));
    await Promise.all(baseline.map((call) => call('GET', '/v2/test')));
    const share = Math.ceil(options.baselineRequests / options.concurrency);
    let done = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      baseline.map(async (call) => {
        for (let i = 0; i < share; i++) {
          await call('GET', '/v2/test');
          say(`baseline GET /v2/test ${++done}/${share * options.concurrency}`);
        }
      }),
    );
    const baselineS = Number(process.hrtime.bigint() - started) / 1e9;
    say(`baseline: ${((share * options.concurrency) / baselineS).toFixed(0)} GET /v2/test per second`, true);

    // Events are due once the runs finish; anything sent before this point (destination activation) is not counted.
    const before = new Set(receiver.arrivals.keys());
    const runs = new Map(orgs.map((org) => [org.name, 0]));
    done = 0;
    const createStarted = Date.now();
    const createS = await pool(options.credentials, options.concurrency, async (i, worker) => {
      const org = orgs[worker];
      await createAndRun(org, `user_good@bench${i}.test`);
      runs.set(org.name, runs.get(org.name) + 1);
      say(`created ${++done}/${options.credentials} (${receiver.arrivals.size} events delivered)`);
    });
    say(`created ${options.credentials} credentials and runs in ${createS.toFixed(1)} s`, true);

    const completed = () => [...receiver.arrivals.values()].filter((a) => a.type === 'task_run.completed').length;
    await receiver.until(
      () => {
        say(`runs completed ${completed()}/${options.credentials}, ${receiver.arrivals.size} events delivered`);
        return completed() >= options.credentials;
      },
      BURST_TIMEOUT_MS,
      'every run to complete',
    );
    const expected = new Set((await Promise.all(orgs.map(eventIds))).flat().filter((id) => !before.has(id)));
    await receiver.until(
      () => {
        const got = [...expected].filter((id) => receiver.arrivals.has(id)).length;
        say(`events delivered ${got}/${expected.size}`);
        return got === expected.size;
      },
      BURST_TIMEOUT_MS,
      'every event to arrive',
    );
    const arrived = [...expected].map((id) => receiver.arrivals.get(id));
    const lags = arrived.map((a) => a.at - a.createdAt);
    const first = Math.min(...arrived.map((a) => a.at));
    const last = Math.max(...arrived.map((a) => a.at));
    say(`all ${expected.size} events delivered`, true);
    return {
      create_s: round(createS, 2),
      create_requests_per_s: round((2 * options.credentials) / createS),
      credentials_per_s: round(options.credentials / createS),
      baseline_get_test_per_s: round((share * options.concurrency) / baselineS),
      events: expected.size,
      duplicates: receiver.duplicates(),
      delivery_lag_ms: { p50: percentile(lags, 50), p95: percentile(lags, 95), p99: percentile(lags, 99) },
      deliveries_per_s: round(expected.size / Math.max(0.001, (last - first) / 1000)),
      all_delivered_after_s: round((last - createStarted) / 1000, 2),
    };
  } finally {
    await receiver.close();
  }
}

/** On its own fresh sandbox: the clock frozen, 120 users' runs started, then one 24 h advance timed. */
async function clockAdvance(options, say) {
  const dir = tempFolder('sandbox-clock-');
  const sandbox = await startSandbox(dir);
  const receiver = await startReceiver();
  try {
    const orgs = await Promise.all(
      Array.from({ length: Math.min(options.concurrency, options.clockUsers) }, (_, i) =>
        organisation(sandbox.url, receiver.url, `clock${i}`),
      ),
    );
    await orgs[0].call('POST', '/sandbox/clock/freeze', {});
    let done = 0;
    await pool(options.clockUsers, orgs.length, async (i, worker) => {
      const scenario = CLOCK_SCENARIOS[i % CLOCK_SCENARIOS.length];
      await createAndRun(orgs[worker], `${scenario}@bench${i}.test`);
      say(`clock phase: users ${++done}/${options.clockUsers}`);
    });
    say(`clock phase: advancing ${options.advance}…`, true);
    const started = process.hrtime.bigint();
    await orgs[0].call('POST', '/sandbox/clock/advance', { by: options.advance });
    const advanceS = Number(process.hrtime.bigint() - started) / 1e9;
    say(`clock phase: advanced ${options.advance} in ${advanceS.toFixed(2)} s`, true);
    const events = (await Promise.all(orgs.map(eventIds))).flat().length;
    return { clock_advance_s: round(advanceS, 2), clock_users: options.clockUsers, clock_events: events };
  } finally {
    await receiver.close();
  }
}

/** Runs both phases; resolves with the figures (and the machine they come from). */
async function run(options = {}) {
  const opts = { ...DEFAULTS, ...options };
  const say = progressLine(opts.progress);
  const figures = { credentials: opts.credentials, concurrency: opts.concurrency, machine_before: machine() };
  try {
    Object.assign(figures, await burst(opts, say));
    Object.assign(figures, await clockAdvance(opts, say));
  } finally {
    await cleanUp();
  }
  figures.machine_after = machine();
  return figures;
}

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!match) {
      throw new Error(`unknown argument ${argv[i]}`);
    }
    const key = match[1].replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (!(key in DEFAULTS)) {
      throw new Error(`unknown option --${match[1]}`);
    }
    const value = match[2] ?? argv[++i];
    options[key] = typeof DEFAULTS[key] === 'number' ? Number(value) : value;
  }
  return options;
}

function printTable(f) {
  const rows = [
    ['credentials + verify runs', `${f.credentials} at ${f.concurrency} concurrent`],
    ['create phase', `${f.create_s} s (${f.create_requests_per_s} requests/s, ${f.credentials_per_s} credentials/s)`],
    ['GET /v2/test (baseline)', `${f.baseline_get_test_per_s} requests/s`],
    ['events delivered', `${f.events} (${f.duplicates} duplicates)`],
    [
      'delivery lag p50 / p95 / p99',
      `${f.delivery_lag_ms.p50} / ${f.delivery_lag_ms.p95} / ${f.delivery_lag_ms.p99} ms`,
    ],
    ['deliveries/s', String(f.deliveries_per_s)],
    ['last delivery after start', `${f.all_delivered_after_s} s`],
    [`clock advance, ${f.clock_users} users`, `${f.clock_advance_s} s (${f.clock_events} events)`],
    ['machine', `${f.machine_before.nproc} cores, ${f.machine_before.cpu}, Node ${f.machine_before.node}`],
    ['load average before / after', `${f.machine_before.loadavg.join(' ')} / ${f.machine_after.loadavg.join(' ')}`],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  for (const [name, value] of rows) {
    console.log(`${name.padEnd(width)}  ${value}`);
  }
}

module.exports = { run };

if (require.main === module) {
  stopOnSignals();
  run(parseArgs(process.argv.slice(2)))
    .then(printTable)
    .catch((error) => {
      console.error(`\n${error.stack ?? error}`);
      process.exitCode = 1;
    });
}
