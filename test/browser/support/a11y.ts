import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';

const FAILING_IMPACTS = new Set(['serious', 'critical']);

export interface A11yOptions {
  /** CSS selectors left out of the scan (say why at the call site). */
  exclude?: string[];
}

/**
 * Runs axe-core on the page as it is now and fails on any serious or critical
 * violation, listing each rule with the elements it found. Every finding (minor
 * ones too) is attached to the test as `a11y-<name>.json`.
 */
export async function expectNoSeriousA11yViolations(
  page: Page,
  name: string,
  options: A11yOptions = {},
): Promise<void> {
  let builder = new AxeBuilder({ page });
  for (const selector of options.exclude ?? []) {
    builder = builder.exclude(selector);
  }
  const results = await builder.analyze();
  if (results.violations.length > 0) {
    // Every finding, minor ones too, for whoever looks at the report.
    await test.info().attach(`a11y-${name}.json`, {
      body: JSON.stringify(results.violations, null, 2),
      contentType: 'application/json',
    });
  }
  const serious = results.violations.filter((v) => FAILING_IMPACTS.has(v.impact ?? ''));
  const report = serious
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `    at ${n.target.join(' ')}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`)
        .join('\n');
      return `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}`;
    })
    .join('\n');
  expect(serious.length, `${name}: ${serious.length} serious or critical accessibility violations\n${report}`).toBe(0);
}
