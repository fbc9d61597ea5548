/**
 * Everything a browser test needs: `import { test, expect, signIn, … } from './support';`
 * See test/browser/README.md for what each helper does.
 */
export { expectNoSeriousA11yViolations } from './a11y';
export type { A11yOptions } from './a11y';
export { ADMIN, ApiCallError, ApiClient, endSessionOf } from './api';
export type { Account, ApiAnswer, NewCredential } from './api';
export { DESKTOP, PHONE } from './chromium';
export { expect, signIn, test } from './fixtures';
export type { OpenContextOptions, OpenedContext } from './fixtures';
export { controlLiveSocket } from './live-socket';
export type { LiveSocketControl } from './live-socket';
export { screenshot, SCREENSHOTS_DIR } from './screenshots';
export type { SystemInfo } from './system';
