import { isDeepStrictEqual } from 'node:util';

import type { CredentialDetail, CredentialView, Page } from '@app/contracts';
import type { DeckCredential, DeckEvent, DeckTaskRun } from '@app/deck';

import type { ApiRecords } from './api-database';
import { allPages, OperatorSession, SandboxClient } from './chaos-http';
import { LiveFollower, LiveState } from './live-follower';

/** Deck's truth for the organisation, every page. */
export interface SandboxTruth {
  credentials: DeckCredential[];
  runs: DeckTaskRun[];
  events: DeckEvent[];
}

/**
 * What differs, one line per object, each naming the object and both sides.
 * Every list empty is the promise kept.
 */
export interface Verdicts {
  credentials: string[];
  runs: string[];
  openPrompts: string[];
  lostEvents: string[];
  doubleApplied: string[];
  live: string[];
}

const TERMINAL = new Set(['completed', 'failed', 'canceled']);
/** Deck spells the cancelling status two ways; compare them as one. */
const spelling = (status: string): string => (status === 'canceling' ? 'cancelling' : status);

export async function readSandboxTruth(sandbox: SandboxClient): Promise<SandboxTruth> {
  return {
    credentials: await sandbox.list<DeckCredential>('/v2/credentials'),
    runs: await sandbox.list<DeckTaskRun>('/v2/task-runs'),
    events: await sandbox.list<DeckEvent>('/v2/events'),
  };
}

export function unfinishedRuns(truth: SandboxTruth): DeckTaskRun[] {
  return truth.runs.filter((run) => !TERMINAL.has(run.status));
}

export async function readApiCredentials(operator: OperatorSession): Promise<CredentialView[]> {
  return allPages<CredentialView>((query) =>
    operator.request<Page<CredentialView>>('GET', `/api/credentials?${query}`),
  );
}

/** The mirror against the sandbox: credentials, runs, open prompts, events, double application. */
export function compareMirror(
  truth: SandboxTruth,
  apiCredentials: CredentialView[],
  records: ApiRecords,
  label: (deckCredentialId: string | null) => string,
): Omit<Verdicts, 'live'> {
  const credentials: string[] = [];
  const byDeckId = new Map(apiCredentials.map((c) => [c.deck_id, c]));
  for (const credential of truth.credentials) {
    const mirrored = byDeckId.get(credential.id);
    if (!mirrored) {
      credentials.push(
        `${credential.id} ${label(credential.id)}: ${credential.status} at the sandbox, missing from the api`,
      );
    } else if (mirrored.status !== credential.status) {
      credentials.push(
        `${credential.id} ${label(credential.id)}: ${credential.status} at the sandbox, ${mirrored.status} in the api; ` +
          `its events in the inbox: ${inboxTrail(records, credential.id)}`,
      );
    }
  }
  const known = new Set(truth.credentials.map((c) => c.id));
  for (const mirrored of apiCredentials.filter((c) => !known.has(c.deck_id))) {
    credentials.push(`${mirrored.deck_id}: ${mirrored.status} in the api, unknown to the sandbox`);
  }

  const runs: string[] = [];
  const apiRuns = new Map(records.runs.map((r) => [r.deck_id, r]));
  const apiCredentialDeckId = new Map(records.credentials.map((c) => [c.id, c.deck_id]));
  for (const run of truth.runs) {
    const mirrored = apiRuns.get(run.id);
    const who = `${run.id} ${label(run.credential_id)}`;
    if (!mirrored) {
      runs.push(`${who}: ${run.status}/${run.result ?? '-'} at the sandbox, missing from the api`);
      continue;
    }
    if (spelling(mirrored.status) !== spelling(run.status) || (mirrored.result ?? null) !== (run.result ?? null)) {
      runs.push(
        `${who}: ${run.status}/${run.result ?? '-'} at the sandbox, ${mirrored.status}/${mirrored.result ?? '-'} in the api; ` +
          `its events in the inbox: ${inboxTrail(records, run.id)}`,
      );
    }
    const linked = mirrored.credential_id === null ? null : (apiCredentialDeckId.get(mirrored.credential_id) ?? null);
    if (run.credential_id && linked !== run.credential_id) {
      runs.push(`${who}: run of ${run.credential_id}, linked to ${linked ?? 'no credential'} in the api`);
    }
  }

  const openPrompts: string[] = [];
  const waiting = new Set(truth.runs.filter((r) => r.status === 'interaction_required').map((r) => r.id));
  const localRun = new Map(records.runs.map((r) => [r.id, r.deck_id]));
  const open = new Map<string, number>();
  for (const prompt of records.interactions.filter((i) => i.state === 'open')) {
    const deckRun = localRun.get(prompt.task_run_id) ?? `(local run ${prompt.task_run_id})`;
    open.set(deckRun, (open.get(deckRun) ?? 0) + 1);
  }
  for (const run of waiting) {
    if (!open.has(run)) {
      openPrompts.push(`${run}: waiting for input at the sandbox, no open prompt in the api`);
    }
  }
  for (const [run, count] of open) {
    if (!waiting.has(run)) {
      openPrompts.push(`${run}: ${count} open prompt(s) in the api, not waiting for input at the sandbox`);
    } else if (count > 1) {
      openPrompts.push(`${run}: ${count} open prompts in the api for one question`);
    }
  }

  const inbox = new Set(records.inbox.map((e) => e.id));
  const lostEvents = truth.events
    .filter((event) => !inbox.has(event.id))
    .map((event) => `${event.id} ${event.type} at ${event.created_at} (${objectOf(event)}): not in the api's inbox`);

  return { credentials, runs, openPrompts, lostEvents, doubleApplied: doubleApplied(truth, records) };
}

