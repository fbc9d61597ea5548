#!/usr/bin/env node
// Benchmark: how soon an operator sees a change made at Deck. Starts the built sandbox and api
// (a fresh sk_test_ key: its own sandbox organisation, the destination the api registers), signs
// in as the admin and opens the live socket as the dashboard does. A credential is stored at the
// sandbox; then its status is forced again and again through the sandbox's control plane
// (verified ↔ invalid), one change at a time, and each is timed from the sandbox's answer to the
// socket receiving the api's change for it (Deck → webhook → api inbox → commit → socket).
//
// Baseline, in the same run and interleaved change by change: the same sandbox, another
// organisation whose webhook destination is a bare `node:http` receiver in this process that
// verifies the signature and notes the arrival. Its figure is what Deck's own delivery takes;
// the api's figure minus it is what the api adds.
//
// The sandbox's per-organisation rate limit is lifted for the run: the changes are paced by their
// own arrival, and a 429 on the control plane would time the limit, not the path.
// Usage: node bench/freshness.bench.js [changes=200]
// As a module: `run({ changes })` resolves with p50/p95/p99 ms for the api and the baseline.
const { randomBytes } = require('node:crypto');
const { createServer } = require('node:http');
const { join } = require('node:path');
const { Webhook } = require('standardwebhooks');
const { io } = require('socket.io-client');

const { deckClient } = require('./lib/deck-client');
const { cleanUp, percentile, startApi, startSandbox, stopOnSignals, tempFolder } = require('./lib/system');

const ADMIN = { email: 'admin@deckhand.local', password: 'deckhand-admin' };
/** A change not seen by then fails the run (something is broken, not slow). */
const ARRIVAL_TIMEOUT_MS = 15_000;

/** Resolves when `check()` gives a value; rejects after `ms` with `what`. Checked on every arrival. */
function arrivals() {
  const waiters = new Set();
  return {
    notify() {
      for (const w of [...waiters]) {
        const value = w.check();
        if (value !== undefined) {
          waiters.delete(w);
          clearTimeout(w.timer);
          w.resolve(value);
        }
      }
    },
    wait(check, what) {
      return new Promise((resolve, reject) => {
        const value = check();
        if (value !== undefined) {
          return resolve(value);
        }
        const w = { check, resolve };
        w.timer = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`not seen within ${ARRIVAL_TIMEOUT_MS / 1000} s: ${what}`));
        }, ARRIVAL_TIMEOUT_MS);
        waiters.add(w);
      });
    },
  };
}

/** A webhook receiver that does nothing but verify and note when each delivery arrived. */
async function bareReceiver() {
  const seen = [];
  const feed = arrivals();
  let wh = null;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      const raw = Buffer.concat(chunks);
      try {
        wh.verify(raw, req.headers, { jsonParse: false });
      } catch {
        res.writeHead(401).end();
        return;
      }
      res.writeHead(200).end();
      seen.push({ at, event: JSON.parse(raw.toString('utf8')) });
      feed.notify();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/hooks`,
    setSecret: (secret) => (wh = new Webhook(secret)),
    /** Arrival time of the first `credential.<status>` delivery for `id` after index `from`. */
    arrival: (id, status, from) =>
      feed.wait(
        () => seen.slice(from).find((s) => s.event.data?.id === id && s.event.type === `credential.${status}`)?.at,
        `the receiver getting credential.${status} for ${id}`,
      ),
    count: () => seen.length,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The admin's live socket: every `change` noted with its arrival time. */
async function operatorSocket(apiURL) {
  const login = await fetch(`${apiURL}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (!login.ok) {
    throw new Error(`signing in as ${ADMIN.email} answered ${login.status}`);
  }
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const seen = [];
  const feed = arrivals();
  const socket = io(`${apiURL}/live`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: { Origin: apiURL, Cookie: cookie },
  });
  socket.on('change', (change) => {
    seen.push({ at: performance.now(), change });
    feed.notify();
  });
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', (error) => reject(new Error(`the live socket was refused: ${error.message}`)));
  });
  return {
    arrival: (deckId, status, from) =>
      feed.wait(
        () =>
          seen
            .slice(from)
            .find(
              (s) =>
                s.change.kind === 'credential' &&
                s.change.credential.deck_id === deckId &&
                s.change.credential.status === status,
            )?.at,
        `the socket getting ${deckId} as ${status}`,
      ),
    count: () => seen.length,
    close: () => socket.disconnect(),
  };
}

