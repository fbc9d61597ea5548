import { HttpClient, HttpParams } from '@angular/common/http';
import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { filter, map, Subscription } from 'rxjs';

import type { CredentialList, CredentialView, LiveChange, SourceView } from '@app/contracts';
import { CREDENTIAL_STATUSES } from '@app/deck';
import type { CredentialStatus } from '@app/deck';

import { FRAME_SCHEDULER, perFrame } from '../../../core/realtime/frame-batch';
import { RealtimeService } from '../../../core/realtime/realtime.service';
import { CredentialsViewQuery, matchesCountFilters, matchesView, sameViewQuery } from './credentials-view-query';
import { problemSentence } from '../../../core/http/api-problem';

/** How long a row that changed stays highlighted. */
export const HIGHLIGHT_MS = 1500;
/** How long the store waits before asking the api for counts it could not work out itself. */
export const COUNTS_REFRESH_MS = 2000;

export type StatusCounts = Record<CredentialStatus, number>;

type CredentialChange = Extract<LiveChange, { kind: 'credential' }>;

/** The api's first snapshot of a credential: both stamps are the moment the mirror created the row. */
function isCreation(credential: CredentialView): boolean {
  return credential.created_at === credential.updated_at;
}

/**
 * The credentials table's state: one page of the list with its counts by
 * status, kept current from the live feed without moving rows under the
 * operator's mouse. Rows on the page change in place (never to an older
 * snapshot) and are highlighted; counts follow each status move; credentials
 * created since the page loaded are counted in `newCount` instead of being
 * inserted. Changes arrive batched per animation frame. No DOM here.
 */
@Injectable()
export class CredentialsListStore {
  /** The view being shown; null until the page says which. */
  readonly query = signal<CredentialsViewQuery | null>(null);
  readonly rows = signal<readonly CredentialView[]>([]);
  /** Per status under every filter but status (what each tab would give). */
  readonly counts = signal<StatusCounts | null>(null);
  readonly nextCursor = signal<string | null>(null);
  /** A new view is loading: the table shows skeleton rows. */
  readonly loading = signal(false);
  /** The current view is reloading quietly: the rows stay. */
  readonly refreshing = signal(false);
  /** At least one page has arrived (or failed) since the view was opened. */
  readonly loaded = signal(false);
  /** The last load's failure, as a sentence. */
  readonly error = signal<string | null>(null);
  /** Credentials that match the view and were created after it loaded. */
  readonly newCount = signal(0);
  /** Rows that just changed, each with a parity that flips on every change so the highlight can restart. */
  readonly highlighted = signal<ReadonlyMap<string, 0 | 1>>(new Map());
  readonly sources = signal<readonly SourceView[]>([]);

  readonly total = computed(() => {
    const counts = this.counts();
    return counts ? CREDENTIAL_STATUSES.reduce((sum, status) => sum + counts[status], 0) : null;
  });
  readonly sourceNames = computed(() => new Map(this.sources().map((s) => [s.id, s.name || s.id])));

