import { ChangeDetectionStrategy, Component, computed, input, linkedSignal } from '@angular/core';

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * A collapsible view of a JSON value. Strings from Deck are shown as text
 * (interpolated, never bound as HTML).
 */
@Component({
  selector: 'dh-json-viewer',
  imports: [JsonViewerComponent],
  template: `
    @let v = value();
    @if (isContainer()) {
      <span class="node">
        <button type="button" class="toggle" [attr.aria-expanded]="open()" (click)="open.set(!open())">
          <span class="material-icons" aria-hidden="true">{{ open() ? 'expand_more' : 'chevron_right' }}</span>
          @if (name() !== null) {
            <span class="key">{{ name() }}</span>:
          }
          <span class="muted">{{ summary() }}</span>
        </button>
        @if (open()) {
          <ul>
            @for (entry of entries(); track entry[0]) {
              <li><dh-json-viewer [value]="entry[1]" [name]="entry[0]" [depth]="depth() + 1" /></li>
            }
          </ul>
        }
      </span>
    } @else {
      <span class="leaf">
        @if (name() !== null) {
          <span class="key">{{ name() }}</span>:
        }
        <span [class]="'v-' + kind()">{{ kind() === 'string' ? '"' + v + '"' : v === null ? 'null' : v }}</span>
      </span>
    }
  `,
  styles: `
    :host {
      font-family: 'Roboto Mono', ui-monospace, Menlo, Consolas, monospace;
      font-size: 13px;
      line-height: 1.6;
    }
    ul {
      list-style: none;
      margin: 0;
      padding-left: 20px;
      border-left: 1px dashed var(--dh-line);
    }
    .toggle {
      border: 0;
      background: none;
      font: inherit;
      padding: 0;
      cursor: pointer;
      display: inline-flex;
      align-items: center;
      color: inherit;
    }
    .toggle:focus-visible {
      outline: 2px solid var(--dh-brand);
    }
    .toggle .material-icons {
      font-size: 18px;
    }
    .leaf {
      padding-left: 18px;
      word-break: break-word;
    }
    .key {
      color: #6b2a8f;
    }
    .v-string {
      color: #0b6b3a;
    }
    .v-number,
    .v-boolean {
      color: #0b3d75;
    }
    .v-null {
      color: #4a5361;
      font-style: italic;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class JsonViewerComponent {
  readonly value = input.required<unknown>();
  readonly name = input<string | null>(null);
  readonly depth = input(0);

  /** Deep levels start folded so a large payload opens readable. */
  protected readonly open = linkedSignal(() => this.depth() < 2);
  protected readonly isContainer = computed(() => typeof this.value() === 'object' && this.value() !== null);
  protected readonly kind = computed(() => {
    const v = this.value();
    return v === null ? 'null' : typeof v;
  });
  protected readonly entries = computed<[string, JsonValue][]>(() => {
    const v = this.value() as JsonValue;
    return Array.isArray(v) ? v.map((item, i) => [String(i), item]) : Object.entries(v as Record<string, JsonValue>);
  });
  protected readonly summary = computed(() => {
    const v = this.value();
    const n = this.entries().length;
    return Array.isArray(v) ? `[${n} item${n === 1 ? '' : 's'}]` : `{${n} key${n === 1 ? '' : 's'}}`;
  });
}
