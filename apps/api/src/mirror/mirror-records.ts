import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

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
 * set on a prompt: who is answering it. Every method runs on the caller's
 * EntityManager: a write transaction's, or a Reader's read.
 */
@Injectable()
export class MirrorRecords {
  /** By our id or Deck's. */
  credential(manager: EntityManager, id: string): Promise<CredentialRow | null> {
    return manager.findOne(CredentialRow, { where: [{ id }, { deck_id: id }] });
  }

  credentialById(manager: EntityManager, id: string): Promise<CredentialRow | null> {
    return manager.findOneBy(CredentialRow, { id });
  }

  /** Just the credential's external_id (null when it has none); null when there is no such credential. */
  externalIdOf(
    manager: EntityManager,
    credentialId: string,
  ): Promise<Pick<CredentialRow, 'id' | 'external_id'> | null> {
    return manager.findOne(CredentialRow, { where: { id: credentialId }, select: { id: true, external_id: true } });
  }

  /** The ids of one end user's credentials. */
  async credentialIdsOf(manager: EntityManager, externalId: string): Promise<string[]> {
    const rows = await manager.find(CredentialRow, { where: { external_id: externalId }, select: { id: true } });
    return rows.map((row) => row.id);
  }

  credentialByDeckId(manager: EntityManager, deckId: string): Promise<CredentialRow> {
    return manager.findOneByOrFail(CredentialRow, { deck_id: deckId });
  }

  run(manager: EntityManager, id: string): Promise<TaskRunRow | null> {
    return manager.findOneBy(TaskRunRow, { id });
  }

  runByDeckId(manager: EntityManager, deckId: string): Promise<TaskRunRow> {
    return manager.findOneByOrFail(TaskRunRow, { deck_id: deckId });
  }

  /** A credential's runs, newest first. */
  runsOf(manager: EntityManager, credentialId: string): Promise<TaskRunRow[]> {
    return manager.find(TaskRunRow, { where: { credential_id: credentialId }, order: { created_at: 'DESC' } });
  }

  /** A credential's prompts, newest first. */
  promptsOf(manager: EntityManager, credentialId: string): Promise<InteractionRow[]> {
    return manager.find(InteractionRow, { where: { credential_id: credentialId }, order: { opened_at: 'DESC' } });
  }

  /** The run's newest open prompt. */
  openPromptOf(manager: EntityManager, runId: string): Promise<InteractionRow | null> {
    return manager.findOne(InteractionRow, {
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
  prompts(manager: EntityManager, filter: PromptFilter): Promise<InteractionRow[]> {
    const qb = manager.createQueryBuilder(InteractionRow, 'i');
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
