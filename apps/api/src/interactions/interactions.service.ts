import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import type { InteractionState, InteractionView, LiveChange, Page } from '@app/contracts';
import type { DeckTaskRun } from '@app/deck';
import { Reader, Transactor } from '@app/sqlite';

import { AuditService } from '../audit/audit.service';
import { Actor, actorLabel } from '../auth/request-actor';
import { ApiError } from '../common/api-error';
import { Clock } from '../common/clock';
import { decodeSeekCursor, pageOf } from '../common/seek-cursor';
import { DeckClient } from '../deck/deck-client.service';
import { DeckIntents } from '../deck/deck-intents';
import { LivePublisher } from '../changes/live-publisher';
import type { InteractionRow } from '../mirror/interaction.entity';
import { MirrorRecords } from '../mirror/mirror-records';
import { MirrorService } from '../mirror/mirror.service';
import type { TaskRunRow } from '../mirror/task-run.entity';
import { toInteractionView } from '../mirror/views';
import { answerFor, checkAnswerFields, checkAnswerShape } from './answer-input';
import { ListInteractionsQueryDto } from './dto/list-interactions.query';

/**
 * A claim older than this was left by a request that died mid-way (the Deck
 * call alone gives up well before: 4 attempts of at most 10 s plus backoff),
 * so another operator may take the prompt over. The idempotency key stays the
 * same, so Deck cannot act on the prompt twice.
 */
const CLAIM_TTL_MS = 2 * 60_000;

const NOT_WAITING = 'This run is not waiting for an answer: the prompt was already answered or has closed.';

/** The prompt queue, and answers forwarded to Deck: exactly once, by whom, never what. */
@Injectable()
export class InteractionsService {
  private readonly logger = new Logger(InteractionsService.name);

  constructor(
    private readonly records: MirrorRecords,
    private readonly transactor: Transactor,
    private readonly reader: Reader,
    private readonly mirror: MirrorService,
    private readonly publisher: LivePublisher,
    private readonly audit: AuditService,
    private readonly deck: DeckClient,
    private readonly intents: DeckIntents,
    private readonly clock: Clock,
  ) {}

  /** Newest first; an end user sees only the prompts of its own credentials. */
  list(actor: Actor, query: ListInteractionsQueryDto): Promise<Page<InteractionView>> {
    const states = [...new Set<InteractionState>([...(query.state ?? []), ...(query.status ?? [])])];
    const limit = query.limit ?? 20;
    const after =
      query.cursor !== undefined ? decodeSeekCursor<[string, string]>(query.cursor, ['string', 'string']) : null;
    const filter = {
      states,
      credentialId: query.credential_id,
      ownExternalId: actor.kind === 'end_user' ? actor.externalId : null,
      after,
      take: limit + 1,
    };
    return this.reader.read(async (manager) =>
      pageOf(await this.records.prompts(manager, filter), limit, toInteractionView, (row) => [row.opened_at, row.id]),
    );
  }

