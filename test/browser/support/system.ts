import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The repository root. */
export const ROOT = join(__dirname, '..', '..', '..');
/** Everything the browser suite leaves behind: reports, logs, screenshots, traces. */
export const RESULTS_DIR = join(ROOT, '.test-results');
/** The two processes' output, kept after the run for debugging. */
export const LOGS_DIR = join(RESULTS_DIR, 'browser-system');
/** A copy of what the last run started, for people (runs read their own, in their temporary folder). */
export const SYSTEM_COPY = join(LOGS_DIR, 'system.json');
/** Names the run's own system file for the workers (several runs may share a checkout). */
export const SYSTEM_FILE_VARIABLE = 'DECKHAND_SYSTEM_FILE';

const SANDBOX_ENTRY = join(ROOT, 'dist', 'apps', 'mock-deck', 'apps', 'mock-deck', 'src', 'main.js');
const API_ENTRY = join(ROOT, 'dist', 'apps', 'api', 'apps', 'api', 'src', 'main.js');
const DASHBOARD_DIR = join(ROOT, 'dist', 'apps', 'dashboard', 'browser');

const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

/** What the browser tests run against: one sandbox organisation and one api, both fresh. */
export interface SystemInfo {
  /** The api, which also serves the built dashboard at `/`: e.g. `http://127.0.0.1:41234`. */
  baseURL: string;
  /** The sandbox (Deck v2 at `/v2`, control plane at `/sandbox`). */
  sandboxURL: string;
  /** The api's Deck key: a fresh `sk_test_…`, so the run is its own sandbox organisation. */
  deckApiKey: string;
  /** Temporary folder with both databases and this file; removed at teardown. */
  dir: string;
  /** This description, as the workers read it. */
  file: string;
  pids: { sandbox: number; api: number };
  logs: { sandbox: string; api: string };
}

interface Started {
  name: string;
  child: ChildProcess;
  log: string;
}

/** Handles of the processes this runner started (global setup and teardown share the module). */
const running: Started[] = [];
/** What this runner started. */
let current: SystemInfo | null = null;

/**
 * Starts the real system as `npm start` runs it (the built sandbox, then the built
 * api serving the built dashboard), on free ports, with databases in a temporary
 * folder. Resolves once `/health` answers 200 and `/` serves the dashboard's index.html.
 * Stops everything it started when any step fails.
 */
export async function startSystem(): Promise<SystemInfo> {
  for (const [entry, build] of [
    [SANDBOX_ENTRY, 'nest build mock-deck'],
    [API_ENTRY, 'nest build api'],
    [join(DASHBOARD_DIR, 'index.html'), 'ng build'],
  ]) {
    if (!existsSync(entry)) {
      throw new Error(`${entry} is missing: run \`npm run build\` (or \`npx ${build}\`) first`);
    }
  }
  mkdirSync(LOGS_DIR, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'deckhand-browser-'));
  const logs = { sandbox: join(LOGS_DIR, 'sandbox.log'), api: join(LOGS_DIR, 'api.log') };
  process.once('exit', killAll);

  try {
    const sandbox = spawnApp('sandbox', SANDBOX_ENTRY, logs.sandbox, {
      MOCK_DECK_PORT: '0',
      MOCK_DECK_HOST: '127.0.0.1',
      MOCK_DECK_DATABASE: join(dir, 'mock-deck.sqlite'),
    });
    const sandboxURL = await waitForLog(sandbox, /Deck v2 sandbox on (http:\/\/[^\s/"]+)\/v2/).then((m) =>
      m[1].replace('[::1]', '127.0.0.1'),
    );

    const port = await freePort();
    const baseURL = `http://127.0.0.1:${port}`;
    const deckApiKey = `sk_test_${randomBytes(16).toString('hex')}`;
    const api = spawnApp('api', API_ENTRY, logs.api, {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_PATH: join(dir, 'api.sqlite'),
      DECK_API_URL: `${sandboxURL}/v2`,
      DECK_API_KEY: deckApiKey,
      PUBLIC_URL: baseURL,
      ALLOWED_ORIGINS: baseURL,
      DASHBOARD_DIR,
      LOG_LEVEL: 'warn',
    });
    await waitUntilReady(api, baseURL);

    const info: SystemInfo = {
      baseURL,
      sandboxURL,
      deckApiKey,
      dir,
      file: join(dir, 'system.json'),
      pids: { sandbox: sandbox.child.pid ?? -1, api: api.child.pid ?? -1 },
      logs,
    };
    const text = `${JSON.stringify(info, null, 2)}\n`;
    writeFileSync(info.file, text);
    writeFileSync(SYSTEM_COPY, text);
    current = info;
    return info;
  } catch (error: unknown) {
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `The browser tests could not start the system: ${message}\n\n` +
        `--- sandbox (${logs.sandbox}), last lines ---\n${tail(logs.sandbox)}\n` +
        `--- api (${logs.api}), last lines ---\n${tail(logs.api)}`,
    );
  }
}

