import { HttpClient } from '@angular/common/http';
import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  ElementRef,
  inject,
  Injector,
  input,
  signal,
  untracked,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';

import type { InteractionView } from '@app/contracts';

import { SessionService } from '../../core/auth/session.service';
import { asApiProblem, describeProblem } from '../../core/http/api-problem';
import { OpenPromptsStore } from '../../core/prompts/open-prompts.store';
import { InteractionFormComponent } from '../../shared/interaction-form/interaction-form.component';
import { NowService } from '../../shared/now.service';
import { RelativeTimePipe } from '../../shared/relative-time.pipe';
import { CredentialLabelsService } from './credential-labels.service';

interface Notice {
  text: string;
  tone: 'ok' | 'warn';
}

/**
 * Every open prompt, newest first, each with its answer form. Keyboard first:
 * focus starts in the first field of the first (or `?prompt=`) prompt and
 * moves to the next one after an answer. The list is the shared live store,
 * so an answered prompt leaves every operator's queue at once.
 */
@Component({
  selector: 'dh-prompt-queue-page',
  imports: [InteractionFormComponent, MatButtonModule, RelativeTimePipe, RouterLink],
  templateUrl: './prompt-queue-page.component.html',
  styleUrl: './prompt-queue-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PromptQueuePageComponent {
  /** `?prompt=<interaction id>`: the prompt to start on. */
  readonly prompt = input<string | undefined>(undefined);

  protected readonly store = inject(OpenPromptsStore);
  protected readonly labels = inject(CredentialLabelsService);
  protected readonly answering = signal<string | null>(null);
  protected readonly errors = signal<Partial<Record<string, string>>>({});
  protected readonly notice = signal<Notice | null>(null);

  protected readonly canAnswer = computed(() => this.session.can('operator'));
  protected readonly loadError = computed(() => {
    const error = this.store.error();
    return error ? describeProblem(asApiProblem(error)) : null;
  });

  private readonly session = inject(SessionService);
  private readonly now = inject(NowService).now;
  private readonly http = inject(HttpClient);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);
  private initialFocusDone = false;

  constructor() {
    effect(() => {
      const ids = this.store
        .items()
        .map((item) => item.credential_id)
        .filter((id): id is string => id !== null);
      untracked(() => this.labels.ensure(ids));
    });
    effect(() => {
      const items = this.store.items();
      if (this.initialFocusDone || !this.store.loaded() || items.length === 0 || !this.canAnswer()) {
        return;
      }
      this.initialFocusDone = true;
      const selected = untracked(this.prompt);
      this.focusPrompt((items.find((item) => item.id === selected) ?? items[0]).id);
    });
  }

  /** In whole minutes: the shared clock ticks every few seconds, so seconds would only jump. */
  protected waited(item: InteractionView): string {
    const minutes = Math.floor((this.now() - Date.parse(item.opened_at)) / 60_000);
    if (minutes < 1) {
      return 'under a minute';
    }
    if (minutes < 60) {
      return `${minutes} min`;
    }
    const hours = Math.floor(minutes / 60);
    return hours < 48 ? `${hours} h ${minutes % 60} min` : `${Math.floor(hours / 24)} days`;
  }

  protected retry(): void {
    void this.store.reload();
  }

  protected async answerPrompt(item: InteractionView, input: Record<string, string>): Promise<void> {
    const next = this.neighbour(item.id);
    this.answering.set(item.id);
    this.notice.set(null);
    this.setError(item.id, null);
    try {
      await firstValueFrom(
        this.http.post<InteractionView>(`/api/task-runs/${encodeURIComponent(item.task_run_id)}/interaction`, {
          input,
        }),
      );
      this.store.remove(item.id);
      this.notice.set({ text: 'Answer sent — the run continues.', tone: 'ok' });
      this.focusPrompt(next);
    } catch (error: unknown) {
      const problem = asApiProblem(error);
      if (problem.status === 409) {
        this.store.remove(item.id);
        this.notice.set({ text: 'Already answered by someone else.', tone: 'warn' });
        this.focusPrompt(next);
      } else {
        this.setError(item.id, describeProblem(problem));
      }
    } finally {
      this.answering.set(null);
    }
  }

  /** The prompt that takes the focus when this one leaves: the one after it, else the one before. */
  private neighbour(id: string): string | null {
    const items = this.store.items();
    const index = items.findIndex((item) => item.id === id);
    return items[index + 1]?.id ?? items[index - 1]?.id ?? null;
  }

  private focusPrompt(id: string | null): void {
    afterNextRender(
      () => {
        const root = this.host.nativeElement;
        const item = id
          ? [...root.querySelectorAll<HTMLElement>('[data-testid="queue-item"]')].find(
              (el) => el.dataset['interactionId'] === id,
            )
          : undefined;
        const target = item?.querySelector<HTMLElement>('input') ?? root.querySelector<HTMLElement>('#queue-title');
        target?.focus();
      },
      { injector: this.injector },
    );
  }

  private setError(id: string, message: string | null): void {
    this.errors.update((errors) => {
      const { [id]: _previous, ...rest } = errors;
      return message ? { ...rest, [id]: message } : rest;
    });
  }
}
