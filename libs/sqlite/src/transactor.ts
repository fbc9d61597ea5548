import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/**
 * One queue for all database work that must not interleave. TypeORM's sqlite
 * driver shares one connection between all callers: two overlapping
 * transactions would nest into each other, and a read could see a transaction
 * half-written. Work queued here runs alone, in order.
 *
 * The queue is not re-entrant: queued work must never queue more work and wait
 * for it (it would wait for itself). Work it merely starts, such as waking the
 * scheduler, queues behind it as usual.
 */
@Injectable()
export class Transactor {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A write transaction: commits whole or not at all. */
  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.exclusive(() => this.dataSource.transaction(work));
  }

  /**
   * Work run alone between transactions. The api reads through the Reader instead; this stays
   * for the Reader's in-memory fallback and for the sandbox, which reads on its one connection.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.tail.then(work);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
