import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

import type {
  DeckCredential,
  DeckErrorEnvelope,
  DeckEvent,
  DeckEventDestination,
  DeckList,
  DeckSource,
  DeckTask,
  DeckTaskRun,
} from '@app/deck';

import { ApiError } from '../common/api-error';
import { apiConfig, ApiConfig } from '../config/api.config';
import { RateWindow } from './rate-window';

/** Per request; Deck's own calls answer in well under a second. */
const REQUEST_TIMEOUT_MS = 10_000;
const MAX_ATTEMPTS = 4;
const MAX_BACKOFF_MS = 30_000;

/** How Deck's field names map to the connect form's, so a refusal points at the right input. */
const FIELD_NAMES: Record<string, string> = {
  'auth_credentials.username': 'username',
  'auth_credentials.password': 'password',
  'auth_credentials.source_fields': 'source_fields',
};

export interface DeckCallOptions {
  /** Reused on every retry of this call; give a persisted one to survive a crash (see DeckIntentRow). */
  idempotencyKey?: string;
}

/**
 * The api's only way to Deck. Every write carries an idempotency key that
 * stays the same across retries; 429 and 5xx answers and network failures are
 * retried with exponential backoff (honouring Retry-After); Deck's error
 * envelope becomes our own error, without echoing Deck's text.
 */
@Injectable()
export class DeckClient {
  private readonly logger = new Logger(DeckClient.name);
  private readonly window = new RateWindow(200, 10_000);

  constructor(@Inject(apiConfig.KEY) private readonly config: ApiConfig) {}

  get baseUrl(): string {
    return this.config.deck.url;
  }

  /** Requests that could go to Deck right now without waiting for the rate window; background work spends only spare ones. */
  spareRequests(): number {
    return this.window.available();
  }

