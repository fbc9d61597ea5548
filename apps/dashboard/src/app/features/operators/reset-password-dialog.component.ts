import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { firstValueFrom } from 'rxjs';

import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, operatorPasswordControl } from './operator-roles';

interface ResetPasswordData {
  email: string;
  self: boolean;
}

/** Asks for an operator's new password; closes with it, or with nothing when cancelled. */
@Component({
  selector: 'dh-reset-password-dialog',
  imports: [MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule, ReactiveFormsModule],
  template: `
    <h2 mat-dialog-title>New password for {{ data.email }}</h2>
    <form [formGroup]="form" (ngSubmit)="save()" novalidate>
      <mat-dialog-content>
        <p>
          {{
            data.self
              ? 'Your other sessions will be signed out; this one stays.'
              : 'They will be signed out everywhere and sign in again with the new password.'
          }}
        </p>
        <mat-form-field class="full">
          <mat-label>New password</mat-label>
          <input
            matInput
            type="password"
            formControlName="password"
            autocomplete="new-password"
            required
            cdkFocusInitial
            data-testid="reset-password-input"
          />
          @if (form.controls.password.invalid && form.controls.password.touched) {
            <mat-error>At least {{ minLength }} characters (at most {{ maxLength }}).</mat-error>
          } @else {
            <mat-hint>At least {{ minLength }} characters.</mat-hint>
          }
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" data-testid="reset-password-submit">Set password</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .full {
      width: 100%;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ResetPasswordDialogComponent {
  protected readonly data = inject<ResetPasswordData>(MAT_DIALOG_DATA);
  protected readonly minLength = MIN_PASSWORD_LENGTH;
  protected readonly maxLength = MAX_PASSWORD_LENGTH;
  protected readonly form = new FormGroup({
    password: operatorPasswordControl(),
  });

  private readonly ref = inject<MatDialogRef<ResetPasswordDialogComponent, string>>(MatDialogRef);

  protected save(): void {
    const password = this.form.controls.password;
    if (password.invalid) {
      password.markAsTouched();
      return;
    }
    this.ref.close(password.value);
  }
}

/** The new password, or null when the admin cancelled. */
export async function askNewPassword(dialog: MatDialog, data: ResetPasswordData): Promise<string | null> {
  const ref = dialog.open<ResetPasswordDialogComponent, ResetPasswordData, string>(ResetPasswordDialogComponent, {
    data,
    width: '440px',
    maxWidth: '92vw',
  });
  return (await firstValueFrom(ref.afterClosed())) ?? null;
}
