import { HttpClient } from '@angular/common/http';
import { inject, Injectable, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import type { CredentialDetail, SourceView } from '@app/contracts';

/** What the queue shows about the credential a prompt belongs to. */
export interface CredentialLabel {
  sourceName: string;
  externalId: string | null;
}

/**
 * Source name and external id per credential, fetched lazily (one request per
 * credential, however many of its prompts wait) and kept for the session:
 * neither changes over a credential's life.
 */
@Injectable({ providedIn: 'root' })
export class CredentialLabelsService {
  private readonly credentials = signal<ReadonlyMap<string, { sourceId: string; externalId: string | null } | null>>(
    new Map(),
  );
  private readonly sources = signal<ReadonlyMap<string, string>>(new Map());
  private readonly requested = new Set<string>();
  private sourcesRequested = false;

  private readonly http = inject(HttpClient);

  /** Starts fetching what is not known yet; answers arrive through `label()`. */
  ensure(credentialIds: Iterable<string>): void {
    for (const id of credentialIds) {
      if (!this.requested.has(id)) {
        this.requested.add(id);
        void this.fetchCredential(id);
      }
    }
  }

  /** undefined while loading; null when the credential could not be read. */
  label(credentialId: string): CredentialLabel | null | undefined {
    const known = this.credentials().get(credentialId);
    if (known === undefined || known === null) {
      return known;
    }
    return { sourceName: this.sources().get(known.sourceId) ?? known.sourceId, externalId: known.externalId };
  }

  private async fetchCredential(id: string): Promise<void> {
    void this.fetchSources();
    let entry: { sourceId: string; externalId: string | null } | null = null;
    try {
      const detail = await firstValueFrom(
        this.http.get<CredentialDetail>(`/api/credentials/${encodeURIComponent(id)}`),
      );
      entry = { sourceId: detail.credential.source_id, externalId: detail.credential.external_id };
    } catch {
      // Shown as "unknown credential"; asked again on a later visit.
      this.requested.delete(id);
    }
    this.credentials.update((map) => new Map(map).set(id, entry));
  }

  private async fetchSources(): Promise<void> {
    if (this.sourcesRequested) {
      return;
    }
    this.sourcesRequested = true;
    try {
      const sources = await firstValueFrom(this.http.get<SourceView[]>('/api/sources'));
      this.sources.set(new Map(sources.map((s) => [s.id, s.name ?? s.url])));
    } catch {
      this.sourcesRequested = false;
    }
  }
}
