import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  computed,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { interval } from 'rxjs';

import type { CredentialDetail, Page, ReceivedEventView } from '@app/contracts';
import { EVENT_TYPES } from '@app/deck';

import { ApiProblem, describeProblem } from '../../core/http/api-problem';
import { JsonViewerComponent } from '../../shared/json-viewer.component';
import { RelativeTimePipe } from '../../shared/relative-time.pipe';
import { StatusChipComponent } from '../../shared/status-chip.component';
import {
  EVENT_OUTCOMES,
  EVENT_VIAS,
  EventFilters,
  EventOutcome,
  EventVia,
  filtersFromParams,
  filtersToParams,
  hasFilters,
  isNewer,
  NO_EVENT_FILTERS,
  toListQuery,
} from './event-filters';
import { EventsService } from './events.service';

const PAGE_SIZE = 50;
const POLL_MS = 10_000;
/** How many of the newest events a poll reads to count what arrived since the list was loaded. */
const POLL_LIMIT = 25;
/** History state key: the cursors of the pages before this one, so Previous (and the back button) work. */
const CURSORS_STATE = 'eventCursors';

interface PayloadState {
  state: 'loading' | 'ready' | 'error';
  payload?: unknown;
  message?: string;
}

/** The credential a view is filtered by, as far as the mirror knows it. */
interface FilteredCredential {
  /** Our id, when the mirror has the credential. */
  id: string | null;
  deckId: string;
  label: string;
}

interface TypeGroup {
  name: string;
  types: string[];
}

function credentialLabel(detail: CredentialDetail): string {
  const { external_id, username_hint, deck_id } = detail.credential;
  const parts = [external_id, username_hint].filter((part): part is string => !!part);
  return parts.length > 0 ? parts.join(' · ') : deck_id;
}