  private readonly onPage = computed(() => new Set(this.rows().map((row) => row.id)));
  private readonly http = inject(HttpClient);
  private readonly realtime = inject(RealtimeService);
  private readonly schedule = inject(FRAME_SCHEDULER);
  /** The newest snapshot seen of every credential since the last resync: the page's rows and every change. */
  private readonly known = new Map<string, CredentialView>();
  private readonly pendingNew = new Set<string>();
  /** Ids that changed while a request was out: its answer may or may not include them. */
  private readonly changedWhilePageLoads = new Set<string>();
  private changedWhileCountsLoad = false;
  private readonly highlightUntil = new Map<string, number>();
  private pageRequest: Subscription | null = null;
  private countsRequest: Subscription | null = null;
  private countsTimer: ReturnType<typeof setTimeout> | null = null;
  private highlightTimer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    this.realtime.changes$
      .pipe(
        filter((change): change is CredentialChange => change.kind === 'credential'),
        map((change) => change.credential),
        perFrame<CredentialView>(this.schedule),
        takeUntilDestroyed(),
      )
      .subscribe((batch) => this.applyChanges(batch));
    this.realtime.refetch$.pipe(takeUntilDestroyed()).subscribe(() => this.resync());
    inject(DestroyRef).onDestroy(() => {
      this.pageRequest?.unsubscribe();
      this.countsRequest?.unsubscribe();
      this.clearTimer(this.countsTimer);
      this.clearTimer(this.highlightTimer);
    });
    this.loadSources();
  }

  /** Shows a view (the URL changed): skeleton rows until its first page arrives. The same view again does nothing. */
  open(query: CredentialsViewQuery): void {
    const current = this.query();
    if (current && sameViewQuery(current, query) && !this.error()) {
      return;
    }
    this.query.set(query);
    this.pendingNew.clear();
    this.newCount.set(0);
    this.fetchPage(query, false);
  }

  /** Loads the current page again without a skeleton; the rows, the scroll and the filters stay. */
  reload(): void {
    const query = this.query();
    if (query) {
      this.fetchPage(query, this.rows().length > 0);
    }
  }

  /** "N new — show" on the first page: load it again with the new credentials in it. */
  showNew(): void {
    this.pendingNew.clear();
    this.newCount.set(0);
    this.reload();
  }

  sourceName(sourceId: string): string {
    return this.sourceNames().get(sourceId) ?? sourceId;
  }

  /** The feed could not replay what was missed: forget what it said and reload. */
  private resync(): void {
    this.known.clear();
    for (const row of this.rows()) {
      this.known.set(row.id, row);
    }
    this.reload();
  }

  private fetchPage(query: CredentialsViewQuery, quiet: boolean): void {
    this.pageRequest?.unsubscribe();
    this.changedWhilePageLoads.clear();
    this.loading.set(!quiet);
    this.refreshing.set(quiet);
    this.pageRequest = this.http
      .get<CredentialList>('/api/credentials', { params: this.listParams(query, true) })
      .subscribe({
        next: (list) => this.receivePage(query, list),
        error: (error: unknown) => {
          this.pageRequest = null;
          if (!quiet) {
            this.rows.set([]);
            this.counts.set(null);
            this.nextCursor.set(null);
          }
          this.error.set(problemSentence(error));
          this.loading.set(false);
          this.refreshing.set(false);
          this.loaded.set(true);
        },
      });
  }

  private receivePage(query: CredentialsViewQuery, list: CredentialList): void {
    this.pageRequest = null;
    const counts = { ...list.counts };
    // A change that arrived before the page did is newer than the page's copy: keep it, and count its move.
    const rows = list.data.map((row) => {
      const newer = this.known.get(row.id);
      if (newer && newer.updated_at > row.updated_at) {
        this.moveCount(counts, query, row, newer);
        return newer;
      }
      this.known.set(row.id, row);
      return row;
    });
    const ids = new Set(rows.map((row) => row.id));
    for (const id of ids) {
      this.pendingNew.delete(id);
    }
    const unsure = [...this.changedWhilePageLoads].some((id) => !ids.has(id));
    this.changedWhilePageLoads.clear();

    this.rows.set(rows);
    this.counts.set(counts);
    this.nextCursor.set(list.has_more ? list.next_cursor : null);
    this.newCount.set(this.pendingNew.size);
    this.error.set(null);
    this.loading.set(false);
    this.refreshing.set(false);
    this.loaded.set(true);
    if (unsure) {
      this.scheduleCountsRefresh();
    }
  }

  /** One frame's worth of credential changes, newest snapshot per id. */
  private applyChanges(batch: CredentialView[]): void {
    const query = this.query();
    if (!query) {
      return;
    }
    const latest = new Map<string, CredentialView>();
    /** Credentials whose creation is in this batch, though a later snapshot stands for them (a replay after a reconnect). */
    const createdInBatch = new Set<string>();
    for (const credential of batch) {
      if (isCreation(credential)) {
        createdInBatch.add(credential.id);
      }
      const seen = latest.get(credential.id);
      if (!seen || credential.updated_at >= seen.updated_at) {
        latest.set(credential.id, credential);
      }
    }
    const pageLoading = this.pageRequest !== null;
    const onPage = this.onPage();
    const current = this.counts();
    const counts = current ? { ...current } : null;
    const replaced = new Map<string, CredentialView>();
    let countsUnknown = false;

    for (const credential of latest.values()) {
      const before = this.known.get(credential.id) ?? null;
      if (before && credential.updated_at < before.updated_at) {
        continue; // an older snapshot never overwrites a newer one
      }
      this.known.set(credential.id, credential);
      if (pageLoading) {
        this.changedWhilePageLoads.add(credential.id);
      }
      if (this.countsRequest) {
        this.changedWhileCountsLoad = true;
      }
      if (onPage.has(credential.id)) {
        if (!before || before.updated_at !== credential.updated_at || before.status !== credential.status) {
          replaced.set(credential.id, credential);
        }
      }
      if (before) {
        if (counts) {
          this.moveCount(counts, query, before, credential);
        }
      } else if (isCreation(credential) || createdInBatch.has(credential.id)) {
        if (counts && matchesCountFilters(credential, query)) {
          counts[credential.status] += 1;
        }
        if (matchesView(credential, query)) {
          this.pendingNew.add(credential.id);
        }
      } else {
        countsUnknown = true; // a credential this page never saw moved: from which status is not known
      }
    }

    if (replaced.size > 0) {
      this.rows.update((rows) => rows.map((row) => replaced.get(row.id) ?? row));
      this.highlight([...replaced.keys()]);
    }
    if (counts && current && CREDENTIAL_STATUSES.some((status) => counts[status] !== current[status])) {
      this.counts.set(counts);
    }
    this.newCount.set(this.pendingNew.size);
    if (countsUnknown && !pageLoading) {
      this.scheduleCountsRefresh();
    }
  }

  private moveCount(counts: StatusCounts, query: CredentialsViewQuery, before: CredentialView, after: CredentialView) {
    if (matchesCountFilters(before, query)) {
      counts[before.status] = Math.max(0, counts[before.status] - 1);
    }
    if (matchesCountFilters(after, query)) {
      counts[after.status] += 1;
    }
  }

  private highlight(ids: string[]): void {
    const until = Date.now() + HIGHLIGHT_MS;
    const next = new Map(this.highlighted());
    for (const id of ids) {
      this.highlightUntil.set(id, until);
      next.set(id, next.get(id) === 0 ? 1 : 0);
    }
    this.highlighted.set(next);
    this.highlightTimer ??= setTimeout(() => this.expireHighlights(), HIGHLIGHT_MS);
  }

  private expireHighlights(): void {
    this.highlightTimer = null;
    const now = Date.now();
    const next = new Map(this.highlighted());
    let soonest = Infinity;
    for (const [id, until] of this.highlightUntil) {
      if (until <= now) {
        this.highlightUntil.delete(id);
        next.delete(id);
      } else {
        soonest = Math.min(soonest, until);
      }
    }
    this.highlighted.set(next);
    if (soonest !== Infinity) {
      this.highlightTimer = setTimeout(() => this.expireHighlights(), soonest - now);
    }
  }

  /** Asks for the counts alone, once changes have settled for a moment. */
  private scheduleCountsRefresh(): void {
    this.countsTimer ??= setTimeout(() => {
      this.countsTimer = null;
      this.refreshCounts();
    }, COUNTS_REFRESH_MS);
  }

  private refreshCounts(): void {
    const query = this.query();
    if (!query || this.pageRequest) {
      return; // the page on its way brings counts
    }
    this.countsRequest?.unsubscribe();
    this.changedWhileCountsLoad = false;
    const params = this.listParams(query, false).set('limit', 1);
    this.countsRequest = this.http.get<CredentialList>('/api/credentials', { params }).subscribe({
      next: (list) => {
        this.countsRequest = null;
        if (this.query() === query) {
          this.counts.set({ ...list.counts });
          if (this.changedWhileCountsLoad) {
            this.scheduleCountsRefresh();
          }
        }
      },
      error: () => (this.countsRequest = null), // the counts stay as they were; the next reload corrects them
    });
  }

  private loadSources(): void {
    this.http.get<SourceView[]>('/api/sources').subscribe({
      next: (sources) => this.sources.set(sources),
      error: () => this.sources.set([]), // names fall back to ids
    });
  }

  /** The api's list parameters; without `page`, only what the counts depend on. */
  private listParams(query: CredentialsViewQuery, page: boolean): HttpParams {
    let params = new HttpParams();
    if (query.sourceId) {
      params = params.set('source_id', query.sourceId);
    }
    if (query.q) {
      params = params.set('q', query.q);
    }
    if (!page) {
      return params;
    }
    params = params.set('sort', query.sort).set('limit', query.limit);
    if (query.status) {
      params = params.set('status', query.status);
    }
    if (query.cursor) {
      params = params.set('cursor', query.cursor);
    }
    return params;
  }

  private clearTimer(timer: ReturnType<typeof setTimeout> | null): void {
    if (timer) {
      clearTimeout(timer);
    }
  }
}
