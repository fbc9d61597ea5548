#!/usr/bin/env node
// `npm test`: sets up on first use, then runs every check and every test, and
// ends with one line CI reads: "N passed, N failed". Each static check
// (types, build, lint, format) counts as one test; jest's and the browser
// suite's tests count one by one. Skipped tests are not allowed: they fail.
const { existsSync, mkdirSync, readFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const { ensureBrowser } = require('./lib/ensure-browser');
const { ensureSetup } = require('./lib/ensure-setup');
const { runStep } = require('./lib/run-step');
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

/** Runs a step beside the others and notes how long it took (printed before the closing line). */
async function timed(name, command, args, options = {}) {
  const run = await runStep(name, command, args, { cwd: root, since: started, ...options });
  timings.push(`${name} ${run.seconds} s`);
  return run;
}

async function check(name, command, args) {
  const run = await timed(name, command, args);
  if (run.status === 0) {
    passed += 1;
  } else {
    failed += 1;
    failures.push(name);
  }
  return run.status === 0;
}

async function jestSuites() {
  const jestJson = join(results, 'jest.json');
  const jest = await timed('jest', bin('jest'), ['--ci', '--json', `--outputFile=${jestJson}`]);
  if (!existsSync(jestJson)) {
    failed += 1;
    failures.push(`jest (exit ${jest.status}, no report)`);
    return;
  }
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
}

/** Playwright: sandbox + api + built dashboard in Debian chromium. */
async function browserSuite(built) {
  if (browser.error) {
    failed += 1;
    failures.push(
      "browser tests: not run, chromium is missing and could not be installed (Debian's `chromium` package)",
    );
    return;
  }
  if (!built) {
    failed += 1;
    failures.push('browser tests: not run, the build failed');
    return;
  }
  const pwJson = join(results, 'playwright.json');
  const pw = await timed('browser', bin('playwright'), ['test', '-c', 'test/browser/playwright.config.ts'], {
    env: { ...process.env, CHROMIUM_PATH: browser.path },
  });
  const report = existsSync(pwJson) ? JSON.parse(readFileSync(pwJson, 'utf8')) : null;
  if (!report) {
    failed += 1;
    failures.push(`browser tests (exit ${pw.status}, no report)`);
    return;
  }
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

/**
 * Two lanes at once, since no single step keeps both cores busy all the time: the static checks, one
 * after another; and the build, then jest and the browser suite together (both mostly wait on the
 * servers they start). Some jest suites start the built apps as real processes, the browser suite all three.
 */
async function main() {
  const staticChecks = (async () => {
    await check('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
    await check('lint', bin('eslint'), ['.', '--max-warnings=0']);
    await check('format', bin('prettier'), ['--check', '.', '--log-level=warn']);
  })();
  const tests = (async () => {
    // Set-up, when it ran just now, ended with that same build.
    const built = setUpNow
      ? await check('build (done by set-up in this run)', 'true', [])
      : await check('build', 'npm', ['run', '--silent', 'build']);
    await Promise.all([jestSuites(), browserSuite(built)]);
  })();
  await Promise.all([staticChecks, tests]);
}

main().then(
  () => finish(),
  (error) => {
    console.error(error);
    failed += 1;
    failures.push('test-all itself');
    finish();
  },
);

function finish() {
  if (failures.length > 0) {
    console.log(`\nFailed: ${failures.join(', ')}`);
  }
  console.log(`\nTook ${Math.round((Date.now() - started) / 1000)} s (${timings.join(', ')})`);
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}
