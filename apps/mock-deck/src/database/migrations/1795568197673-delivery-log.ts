import { MigrationInterface, QueryRunner } from 'typeorm';

/** The webhook delivery log, per-destination delivery faults, first-attempt holds and redelivery requests. */
export class DeliveryLog1795568197673 implements MigrationInterface {
  name = 'DeliveryLog1795568197673';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "delivery_attempts" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "id" varchar(40) NOT NULL, "org_id" varchar(40) NOT NULL, "delivery_id" varchar(40) NOT NULL, "event_id" varchar(40) NOT NULL, "event_type" varchar(60) NOT NULL, "destination_id" varchar(40) NOT NULL, "number" integer NOT NULL, "sent_at" varchar(30) NOT NULL, "webhook_timestamp" integer NOT NULL, "status_code" integer, "latency_ms" integer NOT NULL, "response_excerpt" varchar(500), "error" varchar(255), "outcome" varchar(10) NOT NULL, "faults" text NOT NULL, "redelivery" boolean NOT NULL DEFAULT (0))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_41eba4eb5401d72860f7cd9a7a" ON "delivery_attempts" ("id") `);
    await queryRunner.query(`CREATE INDEX "IDX_ab881a9f97e29117c5ff13c519" ON "delivery_attempts" ("org_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_de5e911e2ce055bd39640e532d" ON "delivery_attempts" ("delivery_id", "number") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_fdb8eb96b1f6e7e03e700104df" ON "delivery_attempts" ("destination_id") `);
    await queryRunner.query(`DROP INDEX "IDX_12faa842dcc6d1f0a3d3b023eb"`);
    await queryRunner.query(`DROP INDEX "IDX_64eee84eba7c9d85a814bac3d9"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_event_destinations" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "id" varchar(40) NOT NULL, "org_id" varchar(40) NOT NULL, "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL, "name" varchar(255) NOT NULL, "status" varchar(30) NOT NULL, "type" varchar(30) NOT NULL, "events" text NOT NULL, "config" text NOT NULL, "secret" varchar(120), "previous_secret" varchar(120), "previous_secret_expires_at" varchar(30), "deleted_at" varchar(30), "faults" text)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_event_destinations"("seq", "id", "org_id", "created_at", "updated_at", "name", "status", "type", "events", "config", "secret", "previous_secret", "previous_secret_expires_at", "deleted_at") SELECT "seq", "id", "org_id", "created_at", "updated_at", "name", "status", "type", "events", "config", "secret", "previous_secret", "previous_secret_expires_at", "deleted_at" FROM "event_destinations"`,
    );
    await queryRunner.query(`DROP TABLE "event_destinations"`);
    await queryRunner.query(`ALTER TABLE "temporary_event_destinations" RENAME TO "event_destinations"`);
    await queryRunner.query(`CREATE INDEX "IDX_12faa842dcc6d1f0a3d3b023eb" ON "event_destinations" ("org_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_64eee84eba7c9d85a814bac3d9" ON "event_destinations" ("id") `);
    await queryRunner.query(`DROP INDEX "IDX_baa26f9051f911dae61bb63c25"`);
    await queryRunner.query(`DROP INDEX "IDX_9af39ec4844632921a66ce63a2"`);
    await queryRunner.query(`DROP INDEX "IDX_6848d9713de4ad910148f0a424"`);
    await queryRunner.query(`DROP INDEX "IDX_ca0ffb54b343624dfb98808065"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_event_deliveries" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "id" varchar(40) NOT NULL, "org_id" varchar(40) NOT NULL, "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL, "event_id" varchar(40) NOT NULL, "event_type" varchar(60) NOT NULL, "event_destination_id" varchar(40) NOT NULL, "status" varchar(10) NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "delivered_at" varchar(30), "next_attempt_at" bigint, "held_until" bigint, "held_faults" text, "redeliver_at" bigint)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_event_deliveries"("seq", "id", "org_id", "created_at", "updated_at", "event_id", "event_type", "event_destination_id", "status", "attempts", "delivered_at", "next_attempt_at") SELECT "seq", "id", "org_id", "created_at", "updated_at", "event_id", "event_type", "event_destination_id", "status", "attempts", "delivered_at", "next_attempt_at" FROM "event_deliveries"`,
    );
    await queryRunner.query(`DROP TABLE "event_deliveries"`);
    await queryRunner.query(`ALTER TABLE "temporary_event_deliveries" RENAME TO "event_deliveries"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_baa26f9051f911dae61bb63c25" ON "event_deliveries" ("event_destination_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_9af39ec4844632921a66ce63a2" ON "event_deliveries" ("status", "next_attempt_at") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_6848d9713de4ad910148f0a424" ON "event_deliveries" ("org_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_ca0ffb54b343624dfb98808065" ON "event_deliveries" ("id") `);
    await queryRunner.query(`CREATE INDEX "IDX_d56b90407771d01055fcefd1d2" ON "event_deliveries" ("redeliver_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_d56b90407771d01055fcefd1d2"`);
    await queryRunner.query(`DROP INDEX "IDX_ca0ffb54b343624dfb98808065"`);
    await queryRunner.query(`DROP INDEX "IDX_6848d9713de4ad910148f0a424"`);
    await queryRunner.query(`DROP INDEX "IDX_9af39ec4844632921a66ce63a2"`);
    await queryRunner.query(`DROP INDEX "IDX_baa26f9051f911dae61bb63c25"`);
    await queryRunner.query(`ALTER TABLE "event_deliveries" RENAME TO "temporary_event_deliveries"`);
    await queryRunner.query(
      `CREATE TABLE "event_deliveries" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "id" varchar(40) NOT NULL, "org_id" varchar(40) NOT NULL, "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL, "event_id" varchar(40) NOT NULL, "event_type" varchar(60) NOT NULL, "event_destination_id" varchar(40) NOT NULL, "status" varchar(10) NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "delivered_at" varchar(30), "next_attempt_at" bigint)`,
    );
    await queryRunner.query(
      `INSERT INTO "event_deliveries"("seq", "id", "org_id", "created_at", "updated_at", "event_id", "event_type", "event_destination_id", "status", "attempts", "delivered_at", "next_attempt_at") SELECT "seq", "id", "org_id", "created_at", "updated_at", "event_id", "event_type", "event_destination_id", "status", "attempts", "delivered_at", "next_attempt_at" FROM "temporary_event_deliveries"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_event_deliveries"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_ca0ffb54b343624dfb98808065" ON "event_deliveries" ("id") `);
    await queryRunner.query(`CREATE INDEX "IDX_6848d9713de4ad910148f0a424" ON "event_deliveries" ("org_id") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_9af39ec4844632921a66ce63a2" ON "event_deliveries" ("status", "next_attempt_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_baa26f9051f911dae61bb63c25" ON "event_deliveries" ("event_destination_id") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_64eee84eba7c9d85a814bac3d9"`);
    await queryRunner.query(`DROP INDEX "IDX_12faa842dcc6d1f0a3d3b023eb"`);
    await queryRunner.query(`ALTER TABLE "event_destinations" RENAME TO "temporary_event_destinations"`);
    await queryRunner.query(
      `CREATE TABLE "event_destinations" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "id" varchar(40) NOT NULL, "org_id" varchar(40) NOT NULL, "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL, "name" varchar(255) NOT NULL, "status" varchar(30) NOT NULL, "type" varchar(30) NOT NULL, "events" text NOT NULL, "config" text NOT NULL, "secret" varchar(120), "previous_secret" varchar(120), "previous_secret_expires_at" varchar(30), "deleted_at" varchar(30))`,
    );
    await queryRunner.query(
      `INSERT INTO "event_destinations"("seq", "id", "org_id", "created_at", "updated_at", "name", "status", "type", "events", "config", "secret", "previous_secret", "previous_secret_expires_at", "deleted_at") SELECT "seq", "id", "org_id", "created_at", "updated_at", "name", "status", "type", "events", "config", "secret", "previous_secret", "previous_secret_expires_at", "deleted_at" FROM "temporary_event_destinations"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_event_destinations"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_64eee84eba7c9d85a814bac3d9" ON "event_destinations" ("id") `);
    await queryRunner.query(`CREATE INDEX "IDX_12faa842dcc6d1f0a3d3b023eb" ON "event_destinations" ("org_id") `);
    await queryRunner.query(`DROP INDEX "IDX_fdb8eb96b1f6e7e03e700104df"`);
    await queryRunner.query(`DROP INDEX "IDX_de5e911e2ce055bd39640e532d"`);
    await queryRunner.query(`DROP INDEX "IDX_ab881a9f97e29117c5ff13c519"`);
    await queryRunner.query(`DROP INDEX "IDX_41eba4eb5401d72860f7cd9a7a"`);
    await queryRunner.query(`DROP TABLE "delivery_attempts"`);
  }
}
