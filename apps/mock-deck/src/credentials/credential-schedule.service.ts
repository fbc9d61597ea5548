import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThanOrEqual, Repository } from 'typeorm';

import { SandboxClock } from '../scheduler/clock';
import { Transactor } from '@app/sqlite';
import { runInBatches } from '../scheduler/run-in-batches';
import { ScheduledWork, Scheduler } from '../scheduler/scheduler.service';
import { Credential } from './credential.entity';
import { CredentialsService } from './credentials.service';

/** Makes the status changes planned for later (`breaks_after`, or forced with a delay) when they fall due. */
@Injectable()
export class CredentialSchedule implements ScheduledWork, OnModuleInit {
  readonly name = 'credential-schedule';

  constructor(
    @InjectRepository(Credential) private readonly credentials: Repository<Credential>,
    private readonly service: CredentialsService,
    private readonly transactor: Transactor,
    private readonly scheduler: Scheduler,
    private readonly clock: SandboxClock,
  ) {}

  onModuleInit(): void {
    this.scheduler.register(this);
  }

  async runDue(nowMs: number): Promise<number | null> {
    const due = await this.credentials.find({
      select: { id: true, scheduled_status_at: true },
      where: { scheduled_status_at: LessThanOrEqual(nowMs) },
      order: { scheduled_status_at: 'ASC' },
    });
    await runInBatches(this.transactor, due, (manager, { id, scheduled_status_at: dueAt }) =>
      // As of the time it was due, so the event carries that time after a clock jump.
      this.clock.at(dueAt ?? nowMs, async () => {
        const credential = await manager.findOneBy(Credential, { id });
        if (
          !credential?.scheduled_status ||
          credential.scheduled_status_at === null ||
          credential.scheduled_status_at > nowMs
        ) {
          return;
        }
        const status = credential.scheduled_status;
        credential.scheduled_status = null;
        credential.scheduled_status_at = null;
        await manager.save(credential);
        // A credential deleted in the meantime stays deleted.
        if (credential.status !== 'deleted') {
          await this.service.setStatus(manager, credential, status);
        }
      }),
    );
    const next = await this.credentials
      .createQueryBuilder('c')
      .select('MIN(c.scheduled_status_at)', 'next')
      .getRawOne<{ next: number | string | null }>();
    return next?.next === null || next?.next === undefined ? null : Number(next.next);
  }
}
