import type { ValueTransformer } from 'typeorm';

/** sqlite returns big integers as numbers or strings depending on size; always hand back a number. */
export const msTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
