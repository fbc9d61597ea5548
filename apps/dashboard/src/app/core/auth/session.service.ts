import { HttpClient } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';

import type { LoginRequest, OperatorView, Role } from '@app/contracts';

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** The signed-in operator, or none; the only place that talks to `/api/auth`. */
@Injectable({ providedIn: 'root' })
export class SessionService {
  /** undefined: not asked yet; null: nobody is signed in. */
  readonly operator = signal<OperatorView | null | undefined>(undefined);
  readonly signedIn = computed(() => !!this.operator());
  /** Set when a session ended under the operator's feet, so the sign-in page can say why. */
  readonly expiredNotice = signal(false);

  private readonly http = inject(HttpClient);
  private readonly router = inject(Router);

  /** Whether the signed-in operator's role is at least `role`. */
  can(role: Role): boolean {
    const operator = this.operator();
    return !!operator && RANK[operator.role] >= RANK[role];
  }

  /** Asks the api once who is signed in (this also issues the XSRF-TOKEN cookie). */
  async restore(): Promise<OperatorView | null> {
    const known = this.operator();
    if (known !== undefined) {
      return known;
    }
    try {
      const operator = await firstValueFrom(this.http.get<OperatorView>('/api/auth/me'));
      this.operator.set(operator);
      return operator;
    } catch {
      this.operator.set(null);
      return null;
    }
  }

  async login(request: LoginRequest): Promise<OperatorView> {
    const operator = await firstValueFrom(this.http.post<OperatorView>('/api/auth/login', request));
    this.expiredNotice.set(false);
    this.operator.set(operator);
    return operator;
  }

  async logout(): Promise<void> {
    try {
      await firstValueFrom(this.http.post<void>('/api/auth/logout', {}));
    } finally {
      this.operator.set(null);
      await this.router.navigateByUrl('/login');
    }
  }

  /** A request answered 401: the session is gone. Sign in again, then come back here. */
  expired(): void {
    if (this.operator() === null) {
      return;
    }
    this.operator.set(null);
    this.expiredNotice.set(true);
    const returnUrl = this.router.url.startsWith('/login') ? undefined : this.router.url;
    void this.router.navigate(['/login'], { queryParams: returnUrl ? { returnUrl } : {} });
  }
}
