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

/**
 * Fluent v9 buttons fade their colours over ~100 ms when they change state (enabled to disabled, hover).
 * axe measures the colour of the moment, so a scan in the middle of a fade reports a contrast no one
 * ever sees settled (CI failed once on the diagnostics buttons right after an untrack, when the pane
 * re-decided the item during the scan). The scan runs with reduced motion, which Fluent honours by
 * making its transitions instant, and after every finite animation in every frame has finished;
 * spinners run forever and are not waited for.
 */
async function settled(page: Page): Promise<void> {
  for (const frame of page.frames()) {
    await frame
      .waitForFunction(
        () =>
          document
            .getAnimations()
            .every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity),
        undefined,
        { timeout: 3_000, polling: 50 },
      )
      .catch(() => undefined); // a frame still animating after 3 s is scanned as it is
  }
}

export async function seriousViolations(page: Page, scope: ScanScope = {}): Promise<string[]> {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await settled(page);
  let builder = new AxeBuilder({ page });
  for (const selector of scope.include ?? []) builder = builder.include(selector);
  for (const selector of scope.exclude ?? []) builder = builder.exclude(selector);
  const results = await builder.analyze().finally(() => page.emulateMedia({ reducedMotion: null }));
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
