import { HttpClient, HttpHeaders, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';

import type {
  AnswerInteractionRequest,
  CreateCredentialRequest,
  CredentialDetail,
  CredentialList,
  CredentialView,
  InteractionView,
  LinkContextView,
  SourceView,
  TaskRunView,
  UpdateCredentialRequest,
} from '@app/contracts';

/**
 * The connect page's calls. Each carries the link token in `X-Link-Token`
 * (a header, not a cookie: the api needs no CSRF token for it, and a link
 * never becomes a session). Provided by the page, so the token lives only as
 * long as the page does.
 */
@Injectable()
export class ConnectApiService {
  private readonly http = inject(HttpClient);
  private token = '';

  useToken(token: string): void {
    this.token = token;
  }

  currentLink(): Observable<LinkContextView> {
    return this.http.get<LinkContextView>('/api/links/current', { headers: this.headers() });
  }

  sources(): Observable<SourceView[]> {
    return this.http.get<SourceView[]>('/api/sources', { headers: this.headers() });
  }

  /** The end user's own credentials (the api filters by the link's external_id). */
  credentials(): Observable<CredentialList> {
    return this.http.get<CredentialList>('/api/credentials', {
      headers: this.headers(),
      params: new HttpParams().set('limit', 100).set('sort', '-created_at'),
    });
  }

  credential(id: string): Observable<CredentialDetail> {
    return this.http.get<CredentialDetail>(`/api/credentials/${encodeURIComponent(id)}`, { headers: this.headers() });
  }

  /** One key per submission: a double click or a resend after a lost answer makes one credential. */
  create(body: CreateCredentialRequest, idempotencyKey: string): Observable<CredentialView> {
    return this.http.post<CredentialView>('/api/credentials', body, {
      headers: this.headers().set('Idempotency-Key', idempotencyKey),
    });
  }

  update(id: string, body: UpdateCredentialRequest): Observable<CredentialView> {
    return this.http.patch<CredentialView>(`/api/credentials/${encodeURIComponent(id)}`, body, {
      headers: this.headers(),
    });
  }

  verify(id: string): Observable<TaskRunView> {
    return this.http.post<TaskRunView>(`/api/credentials/${encodeURIComponent(id)}/verify`, null, {
      headers: this.headers(),
    });
  }

  answer(runId: string, input: Record<string, string>): Observable<InteractionView> {
    const body: AnswerInteractionRequest = { input };
    return this.http.post<InteractionView>(`/api/task-runs/${encodeURIComponent(runId)}/interaction`, body, {
      headers: this.headers(),
    });
  }

  private headers(): HttpHeaders {
    return new HttpHeaders({ 'X-Link-Token': this.token });
  }
}
