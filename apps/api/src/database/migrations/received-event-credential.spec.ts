import { DataSource } from 'typeorm';

import { MIGRATIONS } from '.';
import { ReceivedEventCredential1795603000000 } from './1795603000000-received-event-credential';

/** The schema as it stood just before this migration (later ones build on its column). */
const before = MIGRATIONS.slice(0, MIGRATIONS.indexOf(ReceivedEventCredential1795603000000));

function row(id: string, type: string, objectId: string | null, payload: string): unknown[] {
  return [id, type, objectId, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z', 'webhook', 'applied', payload];
}

describe(ReceivedEventCredential1795603000000.name, () => {
  let dataSource: DataSource;

  beforeEach(async () => {
    dataSource = await new DataSource({ type: 'sqlite', database: ':memory:', migrations: before }).initialize();
    await dataSource.runMigrations();
    const rows = [
      row('evt_1', 'credential.verified', 'cred_1', '{"data":{"id":"cred_1"}}'),
      row('evt_2', 'task_run.completed', 'trun_1', '{"data":{"id":"trun_1","credential_id":"cred_2"}}'),
      row('evt_3', 'task_run.queued', 'trun_2', '{"data":{"id":"trun_2","credential_id":null}}'),
      row('evt_4', 'session.created', 'sess_1', '{"data":{"id":"sess_1","credential_id":7}}'),
      row('evt_5', '(not an event)', null, '{"unparsed":"not json"}'),
      row('evt_6', 'source.created', 'src_1', '[1,2]'),
    ];
    for (const values of rows) {
      await dataSource.query(
        `INSERT INTO "received_events" ("id", "type", "object_id", "created_at", "received_at", "via", "outcome", "payload") VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        values,
      );
    }
  });

  afterEach(async () => {
    await dataSource.destroy();
  });

  const credentialIds = async (): Promise<Record<string, string | null>> =>
    Object.fromEntries(
      (
        await dataSource.query<{ id: string; deck_credential_id: string | null }[]>(
          `SELECT "id", "deck_credential_id" FROM "received_events" ORDER BY "id"`,
        )
      ).map((r) => [r.id, r.deck_credential_id]),
    );

  it("should fill the column from a credential event's object and another event's data.credential_id string", async () => {
    const runner = dataSource.createQueryRunner();
    await new ReceivedEventCredential1795603000000().up(runner);
    await runner.release();
    expect(await credentialIds()).toEqual({
      evt_1: 'cred_1',
      evt_2: 'cred_2',
      evt_3: null,
      evt_4: null,
      evt_5: null,
      evt_6: null,
    });
  });

  it('should drop the column and its index again on the way down', async () => {
    const runner = dataSource.createQueryRunner();
    const migration = new ReceivedEventCredential1795603000000();
    await migration.up(runner);
    await migration.down(runner);
    await runner.release();
    const columns = await dataSource.query<{ name: string }[]>(`PRAGMA table_info("received_events")`);
    expect(columns.map((c) => c.name)).not.toContain('deck_credential_id');
  });
});
