#!/usr/bin/env node
// Benchmark: does the Credentials page stay responsive while live changes pour in?
//
// Starts the built sandbox and api (free ports, a temporary folder, a fresh sk_test_ key,
// the built dashboard at `/`), stores N credentials at the sandbox (which tells the api by
// webhook, as Deck does), signs in as the admin in headless Chromium, opens
// /credentials?limit=50 at 1280×800 and waits until it is live. Then, for each rate, it
// delivers signed `credential.verified` / `credential.invalid` events straight to the api's
// inbox at a steady rate for D seconds, each for a credential on the page (every event
// changes a row on screen), while the page measures itself:
//   - long tasks (PerformanceObserver 'longtask': count, total and longest ms),
//   - frame intervals (requestAnimationFrame: p50/p95/p99/max ms, fps),
//   - responsiveness: every 200 ms a MessageChannel task is posted and the delay until it
//     runs is taken (a proxy for input latency): p95/max,
//   - freshness: from posting an event to its row showing it in the DOM (a MutationObserver
//     keyed by row id; a row shows event k once its status and `<time datetime>`, which is
//     the event's created_at, are those of k or of a later event for that row): p50/p95/p99.
// Rate 0 is the idle baseline (the page open and live, nothing arriving).
//
// Usage: npm run bench:dashboard -- [--rates 0,50,200] [--duration 10] [--credentials 200]
//                                   [--repeat 1] [--profile 50] [--trace 50] [--reduced-motion]
//   --repeat R   R independent runs (each its own system and browser); prints and saves the medians
//   --profile N  during rate N, records a CPU profile (CDP Profiler) and prints where the time went
//   --trace N    during rate N, saves Chrome's performance trace under .test-results/bench/ (open it in
//                DevTools' Performance panel) and prints where the page's main thread spent its time
//   --reduced-motion  the browser prefers reduced motion (the rows' highlight is not animated)
// Figures go to stdout and to bench/results/dashboard-live-<time>.json. Exits 1 when a delivery
// was refused or a row never showed its last event (the figures would not mean what they say).
const { execFileSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');
const { chromium } = require('playwright-core');

const { findChromium } = require('../scripts/lib/ensure-browser');
const { deckClient } = require('./lib/deck-client');
const {
  ROOT,
  cleanUp,
  delay,
  machine,
  median,
  onCleanUp,
  percentile,
  startApiWithSandbox,
  startSandbox,
  stopOnSignals,
  tempFolder,
  webhookSender,
} = require('./lib/system');

/** The browser suite's launch arguments (test/browser/support/chromium.ts): headless on a small shared machine. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const VIEWPORT = { width: 1280, height: 800 };
const ADMIN = { email: 'admin@deckhand.local', password: 'deckhand-admin' };
const PAGE_SIZE = 50;
/** Deliveries allowed in flight at once; past it the sender waits (and the achieved rate shows it). */
const MAX_IN_FLIGHT = 256;
/** Credentials stored at the sandbox at once (its limit is 200 requests per 10 s per organisation, shared with the api). */
const CREATE_CONCURRENCY = 4;
/** After the last delivery, how long the page may take to show every row's last event. */
const DRAIN_TIMEOUT_MS = 30_000;
const RESULTS_DIR = join(ROOT, 'bench', 'results');
/** Chrome traces are tens of MB: kept out of git, beside the browser tests' output. */
const TRACES_DIR = join(ROOT, '.test-results', 'bench');

function parseArgs(argv) {
  const options = {
    rates: [0, 50, 200],
    duration: 10,
    credentials: 200,
    repeat: 1,
    profile: null,
    trace: null,
    reducedMotion: false,
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], argv[i + 1]];
    if (name === '--reduced-motion') {
      options.reducedMotion = true;
      i -= 1;
      continue;
    }
    if (value === undefined) {
      throw new Error(`${name} needs a value`);
    }
    switch (name) {
      case '--rates':
        options.rates = value.split(',').map(Number);
        break;
      case '--duration':
        options.duration = Number(value);
        break;
      case '--credentials':
        options.credentials = Number(value);
        break;
      case '--repeat':
        options.repeat = Number(value);
        break;
      case '--profile':
        options.profile = Number(value);
        break;
      case '--trace':
        options.trace = Number(value);
        break;
      default:
        throw new Error(`unknown option ${name} (see the usage at the top of ${relative(ROOT, __filename)})`);
    }
  }
  const bad =
    options.rates.some((r) => !Number.isFinite(r) || r < 0 || r > 1000) ||
    !(options.duration > 0 && options.duration <= 120) ||
    !(options.credentials >= PAGE_SIZE && options.credentials <= 1000) ||
    !(Number.isInteger(options.repeat) && options.repeat >= 1 && options.repeat <= 10);
  if (bad) {
    throw new Error('rates 0–1000 /s, duration 1–120 s, credentials 50–1000, repeat 1–10');
  }
  return options;
}

