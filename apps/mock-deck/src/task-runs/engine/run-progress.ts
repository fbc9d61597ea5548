/** Where a run's script stands. Stored on the run; never holds an answer itself. */
export interface RunProgress {
  /** The script's name (the catalogue row or scenario). */
  script: string;
  /** Which of the script's run variants this run follows (a credential's nth run). */
  variant: number;
  /** Index of the step being worked on. */
  step: number;
  /**
   * `start`: queued, waiting for a browser; `step`: about to run `step`;
   * `waiting_input`: a prompt is open until the deadline; `checking_answer`:
   * an answer came in and is being "tried" on the source; `canceling`: on its
   * way to canceled; `idle`: no step to take (review, hang, finished); a review still meets the hard timeout.
   */
  phase: 'start' | 'step' | 'waiting_input' | 'checking_answer' | 'canceling' | 'idle';
  /** Wrong answers given to the current prompt. */
  wrong_answers: number;
  /** The verdict on the last answer, decided when it was submitted so the answer is never stored. */
  answer_ok: boolean | null;
  /** Sandbox ms after which the whole run fails with a task timeout. */
  deadline_at: number;
}
