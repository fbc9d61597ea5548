import { Injectable } from '@nestjs/common';

import type { SourceView } from '@app/contracts';
import type { DeckSource } from '@app/deck';

import type { Actor } from '../auth/request-actor';
import { Clock } from '../common/clock';
import { DeckClient } from '../deck/deck-client.service';
import { SandboxService } from '../sandbox/sandbox.service';

/** Sources change rarely; a minute-old list saves a Deck round trip on every connect page load. */
export const SOURCES_TTL_MS = 60_000;

function toSourceView(source: DeckSource): SourceView {
  return { id: source.id, name: source.name, url: source.website?.url ?? '' };
}

/** Deck's sources, read through a short cache. */
@Injectable()
export class SourcesService {
  private cached: { at: number; sources: SourceView[] } | null = null;
  /** One fetch at a time: concurrent callers share it. */
  private pending: Promise<SourceView[]> | null = null;

  constructor(
    private readonly deck: DeckClient,
    private readonly clock: Clock,
    sandbox: SandboxService,
  ) {
    // A sandbox reset gives the sources new ids.
    sandbox.onReset(() => (this.cached = null));
  }

  /** Every source, or only the link's own when the link names one. */
  async list(actor: Actor): Promise<SourceView[]> {
    const sources = await this.all();
    return actor.kind === 'end_user' && actor.sourceId ? sources.filter((s) => s.id === actor.sourceId) : sources;
  }

  /** Whether Deck has this source; a miss refreshes the cache once, so a source made a moment ago is found. */
  async exists(id: string): Promise<boolean> {
    if ((await this.all()).some((s) => s.id === id)) {
      return true;
    }
    return (await this.all(true)).some((s) => s.id === id);
  }

  /**
   * Source names by id, for labels that must not wait on Deck: the list as of
   * `waitMs` at most, else the last one fetched however old, else null. A slow
   * fetch carries on and fills the cache for the next caller.
   */
  async names(waitMs: number): Promise<Map<string, string | null> | null> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), waitMs);
      timer.unref();
    });
    const sources = await Promise.race([this.all().catch(() => null), late]).finally(() => clearTimeout(timer));
    const known = sources ?? this.cached?.sources ?? null;
    return known ? new Map(known.map((s) => [s.id, s.name])) : null;
  }

  private all(fresh = false): Promise<SourceView[]> {
    if (!fresh && this.cached && this.clock.nowMs() - this.cached.at < SOURCES_TTL_MS) {
      return Promise.resolve(this.cached.sources);
    }
    this.pending ??= this.fetch().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async fetch(): Promise<SourceView[]> {
    const sources: SourceView[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.deck.listSources(cursor);
      sources.push(...page.data.map(toSourceView));
      cursor = page.has_more && page.next_cursor ? page.next_cursor : undefined;
    } while (cursor);
    this.cached = { at: this.clock.nowMs(), sources };
    return sources;
  }
}
