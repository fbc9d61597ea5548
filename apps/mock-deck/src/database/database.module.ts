import { Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

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
      useFactory: (config: ConfigType<typeof mockDeckConfig>) => {
        const inMemory = config.database === ':memory:';
        if (!inMemory) {
          mkdirSync(dirname(config.database), { recursive: true });
        }
        return {
          type: 'sqlite' as const,
          database: config.database,
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
