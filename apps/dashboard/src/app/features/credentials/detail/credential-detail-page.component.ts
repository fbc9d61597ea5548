import { HttpClient } from '@angular/common/http';
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { Title } from '@angular/platform-browser';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';

import type { CredentialView, InteractionView, OperatorView, SourceView, TaskRunView } from '@app/contracts';

import { SessionService } from '../../../core/auth/session.service';
import { asApiProblem, describeProblem } from '../../../core/http/api-problem';
import { OpenPromptsStore } from '../../../core/prompts/open-prompts.store';
import { RealtimeService } from '../../../core/realtime/realtime.service';
import { openConnectLinkDialog } from '../connect-link/connect-link-dialog.component';
import { ChartComponent } from '../../../shared/chart.component';
import { confirmAction } from '../../../shared/confirm-dialog.component';
import { InteractionFormComponent } from '../../../shared/interaction-form/interaction-form.component';
import { NowService } from '../../../shared/now.service';
import { duration } from '../../../shared/relative-time';
import { RelativeTimePipe } from '../../../shared/relative-time.pipe';
import { StatusChipComponent } from '../../../shared/status-chip.component';
import { CredentialDetailStore } from './credential-detail.store';
import { answererInWords, buildHistory, errorInWords } from './credential-history';
import { chartedRuns, runsChartConfig } from './runs-chart';
import { UpdateLoginData, UpdateLoginDialogComponent } from './update-login-dialog.component';

type Action = 'verify' | 'update' | 'delete';

interface ActionResult {
  text: string;
  tone: 'ok' | 'error' | 'progress';
}

/**
 * One credential: who and where, its status and last error, the prompt it is
 * waiting on (answerable here), the actions the operator's role allows, its
 * runs on a time axis and as a list, and its whole history. Kept live.
 */
