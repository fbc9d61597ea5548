import 'reflect-metadata';
import { DataSource } from 'typeorm';

import { MIGRATIONS } from './migrations';

/**
 * For the TypeORM CLI only (`npm run migration:generate -- <name>`): the same
 * entities and migrations the app uses, against a scratch database.
 */
export default new DataSource({
  type: 'sqlite',
  database: process.env.MOCK_DECK_DATABASE ?? 'data/mock-deck.migrations.sqlite',
  entities: [`${__dirname}/../**/*.entity.{ts,js}`],
  migrations: MIGRATIONS,
});
