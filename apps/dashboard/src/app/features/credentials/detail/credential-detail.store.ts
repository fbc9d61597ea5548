import { HttpClient } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import type { CredentialDetail, CredentialView, InteractionView, LiveChange, TaskRunView } from '@app/contracts';

import { ApiProblem, asApiProblem } from '../../../core/http/api-problem';

export type DetailState = 'loading' | 'ready' | 'not_found' | 'error';

/** Newer wins; equal timestamps take the incoming copy (the feed is in commit order). */
function newer(incoming: { updated_at: string }, known: { updated_at: string } | undefined): boolean {
  return !known || incoming.updated_at >= known.updated_at;
}

/**
 * One credential's detail, loaded once over REST and then kept current from
 * the live feed one change at a time (no refetch per change). Changes that
 * arrive while a load is in flight are replayed onto its answer.
 */
@Injectable()
export class CredentialDetailStore {
  readonly state = signal<DetailState>('loading');
  readonly problem = signal<ApiProblem | null>(null);
  readonly detail = signal<CredentialDetail | null>(null);

  readonly credential = computed(() => this.detail()?.credential ?? null);
  readonly runs = computed(() => this.detail()?.runs ?? []);
  readonly interactions = computed(() => this.detail()?.interactions ?? []);
  readonly openPrompts = computed(() => this.interactions().filter((interaction) => interaction.state === 'open'));

  private readonly http = inject(HttpClient);
  private id: string | null = null;
  private generation = 0;
  private pending: LiveChange[] = [];
  private inFlight = false;

  /** Loads the credential; `quiet` keeps what is shown while reloading (a refetch after a reconnect). */
  async load(id: string, quiet = false): Promise<void> {
    this.id = id;
    const ticket = ++this.generation;
    this.pending = [];
    this.inFlight = true;
    if (!quiet || !this.detail()) {
      this.state.set('loading');
      this.detail.set(null);
    }
    try {
      const detail = await firstValueFrom(
        this.http.get<CredentialDetail>(`/api/credentials/${encodeURIComponent(id)}`),
      );
      if (ticket !== this.generation) {
        return;
      }
      this.inFlight = false;
      this.detail.set(detail);
      this.problem.set(null);
      this.state.set('ready');
      const queued = this.pending;
      this.pending = [];
      queued.forEach((change) => this.apply(change));
    } catch (error: unknown) {
      if (ticket !== this.generation) {
        return;
      }
      this.inFlight = false;
      const problem = asApiProblem(error);
      this.problem.set(problem);
      if (!quiet || !this.detail()) {
        this.state.set(problem.status === 404 ? 'not_found' : 'error');
      }
    }
  }

  reload(): Promise<void> {
    return this.id ? this.load(this.id, true) : Promise.resolve();
  }

  /** One change from the live feed; changes about other credentials are ignored. */
  apply(change: LiveChange): void {
    if (this.inFlight) {
      this.pending.push(change);
    }
    const current = this.detail();
    if (!current) {
      return;
    }
    if (change.credential_id !== current.credential.id) {
      return;
    }
    switch (change.kind) {
      case 'credential':
        this.applyCredential(change.credential);
        break;
      case 'task_run':
        this.applyRun(change.task_run);
        break;
      case 'interaction':
        this.applyInteraction(change.interaction);
        break;
    }
  }

  applyCredential(credential: CredentialView): void {
    this.detail.update((detail) =>
      detail && detail.credential.id === credential.id && newer(credential, detail.credential)
        ? { ...detail, credential }
        : detail,
    );
  }

  applyRun(run: TaskRunView): void {
    this.detail.update((detail) => {
      if (!detail) {
        return detail;
      }
      const known = detail.runs.find((r) => r.id === run.id);
      if (!newer(run, known)) {
        return detail;
      }
      const runs = [run, ...detail.runs.filter((r) => r.id !== run.id)].sort((a, b) =>
        b.created_at.localeCompare(a.created_at),
      );
      return { ...detail, runs };
    });
  }

  applyInteraction(interaction: InteractionView): void {
    this.detail.update((detail) => {
      if (!detail) {
        return detail;
      }
      const known = detail.interactions.find((i) => i.id === interaction.id);
      // A closed prompt never opens again: a late "open" copy must not bring it back.
      if (known && known.state !== 'open' && interaction.state === 'open') {
        return detail;
      }
      const interactions = [interaction, ...detail.interactions.filter((i) => i.id !== interaction.id)].sort((a, b) =>
        b.opened_at.localeCompare(a.opened_at),
      );
      return { ...detail, interactions };
    });
  }
}
