import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import type { CredentialDetail, CredentialList, CredentialSort, SourceCountsView } from '@app/contracts';
import { CREDENTIAL_STATUSES, CredentialStatus } from '@app/deck';
import { Reader } from '@app/sqlite';

import type { Actor } from '../auth/request-actor';
import { ApiError } from '../common/api-error';
import type { CredentialRow } from '../mirror/credential.entity';
import { CredentialFilter, CredentialLists, SORT_COLUMNS } from '../mirror/credential-lists';
import { MirrorRecords } from '../mirror/mirror-records';
import { toCredentialView, toInteractionView, toTaskRunView } from '../mirror/views';
import { SourcesService } from '../sources/sources.service';
import { ReceivedEventsService } from '../webhooks/received-events.service';
import { buildTimeline } from './credential-timeline';
import { ListCredentialsQueryDto } from './dto/list-credentials-query.dto';
import { decodeCursor, encodeCursor, filterDigest } from './list-cursor';

export const DEFAULT_LIMIT = 50;
const DEFAULT_SORT: CredentialSort = '-created_at';
/** A credential's detail shows at most this many of its newest events. */
const TIMELINE_EVENTS = 500;
/** How long the per-source counts wait for Deck's source names before answering without them. */
const SOURCE_NAMES_WAIT_MS = 2000;

function zeroCounts(): Record<CredentialStatus, number> {
  return Object.fromEntries(CREDENTIAL_STATUSES.map((s) => [s, 0])) as Record<CredentialStatus, number>;
}

/** Every filter but status, the cursor and the sort: the set the counts describe. */
function filterOf(actor: Actor, query: ListCredentialsQueryDto): CredentialFilter {
  return {
    ownExternalId: actor.kind === 'end_user' ? actor.externalId : null,
    sourceId: query.source_id,
    externalId: query.external_id,
    q: query.q,
  };
}

/** The mirror as operators (everything) and connect pages (their own external_id) read it. */
@Injectable()
export class CredentialQueriesService {
  constructor(
    private readonly lists: CredentialLists,
    private readonly records: MirrorRecords,
    private readonly reader: Reader,
    private readonly sources: SourcesService,
    private readonly receivedEvents: ReceivedEventsService,
  ) {}

  /** Filtered, sorted, keyset-paginated, with counts by status. */
  list(actor: Actor, query: ListCredentialsQueryDto): Promise<CredentialList> {
    const sort = query.sort ?? DEFAULT_SORT;
    const limit = query.limit ?? DEFAULT_LIMIT;
    const { column } = SORT_COLUMNS[sort];
    const statuses = query.status?.length ? [...new Set(query.status)].sort() : null;
    const digest = filterDigest([
      statuses,
      query.source_id ?? null,
      query.external_id ?? null,
      query.q ?? null,
      actor.kind === 'end_user' ? actor.externalId : null,
    ]);
    const after = query.cursor ? decodeCursor(query.cursor, sort, digest) : null;

    // The page and its counts in one read, so they describe the same committed state.
    return this.reader.read(async (manager) => {
      const filter = filterOf(actor, query);
      const rows = await this.lists.page(manager, filter, statuses, sort, after, limit + 1);
      const hasMore = rows.length > limit;
      const data = rows.slice(0, limit);
      const last = data[data.length - 1];

      const counted = await this.lists.counts(manager, filter);
      const counts = zeroCounts();
      for (const { status, n } of counted) {
        if (status in counts) {
          counts[status as CredentialStatus] = Number(n);
        }
      }
      return {
        data: data.map(toCredentialView),
        has_more: hasMore,
        next_cursor: hasMore && last ? encodeCursor(sort, digest, { value: last[column], id: last.id }) : null,
        counts,
      };
    });
  }

  /** Every source that has credentials, with counts by status (all four, zeros included); the largest first. */
  async bySource(): Promise<SourceCountsView[]> {
    const [counted, names] = await Promise.all([
      this.reader.read((manager) => this.lists.countsBySource(manager)),
      this.sources.names(SOURCE_NAMES_WAIT_MS),
    ]);
    const bySource = new Map<string, SourceCountsView>();
    for (const { source_id: sourceId, status, n } of counted) {
      let view = bySource.get(sourceId);
      if (!view) {
        view = { source_id: sourceId, name: names?.get(sourceId) ?? null, total: 0, counts: zeroCounts() };
        bySource.set(sourceId, view);
      }
      view.total += Number(n);
      if (status in view.counts) {
        view.counts[status as CredentialStatus] += Number(n);
      }
    }
    return [...bySource.values()].sort(
      (a, b) => b.total - a.total || (a.source_id < b.source_id ? -1 : a.source_id > b.source_id ? 1 : 0),
    );
  }

  /** The credential with its runs and prompts (newest first) and a merged timeline. */
  async detail(actor: Actor, id: string): Promise<CredentialDetail> {
    // One read, so the timeline's events, runs and prompts agree with each other.
    const { credential, runs, interactions, events } = await this.reader.read(async (manager) => {
      const row = await this.visible(manager, actor, id);
      return {
        credential: row,
        runs: (await this.records.runsOf(manager, row.id)).map(toTaskRunView),
        interactions: (await this.records.promptsOf(manager, row.id)).map(toInteractionView),
        events: await this.receivedEvents.aboutCredential(manager, row.deck_id, TIMELINE_EVENTS),
      };
    });
    return {
      credential: toCredentialView(credential),
      runs,
      interactions,
      timeline: buildTimeline(events, runs, interactions),
    };
  }

  /**
   * A credential the actor may see, by our id or Deck's. A connect page sees
   * only its own external_id's; anything else is "not found", not "forbidden",
   * so ids of other users' credentials cannot be probed.
   */
  async visible(manager: EntityManager, actor: Actor, id: string): Promise<CredentialRow> {
    const row = id.length <= 64 ? await this.records.credential(manager, id) : null;
    if (!row || (actor.kind === 'end_user' && row.external_id !== actor.externalId)) {
      throw ApiError.notFound('The credential');
    }
    return row;
  }
}
