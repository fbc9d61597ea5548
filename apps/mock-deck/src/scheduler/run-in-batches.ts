import type { EntityManager } from 'typeorm';

import type { Transactor } from '@app/sqlite';

/** Due items done per transaction: bounds how long REST writes wait behind a pass. */
export const DUE_BATCH = 50;

/**
 * Does each due item in order, many per transaction and each in its own
 * savepoint: the same steps, order and times as one transaction each, for a
 * fraction of the commits and queue turns. One that fails is rolled back alone;
 * the others still commit, and the first failure is thrown at the end so the
 * pass reports it.
 */
export async function runInBatches<T>(
  transactor: Transactor,
  items: readonly T[],
  work: (manager: EntityManager, item: T) => Promise<void>,
): Promise<void> {
  const failures: unknown[] = [];
  for (let start = 0; start < items.length; start += DUE_BATCH) {
    const batch = items.slice(start, start + DUE_BATCH);
    await transactor.run(async (manager) => {
      for (const item of batch) {
        try {
          await manager.transaction((inner) => work(inner, item));
        } catch (error: unknown) {
          failures.push(error);
        }
      }
    });
  }
  if (failures.length > 0) {
    throw failures[0];
  }
}
