import type { INestApplication } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';

import { Transactor } from '@app/sqlite';

/** Row count and content hash of every table: equal snapshots mean nothing was written. */
export type Snapshot = Record<string, string>;

/**
 * Reads every table of the app's database in the app's own write queue, so a
 * half-written transaction is never seen. `leaveOut` maps a table to an SQL
 * condition on the rows left out (`'TRUE'`: the whole table), with the reason at the call site.
 */
export async function snapshot(app: INestApplication, leaveOut: Record<string, string> = {}): Promise<Snapshot> {
  const dataSource = app.get(DataSource);
  return app.get(Transactor).exclusive(async () => {
    const tables = await dataSource.query<{ name: string }[]>(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
    );
    const result: Snapshot = {};
    for (const { name } of tables) {
      const where = leaveOut[name] ? ` WHERE NOT (${leaveOut[name]})` : '';
      const rows = await dataSource.query<unknown[]>(`SELECT * FROM "${name}"${where} ORDER BY rowid`);
      result[name] = `${rows.length} rows, sha256 ${createHash('sha256').update(JSON.stringify(rows)).digest('hex')}`;
    }
    return result;
  });
}

/** The tables whose content differs between two snapshots. */
export const changedTables = (before: Snapshot, after: Snapshot): string[] =>
  Object.keys({ ...before, ...after }).filter((table) => before[table] !== after[table]);
