import { MigrationInterface, QueryRunner } from 'typeorm';

export class ClockState1795600000000 implements MigrationInterface {
  name = 'ClockState1795600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "sandbox_clock" ("id" integer PRIMARY KEY NOT NULL, "sandbox_ms" bigint NOT NULL, "real_ms" bigint NOT NULL, "scale" real NOT NULL, "frozen" boolean NOT NULL)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "sandbox_clock"`);
  }
}
