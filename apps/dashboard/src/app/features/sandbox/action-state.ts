import { computed, signal } from '@angular/core';

import { describeSandboxProblem, SandboxFailure } from './sandbox-errors';

/**
 * One action of a Sandbox card, as the card shows it: what it is doing (a
 * progress sentence, while it runs), what came of it, or why it failed.
 */
export class ActionState<T = string> {
  /** While the action runs: what it is doing ("Saving the faults…"); null when idle. */
  readonly busy = signal<string | null>(null);
  readonly result = signal<T | null>(null);
  readonly failure = signal<SandboxFailure | null>(null);
  /** The failure as a sentence. */
  readonly error = computed(() => this.failure()?.sentence ?? null);

  /**
   * Runs `work`, saying `progress` meanwhile; its answer becomes the result,
   * a refusal the failure (said by `explain` when given).
   */
  async run(
    progress: string,
    work: () => Promise<T>,
    explain: (failure: SandboxFailure) => SandboxFailure = (failure) => failure,
  ): Promise<void> {
    this.busy.set(progress);
    this.result.set(null);
    this.failure.set(null);
    try {
      this.result.set(await work());
    } catch (error: unknown) {
      this.failure.set(explain(describeSandboxProblem(error)));
    } finally {
      this.busy.set(null);
    }
  }

  /** Forgets the last result and failure. */
  clear(): void {
    this.result.set(null);
    this.failure.set(null);
  }

  /** A problem found before anything was sent; null clears it. */
  refuse(sentence: string | null): void {
    this.failure.set(sentence === null ? null : { sentence, problems: [], listed: false, status: 0 });
  }
}
