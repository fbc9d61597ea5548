import type { FullConfig } from '@playwright/test';

import { startSystem, SYSTEM_FILE_VARIABLE } from './support/system';

/**
 * Starts the sandbox and the api (serving the built dashboard) once for the run.
 * The workers find them through DECKHAND_BASE_URL and the file DECKHAND_SYSTEM_FILE names
 * (in the run's temporary folder, so runs sharing a checkout never mix their systems).
 */
export default async function globalSetup(_config: FullConfig): Promise<void> {
  const started = Date.now();
  const system = await startSystem();
  process.env.DECKHAND_BASE_URL = system.baseURL;
  process.env[SYSTEM_FILE_VARIABLE] = system.file;
  console.log(
    `[browser] api + dashboard on ${system.baseURL}, sandbox on ${system.sandboxURL} ` +
      `(ready in ${((Date.now() - started) / 1000).toFixed(1)} s; logs in ${system.logs.api.replace(/[^/]+$/, '')})`,
  );
}
