import { randomBytes } from 'node:crypto';

import { DELIVERY_FAULT_NAMES } from '@app/deck';
import type { DeckEventDestination } from '@app/deck';

import { SandboxClient } from './chaos-http';
import { ChaosSystem, delay } from './chaos-system';
import { LiveFollower } from './live-follower';
import { Workload } from './workload';

/**
 * How hard each delivery fault is turned on. Short of the retry budget on
 * purpose (a refused delivery is retried and gets through once the fault is
 * off); running the retries out is its own step, `deactivation`.
 */
const FAULT_SETTINGS: Record<string, number | boolean> = {
  duplicate: 2,
  reorder_window_ms: 1500,
  delay_ms: 1000,
  drop_first: 2,
  fail_first: 2,
  bad_signature: true,
  stale_timestamp_s: 600,
  dual_signature: true,
  late_events: 600,
};

/** What the disruptions did, for the figures. */
export interface Disruptions {
  apiKills: number;
  sandboxKills: number;
  socketDrops: number;
  faults: string[];
  deactivations: number;
  rotations: number;
  clockAdvances: string[];
  notes: string[];
}

export interface Act {
  name: string;
  run(): Promise<void>;
}

const DEADLINE_MS = 30_000;
/** How long a clock jump may take to answer. */
export const ADVANCE_TIMEOUT_MS = 120_000;

/** The sandbox's view of the api's webhook destination. */
async function destination(sandbox: SandboxClient, id: string): Promise<DeckEventDestination | null> {
  const answer = await sandbox.request<DeckEventDestination>('GET', `/v2/event-destinations/${id}`);
  return answer.status === 200 ? answer.body : null;
}

async function until(check: () => Promise<boolean>, deadlineMs = DEADLINE_MS): Promise<boolean> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (await check()) {
      return true;
    }
    await delay(200);
  }
  return false;
}

/**
 * The disruptions, in order: every delivery fault in turn, the api and the
 * sandbox killed mid-stream, the socket dropped, the destination switched off
 * by exhausted retries, and a secret rotation whose overlap runs out.
 */
export class ChaosPlan {
  readonly done: Disruptions = {
    apiKills: 0,
    sandboxKills: 0,
    socketDrops: 0,
    faults: [],
    deactivations: 0,
    rotations: 0,
    clockAdvances: [],
    notes: [],
  };

  constructor(
    private readonly system: ChaosSystem,
    private readonly sandbox: SandboxClient,
    private readonly destinationId: string,
    private readonly follower: LiveFollower,
    private readonly workload: Workload,
    private readonly faultMs: number,
  ) {}

  /** One round: each fault, with kills, drops, the deactivation and the rotation between them. */
  acts(): Act[] {
    const faults = DELIVERY_FAULT_NAMES.map((name) => this.fault(name));
    const acts: Act[] = [];
    const between: Act[] = [
      this.dropSocket(),
      this.killApi(),
      this.killSandbox(),
      this.reverify(),
      this.killApi(),
      this.dropSocket(),
    ];
    faults.forEach((fault, i) => {
      acts.push(fault);
      if (i < between.length) {
        acts.push(between[i]);
      }
    });
    acts.push(this.deactivation(), this.rotation());
    return acts;
  }

  private fault(name: string): Act {
    return {
      name: `fault ${name}`,
      run: async () => {
        const setting = FAULT_SETTINGS[name];
        if (setting === undefined) {
          this.done.notes.push(`the delivery fault ${name} has no chaos setting: not exercised`);
          return;
        }
        await this.setFaults({ [name]: setting });
        this.done.faults.push(name);
        await delay(this.faultMs);
        await this.setFaults(null);
      },
    };
  }

  private killApi(): Act {
    return {
      name: 'SIGKILL the api',
      run: async () => {
        await this.system.killApi();
        this.done.apiKills++;
        await this.system.startApi();
      },
    };
  }

  private killSandbox(): Act {
    return {
      name: 'SIGKILL the sandbox',
      run: async () => {
        await this.system.killSandbox();
        this.done.sandboxKills++;
        await this.system.startSandbox();
      },
    };
  }

