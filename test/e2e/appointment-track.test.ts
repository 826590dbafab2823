/**
 * Issue 12, "Tracking appointments": a meeting tracked from the ribbon in the workbench (the real
 * command runtime, the simulator's calendar) appears in the CRM emulator as an appointment whose
 * activity parties are its organizer and attendees, resolved to the demo CRM's records; a second
 * press finds it. The pane on a meeting: its attendees as the CRM resolves them, Track, Set Regarding
 * and Untrack, no sender. Screenshots go to test-output/e2e/ (60-6x).
 */
import type { Page } from 'playwright-core';
import { openItem, paneFrame, paneStatus, screenshot, waitForNotification } from './support/harness';
import { useWorkbenchSuite } from './support/suite';

jest.setTimeout(180_000);

const suite = useWorkbenchSuite();

interface PartyRow {
  participationtypemask: number;
  addressused: string | null;
  _partyid_value: string | null;
}

const meetingId = (page: Page, subject: string): Promise<string> =>
  page.evaluate(
    (wanted) => window.__TIC_SIM__!.mailbox.calendarItems().find((i) => i.subject === wanted)?.id ?? '',
    subject,
  );

const appointmentRows = (subject: string) =>
  suite.h.emu.db
    .prepare('SELECT activityid, scheduledstart, location FROM appointment WHERE subject = ?')
    .all(subject) as { activityid: string; scheduledstart: string; location: string }[];

const partiesOf = (activityId: string): PartyRow[] =>
  suite.h.emu.db
    .prepare(
      'SELECT participationtypemask, addressused, _partyid_value FROM activityparty WHERE _activityid_value = ?',
    )
    .all(activityId) as PartyRow[];

const idOf = (table: string, key: string, column: string, address: string): string | undefined =>
  (
    suite.h.emu.db.prepare(`SELECT ${key} AS id FROM ${table} WHERE ${column} = ?`).get(address) as
      { id: string } | undefined
  )?.id;

async function trackFromRibbon(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Track in CRM', exact: true }).click();
  return waitForNotification(page, /Tracked in the CRM|Already tracked|Not tracked/);
}

test('a meeting the user organizes, tracked from the ribbon, is in the CRM with its attendees as activity parties', async () => {
  const { page } = await suite.open();
  const itemId = await meetingId(page, 'Q3 pricing review');
  await openItem(page, itemId);
  expect(await trackFromRibbon(page)).toBe('Tracked in the CRM.');
  await screenshot(page, '60-appointment-tracked-from-ribbon');

  const [row, ...more] = appointmentRows('Q3 pricing review');
  expect(more).toEqual([]);
  expect(row?.location).toBe('Teams meeting');
  const parties = partiesOf(row!.activityid)
    .map((p) => `${p.participationtypemask} ${p.addressused} ${p._partyid_value ?? 'unresolved'}`)
    .sort();
  expect(parties).toEqual(
    [
      `7 dana@contoso.com ${idOf('systemuser', 'systemuserid', 'internalemailaddress', 'dana@contoso.com')}`,
      `5 ann@fabrikam.com ${idOf('contact', 'contactid', 'emailaddress1', 'ann@fabrikam.com')}`,
      '5 stranger@example.org unresolved',
      `6 sam@contoso.com ${idOf('systemuser', 'systemuserid', 'internalemailaddress', 'sam@contoso.com')}`,
    ].sort(),
  );
  const chips = await page.locator('article.meeting [data-testid="category"]').allTextContents();
  expect(chips).toContain('Tracked to CRM');
});

test('a meeting the user attends is tracked too; pressed again, it is found, not made twice', async () => {
  const { page } = await suite.open();
  const itemId = await meetingId(page, 'Adventure Works product demo');
  await openItem(page, itemId);
  expect(await trackFromRibbon(page)).toBe('Tracked in the CRM.');
  await page.locator('[data-testid="notification"] button').first().click();
  expect(await trackFromRibbon(page)).toBe('Already tracked in the CRM.');

  const rows = appointmentRows('Adventure Works product demo');
  expect(rows).toHaveLength(1);
  const organizer = partiesOf(rows[0]!.activityid).find((p) => p.participationtypemask === 7);
  expect(organizer?._partyid_value).toBe(
    idOf('contact', 'contactid', 'emailaddress1', 'carla@adventure-works.com'),
  );
});

test('the pane on a meeting: the attendees as resolved, Track, then Set Regarding; no sender line', async () => {
  const { page } = await suite.open();
  const pane = await paneFrame(page);
  const itemId = await meetingId(page, 'Adventure Works product demo');
  await openItem(page, itemId);
  expect(await paneStatus(pane, itemId)).toBe('not-tracked');
  const attendees = await pane.locator('[data-testid="appointment-attendees"] li').allTextContents();
  expect(attendees.find((t) => t.startsWith('Organizer'))).toMatch(
    /carla@adventure-works\.com.*Contact Carla Diaz/,
  );
  expect(await pane.getByText(/^From /).count()).toBe(0);

  await pane.getByRole('button', { name: 'Track', exact: true }).click();
  expect(await paneStatus(pane, itemId, ['tracked'])).toBe('tracked');
  expect(appointmentRows('Adventure Works product demo')).toHaveLength(1);

  await pane.getByRole('button', { name: /^(Set|Change) Regarding$/ }).click();
  await pane.getByRole('combobox', { name: 'Search records' }).fill('Fabrikam');
  const results = pane.getByRole('listbox', { name: 'Records' }).getByRole('option');
  await results.first().waitFor({ timeout: 15_000 });
  await results.first().click();
  // The regarding line is the lasting state; "Regarding set." is the action's message, which the pane's
  // watch may replace with the item's status once it reads the tag the action wrote (under load, first).
  await pane.getByTestId('item-regarding').getByText('Fabrikam').waitFor({ timeout: 15_000 });
  await screenshot(page, '61-appointment-pane-regarding-set');
  const [row] = suite.h.emu.db
    .prepare('SELECT _regardingobjectid_value AS regarding FROM appointment WHERE subject = ?')
    .all('Adventure Works product demo') as { regarding: string | null }[];
  expect(row?.regarding).toBeTruthy();
});

test("the pane on the organizer's meeting form untracks it: the appointment leaves the CRM, the tags the item", async () => {
  const { page } = await suite.open();
  const pane = await paneFrame(page);
  const itemId = await meetingId(page, 'Fabrikam site visit');
  await openItem(page, itemId);
  expect(await trackFromRibbon(page)).toBe('Tracked in the CRM.');
  expect(await paneStatus(pane, itemId, ['tracked'])).toBe('tracked');
  await pane.getByRole('button', { name: 'Untrack', exact: true }).click();
  await pane
    .getByRole('dialog')
    .getByRole('button', { name: /Untrack/ })
    .click();
  expect(await paneStatus(pane, itemId, ['not-tracked'])).toBe('not-tracked');
  expect(appointmentRows('Fabrikam site visit')).toEqual([]);
  const chips = await page.locator('article.meeting [data-testid="category"]').allTextContents();
  expect(chips).not.toContain('Tracked to CRM');
});
