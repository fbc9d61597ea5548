// The SQLite the figures come from, read rather than assumed: its version, and what a file opened
// with the api's pragmas actually runs with (journal mode, synchronous, busy timeout).
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const sqlite3 = require('sqlite3');

const SYNCHRONOUS = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];

async function runSettings() {
  const dir = mkdtempSync(join(tmpdir(), 'deckhand-bench-settings-'));
  const db = new sqlite3.Database(join(dir, 'probe.sqlite'));
  const get = (sql) => new Promise((resolve, reject) => db.get(sql, (e, row) => (e ? reject(e) : resolve(row))));
  try {
    const journal = await get('PRAGMA journal_mode = WAL');
    await get('PRAGMA busy_timeout = 5000');
    const synchronous = await get('PRAGMA synchronous');
    const busy = await get('PRAGMA busy_timeout');
    const version = await get('select sqlite_version() AS v');
    const driver = JSON.parse(readFileSync(require.resolve('sqlite3/package.json'), 'utf8')).version;
    return {
      sqlite: version.v,
      driver,
      journalMode: String(Object.values(journal)[0]).toUpperCase(),
      synchronous: `${SYNCHRONOUS[synchronous.synchronous] ?? synchronous.synchronous} (SQLite's default: neither sets it)`,
      busyTimeout: Object.values(busy)[0],
    };
  } finally {
    await new Promise((resolve) => db.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { runSettings };
