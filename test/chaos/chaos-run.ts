import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { DeckEventDestination, SandboxAttemptTail } from '@app/deck';

import { readApiRecords } from './api-database';
import { ADVANCE_TIMEOUT_MS, ChaosPlan, Disruptions } from './chaos-plan';
import { OperatorSession, SandboxClient } from './chaos-http';
import { CHAOS_ADMIN, ChaosSystem, delay } from './chaos-system';
import { LiveFollower } from './live-follower';
import {
  compareLive,
  compareMirror,
  readApiCredentials,
  readRestState,
  readSandboxTruth,
  repeatedChanges,
  SandboxTruth,
  unfinishedRuns,
  Verdicts,
} from './verdicts';
import { Workload } from './workload';

/** How big a chaos run is. */
export interface ChaosSize {
  name: 'ci' | 'long';
  /** End users, each with a credential and a verification run. */
  users: number;
  /** Between two new end users. */
  paceMs: number;
  /** How long each delivery fault stays on. */
  faultMs: number;
  /** How many times the disruptions repeat. */
  rounds: number;
  /** Sandbox time per scripted step. */
  stepMs: number;
  catchUpIntervalMs: number;
  /** After the disruptions, how long the api gets to match the sandbox. */
  convergeMs: number;
}

/** Sized to finish well inside three minutes on two shared cores. */
export const CI_SIZE: ChaosSize = {
  name: 'ci',
  users: 30,
  paceMs: 1000,
  faultMs: 2000,
  rounds: 1,
  stepMs: 150,
  catchUpIntervalMs: 1000,
  convergeMs: 45_000,
};

export const LONG_SIZE: ChaosSize = {
  name: 'long',
  users: 120,
  paceMs: 1000,
  faultMs: 3000,
  rounds: 3,
  stepMs: 250,
  catchUpIntervalMs: 2000,
  convergeMs: 120_000,
};

export interface ChaosFigures extends Omit<Disruptions, 'notes'> {
  size: string;
  users: number;
  credentials: number;
  runs: number;
  events: number;
  deliveryAttempts: number;
  inboxViaWebhook: number;
  inboxViaCatchUp: number;
  duplicatesReceived: number;
  promptsAnswered: number;
  socketConnections: number;
  liveChanges: number;
  /** Changes repeating the object's previous view. */
  repeatedChanges: number;
  lost: number;
  doubleApplied: number;
  /** From the end of the disruptions until the api matched the sandbox; null if it never did. */
  convergeMs: number | null;
  totalMs: number;
}

export interface ChaosReport {
  figures: ChaosFigures;
  verdicts: Verdicts;
  /** Disruptions that did not go as planned. */
  notes: string[];
  /** End users whose login could not be stored or verified through the api. */
  userErrors: string[];
}

const LOGS_DIR = join(__dirname, '..', '..', '.test-results', 'chaos');

async function apiDestination(sandbox: SandboxClient, apiUrl: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const list = await sandbox.list<DeckEventDestination>('/v2/event-destinations').catch(() => []);
    const mine = list.find((d) => d.webhook?.url === `${apiUrl}/webhooks/deck` && d.status === 'active');
    if (mine) {
      return mine.id;
    }
    await delay(200);
  }
  throw new Error('the api never registered an active webhook destination at the sandbox');
}

async function countAttempts(sandbox: SandboxClient): Promise<number> {
  let count = 0;
  for (let after = 0; ;) {
    const page = await sandbox.request<SandboxAttemptTail>('GET', `/sandbox/attempts?after=${after}&limit=100`);
    if (page.status !== 200) {
      return count;
    }
    count += page.body.data.length;
    if (!page.body.has_more) {
      return count;
    }
    after = page.body.next_after;
  }
}

/**
 * The whole chaos run: the built sandbox and api, a burst of end users across
 * the scenario catalogue under every disruption, then, once everything has
 * settled, what the api holds against what the sandbox holds.
 */
