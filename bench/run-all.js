#!/usr/bin/env node
// `npm run bench`: every benchmark beside its baseline, in one invocation, on the built apps.
//   ingest     the api's webhook inbox vs a bare node:http + sqlite3 receiver (same events, same
//              load generator, 16 concurrent), interleaved bare/api pairs, medians reported
//   list       GET /api/credentials at 100,000 credentials vs the same SQL straight on sqlite3
//   freshness  a state change at the sandbox → the operator's socket vs → a bare receiver
//   burst      the sandbox under a QA burst (bench/sandbox-burst.bench.js, when it is there)
// Prints a progress line per phase and a final table, and writes bench/results.md.
// Usage: node bench/run-all.js [--quick] [--only ingest,list,freshness,burst]
const { execFileSync } = require('node:child_process');
const { existsSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const { ROOT, cleanUp, machine, median, stopOnSignals } = require('./lib/system');
const { runSettings } = require('./lib/settings');
const { formatTable, markdownTable, rowsFor } = require('./lib/report');

const PHASES = ['ingest', 'list', 'freshness', 'burst'];
const BURST_FILE = join(__dirname, 'sandbox-burst.bench.js');
const RESULTS_FILE = join(__dirname, 'results.md');

/** Counts per phase: the full run (the goals' sizes) and --quick (a smoke run, minutes less). */
const SIZES = {
  full: {
    ingest: { events: 3000, concurrency: 16, pairs: 2 },
    list: { credentials: 100_000, requests: 200 },
    freshness: { changes: 200 },
    burst: {},
  },
  quick: {
    ingest: { events: 600, concurrency: 16, pairs: 1 },
    list: { credentials: 20_000, requests: 40 },
    freshness: { changes: 40 },
    burst: { credentials: 100, baselineRequests: 480, clockUsers: 24 },
  },
};

function parseArgs(argv) {
  const options = { quick: false, only: PHASES };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') {
      options.quick = true;
    } else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg.includes('=') ? arg.slice('--only='.length) : argv[++i];
      const picked = (value ?? '').split(',').filter(Boolean);
      const unknown = picked.filter((p) => !PHASES.includes(p));
      if (picked.length === 0 || unknown.length > 0) {
        throw new Error(`--only takes a list of ${PHASES.join(', ')} (got ${value ?? 'nothing'})`);
      }
      options.only = PHASES.filter((p) => picked.includes(p));
    } else {
      throw new Error(`unknown argument ${arg}; usage: node bench/run-all.js [--quick] [--only ${PHASES.join(',')}]`);
    }
  }
  return options;
}

