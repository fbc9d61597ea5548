import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1764028800000 implements MigrationInterface {
  name = 'Initial1764028800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "tasks" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "id" varchar(40) NOT NULL, "org_id" varchar(40) NOT NULL, "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL, "name" varchar(255) NOT NULL, "prompt" text, "status" varchar(20) NOT NULL, "agent_id" varchar(40) NOT NULL, "input_schema" text, "output_schema" text, "storage" text, "extraction" boolean NOT NULL DEFAULT (0), "timeout_seconds" integer NOT NULL, "deleted_at" varchar(30))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_8d12ff38fcc62aaba2cab74877" ON "tasks" ("id") `);
    await queryRunner.query(`CREATE INDEX "IDX_6a7a4f687b74075698d59c172b" ON "tasks" ("org_id") `);
    await queryRunner.query(
      `CREATE TABLE "storage_items" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "id" varchar(40) NOT NULL, "org_id" varchar(40) NOT NULL, "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL, "task_run_id" varchar(40) NOT NULL, "file_name" varchar(255) NOT NULL, "file_type" varchar(100) NOT NULL, "file_size" integer NOT NULL, "metadata" text, "extraction" text, "result" varchar(10) NOT NULL, "fetch_date" varchar(30) NOT NULL)`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_c6d11b74b2f352470d444a04fe" ON "storage_items" ("id") `);
    await queryRunner.query(`CREATE INDEX "IDX_516420d94f4a7af4accf68d252" ON "storage_items" ("org_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_1c89caab892b3fad7c05ba8d48" ON "storage_items" ("task_run_id") `);
    await queryRunner.query(
      `CREATE TABLE "sources" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "id" varchar(40) NOT NULL, "org_id" varchar(40) NOT NULL, "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL, "name" varchar(255), "type" varchar(20) NOT NULL, "website_url" varchar(2048) NOT NULL, "deleted_at" varchar(30))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_85523beafe5a2a6b90b0209644" ON "sources" ("id") `);
    await queryRunner.query(`CREATE INDEX "IDX_a11e6d97954837171b4a764218" ON "sources" ("org_id") `);
    await queryRunner.query(
      `CREATE TABLE "sessions" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "id" varchar(40) NOT NULL, "org_id" varchar(40) NOT NULL, "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL, "status" varchar(20) NOT NULL, "runtime_ms" integer NOT NULL DEFAULT (0), "idle_since" varchar(30))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_3238ef96f18b355b671619111b" ON "sessions" ("id") `);
    await queryRunner.query(`CREATE INDEX "IDX_732754bd6729b50099b4491fca" ON "sessions" ("org_id") `);
    await queryRunner.query(
      `CREATE TABLE "organizations" ("id" varchar(40) PRIMARY KEY NOT NULL, "key_hash" varchar(64) NOT NULL, "created_at" varchar(30) NOT NULL, CONSTRAINT "UQ_9efb5f025dde723727f43fcd8ce" UNIQUE ("key_hash"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "idempotency_records" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "org_id" varchar(40) NOT NULL, "key" varchar(256) NOT NULL, "fingerprint" varchar(64) NOT NULL, "status_code" integer, "body" text, "expires_at" varchar(30) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_251ee815c0135b7b2acd0e053e" ON "idempotency_records" ("org_id", "key") `,
    );
    await queryRunner.query(
      `CREATE TABLE "events" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "id" varchar(40) NOT NULL, "org_id" varchar(40) NOT NULL, "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL, "type" varchar(60) NOT NULL, "object_id" varchar(40) NOT NULL, "data" text NOT NULL)`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_40731c7151fe4be3116e45ddf7" ON "events" ("id") `);
    await queryRunner.query(`CREATE INDEX "IDX_f37383a8691fb6bb3f6bf20889" ON "events" ("org_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_869e583593665d41f43c0db7bc" ON "events" ("org_id", "type") `);
    await queryRunner.query(
      `CREATE TABLE "event_destinations" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "id" varchar(40) NOT NULL, "org_id" varchar(40) NOT NULL, "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL, "name" varchar(255) NOT NULL, "status" varchar(30) NOT NULL, "type" varchar(30) NOT NULL, "events" text NOT NULL, "config" text NOT NULL, "secret" varchar(120), "previous_secret" varchar(120), "previous_secret_expires_at" varchar(30), "deleted_at" varchar(30))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_64eee84eba7c9d85a814bac3d9" ON "event_destinations" ("id") `);
    await queryRunner.query(`CREATE INDEX "IDX_12faa842dcc6d1f0a3d3b023eb" ON "event_destinations" ("org_id") `);
    await queryRunner.query(
      `CREATE TABLE "event_deliveries" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "id" varchar(40) NOT NULL, "org_id" varchar(40) NOT NULL, "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL, "event_id" varchar(40) NOT NULL, "event_type" varchar(60) NOT NULL, "event_destination_id" varchar(40) NOT NULL, "status" varchar(10) NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "delivered_at" varchar(30), "next_attempt_at" bigint)`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_ca0ffb54b343624dfb98808065" ON "event_deliveries" ("id") `);
    await queryRunner.query(`CREATE INDEX "IDX_6848d9713de4ad910148f0a424" ON "event_deliveries" ("org_id") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_9af39ec4844632921a66ce63a2" ON "event_deliveries" ("status", "next_attempt_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_baa26f9051f911dae61bb63c25" ON "event_deliveries" ("event_destination_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "credentials" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "id" varchar(40) NOT NULL, "org_id" varchar(40) NOT NULL, "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL, "status" varchar(20) NOT NULL, "external_id" varchar(255), "source_id" varchar(40) NOT NULL, "auth_method" varchar(30) NOT NULL, "username" varchar(1024), "password_hash" varchar(200), "source_fields" text)`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_1e38bc43be6697cdda548ad27a" ON "credentials" ("id") `);
    await queryRunner.query(`CREATE INDEX "IDX_3e3b01321ee4cee8bf5201c666" ON "credentials" ("org_id") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_961641b06189481b54ffa10518" ON "credentials" ("org_id", "external_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "agents" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "id" varchar(40) NOT NULL, "org_id" varchar(40) NOT NULL, "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL, "name" varchar(255) NOT NULL, "description" text, "deleted_at" varchar(30))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_9c653f28ae19c5884d5baf6a1d" ON "agents" ("id") `);
    await queryRunner.query(`CREATE INDEX "IDX_2187d33767c1527adf0f62f8c8" ON "agents" ("org_id") `);
    await queryRunner.query(
      `CREATE TABLE "task_runs" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "id" varchar(40) NOT NULL, "org_id" varchar(40) NOT NULL, "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL, "status" varchar(20) NOT NULL, "result" varchar(10), "task_id" varchar(40) NOT NULL, "credential_id" varchar(40), "session_id" varchar(40), "agent_id" varchar(40) NOT NULL, "source_id" varchar(40), "runtime_ms" integer NOT NULL DEFAULT (0), "input" text, "output" text, "errors" text NOT NULL, "interaction" text, "started_at" varchar(30), "canceled_at" varchar(30), "client_request_id" varchar(255), "progress" text NOT NULL, "next_step_at" bigint)`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_52c37d0e12c4de37ae7bbff785" ON "task_runs" ("id") `);
    await queryRunner.query(`CREATE INDEX "IDX_2e6bfdebf5ffb8618ae0f3cc47" ON "task_runs" ("org_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_bd8b38d06dd4a77ac6bfc71f5b" ON "task_runs" ("status", "next_step_at") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_048cd5e50dcdc64ea15a68914f" ON "task_runs" ("org_id", "credential_id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_048cd5e50dcdc64ea15a68914f"`);
    await queryRunner.query(`DROP INDEX "IDX_bd8b38d06dd4a77ac6bfc71f5b"`);
    await queryRunner.query(`DROP INDEX "IDX_2e6bfdebf5ffb8618ae0f3cc47"`);
    await queryRunner.query(`DROP INDEX "IDX_52c37d0e12c4de37ae7bbff785"`);
    await queryRunner.query(`DROP TABLE "task_runs"`);
    await queryRunner.query(`DROP INDEX "IDX_2187d33767c1527adf0f62f8c8"`);
    await queryRunner.query(`DROP INDEX "IDX_9c653f28ae19c5884d5baf6a1d"`);
    await queryRunner.query(`DROP TABLE "agents"`);
    await queryRunner.query(`DROP INDEX "IDX_961641b06189481b54ffa10518"`);
    await queryRunner.query(`DROP INDEX "IDX_3e3b01321ee4cee8bf5201c666"`);
    await queryRunner.query(`DROP INDEX "IDX_1e38bc43be6697cdda548ad27a"`);
    await queryRunner.query(`DROP TABLE "credentials"`);
    await queryRunner.query(`DROP INDEX "IDX_baa26f9051f911dae61bb63c25"`);
    await queryRunner.query(`DROP INDEX "IDX_9af39ec4844632921a66ce63a2"`);
    await queryRunner.query(`DROP INDEX "IDX_6848d9713de4ad910148f0a424"`);
    await queryRunner.query(`DROP INDEX "IDX_ca0ffb54b343624dfb98808065"`);
    await queryRunner.query(`DROP TABLE "event_deliveries"`);
    await queryRunner.query(`DROP INDEX "IDX_12faa842dcc6d1f0a3d3b023eb"`);
    await queryRunner.query(`DROP INDEX "IDX_64eee84eba7c9d85a814bac3d9"`);
    await queryRunner.query(`DROP TABLE "event_destinations"`);
    await queryRunner.query(`DROP INDEX "IDX_869e583593665d41f43c0db7bc"`);
    await queryRunner.query(`DROP INDEX "IDX_f37383a8691fb6bb3f6bf20889"`);
    await queryRunner.query(`DROP INDEX "IDX_40731c7151fe4be3116e45ddf7"`);
    await queryRunner.query(`DROP TABLE "events"`);
    await queryRunner.query(`DROP INDEX "IDX_251ee815c0135b7b2acd0e053e"`);
    await queryRunner.query(`DROP TABLE "idempotency_records"`);
    await queryRunner.query(`DROP TABLE "organizations"`);
    await queryRunner.query(`DROP INDEX "IDX_732754bd6729b50099b4491fca"`);
    await queryRunner.query(`DROP INDEX "IDX_3238ef96f18b355b671619111b"`);
    await queryRunner.query(`DROP TABLE "sessions"`);
    await queryRunner.query(`DROP INDEX "IDX_a11e6d97954837171b4a764218"`);
    await queryRunner.query(`DROP INDEX "IDX_85523beafe5a2a6b90b0209644"`);
    await queryRunner.query(`DROP TABLE "sources"`);
    await queryRunner.query(`DROP INDEX "IDX_1c89caab892b3fad7c05ba8d48"`);
    await queryRunner.query(`DROP INDEX "IDX_516420d94f4a7af4accf68d252"`);
    await queryRunner.query(`DROP INDEX "IDX_c6d11b74b2f352470d444a04fe"`);
    await queryRunner.query(`DROP TABLE "storage_items"`);
    await queryRunner.query(`DROP INDEX "IDX_6a7a4f687b74075698d59c172b"`);
    await queryRunner.query(`DROP INDEX "IDX_8d12ff38fcc62aaba2cab74877"`);
    await queryRunner.query(`DROP TABLE "tasks"`);
  }
}
