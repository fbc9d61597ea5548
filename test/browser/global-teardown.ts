import type { FullConfig } from '@playwright/test';

import { stopSystem } from './support/system';

/** Stops the sandbox and the api global setup started and removes their temporary folder. */
export default async function globalTeardown(_config: FullConfig): Promise<void> {
  await stopSystem();
}