/** One `user_good` credential stored at Deck without verifying. */
async function storeCredential(deck, externalId) {
  const sources = await deck('GET', '/v2/sources');
  return deck('POST', '/v2/credentials', {
    source_id: sources.data[0].id,
    auth_method: 'username_password',
    auth_credentials: { username: 'user_good', password: `bench-${randomBytes(6).toString('hex')}` },
    external_id: externalId,
  });
}

/** Forces the status at the sandbox; resolves with the time its answer arrived. */
async function force(deck, id, status) {
  await deck('POST', `/sandbox/credentials/${id}/status`, { status });
  return performance.now();
}

async function measure(changes, progress) {
  const dir = tempFolder('deckhand-bench-');
  const sandbox = await startSandbox(dir, { MOCK_DECK_RATE_LIMIT: '0' });
  const apiKey = `sk_test_${randomBytes(16).toString('hex')}`;
  const api = await startApi({
    dir,
    log: join(dir, 'api.log'),
    env: (url) => ({
      DECK_API_URL: `${sandbox.url}/v2`,
      DECK_API_KEY: apiKey,
      PUBLIC_URL: url,
      ALLOWED_ORIGINS: url,
      LOG_LEVEL: 'warn',
    }),
    // Ready when Deck is reachable and the api's webhook destination is registered and active.
    ready: async (url) => {
      try {
        return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) })).status === 200;
      } catch {
        return false;
      }
    },
  });
  const apiDeck = deckClient(sandbox.url, apiKey);
  const socket = await operatorSocket(api.url);

  const receiver = await bareReceiver();
  const bareDeck = deckClient(sandbox.url, `sk_test_${randomBytes(16).toString('hex')}`);
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  receiver.setSecret(secret);
  await bareDeck('POST', '/v2/event-destinations', {
    name: 'bench bare receiver',
    events: ['*'],
    webhook: { url: receiver.url, secret },
  });

  const apiCredential = await storeCredential(apiDeck, 'bench-freshness');
  const bareCredential = await storeCredential(bareDeck, 'bench-freshness');
  // Both see the credential before the timed changes start.
  await socket.arrival(apiCredential.id, 'unverified', 0);
  await receiver.arrival(bareCredential.id, 'created', 0).catch(() => null);

  const apiMs = [];
  const bareMs = [];
  for (let i = 0; i < changes; i++) {
    const status = i % 2 === 0 ? 'verified' : 'invalid';
    {
      const from = socket.count();
      const answered = await force(apiDeck, apiCredential.id, status);
      apiMs.push((await socket.arrival(apiCredential.id, status, from)) - answered);
    }
    {
      const from = receiver.count();
      const answered = await force(bareDeck, bareCredential.id, status);
      bareMs.push((await receiver.arrival(bareCredential.id, status, from)) - answered);
    }
    if ((i + 1) % 20 === 0 || i + 1 === changes) {
      progress(`${i + 1}/${changes} changes`);
    }
  }
  socket.close();
  await receiver.close();
  const figures = (values) => ({
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: percentile(values, 100),
  });
  return { changes, api: figures(apiMs), baseline: figures(bareMs) };
}

/** Starts the sandbox and api, times `changes` status changes each way, stops everything. */
async function run({ changes = 200, progress = (line) => process.stdout.write(`\r${line}`.padEnd(40)) } = {}) {
  try {
    return await measure(changes, progress);
  } finally {
    await cleanUp();
  }
}

function print(f) {
  const ms = (v) => v.toFixed(1);
  const line = (name, x) =>
    `  ${name.padEnd(34)} p50 ${ms(x.p50)}  p95 ${ms(x.p95)}  p99 ${ms(x.p99)}  max ${ms(x.max)} ms`;
  console.log(`\nfreshness: ${f.changes} status changes at the sandbox, one at a time, timed from its answer`);
  console.log(line('operator socket (via the api)', f.api));
  console.log(line('bare receiver (baseline)', f.baseline));
}

if (require.main === module) {
  stopOnSignals();
  run({ changes: Number(process.argv[2] ?? 200) })
    .then((figures) => {
      print(figures);
      process.exit(0);
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}

module.exports = { run, print };
