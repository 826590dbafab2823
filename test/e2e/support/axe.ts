/** Accessibility scan with axe-core: the serious and critical violations, one readable line each. */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

export interface ScanScope {
  /** CSS selectors to scan (default: the whole page, frames included). */
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
}

/**
 * Fluent UI v9's focus manager (Tabster) puts `<i tabindex="0" aria-hidden="true" data-tabster-dummy>`
 * sentinels around focus groups: they pass focus on at once and are never announced. axe reports them
 * as aria-hidden-focus (a known false positive, microsoft/tabster and axe-core discussions); they are
 * left out of that one rule, nothing else.
 */
function isTabsterDummy(rule: string, html: string): boolean {
  return rule === 'aria-hidden-focus' && /^<i\b[^>]*\bdata-tabster-dummy\b/.test(html);
}

export async function seriousViolations(page: Page, scope: ScanScope = {}): Promise<string[]> {
  let builder = new AxeBuilder({ page });
  for (const selector of scope.include ?? []) builder = builder.include(selector);
  for (const selector of scope.exclude ?? []) builder = builder.exclude(selector);
  const results = await builder.analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ ...v, nodes: v.nodes.filter((n) => !isTabsterDummy(v.id, n.html)) }))
    .filter((v) => v.nodes.length > 0)
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} at ${v.nodes
          .slice(0, 5)
          .map((n) => JSON.stringify(n.target))
          .join(', ')}`,
    );
}
