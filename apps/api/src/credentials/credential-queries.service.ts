import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, Repository, SelectQueryBuilder } from 'typeorm';

import type { CredentialDetail, CredentialList, CredentialSort, SourceCountsView } from '@app/contracts';
import { CREDENTIAL_STATUSES, CredentialStatus } from '@app/deck';
import { Transactor } from '@app/sqlite';

import type { Actor } from '../auth/request-actor';
import { ApiError } from '../common/api-error';
import { InteractionRow } from '../interactions/interaction.entity';
import { toCredentialView, toInteractionView, toTaskRunView } from '../mirror/views';
import { TaskRunRow } from '../task-runs/task-run.entity';
import { SourcesService } from '../sources/sources.service';
import { ReceivedEventsService } from '../webhooks/received-events.service';
import { buildTimeline } from './credential-timeline';
import { CredentialRow } from './credential.entity';
import { ListCredentialsQueryDto } from './dto/list-credentials-query.dto';
import { decodeCursor, encodeCursor, filterDigest } from './list-cursor';

export const DEFAULT_LIMIT = 50;
const DEFAULT_SORT: CredentialSort = '-created_at';
/** A credential's detail shows at most this many of its newest events. */
const TIMELINE_EVENTS = 500;
/** How long the per-source counts wait for Deck's source names before answering without them. */
const SOURCE_NAMES_WAIT_MS = 2000;

/** Sort keys map to columns here and only here: ORDER BY cannot be parameterised. */
const SORT_COLUMNS: Record<CredentialSort, { column: 'created_at' | 'status_changed_at'; descending: boolean }> = {
  created_at: { column: 'created_at', descending: false },
  '-created_at': { column: 'created_at', descending: true },
  status_changed_at: { column: 'status_changed_at', descending: false },
  '-status_changed_at': { column: 'status_changed_at', descending: true },
};

function zeroCounts(): Record<CredentialStatus, number> {
  return Object.fromEntries(CREDENTIAL_STATUSES.map((s) => [s, 0])) as Record<CredentialStatus, number>;
}

/** `%` and `_` match themselves, not any text (B7 #62). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The mirror as operators (everything) and connect pages (their own external_id) read it. */
@Injectable()
export class CredentialQueriesService {
  constructor(
    @InjectRepository(CredentialRow) private readonly credentials: Repository<CredentialRow>,
    @InjectRepository(TaskRunRow) private readonly runs: Repository<TaskRunRow>,
    @InjectRepository(InteractionRow) private readonly interactions: Repository<InteractionRow>,
    private readonly transactor: Transactor,
    private readonly sources: SourcesService,
    private readonly receivedEvents: ReceivedEventsService,
  ) {}