  /**
   * Forwards an answer to the run's open prompt. The prompt is claimed first,
   * so of two operators answering at once exactly one reaches Deck; Deck is
   * called outside any transaction; a refusal releases the claim. The values
   * go to Deck only: not the database, the audit log, a log line or the answer.
   */
  async answer(actor: Actor, runId: string, input: Readonly<Record<string, unknown>>): Promise<InteractionView> {
    const shape = checkAnswerShape(input);
    if (shape.length > 0) {
      throw new ApiError('validation_failed', 'The answer is not valid.', shape);
    }
    const { run, prompt } = await this.reader.read((manager) => this.openPrompt(manager, actor, runId));
    const problems = checkAnswerFields(prompt.prompt, input);
    if (problems.length > 0) {
      throw new ApiError('validation_failed', 'The answer does not match the prompt.', problems);
    }
    const label = actorLabel(actor);
    const key = `answer:${prompt.id}`;
    await this.transactor.run((manager) => this.claim(manager, prompt.id, key, label));

    let answered: DeckTaskRun;
    try {
      answered = await this.deck.submitInteraction(run.deck_id, answerFor(prompt.prompt, input), {
        idempotencyKey: key,
      });
    } catch (error: unknown) {
      await this.transactor.run((manager) => this.release(manager, prompt.id, key, label));
      if (error instanceof ApiError && error.code === 'conflict') {
        await this.refresh(run.deck_id);
        throw new ApiError('conflict', NOT_WAITING);
      }
      throw error;
    }

    const { view, changes } = await this.transactor.run(async (manager) => {
      const row = await this.records.promptOrFail(manager, prompt.id);
      const changes: LiveChange[] = [];
      // A webhook may have closed the row meanwhile; it keeps the claim's name, so only a different state needs writing.
      if (row.state !== 'answered' || row.answered_by !== label) {
        changes.push(await this.mirror.markAnswered(manager, row, label));
      }
      changes.push(...(await this.mirror.recordTaskRun(manager, answered)).changes);
      await this.intents.complete(manager, key, answered.id);
      await this.audit.record(manager, label, 'interaction.answered', row.id, {
        task_run_id: run.id,
        fields: prompt.prompt.fields.map((field) => field.name),
      });
      return { view: toInteractionView(row), changes };
    });
    this.publisher.publish(changes);
    return view;
  }

  /** The run (visible to the caller) and its open prompt; 404 when invisible, 409 when nothing is waiting. */
  private async openPrompt(
    manager: EntityManager,
    actor: Actor,
    runId: string,
  ): Promise<{ run: TaskRunRow; prompt: InteractionRow }> {
    const run = await this.records.run(manager, runId);
    if (!run || !(await this.visibleTo(manager, actor, run))) {
      throw ApiError.notFound('The task run');
    }
    const prompt = await this.records.openPromptOf(manager, run.id);
    if (!prompt) {
      throw new ApiError('conflict', NOT_WAITING);
    }
    return { run, prompt };
  }

  private async visibleTo(manager: EntityManager, actor: Actor, run: TaskRunRow): Promise<boolean> {
    if (actor.kind === 'operator') {
      return true;
    }
    const credential = run.credential_id ? await this.records.credentialById(manager, run.credential_id) : null;
    return credential !== null && credential.external_id === actor.externalId;
  }

  /** Marks the prompt as being answered (still open, `answered_by` set, not closed); 409 if it is taken. */
  private async claim(manager: EntityManager, id: string, key: string, label: string): Promise<void> {
    const row = await this.records.prompt(manager, id);
    if (!row || row.state !== 'open') {
      throw new ApiError('conflict', NOT_WAITING);
    }
    const intent = await this.intents.find(manager, key);
    if (intent?.completed_at) {
      throw new ApiError('conflict', NOT_WAITING);
    }
    const abandoned = !intent || Date.parse(intent.created_at) < this.clock.nowMs() - CLAIM_TTL_MS;
    if (row.answered_by !== null && !abandoned) {
      throw new ApiError('conflict', 'Someone else is answering this prompt right now.');
    }
    await this.records.setAnsweredBy(manager, row, label);
    await this.intents.renew(manager, 'interaction.answer', key);
  }

  /** Deck did not take the answer: the prompt is free again for whoever holds the facts. */
  private async release(manager: EntityManager, id: string, key: string, label: string): Promise<void> {
    const row = await this.records.prompt(manager, id);
    if (row && row.state === 'open' && row.answered_by === label) {
      await this.records.setAnsweredBy(manager, row, null);
    }
    await this.intents.discardIn(manager, key);
  }

  /** Deck says the run moved on: bring the mirror up to date so the stale prompt leaves the queue. */
  private async refresh(deckRunId: string): Promise<void> {
    try {
      const run = await this.deck.getTaskRun(deckRunId);
      const { changes } = await this.transactor.run((manager) => this.mirror.recordTaskRun(manager, run));
      this.publisher.publish(changes);
    } catch (error: unknown) {
      this.logger.warn(
        `Could not refresh run ${deckRunId} after Deck refused an answer (${error instanceof Error ? error.message : 'unknown error'})`,
      );
    }
  }
}
