import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThanOrEqual, Not, Repository } from 'typeorm';

import { DeckSession, TERMINAL_TASK_RUN_STATUSES } from '@app/deck';

import { SandboxClock } from '../scheduler/clock';
import { DeckError } from '../common/deck-error';
import { Transactor } from '@app/sqlite';
import { runInBatches } from '../scheduler/run-in-batches';
import { ScheduledWork, Scheduler } from '../scheduler/scheduler.service';
import { RunEngine } from '../task-runs/engine/run-engine.service';
import { RunStates } from '../task-runs/run-states.service';
import { TaskRun } from '../task-runs/task-run.entity';
import { Session } from './session.entity';
import { toDeckSession } from './session.view';

/** A session with no running run closes after 10 minutes of sandbox time. */
export const SESSION_IDLE_TIMEOUT_MS = 10 * 60_000;

@Injectable()
export class SessionsService implements ScheduledWork, OnModuleInit {
  readonly name = 'sessions';

  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @InjectRepository(TaskRun) private readonly runs: Repository<TaskRun>,
    private readonly states: RunStates,
    private readonly engine: RunEngine,
    private readonly transactor: Transactor,
    private readonly scheduler: Scheduler,
    private readonly clock: SandboxClock,
  ) {}

  onModuleInit(): void {
    this.scheduler.register(this);
  }

  async get(orgId: string, id: string): Promise<DeckSession> {
    const session = await this.find(orgId, id);
    const runs = await this.runs.find({ where: { session_id: id }, order: { seq: 'ASC' } });
    return toDeckSession(session, runs, this.clock.nowMs());
  }

  /** Ends the session: its unfinished runs are cancelled, then it completes. */
  async end(orgId: string, id: string): Promise<DeckSession> {
    await this.transactor.run(async (manager) => {
      const session = await this.find(orgId, id);
      if (session.status === 'completed' || session.status === 'failed') {
        throw DeckError.invalidState(`The session is already \`${session.status}\`.`);
      }
      const active = await manager.find(TaskRun, {
        where: { session_id: id, status: Not(In([...TERMINAL_TASK_RUN_STATUSES])) },
      });
      for (const run of active) {
        if (run.progress.phase !== 'canceling') {
          await this.engine.beginCancel(manager, run);
        }
      }
      await this.states.moveSession(manager, id, 'completing');
      await this.states.moveSession(manager, id, 'completed');
    });
    this.scheduler.wake();
    return this.get(orgId, id);
  }

  /** Closes sessions that have been idle for the timeout. */
  async runDue(nowMs: number): Promise<number | null> {
    const cutoff = new Date(nowMs - SESSION_IDLE_TIMEOUT_MS).toISOString();
    const expired = await this.sessions.find({ where: { status: 'idle', idle_since: LessThanOrEqual(cutoff) } });
    await runInBatches(this.transactor, expired, (manager, session) => {
      // As of the time it timed out, so its events carry that time after a clock jump.
      const dueAt = Date.parse(session.idle_since ?? cutoff) + SESSION_IDLE_TIMEOUT_MS;
      return this.clock.at(dueAt, async () => {
        const fresh = await manager.findOneBy(Session, { id: session.id });
        if (fresh?.status === 'idle' && fresh.idle_since !== null && fresh.idle_since <= cutoff) {
          await this.states.moveSession(manager, session.id, 'completing');
          await this.states.moveSession(manager, session.id, 'completed');
        }
      });
    });
    const next = await this.sessions
      .createQueryBuilder('s')
      .select('MIN(s.idle_since)', 'idle_since')
      .where('s.status = :status', { status: 'idle' })
      .getRawOne<{ idle_since: string | null }>();
    return next?.idle_since ? Date.parse(next.idle_since) + SESSION_IDLE_TIMEOUT_MS : null;
  }

  private async find(orgId: string, id: string): Promise<Session> {
    const session = await this.sessions.findOneBy({ org_id: orgId, id });
    if (!session) {
      throw DeckError.notFound('session_not_found', 'session', id);
    }
    return session;
  }
}