function git(...args) {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

/** One line per phase step, with the time since the run began. */
function progress(started) {
  return (line) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
}

async function ingest(size, say) {
  const { run } = require('./webhook-inbox.bench');
  const runs = { bare: [], api: [] };
  for (let pair = 1; pair <= size.pairs; pair++) {
    for (const target of ['bare', 'api']) {
      say(`ingest: pair ${pair}/${size.pairs}, ${target}, ${size.events} events at ${size.concurrency} concurrent…`);
      const f = await run({ events: size.events, concurrency: size.concurrency, target });
      runs[target].push(f);
      say(
        `ingest: ${target} ${f.eventsPerSecond.toFixed(0)} events/s, p99 ${f.p99.toFixed(1)} ms, non-200 ${f.failures}`,
      );
    }
  }
  const med = (target, key) => median(runs[target].map((f) => f[key]));
  const summary = (target) => ({
    eventsPerSecond: med(target, 'eventsPerSecond'),
    p50: med(target, 'p50'),
    p95: med(target, 'p95'),
    p99: med(target, 'p99'),
    failures: runs[target].reduce((n, f) => n + f.failures, 0),
  });
  return { ...size, api: summary('api'), bare: summary('bare'), runs };
}

async function list(size, say) {
  const { run } = require('./credentials-list.bench');
  say(`list: seeding ${size.credentials} credentials, then ${size.requests} requests per query (SQL, then HTTP)…`);
  const f = await run(size);
  const worst = f.shapes.reduce((a, b) => (b.p95 > a.p95 ? b : a));
  say(
    `list: slowest p95 ${worst.p95.toFixed(1)} ms (${worst.query}; SQL alone ${worst.baseline?.p95?.toFixed(1) ?? '–'} ms)`,
  );
  return f;
}

async function freshness(size, say) {
  const { run } = require('./freshness.bench');
  say(`freshness: ${size.changes} status changes at the sandbox, socket and bare receiver interleaved…`);
  const f = await run({ changes: size.changes, progress: () => {} });
  say(`freshness: socket p99 ${f.api.p99.toFixed(1)} ms, bare receiver p99 ${f.baseline.p99.toFixed(1)} ms`);
  return f;
}

async function burst(size, say) {
  if (!existsSync(BURST_FILE)) {
    say('burst: skipped, bench/sandbox-burst.bench.js is not in this checkout');
    return null;
  }
  const { run } = require('./sandbox-burst.bench');
  say(`burst: ${size.credentials ?? 'default'} credentials created and run at once…`);
  const f = await run({ ...size });
  process.stderr.write('\n');
  return f;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  stopOnSignals();
  const started = Date.now();
  const say = progress(started);
  const size = SIZES[options.quick ? 'quick' : 'full'];
  const before = machine();
  // Read now, not at the end: the build just made is of this tree, and others may commit meanwhile.
  const tree = {
    commit: git('rev-parse', '--short', 'HEAD') || 'unknown',
    dirty: git('status', '--porcelain', '--', 'apps', 'libs').split('\n').filter(Boolean).length,
  };
  const settings = await runSettings();
  say(
    `bench: ${options.only.join(', ')}${options.quick ? ' (--quick)' : ''}; ${before.nproc} cores, load ${before.loadavg.join(' ')}, Node ${before.node}, SQLite ${settings.sqlite}`,
  );

  const figures = {};
  const failed = {};
  const steps = { ingest, list, freshness, burst };
  for (const [index, phase] of options.only.entries()) {
    say(`phase ${index + 1}/${options.only.length}: ${phase}`);
    try {
      figures[phase] = await steps[phase](size[phase], say);
    } catch (error) {
      // One phase failing (a shared checkout's dist rebuilt under it, say) still leaves the others' figures.
      failed[phase] = String(error?.message ?? error).split('\n')[0];
      say(`${phase}: FAILED: ${failed[phase]}`);
      await cleanUp();
    }
  }
  const after = machine();
  const rows = rowsFor(figures, { quick: options.quick });
  console.log(`\n${formatTable(rows)}\n`);
  for (const [phase, message] of Object.entries(failed)) {
    console.log(`${phase}: FAILED (${message})`);
  }

  const command =
    process.env.npm_lifecycle_event === 'bench'
      ? ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ')
      : ['node bench/run-all.js', ...process.argv.slice(2)].join(' ');
  const markdown = resultsMarkdown({
    options,
    figures,
    failed,
    tree,
    rows,
    before,
    after,
    settings,
    command,
    seconds: (Date.now() - started) / 1000,
  });
  // Written as the repository's format check wants it, so a committed run passes `npm test`.
  const prettier = require('prettier');
  const config = await prettier.resolveConfig(RESULTS_FILE);
  writeFileSync(RESULTS_FILE, await prettier.format(markdown, { ...config, filepath: RESULTS_FILE }));
  say(`wrote bench/results.md (${((Date.now() - started) / 1000).toFixed(0)} s in all)`);
  process.exitCode = Object.keys(failed).length > 0 ? 1 : 0;
}

function resultsMarkdown({ options, figures, failed, tree, rows, before, after, settings, command, seconds }) {
  const { commit, dirty } = tree;
  const busiest = Math.max(before.loadavg[0], after.loadavg[0]);
  const lines = [
    '# Benchmark results',
    '',
    `Generated by \`${command}\` (bench/run-all.js); rerun it to replace this file. How each figure`,
    'and its baseline are measured: [README.md](README.md); earlier hand-made figures are in its History.',
    '',
    `- date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} (the whole run took ${Math.round(seconds)} s)`,
    `- commit: ${commit} when the run began${dirty ? `, plus uncommitted changes in ${dirty} file(s) under apps/ or libs/ (the build was of the working tree)` : ''}`,
    `- machine: ${before.nproc} cores (nproc), ${before.cpu}; load average (1/5/15 min) ${before.loadavg.join(' / ')} before, ${after.loadavg.join(' / ')} after`,
    `- Node ${before.node}; SQLite ${settings.sqlite} (\`select sqlite_version()\` through the \`sqlite3\` ${settings.driver} package both the apps and the baselines use)`,
    `- settings: journal_mode ${settings.journalMode}, synchronous ${settings.synchronous}, busy_timeout ${settings.busyTimeout} ms (the api's pragmas; the baselines set the same)${figures.ingest ? `; ingest ${figures.ingest.events} events at ${figures.ingest.concurrency} concurrent, ${figures.ingest.pairs} bare/api pair(s), medians` : ''}${figures.list ? `; list ${figures.list.credentials} credentials, ${figures.list.requests} requests per query one at a time` : ''}${figures.freshness ? `; freshness ${figures.freshness.changes} changes one at a time` : ''}${figures.burst ? `; burst ${figures.burst.credentials} credentials at ${figures.burst.concurrency} concurrent` : ''}`,
    `- phases: ${options.only.join(', ')}${options.quick ? ' — **--quick: smaller counts than the goals assume; not a measurement of them**' : ''}${figures.burst === null ? ' (burst skipped: bench/sandbox-burst.bench.js missing)' : ''}`,
    ...(busiest > before.nproc
      ? [
          `- **the machine was busy**: a load average of ${busiest} on ${before.nproc} cores means other work competed with every figure; the ratios (both sides measured in the same run) say more than the absolute figures`,
        ]
      : []),
    ...Object.entries(failed).map(([phase, message]) => `- **${phase} failed**: ${message}`),
    '',
    markdownTable(rows),
    '',
  ];
  return lines.join('\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
