#!/usr/bin/env node
// `npm start`: sets up on first use, builds, then runs every Deckhand app on its
// embedded defaults with prefixed output. Ctrl-C (or either app exiting) stops all.
// `npm run start:mock-deck` passes `mock-deck` to run the sandbox alone.
const { spawn, spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
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
const builds = wanted.map((name) => APPS[name].build);
// The api serves the dashboard. Its build takes longer than the others, so it runs only when its sources changed.
if (wanted.includes('api') && dashboardIsStale()) {
  builds.push(['ng', 'build']);
}
for (const [bin, ...args] of builds) {
  const built = spawnSync(join(root, 'node_modules', '.bin', bin), args, { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) {
    process.exit(built.status ?? 1);
  }
}

function dashboardIsStale() {
  const built = join(root, 'dist', 'apps', 'dashboard', 'browser', 'index.html');
  if (!existsSync(built)) {
    return true;
  }
  const sources = ['apps/dashboard', 'libs/contracts/src', 'libs/deck/src', 'angular.json', 'package-lock.json'];
  return sources.some((source) => newestChange(join(root, source)) > statSync(built).mtimeMs);
}

function newestChange(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) {
    return stat.mtimeMs;
  }
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestChange(join(path, entry))), stat.mtimeMs);
}

// The apps write JSON log lines into our pipes. For a person at a terminal they are shown as one readable
// line each (LOG_FORMAT=json keeps them as they are); anything else, such as the api's banner, passes as is.
const readable = process.stdout.isTTY === true && process.env.LOG_FORMAT !== 'json';
const format = readable ? readableLine() : (line) => line;

function readableLine() {
  const { prettyFactory } = require('pino-pretty');
  // Nest's start-up narration (every module and route): the api logs it at debug, the sandbox at info.
  const narration = new Set(['NestFactory', 'NestApplication', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer']);
  const pretty = prettyFactory({
    colorize: !process.env.NO_COLOR,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,app,context,req,res,responseTime',
    singleLine: true,
    messageFormat: (log, key) =>
      log.req && log.res
        ? `${log.req.method} ${log.req.url} → ${log.res.statusCode} ${log.responseTime} ms`
        : `${log.context ? `${log.context}: ` : ''}${log[key]}`,
  });
  return (line) => {
    let log;
    try {
      log = JSON.parse(line);
    } catch {
      return line;
    }
    if (typeof log !== 'object' || log === null || typeof log.level !== 'number') {
      return line;
    }
    if (log.level === 30 && narration.has(log.context)) {
      return null;
    }
    return pretty(log).replace(/\n+$/, '');
  };
}

/** Whole lines only: a pipe may cut a line between two chunks. */
function forwardLines(stream, out, name) {
  let rest = '';
  stream.on('data', (chunk) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop();
    const text = lines
      .filter((line) => line.length > 0)
      .map(format)
      .filter((line) => line !== null)
      .map((line) => `[${name}] ${line}\n`)
      .join('');
    if (text) {
      out.write(text);
    }
  });
  stream.on('end', () => {
    if (rest) {
      out.write(`[${name}] ${rest}\n`);
    }
  });
}

const children = wanted.map((name) => {
  const child = spawn(process.execPath, ['--enable-source-maps', APPS[name].entry], {
    cwd: root,
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  forwardLines(child.stdout, process.stdout, name);
  forwardLines(child.stderr, process.stderr, name);
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
