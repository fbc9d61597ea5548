import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795601000000 implements MigrationInterface {
  name = 'Initial1795601000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "received_events" ("id" varchar(64) PRIMARY KEY NOT NULL, "type" varchar(60) NOT NULL, "object_id" varchar(64), "created_at" varchar(30) NOT NULL, "received_at" varchar(30) NOT NULL, "via" varchar(10) NOT NULL, "duplicates" integer NOT NULL DEFAULT (0), "outcome" varchar(10) NOT NULL, "note" varchar(300), "payload" text NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "task_runs" ("id" varchar(40) PRIMARY KEY NOT NULL, "deck_id" varchar(64) NOT NULL, "credential_id" varchar(40), "task_id" varchar(64) NOT NULL, "status" varchar(30) NOT NULL, "result" varchar(10), "errors" text NOT NULL, "started_at" varchar(30), "finished_at" varchar(30), "last_event_at" varchar(30), "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL)`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_task_runs_deck_id" ON "task_runs" ("deck_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_task_runs_credential_id" ON "task_runs" ("credential_id") `);
    await queryRunner.query(`CREATE TABLE "settings" ("key" varchar(60) PRIMARY KEY NOT NULL, "value" text NOT NULL)`);
    await queryRunner.query(
      `CREATE TABLE "changes" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "kind" varchar(20) NOT NULL, "credential_id" varchar(40), "payload" text NOT NULL, "created_at" varchar(30) NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_changes_credential_id" ON "changes" ("credential_id") `);
    await queryRunner.query(
      `CREATE TABLE "link_tokens" ("token_hash" varchar(64) PRIMARY KEY NOT NULL, "external_id" varchar(255) NOT NULL, "source_id" varchar(64), "created_by" varchar(40), "expires_at" varchar(30) NOT NULL, "created_at" varchar(30) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "interactions" ("id" varchar(40) PRIMARY KEY NOT NULL, "task_run_id" varchar(40) NOT NULL, "credential_id" varchar(40), "prompt" text NOT NULL, "state" varchar(20) NOT NULL, "opened_by_event" varchar(64) NOT NULL, "opened_at" varchar(30) NOT NULL, "closed_at" varchar(30), "answered_by" varchar(60))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_interactions_opened_by_event" ON "interactions" ("opened_by_event") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_interactions_task_run_id" ON "interactions" ("task_run_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_interactions_state" ON "interactions" ("state") `);
    await queryRunner.query(
      `CREATE TABLE "deck_intents" ("idempotency_key" varchar(120) PRIMARY KEY NOT NULL, "operation" varchar(60) NOT NULL, "result_id" varchar(64), "created_at" varchar(30) NOT NULL, "completed_at" varchar(30))`,
    );
    await queryRunner.query(
      `CREATE TABLE "credentials" ("id" varchar(40) PRIMARY KEY NOT NULL, "deck_id" varchar(64) NOT NULL, "source_id" varchar(64) NOT NULL, "external_id" varchar(255), "auth_method" varchar(30) NOT NULL, "username_hint" varchar(300), "status" varchar(20) NOT NULL, "last_error" text, "last_event_at" varchar(30), "status_changed_at" varchar(30) NOT NULL, "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL)`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_credentials_deck_id" ON "credentials" ("deck_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_credentials_external_id" ON "credentials" ("external_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_credentials_status" ON "credentials" ("status") `);
    await queryRunner.query(
      `CREATE TABLE "operators" ("id" varchar(40) PRIMARY KEY NOT NULL, "email" varchar(254) NOT NULL, "password_hash" varchar(200) NOT NULL, "role" varchar(20) NOT NULL, "created_at" varchar(30) NOT NULL, CONSTRAINT "UQ_1570f3d85c3ff08bb99815897a2" UNIQUE ("email"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "operator_sessions" ("token_hash" varchar(64) PRIMARY KEY NOT NULL, "operator_id" varchar(40) NOT NULL, "expires_at" varchar(30) NOT NULL, "created_at" varchar(30) NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_operator_sessions_operator_id" ON "operator_sessions" ("operator_id") `);
    await queryRunner.query(
      `CREATE TABLE "audit_log" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "at" varchar(30) NOT NULL, "actor" varchar(300) NOT NULL, "action" varchar(60) NOT NULL, "target" varchar(64), "detail" text)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "audit_log"`);
    await queryRunner.query(`DROP INDEX "IDX_operator_sessions_operator_id"`);
    await queryRunner.query(`DROP TABLE "operator_sessions"`);
    await queryRunner.query(`DROP TABLE "operators"`);
    await queryRunner.query(`DROP INDEX "IDX_credentials_status"`);
    await queryRunner.query(`DROP INDEX "IDX_credentials_external_id"`);
    await queryRunner.query(`DROP INDEX "IDX_credentials_deck_id"`);
    await queryRunner.query(`DROP TABLE "credentials"`);
    await queryRunner.query(`DROP TABLE "deck_intents"`);
    await queryRunner.query(`DROP INDEX "IDX_interactions_state"`);
    await queryRunner.query(`DROP INDEX "IDX_interactions_task_run_id"`);
    await queryRunner.query(`DROP INDEX "IDX_interactions_opened_by_event"`);
    await queryRunner.query(`DROP TABLE "interactions"`);
    await queryRunner.query(`DROP TABLE "link_tokens"`);
    await queryRunner.query(`DROP INDEX "IDX_changes_credential_id"`);
    await queryRunner.query(`DROP TABLE "changes"`);
    await queryRunner.query(`DROP TABLE "settings"`);
    await queryRunner.query(`DROP INDEX "IDX_task_runs_credential_id"`);
    await queryRunner.query(`DROP INDEX "IDX_task_runs_deck_id"`);
    await queryRunner.query(`DROP TABLE "task_runs"`);
    await queryRunner.query(`DROP TABLE "received_events"`);
  }
}
