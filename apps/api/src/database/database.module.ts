import { Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';

import { sqliteOptions } from '@app/sqlite';

import { apiConfig } from '../config/api.config';
import { MIGRATIONS } from './migrations';

/** SQLite by migrations only (run at start), WAL and a busy timeout on the file database. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [apiConfig.KEY],
      useFactory: (config: ConfigType<typeof apiConfig>) => sqliteOptions(config.databasePath, MIGRATIONS),
    }),
  ],
})
export class DatabaseModule {}
