import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  linkedSignal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { debounceTime, distinctUntilChanged, Subject } from 'rxjs';

import type { CredentialView } from '@app/contracts';
import { CREDENTIAL_STATUSES } from '@app/deck';
import type { CredentialStatus } from '@app/deck';

import { SessionService } from '../../../core/auth/session.service';
import { ConsoleInfoService } from '../../../core/console/console-info.service';
import { RelativeTimePipe } from '../../../shared/relative-time.pipe';
import { StatusChipComponent } from '../../../shared/status-chip.component';
import { openConnectLinkDialog } from '../connect-link/connect-link-dialog.component';
import { CredentialsChartsComponent } from './credentials-charts.component';
import { CredentialsListStore } from './credentials-list.store';
import {
  CredentialsViewQuery,
  isFiltered,
  PAGE_SIZES,
  pageParams,
  parseViewQuery,
  sameViewQuery,
  SORT_OPTIONS,
} from './credentials-view-query';

/** How long typing pauses before the search runs. */
export const SEARCH_DEBOUNCE_MS = 300;

interface StatusTab {
  key: CredentialStatus | 'all';
  label: string;
  count: number | null;
  active: boolean;
  params: Record<string, string | null>;
}

const STATUS_LABELS: Record<CredentialStatus, string> = {
  unverified: 'Unverified',
  verified: 'Verified',
  invalid: 'Invalid',
  deleted: 'Deleted',
};

/**
 * `/credentials`: every credential, filtered, sorted and paged by the URL,
 * kept live by {@link CredentialsListStore}. The URL is the only source of
 * the view: controls navigate, and the inputs (bound from the query
 * parameters) open what the URL says.
 */
@Component({
  selector: 'dh-credentials-page',
  imports: [
    CredentialsChartsComponent,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    RelativeTimePipe,
    RouterLink,
    StatusChipComponent,
  ],
  providers: [CredentialsListStore],
  templateUrl: './credentials-page.component.html',
  styleUrl: './credentials-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CredentialsPageComponent {
  readonly status = input<string>();
  readonly sourceId = input<string | undefined>(undefined, { alias: 'source_id' });
  readonly q = input<string>();
  readonly sort = input<string>();
  readonly limit = input<string>();
  readonly cursor = input<string>();
  readonly back = input<string>();

  protected readonly store = inject(CredentialsListStore);
  protected readonly sortOptions = SORT_OPTIONS;
  protected readonly pageSizes = PAGE_SIZES;
  protected readonly canAct = computed(() => this.session.can('operator'));
  protected readonly sandbox = computed(() => this.consoleInfo.info()?.sandbox === true);

  protected readonly view = computed<CredentialsViewQuery>(
    () =>
      parseViewQuery({
        status: this.status(),
        source_id: this.sourceId(),
        q: this.q(),
        sort: this.sort(),
        limit: this.limit(),
        cursor: this.cursor(),
        back: this.back(),
      }),
    { equal: sameViewQuery },
  );
  /** What the search box shows: the URL's `q`, until the operator types. */
  protected readonly searchText = linkedSignal(() => this.view().q);
  protected readonly filtered = computed(() => isFiltered(this.view()));
  protected readonly pageNumber = computed(() => (this.view().cursor ? this.view().back.length + 2 : 1));
  protected readonly tabs = computed<StatusTab[]>(() => {
    const counts = this.store.counts();
    const active = this.view().status;
    const reset = { cursor: null, back: null };
    return [
      {
        key: 'all' as const,
        label: 'All',
        count: this.store.total(),
        active: active === null,
        params: { status: null, ...reset },
      },
      ...CREDENTIAL_STATUSES.map((status) => ({
        key: status,
        label: STATUS_LABELS[status],
        count: counts ? counts[status] : null,
        active: active === status,
        params: { status, ...reset },
      })),
    ];
  });
  /** Skeleton rows as many as the table is about to hold, so nothing jumps when the page arrives. */
  protected readonly skeletonRows = computed(() => {
    const shown = untracked(() => this.store.rows().length);
    const size = this.view().limit;
    return Array.from({ length: shown > 0 ? Math.min(shown, size) : Math.min(size, 8) }, (_, i) => i);
  });

  private readonly session = inject(SessionService);
  private readonly consoleInfo = inject(ConsoleInfoService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly dialog = inject(MatDialog);
  private readonly typed = new Subject<string>();

  constructor() {
    effect(() => {
      const view = this.view();
      untracked(() => this.store.open(view));
    });
    this.typed
      .pipe(debounceTime(SEARCH_DEBOUNCE_MS), distinctUntilChanged(), takeUntilDestroyed())
      .subscribe((text) => this.navigate({ q: text.trim() || null, cursor: null, back: null }, true));
    void this.consoleInfo.load();
  }

  protected search(event: Event): void {
    const text = (event.target as HTMLInputElement).value;
    this.searchText.set(text);
    this.typed.next(text);
  }

  protected filterBySource(sourceId: string): void {
    this.navigate({ source_id: sourceId || null, cursor: null, back: null });
  }

  protected sortBy(sort: string): void {
    this.navigate({ sort, cursor: null, back: null });
  }

  protected changePageSize(limit: number): void {
    this.navigate({ limit: String(limit), cursor: null, back: null });
  }

  protected clearFilters(): void {
    this.searchText.set('');
    this.navigate({ status: null, source_id: null, q: null, cursor: null, back: null });
  }

  protected nextPage(): void {
    const next = this.store.nextCursor();
    if (!next) {
      return;
    }
    const view = this.view();
    this.navigate(pageParams(next, view.cursor ? [...view.back, view.cursor] : []));
  }

  protected previousPage(): void {
    const back = [...this.view().back];
    const previous = back.pop() ?? null;
    this.navigate(pageParams(previous, back));
  }

  protected firstPage(): void {
    this.navigate(pageParams(null, []));
  }

  protected showNewCredentials(): void {
    if (this.view().cursor) {
      this.firstPage(); // opening the first page loads it with the new credentials
    } else {
      this.store.showNew();
    }
  }

  protected retry(): void {
    this.store.reload();
  }

  /** The whole row opens the credential; its link does the same for keyboards and new tabs. */
  protected openRow(event: MouseEvent, row: CredentialView): void {
    const target = event.target as HTMLElement | null;
    if (target?.closest('a, button') || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    if ((window.getSelection()?.toString() ?? '') !== '') {
      return; // the operator is selecting text to copy
    }
    void this.router.navigate([row.id], { relativeTo: this.route });
  }

  protected openConnectLink(row?: CredentialView): void {
    openConnectLinkDialog(this.dialog, {
      externalId: row?.external_id ?? null,
      sourceId: row?.source_id ?? null,
      sources: this.store.sources(),
      createNow: !!row?.external_id,
    });
  }

  protected errorText(row: CredentialView): string {
    return row.last_error?.message || '—';
  }

  private navigate(queryParams: Record<string, string | null>, replaceUrl = false): void {
    void this.router.navigate([], { relativeTo: this.route, queryParams, queryParamsHandling: 'merge', replaceUrl });
  }
}