/** Stops both processes (SIGTERM, then SIGKILL after a few seconds) and removes the temporary folder. */
export async function stopSystem(): Promise<void> {
  const file = process.env[SYSTEM_FILE_VARIABLE];
  const info = current ?? (file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SystemInfo) : null);
  current = null;
  const startedHere = running.length > 0;
  await stopAll();
  if (info) {
    if (!startedHere) {
      // Teardown in another process than setup (not how Playwright runs it): stop them by pid.
      await Promise.all([info.pids.api, info.pids.sandbox].map((pid) => stopPid(pid)));
    }
    rmSync(info.dir, { recursive: true, force: true });
  }
}

/** What global setup started; for fixtures in the test workers. */
export function readSystem(): SystemInfo {
  const file = process.env[SYSTEM_FILE_VARIABLE];
  if (!file || !existsSync(file)) {
    throw new Error(
      `${SYSTEM_FILE_VARIABLE} (${file ?? 'unset'}) names no file: run the browser tests with -c test/browser/playwright.config.ts`,
    );
  }
  return JSON.parse(readFileSync(file, 'utf8')) as SystemInfo;
}

/** The variables a developer's shell may hold for their own apps: never passed on to the test system. */
const APP_VARIABLE =
  /^(MOCK_DECK_.*|DECK_.*|PORT|HOST|DATABASE_PATH|PUBLIC_URL|ALLOWED_ORIGINS|ADMIN_EMAIL|ADMIN_PASSWORD|CATCH_UP_INTERVAL_MS|LINK_TTL_MINUTES|LOG_LEVEL|DASHBOARD_DIR)$/;

function spawnApp(name: string, entry: string, log: string, env: Record<string, string>): Started {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !APP_VARIABLE.test(key)));
  const fd = openSync(log, 'w');
  try {
    const child = spawn(process.execPath, ['--enable-source-maps', entry], {
      cwd: ROOT,
      env: { ...inherited, ...env },
      stdio: ['ignore', fd, fd],
    });
    const started = { name, child, log };
    running.push(started);
    return started;
  } finally {
    closeSync(fd);
  }
}

/** Polls the process's log for a line; fails at once if the process exits. */
async function waitForLog(app: Started, pattern: RegExp): Promise<RegExpExecArray> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const match = pattern.exec(readFileSync(app.log, 'utf8'));
    if (match) {
      return match;
    }
    assertRunning(app);
    if (Date.now() > deadline) {
      throw new Error(`the ${app.name} did not log ${String(pattern)} within ${START_TIMEOUT_MS / 1000} s`);
    }
    await delay(100);
  }
}

/** Ready: `/health` is 200 (Deck reachable, webhook destination active) and `/` is the dashboard. */
async function waitUntilReady(app: Started, baseURL: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let last = 'no answer yet';
  for (;;) {
    assertRunning(app);
    const health = await probe(`${baseURL}/health`);
    if (health.status === 200) {
      const index = await probe(`${baseURL}/`);
      if (index.status === 200 && /<dh-root/.test(index.body)) {
        return;
      }
      if (index.status === 404) {
        // Routes are all registered before the api listens: this will not change by waiting.
        throw new Error(`GET / answered 404: the api does not serve the built dashboard (${DASHBOARD_DIR})`);
      }
      last = `GET / answered ${index.status || index.body}, not the dashboard's index.html`;
    } else {
      last = `GET /health answered ${health.status || ''} ${health.body.slice(0, 300)}`;
    }
    if (Date.now() > deadline) {
      throw new Error(`the api was not ready within ${START_TIMEOUT_MS / 1000} s: ${last}`);
    }
    await delay(200);
  }
}

async function probe(url: string): Promise<{ status: number; body: string }> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return { status: response.status, body: await response.text() };
  } catch (error: unknown) {
    return { status: 0, body: error instanceof Error ? error.message : String(error) };
  }
}

function assertRunning(app: Started): void {
  if (app.child.exitCode !== null || app.child.signalCode !== null) {
    throw new Error(`the ${app.name} exited (${app.child.signalCode ?? app.child.exitCode}) while starting`);
  }
}

/** A port nobody listens on right now (the api takes it a moment later). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function stopAll(): Promise<void> {
  // The api first, as Ctrl-C on `npm start` would: it may still talk to the sandbox while stopping.
  for (const app of running.splice(0).reverse()) {
    await stopChild(app.child);
  }
}

function stopChild(child: ChildProcess): Promise<void> {
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

async function stopPid(pid: number): Promise<void> {
  if (pid <= 0 || !alive(pid)) {
    return;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_GRACE_MS;
  while (alive(pid) && Date.now() < deadline) {
    await delay(100);
  }
  if (alive(pid)) {
    process.kill(pid, 'SIGKILL');
  }
}

/** Running, and not a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

function killAll(): void {
  for (const app of running) {
    if (app.child.exitCode === null && app.child.signalCode === null) {
      app.child.kill('SIGKILL');
    }
  }
}

function tail(file: string, lines = 40): string {
  if (!existsSync(file)) {
    return '(no output)';
  }
  const last = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines);
  return last.map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line)).join('\n') || '(no output)';
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
