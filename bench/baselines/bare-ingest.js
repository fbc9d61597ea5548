#!/usr/bin/env node
// Baseline for the webhook ingest: the least a correct receiver can do. A bare `node:http`
// server that verifies the Standard Webhooks signature over the raw bytes (the `standardwebhooks`
// package, as the api does) and inserts one row per event with the same `sqlite3` driver, one
// connection, on a WAL file with the api's pragmas. No framework, no dedupe logic beyond the
// primary key, no projection, no change log, no publish: what the api does on top is its cost.
//
// As a script it runs as its own process (like the api), configured by the environment:
//   BARE_INGEST_DATABASE (file), BARE_INGEST_SECRET (whsec_…), BARE_INGEST_PORT (0: any)
// and prints "listening on http://127.0.0.1:<port>". As a module, `startBareIngest({ dir, secret })`
// starts that process through bench/lib/system.js and resolves with its URL.
const { join } = require('node:path');

/** The pragmas the api's TypeORM sqlite driver sets (WAL, busy timeout 5 s, foreign keys). */
const PRAGMAS = ['PRAGMA journal_mode = WAL', 'PRAGMA busy_timeout = 5000', 'PRAGMA foreign_keys = ON'];
const TIMESTAMP = /^\d{1,12}$/;
const HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'];
const MAX_BODY = 1024 * 1024;

function serve() {
  const { createServer } = require('node:http');
  const sqlite3 = require('sqlite3');
  const { Webhook } = require('standardwebhooks');

  const file = process.env.BARE_INGEST_DATABASE;
  const secret = process.env.BARE_INGEST_SECRET;
  if (!file || !secret) {
    throw new Error('BARE_INGEST_DATABASE and BARE_INGEST_SECRET are required');
  }
  const wh = new Webhook(secret);
  const db = new sqlite3.Database(file);
  const exec = (sql) => new Promise((resolve, reject) => db.exec(sql, (e) => (e ? reject(e) : resolve())));

  const answer = (res, status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  return (async () => {
    for (const pragma of PRAGMAS) {
      await exec(pragma);
    }
    await exec(
      'CREATE TABLE IF NOT EXISTS received_events (webhook_id TEXT PRIMARY KEY, type TEXT, body TEXT NOT NULL, received_at TEXT NOT NULL)',
    );
    const insert = db.prepare('INSERT OR IGNORE INTO received_events VALUES (?, ?, ?, ?)');

    const server = createServer((req, res) => {
      if (req.method !== 'POST' || req.url !== '/webhooks/deck') {
        return answer(res, 404, { error: 'not_found' });
      }
      const chunks = [];
      let size = 0;
      req.on('data', (chunk) => {
        size += chunk.length;
        if (size <= MAX_BODY) {
          chunks.push(chunk);
        }
      });
      req.on('end', () => {
        if (size > MAX_BODY) {
          return answer(res, 413, { error: 'too_large' });
        }
        const raw = Buffer.concat(chunks);
        const headers = {};
        for (const name of HEADERS) {
          headers[name] = req.headers[name];
        }
        try {
          if (!TIMESTAMP.test(headers['webhook-timestamp'] ?? '')) {
            throw new Error('bad timestamp');
          }
          wh.verify(raw, headers, { jsonParse: false });
        } catch {
          return answer(res, 401, { error: 'signature' });
        }
        let type = null;
        try {
          type = JSON.parse(raw.toString('utf8')).type ?? null;
        } catch {
          // Signed but not JSON: kept all the same, as the api keeps it.
        }
        insert.run([headers['webhook-id'], type, raw.toString('utf8'), new Date().toISOString()], (error) =>
          error ? answer(res, 500, { error: 'store' }) : answer(res, 200, { received: true }),
        );
      });
    });
    server.listen(Number(process.env.BARE_INGEST_PORT ?? 0), '127.0.0.1', () => {
      console.log(`listening on http://127.0.0.1:${server.address().port}`);
    });
    const stop = () => server.close(() => insert.finalize(() => db.close(() => process.exit(0))));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  })();
}

/** The baseline as its own process, its database in `dir`. Resolves with `{ url, pid }`. */
function startBareIngest({ dir, secret }) {
  const { startScript } = require('../lib/system');
  return startScript({
    name: 'bare ingest',
    entry: __filename,
    env: { BARE_INGEST_DATABASE: join(dir, 'bare.sqlite'), BARE_INGEST_SECRET: secret, BARE_INGEST_PORT: '0' },
    log: join(dir, 'bare-ingest.log'),
  });
}

if (require.main === module) {
  serve().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

module.exports = { startBareIngest };