/** The webhooks the api received (and catch-up read), newest first, with what became of each. */
@Component({
  selector: 'dh-events-page',
  imports: [
    DatePipe,
    JsonViewerComponent,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    RelativeTimePipe,
    RouterLink,
    StatusChipComponent,
  ],
  templateUrl: './events-page.component.html',
  styleUrl: './events-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EventsPageComponent {
  protected readonly outcomes = EVENT_OUTCOMES;
  protected readonly vias = EVENT_VIAS;
  protected readonly filters = signal<EventFilters>(NO_EVENT_FILTERS);
  protected readonly page = signal<Page<ReceivedEventView> | null>(null);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  protected readonly credential = signal<FilteredCredential | null>(null);
  protected readonly cursors = signal<string[]>([]);
  protected readonly expanded = signal<ReadonlySet<string>>(new Set());
  protected readonly payloads = signal<Readonly<Record<string, PayloadState>>>({});
  protected readonly newCount = signal(0);
  protected readonly newMore = signal(false);
  protected readonly skeletonRows = Array.from({ length: 8 }, (_, i) => i);

  protected readonly events = computed(() => this.page()?.data ?? []);
  protected readonly filtered = computed(() => hasFilters(this.filters()));
  protected readonly typeGroups = computed<TypeGroup[]>(() => {
    const groups = new Map<string, string[]>();
    const extra = this.filters().types.filter((type) => !(EVENT_TYPES as readonly string[]).includes(type));
    for (const type of [...EVENT_TYPES, ...extra]) {
      const name = type.includes('.') ? type.slice(0, type.lastIndexOf('.')) : 'other';
      groups.set(name, [...(groups.get(name) ?? []), type]);
    }
    return [...groups].map(([name, types]) => ({ name: name.replace(/_/g, ' '), types }));
  });
  protected readonly viaLabel = computed(() => new Map(this.vias.map((via) => [via.value, via.label])));
  protected readonly outcomeMeaning = computed(() => new Map(this.outcomes.map((o) => [o.value, o.meaning])));
  private readonly tablePanel = viewChild<ElementRef<HTMLElement>>('tablePanel');

  private readonly service = inject(EventsService);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);
  private loadToken = 0;
  private polling = false;
  /** The newest event known to the list, to count what arrived since; undefined until known. */
  private newest: Pick<ReceivedEventView, 'id' | 'received_at'> | null | undefined = undefined;
  private readonly resolved = new Map<string, FilteredCredential>();

  constructor() {
    this.route.queryParams.pipe(takeUntilDestroyed()).subscribe((params) => {
      const state: unknown = this.router.currentNavigation()?.extras.state?.[CURSORS_STATE];
      this.cursors.set(
        Array.isArray(state) ? (state as unknown[]).filter((c): c is string => typeof c === 'string') : [],
      );
      this.filters.set(filtersFromParams(params));
      void this.load();
    });
    interval(POLL_MS)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe(() => void this.pollNewEvents());
  }

  protected filterTypes(types: string[]): void {
    this.applyFilters({ ...this.filters(), types });
  }

  protected filterOutcomes(outcomes: EventOutcome[]): void {
    this.applyFilters({ ...this.filters(), outcomes });
  }

  protected filterVias(vias: EventVia[]): void {
    this.applyFilters({ ...this.filters(), vias });
  }

  /** A Deck credential id typed into the filter; an empty box clears it. */
  protected filterDeckCredential(value: string): void {
    const deckCredentialId = value.trim() || null;
    const current = this.filters();
    if (deckCredentialId === (this.credential()?.deckId ?? current.deckCredentialId)) {
      return;
    }
    this.applyFilters({ ...current, deckCredentialId, credentialId: null });
  }

  /** Only the events of the credential this event is about. */
  protected filterByEventCredential(event: ReceivedEventView): void {
    if (event.deck_credential_id) {
      this.applyFilters({ ...this.filters(), deckCredentialId: event.deck_credential_id, credentialId: null });
    }
  }

  protected clearCredential(): void {
    this.applyFilters({ ...this.filters(), deckCredentialId: null, credentialId: null });
  }

  protected clearFilters(): void {
    this.applyFilters(NO_EVENT_FILTERS);
  }

  protected showNextPage(): void {
    const next = this.page()?.next_cursor;
    if (next) {
      this.navigate({ ...this.filters(), cursor: next }, [...this.cursors(), this.filters().cursor ?? '']);
      this.scrollToTable();
    }
  }

  protected showPreviousPage(): void {
    const cursors = this.cursors();
    const previous = cursors.at(-1) ?? '';
    this.navigate({ ...this.filters(), cursor: previous || null }, cursors.slice(0, -1));
    this.scrollToTable();
  }

  /** Reloads this page of the list, and forgets the "new events" notice it answers. */
  protected refresh(): void {
    void this.load();
  }

  /** The new events are at the top of the first page. */
  protected showNewEvents(): void {
    if (this.filters().cursor) {
      this.navigate({ ...this.filters(), cursor: null }, []);
    } else {
      void this.load();
    }
  }

  protected togglePayload(id: string): void {
    const expanded = new Set(this.expanded());
    if (expanded.has(id)) {
      expanded.delete(id);
    } else {
      expanded.add(id);
      void this.loadPayload(id);
    }
    this.expanded.set(expanded);
  }

  protected loadPayload(id: string): Promise<void> {
    const known = this.payloads()[id];
    if (known && known.state !== 'error') {
      return Promise.resolve();
    }
    this.setPayload(id, { state: 'loading' });
    return this.service.detail(id).then(
      (detail) => this.setPayload(id, { state: 'ready', payload: detail.payload }),
      (problem: ApiProblem) => this.setPayload(id, { state: 'error', message: describeProblem(problem) }),
    );
  }

  /** Whether this row's object is the filtered credential, which has a page of its own. */
  protected credentialLink(event: ReceivedEventView): string | null {
    const credential = this.credential();
    return credential?.id && event.object_id === credential.deckId ? credential.id : null;
  }

  private applyFilters(filters: EventFilters): void {
    this.navigate({ ...filters, cursor: null }, []);
  }

  private navigate(filters: EventFilters, cursors: string[]): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: filtersToParams(filters),
      queryParamsHandling: 'merge',
      state: { [CURSORS_STATE]: cursors },
    });
  }

  private async load(): Promise<void> {
    const token = ++this.loadToken;
    const filters = this.filters();
    this.loading.set(true);
    this.error.set(null);
    try {
      const credential = await this.resolveCredential(filters);
      if (token !== this.loadToken) {
        return;
      }
      this.credential.set(credential);
      const page = await this.service.list(toListQuery(filters, credential?.deckId ?? null, PAGE_SIZE));
      if (token !== this.loadToken) {
        return;
      }
      this.page.set(page);
      this.newest = filters.cursor ? undefined : (page.data[0] ?? null);
      this.newCount.set(0);
      this.newMore.set(false);
    } catch (problem: unknown) {
      if (token === this.loadToken) {
        this.page.set(null);
        this.error.set(
          filters.credentialId && !this.credential()
            ? 'That credential could not be found, so its events cannot be shown. Clear the credential filter to see every event.'
            : describeProblem(problem as ApiProblem),
        );
      }
    } finally {
      if (token === this.loadToken) {
        this.loading.set(false);
      }
    }
  }

  /**
   * `?credential=` names our credential and must resolve (its Deck id is the filter);
   * a typed Deck id filters as it is, and is only named better when the mirror knows it.
   */
  private async resolveCredential(filters: EventFilters): Promise<FilteredCredential | null> {
    const id = filters.credentialId ?? filters.deckCredentialId;
    if (!id) {
      return null;
    }
    const known = this.resolved.get(id);
    if (known) {
      return known;
    }
    if (filters.credentialId) {
      this.credential.set(null);
    }
    let credential: FilteredCredential;
    try {
      const detail = await this.service.credential(id);
      credential = { id: detail.credential.id, deckId: detail.credential.deck_id, label: credentialLabel(detail) };
    } catch (problem: unknown) {
      if (filters.credentialId) {
        throw problem;
      }
      credential = { id: null, deckId: id, label: 'not in the mirror' };
    }
    this.resolved.set(id, credential);
    return credential;
  }

  private async pollNewEvents(): Promise<void> {
    if (this.polling || this.loading() || this.error() || document.visibilityState === 'hidden') {
      return;
    }
    this.polling = true;
    const token = this.loadToken;
    try {
      const filters = { ...this.filters(), cursor: null };
      const latest = await this.service.list(toListQuery(filters, this.credential()?.deckId ?? null, POLL_LIMIT));
      if (token !== this.loadToken) {
        return;
      }
      const newest = this.newest;
      if (newest === undefined) {
        this.newest = latest.data[0] ?? null;
        return;
      }
      const fresh = latest.data.filter((event) => newest === null || isNewer(event, newest));
      this.newCount.set(fresh.length);
      this.newMore.set(fresh.length === latest.data.length && latest.has_more);
    } catch {
      // A failed poll only delays the notice; the next one tries again.
    } finally {
      this.polling = false;
    }
  }

  /** A new page starts at its top, not where the pager was. */
  private scrollToTable(): void {
    this.tablePanel()?.nativeElement.scrollIntoView?.({ block: 'start' });
  }

  private setPayload(id: string, state: PayloadState): void {
    this.payloads.update((payloads) => ({ ...payloads, [id]: state }));
  }
}
