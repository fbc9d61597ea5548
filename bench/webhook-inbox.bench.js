#!/usr/bin/env node
// Benchmark: how fast the built api acknowledges signed Deck webhooks, and its memory.
// Starts dist/apps/api as its own process on a temp SQLite file (WAL), then POSTs
// realistic event sequences (created → queued → running → completed → verified per
// credential) with the real Standard Webhooks signature, at a fixed concurrency.
// Usage: npm run bench -- [events=3000] [concurrency=16]
const { randomBytes } = require('node:crypto');

const { cleanUp, percentile, rssMb, startApi, stopOnSignals, tempFolder, webhookSender } = require('./lib/system');

const total = Number(process.argv[2] ?? 3000);
const concurrency = Number(process.argv[3] ?? 16);
const secret = `whsec_${randomBytes(32).toString('base64')}`;

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

async function main() {
  stopOnSignals();
  const api = await startApi({
    dir: tempFolder('deckhand-bench-'),
    env: {
      DECK_API_URL: 'http://127.0.0.1:9/v2',
      DECK_API_KEY: 'sk_live_bench_only_key',
      DECK_SANDBOX: 'false',
      DECK_WEBHOOK_SECRET: secret,
      CATCH_UP_INTERVAL_MS: '3600000',
      LOG_LEVEL: 'error',
    },
  });
  const rssStart = rssMb(api.pid);
  const send = webhookSender(api.url, secret);
  const queue = events(total);
  const latencies = [];
  let failures = 0;
  const started = process.hrtime.bigint();
  async function worker() {
    for (let event = queue.shift(); event; event = queue.shift()) {
      const { status, ms } = await send(event);
      latencies.push(ms);
      if (status !== 200) {
        failures += 1;
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rssEnd = rssMb(api.pid);
  await cleanUp();

  const pct = (p) => percentile(latencies, p).toFixed(1);
  console.log(`webhook inbox: ${total} signed events, concurrency ${concurrency}, SQLite file (WAL)`);
  console.log(`  throughput  ${(total / seconds).toFixed(0)} events/s  (${seconds.toFixed(2)} s)`);
  console.log(`  latency ms  p50 ${pct(50)}  p95 ${pct(95)}  p99 ${pct(99)}  max ${pct(100)}`);
  console.log(`  non-200     ${failures}`);
  console.log(`  api RSS MB  ${rssStart} before, ${rssEnd} after`);
  process.exit(failures > 0 ? 1 : 0);
}

main().catch(async (error) => {
  console.error(error);
  await cleanUp();
  process.exit(1);
});
