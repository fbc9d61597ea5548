#!/usr/bin/env node
// Benchmark: how fast the built api acknowledges signed Deck webhooks, and its memory.
// Starts dist/apps/api as its own process on a temp SQLite file (WAL), then POSTs
// realistic event sequences (created → queued → running → completed → verified per
// credential) with the real Standard Webhooks signature, at a fixed concurrency.
// Usage: npm run bench -- [events=3000] [concurrency=16]
const { spawn } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { randomBytes } = require('node:crypto');
const { Webhook } = require('standardwebhooks');

const root = join(__dirname, '..');
const entry = join(root, 'dist/apps/api/apps/api/src/main.js');
const total = Number(process.argv[2] ?? 3000);
const concurrency = Number(process.argv[3] ?? 16);
const secret = `whsec_${randomBytes(32).toString('base64')}`;
const port = 20000 + Math.floor(Math.random() * 20000);
const dir = mkdtempSync(join(tmpdir(), 'deckhand-bench-'));

function rssMb(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line.replace(/\D+/g, '')) / 1024);
}

function events(count) {
  const out = [];
  let t = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; out.length < count; i++) {
    const cred = `cred_bench${i}`;
    const run = `trun_bench${i}`;
    const stamp = () => new Date((t += 7)).toISOString();
    const credential = (status) => ({
      id: cred,
      object: 'credential',
      status,
      source_id: 'src_bench',
      external_id: `user-${i}`,
      auth_method: 'username_password',
      auth_credentials: { username: `user${i}@example.com` },
    });
    const taskRun = (status, extra = {}) => ({
      id: run,
      object: 'task_run',
      status,
      task_id: 'task_bench',
      credential_id: cred,
      result: null,
      errors: [],
      ...extra,
    });
    out.push(
      ['credential.created', credential('unverified')],
      ['task_run.queued', taskRun('queued')],
      ['task_run.running', taskRun('running')],
      ['task_run.completed', taskRun('completed', { result: 'success' })],
      ['credential.verified', credential('verified')],
    );
    for (let k = out.length - 5; k < out.length; k++) {
      const [type, data] = out[k];
      out[k] = { id: `evt_bench${i}_${k}`, object: 'event', type, data, created_at: stamp() };
    }
  }
  return out.slice(0, count);
}

let child = null;

/** Whatever happens, the api process started here is stopped and the temp folder removed. */
async function cleanUp() {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child.on('exit', r));
  }
  rmSync(dir, { recursive: true, force: true });
}

async function main() {
  child = spawn(process.execPath, [entry], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_PATH: join(dir, 'api.sqlite'),
      DECK_API_URL: 'http://127.0.0.1:9/v2',
      DECK_API_KEY: 'sk_live_bench_only_key',
      DECK_SANDBOX: 'false',
      DECK_WEBHOOK_SECRET: secret,
      CATCH_UP_INTERVAL_MS: '3600000',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}/webhooks/deck`;
  for (let i = 0; i < 200; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/api/auth/me`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const rssStart = rssMb(child.pid);
  const wh = new Webhook(secret);
  const queue = events(total);
  const latencies = [];
  let failures = 0;
  const started = process.hrtime.bigint();
  async function worker() {
    for (let event = queue.shift(); event; event = queue.shift()) {
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
      });
      await res.arrayBuffer();
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (res.status !== 200) {
        failures += 1;
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rssEnd = rssMb(child.pid);
  await cleanUp();

  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1);
  console.log(`webhook inbox: ${total} signed events, concurrency ${concurrency}, SQLite file (WAL)`);
  console.log(`  throughput  ${(total / seconds).toFixed(0)} events/s  (${seconds.toFixed(2)} s)`);
  console.log(
    `  latency ms  p50 ${pct(50)}  p95 ${pct(95)}  p99 ${pct(99)}  max ${latencies[latencies.length - 1].toFixed(1)}`,
  );
  console.log(`  non-200     ${failures}`);
  console.log(`  api RSS MB  ${rssStart} before, ${rssEnd} after`);
  process.exit(failures > 0 ? 1 : 0);
}

main().catch(async (error) => {
  console.error(error);
  await cleanUp();
  process.exit(1);
});
