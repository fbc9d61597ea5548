import {
  ChangeDetectionStrategy,
  Component,
  effect,
  ElementRef,
  inject,
  input,
  output,
  untracked,
} from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSelectModule } from '@angular/material/select';

import type { ApiFieldError, SourceView } from '@app/contracts';

/** What the form gives: the login, to go to Deck and nowhere else. */
export interface LoginDetails {
  source_id: string;
  email?: string;
  username?: string;
  password: string;
}

/**
 * The login form of the connect page and of an operator's "update login
 * details": pick the source, username or e-mail, password. The password lives
 * only in this form until it is posted, and the form is cleared afterwards.
 */
@Component({
  selector: 'dh-login-form',
  imports: [
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressSpinnerModule,
    MatSelectModule,
    ReactiveFormsModule,
  ],
  template: `
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate class="login-form" data-testid="login-form">
      @if (!lockedSourceId()) {
        <mat-form-field>
          <mat-label>Where is this account?</mat-label>
          <mat-select formControlName="source_id" data-testid="source-select">
            @for (source of sources(); track source.id) {
              <mat-option [value]="source.id">{{ source.name ?? source.url }}</mat-option>
            }
          </mat-select>
          @if (form.controls.source_id.invalid && form.controls.source_id.touched) {
            <mat-error>Choose where the account is.</mat-error>
          }
        </mat-form-field>
      }
      <mat-form-field>
        <mat-label>Username or e-mail</mat-label>
        <input matInput formControlName="login" autocomplete="username" data-testid="login-username" required />
        @if (serverError('login'); as message) {
          <mat-error data-testid="login-username-error">{{ message }}</mat-error>
        } @else if (form.controls.login.invalid && form.controls.login.touched) {
          <mat-error>Enter the username or e-mail you sign in with.</mat-error>
        }
      </mat-form-field>
      <mat-form-field>
        <mat-label>Password</mat-label>
        <input
          matInput
          type="password"
          formControlName="password"
          [attr.autocomplete]="mode() === 'update' ? 'new-password' : 'current-password'"
          data-testid="login-password"
          required
        />
        @if (serverError('password'); as message) {
          <mat-error data-testid="login-password-error">{{ message }}</mat-error>
        } @else if (form.controls.password.invalid && form.controls.password.touched) {
          <mat-error>Enter the password.</mat-error>
        }
      </mat-form-field>
      <p class="hint muted">Your password is sent straight to the secure vault. Deckhand never stores it.</p>
      @if (error()) {
        <p class="error-text" role="alert" data-testid="login-error">{{ error() }}</p>
      }
      <button mat-flat-button type="submit" [disabled]="busy()" data-testid="login-submit">
        @if (busy()) {
          <mat-spinner diameter="18" aria-hidden="true" />
          Saving…
        } @else {
          {{ submitLabel() }}
        }
      </button>
    </form>
  `,
  styles: `
    .login-form {
      display: flex;
      flex-direction: column;
      gap: 4px;
      max-width: 420px;
    }
    .hint {
      font-size: 13px;
      margin: 0 0 8px;
    }
    button[type='submit'] {
      align-self: flex-start;
    }
    mat-spinner {
      display: inline-block;
      margin-right: 6px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginFormComponent {
  readonly sources = input<SourceView[]>([]);
  /** The source is already known (updating a credential, or a link made for one source). */
  readonly lockedSourceId = input<string | null>(null);
  readonly mode = input<'create' | 'update'>('create');
  readonly busy = input(false);
  readonly error = input<string | null>(null);
  readonly fieldErrors = input<ApiFieldError[]>([]);
  readonly submitLabel = input('Connect account');
  readonly details = output<LoginDetails>();

  protected readonly form = new FormGroup({
    source_id: new FormControl('', { nonNullable: true }),
    login: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.maxLength(320)] }),
    password: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.maxLength(1000)] }),
  });

  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);

  constructor() {
    effect(() => {
      const locked = this.lockedSourceId();
      const sources = this.sources();
      const control = this.form.controls.source_id;
      control.setValidators(locked ? [] : [Validators.required]);
      if (locked) {
        control.setValue(locked);
      } else if (!control.value && sources.length === 1) {
        control.setValue(sources[0].id);
      }
      control.updateValueAndValidity();
    });
    // The api's field errors go onto the controls: a mat-error shows only for a control in error,
    // and the next edit (re-validation) clears them.
    effect(() => {
      const errors = this.fieldErrors();
      untracked(() => {
        for (const { field, message } of errors) {
          const control = this.controlFor(field);
          control?.setErrors({ ...control.errors, server: message });
          control?.markAsTouched();
        }
      });
    });
  }

  /** Empties the password after a post, whatever its outcome: it must not linger in the page. */
  clearPassword(): void {
    this.form.controls.password.reset('');
  }

  protected serverError(name: 'login' | 'password'): string | null {
    const message: unknown = this.form.controls[name].errors?.['server'];
    return typeof message === 'string' ? message : null;
  }

  protected submit(): void {
    if (this.busy()) {
      return;
    }
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      this.focusFirstInvalid();
      return;
    }
    const { source_id, login, password } = this.form.getRawValue();
    const trimmed = login.trim();
    this.details.emit({
      source_id: this.lockedSourceId() ?? source_id,
      ...(trimmed.includes('@') ? { email: trimmed } : { username: trimmed }),
      password,
    });
  }

  private focusFirstInvalid(): void {
    const { controls } = this.form;
    const testId = controls.source_id.invalid
      ? 'source-select'
      : controls.login.invalid
        ? 'login-username'
        : controls.password.invalid
          ? 'login-password'
          : null;
    if (testId) {
      this.host.nativeElement.querySelector<HTMLElement>(`[data-testid="${testId}"]`)?.focus();
    }
  }

  private controlFor(field: string): FormControl<string> | null {
    switch (field) {
      case 'username':
      case 'email':
        return this.form.controls.login;
      case 'password':
        return this.form.controls.password;
      case 'source_id':
        return this.form.controls.source_id;
      default:
        return null;
    }
  }
}
