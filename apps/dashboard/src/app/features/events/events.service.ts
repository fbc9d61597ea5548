import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import type {
  CredentialDetail,
  Page,
  ReceivedEventDetail,
  ReceivedEventListQuery,
  ReceivedEventView,
} from '@app/contracts';

/** Payloads never change once received, so a few hundred are kept for re-opened rows. */
const DETAIL_CACHE_SIZE = 200;

/** The events page's calls to the api. */
@Injectable({ providedIn: 'root' })
export class EventsService {
  private readonly http = inject(HttpClient);
  private readonly details = new Map<string, Promise<ReceivedEventDetail>>();

  list(query: ReceivedEventListQuery): Promise<Page<ReceivedEventView>> {
    let params = new HttpParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null) {
        params = params.set(key, Array.isArray(value) ? value.join(',') : String(value));
      }
    }
    return firstValueFrom(this.http.get<Page<ReceivedEventView>>('/api/events', { params }));
  }

  /** One event with its payload; asked once per event, a failure is not kept. */
  detail(id: string): Promise<ReceivedEventDetail> {
    const known = this.details.get(id);
    if (known) {
      return known;
    }
    const request = firstValueFrom(this.http.get<ReceivedEventDetail>(`/api/events/${encodeURIComponent(id)}`));
    this.details.set(id, request);
    request.catch(() => this.details.delete(id));
    if (this.details.size > DETAIL_CACHE_SIZE) {
      this.details.delete(this.details.keys().next().value as string);
    }
    return request;
  }

  /** A credential by our id or Deck's (the api accepts both). */
  credential(id: string): Promise<CredentialDetail> {
    return firstValueFrom(this.http.get<CredentialDetail>(`/api/credentials/${encodeURIComponent(id)}`));
  }
}
