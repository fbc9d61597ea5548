import { MigrationInterface, QueryRunner } from 'typeorm';

/** Indexes for listing events by created_at and for stamping each new one after its organisation's or object's newest. */
export class EventOrder1795700000000 implements MigrationInterface {
  name = 'EventOrder1795700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_events_org_created" ON "events" ("org_id", "created_at", "seq") `);
    await queryRunner.query(`CREATE INDEX "IDX_events_object_created" ON "events" ("object_id", "created_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_events_object_created"`);
    await queryRunner.query(`DROP INDEX "IDX_events_org_created"`);
  }
}
