/**
 * Issue 10, "one truth for the item on screen" and "nothing is ever lost", where the ribbon's Set
 * Regarding dialog meets the pinned pane: with OverrideTrackInCrmBehaviour = 1 the ribbon's Track
 * asks for a regarding record first, and nothing may be sent, queued or said tracked while the
 * dialog is open (the pane watches the item and the queue every 750 ms). Headless Chromium on the
 * workbench (the real pane, ribbon command and dialog) against the CRM emulator.
 * Screenshots go to test-output/e2e/ (50-5x).
 */
import type { Frame, Page } from 'playwright-core';
import { openItem, paneFrame, paneStatus, screenshot, waitForNotification } from './support/harness';
import { useWorkbenchSuite } from './support/suite';

jest.setTimeout(120_000);

const suite = useWorkbenchSuite({
  orgSettings: '<OrgSettings><OverrideTrackInCrmBehaviour>1</OverrideTrackInCrmBehaviour></OrgSettings>',
});

/** Longer than four runs of the pane's watch (every 750 ms): what it would have done, it has done. */
const WATCH_RUNS_MS = 3_000;

const messageIdOf = (page: Page, itemId: string): Promise<string> =>
  page.evaluate((id) => window.__TIC_SIM__?.mailbox.getItem(id).internetMessageId ?? '', itemId);

const emailRows = (messageId: string) =>
  suite.h.emu.db
    .prepare('SELECT _regardingobjectid_type, _regardingobjectid_value FROM email WHERE messageid = ?')
    .all(messageId) as { _regardingobjectid_type: string | null; _regardingobjectid_value: string | null }[];

/** The pending queue as the add-in keeps it (roaming settings, shared by every runtime here). */
const queued = (page: Page): Promise<unknown[]> =>
  page.evaluate(
    () =>
      (window.__TIC_SIM__!.Office.context.roamingSettings.get('tic') as { pending?: unknown[] } | undefined)
        ?.pending ?? [],
  );

const notifications = (page: Page): Promise<string[]> =>
  page.locator('[data-testid="notification"] span').allTextContents();

const chips = (page: Page): Promise<string[]> =>
  page.locator('article.email [data-testid="category"]').allTextContents();

const cardStatus = (pane: Frame): Promise<string | null> =>
  pane.locator('[data-testid="item-status"]').getAttribute('data-status');

/**
 * The pane pinned on "Invoice 4471" (not tracked), the ribbon's Track in CRM pressed, the Set
 * Regarding dialog open, and the pane's watch given time to act on what it sees.
 */
async function dialogOpenWithPanePinned() {
  const wb = await suite.open();
  const { page, ids } = wb;
  const pane = await paneFrame(page);
  const itemId = ids.invoice!;
  await openItem(page, itemId);
  expect(await paneStatus(pane, itemId)).toBe('not-tracked');
  const messageId = await messageIdOf(page, itemId);

  await page.getByRole('button', { name: 'Track in CRM', exact: true }).click();
  await page.waitForSelector('.modal-backdrop:not([hidden]) iframe', { timeout: 15_000 });
  await new Promise((resolve) => setTimeout(resolve, WATCH_RUNS_MS));

  // The dialog's time is the user's: nothing sent, nothing waiting, nothing said tracked.
  expect(emailRows(messageId)).toEqual([]);
  expect(await queued(page)).toEqual([]);
  expect(await cardStatus(pane)).not.toBe('tracked');
  expect((await notifications(page)).filter((text) => /Tracked in the CRM/.test(text))).toEqual([]);
  expect(await chips(page)).not.toContain('Tracked to CRM');
  const frame = (await (await page.$('.modal iframe'))!.contentFrame())!;
  return { page, pane, frame, itemId, messageId };
}

test('a record chosen: one activity, regarding it; the pane says tracked, not "Already tracked"', async () => {
  const { page, pane, frame, itemId, messageId } = await dialogOpenWithPanePinned();
  await screenshot(page, '50-ribbon-dialog-open-pane-pinned');

  await frame.getByRole('combobox', { name: 'Find the record this email is regarding' }).fill('Fabrikam');
  const option = frame
    .getByRole('option')
    .filter({ hasText: /^Fabrikam\s*Account/ })
    .first();
  await option.waitFor({ timeout: 15_000 });
  await option.click();
  await page.waitForSelector('.modal-backdrop', { state: 'hidden' });

  await waitForNotification(page, /^Tracked in the CRM/);
  expect(await paneStatus(pane, itemId, ['tracked'], 10_000)).toBe('tracked');
  const account = suite.h.emu.db.prepare("SELECT accountid FROM account WHERE name = 'Fabrikam'").get() as {
    accountid: string;
  };
  expect(emailRows(messageId)).toEqual([
    { _regardingobjectid_type: 'account', _regardingobjectid_value: account.accountid },
  ]);
  // The card settles (the pane's re-check after the tags changed) without "Already tracked".
  await new Promise((resolve) => setTimeout(resolve, WATCH_RUNS_MS));
  expect(await pane.locator('body').innerText()).not.toMatch(/Already tracked/);
  expect(await queued(page)).toEqual([]);
  expect(emailRows(messageId)).toHaveLength(1);
  await screenshot(page, '51-ribbon-dialog-chosen-pane-tracked');
});

test('Escape: no activity, nothing queued, the pane and the notification do not say tracked', async () => {
  const { page, pane, frame, itemId, messageId } = await dialogOpenWithPanePinned();

  await frame.getByRole('combobox', { name: 'Find the record this email is regarding' }).press('Escape');
  await page.waitForSelector('.modal-backdrop', { state: 'hidden', timeout: 10_000 });
  await waitForNotification(page, /^Not tracked: no regarding record was chosen\./);
  await new Promise((resolve) => setTimeout(resolve, WATCH_RUNS_MS));

  expect(emailRows(messageId)).toEqual([]);
  expect(await queued(page)).toEqual([]);
  expect(await paneStatus(pane, itemId)).not.toBe('tracked');
  expect((await notifications(page)).filter((text) => /Tracked in the CRM/.test(text))).toEqual([]);
  expect(await chips(page)).not.toContain('Tracked to CRM');
  await screenshot(page, '52-ribbon-dialog-escaped');
});
