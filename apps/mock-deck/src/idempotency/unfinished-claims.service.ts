import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';

import { IdempotencyRecord } from './idempotency-record.entity';

/**
 * Frees the keys of requests an earlier process claimed but never answered.
 * One sandbox process owns its database file, so at start nothing can still be
 * running them: a claim left by a process that died (SIGKILL between claim and
 * answer) would otherwise answer every retry of its key with 409 for 24 hours.
 * The work such a request committed, if any, stays; a retry runs it again, as
 * after any failure.
 */
@Injectable()
export class UnfinishedClaims implements OnModuleInit {
  private readonly logger = new Logger(UnfinishedClaims.name);

  constructor(@InjectRepository(IdempotencyRecord) private readonly records: Repository<IdempotencyRecord>) {}

  async onModuleInit(): Promise<void> {
    const released = await this.records.delete({ status_code: IsNull() });
    if (released.affected) {
      this.logger.warn(`Released ${released.affected} idempotency key(s) left unanswered by an earlier run.`);
    }
  }
}
