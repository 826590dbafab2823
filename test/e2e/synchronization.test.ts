/**
 * Issue 12, synchronization in the pane: the workbench, the real pane and its "sync" chunk, the CRM
 * emulator and the harness's Graph emulator. The user's Outlook filter (a userquery row, as Dataverse
 * holds it) puts this file's contacts in scope; "Synchronize now" on the Synchronization tab runs it.
 * The other side's edits are made over HTTP, as another client would (Graph PATCH, Dataverse PATCH).
 *
 * Waits are on conditions (a run in the tab's log, rows in either emulator), never on fixed sleeps.
 * Screenshots go to test-output/e2e/ (sync-*.png).
 */
import type { Frame, Page } from 'playwright-core';
import { insertOutlookFilter } from '../../emulator/outlookFilter';
import { DEMO, seedId } from '../../emulator/seed';
import { seriousViolations } from './support/axe';
import { openItem, paneFrame, paneStatus, screenshot, type OpenOptions } from './support/harness';
import { useWorkbenchSuite } from './support/suite';

jest.setTimeout(180_000);

const suite = useWorkbenchSuite();
const GRAPH_AUTH = { Authorization: 'Bearer graph-emulator' };
const PANE_OPTIONS = { drainEveryMs: 1_000 };
const PANE_SCOPE = { include: ['[data-testid="pane-frame"]'] };

/** Polls `read` (sync or async) until it gives a value that is not null/undefined (bounded). */
async function eventually<T>(
  read: () => T | null | undefined | Promise<T | null | undefined>,
  timeout = 30_000,
): Promise<T> {
  const until = Date.now() + timeout;
  for (;;) {
    const value = await read();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > until) throw new Error(`Condition not met within ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** This test's contacts: a department of their own, and the user's one Outlook filter returning it. */
function contactInScope(test: string, row: Record<string, unknown>): string {
  const department = `E2E synchronization ${test}`;
  const h = suite.h;
  insertOutlookFilter(h.emu.db, {
    userqueryid: seedId(`e2e-sync:filter:${test}`),
    name: 'My contacts (e2e)',
    entity: 'contact',
    conditions: `<condition attribute="department" operator="eq" value="${department}"/>`,
    attribute: 'fullname',
  });
  const contactid = seedId(`e2e-sync:contact:${test}`);
  h.emu.db.insert('contact', {
    contactid,
    department,
    statecode: 0,
    statuscode: 1,
    _ownerid_value: DEMO.me,
    _ownerid_type: 'systemuser',
    ...row,
  });
  return contactid;
}

interface GraphContact {
  readonly id: string;
  readonly surname?: string | null;
  readonly jobTitle?: string | null;
  readonly businessPhones?: readonly string[];
}

async function outlookContacts(): Promise<GraphContact[]> {
  const res = await fetch(`${suite.h.graph.url}/me/contacts?$top=500`, { headers: GRAPH_AUTH });
  if (!res.ok) throw new Error(`GET /me/contacts: ${res.status}`);
  return ((await res.json()) as { value: GraphContact[] }).value;
}

const outlookContact = (surname: string) =>
  eventually(async () => (await outlookContacts()).find((c) => c.surname === surname));

async function editInOutlook(id: string, patch: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${suite.h.graph.url}/me/contacts/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    headers: { ...GRAPH_AUTH, 'Content-Type': 'application/json' },
    body: JSON.stringify(patch),
  });
  expect(res.status).toBe(200);
}

async function editInCrm(contactid: string, patch: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${suite.h.emu.url}/contacts(${contactid})`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(patch),
  });
  expect(res.status).toBe(204);
}

const crmContact = (contactid: string) =>
  suite.h.emu.db.prepare('SELECT jobtitle, telephone1 FROM contact WHERE contactid = ?').get(contactid) as {
    jobtitle: string | null;
    telephone1: string | null;
  };

/** The pane with a CRM session (an item decided), on its Synchronization tab. */
async function openSyncTab(): Promise<{ page: Page; pane: Frame }> {
  const options: OpenOptions = { graph: true, paneOptions: PANE_OPTIONS };
  const wb = await suite.open(options);
  const pane = await paneFrame(wb.page);
  const itemId = Object.values(wb.ids)[0]!;
  await openItem(wb.page, itemId);
  await paneStatus(pane, itemId);
  await pane.getByRole('tab', { name: 'Synchronization' }).click();
  await pane.waitForSelector('[data-testid="sync-status"][data-phase]', { timeout: 20_000 });
  return { page: wb.page, pane };
}

