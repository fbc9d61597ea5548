// Runs scripts/setup.sh when node_modules is missing or was installed from another lockfile.
const { spawnSync } = require('node:child_process');
const { isCurrent, root } = require('./setup-stamp');

function ensureSetup() {
  if (isCurrent()) {
    return;
  }
  const result = spawnSync('bash', ['scripts/setup.sh'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('[setup] failed: see the output above');
    process.exit(result.status ?? 1);
  }
}

module.exports = { ensureSetup };
