// Runs scripts/setup.sh when node_modules is missing or was installed from another lockfile.
// Returns true when it did (set-up ends with a full build, which then needs no repeating).
const { spawnSync } = require('node:child_process');
const { isCurrent, root } = require('./setup-stamp');

function ensureSetup() {
  if (isCurrent()) {
    return false;
  }
  // The browser is not part of the product: `npm test` ensures it on every run (ensure-browser.js).
  const result = spawnSync('bash', ['scripts/setup.sh'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, DECKHAND_SETUP_BROWSER: 'no' },
  });
  if (result.status !== 0) {
    console.error('[setup] failed: see the output above');
    process.exit(result.status ?? 1);
  }
  return true;
}

module.exports = { ensureSetup };
