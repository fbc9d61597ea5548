/** One HTTP answer; status 0 when nothing answered (a process killed or starting). */
export interface Answer<T = unknown> {
  status: number;
  body: T;
  headers: Headers | null;
}

const TIMEOUT_MS = 10_000;

export async function call<T = unknown>(
  method: string,
  url: string,
  options: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Answer<T>> {
  try {
    const response = await fetch(url, {
      method,
      headers: {
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? TIMEOUT_MS),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON: kept as text for the failure message.
    }
    return { status: response.status, body: body as T, headers: response.headers };
  } catch {
    return { status: 0, body: null as T, headers: null };
  }
}

interface Paged<T> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

/** Every item of a cursor-paged list (Deck's or the api's), page by page; throws if a page fails. */
export async function allPages<T>(get: (query: string) => Promise<Answer<Paged<T>>>, limit = 100): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await get(query);
    if (page.status !== 200) {
      throw new Error(`a list page answered ${page.status}: ${JSON.stringify(page.body)?.slice(0, 300)}`);
    }
    items.push(...page.body.data);
    cursor = page.body.has_more ? page.body.next_cursor : null;
  } while (cursor);
  return items;
}

/** The sandbox with the api's own key: the organisation the api works in. */
export class SandboxClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  request<T = unknown>(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<Answer<T>> {
    return call<T>(method, `${this.baseUrl}${path}`, {
      body,
      headers: { authorization: `Bearer ${this.apiKey}` },
      timeoutMs,
    });
  }

  /** All of a /v2 list (`path` without a query, `filter` added to it). */
  list<T>(path: string, filter = ''): Promise<T[]> {
    return allPages<T>((query) => this.request('GET', `${path}?${query}${filter ? `&${filter}` : ''}`));
  }

  /**
   * Keeps asking until the sandbox answers something other than "not there" (it may be restarting).
   * `timeoutMs` bounds each try: a request that is slow to answer, not lost, must not be sent twice.
   */
  async must<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    deadlineMs = 30_000,
    timeoutMs?: number,
  ): Promise<Answer<T>> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const answer = await this.request<T>(method, path, body, timeoutMs);
      if ((answer.status > 0 && answer.status < 500) || Date.now() > deadline) {
        return answer;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/**
 * An operator signed in to the api: keeps the session and XSRF cookies across
 * api restarts (the session is in the database; the XSRF secret is not, so a
 * refused write fetches a fresh token and goes again).
 */
export class OperatorSession {
  private readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  static async signIn(baseUrl: string, login: { email: string; password: string }): Promise<OperatorSession> {
    const session = new OperatorSession(baseUrl);
    const answer = await session.request('POST', '/api/auth/login', login);
    if (answer.status !== 200) {
      throw new Error(`signing in answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
    return session;
  }

  /** `deckhand_session=…`, for the live socket's handshake. */
  get sessionCookie(): string {
    return `deckhand_session=${this.cookies.get('deckhand_session') ?? ''}`;
  }

  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
    let answer = await this.once<T>(method, path, body);
    // Everything here comes from one address, which the api's per-address limits count together.
    for (let tries = 0; answer.status === 429 && tries < 30; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      answer = await this.once<T>(method, path, body);
    }
    if (answer.status === 403 && method !== 'GET') {
      // Without the old cookie, /me mints a token under the restarted api's secret.
      this.cookies.delete('XSRF-TOKEN');
      await this.once('GET', '/api/auth/me');
      answer = await this.once<T>(method, path, body);
    }
    return answer;
  }

  private async once<T>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
    const headers: Record<string, string> = {
      cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    };
    const xsrf = this.cookies.get('XSRF-TOKEN');
    if (xsrf && method !== 'GET') {
      headers['x-xsrf-token'] = decodeURIComponent(xsrf);
    }
    const answer = await call<T>(method, `${this.baseUrl}${path}`, { body, headers });
    for (const line of answer.headers?.getSetCookie() ?? []) {
      const match = /^([^=]+)=([^;]*)/.exec(line);
      if (match) {
        this.cookies.set(match[1], match[2]);
      }
    }
    return answer;
  }
}
