import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, LessThanOrEqual, Repository } from 'typeorm';

import { SandboxClock } from '../../scheduler/clock';
import { mockDeckConfig, MockDeckConfig } from '../../config/mock-deck.config';
import { Credential } from '../../credentials/credential.entity';
import { CredentialsService } from '../../credentials/credentials.service';
import { Transactor } from '@app/sqlite';
import { runInBatches } from '../../scheduler/run-in-batches';
import { ScheduledWork, Scheduler } from '../../scheduler/scheduler.service';
import { ScenariosService } from '../../scenarios/scenarios.service';
import { StorageService } from '../../storage/storage.service';
import { Task } from '../../tasks/task.entity';
import { DEFAULT_TASK_TIMEOUT_SECONDS } from '../../tasks/tasks.service';
import { isTerminal, RunStates } from '../run-states.service';
import { TaskRun } from '../task-run.entity';
import { RUN_ERRORS } from './run-errors';
import type { RunProgress } from './run-progress';
import type { ScriptStep } from './run-script';

const DEFAULT_MAX_ATTEMPTS = 3;

/**
 * Walks runs through their scripts on the sandbox clock. A run's place in its
 * script and its next due time live on the run row, so a restart picks up
 * where it stopped; each step is one transaction with its events. Each pass
 * takes one step of every due run, earliest due first, as of the time it fell
 * due: after a clock jump, steps happen in the order and at the times they
 * would have had, and the scheduler passes again while anything is due.
 */
@Injectable()
export class RunEngine implements ScheduledWork, OnModuleInit {
  readonly name = 'task-runs';

  constructor(
    @InjectRepository(TaskRun) private readonly runs: Repository<TaskRun>,
    private readonly states: RunStates,
    private readonly credentials: CredentialsService,
    private readonly storage: StorageService,
    private readonly scenarios: ScenariosService,
    private readonly transactor: Transactor,
    private readonly scheduler: Scheduler,
    private readonly clock: SandboxClock,
    @Inject(mockDeckConfig.KEY) private readonly config: MockDeckConfig,
  ) {}

  onModuleInit(): void {
    this.scheduler.register(this);
  }

  /** How long a new run stays queued before a browser picks it up. */
  queueDelayMs(): number {
    return this.config.stepMs;
  }

  /**
   * Chooses the steps of a new run: the scenario the credential's username
   * names, and its variant for how often the credential has succeeded before.
   */
  async plan(manager: EntityManager, credential: Credential | null, task: Task, nowMs: number): Promise<RunProgress> {
    const script = await this.scenarios.scriptFor(manager, task.org_id, credential?.username ?? null);
    const earlierSuccesses = credential
      ? await manager.countBy(TaskRun, { credential_id: credential.id, status: 'completed', result: 'success' })
      : 0;
    return {
      script: script.name,
      steps: script.runs[Math.min(earlierSuccesses, script.runs.length - 1)],
      step: 0,
      phase: 'start',
      wrong_answers: 0,
      answer_ok: null,
      deadline_at: nowMs + task.timeout_seconds * 1000,
      breaks_after_ms: script.breaks_after_ms ?? null,
    };
  }

  async runDue(nowMs: number): Promise<number | null> {
    const due = await this.runs.find({
      select: { id: true, next_step_at: true },
      where: { next_step_at: LessThanOrEqual(nowMs) },
      order: { next_step_at: 'ASC', seq: 'ASC' },
      take: 200,
    });
    await runInBatches(this.transactor, due, (manager, { id, next_step_at }) => {
      const dueAt = next_step_at ?? nowMs;
      return this.clock.at(dueAt, () => this.advance(manager, id, dueAt));
    });
    const next = await this.runs
      .createQueryBuilder('r')
      .select('MIN(r.next_step_at)', 'next')
      .getRawOne<{ next: number | string | null }>();
    return next?.next === null || next?.next === undefined ? null : Number(next.next);
  }

