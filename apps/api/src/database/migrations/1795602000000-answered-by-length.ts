import { MigrationInterface, QueryRunner } from 'typeorm';

export class AnsweredByLength1795602000000 implements MigrationInterface {
  name = 'AnsweredByLength1795602000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_interactions_state"`);
    await queryRunner.query(`DROP INDEX "IDX_interactions_task_run_id"`);
    await queryRunner.query(`DROP INDEX "IDX_interactions_opened_by_event"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_interactions" ("id" varchar(40) PRIMARY KEY NOT NULL, "task_run_id" varchar(40) NOT NULL, "credential_id" varchar(40), "prompt" text NOT NULL, "state" varchar(20) NOT NULL, "opened_by_event" varchar(64) NOT NULL, "opened_at" varchar(30) NOT NULL, "closed_at" varchar(30), "answered_by" varchar(300))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_interactions"("id", "task_run_id", "credential_id", "prompt", "state", "opened_by_event", "opened_at", "closed_at", "answered_by") SELECT "id", "task_run_id", "credential_id", "prompt", "state", "opened_by_event", "opened_at", "closed_at", "answered_by" FROM "interactions"`,
    );
    await queryRunner.query(`DROP TABLE "interactions"`);
    await queryRunner.query(`ALTER TABLE "temporary_interactions" RENAME TO "interactions"`);
    await queryRunner.query(`CREATE INDEX "IDX_interactions_state" ON "interactions" ("state") `);
    await queryRunner.query(`CREATE INDEX "IDX_interactions_task_run_id" ON "interactions" ("task_run_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_interactions_opened_by_event" ON "interactions" ("opened_by_event") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_interactions_opened_by_event"`);
    await queryRunner.query(`DROP INDEX "IDX_interactions_task_run_id"`);
    await queryRunner.query(`DROP INDEX "IDX_interactions_state"`);
    await queryRunner.query(`ALTER TABLE "interactions" RENAME TO "temporary_interactions"`);
    await queryRunner.query(
      `CREATE TABLE "interactions" ("id" varchar(40) PRIMARY KEY NOT NULL, "task_run_id" varchar(40) NOT NULL, "credential_id" varchar(40), "prompt" text NOT NULL, "state" varchar(20) NOT NULL, "opened_by_event" varchar(64) NOT NULL, "opened_at" varchar(30) NOT NULL, "closed_at" varchar(30), "answered_by" varchar(60))`,
    );
    await queryRunner.query(
      `INSERT INTO "interactions"("id", "task_run_id", "credential_id", "prompt", "state", "opened_by_event", "opened_at", "closed_at", "answered_by") SELECT "id", "task_run_id", "credential_id", "prompt", "state", "opened_by_event", "opened_at", "closed_at", "answered_by" FROM "temporary_interactions"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_interactions"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_interactions_opened_by_event" ON "interactions" ("opened_by_event") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_interactions_task_run_id" ON "interactions" ("task_run_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_interactions_state" ON "interactions" ("state") `);
  }
}
