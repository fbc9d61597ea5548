import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { firstValueFrom } from 'rxjs';

import type { ApiFieldError, CredentialView, UpdateCredentialRequest } from '@app/contracts';

import { asApiProblem, describeProblem } from '../../../core/http/api-problem';
import { LoginDetails, LoginFormComponent } from '../../../shared/login-form/login-form.component';

export interface UpdateLoginData {
  credential: CredentialView;
  sourceName: string;
}

/** New login details for one credential (the connect page's form, source fixed); closes with the updated credential. */
@Component({
  selector: 'dh-update-login-dialog',
  imports: [LoginFormComponent, MatButtonModule, MatDialogModule],
  template: `
    <h2 mat-dialog-title>Update login details</h2>
    <mat-dialog-content>
      <p class="muted intro">
        New username or e-mail and password for <strong>{{ data.sourceName }}</strong>
        @if (data.credential.external_id) {
          (end user <span class="mono">{{ data.credential.external_id }}</span>)
        }
        . They go to Deck, and the credential is verified again.
      </p>
      <dh-login-form
        mode="update"
        [lockedSourceId]="data.credential.source_id"
        [busy]="busy()"
        [error]="error()"
        [fieldErrors]="fieldErrors()"
        submitLabel="Save and verify"
        (details)="saveDetails($event)"
      />
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" [mat-dialog-close]="null" [disabled]="busy()">Cancel</button>
    </mat-dialog-actions>
  `,
  styles: `
    .intro {
      margin-top: 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UpdateLoginDialogComponent {
  protected readonly data = inject<UpdateLoginData>(MAT_DIALOG_DATA);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly fieldErrors = signal<ApiFieldError[]>([]);

  private readonly loginForm = viewChild.required(LoginFormComponent);
  private readonly http = inject(HttpClient);
  private readonly dialogRef = inject<MatDialogRef<UpdateLoginDialogComponent, CredentialView | null>>(MatDialogRef);

  protected async saveDetails(details: LoginDetails): Promise<void> {
    const body: UpdateCredentialRequest = {
      ...(details.email !== undefined ? { email: details.email } : { username: details.username }),
      password: details.password,
    };
    this.busy.set(true);
    this.error.set(null);
    this.fieldErrors.set([]);
    this.dialogRef.disableClose = true;
    try {
      const updated = await firstValueFrom(
        this.http.patch<CredentialView>(`/api/credentials/${encodeURIComponent(this.data.credential.id)}`, body),
      );
      this.dialogRef.close(updated);
    } catch (error: unknown) {
      const problem = asApiProblem(error);
      this.error.set(describeProblem(problem));
      this.fieldErrors.set(problem.details);
    } finally {
      this.loginForm().clearPassword();
      this.busy.set(false);
      this.dialogRef.disableClose = false;
    }
  }
}
