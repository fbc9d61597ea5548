import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { Router } from '@angular/router';

import { SessionService } from '../../core/auth/session.service';
import { ApiProblem, describeProblem } from '../../core/http/api-problem';

/** Only paths inside the console: a crafted `returnUrl` must not send an operator to another site. */
function safeReturnUrl(url: string | undefined): string {
  return url && url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/login') ? url : '/credentials';
}

@Component({
  selector: 'dh-login-page',
  imports: [MatButtonModule, MatFormFieldModule, MatInputModule, MatProgressSpinnerModule, ReactiveFormsModule],
  template: `
    <main class="login-wrap">
      <section class="card" aria-labelledby="login-title">
        <div class="brand">
          <img src="favicon.svg" alt="" width="40" height="40" />
          <span>Deckhand</span>
        </div>
        <h1 id="login-title">Sign in to the console</h1>
        @if (session.expiredNotice()) {
          <p class="notice" role="status">Your session ended. Sign in again to pick up where you were.</p>
        }
        <form [formGroup]="form" (ngSubmit)="signIn()" novalidate>
          <mat-form-field>
            <mat-label>E-mail</mat-label>
            <input
              matInput
              type="email"
              formControlName="email"
              autocomplete="username"
              required
              data-testid="login-email"
            />
            @if (form.controls.email.invalid && form.controls.email.touched) {
              <mat-error>Enter your e-mail address.</mat-error>
            }
          </mat-form-field>
          <mat-form-field>
            <mat-label>Password</mat-label>
            <input
              matInput
              type="password"
              formControlName="password"
              autocomplete="current-password"
              required
              data-testid="login-password"
            />
            @if (form.controls.password.invalid && form.controls.password.touched) {
              <mat-error>Enter your password.</mat-error>
            }
          </mat-form-field>
          @if (error()) {
            <p class="error-text" role="alert" data-testid="login-error">{{ error() }}</p>
          }
          <button mat-flat-button type="submit" [disabled]="busy()" data-testid="login-submit">
            @if (busy()) {
              <mat-spinner diameter="18" aria-hidden="true" />
              Signing in…
            } @else {
              Sign in
            }
          </button>
        </form>
      </section>
    </main>
  `,
  styles: `
    .login-wrap {
      min-height: 100dvh;
      display: grid;
      place-items: center;
      padding: 16px;
      box-sizing: border-box;
      background: linear-gradient(160deg, #1f4e79 0%, #2f6ea3 45%, #f5f7fa 45%);
    }
    .card {
      background: #fff;
      border-radius: 16px;
      padding: 32px;
      width: 100%;
      max-width: 400px;
      box-sizing: border-box;
      box-shadow: 0 8px 30px rgba(15, 35, 60, 0.18);
    }
    .brand {
      display: flex;
      align-items: center;
      gap: 10px;
      font-size: 20px;
      font-weight: 500;
      color: #1f4e79;
    }
    h1 {
      font-size: 22px;
      font-weight: 500;
      margin: 20px 0 16px;
    }
    form {
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
    button[type='submit'] {
      margin-top: 8px;
      height: 44px;
    }
    mat-spinner {
      display: inline-block;
      margin-right: 6px;
    }
    .notice {
      background: #fff4d6;
      border: 1px solid #f0d48a;
      color: #5a3e00;
      padding: 8px 12px;
      border-radius: 8px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginPageComponent {
  readonly returnUrl = input<string>();

  protected readonly session = inject(SessionService);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly form = new FormGroup({
    email: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.email] }),
    password: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
  });

  private readonly router = inject(Router);

  protected async signIn(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.session.login(this.form.getRawValue());
      await this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
    } catch (problem: unknown) {
      const p = problem as ApiProblem;
      this.error.set(
        p.status === 401 ? 'That e-mail and password do not match an operator account.' : describeProblem(p),
      );
      this.form.controls.password.reset('');
    } finally {
      this.busy.set(false);
    }
  }
}