  private dropSocket(): Act {
    return {
      name: 'drop the operator socket',
      run: async () => {
        this.follower.drop();
        this.done.socketDrops++;
        await until(() => Promise.resolve(this.follower.connected), 10_000);
      },
    };
  }

  private reverify(): Act {
    return { name: 'verify user_locked again', run: () => this.workload.reverifyLocked() };
  }

  /** Every try of every delivery fails until the sandbox switches the destination off; the api's restart turns it on again. */
  private deactivation(): Act {
    return {
      name: 'destination deactivated after its retries',
      run: async () => {
        await this.setFaults({ fail_first: 10 });
        // Someone must be connecting for a delivery to run its retries out.
        this.workload.addUser();
        const before = await this.deactivatedEvents();
        const off = await until(async () => {
          // Retries wait on sandbox time: move it on instead of waiting for it.
          await this.advance('5s');
          // The status may already be back on (the api watches it): the event is what shows it went off.
          return (await this.deactivatedEvents()) > before;
        });
        await this.setFaults(null);
        this.workload.addUser();
        if (!off) {
          this.done.notes.push('the destination never went inactive while every delivery failed');
          return;
        }
        this.done.deactivations++;
        // Events written meanwhile have no delivery at all: only catch-up can bring them.
        await delay(this.faultMs);
        await this.killApi().run();
        if (!(await until(async () => (await this.destinationStatus()) === 'active'))) {
          this.done.notes.push('the api did not turn its inactive destination on again, even after a restart');
        }
      },
    };
  }

  /** A new secret; both sign for 24 h of sandbox time, then only the new one, which the api learns at its next start. */
  private rotation(): Act {
    return {
      name: 'secret rotated, overlap ended',
      run: async () => {
        const secret = `whsec_${randomBytes(32).toString('base64')}`;
        const rotated = await this.sandbox.must('PATCH', `/v2/event-destinations/${this.destinationId}`, {
          webhook: { secret },
        });
        if (rotated.status !== 200) {
          this.done.notes.push(`rotating the secret answered ${rotated.status}`);
          return;
        }
        this.done.rotations++;
        // Deliveries signed with both secrets, then (the overlap over) with the new one only.
        this.workload.addUser();
        await delay(this.faultMs);
        await this.advance('24h1m');
        this.workload.addUser();
        await delay(this.faultMs);
        await this.killApi().run();
        if (!(await until(async () => (await this.destinationStatus()) === 'active'))) {
          this.done.notes.push('after the rotation and a restart the api did not turn its destination on again');
        }
      },
    };
  }

  private async deactivatedEvents(): Promise<number> {
    const events = await this.sandbox.list('/v2/events', 'type=event_destination.deactivated').catch(() => []);
    return events.length;
  }

  private async destinationStatus(): Promise<string | null> {
    return (await destination(this.sandbox, this.destinationId))?.status ?? null;
  }

  private async advance(by: string): Promise<void> {
    // The sandbox answers once everything that fell due has run (a day of retries, prompt windows):
    // a timed-out try must not be taken for a lost one and move the clock a second time.
    const started = Date.now();
    const moved = await this.sandbox.must('POST', '/sandbox/clock/advance', { by }, 30_000, ADVANCE_TIMEOUT_MS);
    if (moved.status !== 200 && moved.status !== 201) {
      throw new Error(`advancing the sandbox clock by ${by} answered ${moved.status}`);
    }
    this.done.clockAdvances.push(`${by} (answered in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }

  private async setFaults(faults: Record<string, number | boolean> | null): Promise<void> {
    const path = `/sandbox/event-destinations/${this.destinationId}/faults`;
    const answer = await this.sandbox.must(faults ? 'PUT' : 'DELETE', path, faults ?? undefined);
    if (answer.status !== 200) {
      throw new Error(
        `${faults ? 'setting' : 'clearing'} faults answered ${answer.status}: ${JSON.stringify(answer.body)}`,
      );
    }
  }
}