  /** Records an answer's verdict (never the answer) and resumes the run. */
  async acceptAnswer(manager: EntityManager, run: TaskRun, input: Record<string, string>): Promise<void> {
    const step = this.stepOf(run.progress);
    const accept = step?.kind === 'interaction' ? (step.accept ?? {}) : {};
    const ok = Object.entries(accept).every(([field, answers]) => answers.includes(input[field]));
    const nowMs = this.clock.nowMs();
    await this.states.move(manager, run, 'running', {
      interaction: null,
      progress: { ...run.progress, phase: 'checking_answer', answer_ok: ok },
      next_step_at: this.dueAt(run.progress, nowMs + this.config.stepMs),
    });
  }

  async beginCancel(manager: EntityManager, run: TaskRun): Promise<void> {
    await this.states.move(manager, run, this.states.cancellingStatus, {
      interaction: null,
      progress: { ...run.progress, phase: 'canceling' },
      next_step_at: this.clock.nowMs(),
    });
  }

  private async advance(manager: EntityManager, runId: string, nowMs: number): Promise<void> {
    const run = await manager.findOneBy(TaskRun, { id: runId });
    if (!run || run.next_step_at === null || run.next_step_at > nowMs) {
      return;
    }
    if (isTerminal(run.status)) {
      // Nothing left to do; clear it so it is never due again.
      run.next_step_at = null;
      await manager.save(run);
      return;
    }
    await this.act(manager, run, nowMs);
  }

  private async act(manager: EntityManager, run: TaskRun, nowMs: number): Promise<void> {
    const progress = run.progress;
    if (progress.phase === 'canceling') {
      await this.states.move(manager, run, 'canceled', { canceled_at: new Date(nowMs).toISOString() });
      return;
    }
    if (nowMs >= progress.deadline_at) {
      const task = await manager.findOneBy(Task, { id: run.task_id });
      await this.fail(
        manager,
        run,
        RUN_ERRORS.taskTimeout(task?.timeout_seconds ?? DEFAULT_TASK_TIMEOUT_SECONDS),
        'unchanged',
      );
      return;
    }
    switch (progress.phase) {
      case 'start':
        await this.states.move(manager, run, 'running', {
          progress: { ...progress, phase: 'step' },
          next_step_at: nowMs,
        });
        return;
      case 'step':
        await this.runStep(manager, run, nowMs);
        return;
      case 'waiting_input':
        await this.fail(manager, run, RUN_ERRORS.interactionTimeout, 'unchanged');
        return;
      case 'checking_answer':
        await this.checkAnswer(manager, run, nowMs);
        return;
      case 'idle':
        run.next_step_at = null;
        await manager.save(run);
        return;
      default: {
        const unexpected: never = progress.phase;
        throw new Error(`Unknown run phase ${String(unexpected)}`);
      }
    }
  }

  private async runStep(manager: EntityManager, run: TaskRun, nowMs: number): Promise<void> {
    const step: ScriptStep = this.stepOf(run.progress) ?? { kind: 'complete', result: 'success' };
    switch (step.kind) {
      case 'wait':
        run.progress = { ...run.progress, step: run.progress.step + 1 };
        run.next_step_at = this.dueAt(run.progress, nowMs + (step.ms ?? this.config.stepMs));
        await manager.save(run);
        return;
      case 'interaction':
        await this.prompt(manager, run, step, nowMs, false);
        return;
      case 'complete':
        await this.complete(manager, run, step.result ?? 'success', step.output ?? null, nowMs);
        return;
      case 'fail':
        await this.fail(manager, run, step.error, step.credential ?? 'unchanged');
        return;
      case 'review':
        // The task's hard timeout still runs while the run waits for review.
        await this.states.move(manager, run, 'review_required', {
          progress: { ...run.progress, phase: 'idle' },
          next_step_at: run.progress.deadline_at,
        });
        return;
      default: {
        const unexpected: never = step;
        throw new Error(`Unknown script step ${JSON.stringify(unexpected)}`);
      }
    }
  }

