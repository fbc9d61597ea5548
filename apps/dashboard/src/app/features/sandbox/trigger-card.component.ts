import { ChangeDetectionStrategy, Component, computed, effect, inject, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';

import type { CredentialView } from '@app/contracts';
import { EVENT_TYPES, type EventType, ID_PREFIX } from '@app/deck';

import { ActionResultComponent } from './action-result.component';
import { ActionState } from './action-state';
import { describeSandboxProblem } from './sandbox-errors';
import { SandboxService, TriggerRequest } from './sandbox.service';
import { SandboxStore } from './sandbox.store';

type ObjectKind = keyof typeof ID_PREFIX;

/** Event types grouped by the object they are about (`task_run.completed` → task_run). */
const EVENT_GROUPS = [...new Set(EVENT_TYPES.map((t) => t.split('.')[0]))].map((kind) => ({
  kind,
  label: kind.replace(/_/g, ' '),
  types: EVENT_TYPES.filter((t) => t.startsWith(`${kind}.`)),
}));

/** The JSON `data` field: empty, or an object whose fields replace the snapshot's. */
export function readEventData(
  text: string,
): { ok: true; data: Record<string, unknown> | undefined } | { ok: false; problem: string } {
  if (text.trim() === '') {
    return { ok: true, data: undefined };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error: unknown) {
    const detail = error instanceof Error ? error.message : '';
    return { ok: false, problem: `This is not valid JSON${detail ? ` (${detail})` : ''}.` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      problem: 'Write a JSON object, such as {"status": "invalid"}: its fields replace the event\'s.',
    };
  }
  return { ok: true, data: value as Record<string, unknown> };
}

/** Section 3: any event type, for a chosen credential (or another object), with data of your own. */
@Component({
  selector: 'dh-trigger-card',
  imports: [
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    ActionResultComponent,
  ],
  template: `
    <section class="panel" aria-labelledby="trigger-title" data-testid="trigger-card">
      <h2 id="trigger-title">Trigger an event</h2>
      <p class="muted intro">
        The sandbox sends the event to every destination (the api among them) as if it had happened. Nothing else
        changes at Deck: only the api's copy follows the event.
      </p>
      <form (ngSubmit)="triggerEvent()" novalidate>
        <mat-form-field class="full">
          <mat-label>Event type</mat-label>
          <mat-select name="type" [(ngModel)]="type" data-testid="trigger-type">
            @for (group of groups; track group.kind) {
              <mat-optgroup [label]="group.label">
                @for (t of group.types; track t) {
                  <mat-option [value]="t" [attr.data-type]="t">{{ t }}</mat-option>
                }
              </mat-optgroup>
            }
          </mat-select>
        </mat-form-field>

        @if (kind() === 'credential') {
          <mat-form-field class="full">
            <mat-label>Credential</mat-label>
            <mat-select
              name="credential"
              [(ngModel)]="credentialDeckId"
              (openedChange)="$event && loadCredentials()"
              data-testid="trigger-credential"
            >
              <mat-option value="">The newest credential</mat-option>
              @for (credential of credentials() ?? []; track credential.id) {
                <mat-option [value]="credential.deck_id" [attr.data-deck-id]="credential.deck_id">
                  {{ credential.external_id || '(no external id)' }} · {{ credential.username_hint || '—' }} ·
                  {{ statusWord(credential) }}
                </mat-option>
              }
            </mat-select>
            @if (credentialsError(); as error) {
              <mat-hint class="error-text">{{ error }}</mat-hint>
            } @else if (credentials() === null) {
              <mat-hint>Loading credentials…</mat-hint>
            } @else if (credentials()!.length === 0) {
              <mat-hint>No credentials yet: create one above first.</mat-hint>
            } @else {
              <mat-hint>External id · username · status; the sandbox is sent Deck's id.</mat-hint>
            }
          </mat-form-field>
        } @else {
          <mat-form-field class="full">
            <mat-label>{{ kindLabel() }} id (optional)</mat-label>
            <input
              matInput
              name="objectId"
              [(ngModel)]="objectId"
              autocomplete="off"
              spellcheck="false"
              [placeholder]="prefix() + '…'"
              data-testid="trigger-object-id"
            />
            <mat-hint>Left empty: the organisation's newest {{ kindLabel() }}.</mat-hint>
          </mat-form-field>
        }

        <mat-form-field class="full">
          <mat-label>data (optional JSON object)</mat-label>
          <textarea
            matInput
            name="data"
            rows="3"
            class="mono"
            spellcheck="false"
            [ngModel]="dataText()"
            (ngModelChange)="dataText.set($event); dataProblem.set(null)"
            placeholder='{"status": "invalid"}'
            data-testid="trigger-data"
          ></textarea>
          <mat-hint>Its fields replace the same top-level fields of the object's snapshot in the event.</mat-hint>
        </mat-form-field>
        @if (dataProblem(); as problem) {
          <p class="error-text" role="alert" data-testid="trigger-data-error">{{ problem }}</p>
        }
        <div class="actions">
          <button mat-flat-button type="submit" [disabled]="!!action.busy()" data-testid="trigger-submit">
            <mat-icon aria-hidden="true">bolt</mat-icon>Send {{ type() }}
          </button>
        </div>
      </form>
      <dh-action-result [state]="action" testId="trigger-result" progressLabel="Sending the event" />
    </section>
  `,
  styles: `
    :host {
      display: block;
    }
    .intro {
      margin-top: 0;
    }
    .full {
      width: 100%;
      margin-bottom: 8px;
    }
    .actions {
      margin-top: 8px;
    }
    textarea {
      font-family: 'Roboto Mono', ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
      font-size: 13px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TriggerCardComponent {
  protected readonly groups = EVENT_GROUPS;
  protected readonly type = signal<EventType>('credential.invalid');
  protected readonly credentialDeckId = signal('');
  protected readonly objectId = signal('');
  protected readonly dataText = signal('');
  protected readonly dataProblem = signal<string | null>(null);
  protected readonly credentials = signal<CredentialView[] | null>(null);
  protected readonly credentialsError = signal<string | null>(null);
  protected readonly action = new ActionState();

  protected readonly kind = computed(() => this.type().split('.')[0] as ObjectKind);
  protected readonly kindLabel = computed(() => this.kind().replace(/_/g, ' '));
  protected readonly prefix = computed(() => ID_PREFIX[this.kind()] ?? '');

  private readonly sandbox = inject(SandboxService);
  private readonly store = inject(SandboxStore);

  constructor() {
    effect(() => {
      this.store.resets();
      untracked(() => {
        this.credentialDeckId.set('');
        void this.loadCredentials();
      });
    });
  }

  protected statusWord(credential: CredentialView): string {
    return credential.status.replace(/_/g, ' ');
  }

  protected async loadCredentials(): Promise<void> {
    try {
      this.credentials.set((await this.sandbox.credentials({ limit: 100 })).data);
      this.credentialsError.set(null);
    } catch (error: unknown) {
      this.credentialsError.set(describeSandboxProblem(error).sentence);
    }
  }

  protected async triggerEvent(): Promise<void> {
    const data = readEventData(this.dataText());
    if (!data.ok) {
      this.dataProblem.set(data.problem);
      return;
    }
    const type = this.type();
    const request: TriggerRequest = { type };
    if (this.kind() === 'credential') {
      if (this.credentialDeckId()) {
        request.credential_id = this.credentialDeckId();
      }
    } else if (this.objectId().trim()) {
      request.object_id = this.objectId().trim();
    }
    if (data.data) {
      request.data = data.data;
    }
    await this.action.run(`Sending ${type}…`, async () => {
      const event = await this.sandbox.trigger(request);
      const about = typeof event.data['id'] === 'string' ? ` for ${event.data['id']}` : '';
      return `Sent ${event.type} (${event.id})${about}. The api's copy follows once the webhook arrives.`;
    });
  }
}
