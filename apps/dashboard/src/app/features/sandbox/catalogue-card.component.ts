import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';

import type { CredentialView } from '@app/contracts';

import { ActionResultComponent } from './action-result.component';
import { ActionState } from './action-state';
import { problemLines, SandboxFailure } from './sandbox-errors';
import { SandboxService } from './sandbox.service';
import { SandboxStore } from './sandbox.store';

/** The password every catalogue credential gets; the sandbox never checks it. */
const SANDBOX_PASSWORD = 'sandbox';
const OTHER = '__other__';

function shortId(): string {
  return Math.random().toString(36).slice(2, 6);
}

/** Section 1: a test credential from the catalogue, made through the api's real credential flow. */
@Component({
  selector: 'dh-catalogue-card',
  imports: [
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatRadioModule,
    MatSelectModule,
    RouterLink,
    ActionResultComponent,
  ],
  template: `
    <section class="panel" aria-labelledby="catalogue-title" data-testid="catalogue-card">
      <h2 id="catalogue-title">Create a test credential</h2>
      <p class="muted intro">
        The username picks what the sandbox does when the credential is verified. The credential is made through the
        api's own credential flow (password <span class="mono">{{ password }}</span>, never checked), then its
        verification starts.
      </p>
      <form (ngSubmit)="createCredential()" novalidate>
        <fieldset class="picker-box">
          <legend id="catalogue-picker-label">Username (what the source does)</legend>
          @if (store.scenariosError(); as error) {
            <p class="error-text" role="alert">{{ error }}</p>
          }
          @if (store.scenarios() === null && !store.scenariosError()) {
            <div class="loading" aria-label="Loading the catalogue">
              @for (i of [1, 2, 3, 4]; track i) {
                <span class="skeleton"></span>
              }
            </div>
          } @else {
            <mat-radio-group
              class="picker"
              name="username"
              aria-labelledby="catalogue-picker-label"
              data-testid="catalogue-picker"
              [(ngModel)]="username"
            >
              @for (scenario of store.scenarios() ?? []; track scenario.name) {
                <mat-radio-button [value]="scenario.name" [attr.data-username]="scenario.name" class="option">
                  <span class="option-name mono">{{ scenario.name }}</span>
                  @if (scenario.origin !== 'built-in') {
                    <span class="origin">{{ scenario.origin }}</span>
                  }
                  <span class="option-text">{{ scenario.description || 'No description.' }}</span>
                </mat-radio-button>
              }
              <mat-radio-button [value]="other" data-username="other" class="option">
                <span class="option-name">Another username</span>
                <span class="option-text"
                  >Any name: <span class="mono">user_mfa_3</span> asks for three codes in a row; a name no scenario has
                  behaves like <span class="mono">user_good</span>.</span
                >
              </mat-radio-button>
            </mat-radio-group>
          }
        </fieldset>
        @if (username() === other) {
          <mat-form-field class="full">
            <mat-label>Username</mat-label>
            <input
              matInput
              name="customUsername"
              [(ngModel)]="customUsername"
              autocomplete="off"
              spellcheck="false"
              data-testid="catalogue-username"
            />
          </mat-form-field>
        }
        <div class="row">
          <mat-form-field>
            <mat-label>External id (optional)</mat-label>
            <input
              matInput
              name="externalId"
              [(ngModel)]="externalId"
              autocomplete="off"
              spellcheck="false"
              maxlength="255"
              data-testid="catalogue-external-id"
            />
            <mat-hint>Left empty: {{ externalIdExample() }}</mat-hint>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Source</mat-label>
            <mat-select name="source" [(ngModel)]="sourceId" data-testid="catalogue-source">
              @for (source of store.sources() ?? []; track source.id) {
                <mat-option [value]="source.id">{{ source.name || source.id }}</mat-option>
              }
            </mat-select>
            @if (store.sourcesError(); as error) {
              <mat-hint class="error-text">{{ error }}</mat-hint>
            } @else if (store.sources() === null) {
              <mat-hint>Loading sources…</mat-hint>
            }
          </mat-form-field>
        </div>
        @if (formError()) {
          <p class="error-text" role="alert">{{ formError() }}</p>
        }
        <div class="actions">
          <button mat-flat-button type="submit" [disabled]="!!action.busy()" data-testid="catalogue-create">
            <mat-icon aria-hidden="true">add</mat-icon>
            Create {{ chosenName() || 'credential' }} and verify
          </button>
        </div>
      </form>
      <dh-action-result [state]="action" testId="catalogue-result" progressLabel="Creating the credential">
        @if (created(); as credential) {
          @if (!action.busy()) {
            <p class="result">
              <mat-icon aria-hidden="true" class="ok">check_circle</mat-icon>
              <span
                >Created a <span class="mono">{{ createdName() }}</span> credential for
                <span class="mono">{{ credential.external_id }}</span>{{
                  verifyStarted() ? ' and started its verification' : ''
                }}
                — <a [routerLink]="['/credentials', credential.id]" data-testid="catalogue-open">open it</a>.</span
              >
            </p>
          }
        }
        <ng-container ngProjectAs="failure-detail">
          @if (action.failure() && created() && !verifyStarted()) {
            <button
              mat-stroked-button
              type="button"
              (click)="retryVerification()"
              [disabled]="!!action.busy()"
              data-testid="catalogue-verify-retry"
            >
              <mat-icon aria-hidden="true">refresh</mat-icon>Start its verification again
            </button>
          }
          @if (lines().length > 0) {
            <ul class="error-text">
              @for (line of lines(); track $index) {
                <li>{{ line }}</li>
              }
            </ul>
          }
        </ng-container>
      </dh-action-result>
    </section>
  `,
  styles: `
    :host {
      display: block;
    }
    .intro {
      margin-top: 0;
    }
    .picker-box {
      border: 0;
      padding: 0;
      margin: 0 0 12px;
    }
    legend {
      font-weight: 500;
      margin-bottom: 6px;
    }
    .picker {
      display: flex;
      flex-direction: column;
      max-height: 300px;
      overflow-y: auto;
      border: 1px solid var(--dh-line);
      border-radius: 8px;
      padding: 4px;
    }
    .option {
      padding: 2px 0;
      border-bottom: 1px solid #eef1f4;
    }
    .option:last-child {
      border-bottom: 0;
    }
    .option-name {
      font-weight: 600;
      margin-right: 8px;
    }
    .origin {
      font-size: 12px;
      padding: 0 6px;
      border-radius: 8px;
      background: #e3eefc;
      color: #0b3d75;
    }
    .option-text {
      display: block;
      color: var(--dh-muted);
      font-size: 13px;
    }
    .loading {
      display: grid;
      gap: 10px;
      padding: 8px 0;
    }
    .row {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 200px), 1fr));
      align-items: start;
      gap: 12px;
    }
    .full {
      width: 100%;
    }
    mat-form-field {
      width: 100%;
    }
    .actions {
      margin-top: 16px;
    }
    .result {
      display: flex;
      gap: 6px;
      align-items: flex-start;
    }
    .ok {
      color: var(--dh-good);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CatalogueCardComponent {
  protected readonly password = SANDBOX_PASSWORD;
  protected readonly other = OTHER;
  protected readonly username = signal('user_mfa');
  protected readonly customUsername = signal('');
  protected readonly externalId = signal('');
  protected readonly sourceId = signal<string | null>(null);
  protected readonly formError = signal<string | null>(null);
  protected readonly created = signal<CredentialView | null>(null);
  protected readonly createdName = signal('');
  protected readonly verifyStarted = signal(false);
  protected readonly action = new ActionState<void>();
  private readonly suffix = signal(shortId());

  protected readonly chosenName = computed(() =>
    this.username() === OTHER ? this.customUsername().trim() : this.username(),
  );
  protected readonly lines = computed(() => {
    const failure = this.action.failure();
    return failure ? problemLines(failure) : [];
  });
  protected readonly externalIdExample = computed(() => `qa-${this.chosenName() || 'user'}-${this.suffix()}`);

  protected readonly store = inject(SandboxStore);
  private readonly sandbox = inject(SandboxService);

  constructor() {
    // The first source is the default, and again after a reset seeds new ones.
    effect(() => {
      const sources = this.store.sources();
      const chosen = this.sourceId();
      if (sources && sources.length > 0 && !sources.some((s) => s.id === chosen)) {
        this.sourceId.set(sources[0].id);
      }
    });
  }

  protected async createCredential(): Promise<void> {
    const username = this.chosenName();
    const sourceId = this.sourceId();
    if (!username) {
      this.formError.set('Pick a username from the catalogue, or type one.');
      return;
    }
    if (!sourceId) {
      this.formError.set('Pick a source. If none is listed, the sandbox is not answering yet; reload the page.');
      return;
    }
    this.formError.set(null);
    this.created.set(null);
    this.verifyStarted.set(false);
    const externalId = this.externalId().trim() || this.externalIdExample();
    await this.action.run(
      `Creating ${username} for ${externalId}…`,
      async () => {
        const credential = await this.sandbox.createCredential(
          { source_id: sourceId, username, password: SANDBOX_PASSWORD, external_id: externalId },
          crypto.randomUUID(),
        );
        this.created.set(credential);
        this.createdName.set(username);
        this.action.busy.set('Starting its verification…');
        await this.sandbox.verifyCredential(credential.id);
        this.verifyStarted.set(true);
        this.externalId.set('');
        this.suffix.set(shortId());
      },
      (failure) => this.explain(failure),
    );
  }

  /** A credential was created but its verification did not start: start it again. */
  protected async retryVerification(): Promise<void> {
    const credential = this.created();
    if (!credential) {
      return;
    }
    await this.action.run(
      'Starting its verification…',
      async () => {
        await this.sandbox.verifyCredential(credential.id);
        this.verifyStarted.set(true);
      },
      (failure) => this.explain(failure),
    );
  }

  /** Refusals said with their likely reason. */
  private explain(failure: SandboxFailure): SandboxFailure {
    if (this.created()) {
      return {
        ...failure,
        sentence: `The credential was created, but its verification did not start: ${failure.sentence}`,
      };
    }
    if (failure.status === 404 && failure.problems.some((p) => p.field === 'source_id')) {
      void this.store.loadSources();
      return {
        ...failure,
        sentence:
          'Deck does not know this source: the sandbox was probably reset since this page loaded. The list of sources has been reloaded; pick one and try again.',
        problems: [],
      };
    }
    return failure;
  }
}
