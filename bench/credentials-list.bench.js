#!/usr/bin/env node
// Benchmark: `GET /api/credentials` over HTTP against the built api with a large mirror.
// Seeding: the api's own migrations (dist, through TypeORM) are run on a fresh SQLite file
// first, then the credentials are inserted straight into that file in ONE transaction with
// one prepared statement (webhooks would take minutes for 100,000). Only then is the built api
// started on that file; it finds its migrations done, so it queries exactly the schema (and the
// triggers and search index) it would have made itself. Then, as the signed-in admin, each
// query shape is timed N times, one request at a time: first page, a status filter, free
// text, another sort, and the next page via the first page's cursor. A 429 (the api's 600
// requests a minute per address) is waited out and not timed.
// Baseline (before the api starts, same file): the same SQL the api runs for each shape (the
// page, then the counts) straight on the `sqlite3` driver in this process, no HTTP, no Nest,
// no TypeORM; what the api adds on top of its queries is the difference.
// Usage: npm run bench:credentials -- [credentials=100000] [requests=200]
// As a module: `run({ credentials, requests })` resolves with per-shape figures (api and baseline).
const { join } = require('node:path');

const { ROOT, cleanUp, delay, machine, percentile, startApi, stopOnSignals, tempFolder } = require('./lib/system');
const { timeSqlShapes } = require('./baselines/credentials-sql');
const ADMIN = { email: 'admin@deckhand.local', password: 'deckhand-admin' };
const STATUSES = ['verified', 'verified', 'verified', 'invalid', 'unverified', 'deleted'];

/** The api's migrations, as built, on `file`; then `total` credentials in one transaction. */
async function seed(file, total) {
  const { DataSource } = require('typeorm');
  const { MIGRATIONS } = require(join(ROOT, 'dist/apps/api/apps/api/src/database/migrations'));
  const dataSource = await new DataSource({ type: 'sqlite', database: file, migrations: MIGRATIONS }).initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    const db = dataSource.driver.databaseConnection;
    const run = (sql, params = []) =>
      new Promise((resolve, reject) => db.run(sql, params, (error) => (error ? reject(error) : resolve())));
    await run('BEGIN');
    const insert = db.prepare(
      `INSERT INTO "credentials" ("id", "deck_id", "source_id", "external_id", "auth_method", "username_hint", "status", "last_error", "last_event_at", "status_changed_at", "created_at", "updated_at") VALUES (?, ?, ?, ?, 'username_password', ?, ?, NULL, ?, ?, ?, ?)`,
    );
    const start = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < total; i++) {
      const created = new Date(start + i * 60_000).toISOString();
      // Status changes land in another order than creation, as they do for real.
      const changed = new Date(start + ((i * 7919) % total) * 60_000 + 30_000).toISOString();
      const hex = i.toString(16).padStart(8, '0');
      await new Promise((resolve, reject) =>
        insert.run(
          [
            `00000000-0000-4000-8000-${hex.padStart(12, '0')}`,
            `cred_${hex}${(i * 2654435761).toString(36).slice(-8)}`,
            `src_bench${i % 20}`,
            `customer-${i}`,
            `us***${i % 1000}@example${i % 50}.com`,
            STATUSES[i % STATUSES.length],
            changed,
            changed,
            created,
            changed,
          ],
          (error) => (error ? reject(error) : resolve()),
        ),
      );
      if (i % 20_000 === 0) {
        process.stdout.write(`\rseeding ${i}/${total}`);
      }
    }
    await new Promise((resolve, reject) => insert.finalize((error) => (error ? reject(error) : resolve())));
    await run('COMMIT');
    await run('ANALYZE');
    process.stdout.write(`\rseeded ${total} credentials\n`);
  } finally {
    await dataSource.destroy();
  }
}

/** The query shapes timed, as [name, query string]; `substring` matches about 2 % of rows. */
const SUBSTRING = 'ample7'; // in the masked usernames (…@example7.com, …@example70.com …)
const SHAPES = [
  ['first page', ''],
  ['status=verified', 'status=verified'],
  [`q=${SUBSTRING}`, `q=${SUBSTRING}`],
  ['q=customer-4242 (11 rows)', 'q=customer-4242'],
  ['q=7 (1 char)', 'q=7'],
  ['sort=status_changed_at', 'sort=status_changed_at'],
  ['next page (cursor)', 'cursor'],
];

