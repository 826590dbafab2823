/**
 * The pane as Outlook mobile shows it (issue 13, Outlook mobile): a phone's width (360 × 640 CSS px),
 * a touch screen and a mobile browser, driven by taps only. Through opening an email, tracking it,
 * the regarding search and the tabs, nothing in the pane scrolls sideways, the controls used are on
 * screen, each is a touch target at least 44 px high, and axe finds nothing serious.
 *
 * Every emulator table is restored after each test. Screenshots: test-output/e2e/mobile-pane*.png.
 */
import type { Frame, Locator, Page } from 'playwright-core';
import { seriousViolations } from './support/axe';
import path from 'node:path';
import { SCREENSHOTS, openItem, paneFrame, paneStatus } from './support/harness';
import { useWorkbenchSuite } from './support/suite';

jest.setTimeout(120_000);

const PHONE = { width: 360, height: 640 } as const;
const TOUCH_TARGET = 44;
const PANE_SCOPE = { include: ['[data-testid="pane-frame"]'] };

const suite = useWorkbenchSuite();

/**
 * The workbench on a touch device with the pane's frame (its window) exactly a phone's size. The
 * workbench's own lists stay beside it, wide enough to tap an email.
 */
async function openPhone(): Promise<{ page: Page; pane: Frame; ids: Record<string, string> }> {
  const wb = await suite.open({ width: 1200, height: 800, touch: true });
  const { page, ids } = wb;
  const pane = await paneFrame(page);
  for (let tries = 0; tries < 4; tries += 1) {
    const inner = await pane.evaluate(() => [window.innerWidth, window.innerHeight] as const);
    if (inner[0] === PHONE.width && inner[1] === PHONE.height) break;
    await page.evaluate(
      ([dw, dh]) => {
        const aside = document.querySelector('aside.pane') as HTMLElement;
        const frame = document.querySelector('iframe[data-testid="pane-frame"]') as HTMLElement;
        aside.style.width = `${aside.getBoundingClientRect().width + dw}px`;
        frame.style.flex = 'none';
        frame.style.height = `${frame.getBoundingClientRect().height + dh}px`;
      },
      [PHONE.width - inner[0], PHONE.height - inner[1]] as const,
    );
  }
  expect(await pane.evaluate(() => [window.innerWidth, window.innerHeight])).toEqual([
    PHONE.width,
    PHONE.height,
  ]);
  return { page, pane, ids };
}

/** The pane alone, as the phone shows it. */
const shoot = (page: Page, name: string) =>
  page
    .locator('iframe[data-testid="pane-frame"]')
    .screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });

/** The pane's page scrolls no further sideways than its window. */
async function expectNoSidewaysScroll(pane: Frame): Promise<void> {
  const [scrollWidth, clientWidth] = await pane.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return [root.scrollWidth, root.clientWidth];
  });
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
}

/** On screen once scrolled to (not cut off at the sides), and at least a finger high. */
async function expectTappable(control: Locator): Promise<void> {
  await control.scrollIntoViewIfNeeded();
  // In the pane's own coordinates (a locator's boundingBox is the workbench page's).
  const box = await control.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, right: r.right, height: r.height };
  });
  expect(box.left).toBeGreaterThanOrEqual(0);
  expect(box.right).toBeLessThanOrEqual(PHONE.width);
  expect(box.height).toBeGreaterThanOrEqual(TOUCH_TARGET);
}

/** Controls in the pane that overlap another control (two targets under one finger). */
const overlappingControls = (pane: Frame): Promise<string[]> =>
  pane.evaluate(() => {
    const controls = [...document.querySelectorAll('[data-testid="pane"] button, [data-testid="pane"] input')]
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && r.height > 0);
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}[${(el.textContent ?? '').trim().slice(0, 20)}]`;
    const hits: string[] = [];
    controls.forEach((a, i) =>
      controls.slice(i + 1).forEach((b) => {
        if (a.el.contains(b.el) || b.el.contains(a.el)) return;
        const x = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
        const y = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
        if (x > 1 && y > 1) hits.push(`${name(a.el)} × ${name(b.el)}`);
      }),
    );
    return hits;
  });

test('on a phone, by touch: open an email, track it, set its regarding record, change tabs', async () => {
  const { page, pane, ids } = await openPhone();
  expect(await pane.evaluate(() => matchMedia('(pointer: coarse)').matches)).toBe(true);
  for (const tab of ['Email', 'Background check', 'Synchronization', 'Options', 'Connection'])
    await expectTappable(pane.getByTestId('pane-tabs').getByRole('tab', { name: tab }));

  await openItem(page, ids.invoice!);
  expect(await paneStatus(pane, ids.invoice!)).toBe('not-tracked');
  await expectNoSidewaysScroll(pane);
  expect(await overlappingControls(pane)).toEqual([]);
  const track = pane.getByRole('button', { name: 'Track', exact: true });
  await expectTappable(track);
  await expectTappable(pane.getByRole('button', { name: 'Set Regarding' }));
  await shoot(page, 'mobile-pane');
  expect(await seriousViolations(page, PANE_SCOPE)).toEqual([]);

  await track.tap();
  expect(await paneStatus(pane, ids.invoice!, ['tracked', 'needs-regarding'])).toMatch(
    /tracked|needs-regarding/,
  );
  await expectNoSidewaysScroll(pane);
  const regarding = pane.getByRole('button', { name: /^(Set|Change) Regarding$/ });
  await expectTappable(regarding);

  await regarding.tap();
  const search = pane.getByRole('combobox', { name: 'Search records' });
  await search.waitFor();
  await expectTappable(search);
  await search.fill('Contoso');
  const first = pane.locator('#regarding-results [role="option"]').first();
  await first.waitFor({ timeout: 15_000 });
  await expectTappable(first);
  await expectNoSidewaysScroll(pane);
  expect(await overlappingControls(pane)).toEqual([]);
  await shoot(page, 'mobile-pane-search');
  expect(await seriousViolations(page, PANE_SCOPE)).toEqual([]);
  await first.tap();
  await pane.locator('[data-testid="item-regarding"]').waitFor({ timeout: 15_000 });
  expect(await pane.locator('#regarding-search').count()).toBe(0);

  for (const tab of ['Connection', 'Options', 'Email']) {
    await pane.getByTestId('pane-tabs').getByRole('tab', { name: tab }).tap();
    await pane.waitForFunction(
      (name) =>
        document.querySelector('[data-testid="pane-tabs"] [aria-selected="true"]')?.textContent === name,
      tab,
    );
    await pane.getByRole('tabpanel').last().waitFor();
    await expectNoSidewaysScroll(pane);
    await shoot(page, `mobile-pane-${tab.toLowerCase()}`);
    expect(await seriousViolations(page, PANE_SCOPE)).toEqual([]);
  }
  await expectTappable(pane.getByRole('button', { name: /^Change Regarding$/ }));
});
