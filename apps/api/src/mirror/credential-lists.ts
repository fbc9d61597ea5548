import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, SelectQueryBuilder } from 'typeorm';

import type { CredentialSort } from '@app/contracts';

import { CredentialRow } from './credential.entity';

/** Sort keys map to columns here and only here: ORDER BY cannot be parameterised. */
export const SORT_COLUMNS: Record<CredentialSort, { column: 'created_at' | 'status_changed_at'; descending: boolean }> =
  {
    created_at: { column: 'created_at', descending: false },
    '-created_at': { column: 'created_at', descending: true },
    status_changed_at: { column: 'status_changed_at', descending: false },
    '-status_changed_at': { column: 'status_changed_at', descending: true },
  };

/** `%` and `_` match themselves, not any text. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Every filter but status, the cursor and the sort: the set a list's counts describe. */
export interface CredentialFilter {
  /** An end user's external_id: it sees only its own credentials. */
  ownExternalId: string | null;
  sourceId?: string;
  externalId?: string;
  q?: string;
}

/** A page starts after this position: the sort column's value and the id that breaks ties. */
export interface ListPosition {
  value: string;
  id: string;
}

export interface StatusCount {
  status: string;
  n: number | string;
}

/**
 * The credentials table filtered, sorted, searched and counted, for the lists readers page through.
 * Each method reads on the caller's EntityManager, so a page and its counts can share one read.
 */
@Injectable()
export class CredentialLists {
  /** Up to `take` rows after `after`, keyset-paginated on the sort's column and the id. */
  page(
    manager: EntityManager,
    filter: CredentialFilter,
    statuses: string[] | null,
    sort: CredentialSort,
    after: ListPosition | null,
    take: number,
  ): Promise<CredentialRow[]> {
    const { column, descending } = SORT_COLUMNS[sort];
    const page = this.filtered(manager, filter);
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
    return page.orderBy(`c.${column}`, direction).addOrderBy('c.id', direction).take(take).getMany();
  }

  /**
   * Counts by status of the filtered set. Unfiltered (the usual list, whatever its status
   * filter, sort or page), they come from the per-status totals the database's triggers keep,
   * not from counting every row.
   */
  counts(manager: EntityManager, filter: CredentialFilter): Promise<StatusCount[]> {
    if (
      isSqlite(manager) &&
      filter.ownExternalId === null &&
      filter.sourceId === undefined &&
      filter.externalId === undefined &&
      !filter.q
    ) {
      return manager
        .createQueryBuilder()
        .select('k.status', 'status')
        .addSelect('k.n', 'n')
        .from('credential_status_counts', 'k')
        .getRawMany();
    }
    return this.filtered(manager, filter)
      .select('c.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .groupBy('c.status')
      .getRawMany();
  }

  /** Counts by source and status. */
  countsBySource(manager: EntityManager): Promise<(StatusCount & { source_id: string })[]> {
    return manager
      .createQueryBuilder(CredentialRow, 'c')
      .select('c.source_id', 'source_id')
      .addSelect('c.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .groupBy('c.source_id')
      .addGroupBy('c.status')
      .getRawMany<StatusCount & { source_id: string }>();
  }

  private filtered(manager: EntityManager, filter: CredentialFilter): SelectQueryBuilder<CredentialRow> {
    const qb = manager.createQueryBuilder(CredentialRow, 'c').where('1 = 1');
    if (filter.ownExternalId !== null) {
      qb.andWhere('c.external_id = :ownExternalId', { ownExternalId: filter.ownExternalId });
    }
    if (filter.sourceId !== undefined) {
      qb.andWhere('c.source_id = :sourceId', { sourceId: filter.sourceId });
    }
    if (filter.externalId !== undefined) {
      qb.andWhere('c.external_id = :externalId', { externalId: filter.externalId });
    }
    if (filter.q) {
      this.searchCandidates(manager, qb, filter.q);
      const pattern = `%${escapeLike(filter.q.toLowerCase())}%`;
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
   * Narrows free text to the rows the trigram index finds (SQLite FTS5; 3 characters or more).
   * Only a pre-filter: the LIKE conditions after it still decide, so `q` means exactly what it
   * did. Shorter text, or another database (PostgreSQL: pg_trgm indexes on the same LOWER(column)
   * LIKE), uses the LIKE conditions alone.
   */
  private searchCandidates(manager: EntityManager, qb: SelectQueryBuilder<CredentialRow>, text: string): void {
    if (!isSqlite(manager) || [...text].length < 3) {
      return;
    }
    qb.andWhere(`c.rowid IN (SELECT "rowid" FROM "credentials_search" WHERE "credentials_search" MATCH :phrase)`, {
      phrase: `"${text.replace(/"/g, '""')}"`,
    });
  }
}

function isSqlite(manager: EntityManager): boolean {
  return manager.connection.options.type === 'sqlite';
}
