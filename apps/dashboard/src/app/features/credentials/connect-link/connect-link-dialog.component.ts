import { HttpClient } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  ElementRef,
  inject,
  OnInit,
  signal,
  viewChild,
} from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSelectModule } from '@angular/material/select';
import { firstValueFrom } from 'rxjs';

import type { CreateLinkRequest, LinkView, SourceView } from '@app/contracts';

import { RelativeTimePipe } from '../../../shared/relative-time.pipe';
import { problemSentence } from '../../../core/http/api-problem';

export interface ConnectLinkDialogData {
  /** The end user the link is for; the operator types one when absent. */
  externalId?: string | null;
  /** Limits the link to one source. */
  sourceId?: string | null;
  sources: readonly SourceView[];
  /** Issue the link as the dialog opens (a row's action already names the end user). */
  createNow?: boolean;
}

const expiryFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

/**
 * "Copy connect link": issues a short-lived link (POST /api/links) an end user
 * opens to connect their account, and copies it. Operators and admins only;
 * the api refuses viewers anyway.
 */
@Component({
  selector: 'dh-connect-link-dialog',
  imports: [
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressSpinnerModule,
    MatSelectModule,
    ReactiveFormsModule,
    RelativeTimePipe,
  ],
  template: `
    <h2 mat-dialog-title>Copy connect link</h2>
    <mat-dialog-content>
      @if (link(); as link) {
        <p>
          Send this link to <strong class="mono">{{ link.external_id }}</strong>{{
            sourceLabel() ? ' for ' + sourceLabel() : ''
          }}. It works until <time [attr.datetime]="link.expires_at">{{ expires() }}</time> ({{
            link.expires_at | relativeTime
          }}).
        </p>
        <mat-form-field class="wide">
          <mat-label>Connect link</mat-label>
          <input #urlInput matInput readonly data-testid="link-url" [value]="link.url" (focus)="selectUrl()" />
        </mat-form-field>
        <p class="copy-state" role="status" data-testid="copy-state">{{ copyState() }}</p>
      } @else {
        <form id="connect-link-form" [formGroup]="form" (ngSubmit)="createLink()" novalidate>
          <p class="muted intro">
            The end user opens the link to connect their account. Anyone with the link can add credentials for this
            external id until it expires.
          </p>
          <mat-form-field class="wide">
            <mat-label>External id</mat-label>
            <input matInput formControlName="externalId" required data-testid="link-external-id" cdkFocusInitial />
            <mat-hint>Your id for the end user, e.g. user_42</mat-hint>
            @if (form.controls.externalId.invalid && form.controls.externalId.touched) {
              <mat-error>Enter the end user's external id.</mat-error>
            }
          </mat-form-field>
          <mat-form-field class="wide">
            <mat-label>Source (optional)</mat-label>
            <mat-select formControlName="sourceId" data-testid="link-source">
              <mat-option value="">Any source</mat-option>
              @for (source of data.sources; track source.id) {
                <mat-option [value]="source.id">{{ source.name || source.id }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
        </form>
      }
      @if (error()) {
        <p class="error-text" role="alert" data-testid="link-error">{{ error() }}</p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Close</button>
      @if (link()) {
        <button mat-button type="button" (click)="startOver()">Another link</button>
        <button mat-flat-button type="button" data-testid="copy-url-button" (click)="copyUrl()">
          <mat-icon aria-hidden="true">content_copy</mat-icon>
          Copy
        </button>
      } @else {
        <button
          mat-flat-button
          type="submit"
          form="connect-link-form"
          data-testid="create-link-button"
          [disabled]="busy()"
        >
          @if (busy()) {
            <mat-spinner diameter="18" aria-hidden="true" />
            Creating…
          } @else {
            Create link
          }
        </button>
      }
    </mat-dialog-actions>
  `,
  styles: `
    .wide {
      width: 100%;
    }
    .intro {
      margin-top: 0;
    }
    .copy-state {
      min-height: 20px;
      margin: 4px 0 0;
      font-size: 14px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConnectLinkDialogComponent implements OnInit {
  protected readonly data = inject<ConnectLinkDialogData>(MAT_DIALOG_DATA);
  protected readonly form = new FormGroup({
    externalId: new FormControl(this.data.externalId ?? '', {
      nonNullable: true,
      validators: [Validators.required, Validators.pattern(/\S/), Validators.maxLength(255)],
    }),
    sourceId: new FormControl(this.data.sourceId ?? '', { nonNullable: true }),
  });
  protected readonly link = signal<LinkView | null>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly copyState = signal('');

  protected readonly expires = computed(() => {
    const link = this.link();
    return link ? expiryFormat.format(new Date(link.expires_at)) : '';
  });
  protected readonly sourceLabel = computed(() => {
    const sourceId = this.link()?.source_id;
    return sourceId ? (this.data.sources.find((s) => s.id === sourceId)?.name ?? sourceId) : '';
  });
  private readonly urlInput = viewChild<ElementRef<HTMLInputElement>>('urlInput');

  private readonly http = inject(HttpClient);

  ngOnInit(): void {
    if (this.data.createNow && this.form.valid) {
      void this.createLink();
    }
  }

  protected async createLink(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid || this.busy()) {
      return;
    }
    const { externalId, sourceId } = this.form.getRawValue();
    const request: CreateLinkRequest = { external_id: externalId.trim(), ...(sourceId ? { source_id: sourceId } : {}) };
    this.busy.set(true);
    this.error.set(null);
    try {
      this.link.set(await firstValueFrom(this.http.post<LinkView>('/api/links', request)));
      this.copyState.set('');
    } catch (error: unknown) {
      this.error.set(problemSentence(error));
    } finally {
      this.busy.set(false);
    }
  }

  protected async copyUrl(): Promise<void> {
    const link = this.link();
    if (!link) {
      return;
    }
    try {
      if (!navigator.clipboard?.writeText) {
        throw new Error('no clipboard');
      }
      await navigator.clipboard.writeText(link.url);
      this.copyState.set('Copied to the clipboard.');
    } catch {
      this.selectUrl();
      this.copyState.set('The browser did not allow copying. The link is selected: press Ctrl+C (⌘C on a Mac).');
    }
  }

  protected selectUrl(): void {
    const input = this.urlInput()?.nativeElement;
    input?.focus();
    input?.select();
  }

  protected startOver(): void {
    this.link.set(null);
    this.copyState.set('');
    this.error.set(null);
  }
}

/** Opens the dialog; the credentials list and a credential's page share it. */
export function openConnectLinkDialog(
  dialog: MatDialog,
  data: ConnectLinkDialogData,
): MatDialogRef<ConnectLinkDialogComponent> {
  return dialog.open<ConnectLinkDialogComponent, ConnectLinkDialogData>(ConnectLinkDialogComponent, {
    data,
    width: '520px',
    maxWidth: '94vw',
    autoFocus: 'first-tabbable',
  });
}