// ---------------------------------------------------------------------------------------------
// Deck (the sandbox), as the api's organisation.

/** N `user_good` credentials (external ids bench-1…N), stored at Deck without verifying: Deck's objects. */
async function storeCredentials(deck, count) {
  const sources = await deck('GET', '/v2/sources');
  const sourceId = sources.data[0].id;
  const stored = [];
  let next = 1;
  async function worker() {
    while (next <= count) {
      const n = next++;
      stored.push(
        await deck('POST', '/v2/credentials', {
          source_id: sourceId,
          auth_method: 'username_password',
          auth_credentials: { username: 'user_good', password: `bench-${randomBytes(6).toString('hex')}` },
          external_id: `bench-${n}`,
        }),
      );
    }
  }
  await Promise.all(Array.from({ length: CREATE_CONCURRENCY }, worker));
  return stored;
}

// ---------------------------------------------------------------------------------------------
// The api, as the signed-in admin (the browser context's cookies).

async function apiGet(context, path) {
  const response = await context.request.get(path, { timeout: 15_000 });
  if (!response.ok()) {
    throw new Error(`GET ${path} answered ${response.status()}: ${(await response.text()).slice(0, 300)}`);
  }
  return response.json();
}

async function waitForMirror(context, count) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const list = await apiGet(context, '/api/credentials?limit=1');
    const total = Object.values(list.counts).reduce((sum, n) => sum + n, 0);
    if (total >= count) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`the api mirrored ${total} of ${count} credentials within 60 s`);
    }
    await delay(250);
  }
}

// ---------------------------------------------------------------------------------------------
// In the page. These functions are serialised by Playwright and run in Chromium.

function installProbes() {
  const m = { longTasks: [], frames: [], probes: [], mutations: [], startedAt: performance.now(), stopped: false };
  const longTasks = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      m.longTasks.push(entry.duration);
    }
  });
  longTasks.observe({ type: 'longtask' });
  let last = null;
  const frame = (t) => {
    if (m.stopped) {
      return;
    }
    if (last !== null) {
      m.frames.push(t - last);
    }
    last = t;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  // Responsiveness: how long a task posted now waits before it runs (what a key press would wait).
  const channel = new MessageChannel();
  let postedAt = 0;
  channel.port1.onmessage = () => m.probes.push(performance.now() - postedAt);
  const probeTimer = setInterval(() => {
    postedAt = performance.now();
    channel.port2.postMessage(0);
  }, 200);
  // Freshness: every time a row's status or its change time (the event's created_at) changes.
  const ROW = '[data-testid="credential-row"]';
  const record = (row, now) => {
    const time = row.querySelector('time');
    m.mutations.push([row.dataset.id, row.dataset.status, time ? time.getAttribute('datetime') : null, now]);
  };
  const mutations = new MutationObserver((records) => {
    const now = Date.now();
    const rows = new Set();
    for (const r of records) {
      if (r.type === 'attributes') {
        const row = r.target.closest && r.target.closest(ROW);
        if (row) {
          rows.add(row);
        }
      } else {
        for (const node of r.addedNodes) {
          if (node.nodeType === 1 && node.matches(ROW)) {
            rows.add(node);
          }
        }
      }
    }
    for (const row of rows) {
      record(row, now);
    }
  });
  mutations.observe(document.querySelector('[data-testid="credentials-table"]'), {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['data-status', 'datetime'],
  });
  window.__bench = {
    stop() {
      m.stopped = true;
      longTasks.disconnect();
      mutations.disconnect();
      clearInterval(probeTimer);
      return {
        windowMs: performance.now() - m.startedAt,
        longTasks: m.longTasks,
        frames: m.frames,
        probes: m.probes,
        mutations: m.mutations,
      };
    },
  };
}

