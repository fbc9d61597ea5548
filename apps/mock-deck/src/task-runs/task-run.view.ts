import type { DeckStorageItem, DeckTaskRun, TaskRunInclude } from '@app/deck';

import type { TaskRun } from './task-run.entity';

/** A task run as the REST API returns it; `include` adds the sections asked for, and only those. */
export function toDeckTaskRun(
  run: TaskRun,
  include: readonly TaskRunInclude[] = [],
  storage: DeckStorageItem[] = [],
): DeckTaskRun {
  const view: DeckTaskRun = {
    id: run.id,
    object: 'task_run',
    status: run.status,
    result: run.result,
    task_id: run.task_id,
    credential_id: run.credential_id,
    session_id: run.session_id,
    workflow_id: null,
    agent_id: run.agent_id,
    source_id: run.source_id,
    runtime_ms: run.runtime_ms,
    output: run.output ?? null,
    errors: run.errors,
    interaction: run.interaction,
    canceled_at: run.canceled_at,
    created_at: run.created_at,
    updated_at: run.updated_at,
  };
  if (include.includes('input')) {
    view.input = run.input ?? null;
  }
  if (include.includes('storage')) {
    view.storage = storage;
  }
  if (include.includes('artifacts') || include.includes('screenshots')) {
    view.artifacts = { screenshots: [] };
  }
  return view;
}

/**
 * The snapshot in a `task_run.*` event: the documented fields plus session,
 * errors and interaction, so a receiver need not fetch the run. Output is left
 * out (it can be large); fetch the run for it.
 */
export function taskRunEventData(run: TaskRun): Record<string, unknown> {
  const { output: _output, ...rest } = toDeckTaskRun(run);
  return rest;
}
