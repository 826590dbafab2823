/**
 * End to end in headless Chromium (issue 10 §1): Create contact from an unknown sender through the
 * review form, the link to the new record, and the item then showing its sender resolved; the pane's
 * regarding search with the recent records before typing, the record-type filter and the "10+"
 * count. The workbench, the real pane, the Outlook simulator, against a started CRM emulator.
 */
import type { Frame, Page } from 'playwright-core';
import { seriousViolations } from './support/axe';
import { openItem, paneFrame, paneStatus, screenshot } from './support/harness';
import { useWorkbenchSuite } from './support/suite';

jest.setTimeout(120_000);

const suite = useWorkbenchSuite({ restoreTables: false });

const PANE_SCOPE = { include: ['[data-testid="pane-frame"]'] };
const expectAccessible = async (page: Page) => {
  expect(await seriousViolations(page, PANE_SCOPE)).toEqual([]);
};
const button = (pane: Frame, name: string) => pane.getByRole('button', { name, exact: true });
/** The search's results (the type filter's <option>s are options too). */
const results = (pane: Frame) => pane.getByRole('listbox', { name: 'Records' }).getByRole('option');

test('unknown sender: Create contact → edit the names → Create → the link opens the record, and the sender then resolves', async () => {
  const wb = await suite.open();
  const { page, ids, context } = wb;
  const pane = await paneFrame(page);
  await openItem(page, ids.partnership!);
  expect(await paneStatus(pane, ids.partnership!)).toBe('not-tracked');

  await button(pane, 'Create contact').click();
  const first = pane.getByRole('textbox', { name: 'First name' });
  await first.waitFor();
  // §2.5: "Alex Stranger" splits at the last space.
  expect(await first.inputValue()).toBe('Alex');
  expect(await pane.getByRole('textbox', { name: /^Last name/ }).inputValue()).toBe('Stranger');
  await first.fill('Alexandra');
  await pane.getByRole('textbox', { name: /^Last name/ }).fill('Stranger-Smith');
  await screenshot(page, '50-create-contact-form');
  await button(pane, 'Create contact').click();

  const link = pane.getByRole('link', { name: 'Open the contact in the CRM' });
  await link.waitFor({ timeout: 20_000 });
  const rows = suite.h.emu.db
    .prepare("select * from contact where emailaddress1 = 'stranger@example.org'")
    .all() as Record<string, unknown>[];
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ firstname: 'Alexandra', lastname: 'Stranger-Smith' });
  const href = (await link.getAttribute('href'))!;
  expect(href.startsWith(`${suite.h.crmUrl}/main.aspx?etn=contact&id=`)).toBe(true);
  const record = await context.newPage();
  expect((await record.goto(href))?.status()).toBe(200);
  expect(await record.textContent('[data-testid="record-name"]')).toBe('Alexandra Stranger-Smith');
  await record.close();

  // The item was checked again: the sender is now the new contact, and Create is no longer offered.
  await pane.waitForFunction(() => !document.body.textContent?.includes('Create lead'), undefined, {
    timeout: 15_000,
  });
  expect(await pane.textContent('[data-testid="item-status"]')).toContain('Alexandra Stranger-Smith');
  await button(pane, 'Done').click();
  await pane.getByRole('link', { name: 'Open the contact in the CRM' }).waitFor({ state: 'detached' });
  await expectAccessible(page);
});

test('regarding search: recent records before typing after a first choice, the type filter, "10+"', async () => {
  const wb = await suite.open();
  const { page, ids } = wb;
  const pane = await paneFrame(page);
  // Twelve contacts share a name, so a search for it has more than the ten shown.
  for (let i = 0; i < 12; i += 1) {
    const created = await fetch(`${suite.h.crmUrl}/api/data/v9.2/contacts`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        firstname: 'Quill',
        lastname: `Test ${i}`,
        emailaddress1: `quill${i}@example.org`,
      }),
    });
    expect(created.status).toBeLessThan(300);
  }

  await openItem(page, ids.lunch!);
  await paneStatus(pane, ids.lunch!);
  const opener = pane.getByRole('button', { name: /^(Set|Change) Regarding$/ });
  await opener.click();
  const field = pane.getByRole('combobox', { name: 'Search records' });
  await field.fill('Quill');
  await pane.getByText('10+ records found.').waitFor({ timeout: 15_000 });
  expect(await results(pane).count()).toBe(10);

  await pane.getByRole('combobox', { name: 'Record type' }).selectOption('lead');
  await pane.getByText('No lead matches "Quill".').waitFor({ timeout: 15_000 });
  await pane.getByRole('combobox', { name: 'Record type' }).selectOption('all');
  await field.fill('Fabrikam');
  await results(pane).first().waitFor({ timeout: 15_000 });
  const chosen = ((await results(pane).first().locator('span').first().textContent()) ?? '').trim();
  await results(pane).first().click();
  expect(await paneStatus(pane, ids.lunch!, ['tracked'])).toBe('tracked');

  // Another email: before anything is typed, the record just chosen is offered.
  await openItem(page, ids.demoForward!);
  await paneStatus(pane, ids.demoForward!);
  await pane.getByRole('button', { name: /^(Set|Change) Regarding$/ }).click();
  const recent = pane.getByRole('listbox', { name: 'Recent records' });
  await recent.waitFor({ timeout: 15_000 });
  expect(
    ((await recent.getByRole('option').first().locator('span').first().textContent()) ?? '').trim(),
  ).toBe(chosen);
  await screenshot(page, '51-regarding-search-recent');
  await expectAccessible(page);
});
