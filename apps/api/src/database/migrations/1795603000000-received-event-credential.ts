import { MigrationInterface, QueryRunner } from 'typeorm';

export class ReceivedEventCredential1795603000000 implements MigrationInterface {
  name = 'ReceivedEventCredential1795603000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "received_events" ADD COLUMN "deck_credential_id" varchar(64)`);
    await queryRunner.query(
      `UPDATE "received_events" SET "deck_credential_id" = "object_id" WHERE substr("type", 1, 11) = 'credential.'`,
    );
    // The payload is JSON text; reading into it needs the database's own JSON functions, which differ.
    if (queryRunner.connection.driver.options.type === 'sqlite') {
      await queryRunner.query(
        `UPDATE "received_events" SET "deck_credential_id" = substr(json_extract("payload", '$.data.credential_id'), 1, 64) WHERE substr("type", 1, 11) <> 'credential.' AND json_valid("payload") AND json_type("payload", '$.data.credential_id') = 'text'`,
      );
    }
    await queryRunner.query(
      `CREATE INDEX "IDX_received_events_deck_credential_id" ON "received_events" ("deck_credential_id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_received_events_deck_credential_id"`);
    await queryRunner.query(`ALTER TABLE "received_events" DROP COLUMN "deck_credential_id"`);
  }
}
