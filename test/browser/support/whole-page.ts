import type { Page } from '@playwright/test';

import { DESKTOP, PHONE } from './chromium';
import { screenshot } from './screenshots';

export interface WholePageOptions {
  /** Also shoot the page at 390×844 (as `<name>-phone.png`). */
  phone?: boolean;
}

/** Never taller than this (px): a runaway list should not make a 100 MB picture. */
const MAX_HEIGHT = 6_000;

/**
 * `screenshot()` of the WHOLE page, also where the page scrolls inside an
 * element rather than the document (the console's shell scrolls its content
 * pane, so a Playwright `fullPage` shot stops at the window's bottom edge): the
 * window is made as tall as the content for the shot, then put back.
 * Writes `<name>.png` at 1280 wide (or `<name>-phone.png` on a phone-sized page),
 * and with `{ phone: true }` also `<name>-phone.png` at 390 wide.
 */
export async function screenshotWholePage(page: Page, name: string, options: WholePageOptions = {}): Promise<string[]> {
  const size = page.viewportSize() ?? DESKTOP;
  const widths = [size.width, ...(options.phone && size.width > PHONE.width ? [PHONE.width] : [])];
  const files: string[] = [];
  try {
    for (const width of widths) {
      const height = width === size.width ? size.height : PHONE.height;
      await page.setViewportSize({ width, height });
      await page.setViewportSize({ width, height: await contentHeight(page, height) });
      files.push(...(await screenshot(page, name)));
    }
  } finally {
    await page.setViewportSize(size);
  }
  return files;
}

/** How tall the window must be for nothing to scroll inside it (two passes: growing may re-lay the page out). */
async function contentHeight(page: Page, height: number): Promise<number> {
  let total = height;
  for (let pass = 0; pass < 2; pass++) {
    const hidden = await page.evaluate(hiddenBelow);
    if (hidden <= 1) {
      break;
    }
    total = Math.min(MAX_HEIGHT, total + hidden);
    await page.setViewportSize({ width: page.viewportSize()?.width ?? DESKTOP.width, height: total });
  }
  return total;
}

/** Runs in the page: the most any scrolling element (the content pane) hides below its visible part. */
function hiddenBelow(): number {
  type El = { scrollHeight: number; clientHeight: number };
  const win = globalThis as unknown as {
    document: { querySelectorAll(s: string): Iterable<El> };
    getComputedStyle(el: El): { overflowY: string };
  };
  let most = 0;
  for (const el of win.document.querySelectorAll('mat-sidenav-content, main, [cdkscrollable], .mat-drawer-content')) {
    const overflow = win.getComputedStyle(el).overflowY;
    if ((overflow === 'auto' || overflow === 'scroll') && el.scrollHeight > el.clientHeight) {
      most = Math.max(most, el.scrollHeight - el.clientHeight);
    }
  }
  return most;
}
