// What the benchmarks share: the built sandbox and api started as their own processes
// (free ports, a temporary folder, logs in it), stopped whatever happens (an error,
// Ctrl-C), Standard Webhooks deliveries to the api's inbox, and the arithmetic of the
// figures. Plain Node (CommonJS), like the benchmarks that use it.
const { spawn } = require('node:child_process');
const { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } = require('node:fs');
const { createServer } = require('node:net');
const { availableParallelism, cpus, loadavg, tmpdir } = require('node:os');
const { join } = require('node:path');
const { Webhook } = require('standardwebhooks');

const ROOT = join(__dirname, '..', '..');
const SANDBOX_ENTRY = join(ROOT, 'dist/apps/mock-deck/apps/mock-deck/src/main.js');
const API_ENTRY = join(ROOT, 'dist/apps/api/apps/api/src/main.js');
const DASHBOARD_DIR = join(ROOT, 'dist/apps/dashboard/browser');

const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;
/** A delivery not answered by then fails (Deck itself gives up after 5 s). */
const DELIVERY_TIMEOUT_MS = 30_000;

/** The variables a developer's shell may hold for their own apps: never passed on to the benchmark's processes. */
const APP_VARIABLE =
  /^(MOCK_DECK_.*|DECK_.*|PORT|HOST|DATABASE_PATH|PUBLIC_URL|ALLOWED_ORIGINS|ADMIN_EMAIL|ADMIN_PASSWORD|CATCH_UP_INTERVAL_MS|LINK_TTL_MINUTES|LOG_LEVEL|DASHBOARD_DIR)$/;

/** Processes started here, oldest first; stopped newest first. */
const running = [];
/** Temporary folders made here; removed by cleanUp(). */
const folders = [];
/** Extra things to close before the processes stop (a browser). */
const closers = [];

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A temporary folder, removed by cleanUp(). */
function tempFolder(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  folders.push(dir);
  return dir;
}

/** A port nobody listens on right now (the process takes it a moment later). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts `node entry` with only `env` on top of the shell's non-app variables; output into `log` (or inherited stderr). */
function spawnApp(name, entry, env, log) {
  if (!existsSync(entry)) {
    throw new Error(`${entry} is missing: run \`npm run build\` first`);
  }
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !APP_VARIABLE.test(key)));
  const fd = log ? openSync(log, 'w') : null;
  try {
    const child = spawn(process.execPath, [entry], {
      cwd: ROOT,
      env: { ...inherited, ...env },
      stdio: fd === null ? ['ignore', 'ignore', 'inherit'] : ['ignore', fd, fd],
    });
    const app = { name, child, log };
    running.push(app);
    return app;
  } finally {
    if (fd !== null) {
      closeSync(fd);
    }
  }
}

function assertRunning(app) {
  if (app.child.exitCode !== null || app.child.signalCode !== null) {
    throw new Error(
      `the ${app.name} exited (${app.child.signalCode ?? app.child.exitCode}) while starting${tail(app)}`,
    );
  }
}

function tail(app, lines = 30) {
  if (!app.log || !existsSync(app.log)) {
    return '';
  }
  return `\n--- ${app.name} log, last lines ---\n${readFileSync(app.log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')}`;
}

/** Polls `ready()` (true when done) until the deadline; fails at once if the process exits. */
async function waitUntil(app, what, ready) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    assertRunning(app);
    if (await ready()) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`the ${app.name} was not ready within ${START_TIMEOUT_MS / 1000} s: ${what}${tail(app)}`);
    }
    await delay(100);
  }
}

async function status(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return { status: response.status, body: await response.text() };
  } catch {
    return { status: 0, body: '' };
  }
}

/**
 * Any Node script as its own process (a baseline server), `env` on top of the shell's non-app
 * variables, output in `log`. Its first stdout line matching `listening on (url)` gives its URL.
 */
async function startScript({ name, entry, env, log }) {
  const app = spawnApp(name, entry, env, log);
  let url = null;
  await waitUntil(app, 'no "listening on …" line in its log', () => {
    const match = /listening on (http:\/\/\S+)/.exec(existsSync(log) ? readFileSync(log, 'utf8') : '');
    url = match ? match[1] : null;
    return url !== null;
  });
  return { url, pid: app.child.pid };
}

