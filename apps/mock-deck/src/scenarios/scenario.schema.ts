import { ERROR_TYPES, TASK_RUN_RESULTS } from '@app/deck';

/** `250ms`, `5s`, `10m`, `1h`, `3d`, `1h30m`, or a number of milliseconds. */
const duration = {
  anyOf: [
    { type: 'string', maxLength: 64, pattern: '^(\\d+(\\.\\d+)?(ms|s|m|h|d))+$' },
    { type: 'integer', minimum: 0 },
  ],
};

const runError = {
  type: 'object',
  required: ['type', 'code', 'message'],
  additionalProperties: false,
  properties: {
    type: { enum: [...ERROR_TYPES] },
    code: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,63}$' },
    message: { type: 'string', minLength: 1, maxLength: 500 },
  },
};

const fieldName = '^[a-z][a-z0-9_]{0,63}$';

/**
 * The scenario file format (JSON Schema, draft-07). A scenario is a timeline of
 * steps per run of a credential; the last run repeats. Each step is an object
 * with exactly one key: `wait`, `interaction`, `complete`, `fail` or `review`.
 */
export const SCENARIO_SCHEMA = {
  $id: 'https://deckhand.local/schemas/scenario.json',
  type: 'object',
  required: ['name', 'runs'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9][a-z0-9_]{0,63}$' },
    description: { type: 'string', maxLength: 500 },
    runs: {
      type: 'array',
      minItems: 1,
      maxItems: 20,
      items: {
        type: 'object',
        required: ['steps'],
        additionalProperties: false,
        properties: {
          steps: {
            type: 'array',
            minItems: 1,
            maxItems: 100,
            items: {
              type: 'object',
              minProperties: 1,
              maxProperties: 1,
              additionalProperties: false,
              properties: {
                wait: { anyOf: [{ const: 'step' }, duration] },
                interaction: {
                  type: 'object',
                  required: ['type', 'message', 'fields'],
                  additionalProperties: false,
                  properties: {
                    type: { type: 'string', minLength: 1, maxLength: 64 },
                    message: { type: 'string', minLength: 1, maxLength: 1000 },
                    fields: {
                      type: 'array',
                      minItems: 1,
                      maxItems: 10,
                      items: {
                        type: 'object',
                        required: ['name', 'label'],
                        additionalProperties: false,
                        properties: {
                          name: { type: 'string', pattern: fieldName },
                          type: { type: 'string', minLength: 1, maxLength: 32 },
                          label: { type: 'string', minLength: 1, maxLength: 200 },
                        },
                      },
                    },
                    accept: {
                      type: 'object',
                      propertyNames: { pattern: fieldName },
                      additionalProperties: { type: 'array', items: { type: 'string' }, maxItems: 100 },
                    },
                    max_attempts: { type: 'integer', minimum: 1, maximum: 10 },
                    retry_message: { type: 'string', minLength: 1, maxLength: 1000 },
                    window: duration,
                    on_exhausted: runError,
                  },
                },
                complete: {
                  type: 'object',
                  additionalProperties: false,
                  properties: { result: { enum: [...TASK_RUN_RESULTS] }, output: {} },
                },
                fail: {
                  type: 'object',
                  required: ['error'],
                  additionalProperties: false,
                  properties: { error: runError, credential: { enum: ['invalid', 'unchanged'] } },
                },
                review: { type: 'object', additionalProperties: false, properties: {} },
              },
            },
          },
        },
      },
    },
    credential: {
      type: 'object',
      additionalProperties: false,
      properties: { breaks_after: duration },
    },
    faults: {
      type: 'object',
      additionalProperties: false,
      properties: {
        duplicate: { type: 'integer', minimum: 1, maximum: 5 },
        reorder_window_ms: { type: 'integer', minimum: 1, maximum: 3_600_000 },
        delay_ms: { type: 'integer', minimum: 1, maximum: 86_400_000 },
        drop_first: { type: 'integer', minimum: 1, maximum: 10 },
        fail_first: { type: 'integer', minimum: 1, maximum: 10 },
        bad_signature: { type: 'boolean' },
        stale_timestamp_s: { type: 'integer', minimum: 1, maximum: 86_400 },
        dual_signature: { type: 'boolean' },
        late_events: { type: 'integer', minimum: 1, maximum: 3600 },
      },
    },
  },
} as const;
