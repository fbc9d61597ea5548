import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, DestroyRef, OnInit, computed, inject, viewChild } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatBadgeModule } from '@angular/material/badge';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatMenuModule } from '@angular/material/menu';
import { MatSidenav, MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { filter, map } from 'rxjs';

import { SessionService } from '../core/auth/session.service';
import { ConsoleInfoService } from '../core/console/console-info.service';
import { HealthService } from '../core/health/health.service';
import { OpenPromptsStore } from '../core/prompts/open-prompts.store';
import { RealtimeService } from '../core/realtime/realtime.service';
import { ConnectionIndicatorComponent } from './connection-indicator.component';
import { HealthIndicatorComponent } from './health-indicator.component';

interface NavItem {
  path: string;
  label: string;
  icon: string;
  visible: () => boolean;
}

/** The operator console's frame: header, navigation, live status; pages render inside it. */
@Component({
  selector: 'dh-shell',
  imports: [
    ConnectionIndicatorComponent,
    HealthIndicatorComponent,
    MatBadgeModule,
    MatButtonModule,
    MatIconModule,
    MatListModule,
    MatMenuModule,
    MatSidenavModule,
    MatToolbarModule,
    RouterLink,
    RouterLinkActive,
    RouterOutlet,
  ],
  templateUrl: './shell.component.html',
  styleUrl: './shell.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ShellComponent implements OnInit {
  protected readonly session = inject(SessionService);
  protected readonly prompts = inject(OpenPromptsStore);
  protected readonly info = inject(ConsoleInfoService).info;
  protected readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 900px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly nav: NavItem[] = [
    { path: '/credentials', label: 'Credentials', icon: 'key', visible: () => true },
    { path: '/interactions', label: 'Prompts', icon: 'question_answer', visible: () => true },
    { path: '/events', label: 'Events', icon: 'receipt_long', visible: () => true },
    {
      path: '/sandbox',
      label: 'Sandbox',
      icon: 'science',
      visible: () => this.info()?.sandbox === true && this.session.can('operator'),
    },
    { path: '/operators', label: 'Operators', icon: 'group', visible: () => this.session.can('admin') },
  ];
  protected readonly promptBadge = computed(() => {
    const count = this.prompts.count();
    return count > 99 ? '99+' : String(count);
  });

  private readonly sidenav = viewChild(MatSidenav);
  private readonly destroyRef = inject(DestroyRef);
  private readonly realtime = inject(RealtimeService);
  private readonly health = inject(HealthService);
  private readonly consoleInfo = inject(ConsoleInfoService);
  private readonly router = inject(Router);

  constructor() {
    this.router.events.pipe(filter((event) => event instanceof NavigationEnd)).subscribe(() => {
      if (this.narrow()) {
        void this.sidenav()?.close();
      }
    });
  }

  ngOnInit(): void {
    this.realtime.connectAsOperator();
    this.destroyRef.onDestroy(() => this.realtime.disconnect());
    this.prompts.start(this.destroyRef);
    this.health.start(this.destroyRef);
    void this.consoleInfo.load();
  }

  /**
   * Moves focus into the page. A plain `#main` link would resolve against
   * `<base href="/">` and navigate to `/#main`, losing the page and its filters.
   */
  protected skipToContent(event: Event, main: HTMLElement): void {
    event.preventDefault();
    main.focus();
  }

  protected signOut(): void {
    void this.session.logout();
  }
}