export async function runChaos(size: ChaosSize, log: (line: string) => void = () => undefined): Promise<ChaosReport> {
  const started = Date.now();
  const system = await ChaosSystem.start({ stepMs: size.stepMs, catchUpIntervalMs: size.catchUpIntervalMs });
  let follower: LiveFollower | null = null;
  let workload: Workload | null = null;
  try {
    const sandbox = new SandboxClient(system.sandboxUrl, system.apiKey);
    const operator = await OperatorSession.signIn(system.apiUrl, CHAOS_ADMIN);
    const destinationId = await apiDestination(sandbox, system.apiUrl);
    follower = new LiveFollower(system.apiUrl, operator.sessionCookie);
    follower.start();
    const live = follower;
    const deadline = Date.now() + 10_000;
    while (live.position === null && Date.now() < deadline) {
      await delay(50);
    }
    const firstSeq = live.position ?? 0;

    workload = new Workload(operator, sandbox);
    await workload.prepare();
    workload.startAnswering();
    const users = workload;
    const burst = (async () => {
      for (let n = 0; n < size.users; n++) {
        users.addUser();
        await delay(size.paceMs);
      }
    })();

    const plan = new ChaosPlan(system, sandbox, destinationId, live, users, size.faultMs);
    for (let round = 1; round <= size.rounds; round++) {
      for (const act of plan.acts()) {
        log(`[chaos] round ${round}: ${act.name}`);
        await act.run();
      }
    }
    await burst;
    await users.settled();
    await users.reverifyLocked();
    const disruptionsOver = Date.now();
    log(`[chaos] disruptions over after ${Math.round((disruptionsOver - started) / 1000)} s; settling`);

    // Settled: every run at the sandbox finished, and the api's mirror matching it.
    let truth: SandboxTruth = await readSandboxTruth(sandbox);
    let verdicts: Omit<Verdicts, 'live'> | null = null;
    let convergeMs: number | null = null;
    let lastAdvance = Date.now();
    const label = (deckId: string | null) => users.made.find((m) => m.deckId === deckId)?.username ?? '';
    while (Date.now() - disruptionsOver < size.convergeMs) {
      truth = await readSandboxTruth(sandbox);
      const unfinished = unfinishedRuns(truth);
      if (unfinished.length > 0) {
        await users.approveReviews();
        // Runs left waiting on sandbox time (a slow source, a prompt nobody answers): move it on.
        if (Date.now() - lastAdvance > 5000) {
          await sandbox.must('POST', '/sandbox/clock/advance', { by: '1h' }, 30_000, ADVANCE_TIMEOUT_MS);
          plan.done.clockAdvances.push('1h');
          lastAdvance = Date.now();
        }
      } else {
        verdicts = compareMirror(
          truth,
          await readApiCredentials(operator),
          await readApiRecords(system.apiDatabase),
          label,
        );
        // Double application cannot heal by waiting: it is judged at the end, not waited on.
        const { credentials, runs, openPrompts, lostEvents } = verdicts;
        if ([credentials, runs, openPrompts, lostEvents].every((lines) => lines.length === 0)) {
          convergeMs = Date.now() - disruptionsOver;
          break;
        }
      }
      await delay(500);
    }
    await users.stop();
    truth = await readSandboxTruth(sandbox);
    let records = await readApiRecords(system.apiDatabase);
    verdicts = compareMirror(truth, await readApiCredentials(operator), records, label);
    const unfinished = unfinishedRuns(truth);
    if (unfinished.length > 0) {
      verdicts.runs.push(
        ...unfinished.map(
          (r) => `${r.id} ${label(r.credential_id)}: still ${r.status} at the sandbox when time ran out`,
        ),
      );
    }

    // The socket must have caught up with the whole change log before its state is compared.
    const lastSeq = records.changes.at(-1)?.seq ?? 0;
    const caughtUp = Date.now() + 10_000;
    while ((live.position ?? 0) < lastSeq && Date.now() < caughtUp) {
      await delay(100);
    }
    const rest = await readRestState(operator);
    records = await readApiRecords(system.apiDatabase);
    const liveVerdict = compareLive(live, rest, records, firstSeq);

    const figures: ChaosFigures = {
      size: size.name,
      users: users.made.length + users.errors.length,
      credentials: truth.credentials.length,
      runs: truth.runs.length,
      events: truth.events.length,
      deliveryAttempts: await countAttempts(sandbox),
      inboxViaWebhook: records.inbox.filter((e) => e.via === 'webhook').length,
      inboxViaCatchUp: records.inbox.filter((e) => e.via === 'catch_up').length,
      duplicatesReceived: records.inbox.reduce((sum, e) => sum + e.duplicates, 0),
      promptsAnswered: users.answersSent,
      socketConnections: live.connections,
      liveChanges: live.changes.length,
      repeatedChanges: repeatedChanges(records),
      apiKills: plan.done.apiKills,
      sandboxKills: plan.done.sandboxKills,
      socketDrops: plan.done.socketDrops,
      faults: plan.done.faults,
      deactivations: plan.done.deactivations,
      rotations: plan.done.rotations,
      clockAdvances: plan.done.clockAdvances,
      lost: verdicts.lostEvents.length,
      doubleApplied: verdicts.doubleApplied.length,
      convergeMs,
      totalMs: Date.now() - started,
    };
    return {
      figures,
      verdicts: { ...verdicts, live: liveVerdict },
      notes: plan.done.notes,
      userErrors: users.errors,
    };
  } finally {
    await workload?.stop();
    await follower?.close();
    keepLogs(system);
    await system.close();
  }
}

/** Both processes' logs outlive the temporary folder, for whoever reads a failed verdict. */
function keepLogs(system: ChaosSystem): void {
  mkdirSync(LOGS_DIR, { recursive: true });
  for (const [name, file] of Object.entries(system.logs)) {
    if (existsSync(file)) {
      copyFileSync(file, join(LOGS_DIR, `${name}.log`));
    }
  }
}

/** The figures as the README shows them. */
export function describeFigures(report: ChaosReport): string {
  const f = report.figures;
  const seconds = (ms: number | null) => (ms === null ? 'never' : `${(ms / 1000).toFixed(1)} s`);
  return [
    `chaos run (${f.size}): ${f.users} end users, ${f.credentials} credentials, ${f.runs} runs, ${f.events} events at the sandbox`,
    `  deliveries: ${f.deliveryAttempts} attempts; inbox: ${f.inboxViaWebhook} by webhook, ${f.inboxViaCatchUp} by catch-up, ${f.duplicatesReceived} duplicates refused`,
    `  disruptions: ${f.apiKills} api SIGKILLs, ${f.sandboxKills} sandbox SIGKILLs, ${f.socketDrops} socket drops (${f.socketConnections} connections), ` +
      `${f.faults.length} faults (${f.faults.join(', ')}), ${f.deactivations} deactivation(s), ${f.rotations} secret rotation(s), clock moved ${f.clockAdvances.join(' + ') || 'never'}`,
    `  prompts answered through the api: ${f.promptsAnswered}; live changes taken: ${f.liveChanges} (${f.repeatedChanges} repeating the previous view)`,
    `  lost: ${f.lost}; double-applied: ${f.doubleApplied}; differences: credentials ${report.verdicts.credentials.length}, ` +
      `runs ${report.verdicts.runs.length}, open prompts ${report.verdicts.openPrompts.length}, live ${report.verdicts.live.length}`,
    `  converged ${seconds(f.convergeMs)} after the disruptions; whole run ${seconds(f.totalMs)}`,
  ].join('\n');
}