/** Every row's id and the created_at of the event it shows (its `<time datetime>`). */
function rowStamps() {
  return [...document.querySelectorAll('[data-testid="credential-row"]')].map((row) => [
    row.dataset.id,
    row.querySelector('time')?.getAttribute('datetime') ?? null,
  ]);
}

// ---------------------------------------------------------------------------------------------
// One rate: open the page, deliver, measure.

async function openCredentialsPage(context) {
  const page = await context.newPage();
  await page.goto(`/credentials?limit=${PAGE_SIZE}`);
  await page.locator('[data-testid="connection-indicator"][data-state="live"]').waitFor({ timeout: 30_000 });
  await page
    .locator('[data-testid="credential-row"]')
    .nth(PAGE_SIZE - 1)
    .waitFor({ timeout: 30_000 });
  // The charts' first queries and the fonts: let the page settle before measuring.
  await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => undefined);
  await delay(1000);
  return page;
}

/** Strictly increasing ISO times (ms), never behind the wall clock: the mirror applies each event. */
function stamper() {
  let last = 0;
  return () => {
    last = Math.max(Date.now(), last + 1);
    return new Date(last).toISOString();
  };
}

async function runRate({ context, rate, seconds, targets, send, tag, profile, tracePath }) {
  const page = await openCredentialsPage(context);
  try {
    const domIds = (await page.evaluate(rowStamps)).map(([id]) => id);
    const onScreen = targets.filter((t) => domIds.includes(t.id));
    if (onScreen.length !== PAGE_SIZE) {
      throw new Error(`the page shows ${domIds.length} rows, ${onScreen.length} of them the api's first page`);
    }
    let cdp = null;
    if (profile) {
      cdp = await context.newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    if (tracePath) {
      await context.browser().startTracing(page, { path: tracePath, screenshots: false });
    }
    await page.evaluate(installProbes);

    const total = Math.round(rate * seconds);
    const stamp = stamper();
    const sent = []; // { row, stamp, status, at, ack, httpStatus }
    const lastStamp = new Map();
    const inFlight = new Set();
    let waitedForSlot = 0;
    const started = Date.now();
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / rate;
      if (due > Date.now()) {
        await delay(due - Date.now());
      }
      while (inFlight.size >= MAX_IN_FLIGHT) {
        waitedForSlot += 1;
        await Promise.race(inFlight);
      }
      const target = onScreen[i % onScreen.length];
      const visit = Math.floor(i / onScreen.length);
      // Each visit to a row flips it: unverified → invalid → verified → invalid …
      const status = (visit + (i % onScreen.length)) % 2 === 0 ? 'invalid' : 'verified';
      const at = stamp();
      const event = {
        id: `evt_bench_${tag}_${rate}_${i}`,
        object: 'event',
        type: `credential.${status}`,
        data: { ...target.deck, status, updated_at: at },
        created_at: at,
      };
      const entry = { row: target.id, stamp: at, status, at: Date.now(), ack: null, httpStatus: null };
      sent.push(entry);
      lastStamp.set(target.id, at);
      const delivery = send(event).then(
        (answer) => {
          entry.ack = answer.ms;
          entry.httpStatus = answer.status;
        },
        () => {
          entry.httpStatus = 0;
        },
      );
      inFlight.add(delivery);
      void delivery.finally(() => inFlight.delete(delivery));
    }
    if (total === 0) {
      await delay(seconds * 1000);
    }
    const sendSeconds = (Date.now() - started) / 1000;
    await Promise.all(inFlight);

    // Drain: until every row shows its last event (or the timeout says it never will).
    const drainDeadline = Date.now() + DRAIN_TIMEOUT_MS;
    let drained = lastStamp.size === 0;
    while (!drained && Date.now() < drainDeadline) {
      const shown = new Map(await page.evaluate(rowStamps));
      drained = [...lastStamp].every(([id, at]) => (shown.get(id) ?? '') >= at);
      if (!drained) {
        await delay(100);
      }
    }
    const measured = await page.evaluate(() => window.__bench.stop());
    let mainThread = null;
    if (tracePath) {
      await context.browser().stopTracing();
      mainThread = summariseTrace(tracePath);
    }
    let hotspots = null;
    if (cdp) {
      const { profile: cpuProfile } = await cdp.send('Profiler.stop');
      hotspots = summariseProfile(cpuProfile);
      await cdp.detach();
    }
    return {
      ...figures({ rate, seconds, sendSeconds, sent, measured, drained, waitedForSlot }),
      ...(hotspots ? { hotspots } : {}),
      ...(mainThread ? { main_thread: mainThread } : {}),
    };
  } finally {
    await page.close();
  }
}

