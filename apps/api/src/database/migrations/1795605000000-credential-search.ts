import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The credentials list at 100,000 rows: an index per sort (and per status with each sort, the
 * filter the dashboard uses most), a trigram search index for free text, and counts by status
 * kept by triggers so an unfiltered list does not count every row per request.
 *
 * SQLite only (FTS5, triggers). The search table and the counts are written by triggers, so every
 * writer (the mirror, catch-up, reconciliation, a manual fix) keeps them true. The search rows use
 * the credential's rowid; a later migration that rebuilds "credentials" (TypeORM's table copy)
 * drops these triggers with the table and must recreate them and refill both tables, as up() does.
 * On PostgreSQL the same list query is served by pg_trgm GIN indexes on LOWER(column) instead.
 */
export class CredentialSearch1795605000000 implements MigrationInterface {
  name = 'CredentialSearch1795605000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_credentials_created_at" ON "credentials" ("created_at", "id") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_credentials_status_changed_at" ON "credentials" ("status_changed_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_credentials_status_created_at" ON "credentials" ("status", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_credentials_status_status_changed_at" ON "credentials" ("status", "status_changed_at", "id") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_credentials_source_id" ON "credentials" ("source_id", "status") `);

    // Trigram: any substring of 3 characters or more, case-insensitive, over the columns `q` searches.
    await queryRunner.query(
      `CREATE VIRTUAL TABLE "credentials_search" USING fts5("external_id", "username_hint", "deck_id", tokenize = 'trigram')`,
    );
    await queryRunner.query(
      `INSERT INTO "credentials_search" ("rowid", "external_id", "username_hint", "deck_id") SELECT "rowid", "external_id", "username_hint", "deck_id" FROM "credentials"`,
    );
    await queryRunner.query(
      `CREATE TABLE "credential_status_counts" ("status" varchar(20) PRIMARY KEY NOT NULL, "n" integer NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "credential_status_counts" ("status", "n") SELECT "status", COUNT(*) FROM "credentials" GROUP BY "status"`,
    );

    await queryRunner.query(
      `CREATE TRIGGER "credentials_after_insert" AFTER INSERT ON "credentials" BEGIN
        INSERT INTO "credentials_search" ("rowid", "external_id", "username_hint", "deck_id") VALUES (new."rowid", new."external_id", new."username_hint", new."deck_id");
        INSERT INTO "credential_status_counts" ("status", "n") VALUES (new."status", 1) ON CONFLICT ("status") DO UPDATE SET "n" = "n" + 1;
      END`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "credentials_after_delete" AFTER DELETE ON "credentials" BEGIN
        DELETE FROM "credentials_search" WHERE "rowid" = old."rowid";
        UPDATE "credential_status_counts" SET "n" = "n" - 1 WHERE "status" = old."status";
      END`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "credentials_after_update_text" AFTER UPDATE OF "external_id", "username_hint", "deck_id" ON "credentials" BEGIN
        DELETE FROM "credentials_search" WHERE "rowid" = old."rowid";
        INSERT INTO "credentials_search" ("rowid", "external_id", "username_hint", "deck_id") VALUES (new."rowid", new."external_id", new."username_hint", new."deck_id");
      END`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "credentials_after_update_status" AFTER UPDATE OF "status" ON "credentials" WHEN old."status" IS NOT new."status" BEGIN
        UPDATE "credential_status_counts" SET "n" = "n" - 1 WHERE "status" = old."status";
        INSERT INTO "credential_status_counts" ("status", "n") VALUES (new."status", 1) ON CONFLICT ("status") DO UPDATE SET "n" = "n" + 1;
      END`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "credentials_after_update_status"`);
    await queryRunner.query(`DROP TRIGGER "credentials_after_update_text"`);
    await queryRunner.query(`DROP TRIGGER "credentials_after_delete"`);
    await queryRunner.query(`DROP TRIGGER "credentials_after_insert"`);
    await queryRunner.query(`DROP TABLE "credential_status_counts"`);
    await queryRunner.query(`DROP TABLE "credentials_search"`);
    await queryRunner.query(`DROP INDEX "IDX_credentials_source_id"`);
    await queryRunner.query(`DROP INDEX "IDX_credentials_status_status_changed_at"`);
    await queryRunner.query(`DROP INDEX "IDX_credentials_status_created_at"`);
    await queryRunner.query(`DROP INDEX "IDX_credentials_status_changed_at"`);
    await queryRunner.query(`DROP INDEX "IDX_credentials_created_at"`);
  }
}
