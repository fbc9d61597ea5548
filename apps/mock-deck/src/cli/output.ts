import type {
  DeckErrorItem,
  DeckEvent,
  DeckInteraction,
  DeckTaskRun,
  SandboxClockView,
  SandboxDeliveryAttempt,
} from '@app/deck';

/**
 * Where the CLI writes. Results go to stdout; progress, hints and errors go to
 * stderr, so `--json` output piped into jq stays parseable.
 */
export interface Output {
  line(text: string): void;
  note(text: string): void;
  /** One JSON document: pretty for a single answer, one line each in a stream. */
  json(value: unknown, stream?: boolean): void;
}

export function streamOutput(stdout: (text: string) => void, stderr: (text: string) => void): Output {
  return {
    line: (text) => stdout(`${text}\n`),
    note: (text) => stderr(`${text}\n`),
    json: (value, stream = false) => stdout(`${stream ? JSON.stringify(value) : JSON.stringify(value, null, 2)}\n`),
  };
}

/** Longest event type (`event_destination.deactivated`), so attempt lines line up. */
const EVENT_TYPE_WIDTH = 29;

/**
 * One delivery attempt on one line: sandbox time, event type, event id,
 * destination, attempt number, outcome, HTTP status (`---` when none came
 * back), latency, faults; then redelivery and the error when there is one.
 */
export function formatAttempt(attempt: SandboxDeliveryAttempt): string {
  const parts = [
    attempt.sent_at,
    attempt.event_type.padEnd(EVENT_TYPE_WIDTH),
    attempt.event_id,
    `→ ${attempt.event_destination_id}`,
    `#${attempt.number}`,
    attempt.outcome.padEnd(7),
    attempt.status_code === null ? '---' : String(attempt.status_code),
    `${String(attempt.latency_ms).padStart(5)} ms`,
    `faults: ${attempt.faults.length > 0 ? attempt.faults.join(',') : 'none'}`,
  ];
  if (attempt.redelivery) {
    parts.push('(redelivery)');
  }
  if (attempt.error) {
    parts.push(`error: ${attempt.error}`);
  }
  return parts.join('  ');
}

export function formatClock(clock: SandboxClockView): string {
  return `sandbox time ${clock.now} (${clock.frozen ? 'frozen' : 'running'}, scale ${clock.scale})`;
}

/** Rows as columns padded to their widest cell; the last column is left ragged. */
export function formatTable(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  }
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd(),
  );
}

export function formatErrorItems(items: DeckErrorItem[]): string[] {
  return items.map((e) => `${e.type} ${e.code}: ${e.message}${e.field ? ` (field ${e.field})` : ''}`);
}

export function formatInteraction(interaction: DeckInteraction): string[] {
  const fields = interaction.fields.map((f) => `${f.name} (${f.type}${f.label ? `, "${f.label}"` : ''})`);
  return [`${interaction.type}: ${interaction.message}`, `fields: ${fields.length > 0 ? fields.join(', ') : 'none'}`];
}

/**
 * A task run's status change, from its `task_run.*` event: the event's
 * (sandbox) time and status, then indented details: what it asks for, why it
 * failed. `hints` adds how to move a waiting run on.
 */
export function formatRunChange(event: DeckEvent<DeckTaskRun>, hints = true): string[] {
  const run = event.data;
  const status = run.status ?? event.type.slice('task_run.'.length);
  const details: string[] = [];
  if (status === 'interaction_required' && run.interaction) {
    details.push(...formatInteraction(run.interaction));
    if (hints) {
      const example = Object.fromEntries(run.interaction.fields.map((f) => [f.name, '…']));
      details.push(`answer: POST /v2/task-runs/${run.id}/interaction ${JSON.stringify({ input: example })}`);
    }
  }
  if (status === 'review_required' && hints) {
    details.push(`decide: npm run sandbox -- review ${run.id} approve|reject`);
  }
  if (status === 'failed' || status === 'canceled') {
    details.push(...formatErrorItems(run.errors ?? []));
  }
  return [`${event.created_at}  ${status}`, ...details.map((d) => `    ${d}`)];
}

/** How a run ended, from the run itself (events leave `output` out). */
export function formatRunOutcome(run: DeckTaskRun): string[] {
  const lines = [`run ${run.id} ${run.status}${run.result ? ` (result ${run.result})` : ''}`];
  if (run.output !== null && run.output !== undefined) {
    lines.push(`    output: ${JSON.stringify(run.output)}`);
  }
  return lines;
}