/** When each event was first shown: its row showing its created_at or a later one for that row. */
function freshness(sent, mutations) {
  const byRow = new Map();
  for (const [id, , datetime, at] of mutations) {
    if (!byRow.has(id)) {
      byRow.set(id, []);
    }
    byRow.get(id).push([datetime ?? '', at]);
  }
  const delays = [];
  let unseen = 0;
  for (const event of sent) {
    const shown = (byRow.get(event.row) ?? []).find(([datetime, at]) => datetime >= event.stamp && at >= event.at);
    if (shown) {
      delays.push(shown[1] - event.at);
    } else {
      unseen += 1;
    }
  }
  return { delays, unseen };
}

function figures({ rate, seconds, sendSeconds, sent, measured, drained, waitedForSlot }) {
  const round = (v, digits = 1) => (v === null || v === undefined ? null : Number(v.toFixed(digits)));
  const frameTotal = measured.frames.reduce((sum, f) => sum + f, 0);
  const acks = sent.filter((e) => e.ack !== null).map((e) => e.ack);
  const { delays, unseen } = freshness(sent, measured.mutations);
  return {
    rate,
    seconds,
    events: sent.length,
    achieved_rate: round(sent.length / sendSeconds),
    sender_waited_for_a_slot: waitedForSlot,
    non_200: sent.filter((e) => e.httpStatus !== 200).length,
    ack_ms: { p50: round(percentile(acks, 50)), p95: round(percentile(acks, 95)), max: round(percentile(acks, 100)) },
    window_s: round(measured.windowMs / 1000, 2),
    long_tasks: {
      count: measured.longTasks.length,
      total_ms: Math.round(measured.longTasks.reduce((sum, d) => sum + d, 0)),
      max_ms: Math.round(measured.longTasks.reduce((max, d) => Math.max(max, d), 0)),
    },
    frame_ms: {
      p50: round(percentile(measured.frames, 50)),
      p95: round(percentile(measured.frames, 95)),
      p99: round(percentile(measured.frames, 99)),
      max: round(percentile(measured.frames, 100)),
      over_50ms: measured.frames.filter((f) => f > 50).length,
    },
    fps: round(frameTotal > 0 ? (measured.frames.length * 1000) / frameTotal : 0),
    probe_ms: {
      count: measured.probes.length,
      p95: round(percentile(measured.probes, 95)),
      max: round(percentile(measured.probes, 100)),
    },
    freshness_ms: {
      p50: round(percentile(delays, 50), 0),
      p95: round(percentile(delays, 95), 0),
      p99: round(percentile(delays, 99), 0),
      max: round(percentile(delays, 100), 0),
    },
    unseen_events: unseen,
    drained,
  };
}

/**
 * The renderer's main thread in a Chrome trace: how long it was busy (top-level tasks), the
 * time by kind of work (style recalculation, layout, paint, script…), and how many elements a
 * style recalculation touched (p50) and took (p50/p95 ms).
 */
