import { DatePipe, DOCUMENT } from '@angular/common';
import {
  afterRenderEffect,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  ElementRef,
  inject,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { forkJoin } from 'rxjs';

import type { CredentialView, LiveChange } from '@app/contracts';

import { ApiProblem, describeProblem } from '../../core/http/api-problem';
import { RealtimeService } from '../../core/realtime/realtime.service';
import { InteractionFormComponent } from '../../shared/interaction-form/interaction-form.component';
import { LoginDetails, LoginFormComponent } from '../../shared/login-form/login-form.component';
import { ConnectAccountsComponent } from './connect-accounts.component';
import { ConnectApiService } from './connect-api.service';
import {
  ConnectEvent,
  ConnectState,
  ConnectStateName,
  connectReducer,
  initialConnectState,
  runError,
  shownPrompt,
  stepOf,
} from './connect.machine';
import { forgetLinkToken, newIdempotencyKey, takeLinkToken } from './link-token';

/** How often a followed credential is fetched while the live feed is down. */
export const CONNECT_POLL_MS = 4000;

const FOLLOWING: readonly ConnectStateName[] = ['waiting', 'prompt', 'answering'];

/** Steps that share one screen (and one form), so focus stays put between them. */
function screenOf(name: ConnectStateName): string {
  if (name === 'details' || name === 'rejected' || name === 'saving') {
    return 'login';
  }
  return name === 'prompt' || name === 'answering' ? 'prompt' : name;
}

/**
 * The end user's connect page (`/connect#token=…`): Deck's auth flow as the
 * state machine in `connect.machine.ts`. No operator navigation; the link
 * token from the URL fragment authenticates every call and the live feed.
 */
@Component({
  selector: 'dh-connect-page',
  imports: [
    ConnectAccountsComponent,
    DatePipe,
    InteractionFormComponent,
    LoginFormComponent,
    MatButtonModule,
    MatProgressBarModule,
  ],
  providers: [ConnectApiService],
  templateUrl: './connect-page.component.html',
  styleUrl: './connect-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConnectPageComponent {
  protected readonly state = signal<ConnectState>(initialConnectState());
  protected readonly stepLabels = ['Sign in', 'Check', 'Connected'] as const;

  protected readonly name = computed(() => this.state().name);
  protected readonly step = computed(() => stepOf(this.name()));
  protected readonly loginScreen = computed(() => screenOf(this.name()) === 'login');
  protected readonly promptScreen = computed(() => screenOf(this.name()) === 'prompt');
  /** Same id and state: the same prompt, so the form on screen (and what was typed) stays. */
  protected readonly prompt = computed(() => shownPrompt(this.state()), {
    equal: (a, b) => a?.id === b?.id && a?.state === b?.state,
  });
  protected readonly problemText = computed(() => {
    const problem = this.state().problem;
    return problem ? describeProblem(problem) : null;
  });
  /** The source this step is about: the credential's, else the one the link names. */
  protected readonly source = computed(() => {
    const state = this.state();
    const id = state.credential?.source_id ?? state.link?.source_id ?? null;
    return id ? this.sourceName()(id) : null;
  });
  protected readonly sourceName = computed(() => {
    const sources = new Map(this.state().sources.map((s) => [s.id, s]));
    return (id: string): string => {
      const source = sources.get(id);
      if (source?.name) {
        return source.name;
      }
      try {
        return source ? new URL(source.url).hostname : 'the site';
      } catch {
        return 'the site';
      }
    };
  });
  protected readonly waitingText = computed(() => {
    const state = this.state();
    const source = this.source() ?? 'the site';
    const run = state.runId ? state.runs[state.runId] : undefined;
    if (state.verifying || !run) {
      return 'Starting the check…';
    }
    if (state.answered) {
      return 'Checking your answer…';
    }
    return run.status === 'queued' ? `Waiting for ${source} to answer…` : `Signing in to ${source}…`;
  });
  protected readonly failureText = computed(() => {
    const error = runError(this.state());
    if (error?.type === 'interaction') {
      return `${this.source() ?? 'The site'} did not accept the answers given.`;
    }
    return 'Something went wrong while checking. Your details are saved; try again in a moment.';
  });
  /** What a screen reader hears on each change of step. */
  protected readonly announcement = computed(() => {
    const state = this.state();
    const source = this.source() ?? 'the site';
    switch (state.name) {
      case 'loading':
        return '';
      case 'expired':
        return 'This link has expired. Ask for a new one.';
      case 'overview':
        return `Your accounts: ${state.existing.length}.`;
      case 'details':
        return this.problemText() ?? `Step 1 of 3: sign in to ${source}.`;
      case 'saving':
        return 'Saving your details…';
      case 'waiting':
        return `Step 2 of 3: checking your login with ${source}.`;
      case 'prompt': {
        const message = this.prompt()?.prompt.message ?? '';
        return state.retryPrompt ? `That didn't work — try again. ${message}` : `${source} asks: ${message}`;
      }
      case 'answering':
        return 'Sending your answer…';
      case 'verified':
        return 'Your account is connected.';
      case 'rejected':
        return `${source} didn't accept these details. Update them and try again.`;
      case 'unavailable':
        return `${source} is not available right now. We'll keep your details; try again later.`;
      case 'timed_out':
        return 'The check stopped waiting for your answer. Try again when you are ready.';
      case 'failed':
        return this.failureText();
      case 'deleted':
        return 'This connection was removed.';
      case 'error':
        return this.problemText() ?? 'Something went wrong.';
    }
  });
  protected readonly live = computed(() => this.realtime.status() === 'live');

  private readonly heading = viewChild<ElementRef<HTMLElement>>('heading');
  private readonly loginForm = viewChild(LoginFormComponent);
  private readonly realtime = inject(RealtimeService);
  private readonly api = inject(ConnectApiService);
  private readonly window = inject(DOCUMENT).defaultView as Window;
  private readonly destroyRef = inject(DestroyRef);
  private readonly followedId = computed(() => {
    const state = this.state();
    return FOLLOWING.includes(state.name) ? (state.credential?.id ?? null) : null;
  });
  /** The feed (re)connected while the first load was under way: reload the list once it is done. */
  private refetchPending = false;

  constructor() {
    const token = takeLinkToken(this.window);
    this.api.useToken(token ?? '');
    if (token) {
      this.realtime.connectWithLink(token);
      this.realtime.changes$.pipe(takeUntilDestroyed()).subscribe((change) => this.applyChange(change));
      this.realtime.refetch$.pipe(takeUntilDestroyed()).subscribe(() => this.refetch());
      this.loadLink();
    } else {
      this.dispatch({ type: 'link_missing' });
    }
    this.destroyRef.onDestroy(() => this.realtime.disconnect());

    // Polling only while the live feed is down, so the page never waits on a change that cannot arrive.
    effect((onCleanup) => {
      const id = this.followedId();
      if (id === null || this.live()) {
        return;
      }
      const timer = setInterval(() => this.refreshCredential(id), CONNECT_POLL_MS);
      onCleanup(() => clearInterval(timer));
    });

    // Each new screen moves focus to its heading (a prompt's form focuses its first field itself).
    let shownScreen: string | null = null;
    afterRenderEffect(() => {
      const screen = screenOf(this.name());
      const heading = this.heading();
      if (screen === shownScreen) {
        return;
      }
      const first = shownScreen === null;
      shownScreen = screen;
      if (!first && screen !== 'prompt') {
        untracked(() => heading?.nativeElement.focus());
      }
    });
  }

  protected connectAnother(): void {
    this.dispatch({ type: 'connect_new' });
  }

  protected showAccounts(): void {
    this.dispatch({ type: 'show_accounts' });
  }

  protected fixCredential(credential: CredentialView): void {
    this.dispatch({ type: 'fix', credential });
  }

  protected checkCredential(credential: CredentialView): void {
    this.dispatch({ type: 'check_again', credential });
  }

  protected tryAgain(): void {
    this.dispatch({ type: 'retry' });
  }

  protected saveDetails(details: LoginDetails): void {
    const login = details.email ?? details.username ?? '';
    const before = this.state();
    this.dispatch({
      type: 'submit',
      login: { source_id: details.source_id, login },
      key: newIdempotencyKey(this.window),
    });
    const state = this.state();
    if (state === before || state.name !== 'saving' || state.submission === null) {
      return;
    }
    const who = details.email !== undefined ? { email: details.email } : { username: details.username };
    const request =
      state.mode === 'update' && state.credential
        ? this.api.update(state.credential.id, { ...who, password: details.password })
        : this.api.create({ source_id: details.source_id, ...who, password: details.password }, state.submission.key);
    request.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next: (credential) => {
        this.loginForm()?.clearPassword();
        this.dispatch({ type: 'saved', credential });
      },
      error: (problem: ApiProblem) => {
        this.loginForm()?.clearPassword();
        this.dispatch({ type: 'save_failed', problem });
      },
    });
  }

  protected sendAnswer(input: Record<string, string>): void {
    const prompt = this.prompt();
    const before = this.state();
    this.dispatch({ type: 'answer' });
    if (prompt === null || this.state() === before) {
      return;
    }
    this.api
      .answer(prompt.task_run_id, input)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (interaction) => this.dispatch({ type: 'answered', interaction }),
        error: (problem: ApiProblem) => this.dispatch({ type: 'answer_failed', problem }),
      });
  }

  /** Runs the machine, then the requests a transition owes. */
  private dispatch(event: ConnectEvent): void {
    const before = this.state();
    const after = connectReducer(before, event);
    if (after === before) {
      return;
    }
    this.state.set(after);
    if (after.verifying && !before.verifying && after.credential) {
      this.startVerification(after.credential.id);
    }
    if (after.name === 'loading' && before.name !== 'loading') {
      this.loadLink();
    }
    if (after.name === 'expired' && after.expiredReason === 'expired') {
      forgetLinkToken(this.window);
      this.realtime.disconnect();
    }
    if (before.name === 'loading' && after.name !== 'loading' && this.refetchPending) {
      this.refetchPending = false;
      this.refetch();
    }
  }

  private loadLink(): void {
    forkJoin({ link: this.api.currentLink(), sources: this.api.sources(), list: this.api.credentials() })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: ({ link, sources, list }) =>
          this.dispatch({ type: 'link_loaded', link, sources, credentials: list.data }),
        error: (problem: ApiProblem) => this.dispatch({ type: 'link_failed', problem }),
      });
  }

  /** The api starts no run on create or update: the verification run is asked for here. */
  private startVerification(credentialId: string): void {
    this.api
      .verify(credentialId)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (run) => this.dispatch({ type: 'verify_started', run }),
        error: (problem: ApiProblem) => this.dispatch({ type: 'verify_failed', problem }),
      });
  }

  private applyChange(change: LiveChange): void {
    switch (change.kind) {
      case 'credential':
        this.dispatch({ type: 'credential_changed', credential: change.credential });
        break;
      case 'task_run':
        this.dispatch({ type: 'run_changed', run: change.task_run });
        break;
      case 'interaction':
        this.dispatch({ type: 'interaction_changed', interaction: change.interaction });
        break;
    }
  }

  /** The feed cannot say what happened before it connected (or while it was away too long): ask over REST. */
  private refetch(): void {
    const state = this.state();
    if (state.name === 'loading') {
      this.refetchPending = true;
      return;
    }
    if (state.link === null) {
      return;
    }
    this.api
      .credentials()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (list) => this.dispatch({ type: 'list_loaded', credentials: list.data }),
        error: (problem: ApiProblem) => this.ignoreUnlessLinkLost(problem),
      });
    if (state.credential) {
      this.refreshCredential(state.credential.id);
    }
  }

  private refreshCredential(id: string): void {
    this.api
      .credential(id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (detail) => this.dispatch({ type: 'detail_loaded', detail }),
        error: (problem: ApiProblem) => this.ignoreUnlessLinkLost(problem),
      });
  }

  /** A failed background refresh is tried again later; only a dead link ends the page. */
  private ignoreUnlessLinkLost(problem: ApiProblem): void {
    if (problem.code === 'link_invalid' || problem.code === 'unauthenticated') {
      this.dispatch({ type: 'link_lost' });
    }
  }
}
