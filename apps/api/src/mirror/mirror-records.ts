import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';

import type { InteractionState } from '@app/contracts';

import { CredentialRow } from './credential.entity';
import { InteractionRow } from './interaction.entity';
import { TaskRunRow } from './task-run.entity';

/** Which prompts a queue shows, newest first. */
export interface PromptFilter {
  states: InteractionState[];
  credentialId?: string;
  /** An end user's external_id: only the prompts of its own credentials. */
  ownExternalId: string | null;
  /** Start after this (opened_at, id). */
  after: [openedAt: string, id: string] | null;
  take: number;
}

/**
 * The mirror's rows as other modules read them, and the one field they may
 * set on a prompt: who is answering it. Methods taking an EntityManager run
 * in the caller's transaction; the others are plain reads.
 */
@Injectable()
export class MirrorRecords {
  constructor(
    @InjectRepository(CredentialRow) private readonly credentials: Repository<CredentialRow>,
    @InjectRepository(TaskRunRow) private readonly runs: Repository<TaskRunRow>,
    @InjectRepository(InteractionRow) private readonly interactions: Repository<InteractionRow>,
  ) {}

  /** By our id or Deck's. */
  credential(id: string): Promise<CredentialRow | null> {
    return this.credentials.findOne({ where: [{ id }, { deck_id: id }] });
  }

  credentialById(id: string): Promise<CredentialRow | null> {
    return this.credentials.findOneBy({ id });
  }

  /** Just the credential's external_id (null when it has none); null when there is no such credential. */
  externalIdOf(credentialId: string): Promise<Pick<CredentialRow, 'id' | 'external_id'> | null> {
    return this.credentials.findOne({ where: { id: credentialId }, select: { id: true, external_id: true } });
  }

  /** The ids of one end user's credentials. */
  async credentialIdsOf(externalId: string): Promise<string[]> {
    const rows = await this.credentials.find({ where: { external_id: externalId }, select: { id: true } });
    return rows.map((row) => row.id);
  }

  credentialByDeckId(manager: EntityManager, deckId: string): Promise<CredentialRow> {
    return manager.findOneByOrFail(CredentialRow, { deck_id: deckId });
  }

  run(id: string): Promise<TaskRunRow | null> {
    return this.runs.findOneBy({ id });
  }

  runByDeckId(manager: EntityManager, deckId: string): Promise<TaskRunRow> {
    return manager.findOneByOrFail(TaskRunRow, { deck_id: deckId });
  }

  /** A credential's runs, newest first. */
  runsOf(credentialId: string): Promise<TaskRunRow[]> {
    return this.runs.find({ where: { credential_id: credentialId }, order: { created_at: 'DESC' } });
  }

  /** A credential's prompts, newest first. */
  promptsOf(credentialId: string): Promise<InteractionRow[]> {
    return this.interactions.find({ where: { credential_id: credentialId }, order: { opened_at: 'DESC' } });
  }

  /** The run's newest open prompt. */
  openPromptOf(runId: string): Promise<InteractionRow | null> {
    return this.interactions.findOne({
      where: { task_run_id: runId, state: 'open' },
      order: { opened_at: 'DESC', id: 'DESC' },
    });
  }

  prompt(manager: EntityManager, id: string): Promise<InteractionRow | null> {
    return manager.findOneBy(InteractionRow, { id });
  }

  promptOrFail(manager: EntityManager, id: string): Promise<InteractionRow> {
    return manager.findOneByOrFail(InteractionRow, { id });
  }

  /** Marks who is answering an open prompt (null: nobody any more); the prompt stays open. */
  async setAnsweredBy(manager: EntityManager, prompt: InteractionRow, label: string | null): Promise<void> {
    prompt.answered_by = label;
    await manager.save(prompt);
  }

  /** Prompts newest first, `take` of them at most. */
  prompts(filter: PromptFilter): Promise<InteractionRow[]> {
    const qb = this.interactions.createQueryBuilder('i');
    if (filter.states.length > 0) {
      qb.andWhere('i.state IN (:...states)', { states: filter.states });
    }
    if (filter.credentialId !== undefined) {
      qb.andWhere('i.credential_id = :credentialId', { credentialId: filter.credentialId });
    }
    if (filter.ownExternalId !== null) {
      const own = qb
        .subQuery()
        .select('c.id')
        .from(CredentialRow, 'c')
        .where('c.external_id = :externalId', { externalId: filter.ownExternalId })
        .getQuery();
      qb.andWhere(`i.credential_id IN ${own}`);
    }
    if (filter.after !== null) {
      const [openedAt, id] = filter.after;
      qb.andWhere('(i.opened_at < :openedAt OR (i.opened_at = :openedAt AND i.id < :id))', { openedAt, id });
    }
    return qb.orderBy('i.opened_at', 'DESC').addOrderBy('i.id', 'DESC').limit(filter.take).getMany();
  }
}