function summariseTrace(path) {
  const events = JSON.parse(readFileSync(path, 'utf8')).traceEvents;
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args.name === 'CrRendererMain');
  const onMain = events.filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur);
  const byName = new Map();
  for (const e of onMain) {
    byName.set(e.name, (byName.get(e.name) ?? 0) + e.dur / 1000);
  }
  const styles = onMain.filter((e) => e.name === 'UpdateLayoutTree');
  let first = Infinity;
  let last = -Infinity;
  for (const e of events) {
    if (e.ts) {
      first = Math.min(first, e.ts);
      last = Math.max(last, e.ts);
    }
  }
  const kinds = ['UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'FunctionCall', 'TimerFire'];
  return {
    traced_s: Number(((last - first) / 1e6).toFixed(1)),
    busy_ms: Math.round(byName.get('RunTask') ?? 0),
    ms_by_kind: Object.fromEntries(kinds.map((k) => [k, Math.round(byName.get(k) ?? 0)])),
    style_recalcs: styles.length,
    style_recalc_elements_p50: percentile(
      styles.map((e) => e.args?.elementCount ?? 0),
      50,
    ),
    style_recalc_ms: {
      p50: Number(
        (
          percentile(
            styles.map((e) => e.dur / 1000),
            50,
          ) ?? 0
        ).toFixed(2),
      ),
      p95: Number(
        (
          percentile(
            styles.map((e) => e.dur / 1000),
            95,
          ) ?? 0
        ).toFixed(2),
      ),
    },
  };
}

/** A CDP CPU profile's self time by function (name, file, line), the top 25, and the total sampled. */
function summariseProfile(profile) {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  const deltas = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byNode.get(profile.samples[i]);
    const ms = (deltas[i + 1] ?? 0) / 1000;
    const frame = node.callFrame;
    const file = frame.url ? frame.url.replace(/^https?:\/\/[^/]+\//, '') : '';
    const key = `${frame.functionName || '(anonymous)'} ${file}${file ? `:${frame.lineNumber + 1}:${frame.columnNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + ms);
  }
  const total = [...self.values()].reduce((sum, ms) => sum + ms, 0);
  const idle = ['(idle) ', '(program) ', '(garbage collector) '].reduce((sum, k) => sum + (self.get(k) ?? 0), 0);
  return {
    sampled_ms: Math.round(total),
    busy_ms: Math.round(total - (self.get('(idle) ') ?? 0)),
    idle_ms: Math.round(self.get('(idle) ') ?? 0),
    not_idle_ms_excluding_program_gc: Math.round(total - idle),
    top: [...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25)
      .map(([fn, ms]) => ({ fn, ms: Math.round(ms) })),
  };
}

// ---------------------------------------------------------------------------------------------
// One run: a system, a browser, every rate.

