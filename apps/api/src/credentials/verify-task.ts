import { Inject, Injectable } from '@nestjs/common';

import { ApiError } from '../common/api-error';
import { Clock } from '../common/clock';
import { apiConfig, ApiConfig } from '../config/api.config';
import { DeckClient } from '../deck/deck-client.service';
import { SandboxService } from '../sandbox/sandbox.service';

/** The name Deck's auth-flow guide (and the sandbox's seed) gives the verification task. */
export const VERIFY_TASK_NAME = 'Verify login';
const TASK_TTL_MS = 5 * 60_000;

/** Which Deck task verifies a credential: DECK_VERIFY_TASK_ID, or the task named "Verify login" (cached). */
@Injectable()
export class VerifyTask {
  private cached: { at: number; id: string } | null = null;

  constructor(
    private readonly deck: DeckClient,
    private readonly clock: Clock,
    @Inject(apiConfig.KEY) private readonly config: ApiConfig,
    sandbox: SandboxService,
  ) {
    sandbox.onReset(() => this.forget());
  }

  async id(): Promise<string> {
    if (this.config.deck.verifyTaskId) {
      return this.config.deck.verifyTaskId;
    }
    if (this.cached && this.clock.nowMs() - this.cached.at < TASK_TTL_MS) {
      return this.cached.id;
    }
    const tasks = await this.deck.listTasks();
    const task = tasks.data.find((t) => t.name.trim().toLowerCase() === VERIFY_TASK_NAME.toLowerCase());
    if (!task) {
      throw new ApiError(
        'unavailable',
        `No verification task: set DECK_VERIFY_TASK_ID, or create a Deck task named "${VERIFY_TASK_NAME}".`,
      );
    }
    this.cached = { at: this.clock.nowMs(), id: task.id };
    return task.id;
  }

  /** Deck no longer knows the cached task: look it up again next time. */
  forget(): void {
    this.cached = null;
  }
}
