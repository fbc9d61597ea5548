import { formatSandboxError, isErrorEnvelope, SandboxError, UnreachableError } from './errors';

/** `fetch`'s signature, so tests can hand the client a stub and check nothing was sent. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface SandboxClientOptions {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:4010`. */
  url: string;
  apiKey: string;
  fetch?: FetchLike;
  /** Aborted on Ctrl-C, so a pending poll ends at once instead of after its answer. */
  signal?: AbortSignal;
  /**
   * How long one request may take. Generous because `clock advance` answers
   * only once everything due in between has run; a host that swallows packets
   * must still end in exit 3 rather than hang a CI job.
   */
  timeoutMs?: number;
}

export type Query = Record<string, string | number | undefined>;

const DEFAULT_TIMEOUT_MS = 120_000;
const EXCERPT = 200;

/**
 * A small typed client for the control plane (and the few /v2 reads the CLI
 * needs) over global fetch. Every failure becomes one of three errors the
 * entry point maps to exit codes: SandboxError (1), UnreachableError (3), or
 * the caller's own abort.
 */
export class SandboxClient {
  readonly url: string;
  private readonly apiKey: string;
  private readonly fetchImpl: FetchLike;
  private readonly signal?: AbortSignal;
  private readonly timeoutMs: number;

  constructor(options: SandboxClientOptions) {
    this.url = options.url;
    this.apiKey = options.apiKey;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.signal = options.signal;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path + queryString(query));
  }

  post<T>(path: string, body?: object): Promise<T> {
    return this.request<T>('POST', path, body === undefined ? undefined : JSON.stringify(body), 'application/json');
  }

  put<T>(path: string, body: object): Promise<T> {
    return this.request<T>('PUT', path, JSON.stringify(body), 'application/json');
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  /** A text body as is (a scenario file goes up as `application/yaml`, which also reads JSON). */
  postText<T>(path: string, text: string, contentType: string): Promise<T> {
    return this.request<T>('POST', path, text, contentType);
  }

  private async request<T>(method: string, path: string, body?: string, contentType?: string): Promise<T> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = this.signal ? AbortSignal.any([this.signal, timeout]) : timeout;
    const headers: Record<string, string> = { Authorization: `Bearer ${this.apiKey}`, Accept: 'application/json' };
    if (contentType) {
      headers['Content-Type'] = contentType;
    }
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(this.url + path, { method, headers, body, signal });
      text = await response.text();
    } catch (error: unknown) {
      if (this.signal?.aborted) {
        // Ctrl-C: the command decides what that means (a live tail ends with 0).
        throw error;
      }
      throw new UnreachableError(
        this.url,
        timeout.aborted ? `no answer within ${this.timeoutMs / 1000}s` : networkReason(error),
      );
    }
    const parsed = parseJson(text);
    if (!response.ok) {
      if (isErrorEnvelope(parsed)) {
        const requestId = parsed.request_id ?? response.headers.get('request-id');
        throw new SandboxError(
          response.status,
          parsed.errors,
          requestId,
          formatSandboxError(response.status, parsed.errors, requestId),
        );
      }
      throw this.notTheSandbox(response.status, text);
    }
    if (parsed === undefined) {
      throw this.notTheSandbox(response.status, text);
    }
    return parsed as T;
  }

  /** Something answered, but not with the sandbox's JSON: say so rather than print a stack. */
  private notTheSandbox(status: number, text: string): SandboxError {
    const excerpt = text.replace(/\s+/g, ' ').trim().slice(0, EXCERPT);
    return new SandboxError(
      status,
      [],
      null,
      `error ${status}: ${this.url} did not answer like the sandbox${excerpt ? `: ${excerpt}` : ''}`,
    );
  }
}

export function queryString(query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined) {
      params.set(name, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** undici hides the socket error in `cause` (`ECONNREFUSED`, `ENOTFOUND`…); that is what a person needs. */
function networkReason(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') {
    return cause.code;
  }
  if (cause && typeof cause.message === 'string') {
    return cause.message;
  }
  return error instanceof Error ? error.message : String(error);
}
