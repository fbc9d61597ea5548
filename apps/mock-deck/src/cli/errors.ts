import type { DeckErrorItem } from '@app/deck';

/** The exit codes scripts and CI rely on; documented in the usage text. */
export const EXIT = {
  ok: 0,
  /** The sandbox answered with an error, or a scenario did not complete. */
  failed: 1,
  /** The command line itself is wrong: nothing was sent. */
  usage: 2,
  /** No answer from the sandbox at all. */
  unreachable: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A wrong command line. `usage` names the command whose usage to print (the general one when absent). */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage?: string,
  ) {
    super(message);
  }
}

/** The sandbox answered, with an error envelope (or something that is not the sandbox). */
export class SandboxError extends Error {
  constructor(
    readonly status: number,
    readonly items: DeckErrorItem[],
    readonly requestId: string | null,
    message: string,
  ) {
    super(message);
  }
}

/** Nothing answered at the URL (refused, unknown host, timed out). */
export class UnreachableError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`cannot reach the sandbox at ${url}: is it running? (npm run start:mock-deck)`);
  }
}

/** The command ran but its goal was not met (a scenario that failed or timed out). */
export class CommandFailed extends Error {}

/**
 * The envelope as one readable message. One problem fits on a line:
 * `error 400 input_invalid: … (field by, request req_…)`; several (a refused
 * scenario file) get a line each, so every path is shown.
 */
export function formatSandboxError(status: number, items: DeckErrorItem[], requestId: string | null): string {
  const request = requestId ? `request ${requestId}` : null;
  if (items.length === 1) {
    const [item] = items;
    const details = [item.field ? `field ${item.field}` : null, request].filter((d) => d !== null);
    return `error ${status} ${item.code}: ${item.message}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
  }
  // A message that already names its path (a scenario file's problems do) is not prefixed with it again.
  const lines = items.map((item) =>
    item.field && !item.message.includes(item.field)
      ? `  ${item.field}: ${item.message} [${item.code}]`
      : `  ${item.message} [${item.code}]`,
  );
  // A schema validator can report one fault twice in the same words; once is enough to read.
  const unique = [...new Set(lines)];
  return [`error ${status}: ${unique.length} problems${request ? ` (${request})` : ''}`, ...unique].join('\n');
}

/** Whether a decoded body is the sandbox's error envelope. */
export function isErrorEnvelope(body: unknown): body is { errors: DeckErrorItem[]; request_id?: string } {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { errors?: unknown }).errors)) {
    return false;
  }
  return (body as { errors: unknown[] }).errors.every(
    (e) =>
      typeof e === 'object' &&
      e !== null &&
      typeof (e as DeckErrorItem).code === 'string' &&
      typeof (e as DeckErrorItem).message === 'string',
  );
}
