import { randomUUID } from 'node:crypto';

import type { CredentialView, InteractionView, LinkView, Page, SourceView, TaskRunView } from '@app/contracts';
import type { DeckTaskRun } from '@app/deck';

import { Answer, call, OperatorSession, SandboxClient } from './chaos-http';
import { delay } from './chaos-system';

/** Catalogue usernames the burst cycles through; each picks its scenario at the sandbox. */
export const CHAOS_USERNAMES = [
  'user_good',
  'user_mfa',
  'user_bad',
  'user_mfa_question',
  'user_question',
  'user_account',
  'user_mfa_2',
  'user_locked',
  'user_source_down',
  'user_review',
  'user_timeout',
  'user_slow',
] as const;

/** How long a step keeps retrying while the api or the sandbox is down or restarting. */
const PATIENCE_MS = 45_000;
const ANSWER_POLL_MS = 500;

export interface MadeCredential {
  /** The api's id. */
  id: string;
  deckId: string;
  username: string;
  linkToken: string;
}

/** Retried on no answer, 5xx and 429: the api may be killed or starting. */
function transient(answer: Answer): boolean {
  return answer.status === 0 || answer.status === 429 || answer.status >= 500;
}

async function retrying<T>(what: string, attempt: () => Promise<Answer<T>>): Promise<Answer<T>> {
  const deadline = Date.now() + PATIENCE_MS;
  for (let wait = 100; ; wait = Math.min(wait * 2, 1000)) {
    const answer = await attempt();
    if (!transient(answer)) {
      return answer;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: still ${answer.status} after ${PATIENCE_MS / 1000} s`);
    }
    await delay(wait);
  }
}

/** What an operator types for a field: the right MFA code, an account the prompt offers, any text otherwise. */
function answerFor(prompt: InteractionView, wrongFirst: boolean): Record<string, string> {
  const input: Record<string, string> = {};
  for (const field of prompt.prompt.fields) {
    input[field.name] =
      field.name === 'code'
        ? wrongFirst
          ? '000000'
          : '123456'
        : field.name === 'account_id'
          ? 'acc_checking'
          : 'blue';
  }
  return input;
}

/**
 * The users and operators of the burst, through the api's own routes: an
 * operator issues a connect link per end user, the end user's page stores the
 * login (with an Idempotency-Key, so a retry after a crash is one credential)
 * and asks for verification; operators answer prompts from the queue.
 */
export class Workload {
  readonly made: MadeCredential[] = [];
  answersSent = 0;
  answersRefused = 0;
  errors: string[] = [];
  private sourceIds: string[] = [];
  private stopped = false;
  private users = 0;
  private readonly pending: Promise<void>[] = [];
  private answering: Promise<void> = Promise.resolve();
  /** Runs that asked for a code at least once. */
  private readonly codeRuns = new Set<string>();

  constructor(
    private readonly operator: OperatorSession,
    private readonly sandbox: SandboxClient,
  ) {}

  async prepare(): Promise<void> {
    const sources = await retrying('listing sources', () => this.operator.request<SourceView[]>('GET', '/api/sources'));
    this.sourceIds = sources.body.map((s) => s.id);
    if (this.sourceIds.length === 0) {
      throw new Error('the api lists no Deck sources');
    }
  }

  /** One more end user, in the background: `settled()` waits for every one. */
  addUser(): void {
    this.pending.push(this.addCredential(this.users++));
  }

  async settled(): Promise<void> {
    while (this.pending.length > 0) {
      await Promise.all(this.pending.splice(0));
    }
  }

  /** The n-th end user: a link, a credential stored through it, a verification run. */
  private async addCredential(n: number): Promise<void> {
    const username = `${CHAOS_USERNAMES[n % CHAOS_USERNAMES.length]}@chaos.test`;
    try {
      const link = await retrying('issuing a link', () =>
        this.operator.request<LinkView>('POST', '/api/links', { external_id: `chaos-user-${n}` }),
      );
      if (link.status !== 201) {
        throw new Error(`issuing a link answered ${link.status}`);
      }
      const page = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
        call(method, `${this.operator.baseUrl}${path}`, {
          body,
          headers: { 'x-link-token': link.body.token, ...headers },
        });
      const key = randomUUID();
      const created = (await retrying('storing a credential', () =>
        page(
          'POST',
          '/api/credentials',
          { source_id: this.sourceIds[n % this.sourceIds.length], email: username, password: 'chaos-password' },
          { 'idempotency-key': key },
        ),
      )) as Answer<CredentialView>;
      if (created.status !== 201 && created.status !== 200) {
        throw new Error(`storing a credential answered ${created.status}: ${JSON.stringify(created.body)}`);
      }
      const made = {
        id: created.body.id,
        deckId: created.body.deck_id,
        username,
        linkToken: link.body.token,
      };
      this.made.push(made);
      await this.verify(made);
    } catch (error: unknown) {
      this.errors.push(`user ${n} (${username}): ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Runs verification again for every credential whose later runs fail (a login that breaks later). */
  async reverifyLocked(): Promise<void> {
    for (const made of this.made.filter((m) => m.username.startsWith('user_locked'))) {
      await this.verify(made).catch((error: unknown) =>
        this.errors.push(`re-verifying ${made.id}: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  }

  /** QA's decision on every run waiting for review (the sandbox's control plane). */
  async approveReviews(): Promise<number> {
    const waiting = await this.sandbox.list<DeckTaskRun>('/v2/task-runs', 'status=review_required');
    for (const run of waiting) {
      await this.sandbox.must('POST', `/sandbox/task-runs/${run.id}/review`, { decision: 'approve' });
    }
    return waiting.length;
  }

  /** Operators answer the queue until stopped: the right answer, after one wrong code on every other MFA prompt. */
  startAnswering(): void {
    this.answering = (async () => {
      while (!this.stopped) {
        await this.answerOpenPrompts();
        await delay(ANSWER_POLL_MS);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.answering;
  }

  private async verify(made: MadeCredential): Promise<void> {
    const run = await retrying('verifying', () =>
      call<TaskRunView>('POST', `${this.operator.baseUrl}/api/credentials/${made.id}/verify`, {
        headers: { 'x-link-token': made.linkToken },
      }),
    );
    // 409: already running (a retry whose first try got through before a crash).
    if (run.status !== 202 && run.status !== 409) {
      throw new Error(`verifying answered ${run.status}: ${JSON.stringify(run.body)}`);
    }
  }

  private async answerOpenPrompts(): Promise<void> {
    const open = await this.operator.request<Page<InteractionView>>('GET', '/api/interactions?state=open&limit=100');
    if (open.status !== 200) {
      return;
    }
    const timeouts = new Set(this.made.filter((m) => m.username.startsWith('user_timeout')).map((m) => m.id));
    for (const prompt of open.body.data) {
      if (this.stopped) {
        return;
      }
      // That scenario is about a prompt nobody answers.
      if (prompt.credential_id !== null && timeouts.has(prompt.credential_id)) {
        continue;
      }
      // Every other run asking for a code first gets a wrong one: the source asks again.
      let wrong = false;
      if (prompt.prompt.fields.some((f) => f.name === 'code') && !this.codeRuns.has(prompt.task_run_id)) {
        this.codeRuns.add(prompt.task_run_id);
        wrong = this.codeRuns.size % 2 === 0;
      }
      const answer = await this.operator.request('POST', `/api/task-runs/${prompt.task_run_id}/interaction`, {
        input: answerFor(prompt, wrong),
      });
      if (answer.status === 200) {
        this.answersSent++;
      } else if (answer.status > 0) {
        // Already answered, the run moved on, or throttled: the queue is read again shortly.
        this.answersRefused++;
      }
    }
  }
}
