import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, In, Not } from 'typeorm';

import { EventType, SessionStatus, TERMINAL_TASK_RUN_STATUSES, TaskRunStatus } from '@app/deck';

import { SandboxClock } from '../scheduler/clock';
import { IdGenerator } from '../common/ids';
import { mockDeckConfig, MockDeckConfig } from '../config/mock-deck.config';
import { EventsService } from '../events/events.service';
import { Session } from '../sessions/session.entity';
import { toDeckSession } from '../sessions/session.view';
import { TaskRun } from './task-run.entity';
import { taskRunEventData } from './task-run.view';

/** Statuses a run can be cancelled from. */
export const CANCELLABLE: readonly TaskRunStatus[] = ['queued', 'running', 'interaction_required', 'review_required'];

/** Statuses in which a run no longer holds its session: one waiting for review leaves it idle for other runs. */
export const SESSION_RELEASED: readonly TaskRunStatus[] = [...TERMINAL_TASK_RUN_STATUSES, 'review_required'];

export function isTerminal(status: TaskRunStatus): boolean {
  return TERMINAL_TASK_RUN_STATUSES.includes(status);
}

/**
 * Every task-run and session status change goes through here, so each one
 * writes its event and keeps the session in step, in the caller's transaction.
 */
@Injectable()
export class RunStates {
  constructor(
    private readonly events: EventsService,
    private readonly clock: SandboxClock,
    private readonly ids: IdGenerator,
    @Inject(mockDeckConfig.KEY) private readonly config: MockDeckConfig,
  ) {}

  /** The REST spelling of the cancelling status, which Deck's docs disagree on. */
  get cancellingStatus(): TaskRunStatus {
    return this.config.cancelSpelling;
  }

  async move(
    manager: EntityManager,
    run: TaskRun,
    status: TaskRunStatus,
    changes: Partial<TaskRun> = {},
  ): Promise<void> {
    const now = this.clock.now();
    Object.assign(run, changes);
    run.status = status;
    run.updated_at = now.toISOString();
    if (status === 'running' && !run.started_at) {
      run.started_at = run.updated_at;
    }
    if (run.started_at) {
      run.runtime_ms = Math.max(0, now.getTime() - Date.parse(run.started_at));
    }
    if (isTerminal(status)) {
      run.next_step_at = null;
      run.interaction = null;
      run.progress = { ...run.progress, phase: 'idle' };
    }
    await manager.save(run);
    const type: EventType =
      status === 'cancelling' || status === 'canceling' ? 'task_run.canceling' : `task_run.${status}`;
    await this.events.record(manager, run.org_id, type, run.id, taskRunEventData(run));

    if (run.session_id) {
      if (status === 'running') {
        await this.moveSession(manager, run.session_id, 'running');
      } else if (SESSION_RELEASED.includes(status)) {
        const busy = await manager.countBy(TaskRun, {
          session_id: run.session_id,
          id: Not(run.id),
          status: Not(In([...SESSION_RELEASED])),
        });
        if (busy === 0) {
          await this.moveSession(manager, run.session_id, 'idle');
        }
      }
    }
  }

  async openSession(manager: EntityManager, orgId: string): Promise<Session> {
    const now = this.clock.now().toISOString();
    const session = manager.create(Session, {
      id: this.ids.newId('session'),
      org_id: orgId,
      status: 'queued',
      runtime_ms: 0,
      idle_since: null,
      created_at: now,
      updated_at: now,
    });
    await manager.save(session);
    await this.recordSession(manager, session);
    return session;
  }

  async moveSession(manager: EntityManager, sessionId: string, status: SessionStatus): Promise<void> {
    const session = await manager.findOneBy(Session, { id: sessionId });
    if (!session || session.status === status || session.status === 'completed' || session.status === 'failed') {
      return;
    }
    const now = this.clock.now();
    session.status = status;
    session.updated_at = now.toISOString();
    session.idle_since = status === 'idle' ? session.updated_at : null;
    if (status === 'completed' || status === 'failed') {
      session.runtime_ms = Math.max(0, now.getTime() - Date.parse(session.created_at));
    }
    await manager.save(session);
    await this.recordSession(manager, session);
  }

  private async recordSession(manager: EntityManager, session: Session): Promise<void> {
    const runs = await manager.find(TaskRun, { where: { session_id: session.id }, order: { seq: 'ASC' } });
    const { request_id: _requestId, ...data } = toDeckSession(session, runs, this.clock.nowMs());
    await this.events.record(manager, session.org_id, `session.${session.status}`, session.id, data);
  }
}
