import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import sqlite3 from 'sqlite3';
import type { SqliteConnectionOptions } from 'typeorm/driver/sqlite/SqliteConnectionOptions';

/**
 * How both apps open SQLite: schema by migrations only (run at start, each in
 * its own transaction), never `synchronize`; WAL and a busy timeout on a file
 * database, whose folder is created. `:memory:` runs the same migrations.
 */
export function sqliteOptions(
  database: string,
  migrations: SqliteConnectionOptions['migrations'],
): SqliteConnectionOptions & { autoLoadEntities: true } {
  const inMemory = database === ':memory:';
  if (!inMemory) {
    mkdirSync(dirname(database), { recursive: true });
  }
  return {
    type: 'sqlite',
    database,
    autoLoadEntities: true,
    synchronize: false,
    migrations,
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    enableWAL: !inMemory,
    busyErrorRetry: 50,
    busyTimeout: 5000,
    // TypeORM switches sqlite3 to verbose mode, which captures a stack trace and formats every
    // argument of every statement; handing it a driver whose verbose() is a no-op keeps the plain one.
    driver: { ...sqlite3, verbose: () => sqlite3 },
  };
}
