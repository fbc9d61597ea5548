import { ChangeDetectionStrategy, Component, inject, output, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, FormGroupDirective, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSelectModule } from '@angular/material/select';

import { type OperatorView, type Role, ROLES } from '@app/contracts';

import { ApiProblem, describeProblem } from '../../core/http/api-problem';
import {
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  operatorPasswordControl,
  ROLE_MEANINGS,
  withArticle,
} from './operator-roles';
import { OperatorsService } from './operators.service';

/** Creates an operator with an initial password and a role. */
@Component({
  selector: 'dh-invite-operator',
  imports: [
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressSpinnerModule,
    MatSelectModule,
    ReactiveFormsModule,
  ],
  template: `
    <form [formGroup]="form" (ngSubmit)="invite(formDirective)" #formDirective="ngForm" novalidate>
      <mat-form-field>
        <mat-label>E-mail</mat-label>
        <input matInput type="email" formControlName="email" autocomplete="off" required data-testid="invite-email" />
        @if (form.controls.email.hasError('taken')) {
          <mat-error>An operator with this e-mail already exists.</mat-error>
        } @else if (form.controls.email.invalid && form.controls.email.touched) {
          <mat-error>Enter an e-mail address.</mat-error>
        }
      </mat-form-field>
      <mat-form-field>
        <mat-label>Initial password</mat-label>
        <input
          matInput
          [type]="showPassword() ? 'text' : 'password'"
          formControlName="password"
          autocomplete="new-password"
          required
          [attr.minlength]="minLength"
          data-testid="invite-password"
        />
        <button
          mat-icon-button
          matSuffix
          type="button"
          [attr.aria-label]="showPassword() ? 'Hide the password' : 'Show the password'"
          [attr.aria-pressed]="showPassword()"
          (click)="showPassword.set(!showPassword())"
        >
          <mat-icon aria-hidden="true">{{ showPassword() ? 'visibility_off' : 'visibility' }}</mat-icon>
        </button>
        @if (form.controls.password.invalid && form.controls.password.touched) {
          <mat-error>At least {{ minLength }} characters (at most {{ maxLength }}).</mat-error>
        } @else {
          <mat-hint>At least {{ minLength }} characters. Give it to them by a safe channel.</mat-hint>
        }
      </mat-form-field>
      <mat-form-field>
        <mat-label>Role</mat-label>
        <mat-select formControlName="role" data-testid="invite-role">
          <mat-select-trigger>{{ role() }}</mat-select-trigger>
          @for (role of roles; track role) {
            <mat-option [value]="role"
              >{{ role }} <span class="muted meaning">— {{ meanings[role] }}</span></mat-option
            >
          }
        </mat-select>
        <mat-hint>{{ meanings[role()] }}</mat-hint>
      </mat-form-field>
      <div class="actions">
        <button mat-flat-button type="submit" [disabled]="busy()" data-testid="invite-submit">
          @if (busy()) {
            <mat-spinner diameter="18" aria-hidden="true" />
            Inviting…
          } @else {
            Invite
          }
        </button>
      </div>
      <div class="result" role="status">
        @if (invited(); as message) {
          <span class="done">{{ message }}</span>
        }
      </div>
      @if (error()) {
        <p class="error-text" role="alert" data-testid="invite-error">{{ error() }}</p>
      }
    </form>
  `,
  styles: `
    form {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(220px, 1fr));
      gap: 12px 16px;
      align-items: start;
    }
    .actions,
    .result,
    .error-text {
      grid-column: 1 / -1;
    }
    .actions button mat-spinner {
      display: inline-block;
      margin-right: 8px;
    }
    .result:empty {
      display: none;
    }
    .done {
      color: var(--dh-good);
    }
    .meaning {
      font-size: 12px;
    }
    .error-text {
      margin: 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class InviteOperatorComponent {
  readonly created = output<OperatorView>();

  protected readonly roles = ROLES;
  protected readonly meanings = ROLE_MEANINGS;
  protected readonly minLength = MIN_PASSWORD_LENGTH;
  protected readonly maxLength = MAX_PASSWORD_LENGTH;
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly invited = signal<string | null>(null);
  protected readonly showPassword = signal(false);
  protected readonly form = new FormGroup({
    email: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.email] }),
    password: operatorPasswordControl(),
    role: new FormControl<Role>('viewer', { nonNullable: true, validators: [Validators.required] }),
  });
  protected readonly role = toSignal(this.form.controls.role.valueChanges, {
    initialValue: this.form.controls.role.value,
  });

  private readonly service = inject(OperatorsService);

  protected async invite(formDirective: FormGroupDirective): Promise<void> {
    this.error.set(null);
    this.invited.set(null);
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    const request = this.form.getRawValue();
    try {
      const operator = await this.service.create({ ...request, email: request.email.trim() });
      this.invited.set(`${operator.email} can now sign in as ${withArticle(operator.role)}.`);
      formDirective.resetForm({ email: '', password: '', role: 'viewer' });
      this.showPassword.set(false);
      this.created.emit(operator);
    } catch (problem: unknown) {
      const apiProblem = problem as ApiProblem;
      if (apiProblem.status === 409) {
        this.form.controls.email.setErrors({ taken: true });
        this.form.controls.email.markAsTouched();
        this.error.set('An operator with this e-mail already exists.');
      } else {
        this.error.set(describeProblem(apiProblem));
      }
    } finally {
      this.busy.set(false);
    }
  }
}
