import { HttpClient, HttpHeaders, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { firstValueFrom, Observable } from 'rxjs';

import type { CreateCredentialRequest, CredentialList, CredentialView, SourceView, TaskRunView } from '@app/contracts';
import type {
  DeckCredential,
  DeckEvent,
  DeckEventDelivery,
  DeckTaskRun,
  DeliveryFaults,
  DestinationFaults,
  EventType,
  SandboxAttemptTail,
  SandboxClockView,
  ScenarioView,
} from '@app/deck';

/** `POST /sandbox/trigger`: any event type for an object; `data` replaces top-level fields of its snapshot. */
export interface TriggerRequest {
  type: EventType;
  credential_id?: string;
  object_id?: string;
  data?: Record<string, unknown>;
}

/** `POST /sandbox/scenarios/:name/run`: what playing a scenario made at Deck. */
export interface ScenarioRun {
  object: 'scenario_run';
  scenario: string;
  credential: DeckCredential;
  task_run: DeckTaskRun;
}

/** `POST /sandbox/reset`: how many rows of each kind went before the seed came back. */
export interface SandboxReset {
  object: 'sandbox_reset';
  organization: string;
  deleted: Record<string, number>;
}

const BASE = '/api/sandbox';

function segment(value: string): string {
  return encodeURIComponent(value);
}

/**
 * Every HTTP call of the Sandbox page: the sandbox's control plane through the
 * api's pass-through (`/api/sandbox/<path>` is the sandbox's `/sandbox/<path>`),
 * and the api's own credential flow and lists beside it. Failures reject with
 * an ApiProblem (see sandbox-errors.ts for the sandbox's envelope).
 */
@Injectable({ providedIn: 'root' })
export class SandboxService {
  private readonly http = inject(HttpClient);

  // Scenarios
  async scenarios(): Promise<ScenarioView[]> {
    return (await this.call(this.http.get<{ data: ScenarioView[] }>(`${BASE}/scenarios`))).data;
  }

  scenario(name: string): Promise<ScenarioView> {
    return this.call(this.http.get<ScenarioView>(`${BASE}/scenarios/${segment(name)}`));
  }

  /**
   * Uploads a scenario as JSON. The api's pass-through parses JSON bodies only
   * (and forwards them as JSON), so YAML is converted in the browser first.
   */
  uploadScenario(spec: unknown): Promise<ScenarioView> {
    return this.call(this.http.post<ScenarioView>(`${BASE}/scenarios`, spec));
  }

  deleteScenario(name: string): Promise<unknown> {
    return this.call(this.http.delete<unknown>(`${BASE}/scenarios/${segment(name)}`));
  }

  runScenario(name: string, body: { source_id?: string; external_id?: string }): Promise<ScenarioRun> {
    return this.call(this.http.post<ScenarioRun>(`${BASE}/scenarios/${segment(name)}/run`, body));
  }

  // The api's credential flow
  sources(): Promise<SourceView[]> {
    return this.call(this.http.get<SourceView[]>('/api/sources'));
  }

  credentials(query: { q?: string; limit?: number } = {}): Promise<CredentialList> {
    let params = new HttpParams().set('limit', String(query.limit ?? 100)).set('sort', '-created_at');
    if (query.q) {
      params = params.set('q', query.q);
    }
    return this.call(this.http.get<CredentialList>('/api/credentials', { params }));
  }

  /** A double-click with the same key is one credential (the api replays the first answer). */
  createCredential(request: CreateCredentialRequest, idempotencyKey: string): Promise<CredentialView> {
    const headers = new HttpHeaders({ 'Idempotency-Key': idempotencyKey });
    return this.call(this.http.post<CredentialView>('/api/credentials', request, { headers }));
  }

  verifyCredential(id: string): Promise<TaskRunView> {
    return this.call(this.http.post<TaskRunView>(`/api/credentials/${segment(id)}/verify`, {}));
  }

  // Events
  trigger(request: TriggerRequest): Promise<DeckEvent> {
    return this.call(this.http.post<DeckEvent>(`${BASE}/trigger`, request));
  }

  // Delivery faults on a destination
  faults(destinationId: string): Promise<DestinationFaults> {
    return this.call(this.http.get<DestinationFaults>(this.faultsUrl(destinationId)));
  }

  setFaults(destinationId: string, faults: DeliveryFaults): Promise<DestinationFaults> {
    return this.call(this.http.put<DestinationFaults>(this.faultsUrl(destinationId), faults));
  }

  clearFaults(destinationId: string): Promise<DestinationFaults> {
    return this.call(this.http.delete<DestinationFaults>(this.faultsUrl(destinationId)));
  }

  // Clock
  clock(): Promise<SandboxClockView> {
    return this.call(this.http.get<SandboxClockView>(`${BASE}/clock`));
  }

  freezeClock(): Promise<SandboxClockView> {
    return this.call(this.http.post<SandboxClockView>(`${BASE}/clock/freeze`, {}));
  }

  resumeClock(): Promise<SandboxClockView> {
    return this.call(this.http.post<SandboxClockView>(`${BASE}/clock/resume`, {}));
  }

  /** Answers once everything that fell due in between has run. */
  advanceClock(by: string): Promise<SandboxClockView> {
    return this.call(this.http.post<SandboxClockView>(`${BASE}/clock/advance`, { by }));
  }

  scaleClock(scale: number): Promise<SandboxClockView> {
    return this.call(this.http.put<SandboxClockView>(`${BASE}/clock/scale`, { scale }));
  }

  // Delivery attempts
  /** Attempts after `after` (a `seq`), oldest first; ask again with `next_after`. */
  attempts(after: number, limit = 100): Promise<SandboxAttemptTail> {
    const params = new HttpParams().set('after', String(after)).set('limit', String(limit));
    return this.call(this.http.get<SandboxAttemptTail>(`${BASE}/attempts`, { params }));
  }

  redeliver(deliveryId: string): Promise<DeckEventDelivery> {
    return this.call(
      this.http.post<DeckEventDelivery>(`${BASE}/event-deliveries/${segment(deliveryId)}/redeliver`, {}),
    );
  }

  // The organisation
  reset(): Promise<SandboxReset> {
    return this.call(this.http.post<SandboxReset>(`${BASE}/reset`, {}));
  }

  private faultsUrl(destinationId: string): string {
    return `${BASE}/event-destinations/${segment(destinationId)}/faults`;
  }

  private call<T>(request: Observable<T>): Promise<T> {
    return firstValueFrom(request);
  }
}
