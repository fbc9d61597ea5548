import { ChangeDetectionStrategy, Component, inject, OnInit } from '@angular/core';

import { AttemptsCardComponent } from './attempts-card.component';
import { CatalogueCardComponent } from './catalogue-card.component';
import { ClockCardComponent } from './clock-card.component';
import { FaultsCardComponent } from './faults-card.component';
import { ResetCardComponent } from './reset-card.component';
import { SandboxStore } from './sandbox.store';
import { ScenariosCardComponent } from './scenarios-card.component';
import { TriggerCardComponent } from './trigger-card.component';

/** The QA driver for the sandbox: every control-plane action, in cards that stack on a phone. */
@Component({
  selector: 'dh-sandbox-page',
  imports: [
    AttemptsCardComponent,
    CatalogueCardComponent,
    ClockCardComponent,
    FaultsCardComponent,
    ResetCardComponent,
    ScenariosCardComponent,
    TriggerCardComponent,
  ],
  providers: [SandboxStore],
  template: `
    <div class="page" data-testid="sandbox-page">
      <header class="page-header">
        <h1>Sandbox</h1>
        <span class="spacer"></span>
        <nav class="jump" aria-label="Sandbox sections">
          <a href="/sandbox#catalogue" (click)="jump($event, 'catalogue')">Create</a>
          <a href="/sandbox#trigger" (click)="jump($event, 'trigger')">Trigger</a>
          <a href="/sandbox#clock" (click)="jump($event, 'clock')">Clock</a>
          <a href="/sandbox#faults" (click)="jump($event, 'faults')">Faults</a>
          <a href="/sandbox#attempts" (click)="jump($event, 'attempts')">Attempts</a>
          <a href="/sandbox#scenarios" (click)="jump($event, 'scenarios')">Scenarios</a>
          <a href="/sandbox#reset" (click)="jump($event, 'reset')">Reset</a>
        </nav>
      </header>
      <p class="muted lead">
        Drive the offline Deck the api is connected to: make test credentials that behave as you choose, send any event,
        bend webhook deliveries, and move time.
      </p>
      <div class="columns">
        <div class="column">
          <dh-catalogue-card id="catalogue" />
          <dh-trigger-card id="trigger" />
        </div>
        <div class="column">
          <dh-clock-card id="clock" />
          <dh-faults-card id="faults" />
        </div>
      </div>
      <dh-attempts-card id="attempts" />
      <dh-scenarios-card id="scenarios" />
      <dh-reset-card id="reset" />
    </div>
  `,
  styles: `
    .lead {
      margin: -8px 0 16px;
    }
    .jump {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 12px;
      font-size: 14px;
    }
    .jump a {
      color: var(--dh-brand);
    }
    .columns {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 440px), 1fr));
      gap: 0 16px;
      align-items: start;
    }
    .column {
      min-width: 0;
    }
    dh-catalogue-card,
    dh-trigger-card,
    dh-clock-card,
    dh-faults-card,
    dh-attempts-card,
    dh-scenarios-card,
    dh-reset-card {
      scroll-margin-top: 72px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SandboxPageComponent implements OnInit {
  private readonly store = inject(SandboxStore);

  ngOnInit(): void {
    void this.store.loadScenarios();
    void this.store.loadSources();
  }

  /** In-page links without the router treating the fragment as a navigation. */
  protected jump(event: Event, id: string): void {
    event.preventDefault();
    const target = document.getElementById(id);
    target?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    target?.querySelector<HTMLElement>('h2')?.setAttribute('tabindex', '-1');
    target?.querySelector<HTMLElement>('h2')?.focus({ preventScroll: true });
  }
}
