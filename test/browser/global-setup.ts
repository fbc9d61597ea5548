import type { FullConfig } from '@playwright/test';

import { startSystem, SYSTEM_FILE } from './support/system';

/**
 * Starts the sandbox and the api (serving the built dashboard) once for the run.
 * The workers find them through DECKHAND_BASE_URL and the file in DECKHAND_SYSTEM_FILE.
 */
export default async function globalSetup(_config: FullConfig): Promise<void> {
  const started = Date.now();
  const system = await startSystem();
  process.env.DECKHAND_BASE_URL = system.baseURL;
  process.env.DECKHAND_SYSTEM_FILE = SYSTEM_FILE;
  console.log(
    `[browser] api + dashboard on ${system.baseURL}, sandbox on ${system.sandboxURL} ` +
      `(ready in ${((Date.now() - started) / 1000).toFixed(1)} s; logs in ${system.logs.api.replace(/[^/]+$/, '')})`,
  );
}
