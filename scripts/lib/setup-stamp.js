// Records which package-lock.json the installed node_modules came from, so the
// start and test commands know when to (re)install. No dependencies: it runs
// before anything is installed.
const { createHash } = require('node:crypto');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const stampFile = join(root, 'node_modules', '.deckhand-setup');

function lockHash() {
  return createHash('sha256')
    .update(readFileSync(join(root, 'package-lock.json')))
    .digest('hex');
}

function isCurrent() {
  return existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === lockHash();
}

function write() {
  writeFileSync(stampFile, `${lockHash()}\n`);
}

module.exports = { isCurrent, root };

if (require.main === module && process.argv[2] === 'write') {
  write();
}