@Component({
  selector: 'dh-credential-detail-page',
  imports: [
    ChartComponent,
    DatePipe,
    InteractionFormComponent,
    MatButtonModule,
    MatIconModule,
    MatProgressSpinnerModule,
    RelativeTimePipe,
    RouterLink,
    StatusChipComponent,
  ],
  providers: [CredentialDetailStore],
  templateUrl: './credential-detail-page.component.html',
  styleUrl: './credential-detail-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CredentialDetailPageComponent {
  /** The route's `:id` (ours or Deck's). */
  readonly id = input.required<string>();

  protected readonly store = inject(CredentialDetailStore);
  protected readonly session = inject(SessionService);
  protected readonly busyAction = signal<Action | null>(null);
  protected readonly actionResult = signal<ActionResult | null>(null);
  protected readonly answering = signal<string | null>(null);
  protected readonly answerErrors = signal<Partial<Record<string, string>>>({});
  protected readonly promptNotice = signal<string | null>(null);
  /** Set once this operator answers here, so the next prompt (after a wrong answer) takes the focus. */
  protected readonly answeredHere = signal(false);

  protected readonly credential = computed(() => this.store.credential());
  protected readonly canAct = computed(() => this.session.can('operator'));
  protected readonly deleted = computed(() => this.credential()?.status === 'deleted');
  protected readonly rejected = computed(() => this.credential()?.status === 'invalid');
  protected readonly sourceName = computed(() => {
    const credential = this.credential();
    return credential ? (this.sourceNames().get(credential.source_id) ?? credential.source_id) : '';
  });
  protected readonly lastError = computed(() => errorInWords(this.credential()?.last_error ?? null));
  protected readonly history = computed(() => {
    const detail = this.store.detail();
    return detail ? buildHistory(detail) : [];
  });
  protected readonly openPrompts = computed(() =>
    this.store.openPrompts().filter((prompt) => !this.dismissed().has(prompt.id)),
  );
  protected readonly runsChart = computed(() => runsChartConfig(this.store.runs(), this.now()));
  protected readonly chartHeight = computed(() => Math.min(560, 80 + Math.min(this.store.runs().length, 20) * 28));
  protected readonly loadError = computed(() => {
    const problem = this.store.problem();
    return problem ? describeProblem(problem) : '';
  });
  protected readonly runsChartLabel = computed(() => {
    const runs = chartedRuns(this.store.runs(), this.now());
    const counts = new Map<string, number>();
    runs.forEach((c) => counts.set(c.words, (counts.get(c.words) ?? 0) + 1));
    const parts = [...counts].map(([words, n]) => `${n} ${words}`).join(', ');
    return `Runs of this credential on a time axis: ${runs.length} run${runs.length === 1 ? '' : 's'}${parts ? ` (${parts})` : ''}. The list below has the same runs.`;
  });

  private readonly now = inject(NowService).now;
  private readonly dismissed = signal<ReadonlySet<string>>(new Set());
  /** The run this page started (verify, or verify after an update): its outcome is added to the action's result. */
  private readonly followedRun = signal<{ id: string; asked: boolean } | null>(null);
  private readonly sources = signal<SourceView[]>([]);
  private readonly sourceNames = computed(() => new Map(this.sources().map((s) => [s.id, s.name ?? s.url])));
  private readonly operatorEmails = signal<ReadonlyMap<string, string>>(new Map());
  private readonly http = inject(HttpClient);
  private readonly dialog = inject(MatDialog);
  private readonly prompts = inject(OpenPromptsStore);
  private readonly title = inject(Title);

  constructor() {
    const realtime = inject(RealtimeService);
    realtime.changes$.pipe(takeUntilDestroyed()).subscribe((change) => this.store.apply(change));
    realtime.refetch$.pipe(takeUntilDestroyed()).subscribe(() => void this.store.reload());
    effect(() => {
      const id = this.id();
      untracked(() => {
        this.actionResult.set(null);
        this.promptNotice.set(null);
        void this.store.load(id);
      });
    });
    effect(() => {
      const credential = this.credential();
      if (credential) {
        this.title.setTitle(`${credential.external_id ?? 'Credential'} · ${this.sourceName()} · Deckhand`);
      }
    });
    effect(() => {
      const followed = this.followedRun();
      const run = followed && this.store.runs().find((r) => r.id === followed.id);
      if (followed && run) {
        untracked(() => this.reportRun(run, followed.asked));
      }
    });
    void this.loadSourceNames();
    void this.loadOperatorEmails();
  }

  protected retry(): void {
    void this.store.load(this.id());
  }

  protected answeredBy(raw: string | null): string | null {
    return answererInWords(raw, this.session.operator(), this.operatorEmails());
  }

  protected runDuration(run: TaskRunView): string {
    const start = Date.parse(run.started_at ?? run.created_at);
    const end = run.finished_at ? Date.parse(run.finished_at) : this.now();
    return duration(end - start);
  }

  protected runErrors(run: TaskRunView): string[] {
    return run.errors.map((error) => error.message || `${error.type}: ${error.code}`);
  }

  protected async answerPrompt(prompt: InteractionView, input: Record<string, string>): Promise<void> {
    this.answering.set(prompt.id);
    this.answeredHere.set(true);
    this.promptNotice.set(null);
    this.setAnswerError(prompt.id, null);
    try {
      const answered = await firstValueFrom(
        this.http.post<InteractionView>(`/api/task-runs/${encodeURIComponent(prompt.task_run_id)}/interaction`, {
          input,
        }),
      );
      this.store.applyInteraction(answered.state === 'open' ? { ...answered, state: 'answered' } : answered);
      this.prompts.remove(prompt.id);
      this.promptNotice.set('Answer sent — the run continues.');
    } catch (error: unknown) {
      const problem = asApiProblem(error);
      if (problem.status === 409) {
        this.dismissed.update((ids) => new Set([...ids, prompt.id]));
        this.prompts.remove(prompt.id);
        this.promptNotice.set('Someone else already answered this prompt.');
      } else {
        this.setAnswerError(prompt.id, describeProblem(problem));
      }
    } finally {
      this.answering.set(null);
    }
  }

  protected async verifyCredential(): Promise<void> {
    const credential = this.credential();
    if (!credential) {
      return;
    }
    await this.perform('verify', 'Starting verification…', async () => {
      await this.startVerification(credential);
      return 'Verification started. The run appears below as it happens.';
    });
  }

  protected async updateLoginDetails(): Promise<void> {
    const credential = this.credential();
    if (!credential || this.busyAction()) {
      return;
    }
    const ref = this.dialog.open<UpdateLoginDialogComponent, UpdateLoginData, CredentialView | null>(
      UpdateLoginDialogComponent,
      {
        data: { credential, sourceName: this.sourceName() },
        width: '480px',
        maxWidth: '94vw',
        autoFocus: 'first-tabbable',
      },
    );
    const updated = await firstValueFrom(ref.afterClosed());
    if (!updated) {
      return;
    }
    this.store.applyCredential(updated);
    await this.perform('update', 'Login details updated — verifying…', async () => {
      try {
        await this.startVerification(updated);
      } catch (error: unknown) {
        throw new Error(
          `Login details updated, but verification could not start: ${describeProblem(asApiProblem(error))}`,
        );
      }
      return 'Login details updated — verifying…';
    });
  }

  protected async deleteCredential(): Promise<void> {
    const credential = this.credential();
    if (!credential || this.busyAction()) {
      return;
    }
    const confirmed = await confirmAction(this.dialog, {
      title: 'Delete this credential?',
      message: `Deck deletes the stored login${credential.external_id ? ` of ${credential.external_id}` : ''} at ${this.sourceName()}. This cannot be undone; its history stays readable here.`,
      confirm: 'Delete credential',
      danger: true,
    });
    if (!confirmed) {
      return;
    }
    await this.perform('delete', 'Deleting…', async () => {
      const removed = await firstValueFrom(
        this.http.delete<CredentialView>(`/api/credentials/${encodeURIComponent(credential.id)}`),
      );
      this.store.applyCredential(removed);
      return 'Credential deleted. Its history stays here.';
    });
  }

  protected copyConnectLink(): void {
    const credential = this.credential();
    if (!credential?.external_id || this.busyAction()) {
      return;
    }
    // The dialog issues the link (POST /api/links) and shows its own progress, the link and the outcome.
    openConnectLinkDialog(this.dialog, {
      externalId: credential.external_id,
      sourceId: credential.source_id,
      sources: this.sources(),
      createNow: true,
    });
  }

  private async startVerification(credential: CredentialView): Promise<void> {
    const run = await firstValueFrom(
      this.http.post<TaskRunView>(`/api/credentials/${encodeURIComponent(credential.id)}/verify`, {}),
    );
    this.store.applyRun(run);
    this.followedRun.set({ id: run.id, asked: false });
  }

  /** Adds what became of the followed run to the action's result, once it asks something and once it ends. */
  private reportRun(run: TaskRunView, asked: boolean): void {
    let outcome: string | null = null;
    let tone: ActionResult['tone'] = 'ok';
    if (run.finished_at) {
      this.followedRun.set(null);
      if (run.status === 'completed' && run.result !== 'failure') {
        outcome = 'The source accepted the login.';
      } else {
        tone = 'error';
        outcome = `The verification ${run.status === 'canceled' ? 'was canceled' : 'failed'}: ${errorInWords(run.errors[0] ?? null) ?? 'no reason was given'}`;
      }
    } else if (run.status === 'interaction_required' && !asked) {
      this.followedRun.set({ id: run.id, asked: true });
      outcome = 'The source is asking a question: answer it below.';
    }
    if (outcome && !this.busyAction()) {
      const text = outcome;
      this.actionResult.update((result) => (result ? { text: `${result.text} ${text}`, tone } : result));
    }
  }

  /** One action at a time: progress while it runs, then its outcome in words. */
  private async perform(action: Action, progress: string, work: () => Promise<string>): Promise<void> {
    if (this.busyAction()) {
      return;
    }
    this.busyAction.set(action);
    this.actionResult.set({ text: progress, tone: 'progress' });
    try {
      this.actionResult.set({ text: await work(), tone: 'ok' });
    } catch (error: unknown) {
      const text = error instanceof Error ? error.message : describeProblem(asApiProblem(error));
      this.actionResult.set({ text, tone: 'error' });
    } finally {
      this.busyAction.set(null);
    }
  }

  private setAnswerError(id: string, message: string | null): void {
    this.answerErrors.update((errors) => {
      const { [id]: _previous, ...rest } = errors;
      return message ? { ...rest, [id]: message } : rest;
    });
  }

  private async loadSourceNames(): Promise<void> {
    try {
      this.sources.set(await firstValueFrom(this.http.get<SourceView[]>('/api/sources')));
    } catch {
      // The source id stands in for its name.
    }
  }

  /** Only admins may list operators; others see who answered as an id (or "you"). */
  private async loadOperatorEmails(): Promise<void> {
    if (!this.session.can('admin')) {
      return;
    }
    try {
      const operators = await firstValueFrom(this.http.get<OperatorView[]>('/api/operators'));
      this.operatorEmails.set(new Map(operators.map((o) => [o.id, o.email])));
    } catch {
      // The operator id stands in for the e-mail.
    }
  }
}
