import { Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';

import { sqliteOptions } from '@app/sqlite';

import { mockDeckConfig } from '../config/mock-deck.config';
import { MIGRATIONS } from './migrations';

/**
 * SQLite through TypeORM, schema by migrations only (run at start, in a
 * transaction each). `:memory:` works too and runs the same migrations.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [mockDeckConfig.KEY],
      useFactory: (config: ConfigType<typeof mockDeckConfig>) => sqliteOptions(config.database, MIGRATIONS),
    }),
  ],
})
export class DatabaseModule {}