async function run(options, index) {
  const dir = tempFolder('deckhand-dashboard-bench-');
  const sandbox = await startSandbox(dir);
  const deckApiKey = `sk_test_${randomBytes(16).toString('hex')}`;
  const api = await startApiWithSandbox({ dir, deckApiKey, sandboxURL: sandbox.url });
  const deck = deckClient(sandbox.url, deckApiKey);

  const browser = await chromium.launch({
    executablePath: findChromium() ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    // Ctrl-C and kills are handled by bench/lib/system.js, which closes the browser first.
    handleSIGINT: false,
    handleSIGTERM: false,
  });
  onCleanUp(() => browser.close());
  const context = await browser.newContext({
    baseURL: api.url,
    viewport: VIEWPORT,
    locale: 'en-US',
    timezoneId: 'UTC',
    reducedMotion: options.reducedMotion ? 'reduce' : 'no-preference',
  });
  const login = await context.request.post('/api/auth/login', { data: ADMIN });
  if (!login.ok()) {
    throw new Error(`signing in as ${ADMIN.email} answered ${login.status()}: ${await login.text()}`);
  }

  const createdAt = Date.now();
  const stored = await storeCredentials(deck, options.credentials);
  await waitForMirror(context, options.credentials);
  const setupSeconds = (Date.now() - createdAt) / 1000;

  const { webhook_destination_id: destinationId } = await apiGet(context, '/api/console');
  if (!destinationId) {
    throw new Error('GET /api/console names no webhook destination: is the api not in sandbox mode?');
  }
  const { secret } = await deck('GET', `/sandbox/event-destinations/${destinationId}/secret`);
  const send = webhookSender(api.url, secret);

  // The first page as the api gives it (newest first), with Deck's object of each row.
  const deckById = new Map(stored.map((c) => [c.id, c]));
  const firstPage = await apiGet(context, `/api/credentials?limit=${PAGE_SIZE}`);
  const targets = firstPage.data.map((row) => ({ id: row.id, deck: deckById.get(row.deck_id) }));
  if (targets.some((t) => !t.deck)) {
    throw new Error("the api's first page holds credentials the benchmark did not store");
  }

  const tag = `${Date.now().toString(36)}${index}`;
  const phases = [];
  for (const rate of options.rates) {
    const load = machine().loadavg;
    const tracePath = options.trace === rate ? join(TRACES_DIR, `dashboard-live-trace-${rate}-${tag}.json`) : null;
    if (tracePath) {
      mkdirSync(TRACES_DIR, { recursive: true });
    }
    const result = await runRate({
      context,
      rate,
      seconds: options.duration,
      targets,
      send,
      tag,
      profile: options.profile === rate,
      tracePath,
    });
    const phase = { ...result, loadavg_before: load, ...(tracePath ? { trace: relative(ROOT, tracePath) } : {}) };
    phases.push(phase);
    printPhase(index, phase);
  }
  await cleanUp();
  return { setup_s: Number(setupSeconds.toFixed(1)), phases };
}

// ---------------------------------------------------------------------------------------------
// Printing.

const COLUMNS = [
  ['rate/s', (p) => `${p.rate}`],
  ['sent/s', (p) => `${p.achieved_rate}`],
  ['long tasks n / total / max ms', (p) => `${p.long_tasks.count} / ${p.long_tasks.total_ms} / ${p.long_tasks.max_ms}`],
  [
    'frame ms p50 / p95 / p99 / max',
    (p) => `${p.frame_ms.p50} / ${p.frame_ms.p95} / ${p.frame_ms.p99} / ${p.frame_ms.max}`,
  ],
  ['fps', (p) => `${p.fps}`],
  ['task delay ms p95 / max', (p) => `${p.probe_ms.p95} / ${p.probe_ms.max}`],
  [
    'fresh ms p50 / p95 / p99',
    (p) => (p.events ? `${p.freshness_ms.p50} / ${p.freshness_ms.p95} / ${p.freshness_ms.p99}` : '–'),
  ],
  ['ack ms p95', (p) => (p.events ? `${p.ack_ms.p95}` : '–')],
  ['non-200 / unseen', (p) => `${p.non_200} / ${p.unseen_events}`],
];

