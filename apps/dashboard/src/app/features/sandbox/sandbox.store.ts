import { computed, inject, Injectable, signal } from '@angular/core';

import type { SourceView } from '@app/contracts';
import type { ScenarioView } from '@app/deck';

import { describeSandboxProblem } from './sandbox-errors';
import { SandboxService } from './sandbox.service';

/**
 * What several cards of the Sandbox page share: the scenario catalogue (the
 * picker and the scenarios card), the sources, and a counter the reset card
 * bumps so every card reloads what a reset wiped. One per page.
 */
@Injectable()
export class SandboxStore {
  readonly scenarios = signal<ScenarioView[] | null>(null);
  readonly scenariosError = signal<string | null>(null);
  readonly sources = signal<SourceView[] | null>(null);
  readonly sourcesError = signal<string | null>(null);
  /** Bumped after every reset. */
  readonly resets = signal(0);

  readonly uploaded = computed(() => (this.scenarios() ?? []).filter((s) => s.origin === 'uploaded'));

  private readonly sandbox = inject(SandboxService);

  async loadScenarios(): Promise<void> {
    try {
      this.scenarios.set(await this.sandbox.scenarios());
      this.scenariosError.set(null);
    } catch (error: unknown) {
      this.scenariosError.set(describeSandboxProblem(error).sentence);
    }
  }

  async loadSources(): Promise<void> {
    try {
      this.sources.set(await this.sandbox.sources());
      this.sourcesError.set(null);
    } catch (error: unknown) {
      this.sourcesError.set(describeSandboxProblem(error).sentence);
    }
  }

  afterReset(): void {
    this.resets.update((n) => n + 1);
    void this.loadScenarios();
    void this.loadSources();
  }
}
