import { DataSource } from 'typeorm';

import { MIGRATIONS } from '.';
import { CredentialSearch1795605000000 } from './1795605000000-credential-search';

/** The schema as it stood just before this migration. */
const before = MIGRATIONS.slice(0, MIGRATIONS.indexOf(CredentialSearch1795605000000));

function credential(id: string, externalId: string, status: string): unknown[] {
  const at = '2026-01-01T00:00:00.000Z';
  return [id, `cred_${id}`, 'src_1', externalId, 'username_password', 'us***', status, at, at, at];
}

describe(CredentialSearch1795605000000.name, () => {
  let dataSource: DataSource;

  beforeEach(async () => {
    dataSource = await new DataSource({ type: 'sqlite', database: ':memory:', migrations: before }).initialize();
    await dataSource.runMigrations();
    for (const values of [
      credential('a', 'Existing-One', 'verified'),
      credential('b', 'existing-two', 'verified'),
      credential('c', 'other', 'invalid'),
    ]) {
      await dataSource.query(
        `INSERT INTO "credentials" ("id", "deck_id", "source_id", "external_id", "auth_method", "username_hint", "status", "status_changed_at", "created_at", "updated_at") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        values,
      );
    }
  });

  afterEach(async () => {
    await dataSource.destroy();
  });

  const names = async (type: string): Promise<string[]> =>
    (
      await dataSource.query<{ name: string }[]>(
        `SELECT "name" FROM "sqlite_master" WHERE "type" = ? AND "name" NOT LIKE 'sqlite_%' ORDER BY "name"`,
        [type],
      )
    ).map((r) => r.name);

  it('should index the rows already stored and count them by status', async () => {
    const runner = dataSource.createQueryRunner();
    await new CredentialSearch1795605000000().up(runner);
    await runner.release();

    const hits = await dataSource.query<{ external_id: string }[]>(
      `SELECT "external_id" FROM "credentials_search" WHERE "credentials_search" MATCH '"EXISTING"' ORDER BY 1`,
    );
    expect(hits.map((h) => h.external_id)).toEqual(['Existing-One', 'existing-two']);
    const counts = await dataSource.query<{ status: string; n: number }[]>(
      `SELECT "status", "n" FROM "credential_status_counts" ORDER BY "status"`,
    );
    expect(counts).toEqual([
      { status: 'invalid', n: 1 },
      { status: 'verified', n: 2 },
    ]);
    expect(await names('index')).toEqual(
      expect.arrayContaining(['IDX_credentials_created_at', 'IDX_credentials_status_changed_at']),
    );
  });

  it('should remove its indexes, tables and triggers again on the way down', async () => {
    const [tables, indexes, triggers] = [await names('table'), await names('index'), await names('trigger')];
    const runner = dataSource.createQueryRunner();
    const migration = new CredentialSearch1795605000000();
    await migration.up(runner);
    await migration.down(runner);
    await runner.release();

    expect(await names('table')).toEqual(tables);
    expect(await names('index')).toEqual(indexes);
    expect(await names('trigger')).toEqual(triggers);
    // The table still takes writes without the triggers' tables.
    await dataSource.query(`UPDATE "credentials" SET "status" = 'deleted', "external_id" = 'x' WHERE "id" = 'a'`);
  });
});