/** "Synchronize now", and waits until that run is in the log and the button can be pressed again. */
async function synchronizeNow(pane: Frame): Promise<void> {
  const runs = await pane.locator('[data-testid="sync-run"]').count();
  const button = pane.getByRole('button', { name: 'Synchronize now', exact: true });
  await button.click();
  await pane.waitForFunction(
    (before) =>
      document.querySelectorAll('[data-testid="sync-run"]').length > before &&
      document.querySelector('[data-testid="sync-status"]')?.getAttribute('data-phase') !== 'running',
    Math.min(runs, 9),
    { timeout: 60_000 },
  );
  await eventually(async () => ((await button.isEnabled()) ? true : null));
}

/** The newest run's log, as text. */
const newestRun = (pane: Frame) => pane.locator('[data-testid="sync-run"]').first().innerText();

test('a CRM contact in scope appears in Outlook, and the tab says what was done (axe clean)', async () => {
  contactInScope('create', { firstname: 'Rosa', lastname: 'Sync-Create', jobtitle: 'Buyer' });
  const { page, pane } = await openSyncTab();
  await synchronizeNow(pane);
  const contact = await outlookContact('Sync-Create');
  expect(contact.jobTitle).toBe('Buyer');
  expect(await newestRun(pane)).toMatch(/Created in Outlook: contact .*Sync-Create/);
  expect(await pane.getByTestId('sync-announcer').innerText()).toMatch(/^Synchronization done\./);
  await screenshot(page, 'sync-created');
  expect(await seriousViolations(page, PANE_SCOPE)).toEqual([]);
});

test('Options › Synchronization: the options behind it and the synchronized fields (axe clean)', async () => {
  const { page, pane } = await openSyncTab();
  await pane.getByRole('tab', { name: 'Options' }).click();
  await pane.getByRole('tab', { name: 'Synchronization', exact: true }).last().click();
  await pane.getByRole('switch', { name: 'Synchronize CRM items with Outlook' }).waitFor();
  // This device asked first (the runner's start): it is the synchronization client.
  const client = pane.getByRole('switch', { name: 'This device is the synchronization client' });
  await eventually(async () => ((await client.isChecked()) ? true : null));
  await pane.getByTestId('sync-field-table').waitFor();
  await screenshot(page, 'sync-options');
  expect(await seriousViolations(page, PANE_SCOPE)).toEqual([]);
});

test('the log of the last runs is kept on the device: the pane opened again shows it before any run', async () => {
  contactInScope('kept', { firstname: 'Ines', lastname: 'Sync-Kept' });
  const { page, pane } = await openSyncTab();
  await synchronizeNow(pane);
  await page.reload();
  await page.waitForSelector('body[data-workbench="ready"]', { state: 'attached', timeout: 20_000 });
  const again = await paneFrame(page);
  await again.getByRole('tab', { name: 'Synchronization' }).click();
  const run = again.locator('[data-testid="sync-run"]').first();
  await run.waitFor({ timeout: 20_000 });
  expect(await run.innerText()).toMatch(/Created in Outlook: contact .*Sync-Kept/);
});

test('an Outlook edit flows to the CRM and a CRM edit to Outlook', async () => {
  const contactid = contactInScope('edits', { firstname: 'Omar', lastname: 'Sync-Edits', jobtitle: 'Buyer' });
  const { page, pane } = await openSyncTab();
  await synchronizeNow(pane);
  const contact = await outlookContact('Sync-Edits');
  await editInOutlook(contact.id, { jobTitle: 'Head of purchasing' });
  await editInCrm(contactid, { telephone1: '+1 425 555 0100' });
  await synchronizeNow(pane);
  expect(crmContact(contactid).jobtitle).toBe('Head of purchasing');
  const after = await outlookContact('Sync-Edits');
  expect(after.businessPhones).toEqual(['+1 425 555 0100']);
  const log = await newestRun(pane);
  expect(log).toContain('Updated in the CRM: contact');
  expect(log).toContain('Updated in Outlook: contact');
  await screenshot(page, 'sync-edits');
});

test('a field changed on both sides: the later change wins, and the log names the conflict', async () => {
  const contactid = contactInScope('conflict', {
    firstname: 'Lea',
    lastname: 'Sync-Conflict',
    jobtitle: 'Buyer',
  });
  const { page, pane } = await openSyncTab();
  await synchronizeNow(pane);
  const contact = await outlookContact('Sync-Conflict');
  await editInOutlook(contact.id, { jobTitle: 'Changed in Outlook' });
  // Made after Outlook's: the CRM's change is the later one (within the same second, the CRM wins a tie).
  await editInCrm(contactid, { jobtitle: 'Changed in the CRM' });
  await synchronizeNow(pane);
  const after = await outlookContact('Sync-Conflict');
  expect(after.jobTitle).toBe('Changed in the CRM');
  expect(crmContact(contactid).jobtitle).toBe('Changed in the CRM');
  expect(await newestRun(pane)).toMatch(
    /Updated in Outlook: contact .*Sync-Conflict[\s\S]*Changed on both sides, the later change kept: /,
  );
  await screenshot(page, 'sync-conflict');
});
