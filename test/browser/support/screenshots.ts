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
 * A PNG of the whole page as it is: `.test-results/screenshots/<name>.png`
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

/**
 * The console scrolls inside its content pane, where Playwright's `fullPage`
 * stops at the window's edge: the window is made as tall as the content for the
 * shot (at most MAX_HEIGHT), then put back.
 */
async function shoot(page: Page, name: string): Promise<string> {
  const path = join(SCREENSHOTS_DIR, `${name}.png`);
  const size = page.viewportSize() ?? DESKTOP;
  try {
    await settled(page);
    await growToContent(page, size);
    await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  } finally {
    if (page.viewportSize()?.height !== size.height) {
      await page.setViewportSize(size);
      await settled(page);
    }
  }
  return path;
}

/** Never taller than this (px): a runaway list should not make a 100 MB picture. */
const MAX_HEIGHT = 6_000;

/** Two passes: growing may lay the page out again. */
async function growToContent(page: Page, size: { width: number; height: number }): Promise<void> {
  let height = size.height;
  for (let pass = 0; pass < 2; pass++) {
    const hidden = await page.evaluate(hiddenBelow);
    if (hidden <= 1 || height >= MAX_HEIGHT) {
      return;
    }
    height = Math.min(MAX_HEIGHT, height + hidden);
    await page.setViewportSize({ width: size.width, height });
    await settled(page);
  }
}

/** Runs in the page: the most any scrolling pane hides below its visible part. */
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
