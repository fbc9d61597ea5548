import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { SqliteConnectionOptions } from 'typeorm/driver/sqlite/SqliteConnectionOptions';

import { Transactor } from './transactor';

/**
 * Reads on a connection of their own, so a list, a session check or a socket's
 * catch-up never waits behind the write queue. SQLite's WAL lets a reader see
 * the last committed state while a writer works; each read runs in one read
 * transaction, so all its statements see the same commit. Reads queue behind
 * each other only (one connection), never behind writes.
 *
 * An in-memory database is private to its one connection, so there reads fall
 * back to the write queue, as every read did before.
 */
@Injectable()
export class Reader implements OnModuleInit, OnApplicationShutdown {
  private source: DataSource | null = null;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    @InjectDataSource() private readonly writer: DataSource,
    private readonly transactor: Transactor,
  ) {}

  async onModuleInit(): Promise<void> {
    const options = this.writer.options as SqliteConnectionOptions;
    if (options.type !== 'sqlite' || options.database === ':memory:') {
      return;
    }
    // Opened after the writer, which has run the migrations and switched the file to WAL.
    this.source = await new DataSource({
      ...options,
      name: 'reader',
      entities: this.writer.entityMetadatas.map((metadata) => metadata.target),
      migrations: [],
      migrationsRun: false,
      synchronize: false,
      subscribers: [],
    }).initialize();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.source?.destroy();
  }

  /** `work` sees one committed state and must only read. */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const source = this.source;
    if (!source) {
      return this.transactor.exclusive(() => work(this.writer.manager));
    }
    const next = this.tail.then(() => source.transaction(work));
    this.tail = next.catch(() => undefined);
    return next;
  }
}
