#!/usr/bin/env node
// Benchmark: how fast the built api acknowledges signed Deck webhooks, and its memory.
// Starts dist/apps/api as its own process on a temp SQLite file (WAL), then POSTs
// realistic event sequences (created → queued → running → completed → verified per
// credential) with the real Standard Webhooks signature, at a fixed concurrency.
// `--bare` sends the same events to the baseline instead (bench/baselines/bare-ingest.js:
// verify and insert one row, nothing else), through the same load generator.
// Usage: node bench/webhook-inbox.bench.js [events=3000] [concurrency=16] [--bare]
// As a module: `run({ events, concurrency, target: 'api' | 'bare' })` resolves with the figures.
const { randomBytes } = require('node:crypto');

const { startBareIngest } = require('./baselines/bare-ingest');
const { driveIngest, ingestEvents } = require('./lib/ingest-load');
const { cleanUp, rssMb, startApi, stopOnSignals, tempFolder } = require('./lib/system');

async function startTarget(target, secret) {
  const dir = tempFolder('deckhand-bench-');
  if (target === 'bare') {
    return startBareIngest({ dir, secret });
  }
  return startApi({
    dir,
    env: {
      DECK_API_URL: 'http://127.0.0.1:9/v2',
      DECK_API_KEY: 'sk_live_bench_only_key',
      DECK_SANDBOX: 'false',
      DECK_WEBHOOK_SECRET: secret,
      CATCH_UP_INTERVAL_MS: '3600000',
      LOG_LEVEL: 'error',
    },
  });
}

/** Starts the target on a fresh file, sends `events` signed events, stops it. */
async function run({ events = 3000, concurrency = 16, target = 'api' } = {}) {
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  try {
    const server = await startTarget(target, secret);
    const rssStart = rssMb(server.pid);
    const figures = await driveIngest({ baseURL: server.url, secret, events: ingestEvents(events), concurrency });
    return { target, ...figures, rssStart, rssEnd: rssMb(server.pid) };
  } finally {
    await cleanUp();
  }
}

function print(f) {
  const ms = (v) => v.toFixed(1);
  const what = f.target === 'bare' ? 'bare baseline (verify + one row)' : 'api inbox';
  console.log(`webhook ${what}: ${f.events} signed events, concurrency ${f.concurrency}, SQLite file (WAL)`);
  console.log(`  throughput  ${f.eventsPerSecond.toFixed(0)} events/s  (${f.seconds.toFixed(2)} s)`);
  console.log(`  latency ms  p50 ${ms(f.p50)}  p95 ${ms(f.p95)}  p99 ${ms(f.p99)}  max ${ms(f.max)}`);
  console.log(`  non-200     ${f.failures}`);
  console.log(`  RSS MB      ${f.rssStart} before, ${f.rssEnd} after`);
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const numbers = args.filter((a) => !a.startsWith('--'));
  stopOnSignals();
  run({
    events: Number(numbers[0] ?? 3000),
    concurrency: Number(numbers[1] ?? 16),
    target: args.includes('--bare') ? 'bare' : 'api',
  })
    .then((figures) => {
      print(figures);
      process.exit(figures.failures > 0 ? 1 : 0);
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}

module.exports = { run, print };