function table(phases) {
  const rows = [COLUMNS.map(([title]) => title), ...phases.map((p) => COLUMNS.map(([, cell]) => cell(p)))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

function printPhase(index, p) {
  const load = machine().loadavg.join(' ');
  console.log(
    `  run ${index + 1}, ${p.rate}/s: ${p.events} events, ${p.long_tasks.count} long tasks (max ${p.long_tasks.max_ms} ms), ` +
      `frames p95 ${p.frame_ms.p95} ms, fresh p95 ${p.freshness_ms.p95 ?? '–'} ms${p.drained ? '' : ' (NOT drained)'}; load ${load}`,
  );
  if (p.main_thread) {
    const t = p.main_thread;
    console.log(
      `  trace at ${p.rate}/s (${p.trace}): main thread busy ${t.busy_ms} ms of ${t.traced_s} s; ` +
        Object.entries(t.ms_by_kind)
          .map(([k, ms]) => `${k} ${ms}`)
          .join(', ') +
        ` ms; ${t.style_recalcs} style recalcs, p50 ${t.style_recalc_elements_p50} elements, ` +
        `${t.style_recalc_ms.p50} ms (p95 ${t.style_recalc_ms.p95} ms)`,
    );
  }
  if (p.hotspots) {
    console.log(
      `  CPU profile at ${p.rate}/s: ${p.hotspots.busy_ms} ms busy of ${p.hotspots.sampled_ms} ms sampled; self time:`,
    );
    for (const { fn, ms } of p.hotspots.top) {
      console.log(`    ${String(ms).padStart(6)} ms  ${fn}`);
    }
  }
}

/** Per rate, the median of each figure over the runs. */
function medians(runs) {
  const rates = runs[0].phases.map((p) => p.rate);
  return rates.map((rate, i) => {
    const all = runs.map((r) => r.phases[i]);
    const med = (get) => median(all.map(get));
    return {
      rate,
      seconds: all[0].seconds,
      events: all[0].events,
      achieved_rate: med((p) => p.achieved_rate),
      non_200: med((p) => p.non_200),
      ack_ms: { p50: med((p) => p.ack_ms.p50), p95: med((p) => p.ack_ms.p95), max: med((p) => p.ack_ms.max) },
      long_tasks: {
        count: med((p) => p.long_tasks.count),
        total_ms: med((p) => p.long_tasks.total_ms),
        max_ms: med((p) => p.long_tasks.max_ms),
      },
      frame_ms: {
        p50: med((p) => p.frame_ms.p50),
        p95: med((p) => p.frame_ms.p95),
        p99: med((p) => p.frame_ms.p99),
        max: med((p) => p.frame_ms.max),
        over_50ms: med((p) => p.frame_ms.over_50ms),
      },
      fps: med((p) => p.fps),
      probe_ms: { p95: med((p) => p.probe_ms.p95), max: med((p) => p.probe_ms.max) },
      freshness_ms: {
        p50: med((p) => p.freshness_ms.p50),
        p95: med((p) => p.freshness_ms.p95),
        p99: med((p) => p.freshness_ms.p99),
        max: med((p) => p.freshness_ms.max),
      },
      unseen_events: med((p) => p.unseen_events),
    };
  });
}

/** The commit measured, and whether the working tree's apps or libs differ from it (others may be editing). */
function revision() {
  try {
    const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    return {
      commit: git('rev-parse', '--short', 'HEAD'),
      apps_changed: git('status', '--porcelain', '--', 'apps', 'libs') !== '',
    };
  } catch {
    return { commit: null, apps_changed: null };
  }
}

async function main() {
  stopOnSignals();
  const options = parseArgs(process.argv.slice(2));
  const command = `node ${relative(ROOT, __filename)} ${process.argv.slice(2).join(' ')}`.trim();
  const before = machine();
  const measured = revision();
  console.log(
    `dashboard live: /credentials?limit=${PAGE_SIZE} at ${VIEWPORT.width}×${VIEWPORT.height}, ${options.credentials} credentials, ` +
      `rates ${options.rates.join(', ')}/s for ${options.duration} s, ${options.repeat} run(s)`,
  );
  console.log(`commit ${measured.commit}${measured.apps_changed ? ' (apps or libs changed in the working tree)' : ''}`);
  console.log(
    `machine: ${before.nproc} cores (${before.cpu}), Node ${before.node}, load average ${before.loadavg.join(' ')}`,
  );
  const runs = [];
  for (let i = 0; i < options.repeat; i++) {
    runs.push(await run(options, i));
  }
  const after = machine();
  const summary = medians(runs);
  const label = options.repeat > 1 ? `median of ${options.repeat} runs` : 'one run';
  console.log(
    `\n${label}; load average before ${before.loadavg.join(' ')}, after ${after.loadavg.join(' ')} (nproc ${after.nproc})`,
  );
  console.log(table(summary));

  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `dashboard-live-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const result = {
    command,
    measured_at: new Date().toISOString(),
    ...measured,
    machine: { before, after },
    options,
    median: summary,
    runs,
  };
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nfigures: ${relative(ROOT, file)}`);
  const broken = runs.flatMap((r) => r.phases).filter((p) => p.non_200 > 0 || !p.drained);
  if (broken.length > 0) {
    console.error(`not every event was accepted and shown (non-200 or NOT drained above): the figures are suspect`);
  }
  return broken.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  async (error) => {
    console.error(error);
    await cleanUp();
    process.exit(1);
  },
);
