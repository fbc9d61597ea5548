import type { INestApplication } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';

import { Transactor } from '@app/sqlite';

/** Row count and content hash of every table: equal snapshots mean nothing was written. */
export type Snapshot = Record<string, string>;

/** The last snapshot of each app's database, with SQLite's count of rows written when it was taken. */
const lastTaken = new WeakMap<INestApplication, { writes: number; leaveOut: string; snapshot: Snapshot }>();

/**
 * Reads every table of the app's database in the app's own write queue, so a
 * half-written transaction is never seen. `leaveOut` maps a table to an SQL
 * condition on the rows left out, with the reason at the call site.
 */
export async function snapshot(app: INestApplication, leaveOut: Record<string, string> = {}): Promise<Snapshot> {
  const dataSource = app.get(DataSource);
  // An in-memory database has one connection, so its write count says whether anything can differ from the last read.
  const private_ = dataSource.options.database === ':memory:';
  const key = JSON.stringify(leaveOut);
  return app.get(Transactor).exclusive(async () => {
    const [{ writes }] = await dataSource.query<{ writes: number }[]>('SELECT total_changes() AS writes');
    const last = lastTaken.get(app);
    if (private_ && last?.writes === writes && last.leaveOut === key) {
      return last.snapshot;
    }
    const tables = await dataSource.query<{ name: string }[]>(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
    );
    const result: Snapshot = {};
    for (const { name } of tables) {
      const where = leaveOut[name] ? ` WHERE NOT (${leaveOut[name]})` : '';
      // Sorted here, not by rowid: some tables have none (a full-text index's WITHOUT ROWID shadow tables).
      const rows = (await dataSource.query<unknown[]>(`SELECT * FROM "${name}"${where}`))
        .map((row) => JSON.stringify(row))
        .sort();
      result[name] = `${rows.length} rows, sha256 ${createHash('sha256').update(rows.join('\n')).digest('hex')}`;
    }
    lastTaken.set(app, { writes, leaveOut: key, snapshot: result });
    return result;
  });
}

/** The tables whose content differs between two snapshots. */
export const changedTables = (before: Snapshot, after: Snapshot): string[] =>
  Object.keys({ ...before, ...after }).filter((table) => before[table] !== after[table]);
