import { randomUUID } from 'node:crypto';

import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

/**
 * Small readers of the operator console shared by operator-flows.pw.ts and
 * live-resilience.pw.ts (import from './support/console-page').
 */

/** A fresh external id with a readable prefix: every test makes its own credentials. */
export function freshExternalId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** The credentials table's row of one credential (ours, not Deck's, id). */
export function credentialRow(page: Page, credentialId: string): Locator {
  return page.locator(`[data-testid="credential-row"][data-id="${credentialId}"]`);
}

/** The header's connection indicator (`data-state`: connecting, live, reconnecting, offline). */
export function connectionIndicator(page: Page): Locator {
  return page.getByTestId('connection-indicator');
}

/** The number the header's prompt badge says, read from its label ("1 open prompt", "3 open prompts"). */
export async function promptBadgeCount(page: Page): Promise<number> {
  const label = (await page.getByTestId('prompt-badge').getAttribute('aria-label')) ?? '';
  const match = /^(\d+) open prompts?$/.exec(label.trim());
  if (!match) {
    throw new Error(`the prompt badge's label is not "<n> open prompts": ${JSON.stringify(label)}`);
  }
  return Number(match[1]);
}

/**
 * Marks the page's document, so a test can later show that what it saw arrived
 * without a reload (a reload or a full navigation loses the mark).
 */
export async function markDocument(page: Page): Promise<() => Promise<void>> {
  const mark = randomUUID();
  await page.evaluate((value) => {
    (globalThis as unknown as { __deckhandTestMark?: string }).__deckhandTestMark = value;
  }, mark);
  return async () => {
    const found = await page.evaluate(
      () => (globalThis as unknown as { __deckhandTestMark?: string }).__deckhandTestMark ?? null,
    );
    expect(found, 'the page was not reloaded (its document is still the one the test marked)').toBe(mark);
  };
}

/** Every `data-id` of the credential rows now on the page, in order. */
export async function rowIds(page: Page): Promise<string[]> {
  return page
    .getByTestId('credential-row')
    .evaluateAll((rows) => rows.map((row) => (row as unknown as { dataset: { id?: string } }).dataset.id ?? ''));
}
