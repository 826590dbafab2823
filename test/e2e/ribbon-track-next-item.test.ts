/**
 * Walk 13b, defect 1: the ribbon's Track pressed on one email after another, with the pane pinned.
 * Each card says tracked without the email being selected again: the pane's watch takes its first
 * look at a newly selected email as a first look, not as a change from the email before. Headless
 * Chromium on the workbench (the real pane and ribbon command) against the CRM emulator.
 */
import type { Frame, Page } from 'playwright-core';
import { openItem, paneFrame, paneStatus } from './support/harness';
import { useWorkbenchSuite } from './support/suite';

jest.setTimeout(120_000);

const suite = useWorkbenchSuite();

/** The ribbon's Track on the email just opened, pressed as soon as the pane has checked it. */
async function trackFromRibbonOnceChecked(page: Page, pane: Frame, itemId: string): Promise<string> {
  await openItem(page, itemId);
  expect(await paneStatus(pane, itemId)).toBe('not-tracked');
  await page.getByRole('button', { name: 'Track in CRM', exact: true }).click();
  // A few of the watch's looks (every 750 ms); before the fix the card stayed "not tracked" for good.
  return paneStatus(pane, itemId, ['tracked'], 10_000);
}

test('Track from the ribbon on one email after another: each card says tracked, no reselection', async () => {
  const { page, ids } = await suite.open();
  const pane = await paneFrame(page);
  for (const key of ['invoice', 'lunch', 'partnership', 'kickoffNotes', 'onboarding']) {
    expect(await trackFromRibbonOnceChecked(page, pane, ids[key]!)).toBe('tracked');
    // Two of the watch's looks at the tracked email: its tags are what the watch saw last when the
    // next email is opened (the case that was missed).
    await page.waitForTimeout(1_600);
  }
});