  listSources(cursor?: string): Promise<DeckList<DeckSource>> {
    return this.call('GET', `/sources?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  }

  listTasks(): Promise<DeckList<DeckTask>> {
    return this.call('GET', '/tasks?limit=100');
  }

  createCredential(body: Record<string, unknown>, options?: DeckCallOptions): Promise<DeckCredential> {
    return this.call('POST', '/credentials', body, options);
  }

  getCredential(id: string): Promise<DeckCredential> {
    return this.call('GET', `/credentials/${encodeURIComponent(id)}`);
  }

  updateCredential(id: string, body: Record<string, unknown>, options?: DeckCallOptions): Promise<DeckCredential> {
    return this.call('PATCH', `/credentials/${encodeURIComponent(id)}`, body, options);
  }

  deleteCredential(id: string, options?: DeckCallOptions): Promise<DeckCredential> {
    return this.call('DELETE', `/credentials/${encodeURIComponent(id)}`, undefined, options);
  }

  runTask(taskId: string, body: Record<string, unknown>, options?: DeckCallOptions): Promise<DeckTaskRun> {
    return this.call('POST', `/tasks/${encodeURIComponent(taskId)}/run`, body, options);
  }

  getTaskRun(id: string): Promise<DeckTaskRun> {
    return this.call('GET', `/task-runs/${encodeURIComponent(id)}`);
  }

  submitInteraction(runId: string, input: Record<string, string>, options?: DeckCallOptions): Promise<DeckTaskRun> {
    return this.call('POST', `/task-runs/${encodeURIComponent(runId)}/interaction`, { input }, options);
  }

  listEvents(query: { created_after?: string; cursor?: string; limit?: number }): Promise<DeckList<DeckEvent>> {
    const params = new URLSearchParams({ limit: String(query.limit ?? 100) });
    if (query.created_after) {
      params.set('created_after', query.created_after);
    }
    if (query.cursor) {
      params.set('cursor', query.cursor);
    }
    return this.call('GET', `/events?${params.toString()}`);
  }

  createEventDestination(body: Record<string, unknown>, options?: DeckCallOptions): Promise<DeckEventDestination> {
    return this.call('POST', '/event-destinations', body, options);
  }

  listEventDestinations(): Promise<DeckList<DeckEventDestination>> {
    return this.call('GET', '/event-destinations?limit=100');
  }

  getEventDestination(id: string): Promise<DeckEventDestination> {
    return this.call('GET', `/event-destinations/${encodeURIComponent(id)}`);
  }

  updateEventDestination(id: string, body: Record<string, unknown>): Promise<DeckEventDestination> {
    return this.call('PATCH', `/event-destinations/${encodeURIComponent(id)}`, body);
  }

  /** Any call, for the sandbox pass-through and tests; `path` is relative to the Deck base URL's origin. */
  async raw(method: string, url: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    await this.window.take();
    const response = await fetch(url, {
      method,
      headers: this.headers(method, randomUUID(), body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
  }

  private async call<T>(method: string, path: string, body?: unknown, options: DeckCallOptions = {}): Promise<T> {
    const key = options.idempotencyKey ?? randomUUID();
    let lastFailure = 'no answer';
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await this.window.take();
      let response: Response;
      try {
        response = await fetch(`${this.config.deck.url}${path}`, {
          method,
          headers: this.headers(method, key, body !== undefined),
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
      } catch (error: unknown) {
        lastFailure = error instanceof Error ? error.name : 'network error';
        await this.backoff(attempt, null);
        continue;
      }
      if (response.ok) {
        return (await response.json()) as T;
      }
      const envelope = await this.envelope(response);
      // Our keys are reused only with the same body, so Deck's idempotency 409 means an earlier
      // try (timed out, or sent before a crash) is still being processed: its answer is coming.
      const inFlight = response.status === 409 && envelope?.errors?.some((e) => e.code === 'idempotency_error');
      if (response.status === 429 || response.status >= 500 || (inFlight && attempt < MAX_ATTEMPTS)) {
        lastFailure = `HTTP ${response.status}`;
        await this.backoff(attempt, response.headers.get('retry-after'));
        continue;
      }
      throw this.refusal(response.status, envelope);
    }
    this.logger.warn(`Deck ${method} ${path.split('?')[0]} failed after ${MAX_ATTEMPTS} attempts (${lastFailure})`);
    throw new ApiError('deck_unavailable', 'Deck is not answering right now. Try again in a moment.');
  }

  private headers(method: string, key: string, hasBody: boolean): Record<string, string> {
    return {
      Authorization: `Bearer ${this.config.deck.apiKey}`,
      Accept: 'application/json',
      ...(hasBody ? { 'Content-Type': 'application/json' } : {}),
      ...(method === 'GET' ? {} : { 'Idempotency-Key': key }),
    };
  }

  private async envelope(response: Response): Promise<DeckErrorEnvelope | null> {
    try {
      return (await response.json()) as DeckErrorEnvelope;
    } catch {
      return null;
    }
  }

  /** Deck said no: a 4xx the user can fix, or our own misconfiguration (a bad key). */
  private refusal(status: number, envelope: DeckErrorEnvelope | null): ApiError {
    const errors = envelope?.errors ?? [];
    if (status === 401 || status === 403) {
      this.logger.error(`Deck refused the api's key (HTTP ${status}); check DECK_API_KEY`);
      return new ApiError('deck_unavailable', 'Deck refused this service. An operator has to fix its configuration.');
    }
    const details = errors
      .filter((e) => e.field)
      .map((e) => ({ field: FIELD_NAMES[e.field ?? ''] ?? String(e.field), message: `refused by Deck (${e.code})` }));
    const codes = errors.map((e) => e.code).join(', ') || `HTTP ${status}`;
    if (status === 404) {
      return new ApiError(
        'not_found',
        `Deck does not know that object (${codes}).`,
        details.length ? details : undefined,
        404,
      );
    }
    if (status === 409) {
      return new ApiError('conflict', `Deck refused the change in the object's current state (${codes}).`);
    }
    return new ApiError('deck_rejected', `Deck refused the request (${codes}).`, details.length ? details : undefined);
  }

  private async backoff(attempt: number, retryAfter: string | null): Promise<void> {
    if (attempt >= MAX_ATTEMPTS) {
      return;
    }
    const base = this.config.deck.retryBaseMs * 2 ** (attempt - 1);
    const hinted = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : 0;
    await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(base, hinted), MAX_BACKOFF_MS)));
  }
}
