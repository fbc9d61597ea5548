import type { InteractionView, ReceivedEventView, TaskRunView, TimelineEntry } from '@app/contracts';

function eventEntry(event: ReceivedEventView): TimelineEntry {
  const extra = [
    event.via === 'catch_up' ? 'caught up' : null,
    event.duplicates ? `${event.duplicates} duplicate(s)` : null,
  ]
    .filter(Boolean)
    .join(', ');
  return {
    at: event.created_at,
    kind: 'event',
    type: event.type,
    summary: `Deck event ${event.type}: ${event.outcome}${event.note ? ` (${event.note})` : ''}${extra ? `; ${extra}` : ''}`,
    ref: event.id,
  };
}

function runEntries(run: TaskRunView): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    {
      at: run.created_at,
      kind: 'run',
      type: 'run.started',
      summary: `Run ${run.deck_id} of task ${run.task_id} started`,
      ref: run.id,
    },
  ];
  if (run.finished_at) {
    const error = run.errors[0];
    entries.push({
      at: run.finished_at,
      kind: 'run',
      type: `run.${run.status}`,
      summary: `Run ${run.deck_id} ${run.status}${run.result ? ` (${run.result})` : ''}${error ? `: ${error.type}/${error.code}` : ''}`,
      ref: run.id,
    });
  }
  return entries;
}

function interactionEntries(interaction: InteractionView): TimelineEntry[] {
  const { prompt } = interaction;
  const entries: TimelineEntry[] = [
    {
      at: interaction.opened_at,
      kind: 'interaction',
      type: 'interaction.opened',
      summary: `Deck asked for input (${prompt.type}): ${prompt.message}`,
      ref: interaction.id,
    },
  ];
  if (interaction.closed_at) {
    entries.push({
      at: interaction.closed_at,
      kind: 'interaction',
      type: `interaction.${interaction.state}`,
      summary: `Prompt ${interaction.state}${interaction.answered_by ? ` by ${interaction.answered_by}` : ''}`,
      ref: interaction.id,
    });
  }
  return entries;
}

/** Events, runs and prompts about one credential, merged newest first. */
export function buildTimeline(
  events: ReceivedEventView[],
  runs: TaskRunView[],
  interactions: InteractionView[],
): TimelineEntry[] {
  return [...events.map(eventEntry), ...runs.flatMap(runEntries), ...interactions.flatMap(interactionEntries)].sort(
    (a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0),
  );
}