/** What the inbox did with each event about an object, oldest first: the evidence for a difference. */
function inboxTrail(records: ApiRecords, objectId: string): string {
  return records.inbox
    .filter((e) => e.object_id === objectId)
    .sort((a, b) => a.created_at.localeCompare(b.created_at))
    .map((e) => `${e.created_at} ${e.type} ${e.via} ${e.outcome}${e.note ? ` (${e.note})` : ''}`)
    .join('; ');
}

function objectOf(event: DeckEvent): string {
  const data = (event.data ?? {}) as { id?: unknown };
  return typeof data.id === 'string' ? data.id : 'no object';
}

/**
 * An event applied twice shows where it makes something new: the inbox
 * holding an id twice, or a run with more prompts than questions Deck asked.
 */
function doubleApplied(truth: SandboxTruth, records: ApiRecords): string[] {
  const found: string[] = [];
  const ids = records.inbox.map((e) => e.id);
  if (new Set(ids).size !== ids.length) {
    found.push(`the inbox holds ${ids.length - new Set(ids).size} event id(s) twice`);
  }
  const asked = new Map<string, number>();
  for (const event of truth.events.filter((e) => e.type === 'task_run.interaction_required')) {
    asked.set(objectOf(event), (asked.get(objectOf(event)) ?? 0) + 1);
  }
  for (const run of records.runs) {
    const prompts = records.interactions.filter((i) => i.task_run_id === run.id);
    if (prompts.length > (asked.get(run.deck_id) ?? 0)) {
      found.push(
        `${run.deck_id}: ${prompts.length} prompts in the api from ${asked.get(run.deck_id) ?? 0} interaction_required ` +
          `event(s); opened by ${prompts
            .map(
              (p) =>
                `${p.opened_by_event} at ${p.opened_at} (${p.state} at ${p.closed_at ?? '-'} by ${p.answered_by ?? '-'})`,
            )
            .join(', ')}; its events in the inbox: ${inboxTrail(records, run.deck_id)}`,
      );
    }
  }
  return found;
}

/**
 * Changes that carry nothing new: the same view of an object as its previous
 * change (its `updated_at` aside). Not a lost or doubled event, but noise on
 * the live feed (the api's own answers and reconciliation followed by Deck's event).
 */
export function repeatedChanges(records: ApiRecords): number {
  const last = new Map<string, string>();
  let repeated = 0;
  for (const change of records.changes) {
    const payload = JSON.parse(change.payload) as Record<string, { id: string; updated_at?: string }>;
    const view = payload[change.kind];
    const key = `${change.kind}:${view.id}`;
    const seen = JSON.stringify({ ...view, updated_at: null });
    repeated += last.get(key) === seen ? 1 : 0;
    last.set(key, seen);
  }
  return repeated;
}

/** The state a page would show from REST: every credential with its runs and prompts. */
export async function readRestState(operator: OperatorSession): Promise<LiveState> {
  const state: LiveState = new Map();
  for (const credential of await readApiCredentials(operator)) {
    const detail = await operator.request<CredentialDetail>('GET', `/api/credentials/${credential.id}`);
    if (detail.status !== 200) {
      throw new Error(`GET /api/credentials/${credential.id} answered ${detail.status}`);
    }
    state.set(`credential:${credential.id}`, detail.body.credential);
    for (const run of detail.body.runs) {
      state.set(`task_run:${run.id}`, run);
    }
    for (const interaction of detail.body.interactions) {
      state.set(`interaction:${interaction.id}`, interaction);
    }
  }
  return state;
}

/** The operator socket's rebuilt state against REST, and its seqs against the change log. */
export function compareLive(follower: LiveFollower, rest: LiveState, records: ApiRecords, firstSeq: number): string[] {
  const found: string[] = [];
  const live = follower.state();
  for (const [key, view] of rest) {
    const seen = live.get(key);
    if (seen === undefined) {
      found.push(`${key}: in REST, never on the socket`);
    } else if (!isDeepStrictEqual(seen, view)) {
      found.push(`${key}: socket ${JSON.stringify(seen)} ≠ REST ${JSON.stringify(view)}`);
    }
  }
  for (const key of live.keys()) {
    if (!rest.has(key)) {
      found.push(`${key}: on the socket, not in REST`);
    }
  }
  const taken = new Set(follower.changes.map((c) => c.seq));
  const missed = records.changes.filter((c) => c.seq > firstSeq && !taken.has(c.seq)).map((c) => c.seq);
  if (missed.length > 0) {
    found.push(`${missed.length} change(s) never reached the socket: seq ${missed.slice(0, 20).join(', ')}`);
  }
  if (follower.repeats > 0) {
    found.push(`${follower.repeats} change(s) reached the socket twice`);
  }
  if (follower.resyncs.length > 0) {
    found.push(`told to resync ${follower.resyncs.length} time(s) (at seq ${follower.resyncs.join(', ')})`);
  }
  return found;
}
