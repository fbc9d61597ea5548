import { Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import { apiConfig } from '../config/api.config';
import { MIGRATIONS } from './migrations';

/** SQLite by migrations only (run at start), WAL and a busy timeout on the file database. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [apiConfig.KEY],
      useFactory: (config: ConfigType<typeof apiConfig>) => {
        const inMemory = config.databasePath === ':memory:';
        if (!inMemory) {
          mkdirSync(dirname(config.databasePath), { recursive: true });
        }
        return {
          type: 'sqlite' as const,
          database: config.databasePath,
          autoLoadEntities: true,
          synchronize: false,
          migrations: MIGRATIONS,
          migrationsRun: true,
          migrationsTransactionMode: 'each' as const,
          enableWAL: !inMemory,
          busyErrorRetry: 50,
          busyTimeout: 5000,
        };
      },
    }),
  ],
})
export class DatabaseModule {}
