import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { Page } from '@playwright/test';

import { DESKTOP, PHONE } from './chromium';
import { RESULTS_DIR } from './system';

/** Where every screenshot lands; the README names this folder. */
export const SCREENSHOTS_DIR = join(RESULTS_DIR, 'screenshots');

export interface ScreenshotOptions {
  /** Also take `<name>-phone.png` at 390×844 (the page is resized, then put back). */
  phone?: boolean;
}

/**
 * A full-page PNG of the page as it is: `.test-results/screenshots/<name>.png`
 * (`<name>-phone.png` when the page itself is phone-sized). With `{ phone: true }`
 * a desktop page is also shot at 390×844. Animations are stopped first.
 * Returns the files written.
 */
export async function screenshot(page: Page, name: string, options: ScreenshotOptions = {}): Promise<string[]> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const size = page.viewportSize() ?? DESKTOP;
  const isPhone = size.width <= PHONE.width + 100;
  const files = [await shoot(page, isPhone ? `${name}-phone` : name)];
  if (options.phone && !isPhone) {
    await page.setViewportSize(PHONE);
    try {
      files.push(await shoot(page, `${name}-phone`));
    } finally {
      await page.setViewportSize(size);
      await settled(page);
    }
  }
  return files;
}

async function shoot(page: Page, name: string): Promise<string> {
  const path = join(SCREENSHOTS_DIR, `${name}.png`);
  await settled(page);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}

/** Fonts loaded and two frames painted after the last layout change (a resize re-lays the page out). */
async function settled(page: Page): Promise<void> {
  await page.evaluate(async () => {
    // Runs in the page (the Node-side tsconfig has no DOM types).
    const win = globalThis as unknown as BrowserWindow;
    await win.document.fonts.ready;
    await new Promise<void>((resolve) => win.requestAnimationFrame(() => win.requestAnimationFrame(() => resolve())));
  });
}

interface BrowserWindow {
  document: { fonts: { ready: Promise<unknown> } };
  requestAnimationFrame(callback: () => void): number;
}
