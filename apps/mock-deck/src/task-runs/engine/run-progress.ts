import type { ScriptStep } from './run-script';

/** Where a run's script stands. Stored on the run; never holds an answer itself. */
export interface RunProgress {
  /** The scenario's name, for people reading the row. */
  script: string;
  /**
   * The steps this run follows, copied when the run is created, so uploading or
   * changing a scenario never changes a run already under way.
   */
  steps: ScriptStep[];
  /** Index of the step being worked on. */
  step: number;
  /**
   * `start`: queued, waiting for a browser; `step`: about to run `step`;
   * `waiting_input`: a prompt is open until the deadline; `checking_answer`:
   * an answer came in and is being "tried" on the source; `canceling`: on its
   * way to canceled; `idle`: no step to take (review, finished); a review still meets the hard timeout.
   */
  phase: 'start' | 'step' | 'waiting_input' | 'checking_answer' | 'canceling' | 'idle';
  /** Wrong answers given to the current prompt. */
  wrong_answers: number;
  /** The verdict on the last answer, decided when it was submitted so the answer is never stored. */
  answer_ok: boolean | null;
  /** Sandbox ms after which the whole run fails with a task timeout. */
  deadline_at: number;
  /** When the run verifies its credential, the credential goes invalid this much later. */
  breaks_after_ms: number | null;
}
