import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';

import type { DeckList, DeckStorageItem } from '@app/deck';

import { SandboxClock } from '../scheduler/clock';
import { DeckError } from '../common/deck-error';
import { IdGenerator } from '../common/ids';
import { paginate } from '../common/pagination';
import { ListQueryDto } from '../common/query-transforms';
import { EventsService } from '../events/events.service';
import type { Task } from '../tasks/task.entity';
import { TaskRun } from '../task-runs/task-run.entity';
import { StorageItem } from './storage-item.entity';

export function toDeckStorageItem(item: StorageItem): DeckStorageItem {
  return {
    id: item.id,
    object: 'storage',
    file_name: item.file_name,
    file_type: item.file_type,
    file_size: item.file_size,
    // The sandbox keeps no file bodies, so there is nothing to sign a download for.
    url: null,
    metadata: item.metadata,
    fetch_date: item.fetch_date,
    extraction: item.extraction ?? null,
    result: item.result,
    task_run_id: item.task_run_id,
    created_at: item.created_at,
  };
}

/** Files runs capture when their task has storage on. */
@Injectable()
export class StorageService {
  constructor(
    @InjectRepository(StorageItem) private readonly items: Repository<StorageItem>,
    @InjectRepository(TaskRun) private readonly runs: Repository<TaskRun>,
    private readonly events: EventsService,
    private readonly clock: SandboxClock,
    private readonly ids: IdGenerator,
  ) {}

  async get(orgId: string, id: string): Promise<DeckStorageItem> {
    const item = await this.items.findOneBy({ org_id: orgId, id });
    if (!item) {
      throw DeckError.notFound('storage_not_found', 'storage item', id);
    }
    return toDeckStorageItem(item);
  }

  async listForRun(orgId: string, runId: string, query: ListQueryDto): Promise<DeckList<DeckStorageItem>> {
    if (!(await this.runs.existsBy({ org_id: orgId, id: runId }))) {
      throw DeckError.notFound('task_run_not_found', 'task run', runId);
    }
    const qb = this.items
      .createQueryBuilder('s')
      .where('s.org_id = :orgId AND s.task_run_id = :runId', { orgId, runId });
    const page = await paginate(qb, query, ['storage', runId]);
    return { ...page, data: page.data.map(toDeckStorageItem) };
  }

  /** Every item of a run, oldest first, for `include=storage`. */
  async allForRun(runId: string): Promise<DeckStorageItem[]> {
    const items = await this.items.find({ where: { task_run_id: runId }, order: { seq: 'ASC' } });
    return items.map(toDeckStorageItem);
  }

  /** A successful run of a task with storage on captures one statement, with its `storage.created` event. */
  async capture(manager: EntityManager, run: TaskRun, task: Task): Promise<void> {
    if (!task.storage?.enabled) {
      return;
    }
    const file = { file_name: 'statement.pdf', file_type: 'application/pdf', file_size: 48_213 };
    if (task.storage.deduplication && run.credential_id && (await this.capturedBefore(manager, run, file))) {
      return;
    }
    const now = this.clock.now().toISOString();
    const extraction = task.storage.extraction ? { document_type: 'statement', period: now.slice(0, 7) } : null;
    const item = manager.create(StorageItem, {
      id: this.ids.newId('storage'),
      org_id: run.org_id,
      task_run_id: run.id,
      ...file,
      metadata: { source_id: run.source_id },
      extraction,
      result: 'success',
      fetch_date: now,
      created_at: now,
      updated_at: now,
    });
    await manager.save(item);
    await this.events.record(manager, run.org_id, 'storage.created', item.id, { ...toDeckStorageItem(item) });
  }

  /**
   * Deduplication skips a file already captured for the same task and credential.
   * Sandbox files have no bytes, so name, type and size stand in for the file hash.
   */
  private capturedBefore(
    manager: EntityManager,
    run: TaskRun,
    file: Pick<StorageItem, 'file_name' | 'file_type' | 'file_size'>,
  ): Promise<boolean> {
    return manager
      .createQueryBuilder(StorageItem, 's')
      .innerJoin(TaskRun, 'r', 'r.id = s.task_run_id')
      .where('r.org_id = :orgId AND r.task_id = :taskId AND r.credential_id = :credentialId', {
        orgId: run.org_id,
        taskId: run.task_id,
        credentialId: run.credential_id,
      })
      .andWhere('s.file_name = :fileName AND s.file_type = :fileType AND s.file_size = :fileSize', {
        fileName: file.file_name,
        fileType: file.file_type,
        fileSize: file.file_size,
      })
      .getExists();
  }
}
