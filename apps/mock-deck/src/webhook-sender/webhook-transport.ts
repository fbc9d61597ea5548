import { performance } from 'node:perf_hooks';

import { retryAfterMs } from './delivery-schedule';

/** How much of a receiver's answer the attempts log keeps. */
export const RESPONSE_EXCERPT_CHARS = 500;

/** What one POST came to, as the attempts log records it. */
export interface SendResult {
  /** A 2xx answer within the timeout. */
  ok: boolean;
  status_code: number | null;
  /** Real milliseconds until the answer's headers (or the error). */
  latency_ms: number;
  /** The first 500 characters of the answer's body; null when there was no answer. */
  response_excerpt: string | null;
  /** Why it failed, in words; null for a 2xx. */
  error: string | null;
  /** A `Retry-After` the receiver sent with a 429 or 503, in ms. */
  retry_after_ms: number | null;
}

/** Network error codes, as undici reports them in `cause.code`, in words for the log. */
const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed without an answer',
  UND_ERR_CLOSED: 'connection closed without an answer',
};

/** The fields read off an error; duck-typed, as fetch's errors come from another realm than `Error` here. */
interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: ErrorLike;
}

function asErrorLike(value: unknown): ErrorLike {
  return typeof value === 'object' && value !== null ? value : {};
}

/** A failed fetch in words: a timeout, a refused connection, a reset… */
export function describeSendError(error: unknown, timeoutMs: number): string {
  const outer = asErrorLike(error);
  if (outer.name === 'TimeoutError' || outer.name === 'AbortError') {
    return `timeout after ${timeoutMs} ms`;
  }
  const cause = asErrorLike(outer.cause);
  const code = typeof cause.code === 'string' ? cause.code : undefined;
  if (code && NETWORK_ERRORS[code]) {
    return NETWORK_ERRORS[code];
  }
  if (code) {
    return `request failed (${code})`;
  }
  const message = typeof cause.message === 'string' ? cause.message : outer.message;
  return typeof message === 'string' && message !== '' ? `request failed: ${message}` : 'request failed';
}

/** An answer's status in words when it is not a success; null for a 2xx. */
export function describeStatus(status: number): string | null {
  if (status >= 200 && status < 300) {
    return null;
  }
  if (status >= 300 && status < 400) {
    // Standard Webhooks: a redirect is a failure and is not followed.
    return `answered ${status}: redirects are not followed`;
  }
  // 410 is a failure like any other: Deck documents no special meaning for it.
  return `answered ${status}`;
}

/** Reads at most the excerpt's worth of an answer's body, then lets the rest go. */
async function readExcerpt(response: Response): Promise<string> {
  if (!response.body) {
    return '';
  }
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < RESPONSE_EXCERPT_CHARS) {
      const { done, value } = await reader.read();
      if (done) {
        break;
      }
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // A body cut off (or too slow) leaves what arrived; the status already decided the outcome.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text.slice(0, RESPONSE_EXCERPT_CHARS);
}

/**
 * POSTs the exact bytes given and never throws: every outcome, network errors
 * included, comes back as a `SendResult`. A 2xx whose headers arrive within
 * `timeoutMs` is a success; redirects are not followed.
 */
export async function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const latency = elapsed();
    const excerpt = await readExcerpt(response);
    const error = describeStatus(response.status);
    return {
      ok: error === null,
      status_code: response.status,
      latency_ms: latency,
      response_excerpt: excerpt,
      error,
      retry_after_ms: retryAfterMs(response.status, response.headers.get('retry-after'), Date.now()),
    };
  } catch (error: unknown) {
    return {
      ok: false,
      status_code: null,
      latency_ms: elapsed(),
      response_excerpt: null,
      error: describeSendError(error, timeoutMs),
      retry_after_ms: null,
    };
  }
}
