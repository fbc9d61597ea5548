import type { DeckErrorItem, DeckInteraction, TaskRunResult } from '@app/deck';

/** One step of a scripted run. Time is sandbox time. */
export type ScriptStep =
  /** Spend time working (defaults to the configured step time). */
  | { kind: 'wait'; ms?: number }
  /**
   * Ask for input. `accept` lists the answers the source takes, per field;
   * a field not listed takes any non-empty answer. A wrong answer re-prompts
   * with `retry_message`; after `max_attempts` wrong answers the run fails with
   * `exhausted_error`. No answer within `window_ms` fails it with `interaction_timeout`.
   */
  | {
      kind: 'interaction';
      interaction: DeckInteraction;
      accept?: Record<string, string[]>;
      max_attempts?: number;
      retry_message?: string;
      window_ms?: number;
      exhausted_error?: DeckErrorItem;
    }
  /** Finish; a `success` on a credential marks it verified. */
  | { kind: 'complete'; result?: TaskRunResult; output?: unknown }
  /** Fail with `error`; `credential: 'invalid'` marks the credential invalid. */
  | { kind: 'fail'; error: DeckErrorItem; credential?: 'invalid' | 'unchanged' }
  /** Stop in `review_required` until someone decides. */
  | { kind: 'review' };

/**
 * A scripted source behaviour. `runs[n]` is what the credential's (n+1)th run
 * does; the last entry repeats, which is how a credential breaks later.
 */
export interface RunScript {
  name: string;
  description: string;
  runs: ScriptStep[][];
  /** After a run verifies the credential, it goes invalid this much later (a credential that breaks later). */
  breaks_after_ms?: number;
  /** Delivery faults put on the organisation's destinations when the scenario is run from the control plane. */
  faults?: Record<string, number | boolean>;
}
