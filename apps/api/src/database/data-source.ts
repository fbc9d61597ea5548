import 'reflect-metadata';
import { DataSource } from 'typeorm';

import { MIGRATIONS } from './migrations';

/** For the TypeORM CLI only (`npm run migration:generate:api -- <path>`), against a scratch database. */
export default new DataSource({
  type: 'sqlite',
  database: process.env.DATABASE_PATH ?? 'data/api.migrations.sqlite',
  entities: [`${__dirname}/../**/*.entity.{ts,js}`],
  migrations: MIGRATIONS,
});