/** Seeds `credentials`, times the SQL baseline, then each shape `requests` times over HTTP. */
async function run({ credentials: total = 100_000, requests = 200, baseline = true } = {}) {
  try {
    return await measure(total, requests, baseline);
  } finally {
    await cleanUp();
  }
}

async function measure(total, requests, withBaseline) {
  const dir = tempFolder('deckhand-bench-');
  const seedStart = Date.now();
  await seed(join(dir, 'api.sqlite'), total);
  console.log(`seeding took ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
  const baseline = withBaseline ? await timeSqlShapes(join(dir, 'api.sqlite'), SHAPES, requests) : null;
  const api = await startApi({
    dir,
    env: {
      DECK_API_URL: 'http://127.0.0.1:9/v2',
      DECK_API_KEY: 'sk_live_bench_only_key',
      DECK_SANDBOX: 'false',
      DECK_WEBHOOK_SECRET: 'whsec_YmVuY2hiZW5jaGJlbmNoYmVuY2hiZW5jaGJlbmNo',
      CATCH_UP_INTERVAL_MS: '3600000',
      LOG_LEVEL: 'error',
    },
  });
  const login = await fetch(`${api.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (!login.ok) {
    throw new Error(`signing in as ${ADMIN.email} answered ${login.status}: ${await login.text()}`);
  }
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const get = async (query) => {
    const started = process.hrtime.bigint();
    const response = await fetch(`${api.url}/api/credentials?${query}`, { headers: { cookie } });
    const body = await response.json();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (response.status === 429) {
      // The api allows one address 600 requests a minute: wait the window out, time the request again.
      await delay(Number(response.headers.get('retry-after') ?? 5) * 1000 + 100);
      return get(query);
    }
    if (response.status !== 200) {
      throw new Error(`GET /api/credentials?${query} answered ${response.status}: ${JSON.stringify(body)}`);
    }
    return { ms, body };
  };

  const first = await get('');
  const cursor = first.body.next_cursor;
  const shapes = SHAPES.map(([name, query]) =>
    query === 'cursor' ? [name, `cursor=${encodeURIComponent(cursor)}`] : [name, query],
  );
  const results = [];
  for (const [name, query] of shapes) {
    // Warm-up, not counted.
    for (let i = 0; i < 5; i++) {
      await get(query);
    }
    const times = [];
    let rows = 0;
    for (let i = 0; i < requests; i++) {
      const { ms, body } = await get(query);
      times.push(ms);
      rows = body.data.length;
      if ((i + 1) % 50 === 0 || i + 1 === requests) {
        process.stdout.write(`\r${name}: ${i + 1}/${requests}`.padEnd(60));
      }
    }
    process.stdout.write('\n');
    results.push({
      query: name,
      rows,
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      p99: percentile(times, 99),
      baseline: baseline?.find((b) => b.query === name) ?? null,
    });
  }
  return { credentials: total, requests, shapes: results };
}

function print(figures) {
  const ms = (v) => (v === null || v === undefined ? '–' : v.toFixed(1));
  console.log(`\n${figures.credentials} credentials, ${figures.requests} requests per query, one at a time`, machine());
  console.table(
    figures.shapes.map((r) => ({
      query: r.query,
      'rows/page': r.rows,
      'p50 ms': ms(r.p50),
      'p95 ms': ms(r.p95),
      'p99 ms': ms(r.p99),
      'SQL only p50 / p95 ms': r.baseline ? `${ms(r.baseline.p50)} / ${ms(r.baseline.p95)}` : '–',
    })),
  );
}

if (require.main === module) {
  stopOnSignals();
  run({ credentials: Number(process.argv[2] ?? 100_000), requests: Number(process.argv[3] ?? 200) })
    .then(print)
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}

module.exports = { run, print };
