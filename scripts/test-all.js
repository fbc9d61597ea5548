#!/usr/bin/env node
// `npm test`: sets up on first use, then runs every check and every test, and
// ends with one line CI reads: "N passed, N failed". Each static check
// (types, build, lint, format) counts as one test; jest's tests count one by one.
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, readFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const { ensureSetup } = require('./lib/ensure-setup');
const { root } = require('./lib/setup-stamp');

ensureSetup();

const bin = (name) => join(root, 'node_modules', '.bin', name);
const results = join(root, '.test-results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

let passed = 0;
let failed = 0;
const failures = [];

function check(name, command, args) {
  console.log(`\n== ${name}`);
  const run = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (run.status === 0) {
    passed += 1;
  } else {
    failed += 1;
    failures.push(name);
  }
}

check('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
// Some suites start the built apps as real processes: build what they run.
check('build', 'npm', ['run', '--silent', 'build']);
check('lint', bin('eslint'), ['.', '--max-warnings=0']);
check('format', bin('prettier'), ['--check', '.', '--log-level=warn']);

console.log('\n== jest');
const jestJson = join(results, 'jest.json');
const jest = spawnSync(bin('jest'), ['--ci', '--json', `--outputFile=${jestJson}`], { cwd: root, stdio: 'inherit' });
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

if (failures.length > 0) {
  console.log(`\nFailed: ${failures.join(', ')}`);
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
