// The browser tests drive Debian's Chromium (never a browser Playwright downloads).
// Finds it, installs Debian's `chromium` package with apt-get when it is missing
// and this machine allows it (root, or password-less sudo), and otherwise says
// exactly what to install. Cheap when Chromium is there: `npm test` calls it on
// every run; `npm start` never does (the product does not need a browser).
// No dependencies: it runs before anything is installed.
const { spawnSync } = require('node:child_process');
const { accessSync, constants } = require('node:fs');
const { delimiter, join } = require('node:path');

const PACKAGE = 'chromium';
const DEFAULT_PATH = '/usr/bin/chromium';

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(command) {
  return (process.env.PATH || '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, command))
    .find(isExecutable);
}

/** The Chromium to use: CHROMIUM_PATH when set, else /usr/bin/chromium, else `chromium` on PATH; null when none. */
function findChromium() {
  if (process.env.CHROMIUM_PATH) {
    return isExecutable(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : null;
  }
  if (isExecutable(DEFAULT_PATH)) {
    return DEFAULT_PATH;
  }
  return onPath('chromium') ?? null;
}

function cannotInstall(reason) {
  return [
    `[browser] Chromium is missing and ${reason}.`,
    `[browser] The browser tests need Debian's \`${PACKAGE}\` package. Install it as root:`,
    `[browser]   apt-get update && apt-get install -y ${PACKAGE}`,
    '[browser] or set CHROMIUM_PATH to a Chromium executable.',
  ].join('\n');
}

/** How to run apt-get here: directly as root, through password-less sudo, or not at all. */
function aptRunner() {
  if (!onPath('apt-get')) {
    return { error: cannotInstall('this machine has no apt-get to install it with') };
  }
  if (typeof process.getuid === 'function' && process.getuid() === 0) {
    return { prefix: [] };
  }
  if (onPath('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0) {
    return { prefix: ['sudo', '-n'] };
  }
  return { error: cannotInstall('installing it needs root (run the tests as root, or install it first)') };
}

function run(prefix, args) {
  const [command, ...rest] = [...prefix, ...args];
  const result = spawnSync(command, rest, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
}

/**
 * Returns `{ path }` of a usable Chromium, installing Debian's package first when
 * it is missing; `{ error }` (a message naming the package) when it cannot.
 */
function ensureBrowser() {
  const found = findChromium();
  if (found) {
    return { path: found };
  }
  if (process.env.CHROMIUM_PATH) {
    return { error: `[browser] CHROMIUM_PATH is set to ${process.env.CHROMIUM_PATH}, which is not an executable.` };
  }
  const apt = aptRunner();
  if (apt.error) {
    return { error: apt.error };
  }
  console.log(`[browser] installing Debian's ${PACKAGE} package for the browser tests (about half a minute)`);
  if (!run(apt.prefix, ['apt-get', 'update', '-qq'])) {
    return { error: cannotInstall('`apt-get update` failed (see above)') };
  }
  if (!run(apt.prefix, ['apt-get', 'install', '-y', '-qq', PACKAGE])) {
    return { error: cannotInstall(`\`apt-get install ${PACKAGE}\` failed (see above)`) };
  }
  const installed = findChromium();
  return installed
    ? { path: installed }
    : { error: cannotInstall(`the ${PACKAGE} package installed no chromium executable`) };
}

module.exports = { ensureBrowser, findChromium, DEFAULT_PATH, PACKAGE };

if (require.main === module) {
  const result = ensureBrowser();
  if (result.error) {
    console.error(result.error);
    process.exit(1);
  }
  console.log(`[browser] chromium: ${result.path}`);
}
