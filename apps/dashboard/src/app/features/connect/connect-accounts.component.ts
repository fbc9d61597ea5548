import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

import type { CredentialView } from '@app/contracts';

import { StatusChipComponent } from '../../shared/status-chip.component';

/** What each status means to the person who owns the login. */
const MEANING: Record<CredentialView['status'], string> = {
  verified: 'Connected and working.',
  unverified: 'Saved, not checked yet.',
  invalid: 'Needs new login details.',
  deleted: 'Removed.',
};

/** The end user's own connected accounts, each with what they can do about it. */
@Component({
  selector: 'dh-connect-accounts',
  imports: [MatButtonModule, StatusChipComponent],
  template: `
    <ul class="accounts" data-testid="connect-existing" aria-label="Your accounts">
      @for (credential of credentials(); track credential.id) {
        <li class="account" data-testid="connect-existing-row" [attr.data-id]="credential.id">
          <div class="line">
            <span class="name">{{ sourceName()(credential.source_id) }}</span>
            <dh-status-chip [status]="credential.status" />
          </div>
          @if (credential.username_hint) {
            <span class="mono login">{{ credential.username_hint }}</span>
          }
          <span class="muted meaning">{{ meaning[credential.status] }}</span>
          @if (credential.last_error && credential.status !== 'verified') {
            <span class="muted meaning">{{ credential.last_error.message }}</span>
          }
          @if (credential.status === 'invalid') {
            <button
              mat-flat-button
              type="button"
              data-testid="connect-fix"
              [attr.aria-label]="'Update login details for ' + sourceName()(credential.source_id)"
              (click)="fix.emit(credential)"
            >
              Update login details
            </button>
          } @else if (credential.status === 'unverified') {
            <button
              mat-stroked-button
              type="button"
              data-testid="connect-check"
              [attr.aria-label]="'Check the login for ' + sourceName()(credential.source_id)"
              (click)="check.emit(credential)"
            >
              Check now
            </button>
          }
        </li>
      }
    </ul>
  `,
  styles: `
    .accounts {
      list-style: none;
      margin: 0 0 16px;
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    .account {
      display: flex;
      flex-direction: column;
      align-items: flex-start;
      gap: 4px;
      padding: 12px;
      border: 1px solid var(--dh-line);
      border-radius: 12px;
    }
    .line {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 8px;
      width: 100%;
    }
    .name {
      font-weight: 500;
    }
    .login {
      overflow-wrap: anywhere;
    }
    .meaning {
      font-size: 14px;
    }
    button {
      margin-top: 4px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConnectAccountsComponent {
  readonly credentials = input.required<CredentialView[]>();
  readonly sourceName = input.required<(sourceId: string) => string>();
  readonly fix = output<CredentialView>();
  readonly check = output<CredentialView>();

  protected readonly meaning = MEANING;
}
