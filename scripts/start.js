#!/usr/bin/env node
// `npm start`: sets up on first use, builds, then runs every Deckhand app on its
// embedded defaults with prefixed output. Ctrl-C (or either app exiting) stops all.
// `npm run start:mock-deck` passes `mock-deck` to run the sandbox alone.
const { spawn, spawnSync } = require('node:child_process');
const { join } = require('node:path');
const { ensureSetup } = require('./lib/ensure-setup');
const { root } = require('./lib/setup-stamp');

// The sandbox first: the api registers its webhook destination with it at start (and retries until it answers).
const APPS = {
  'mock-deck': { entry: 'dist/apps/mock-deck/apps/mock-deck/src/main.js', build: ['nest', 'build', 'mock-deck'] },
  api: { entry: 'dist/apps/api/apps/api/src/main.js', build: ['nest', 'build', 'api'] },
};

const wanted = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(APPS);
for (const name of wanted) {
  if (!APPS[name]) {
    console.error(`Unknown app "${name}". Apps: ${Object.keys(APPS).join(', ')}`);
    process.exit(2);
  }
}

ensureSetup();
for (const name of wanted) {
  const [bin, ...args] = APPS[name].build;
  const built = spawnSync(join(root, 'node_modules', '.bin', bin), args, { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) {
    process.exit(built.status ?? 1);
  }
}

const children = wanted.map((name) => {
  const child = spawn(process.execPath, ['--enable-source-maps', APPS[name].entry], {
    cwd: root,
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (chunk) =>
    chunk
      .toString()
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => `[${name}] ${line}\n`)
      .join('');
  child.stdout.on('data', (chunk) => process.stdout.write(prefix(chunk)));
  child.stderr.on('data', (chunk) => process.stderr.write(prefix(chunk)));
  child.on('exit', (exitCode, signal) => {
    if (!stopping) {
      console.error(`[${name}] exited (${signal ?? exitCode}); stopping the others`);
      stop(exitCode ?? 1);
    }
  });
  return child;
});

let stopping = false;
function stop(code) {
  stopping = true;
  for (const child of children) {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
    }
  }
  setTimeout(() => process.exit(code), 500).unref();
  Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.on('exit', r)) : null))).then(() =>
    process.exit(code),
  );
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