/** The built sandbox on a port of its choosing, its database in `dir`, `env` on top. Resolves with its base URL. */
async function startSandbox(dir, env = {}) {
  const app = spawnApp(
    'sandbox',
    SANDBOX_ENTRY,
    {
      MOCK_DECK_PORT: '0',
      MOCK_DECK_HOST: '127.0.0.1',
      MOCK_DECK_DATABASE: join(dir, 'mock-deck.sqlite'),
      ...env,
    },
    join(dir, 'sandbox.log'),
  );
  let url = null;
  await waitUntil(app, 'no "Deck v2 sandbox on …" line in its log', () => {
    const match = /Deck v2 sandbox on (http:\/\/[^\s/"]+)\/v2/.exec(readFileSync(app.log, 'utf8'));
    url = match ? match[1].replace('[::1]', '127.0.0.1') : null;
    return url !== null;
  });
  return { url, pid: app.child.pid };
}

/**
 * The built api on a free port, its database in `dir`, with `env` (Deck's URL and key,
 * DASHBOARD_DIR, …; or a function of the api's URL giving them). Ready when `ready(url)`
 * says so (default: any HTTP answer). `log`: a file for its output; without one, only its
 * stderr shows.
 */
async function startApi({ dir, env, log = null, ready = null }) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const app = spawnApp(
    'api',
    API_ENTRY,
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_PATH: join(dir, 'api.sqlite'),
      ...(typeof env === 'function' ? env(url) : env),
    },
    log,
  );
  const isReady = ready ?? (async () => (await status(`${url}/api/auth/me`)).status > 0);
  await waitUntil(app, 'it never answered as expected', () => isReady(url));
  return { url, pid: app.child.pid };
}

/**
 * The api against the sandbox, as `npm start` runs it: a fresh `sk_test_` key (its own
 * sandbox organisation), the built dashboard at `/`. Ready when `/health` is 200
 * (Deck reachable, webhook destination registered and active) and `/` is the dashboard.
 */
async function startApiWithSandbox({ dir, deckApiKey, sandboxURL }) {
  return startApi({
    dir,
    log: join(dir, 'api.log'),
    env: (url) => ({
      DECK_API_URL: `${sandboxURL}/v2`,
      DECK_API_KEY: deckApiKey,
      PUBLIC_URL: url,
      ALLOWED_ORIGINS: url,
      DASHBOARD_DIR,
      LOG_LEVEL: 'warn',
    }),
    ready: async (url) => {
      if ((await status(`${url}/health`)).status !== 200) {
        return false;
      }
      return /<dh-root/.test((await status(`${url}/`)).body);
    },
  });
}

/** Something to close before the processes stop (e.g. `() => browser.close()`). */
function onCleanUp(close) {
  closers.push(close);
}

function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

let cleaning = null;

/**
 * Closes what was registered, stops every process started here (newest first: the api before
 * the sandbox), removes the temporary folders. Called twice at once (Ctrl-C while a failure is
 * being handled), both wait for the same work.
 */
function cleanUp() {
  cleaning ??= (async () => {
    while (closers.length > 0) {
      try {
        await closers[closers.length - 1]();
      } catch {
        // Already closed, or gone with its process.
      }
      closers.pop();
    }
    while (running.length > 0) {
      await stopChild(running[running.length - 1].child);
      running.pop();
    }
    while (folders.length > 0) {
      rmSync(folders[folders.length - 1], { recursive: true, force: true });
      folders.pop();
    }
  })().finally(() => {
    cleaning = null;
  });
  return cleaning;
}

/** Ctrl-C or a kill: stop everything, then exit. A plain exit kills what is left. */
function stopOnSignals() {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping what the benchmark started…`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
  process.once('exit', () => {
    for (const app of running) {
      if (app.child.exitCode === null && app.child.signalCode === null) {
        app.child.kill('SIGKILL');
      }
    }
    for (const dir of folders) {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/**
 * Posts Deck events to the api's inbox as Deck does: the event JSON as the body and
 * Standard Webhooks headers made with the `standardwebhooks` package and `secret`.
 * Resolves with the answer's status and how long it took (ms).
 */
function webhookSender(apiURL, secret) {
  const url = `${apiURL}/webhooks/deck`;
  const wh = new Webhook(secret);
  return async (event) => {
    const body = JSON.stringify(event);
    const now = new Date();
    const t0 = process.hrtime.bigint();
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': event.id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': wh.sign(event.id, now, body),
      },
      body,
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await res.arrayBuffer();
    return { status: res.status, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
  };
}

/** The value below which `p` % of `values` fall (nearest rank); null for none. */
function percentile(values, p) {
  if (values.length === 0) {
    return null;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function median(values) {
  const present = values.filter((v) => v !== null && v !== undefined && !Number.isNaN(v));
  if (present.length === 0) {
    return null;
  }
  const sorted = [...present].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Resident memory of a process, MB. */
function rssMb(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line.replace(/\D+/g, '')) / 1024);
}

/** The machine the figures come from: cores, load average (1, 5, 15 min), CPU model, Node. */
function machine() {
  return {
    nproc: availableParallelism(),
    loadavg: loadavg().map((l) => Number(l.toFixed(2))),
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
  };
}

module.exports = {
  ROOT,
  DASHBOARD_DIR,
  cleanUp,
  delay,
  freePort,
  machine,
  median,
  onCleanUp,
  percentile,
  rssMb,
  startApi,
  startApiWithSandbox,
  startSandbox,
  startScript,
  stopOnSignals,
  tempFolder,
  webhookSender,
};
