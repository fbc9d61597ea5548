import { randomUUID } from 'node:crypto';

import { request as playwrightRequest, test } from '@playwright/test';
import type { APIRequestContext, BrowserContext } from '@playwright/test';

import type {
  CredentialDetail,
  CredentialList,
  CredentialView,
  InteractionView,
  LinkView,
  OperatorView,
  Page,
  Role,
  SourceView,
  TaskRunView,
} from '@app/contracts';

/** The README's first account: created by the api when it has no operator. */
export const ADMIN = { email: 'admin@deckhand.local', password: 'deckhand-admin', role: 'admin' } as const;

export interface Account {
  email: string;
  password: string;
  role: Role;
}

/** A cookie as Playwright's storage state holds it. */
type StoredState = Awaited<ReturnType<APIRequestContext['storageState']>>;

export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, string>;
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** A failed call, with the api's error sentence in the message. */
export class ApiCallError extends Error {
  constructor(
    readonly method: Method,
    readonly path: string,
    readonly answer: ApiAnswer,
  ) {
    super(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
}

export interface NewCredential {
  /** A sandbox magic username (`user_good`, `user_mfa`, `user_bad`, …): it decides what runs do. */
  username: string;
  password?: string;
  /** Default: a fresh `e2e-…` id. */
  external_id?: string;
  /** Default: the first source. */
  source_id?: string;
  /** Start the verification run right away (creating alone leaves the credential unverified, with no run). */
  verify?: boolean;
}

const LOGIN_ATTEMPTS = 3;

/**
 * REST calls to the api from Node as one operator: logs in (session cookie),
 * fetches `GET /api/auth/me` (which sets `XSRF-TOKEN`) and echoes that token in
 * `X-XSRF-TOKEN` on every write, as the dashboard does.
 */
export class ApiClient {
  private constructor(
    private readonly http: APIRequestContext,
    readonly account: Account,
    readonly operator: OperatorView,
  ) {}

  /** Logs `account` in. The api allows 10 sign-ins a minute per address: prefer reusing a client. */
  static async login(baseURL: string, account: Account = ADMIN): Promise<ApiClient> {
    const http = await playwrightRequest.newContext({ baseURL });
    try {
      await loginWithRetry(http, account);
      const me = await http.get('/api/auth/me');
      if (!me.ok()) {
        throw new Error(`GET /api/auth/me after signing in answered ${me.status()}`);
      }
      return new ApiClient(http, account, (await me.json()) as OperatorView);
    } catch (error: unknown) {
      await http.dispose();
      throw error;
    }
  }

  /** Cookies for a browser context (`browser.newContext({ storageState })`): the same session. */
  storageState(): Promise<StoredState> {
    return this.http.storageState();
  }

  /** Whether the session still works (a test may have signed it out). */
  async isSignedIn(): Promise<boolean> {
    return (await this.http.get('/api/auth/me')).ok();
  }

  /** Any call, whatever its status: for tests that expect a refusal. */
  async raw<T = unknown>(method: Method, path: string, body?: unknown): Promise<ApiAnswer<T>> {
    const response = await this.http.fetch(path, {
      method,
      data: body,
      headers: method === 'GET' ? {} : { 'X-XSRF-TOKEN': await this.xsrfToken() },
      failOnStatusCode: false,
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON: keep the text.
    }
    return { status: response.status(), body: parsed as T, headers: response.headers() };
  }

  /** A call that must succeed (2xx); its JSON body. */
  async call<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const answer = await this.raw<T>(method, path, body);
    if (answer.status < 200 || answer.status > 299) {
      throw new ApiCallError(method, path, answer);
    }
    return answer.body;
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PATCH', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.call<T>('DELETE', path);
  }

  /** A new operator account (admin only): a fresh e-mail unless one is given. */
  async createOperator(role: Role, email = `${role}-${randomUUID().slice(0, 8)}@deckhand.test`): Promise<Account> {
    const password = `pw-${randomUUID()}`;
    await this.post<OperatorView>('/api/operators', { email, password, role });
    return { email, password, role };
  }

  sources(): Promise<SourceView[]> {
    return this.get<SourceView[]>('/api/sources');
  }

  /** Stores a login with Deck through the api (as the connect page does) and, unless `verify: false`, starts its run. */
  async createCredential(input: NewCredential): Promise<{ credential: CredentialView; run: TaskRunView | null }> {
    const sourceId = input.source_id ?? (await this.sources())[0]?.id;
    if (!sourceId) {
      throw new Error('the api lists no Deck source');
    }
    const credential = await this.post<CredentialView>('/api/credentials', {
      source_id: sourceId,
      username: input.username,
      password: input.password ?? `pw-${randomUUID()}`,
      external_id: input.external_id ?? `e2e-${randomUUID().slice(0, 8)}`,
    });
    const run = input.verify === false ? null : await this.verify(credential.id);
    return { credential, run };
  }

  verify(credentialId: string): Promise<TaskRunView> {
    return this.post<TaskRunView>(`/api/credentials/${encodeURIComponent(credentialId)}/verify`);
  }

  credential(id: string): Promise<CredentialDetail> {
    return this.get<CredentialDetail>(`/api/credentials/${encodeURIComponent(id)}`);
  }

  credentials(query = ''): Promise<CredentialList> {
    return this.get<CredentialList>(`/api/credentials${query ? `?${query}` : ''}`);
  }

  openInteractions(): Promise<InteractionView[]> {
    return this.get<Page<InteractionView>>('/api/interactions?state=open').then((p) => p.data);
  }

  /** Answers a run's open prompt (`runId`: the api's run id, `InteractionView.task_run_id`). */
  answer(runId: string, input: Record<string, string>): Promise<InteractionView> {
    return this.post<InteractionView>(`/api/task-runs/${encodeURIComponent(runId)}/interaction`, { input });
  }

  /** A connect link for an end user (`url` is `…/connect#token=…`). */
  createLink(externalId = `e2e-${randomUUID().slice(0, 8)}`, sourceId?: string): Promise<LinkView> {
    return this.post<LinkView>('/api/links', { external_id: externalId, ...(sourceId ? { source_id: sourceId } : {}) });
  }

  /** The sandbox's control plane through the api's pass-through (`/api/sandbox/*`), e.g. `sandbox('POST', '/clock/advance', { by: '1h' })`. */
  sandbox<T>(method: Method, path: string, body?: unknown): Promise<T> {
    return this.call<T>(method, `/api/sandbox${path.startsWith('/') ? path : `/${path}`}`, body);
  }

  async dispose(): Promise<void> {
    await this.http.dispose();
  }

  private async xsrfToken(): Promise<string> {
    const state = await this.http.storageState();
    return state.cookies.find((c) => c.name === 'XSRF-TOKEN')?.value ?? '';
  }
}

/**
 * Ends a browser context's operator session from outside the page (as an expiry
 * or a sign-out elsewhere would): `POST /api/auth/logout` with that context's cookies.
 * The page still believes it is signed in until its next request.
 */
export async function endSessionOf(context: BrowserContext, baseURL: string): Promise<void> {
  const http = await playwrightRequest.newContext({ baseURL, storageState: await context.storageState() });
  try {
    const cookies = (await http.storageState()).cookies;
    const xsrf = cookies.find((c) => c.name === 'XSRF-TOKEN')?.value;
    if (!cookies.some((c) => c.name === 'deckhand_session')) {
      throw new Error('the browser context has no deckhand_session cookie: is it signed in?');
    }
    const response = await http.post('/api/auth/logout', { headers: xsrf ? { 'X-XSRF-TOKEN': xsrf } : {} });
    if (response.status() !== 204) {
      throw new Error(`POST /api/auth/logout answered ${response.status()}: ${await response.text()}`);
    }
  } finally {
    await http.dispose();
  }
}

/**
 * The login route allows 10 attempts a minute per address. When a run goes over
 * it, wait what the api's Retry-After says (and extend the test's timeout by as
 * much) rather than fail: the limit is the api's, not the feature under test.
 */
async function loginWithRetry(http: APIRequestContext, account: Account): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const response = await http.post('/api/auth/login', { data: { email: account.email, password: account.password } });
    if (response.ok()) {
      return;
    }
    if (response.status() !== 429 || attempt >= LOGIN_ATTEMPTS) {
      throw new Error(`signing in as ${account.email} answered ${response.status()}: ${await response.text()}`);
    }
    await waitOutRateLimit(response.headers()['retry-after']);
  }
}

/** Waits out a 429's Retry-After (seconds), lengthening the current test's timeout by that much. */
export async function waitOutRateLimit(retryAfter: string | undefined): Promise<void> {
  const seconds = Math.min(Math.max(Number(retryAfter) || 5, 1), 65);
  try {
    test.info().setTimeout(test.info().timeout + seconds * 1000);
  } catch {
    // Not inside a test (a worker fixture): the fixture's own timeout applies.
  }
  console.warn(`[browser] the api's sign-in rate limit was reached: waiting ${seconds} s`);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}
