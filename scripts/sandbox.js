#!/usr/bin/env node
// `npm run sandbox -- <command>`: the sandbox CLI (apps/mock-deck/src/cli). Sets up
// on first use, builds mock-deck when the built CLI is missing or older than its
// sources, then runs it with the remaining arguments and exits with its code.
// Build output goes to stderr so `--json` on stdout stays parseable.
const { spawn, spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { constants } = require('node:os');
const { join } = require('node:path');
const { ensureSetup } = require('./lib/ensure-setup');
const { root } = require('./lib/setup-stamp');

const ENTRY = join(root, 'dist', 'apps', 'mock-deck', 'apps', 'mock-deck', 'src', 'cli', 'main.js');
// What the CLI is compiled from: its own folder and the sandbox code it imports.
const SOURCES = [
  join(root, 'apps', 'mock-deck', 'src', 'cli'),
  join(root, 'apps', 'mock-deck', 'src', 'common', 'duration.ts'),
  join(root, 'libs', 'deck', 'src'),
];

/** Newest modification time (ms) of the non-test .ts files under `path`. */
function newestSource(path) {
  if (!existsSync(path)) {
    return 0;
  }
  const stat = statSync(path);
  if (!stat.isDirectory()) {
    return /\.ts$/.test(path) && !/\.spec\.ts$/.test(path) ? stat.mtimeMs : 0;
  }
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestSource(join(path, name))), 0);
}

function isStale() {
  if (!existsSync(ENTRY)) {
    return true;
  }
  const built = statSync(ENTRY).mtimeMs;
  return SOURCES.some((source) => newestSource(source) > built);
}

ensureSetup();
if (isStale()) {
  console.error('[sandbox] building mock-deck (the CLI is missing or older than its sources)…');
  const build = spawnSync(join(root, 'node_modules', '.bin', 'nest'), ['build', 'mock-deck'], {
    cwd: root,
    stdio: ['ignore', 2, 2],
  });
  if (build.status !== 0) {
    console.error('[sandbox] the build failed: see the output above');
    process.exit(build.status ?? 1);
  }
}

const child = spawn(process.execPath, ['--enable-source-maps', ENTRY, ...process.argv.slice(2)], {
  cwd: process.cwd(),
  env: process.env,
  stdio: 'inherit',
});

// Ctrl-C in a terminal reaches the CLI too (same process group) and the CLI
// decides what it means (a live tail exits 0), so SIGINT is passed on only if
// the CLI is still running a moment later: then it was sent to this wrapper
// alone. Other signals (a CI runner stopping the job) are passed on at once.
process.on('SIGINT', () => {
  setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
    }
  }, 500).unref();
});
for (const signal of ['SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
    }
  });
}

child.on('exit', (code, signal) => {
  process.exit(code ?? 128 + (constants.signals[signal] ?? 1));
});
