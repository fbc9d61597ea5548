import type { INestApplication } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';

import { Transactor } from '@app/sqlite';

/** Row count and content hash of every table: equal snapshots mean nothing was written. */
export type Snapshot = Record<string, string>;

/**
 * Reads every table of the app's database in the app's own write queue, so a
 * half-written transaction is never seen. `skip` names tables left out (with a reason at the call site).
 */
export async function snapshot(app: INestApplication, skip: readonly string[] = []): Promise<Snapshot> {
  const dataSource = app.get(DataSource);
  return app.get(Transactor).exclusive(async () => {
    const tables = (await dataSource.query(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
    )) as { name: string }[];
    const result: Snapshot = {};
    for (const { name } of tables.filter((t) => !skip.includes(t.name))) {
      const rows = (await dataSource.query(`SELECT * FROM "${name}" ORDER BY rowid`)) as unknown[];
      result[name] = `${rows.length} rows, sha256 ${createHash('sha256').update(JSON.stringify(rows)).digest('hex')}`;
    }
    return result;
  });
}
