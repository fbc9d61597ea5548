import { HttpClient, HttpParams } from '@angular/common/http';
import { DestroyRef, computed, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { firstValueFrom } from 'rxjs';

import type { InteractionView, Page } from '@app/contracts';

import { RealtimeService } from '../realtime/realtime.service';

const PAGE_LIMIT = 100;
const MAX_PAGES = 10;

/**
 * Every open prompt, newest first, kept current from the live feed: the
 * header's badge and the queue page read the same list, so an answered prompt
 * leaves both at once, on every operator's screen.
 */
@Injectable({ providedIn: 'root' })
export class OpenPromptsStore {
  readonly items = signal<InteractionView[]>([]);
  readonly loaded = signal(false);
  readonly error = signal<unknown>(null);
  readonly count = computed(() => this.items().length);

  private readonly http = inject(HttpClient);
  private readonly realtime = inject(RealtimeService);
  private started = false;

  /** Loads the queue once and follows the feed from then on; later calls do nothing. */
  start(destroyRef: DestroyRef): void {
    if (this.started) {
      return;
    }
    this.started = true;
    this.realtime.changes$.pipe(takeUntilDestroyed(destroyRef)).subscribe((change) => {
      if (change.kind === 'interaction') {
        this.apply(change.interaction);
      }
    });
    this.realtime.refetch$.pipe(takeUntilDestroyed(destroyRef)).subscribe(() => void this.reload());
    destroyRef.onDestroy(() => (this.started = false));
    void this.reload();
  }

  async reload(): Promise<void> {
    try {
      const all: InteractionView[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        let params = new HttpParams().set('state', 'open').set('limit', PAGE_LIMIT);
        if (cursor) {
          params = params.set('cursor', cursor);
        }
        const answer: Page<InteractionView> = await firstValueFrom(
          this.http.get<Page<InteractionView>>('/api/interactions', { params }),
        );
        all.push(...answer.data);
        cursor = answer.next_cursor;
        if (!answer.has_more || !cursor) {
          break;
        }
      }
      this.items.set(all);
      this.error.set(null);
    } catch (error: unknown) {
      this.error.set(error);
    } finally {
      this.loaded.set(true);
    }
  }

  /** Takes a prompt out of the queue at once (this operator answered it); the feed confirms. */
  remove(id: string): void {
    this.items.update((items) => items.filter((item) => item.id !== id));
  }

  private apply(interaction: InteractionView): void {
    this.items.update((items) => {
      const rest = items.filter((item) => item.id !== interaction.id);
      if (interaction.state !== 'open') {
        return rest;
      }
      return [interaction, ...rest].sort((a, b) => b.opened_at.localeCompare(a.opened_at));
    });
  }
}
