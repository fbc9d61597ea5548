import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import type { LiveChange } from '@app/contracts';
import { Reader, Transactor } from '@app/sqlite';

import { ApiError } from '../common/api-error';
import { Clock } from '../common/clock';
import { apiConfig, ApiConfig } from '../config/api.config';
import { DeckClient } from '../deck/deck-client.service';
import { LivePublisher } from '../changes/live-publisher';
import { MirrorService } from '../mirror/mirror.service';
import { CatchUpService } from './catch-up.service';

/** Objects compared with Deck per pass, at most; the rest wait for the next pass, least recently checked first. */
const MAX_PER_PASS = 100;
/** Requests left for users' own calls: a pass stops rather than make anyone wait on the rate window. */
const RESERVED_REQUESTS = 100;

/** For /health. */
export interface ReconciliationStatus {
  /** When a pass last finished. */
  last_run_at: string | null;
  /** Open objects the last pass compared with Deck. */
  checked: number;
  /** Of those, the ones whose mirror row was wrong and was put right. */
  repaired: number;
  /** Put right since the api started. */
  repaired_total: number;
  /** Why the last pass failed, until one succeeds. */
  last_error: string | null;
  running: boolean;
}

const normalise = (status: string): string => (status === 'canceling' ? 'cancelling' : status);

/**
 * Catch-up cannot apply an event Deck never listed. What is still open in the
 * mirror (credentials unverified, runs unfinished, prompts open) is compared
 * with Deck's own object on a timer and after the first catch-up, and a row
 * that differs goes through the same projection rules as an event would.
 */
@Injectable()
export class ReconciliationService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReconciliationService.name);
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;
  /** Deck id → when it was last compared, so a long backlog is worked through in turn. */
  private readonly checkedAt = new Map<string, number>();
  private state: ReconciliationStatus = {
    last_run_at: null,
    checked: 0,
    repaired: 0,
    repaired_total: 0,
    last_error: null,
    running: false,
  };

  constructor(
    @Inject(apiConfig.KEY) private readonly config: ApiConfig,
    private readonly deck: DeckClient,
    private readonly mirror: MirrorService,
    private readonly live: LivePublisher,
    private readonly transactor: Transactor,
    private readonly reader: Reader,
    private readonly clock: Clock,
    private readonly catchUp: CatchUpService,
  ) {}

  onApplicationBootstrap(): void {
    void this.catchUp.firstRun.then(() => (this.stopped ? undefined : this.runNow()));
    this.timer = setInterval(() => void this.runNow(), this.config.reconcileIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) {
      clearInterval(this.timer);
    }
    await this.chain;
  }

  status(): ReconciliationStatus {
    return { ...this.state };
  }

  /** A pass after any under way. Never rejects. */
  runNow(): Promise<ReconciliationStatus> {
    const next = this.chain.then(() => this.pass());
    this.chain = next;
    return next;
  }

  private async pass(): Promise<ReconciliationStatus> {
    if (this.stopped) {
      return this.status();
    }
    this.state.running = true;
    let checked = 0;
    let repaired = 0;
    try {
      const open = await this.reader.read((manager) => this.mirror.openObjects(manager, MAX_PER_PASS * 5));
      const queue = [
        ...open.credentials.map((row) => ({ kind: 'credential' as const, ...row })),
        ...open.runs.map((row) => ({ kind: 'task_run' as const, ...row })),
      ].sort((a, b) => (this.checkedAt.get(a.deck_id) ?? 0) - (this.checkedAt.get(b.deck_id) ?? 0));
      for (const item of queue.slice(0, MAX_PER_PASS)) {
        if (this.stopped || this.deck.spareRequests() <= RESERVED_REQUESTS) {
          break;
        }
        this.checkedAt.set(item.deck_id, this.clock.nowMs());
        checked++;
        const fixed =
          item.kind === 'credential'
            ? await this.credential(item.deck_id, item.status)
            : await this.run(item.deck_id, item.status);
        repaired += fixed ? 1 : 0;
      }
      this.forgetClosed(queue.map((item) => item.deck_id));
      if (repaired > 0) {
        this.logger.warn(`Reconciliation put ${repaired} mirror row(s) right from Deck's own objects`);
      }
      this.state = {
        last_run_at: this.clock.iso(),
        checked,
        repaired,
        repaired_total: this.state.repaired_total + repaired,
        last_error: null,
        running: false,
      };
    } catch (error: unknown) {
      const reason = error instanceof Error ? error.message : 'unknown error';
      this.logger.warn(
        `Reconciliation with Deck failed (${reason}); next try in ${this.config.reconcileIntervalMs} ms`,
      );
      this.state = {
        ...this.state,
        repaired_total: this.state.repaired_total + repaired,
        last_error: reason,
        running: false,
      };
    }
    return this.status();
  }

  /** True when the mirror row was behind Deck and has been brought level. */
  private async credential(deckId: string, mirrored: string): Promise<boolean> {
    const credential = await this.fetch(() => this.deck.getCredential(deckId));
    if (!credential || credential.status === mirrored) {
      return false;
    }
    return this.apply((manager) => this.mirror.recordCredential(manager, credential));
  }

  private async run(deckId: string, mirrored: string): Promise<boolean> {
    const run = await this.fetch(() => this.deck.getTaskRun(deckId));
    if (!run || normalise(run.status) === normalise(mirrored)) {
      return false;
    }
    return this.apply((manager) => this.mirror.recordTaskRun(manager, run));
  }

  private async apply(work: (manager: EntityManager) => Promise<{ changes: LiveChange[] }>): Promise<boolean> {
    const { changes } = await this.transactor.run(work);
    this.live.publish(changes);
    return changes.length > 0;
  }

  /** Deck's object, or null when Deck no longer has it (nothing to compare). */
  private async fetch<T>(call: () => Promise<T>): Promise<T | null> {
    try {
      return await call();
    } catch (error: unknown) {
      if (error instanceof ApiError && error.status === 404) {
        return null;
      }
      throw error;
    }
  }

  /** Objects no longer open need no turn; the map stays the size of the open set. */
  private forgetClosed(open: string[]): void {
    const still = new Set(open);
    for (const id of this.checkedAt.keys()) {
      if (!still.has(id)) {
        this.checkedAt.delete(id);
      }
    }
  }
}