  /** Filtered, sorted, keyset-paginated, with counts by status. */
  list(actor: Actor, query: ListCredentialsQueryDto): Promise<CredentialList> {
    const sort = query.sort ?? DEFAULT_SORT;
    const limit = query.limit ?? DEFAULT_LIMIT;
    const { column, descending } = SORT_COLUMNS[sort];
    const statuses = query.status?.length ? [...new Set(query.status)].sort() : null;
    const digest = filterDigest([
      statuses,
      query.source_id ?? null,
      query.external_id ?? null,
      query.q ?? null,
      actor.kind === 'end_user' ? actor.externalId : null,
    ]);
    const after = query.cursor ? decodeCursor(query.cursor, sort, digest) : null;

    return this.transactor.exclusive(async () => {
      const page = this.filtered(actor, query);
      if (statuses) {
        page.andWhere('c.status IN (:...statuses)', { statuses });
      }
      if (after) {
        // A row value, so the (column, id) index seeks straight to the cursor instead of walking past earlier pages.
        const op = descending ? '<' : '>';
        page.andWhere(`(c.${column}, c.id) ${op} (:afterValue, :afterId)`, {
          afterValue: after.value,
          afterId: after.id,
        });
      }
      const direction = descending ? 'DESC' : 'ASC';
      const rows = await page
        .orderBy(`c.${column}`, direction)
        .addOrderBy('c.id', direction)
        .take(limit + 1)
        .getMany();
      const hasMore = rows.length > limit;
      const data = rows.slice(0, limit);
      const last = data[data.length - 1];

      const counted = await this.counted(actor, query);
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
      this.transactor.exclusive(() =>
        this.credentials
          .createQueryBuilder('c')
          .select('c.source_id', 'source_id')
          .addSelect('c.status', 'status')
          .addSelect('COUNT(*)', 'n')
          .groupBy('c.source_id')
          .addGroupBy('c.status')
          .getRawMany<{ source_id: string; status: string; n: number | string }>(),
      ),
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
    const { credential, runs, interactions } = await this.transactor.exclusive(async () => {
      const row = await this.visible(actor, id);
      return {
        credential: row,
        runs: (await this.runs.find({ where: { credential_id: row.id }, order: { created_at: 'DESC' } })).map(
          toTaskRunView,
        ),
        interactions: (
          await this.interactions.find({ where: { credential_id: row.id }, order: { opened_at: 'DESC' } })
        ).map(toInteractionView),
      };
    });
    const events = await this.receivedEvents.aboutCredential(credential.deck_id, TIMELINE_EVENTS);
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
  async visible(actor: Actor, id: string): Promise<CredentialRow> {
    const row = id.length <= 64 ? await this.credentials.findOne({ where: [{ id }, { deck_id: id }] }) : null;
    if (!row || (actor.kind === 'end_user' && row.external_id !== actor.externalId)) {
      throw ApiError.notFound('The credential');
    }
    return row;
  }

  /** Every filter but status, the cursor and the sort: the set the counts describe. */
  private filtered(actor: Actor, query: ListCredentialsQueryDto): SelectQueryBuilder<CredentialRow> {
    const qb = this.credentials.createQueryBuilder('c').where('1 = 1');
    if (actor.kind === 'end_user') {
      qb.andWhere('c.external_id = :ownExternalId', { ownExternalId: actor.externalId });
    }
    if (query.source_id !== undefined) {
      qb.andWhere('c.source_id = :sourceId', { sourceId: query.source_id });
    }
    if (query.external_id !== undefined) {
      qb.andWhere('c.external_id = :externalId', { externalId: query.external_id });
    }
    if (query.q) {
      this.searchCandidates(qb, query.q);
      const pattern = `%${escapeLike(query.q.toLowerCase())}%`;
      qb.andWhere(
        new Brackets((w) =>
          w
            .where("LOWER(c.external_id) LIKE :q ESCAPE '\\'", { q: pattern })
            .orWhere("LOWER(c.username_hint) LIKE :q ESCAPE '\\'")
            .orWhere("LOWER(c.deck_id) LIKE :q ESCAPE '\\'"),
        ),
      );
    }
    return qb;
  }

  /**
   * Counts by status of the filtered set. Unfiltered (the usual list, whatever its status
   * filter, sort or page), they come from the per-status totals the database's triggers keep,
   * not from counting every row.
   */
  private counted(actor: Actor, query: ListCredentialsQueryDto): Promise<{ status: string; n: number | string }[]> {
    if (
      this.isSqlite() &&
      actor.kind !== 'end_user' &&
      query.source_id === undefined &&
      query.external_id === undefined &&
      !query.q
    ) {
      return this.credentials.manager
        .createQueryBuilder()
        .select('k.status', 'status')
        .addSelect('k.n', 'n')
        .from('credential_status_counts', 'k')
        .getRawMany();
    }
    return this.filtered(actor, query)
      .select('c.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .groupBy('c.status')
      .getRawMany();
  }

  /**
   * Narrows free text to the rows the trigram index finds (SQLite FTS5; 3 characters or more).
   * Only a pre-filter: the LIKE conditions after it still decide, so `q` means exactly what it
   * did. Shorter text, or another database (PostgreSQL: pg_trgm indexes on the same LOWER(column)
   * LIKE), uses the LIKE conditions alone.
   */
  private searchCandidates(qb: SelectQueryBuilder<CredentialRow>, text: string): void {
    if (!this.isSqlite() || [...text].length < 3) {
      return;
    }
    qb.andWhere(`c.rowid IN (SELECT "rowid" FROM "credentials_search" WHERE "credentials_search" MATCH :phrase)`, {
      phrase: `"${text.replace(/"/g, '""')}"`,
    });
  }

  private isSqlite(): boolean {
    return this.credentials.manager.connection.options.type === 'sqlite';
  }
}
