/**
 * Issue 11, "the whole mailbox": with the pane open on one item, mail delivered in the workbench is
 * checked in the background through Graph (the workbench's mailbox mirrored into the harness's Graph
 * emulator) without anyone opening it: what the rules allow is tracked and tagged, the rest is listed
 * in the Background check tab with its reason and decision; a Graph 429 storm loses nothing.
 *
 * Waits are on conditions (rows in the CRM, categories in the simulator, the pane's list), never on
 * fixed sleeps; the background check's first cycle comes after 1 s here (window.__TIC_PANE_OPTIONS__).
 * Screenshots go to test-output/e2e/ (6x).
 */
import type { Frame, Page } from 'playwright-core';
import { openItem, paneFrame, screenshot } from './support/harness';
import { useWorkbenchSuite } from './support/suite';

jest.setTimeout(180_000);

const suite = useWorkbenchSuite();
const PANE_OPTIONS = { drainEveryMs: 1_000, firstCycleMs: 1_000 };
const TRACKED = 'Tracked to CRM';

/** Polls `read` (sync or async) until it gives a value that is not null/undefined (bounded). */
async function eventually<T>(
  read: () => T | null | undefined | Promise<T | null | undefined>,
  timeout: number,
): Promise<T> {
  const until = Date.now() + timeout;
  for (;;) {
    const value = await read();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > until) throw new Error(`Condition not met within ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Delivered {
  readonly id: string;
  readonly subject: string;
  readonly messageId: string;
  readonly folder: string;
  readonly from: string;
}

/** Waits until the mirror has put every delivered message into the Graph emulator. */
async function inGraph(delivered: readonly Delivered[]): Promise<void> {
  const count = () =>
    (
      suite.h.graph.db.sqlite
        .prepare(
          `SELECT COUNT(*) AS n FROM message WHERE internet_message_id IN (${delivered.map(() => '?').join(',')})`,
        )
        .get(...delivered.map((d) => d.messageId)) as { n: number }
    ).n;
  await eventually(() => (count() >= delivered.length ? true : null), 20_000);
}

/** Delivers one round with the workbench's button; returns the items that arrived. */
async function deliverNewMail(page: Page): Promise<Delivered[]> {
  const before = new Set(
    await page.evaluate(() => window.__TIC_SIM__!.mailbox.allItems().map((item) => item.id)),
  );
  await page.getByRole('button', { name: 'Deliver new mail' }).click();
  return page.evaluate(
    (known) =>
      window
        .__TIC_SIM__!.mailbox.allItems()
        .filter((item) => !known.includes(item.id))
        .map((item) => ({
          id: item.id,
          subject: item.subject,
          messageId: item.internetMessageId ?? '',
          folder: String(item.folder),
          from: item.from?.emailAddress ?? '',
        })),
    [...before],
  );
}

const emailRows = (messageId: string): { activityid: string; regarding: string | null }[] =>
  suite.h.emu.db
    .prepare('SELECT activityid, _regardingobjectid_value AS regarding FROM email WHERE messageid = ?')
    .all(messageId) as { activityid: string; regarding: string | null }[];

const categoriesOf = (page: Page, itemId: string): Promise<string[]> =>
  page.evaluate((id) => [...window.__TIC_SIM__!.mailbox.getItem(id).categories], itemId);

async function backgroundTab(page: Page): Promise<Frame> {
  const frame = await paneFrame(page);
  await frame.getByRole('tab', { name: 'Background check' }).click();
  await frame.waitForSelector('[data-testid="background-status"]', { timeout: 20_000 });
  return frame;
}

async function mirrored(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="graph-state"][data-state="connected"]', { timeout: 20_000 });
}

/** Presses Check now once the runner can take it (not while the first cycle is under way). */
async function checkNow(frame: Frame): Promise<void> {
  const button = frame.getByRole('button', { name: 'Check now' });
  await button.waitFor({ state: 'visible' });
  await frame.waitForFunction(
    () => !document.querySelector('[data-testid="background-status"] button[disabled]'),
    undefined,
    { timeout: 60_000 },
  );
  await button.click();
}

/** The rows of the Background check tab's action list: subject text, `data-do`, `data-outcome`, text. */
const actionRows = (frame: Frame) =>
  frame.evaluate(() =>
    [...document.querySelectorAll('[data-testid="background-actions"] > li')].map((li) => ({
      do: li.getAttribute('data-do'),
      outcome: li.getAttribute('data-outcome'),
      text: li.textContent ?? '',
    })),
  );

test('mail delivered while the pane is open on another item is tracked and tagged without being opened; the rest is listed with its reason', async () => {
  const { page, ids, errors } = await suite.open({ graph: true, paneOptions: PANE_OPTIONS });
  await mirrored(page);
  await openItem(page, ids.partnership as string);
  const frame = await backgroundTab(page);

  const delivered = await deliverNewMail(page);
  expect(delivered.length).toBeGreaterThanOrEqual(6);
  const replies = delivered.filter((d) => /^RE:/i.test(d.subject));
  expect(replies).toHaveLength(3);
  const stranger = delivered.find((d) => d.from === 'jordan.miles@northwind.example');
  expect(stranger).toBeDefined();
  const ruleCopy = delivered.find((d) => d.folder === 'Inbox/Projects/Fabrikam');
  expect(ruleCopy).toBeDefined();

  await inGraph(delivered);
  await checkNow(frame);

  // The replies correlate to the tracked threads: one activity each, and the category comes back
  // through the mirror into the workbench's list, although no one opened them.
  for (const reply of replies) {
    await eventually(() => (emailRows(reply.messageId).length === 1 ? true : null), 60_000);
    await eventually(
      async () => ((await categoriesOf(page, reply.id)).includes(TRACKED) ? true : null),
      30_000,
    );
  }
  // The rule's copy in the mapped folder is tracked regarding the mapped record (folder-level
  // tracking), and its Inbox twin, one Message-ID, is one activity, never two.
  await eventually(() => (emailRows(ruleCopy!.messageId).length === 1 ? true : null), 30_000);
  expect(emailRows(ruleCopy!.messageId)[0]?.regarding).not.toBeNull();
  // The stranger is not tracked, and says why.
  expect(emailRows(stranger!.messageId)).toHaveLength(0);
  expect(await categoriesOf(page, stranger!.id)).not.toContain(TRACKED);

  const rows = await eventually(async () => {
    const list = await actionRows(frame);
    return list.some((r) => r.text.includes('Northwind logistics')) ? list : null;
  }, 30_000);
  const strangerRow = rows.find((r) => r.text.includes('Northwind logistics'));
  expect(strangerRow?.do).toBe('skip');
  expect(strangerRow?.text).not.toMatch(/undefined|null|something went wrong/i);
  expect(rows.filter((r) => r.do === 'track').length).toBeGreaterThanOrEqual(4);

  // The item on screen never changed: nothing was opened to be checked.
  expect(await page.evaluate(() => window.__TIC_SIM__!.mailbox.selectedItemId)).toBe(ids.partnership);

  // A row opens its decision.
  await frame.getByRole('button', { name: /Northwind logistics/ }).click();
  await frame.waitForSelector('[data-testid="background-decision"]');
  await screenshot(page, '60-background-check');
  expect(errors).toEqual([]);
});

test('a Graph 429 storm: the check says it was asked to wait, and once it passes every message is tracked and tagged once', async () => {
  const { page, ids, errors } = await suite.open({ graph: true, paneOptions: PANE_OPTIONS });
  await mirrored(page);
  await openItem(page, ids.partnership as string);
  const frame = await backgroundTab(page);

  // Every Graph call the add-in makes is throttled (the mirror's control plane is not Graph's API).
  suite.h.graph.faults.add({ match: { pathContains: '/v1.0/' }, status: 429, retryAfter: 1, count: 100_000 });
  const delivered = await deliverNewMail(page);
  const replies = delivered.filter((d) => /^RE:/i.test(d.subject));
  await inGraph(delivered);
  await checkNow(frame);
  await frame.waitForSelector('[data-testid="background-error"]', { timeout: 90_000 });
  for (const reply of replies) expect(emailRows(reply.messageId)).toHaveLength(0);
  await screenshot(page, '61-background-throttled');

  suite.h.graph.faults.clear();
  await checkNow(frame);
  for (const reply of replies) {
    await eventually(() => (emailRows(reply.messageId).length === 1 ? true : null), 60_000);
    await eventually(
      async () => ((await categoriesOf(page, reply.id)).includes(TRACKED) ? true : null),
      30_000,
    );
  }
  await frame.waitForSelector('[data-testid="background-error"]', { state: 'detached', timeout: 30_000 });
  // Another check finds nothing new to do and makes no second activity.
  await checkNow(frame);
  await frame.waitForFunction(
    () => !document.querySelector('[data-testid="background-status"] button[disabled]'),
    undefined,
    { timeout: 60_000 },
  );
  for (const reply of replies) expect(emailRows(reply.messageId)).toHaveLength(1);
  expect(errors).toEqual([]);
});