  /**
   * Someone decided on a run in `review_required` (the sandbox's control plane;
   * Deck documents no endpoint for it): approval completes it, rejection fails it.
   */
  async decideReview(manager: EntityManager, run: TaskRun, approve: boolean): Promise<void> {
    if (approve) {
      await this.complete(manager, run, 'success', null, this.clock.nowMs());
    } else {
      await this.fail(manager, run, RUN_ERRORS.reviewRejected, 'unchanged');
    }
  }

  /** A finished run: a success captures files, verifies the credential and plans any later breakage. */
  private async complete(
    manager: EntityManager,
    run: TaskRun,
    result: NonNullable<TaskRun['result']>,
    output: unknown,
    nowMs: number,
  ): Promise<void> {
    await this.states.move(manager, run, 'completed', { result, output });
    if (result !== 'success') {
      return;
    }
    const task = await manager.findOneBy(Task, { id: run.task_id });
    if (task) {
      await this.storage.capture(manager, run, task);
    }
    await this.updateCredential(manager, run, 'verified');
    if (run.progress.breaks_after_ms !== null && run.credential_id) {
      await this.credentials.scheduleStatus(
        manager,
        run.credential_id,
        'invalid',
        nowMs + run.progress.breaks_after_ms,
      );
    }
  }

  private async checkAnswer(manager: EntityManager, run: TaskRun, nowMs: number): Promise<void> {
    const step = this.stepOf(run.progress);
    if (run.progress.answer_ok || step?.kind !== 'interaction') {
      run.progress = { ...run.progress, step: run.progress.step + 1, phase: 'step', wrong_answers: 0, answer_ok: null };
      run.next_step_at = nowMs;
      await manager.save(run);
      return;
    }
    const wrong = run.progress.wrong_answers + 1;
    if (wrong >= (step.max_attempts ?? DEFAULT_MAX_ATTEMPTS)) {
      await this.fail(manager, run, step.exhausted_error ?? RUN_ERRORS.interactionInvalid, 'unchanged');
      return;
    }
    run.progress = { ...run.progress, wrong_answers: wrong, answer_ok: null };
    await this.prompt(manager, run, step, nowMs, true);
  }

  private async prompt(
    manager: EntityManager,
    run: TaskRun,
    step: Extract<ScriptStep, { kind: 'interaction' }>,
    nowMs: number,
    retry: boolean,
  ): Promise<void> {
    const message = retry && step.retry_message ? step.retry_message : step.interaction.message;
    const progress: RunProgress = { ...run.progress, phase: 'waiting_input' };
    await this.states.move(manager, run, 'interaction_required', {
      interaction: { ...step.interaction, message },
      progress,
      next_step_at: this.dueAt(progress, nowMs + (step.window_ms ?? this.config.interactionWindowMs)),
    });
  }

  private async fail(
    manager: EntityManager,
    run: TaskRun,
    error: TaskRun['errors'][number],
    credential: 'invalid' | 'unchanged',
  ): Promise<void> {
    await this.states.move(manager, run, 'failed', { result: 'failure', errors: [error] });
    if (credential === 'invalid') {
      await this.updateCredential(manager, run, 'invalid');
    }
  }

  private async updateCredential(manager: EntityManager, run: TaskRun, status: 'verified' | 'invalid'): Promise<void> {
    if (!run.credential_id) {
      return;
    }
    const credential = await manager.findOneBy(Credential, { id: run.credential_id });
    if (credential && credential.status !== 'deleted') {
      await this.credentials.setStatus(manager, credential, status);
    }
  }

  private stepOf(progress: RunProgress): ScriptStep | undefined {
    return progress.steps[progress.step];
  }

  /** A step's due time, capped by the run's hard timeout. */
  private dueAt(progress: RunProgress, atMs: number): number {
    return Math.min(atMs, progress.deadline_at);
  }
}
