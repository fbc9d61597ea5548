import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SANDBOX_ENTRY = join(ROOT, 'dist', 'apps', 'mock-deck', 'apps', 'mock-deck', 'src', 'main.js');
const API_ENTRY = join(ROOT, 'dist', 'apps', 'api', 'apps', 'api', 'src', 'main.js');
const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

/** The first operator of the api under chaos. */
export const CHAOS_ADMIN = { email: 'chaos@deckhand.test', password: 'chaos-admin-password' };

/** Variables a developer's shell may hold for their own apps: never passed on. */
const APP_VARIABLE =
  /^(MOCK_DECK_.*|DECK_.*|PORT|HOST|DATABASE_PATH|PUBLIC_URL|ALLOWED_ORIGINS|ADMIN_EMAIL|ADMIN_PASSWORD|CATCH_UP_.*|RECONCILE_.*|DESTINATION_.*|LINK_TTL_MINUTES|LOG_LEVEL|LOG_FORMAT|DASHBOARD_DIR)$/;

export interface ChaosSystemOptions {
  /** Sandbox time per scripted step. */
  stepMs: number;
  /** The api's catch-up period. */
  catchUpIntervalMs: number;
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

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

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2_000) }).then((r) => r.arrayBuffer());
    return true;
  } catch {
    return false;
  }
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitExit(child: ChildProcess): Promise<void> {
  return exited(child) ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * The built sandbox and the built api as their own processes, each on a port
 * fixed for the whole run and a database file in a temporary folder, so either
 * can be SIGKILLed and started again exactly where it was.
 */
export class ChaosSystem {
  readonly apiKey = `sk_test_${randomBytes(16).toString('hex')}`;
  readonly dir: string;
  readonly sandboxUrl: string;
  readonly apiUrl: string;
  readonly logs: { sandbox: string; api: string };
  private sandbox: ChildProcess | null = null;
  private api: ChildProcess | null = null;
  private readonly onExit = () => this.killNow();

  private constructor(
    private readonly options: ChaosSystemOptions,
    private readonly sandboxPort: number,
    private readonly apiPort: number,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'deckhand-chaos-'));
    this.sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    this.apiUrl = `http://127.0.0.1:${apiPort}`;
    this.logs = { sandbox: join(this.dir, 'sandbox.log'), api: join(this.dir, 'api.log') };
    process.once('exit', this.onExit);
  }

  static async start(options: ChaosSystemOptions): Promise<ChaosSystem> {
    for (const entry of [SANDBOX_ENTRY, API_ENTRY]) {
      if (!existsSync(entry)) {
        throw new Error(`${entry} is missing: run \`npx nest build mock-deck && npx nest build api\` first`);
      }
    }
    const system = new ChaosSystem(options, await freePort(), await freePort());
    try {
      await system.startSandbox();
      await system.startApi();
      return system;
    } catch (error: unknown) {
      await system.close();
      throw error;
    }
  }

  async startSandbox(): Promise<void> {
    this.sandbox = await this.launch('sandbox', SANDBOX_ENTRY, this.logs.sandbox, `${this.sandboxUrl}/health`, {
      MOCK_DECK_PORT: String(this.sandboxPort),
      MOCK_DECK_HOST: '127.0.0.1',
      MOCK_DECK_DATABASE: join(this.dir, 'mock-deck.sqlite'),
      MOCK_DECK_STEP_MS: String(this.options.stepMs),
      MOCK_DECK_RATE_LIMIT: '0',
      MOCK_DECK_LOG_LEVEL: 'warn',
    });
  }

  async startApi(): Promise<void> {
    this.api = await this.launch('api', API_ENTRY, this.logs.api, `${this.apiUrl}/api/auth/me`, {
      PORT: String(this.apiPort),
      HOST: '127.0.0.1',
      DATABASE_PATH: this.apiDatabase,
      DECK_API_URL: `${this.sandboxUrl}/v2`,
      DECK_API_KEY: this.apiKey,
      PUBLIC_URL: this.apiUrl,
      ALLOWED_ORIGINS: this.apiUrl,
      ADMIN_EMAIL: CHAOS_ADMIN.email,
      ADMIN_PASSWORD: CHAOS_ADMIN.password,
      CATCH_UP_INTERVAL_MS: String(this.options.catchUpIntervalMs),
      // The api's own repairs (reconciliation, turning its destination back on) at the pace of the run.
      RECONCILE_INTERVAL_MS: String(this.options.catchUpIntervalMs * 3),
      DESTINATION_CHECK_INTERVAL_MS: String(this.options.catchUpIntervalMs * 2),
      DECK_RETRY_BASE_MS: '100',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    });
  }

  get apiDatabase(): string {
    return join(this.dir, 'api.sqlite');
  }

  /** SIGKILL: no shutdown hook runs, whatever was in flight is cut. */
  async killApi(): Promise<void> {
    await this.kill(this.api);
    this.api = null;
  }

  async killSandbox(): Promise<void> {
    await this.kill(this.sandbox);
    this.sandbox = null;
  }

  /** The last lines of a process's log, for a failure message. */
  tail(which: 'sandbox' | 'api', lines = 20): string {
    const file = this.logs[which];
    return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '';
  }

  /** Stops both (the api first), then removes the folder. */
  async close(): Promise<void> {
    for (const child of [this.api, this.sandbox]) {
      if (child && !exited(child)) {
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        child.kill('SIGTERM');
        await waitExit(child);
        clearTimeout(timer);
      }
    }
    this.api = null;
    this.sandbox = null;
    process.off('exit', this.onExit);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private killNow(): void {
    for (const child of [this.api, this.sandbox]) {
      if (child && !exited(child)) {
        child.kill('SIGKILL');
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async kill(child: ChildProcess | null): Promise<void> {
    if (child && !exited(child)) {
      child.kill('SIGKILL');
      await waitExit(child);
    }
  }

  /** Starts `entry` with its log appended to `log`; ready once `probe` gets any HTTP answer. */
  private async launch(
    name: string,
    entry: string,
    log: string,
    probe: string,
    env: Record<string, string>,
  ): Promise<ChildProcess> {
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !APP_VARIABLE.test(key)));
    // A port freed by a kill a moment ago can take a little while to be bound again.
    for (let attempt = 1; ; attempt++) {
      const fd = openSync(log, 'a');
      let child: ChildProcess;
      try {
        child = spawn(process.execPath, [entry], {
          cwd: ROOT,
          env: { ...inherited, ...env },
          stdio: ['ignore', fd, fd],
        });
      } finally {
        closeSync(fd);
      }
      const deadline = Date.now() + START_TIMEOUT_MS;
      while (!exited(child) && !(await answers(probe))) {
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new Error(
            `the ${name} did not answer within ${START_TIMEOUT_MS / 1000} s\n${this.tail(name === 'api' ? 'api' : 'sandbox')}`,
          );
        }
        await delay(50);
      }
      if (!exited(child)) {
        return child;
      }
      if (attempt >= 5) {
        throw new Error(`the ${name} exited while starting\n${this.tail(name === 'api' ? 'api' : 'sandbox')}`);
      }
      await delay(300);
    }
  }
}
