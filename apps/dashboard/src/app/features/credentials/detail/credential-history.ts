import type { CredentialDetail, InteractionView, TaskRunView } from '@app/contracts';

/** One line of a credential's history as the page draws it. */
export interface HistoryItem {
  /** Unique within the list (for `track`). */
  key: string;
  at: string;
  kind: 'event' | 'run' | 'interaction';
  title: string;
  detail: string | null;
  /** A status or state for a chip (runs and prompts), else null. */
  status: string | null;
  /** Error messages of a finished run, in words. */
  errors: string[];
  /** Who answered a prompt, as the api records it (an operator id or `end_user:<external_id>`). */
  answeredBy: string | null;
  ref: string;
}

const CLOSED_PROMPT_TITLE: Record<string, string> = {
  answered: 'Prompt answered',
  expired: 'Prompt expired unanswered',
  superseded: 'Prompt replaced by a new one',
};

function runItems(run: TaskRunView): HistoryItem[] {
  const items: HistoryItem[] = [
    {
      key: `run:${run.id}:start`,
      at: run.created_at,
      kind: 'run',
      title: 'Verification run started',
      detail: run.deck_id,
      status: run.finished_at ? null : run.status,
      errors: [],
      answeredBy: null,
      ref: run.id,
    },
  ];
  if (run.finished_at) {
    items.push({
      key: `run:${run.id}:end`,
      at: run.finished_at,
      kind: 'run',
      title: `Run ${run.status.replace(/_/g, ' ')}${run.result && run.result !== 'unknown' ? ` (${run.result})` : ''}`,
      detail: run.deck_id,
      status: run.status,
      errors: run.errors.map((error) => error.message || `${error.type}: ${error.code}`),
      answeredBy: null,
      ref: run.id,
    });
  }
  return items;
}

function interactionItems(interaction: InteractionView): HistoryItem[] {
  const items: HistoryItem[] = [
    {
      key: `interaction:${interaction.id}:open`,
      at: interaction.opened_at,
      kind: 'interaction',
      title: 'Deck asked for input',
      detail: interaction.prompt.message,
      status: interaction.state === 'open' ? 'open' : null,
      errors: [],
      answeredBy: null,
      ref: interaction.id,
    },
  ];
  if (interaction.state !== 'open') {
    items.push({
      key: `interaction:${interaction.id}:close`,
      at: interaction.closed_at ?? interaction.opened_at,
      kind: 'interaction',
      title: CLOSED_PROMPT_TITLE[interaction.state] ?? `Prompt ${interaction.state}`,
      detail: null,
      status: interaction.state,
      errors: [],
      answeredBy: interaction.answered_by,
      ref: interaction.id,
    });
  }
  return items;
}

/** The server's summary without the "Deck event <type>: " the title already says: "Applied", "Stale (…)". */
function eventDetail(type: string, summary: string): string {
  const prefix = `Deck event ${type}: `;
  const rest = summary.startsWith(prefix) ? summary.slice(prefix.length) : summary;
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

/**
 * The credential's whole history, newest first: the webhooks the api received
 * about it (from the server's timeline), and its runs and prompts drawn from
 * their current state, so a live change to a run or a prompt shows here at once.
 */
export function buildHistory(detail: CredentialDetail): HistoryItem[] {
  const events: HistoryItem[] = detail.timeline
    .filter((entry) => entry.kind === 'event')
    .map((entry) => ({
      key: `event:${entry.ref}`,
      at: entry.at,
      kind: 'event',
      title: `Deck event ${entry.type}`,
      detail: eventDetail(entry.type, entry.summary),
      status: null,
      errors: [],
      answeredBy: null,
      ref: entry.ref,
    }));
  return [...events, ...detail.runs.flatMap(runItems), ...detail.interactions.flatMap(interactionItems)].sort((a, b) =>
    a.at < b.at ? 1 : a.at > b.at ? -1 : 0,
  );
}

const ERROR_WORDS: Record<string, string> = {
  auth_invalid: 'The source rejected the username or password.',
  source_not_available: 'The source was not available; nothing is known about the login yet.',
  interaction_invalid: 'The answers given to the source were not accepted.',
  interaction_timeout: 'Nobody answered the source’s question in time.',
  timeout: 'The verification took too long and was stopped.',
};

/** A credential's or run's last error as a sentence a person understands. */
export function errorInWords(error: { type: string; code: string; message: string } | null): string | null {
  if (!error) {
    return null;
  }
  return ERROR_WORDS[error.code] ?? (error.message || `The source reported a problem (${error.type}).`);
}

/** Who answered a prompt, in words: the signed-in operator, another operator by e-mail when known, or the end user. */
export function answererInWords(
  answeredBy: string | null,
  me: { id: string; email: string } | null | undefined,
  emails: ReadonlyMap<string, string>,
): string | null {
  if (!answeredBy) {
    return null;
  }
  if (answeredBy.startsWith('end_user:')) {
    return `the end user (${answeredBy.slice('end_user:'.length)})`;
  }
  if (me && answeredBy === me.id) {
    return `you (${me.email})`;
  }
  return emails.get(answeredBy) ?? `operator ${answeredBy}`;
}
