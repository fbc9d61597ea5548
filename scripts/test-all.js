#!/usr/bin/env node
// `npm test`: sets up on first use, then runs every check and every test, and
// ends with one line CI reads: "N passed, N failed". Each static check
// (types, build, lint, format) counts as one test; jest's and the browser
// suite's tests count one by one. Skipped tests are not allowed: they fail.
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, readFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const { ensureBrowser } = require('./lib/ensure-browser');
const { ensureSetup } = require('./lib/ensure-setup');
const { root } = require('./lib/setup-stamp');

const started = Date.now();
const setUpNow = ensureSetup();
// On every run, not only at setup: the browser suite needs Debian's chromium (installed here as root).
const browser = ensureBrowser();
if (browser.error) {
  console.error(browser.error);
}

const bin = (name) => join(root, 'node_modules', '.bin', name);
const results = join(root, '.test-results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

let passed = 0;
let failed = 0;
const failures = [];
const timings = [];

/** Runs a step and notes how long it took (printed before the closing line: the 15-minute budget). */
function timed(name, step) {
  const start = Date.now();
  try {
    return step();
  } finally {
    timings.push(`${name} ${Math.round((Date.now() - start) / 1000)} s`);
  }
}

function check(name, command, args) {
  console.log(`\n== ${name}`);
  const run = timed(name, () => spawnSync(command, args, { cwd: root, stdio: 'inherit' }));
  if (run.status === 0) {
    passed += 1;
  } else {
    failed += 1;
    failures.push(name);
  }
  return run.status === 0;
}

check('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
// Some suites start the built apps as real processes, the browser suite all three: build what they run
// (set-up, when it ran just now, ended with that same build).
const built = setUpNow
  ? check('build (done by set-up in this run)', 'true', [])
  : check('build', 'npm', ['run', '--silent', 'build']);
check('lint', bin('eslint'), ['.', '--max-warnings=0']);
check('format', bin('prettier'), ['--check', '.', '--log-level=warn']);

console.log('\n== jest');
const jestJson = join(results, 'jest.json');
const jest = timed('jest', () =>
  spawnSync(bin('jest'), ['--ci', '--json', `--outputFile=${jestJson}`], { cwd: root, stdio: 'inherit' }),
);
if (existsSync(jestJson)) {
  const report = JSON.parse(readFileSync(jestJson, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  // A suite that fails to load runs no test but must still fail the run.
  const broken = report.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
  failed += broken;
  if (report.numFailedTests > 0 || broken > 0) {
    failures.push('jest');
  }
  if (report.numPendingTests > 0 || report.numTodoTests > 0) {
    failed += report.numPendingTests + report.numTodoTests;
    failures.push(`jest: ${report.numPendingTests + report.numTodoTests} skipped or todo tests (not allowed)`);
  }
} else {
  failed += 1;
  failures.push(`jest (exit ${jest.status}, no report)`);
}

console.log('\n== browser (Playwright: sandbox + api + built dashboard in Debian chromium)');
if (browser.error) {
  failed += 1;
  failures.push("browser tests: not run, chromium is missing and could not be installed (Debian's `chromium` package)");
} else if (!built) {
  failed += 1;
  failures.push('browser tests: not run, the build failed');
} else {
  const pwJson = join(results, 'playwright.json');
  const pw = timed('browser', () =>
    spawnSync(bin('playwright'), ['test', '-c', 'test/browser/playwright.config.ts'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, CHROMIUM_PATH: browser.path },
    }),
  );
  const report = existsSync(pwJson) ? JSON.parse(readFileSync(pwJson, 'utf8')) : null;
  if (!report) {
    failed += 1;
    failures.push(`browser tests (exit ${pw.status}, no report)`);
  } else {
    const { expected = 0, flaky = 0, unexpected = 0, skipped = 0 } = report.stats;
    passed += expected + flaky;
    failed += unexpected + skipped;
    if (unexpected > 0) {
      failures.push('browser tests');
    }
    if (skipped > 0) {
      failures.push(`browser tests: ${skipped} skipped or not run (not allowed)`);
    }
    // Global setup failing (the system did not start), or an error outside any test.
    const errors = (report.errors ?? []).length;
    if (errors > 0 || (pw.status !== 0 && unexpected === 0)) {
      failed += Math.max(errors, 1);
      failures.push(`browser tests: ${Math.max(errors, 1)} error(s) outside the tests (exit ${pw.status})`);
    }
  }
}

if (failures.length > 0) {
  console.log(`\nFailed: ${failures.join(', ')}`);
}
console.log(`\nTook ${Math.round((Date.now() - started) / 1000)} s (${timings.join(', ')})`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
