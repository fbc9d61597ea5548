// Baseline for `GET /api/credentials`: the SQL the api runs for one list request (the page of
// limit + 1 rows, then the counts by status), written out by hand from its query service and run
// straight on the `sqlite3` driver: no HTTP, no Nest, no TypeORM, no JSON. Same file, same indexes,
// same search table, so the difference to the api's figure is what the api adds around its queries.
const sqlite3 = require('sqlite3');

const { percentile } = require('../lib/system');

const LIMIT = 50;
const WARM_UP = 5;

const escapeLike = (text) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The page and counts SQL for a list query string (status, q, sort, cursor=<column value, id>). */
function listSql(query, cursor) {
  const params = new URLSearchParams(query);
  const sort = params.get('sort') ?? '-created_at';
  const column = sort.replace(/^-/, '');
  const direction = sort.startsWith('-') ? 'DESC' : 'ASC';
  const filters = [];
  const args = [];
  const q = params.get('q');
  if (q) {
    if ([...q].length >= 3) {
      filters.push('c.rowid IN (SELECT "rowid" FROM "credentials_search" WHERE "credentials_search" MATCH ?)');
      args.push(`"${q.replace(/"/g, '""')}"`);
    }
    const pattern = `%${escapeLike(q.toLowerCase())}%`;
    filters.push(
      "(LOWER(c.external_id) LIKE ? ESCAPE '\\' OR LOWER(c.username_hint) LIKE ? ESCAPE '\\' OR LOWER(c.deck_id) LIKE ? ESCAPE '\\')",
    );
    args.push(pattern, pattern, pattern);
  }
  const where = ['1 = 1', ...filters];
  const pageWhere = [...where];
  const pageArgs = [...args];
  const status = params.get('status');
  if (status) {
    pageWhere.push('c.status IN (?)');
    pageArgs.push(status);
  }
  if (cursor) {
    pageWhere.push(`(c.${column}, c.id) ${direction === 'DESC' ? '<' : '>'} (?, ?)`);
    pageArgs.push(cursor.value, cursor.id);
  }
  return {
    page: {
      sql: `SELECT c.* FROM credentials c WHERE ${pageWhere.join(' AND ')} ORDER BY c.${column} ${direction}, c.id ${direction} LIMIT ${LIMIT + 1}`,
      args: pageArgs,
    },
    // Unfiltered counts come from the trigger-kept totals, as in the api.
    counts: q
      ? {
          sql: `SELECT c.status, COUNT(*) AS n FROM credentials c WHERE ${where.join(' AND ')} GROUP BY c.status`,
          args,
        }
      : { sql: 'SELECT k.status, k.n FROM credential_status_counts k', args: [] },
  };
}

/**
 * Opens `file` as the api does (WAL, busy timeout) and times each shape `requests` times (after
 * 5 untimed), page then counts, one at a time. `shapes`: [name, query]; the query `cursor` means
 * the page after the first page. Resolves with [{ query, rows, p50, p95, p99 }] in ms.
 */
async function timeSqlShapes(file, shapes, requests) {
  const db = new sqlite3.Database(file);
  const all = (sql, args) =>
    new Promise((resolve, reject) => db.all(sql, args, (e, rows) => (e ? reject(e) : resolve(rows))));
  try {
    await all('PRAGMA journal_mode = WAL', []);
    await all('PRAGMA busy_timeout = 5000', []);
    const firstPage = await all(listSql('', null).page.sql, listSql('', null).page.args);
    const last = firstPage[LIMIT - 1];
    const results = [];
    for (const [name, query] of shapes) {
      const statements =
        query === 'cursor' ? listSql('', { value: last.created_at, id: last.id }) : listSql(query, null);
      const times = [];
      let rows = 0;
      for (let i = 0; i < WARM_UP + requests; i++) {
        const started = process.hrtime.bigint();
        const page = await all(statements.page.sql, statements.page.args);
        await all(statements.counts.sql, statements.counts.args);
        if (i >= WARM_UP) {
          times.push(Number(process.hrtime.bigint() - started) / 1e6);
        }
        rows = Math.min(page.length, LIMIT);
      }
      process.stdout.write(`\rSQL only, ${name}: ${requests}/${requests}`.padEnd(60) + '\n');
      results.push({
        query: name,
        rows,
        p50: percentile(times, 50),
        p95: percentile(times, 95),
        p99: percentile(times, 99),
      });
    }
    return results;
  } finally {
    await new Promise((resolve) => db.close(() => resolve()));
  }
}

module.exports = { listSql, timeSqlShapes };
