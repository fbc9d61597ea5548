import type { DeckErrorItem } from '@app/deck';

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/**
 * The errors the engine itself fails runs with (a failed run's `errors[]`, not
 * HTTP errors); scenario files name their own.
 */
export const RUN_ERRORS = {
  interactionTimeout: {
    type: 'interaction',
    code: 'interaction_timeout',
    message: 'No answer to the interaction was received in time.',
  },
  interactionInvalid: {
    type: 'interaction',
    code: 'interaction_invalid',
    message: 'Too many incorrect answers to the interaction.',
  },
  reviewRejected: {
    type: 'task',
    code: 'review_rejected',
    message: 'The run was rejected in review.',
  },
  /** Deck words the limit in minutes; a limit that is not whole minutes is given in seconds. */
  taskTimeout: (seconds: number): DeckErrorItem => ({
    type: 'task',
    code: 'timeout',
    message: `Task execution exceeded the timeout of ${
      seconds % 60 === 0 ? plural(seconds / 60, 'minute') : plural(seconds, 'second')
    }.`,
  }),
} as const satisfies Record<string, DeckErrorItem | ((seconds: number) => DeckErrorItem)>;
