import { MigrationInterface, QueryRunner } from 'typeorm';

/** Uploaded scenarios, and credential status changes planned for later. */
export class ScenariosAndScheduledStatus1764115200000 implements MigrationInterface {
  name = 'ScenariosAndScheduledStatus1764115200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "scenarios" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "org_id" varchar(40) NOT NULL, "name" varchar(64) NOT NULL, "spec" text NOT NULL, "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL)`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_scenarios_org_name" ON "scenarios" ("org_id", "name") `);
    await queryRunner.query(`ALTER TABLE "credentials" ADD COLUMN "scheduled_status" varchar(20)`);
    await queryRunner.query(`ALTER TABLE "credentials" ADD COLUMN "scheduled_status_at" bigint`);
    await queryRunner.query(
      `CREATE INDEX "IDX_credentials_scheduled_status_at" ON "credentials" ("scheduled_status_at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_credentials_scheduled_status_at"`);
    await queryRunner.query(`ALTER TABLE "credentials" DROP COLUMN "scheduled_status_at"`);
    await queryRunner.query(`ALTER TABLE "credentials" DROP COLUMN "scheduled_status"`);
    await queryRunner.query(`DROP INDEX "IDX_scenarios_org_name"`);
    await queryRunner.query(`DROP TABLE "scenarios"`);
  }
}
