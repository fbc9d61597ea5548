import { MigrationInterface, QueryRunner } from 'typeorm';

export class TaskRunDeckCredential1795604000000 implements MigrationInterface {
  name = 'TaskRunDeckCredential1795604000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "task_runs" ADD COLUMN "deck_credential_id" varchar(64)`);
    await queryRunner.query(
      `UPDATE "task_runs" SET "deck_credential_id" = (SELECT "deck_id" FROM "credentials" WHERE "credentials"."id" = "task_runs"."credential_id") WHERE "credential_id" IS NOT NULL`,
    );
    // Runs stored before their credential was known: the inbox still has the Deck credential each named.
    await queryRunner.query(
      `UPDATE "task_runs" SET "deck_credential_id" = (SELECT "deck_credential_id" FROM "received_events" WHERE "received_events"."object_id" = "task_runs"."deck_id" AND "received_events"."deck_credential_id" IS NOT NULL LIMIT 1) WHERE "credential_id" IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_task_runs_deck_credential_id" ON "task_runs" ("deck_credential_id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_task_runs_deck_credential_id"`);
    await queryRunner.query(`ALTER TABLE "task_runs" DROP COLUMN "deck_credential_id"`);
  }
}
