import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, OnInit, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';

import type { AuditEntryView, OperatorView } from '@app/contracts';

import { ApiProblem, describeProblem } from '../../core/http/api-problem';
import { RelativeTimePipe } from '../../shared/relative-time.pipe';
import { AuditTarget, describeAction, formatActor, formatDetail, formatTarget, operatorEmails } from './audit-format';
import { OperatorsService } from './operators.service';

const PAGE_SIZE = 50;

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: AuditTarget | null;
  detail: string;
}

/** Who did what, newest first; reloaded on request, not live. */
@Component({
  selector: 'dh-audit-log',
  imports: [DatePipe, MatButtonModule, MatIconModule, MatProgressBarModule, RelativeTimePipe, RouterLink],
  template: `
    <div class="head">
      <h2 id="audit-title">Audit log</h2>
      <span class="spacer"></span>
      <button mat-stroked-button type="button" (click)="reload()" [disabled]="loading()" data-testid="audit-refresh">
        <mat-icon aria-hidden="true">refresh</mat-icon>
        Refresh
      </button>
    </div>
    <p class="muted intro">Every change made through the console or a connect link. Secrets are never recorded.</p>
    <mat-progress-bar
      mode="indeterminate"
      [class.hidden]="!loading() || !loaded()"
      aria-label="Loading the audit log"
    />
    @if (error()) {
      <p class="error-text" role="alert">{{ error() }}</p>
      <button mat-stroked-button type="button" (click)="loaded() ? loadMore() : reload()">Try again</button>
    }
    @if (loaded() && rows().length === 0) {
      <p class="empty-state">Nothing recorded yet. Sign-ins, invites and changes to credentials appear here.</p>
    } @else {
      <div class="scroll">
        <table
          class="data-table phone-cards"
          data-testid="audit-table"
          aria-labelledby="audit-title"
          [attr.aria-busy]="loading()"
        >
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Did</th>
              <th scope="col">To</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            @if (!loaded() && !error()) {
              @for (row of skeletonRows; track row) {
                <tr aria-hidden="true" class="skeleton-row">
                  <td colspan="5"><span class="skeleton"></span></td>
                </tr>
              }
            }
            @for (row of rows(); track row.seq) {
              <tr data-testid="audit-row" [attr.data-seq]="row.seq">
                <td class="when">
                  <time [attr.datetime]="row.at" [title]="row.at | date: 'medium'">{{ row.at | relativeTime }}</time>
                </td>
                <td class="who">{{ row.actor }}</td>
                <td class="did">{{ row.action }}</td>
                <td [class.mono]="row.target?.mono" class="target">
                  @if (row.target; as target) {
                    @if (target.link) {
                      <a [routerLink]="target.link">{{ target.text }}</a>
                    } @else {
                      {{ target.text }}
                    }
                  } @else {
                    <span class="muted none">—</span>
                  }
                </td>
                <td class="mono detail">{{ row.detail }}</td>
              </tr>
            }
          </tbody>
        </table>
      </div>
      @if (hasMore()) {
        <div class="more">
          <button mat-stroked-button type="button" (click)="loadMore()" [disabled]="loading()" data-testid="audit-more">
            Load more
          </button>
        </div>
      }
    }
  `,
  styles: `
    .head {
      display: flex;
      align-items: center;
      gap: 12px;
      h2 {
        margin: 0;
        font-size: 18px;
        font-weight: 500;
      }
      .spacer {
        flex: 1;
      }
    }
    .intro {
      margin: 4px 0 8px;
    }
    .hidden {
      visibility: hidden;
    }
    .scroll {
      overflow-x: auto;
    }
    table {
      min-width: 720px;
    }
    td {
      padding: 8px;
      vertical-align: top;
    }
    .when {
      white-space: nowrap;
    }
    .target,
    .detail {
      overflow-wrap: anywhere;
    }
    .detail {
      color: var(--dh-muted);
      max-width: 360px;
    }
    .skeleton-row td {
      height: 24px;
    }
    @media (max-width: 720px) {
      table {
        min-width: 0;
      }
      tr {
        padding: 8px 0;
      }
      td {
        padding: 1px 0;
      }
      .who,
      .did,
      .target {
        display: inline;
        margin-right: 0.3em;
      }
      .none {
        display: none;
      }
      .when {
        font-size: 13px;
        color: var(--dh-muted);
      }
      .detail {
        max-width: none;
      }
    }
    .more {
      display: flex;
      justify-content: center;
      padding-top: 12px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuditLogComponent implements OnInit {
  /** To name operators by e-mail. */
  readonly operators = input<readonly OperatorView[]>([]);

  protected readonly entries = signal<AuditEntryView[]>([]);
  protected readonly loading = signal(false);
  protected readonly loaded = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly hasMore = signal(false);
  protected readonly skeletonRows = [0, 1, 2, 3, 4];

  protected readonly rows = computed<AuditRow[]>(() => {
    const entries = this.entries();
    const emails = operatorEmails(this.operators(), entries);
    return entries.map((entry) => ({
      seq: entry.seq,
      at: entry.at,
      actor: formatActor(entry.actor, emails),
      action: describeAction(entry.action, entry.detail),
      target: formatTarget(entry, emails),
      detail: formatDetail(entry.detail, entry.action),
    }));
  });

  private readonly service = inject(OperatorsService);
  private nextCursor: string | null = null;
  private loadToken = 0;

  ngOnInit(): void {
    void this.reload();
  }

  /** The newest page again, replacing what was shown. */
  async reload(): Promise<void> {
    await this.fetch(null);
  }

  protected async loadMore(): Promise<void> {
    if (this.nextCursor) {
      await this.fetch(this.nextCursor);
    }
  }

  private async fetch(cursor: string | null): Promise<void> {
    const token = ++this.loadToken;
    this.loading.set(true);
    this.error.set(null);
    try {
      const page = await this.service.audit(PAGE_SIZE, cursor);
      if (token !== this.loadToken) {
        return;
      }
      this.entries.update((entries) => (cursor ? [...entries, ...page.data] : page.data));
      this.nextCursor = page.next_cursor;
      this.hasMore.set(page.has_more);
      this.loaded.set(true);
    } catch (problem: unknown) {
      if (token === this.loadToken) {
        this.error.set(describeProblem(problem as ApiProblem));
      }
    } finally {
      if (token === this.loadToken) {
        this.loading.set(false);
      }
    }
  }
}
