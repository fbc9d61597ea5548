import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import type { AuditEntryView, CreateOperatorRequest, OperatorView, Page, UpdateOperatorRequest } from '@app/contracts';

/** The admin's calls: operators and the audit log. */
@Injectable({ providedIn: 'root' })
export class OperatorsService {
  private readonly http = inject(HttpClient);

  list(): Promise<OperatorView[]> {
    return firstValueFrom(this.http.get<OperatorView[]>('/api/operators'));
  }

  create(request: CreateOperatorRequest): Promise<OperatorView> {
    return firstValueFrom(this.http.post<OperatorView>('/api/operators', request));
  }

  update(id: string, request: UpdateOperatorRequest): Promise<OperatorView> {
    return firstValueFrom(this.http.patch<OperatorView>(`/api/operators/${encodeURIComponent(id)}`, request));
  }

  remove(id: string): Promise<void> {
    return firstValueFrom(this.http.delete<void>(`/api/operators/${encodeURIComponent(id)}`));
  }

  audit(limit: number, cursor: string | null): Promise<Page<AuditEntryView>> {
    let params = new HttpParams().set('limit', limit);
    if (cursor) {
      params = params.set('cursor', cursor);
    }
    return firstValueFrom(this.http.get<Page<AuditEntryView>>('/api/audit', { params }));
  }
}
