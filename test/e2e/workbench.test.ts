/**
 * End to end in headless Chromium: the workbench (workbench/) around the REAL pane, ribbon command,
 * event handlers and Set Regarding dialog, on the Outlook simulator with the demo mailbox, against a
 * started CRM emulator. Built once, one browser for the file, a fresh context (empty localStorage,
 * a new simulator) per test; every table of the emulator is restored to the seeded demo organization
 * after each test, so no test sees another's tracks, untracks or settings, in any order.
 *
 * Tests named "pane: …" drive the task pane by its contract (data-testid="pane", "item-status" with
 * data-status and data-item-id, "item-reason"; buttons and tabs by their names). Screenshots go to
 * test-output/e2e/.
 */
import type { Frame, Page } from 'playwright-core';
import { REASON_TEXT } from '../../src/rules/reasons';
import { seriousViolations } from './support/axe';
import {
  eventually,
  openItem,
  paneFrame,
  paneStatus,
  screenshot,
  waitForNotification,
} from './support/harness';
import { useWorkbenchSuite } from './support/suite';

jest.setTimeout(60_000);

const suite = useWorkbenchSuite();

/** The one account named Fabrikam in the demo organization: the record the regarding tests choose. */
const fabrikamAccountId = (): string => {
  const rows = suite.h.emu.db.prepare("SELECT accountid FROM account WHERE name = 'Fabrikam'").all() as {
    accountid: string;
  }[];
  expect(rows).toHaveLength(1);
  return rows[0]!.accountid;
};

/** A search result for the Fabrikam account (not the contact or lead "Fabrikam Accounts"). */
const FABRIKAM_ACCOUNT = /^Fabrikam\s*Account/;

const { open } = suite;

const messageIdOf = (page: Page, itemId: string): Promise<string> =>
  page.evaluate((id) => window.__TIC_SIM__?.mailbox.getItem(id).internetMessageId ?? '', itemId);

const emailRows = (messageId: string) =>
  suite.h.emu.db.prepare('SELECT * FROM email WHERE messageid = ?').all(messageId) as Record<
    string,
    unknown
  >[];

const setOrgDb = (xml: string): void => {
  suite.h.emu.db.prepare('UPDATE organization SET orgdborgsettings = ?').run(xml);
};

const chips = (page: Page): Promise<string[]> =>
  page.locator('article.email [data-testid="category"]').allTextContents();

const expectAccessible = async (page: Page, scope: Parameters<typeof seriousViolations>[1]) => {
  expect(await seriousViolations(page, scope)).toEqual([]);
};

/** Workbench-only screens leave the pane out of the scan (it is scanned by the pane tests). */
const WORKBENCH_SCOPE = { exclude: ['[data-testid="pane-frame"]'] };
const PANE_SCOPE = { include: ['[data-testid="pane-frame"]'] };

/** The pane's control named "Which messages to track", whatever kind of control it is. */
async function filterControl(frame: Frame) {
  for (const role of ['combobox', 'radiogroup', 'listbox', 'spinbutton'] as const) {
    const control = frame.getByRole(role, { name: 'Which messages to track' });
    if ((await control.count()) > 0) return { role, control: control.first() };
  }
  const byLabel = frame.getByLabel('Which messages to track');
  await byLabel.first().waitFor({ timeout: 10_000 });
  return { role: 'labelled' as const, control: byLabel.first() };
}

async function isDisabled(frame: Frame): Promise<boolean> {
  const { control } = await filterControl(frame);
  return control.evaluate((el) => {
    const off = (e: Element) =>
      (e as HTMLInputElement).disabled === true || e.getAttribute('aria-disabled') === 'true';
    if (off(el)) return true;
    const inputs = [...el.querySelectorAll('input, button, [role="radio"], [role="option"]')];
    return inputs.length > 0 && inputs.every(off);
  });
}

describe('the workbench (workbench-only)', () => {
  test('folders with counts, the message list, the email as text with its chips, the pane toggle; accessible', async () => {
    const { page, ids } = await open({ pane: false });
    const counts = await page.evaluate(() =>
      Object.fromEntries(
        [...document.querySelectorAll('nav.folders button')].map((b) => [
          b.querySelector('span')?.textContent ?? '',
          b.querySelector('.count')?.textContent ?? '',
        ]),
      ),
    );
    expect(counts).toMatchObject({ Inbox: '12', 'Sent Items': '4', Drafts: '0' });
    expect(await page.locator('section.list button.message').count()).toBe(12);

    // Untrusted text stays text: a subject and body full of markup are shown, never run.
    const hostile = await page.evaluate(() => {
      const sim = window.__TIC_SIM__!;
      return sim.mailbox.deliver({
        subject: '<img src=x onerror="window.__pwned=1">Hello',
        from: { emailAddress: 'mallory@example.org', displayName: '<b>Mallory</b>' },
        to: [{ emailAddress: 'dana@contoso.com', displayName: 'Dana Park' }],
        bodyText: '<script>window.__pwned=2</script><b>not bold</b>',
        categories: ['Important'],
      }).id;
    });
    await openItem(page, hostile);
    expect(await page.textContent('article.email [data-testid="subject"]')).toBe(
      '<img src=x onerror="window.__pwned=1">Hello',
    );
    expect(await page.textContent('article.email [data-testid="body"]')).toBe(
      '<script>window.__pwned=2</script><b>not bold</b>',
    );
    expect(await page.locator('article.email img, article.email b, article.email script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await chips(page)).toEqual(['Important']);

    await openItem(page, ids.pricing!);
    expect(await page.textContent('[data-testid="from"]')).toBe('Ann Lee <ann@fabrikam.com>');
    await page.click('nav.folders button[data-folder="sentitems"]');
    expect(await page.locator('section.list button.message').count()).toBe(4);
    await page.click('nav.folders button[data-folder="inbox"]');
    await screenshot(page, '01-workbench-reading');
    await expectAccessible(page, WORKBENCH_SCOPE);

    // "Open Track in CRM" shows the pane (loaded into its iframe) and hides it again.
    const toggle = page.getByRole('button', { name: 'Open Track in CRM' });
    await toggle.click();
    await page.waitForSelector('aside.pane iframe[data-testid="pane-frame"]', { state: 'visible' });
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await toggle.click();
    await page.waitForSelector('aside.pane', { state: 'hidden' });
  });

  test('Track from the ribbon: the real command tracks the email, tags it and says so', async () => {
    const { page, ids } = await open({ pane: false });
    await openItem(page, ids.onboarding!);
    await page.getByRole('button', { name: 'Track in CRM', exact: true }).click();
    expect(await waitForNotification(page, /Tracked in the CRM\./)).toBe('Tracked in the CRM.');
    await page.waitForSelector('article.email [data-testid="category"]');
    expect(await chips(page)).toContain('Tracked to CRM');
    const rows = emailRows(await messageIdOf(page, ids.onboarding!));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ statecode: 1, directioncode: 0 });
    await screenshot(page, '02-ribbon-tracked');
  });

  test('Set Regarding by search: the command opens regarding.html in a modal, the choice reaches the command', async () => {
    setOrgDb('<OrgSettings><OverrideTrackInCrmBehaviour>1</OverrideTrackInCrmBehaviour></OrgSettings>');
    const { page, ids } = await open({ pane: false });
    await openItem(page, ids.invoice!);
    await page.getByRole('button', { name: 'Track in CRM', exact: true }).click();
    await page.waitForSelector('.modal-backdrop:not([hidden]) iframe', { timeout: 15_000 });
    const dialog = page.frameLocator('.modal iframe');
    await dialog.getByRole('combobox', { name: 'Find the record this email is regarding' }).fill('Fabrikam');
    const option = dialog.getByRole('option').filter({ hasText: FABRIKAM_ACCOUNT }).first();
    await option.waitFor({ timeout: 15_000 });
    await screenshot(page, '03-set-regarding-dialog');
    await expectAccessible(page, WORKBENCH_SCOPE);
    await option.click();
    await page.waitForSelector('.modal-backdrop', { state: 'hidden' });
    await waitForNotification(page, /Tracked in the CRM\./);
    const rows = emailRows(await messageIdOf(page, ids.invoice!));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      _regardingobjectid_type: 'account',
      _regardingobjectid_value: fabrikamAccountId(),
    });
  });

  test('Reply to a tracked email: marked on compose (OnNewMessageCompose), sent and tracked (OnMessageSend)', async () => {
    const { page, ids } = await open({ pane: false });
    await openItem(page, ids.pricing!);
    await page.getByRole('button', { name: 'Reply', exact: true }).click();
    await page.waitForSelector('[data-testid="compose"] form.compose');
    await waitForNotification(page, /will be tracked in the CRM when it is sent/);
    const subject = page.locator('form.compose input[data-field="subject"]');
    await page.waitForFunction(
      () =>
        /^RE: Q3 pricing proposal CRM:\d+$/.test(
          (document.querySelector('form.compose input[data-field="subject"]') as HTMLInputElement | null)
            ?.value ?? '',
        ),
      undefined,
      { timeout: 10_000 },
    );
    const sentSubject = await subject.inputValue();
    await page.fill('form.compose textarea[data-field="body"]', 'Thanks Ann, agreed.\n\nDana');
    await screenshot(page, '04-compose-reply-marked');
    await expectAccessible(page, WORKBENCH_SCOPE);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.waitForFunction(
      () => /^Sent: /.test(document.querySelector('.status-line')?.textContent ?? ''),
      undefined,
      {
        timeout: 20_000,
      },
    );
    expect(await page.textContent('nav.folders button[data-folder="sentitems"] .count')).toBe('5');
    const row = await eventually(
      () =>
        (
          suite.h.emu.db
            .prepare('SELECT * FROM email WHERE subject = ? AND directioncode = 1')
            .all(sentSubject) as Record<string, unknown>[]
        )[0],
    );
    expect(row).toMatchObject({ statuscode: 3, _regardingobjectid_type: 'opportunity' });
    const sent = await page.evaluate(
      (s) => window.__TIC_SIM__?.mailbox.listFolder('sentitems').find((i) => i.subject === s) ?? null,
      sentSubject,
    );
    expect(sent?.internetHeaders['X-Track-In-CRM']).toMatch(/^v1; id=\w+/);
  });

  test('New email and a blocked send: the Smart Alerts text is shown and the draft stays open', async () => {
    const { page } = await open({ pane: false });
    await page.getByRole('button', { name: 'New email', exact: true }).click();
    await page.waitForSelector('[data-testid="compose"] form.compose');
    await page.fill('form.compose input[data-field="to"]', 'Ann Lee <ann@fabrikam.com>');
    await page.fill('form.compose input[data-field="subject"]', 'Hello from the workbench');
    // The add-in's own handler always allows the send (SoftBlock); a stand-in blocks it to show the UI.
    await page.evaluate(() =>
      window.__TIC_SIM__?.actions.associate('onMessageSendHandler', (event: Office.MailboxEvent) =>
        event.completed({ allowEvent: false, errorMessage: 'Blocked by a test handler.' }),
      ),
    );
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.waitForSelector('[data-testid="smart-alert"]');
    expect(await page.textContent('[data-testid="smart-alert"] p')).toBe('Blocked by a test handler.');
    expect(await page.inputValue('form.compose input[data-field="subject"]')).toBe(
      'Hello from the workbench',
    );
    await screenshot(page, '05-compose-smart-alert');
    await expectAccessible(page, WORKBENCH_SCOPE);
    await page.getByRole('button', { name: "Don't send" }).click();
    await page.waitForSelector('[data-testid="smart-alert"]', { state: 'detached' });
    expect(await page.textContent('nav.folders button[data-folder="sentitems"] .count')).toBe('4');
  });

  test('CRM returning 429 then OK: the track from the ribbon waits Retry-After and completes', async () => {
    const { page, ids } = await open({ pane: false });
    await openItem(page, ids.wingtipPricing!);
    const added = await fetch(`${suite.h.crmUrl}/_emulator/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ status: 429, retryAfter: 1, count: 1 }),
    });
    expect(added.status).toBe(201);
    const started = Date.now();
    await page.getByRole('button', { name: 'Track in CRM', exact: true }).click();
    await waitForNotification(page, /Tracked in the CRM\./);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900); // Retry-After: 1 was honoured
    const pending = (await (await fetch(`${suite.h.crmUrl}/_emulator/faults`)).json()) as {
      value: unknown[];
    };
    expect(pending.value).toEqual([]); // the 429 was served
    expect(emailRows(await messageIdOf(page, ids.wingtipPricing!))).toHaveLength(1);
    expect(await chips(page)).toContain('Tracked to CRM');
  });
});

describe('the task pane in the workbench', () => {
  test('pane: an email from a contact in reply to tracked email is tracked automatically and tagged', async () => {
    const { page, ids } = await open();
    const pane = await paneFrame(page);
    await openItem(page, ids.pricingReply2!);
    expect(await paneStatus(pane, ids.pricingReply2!)).toBe('tracked');
    await page.waitForSelector('article.email [data-testid="category"]');
    expect(await chips(page)).toContain('Tracked to CRM');
    expect(emailRows(await messageIdOf(page, ids.pricingReply2!))).toHaveLength(1);
    await screenshot(page, '10-pane-tracked-automatically');
    await expectAccessible(page, PANE_SCOPE);
  });

  test('pane: an unknown sender under filter 1 is not tracked, and the pane says why', async () => {
    const { page, ids } = await open();
    const pane = await paneFrame(page);
    await openItem(page, ids.partnership!);
    expect(await paneStatus(pane, ids.partnership!)).toBe('not-tracked');
    // Filter 1 (the demo's) tracks only responses to tracked email, and this one answers nothing.
    const reason = (await pane.getByTestId('item-reason').first().textContent()) ?? '';
    expect(reason.trim()).toBe(REASON_TEXT.NoCorrelationMatch);
    expect(emailRows(await messageIdOf(page, ids.partnership!))).toHaveLength(0);
    expect(await chips(page)).not.toContain('Tracked to CRM');
    await screenshot(page, '11-pane-not-tracked-reason');
    await expectAccessible(page, PANE_SCOPE);
  });

  test('pane: Track from the pane; a track from the ribbon shows in the pane', async () => {
    const { page, ids } = await open();
    const pane = await paneFrame(page);
    await openItem(page, ids.demoForward!);
    expect(await paneStatus(pane, ids.demoForward!)).toBe('not-tracked');
    await pane.getByRole('button', { name: 'Track', exact: true }).click();
    expect(await paneStatus(pane, ids.demoForward!, ['tracked'])).toBe('tracked');
    expect(emailRows(await messageIdOf(page, ids.demoForward!))).toHaveLength(1);
    await page.waitForSelector('article.email [data-testid="category"]');
    expect(await chips(page)).toContain('Tracked to CRM');

    await openItem(page, ids.demoRequest!);
    expect(await paneStatus(pane, ids.demoRequest!)).toBe('not-tracked');
    await page.getByRole('button', { name: 'Track in CRM', exact: true }).click();
    await waitForNotification(page, /Tracked in the CRM\./);
    await openItem(page, ids.demoForward!);
    await paneStatus(pane, ids.demoForward!);
    // The pane may show its cached state first, then the CRM's: wait for the tracked state.
    await openItem(page, ids.demoRequest!);
    expect(await paneStatus(pane, ids.demoRequest!, ['tracked'])).toBe('tracked');
  });

  test('issue 10: pane open, a ribbon Track shows as Tracked in the pane within a second, without re-selecting', async () => {
    const { page, ids } = await open();
    const pane = await paneFrame(page);
    await openItem(page, ids.demoRequest!);
    expect(await paneStatus(pane, ids.demoRequest!)).toBe('not-tracked');
    await page.getByRole('button', { name: 'Track in CRM', exact: true }).click();
    await waitForNotification(page, /Tracked in the CRM\./);
    const told = Date.now();
    expect(await paneStatus(pane, ids.demoRequest!, ['tracked'], 5_000)).toBe('tracked');
    expect(Date.now() - told).toBeLessThan(1_500);
    expect(emailRows(await messageIdOf(page, ids.demoRequest!))).toHaveLength(1);
    await screenshot(page, '30-pane-follows-ribbon-track');
  });

  test('issue 10: CRM down at first run: ribbon Track queues, the pane says tracks wait; the CRM back, the queue drains by itself', async () => {
    suite.h.emu.faults.add({ match: { pathContains: '$batch' }, status: 503, count: 100_000 });
    const { page, ids } = await open({ paneOptions: { drainEveryMs: 1_000 } });
    const pane = await paneFrame(page);
    await openItem(page, ids.demoForward!);
    await pane.waitForFunction(
      () => /Trying again by itself/.test(document.body.textContent ?? ''),
      undefined,
      { timeout: 60_000 },
    );
    await page.getByRole('button', { name: 'Track in CRM', exact: true }).click();
    await waitForNotification(page, /could not be reached/i, 60_000);
    await pane.waitForFunction(
      () => /1 email waits to be tracked; tried again by itself/.test(document.body.textContent ?? ''),
      undefined,
      {
        timeout: 20_000,
      },
    );
    const text = (await pane.textContent('body')) ?? '';
    expect(text).not.toMatch(/Failed to fetch|TypeError|Something went wrong/);
    expect(text).toMatch(/The CRM cannot be reached/);
    await screenshot(page, '31-firstrun-crm-down-queued');

    suite.h.emu.faults.clear();
    expect(await paneStatus(pane, ids.demoForward!, ['tracked'], 60_000)).toBe('tracked');
    expect(emailRows(await messageIdOf(page, ids.demoForward!))).toHaveLength(1);
    // The "Not tracked yet" notification from the queued try is replaced: it never contradicts the pane.
    await waitForNotification(page, /waiting track was delivered/);
    await screenshot(page, '32-firstrun-crm-back-drained');
  });

  test('pane: Set Regarding by search tracks the email regarding the chosen record', async () => {
    const { page, ids } = await open();
    const pane = await paneFrame(page);
    await openItem(page, ids.lunch!);
    await paneStatus(pane, ids.lunch!);
    await pane.getByRole('button', { name: /^(Set|Change) Regarding$/ }).click();
    await pane
      .getByRole('combobox', { name: 'Search records' })
      .or(pane.getByLabel('Search records'))
      .first()
      .fill('Fabrikam');
    const option = pane.getByRole('option').filter({ hasText: FABRIKAM_ACCOUNT }).first();
    await option.waitFor({ timeout: 15_000 });
    await screenshot(page, '12-pane-set-regarding-search');
    await expectAccessible(page, PANE_SCOPE);
    await option.click();
    expect(await paneStatus(pane, ids.lunch!, ['tracked'])).toBe('tracked');
    const rows = emailRows(await messageIdOf(page, ids.lunch!));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      _regardingobjectid_type: 'account',
      _regardingobjectid_value: fabrikamAccountId(),
    });
  });

  test('pane: Untrack asks for confirmation, then the email is no longer tracked', async () => {
    const { page, ids } = await open();
    const pane = await paneFrame(page);
    await openItem(page, ids.welcomeReply!);
    expect(await paneStatus(pane, ids.welcomeReply!)).toBe('tracked');
    await pane.getByRole('button', { name: 'Untrack', exact: true }).click();
    // The contract says role=dialog; alertdialog (a dialog subclass in ARIA) is accepted too.
    const confirm = pane.getByRole('dialog').or(pane.getByRole('alertdialog')).first();
    await confirm.waitFor({ timeout: 10_000 });
    await screenshot(page, '13-pane-untrack-confirm');
    await expectAccessible(page, PANE_SCOPE);
    await confirm.getByRole('button', { name: 'Untrack', exact: true }).click();
    expect(await paneStatus(pane, ids.welcomeReply!, ['not-tracked'])).toBe('not-tracked');
    await page.waitForFunction(
      () =>
        ![...document.querySelectorAll('article.email [data-testid="category"]')].some(
          (c) => c.textContent === 'Tracked to CRM',
        ),
      undefined,
      { timeout: 10_000 },
    );
  });

  test('pane: a reply to tracked email shows as marked while composing', async () => {
    const { page, ids } = await open();
    const pane = await paneFrame(page);
    await openItem(page, ids.pricing!);
    await paneStatus(pane, ids.pricing!);
    await page.getByRole('button', { name: 'Reply', exact: true }).click();
    await page.waitForSelector('[data-testid="compose"] form.compose');
    // An unsaved draft has no item id in Office.js: any card in the compose-marked state.
    expect(await paneStatus(pane, null, ['compose-marked'])).toBe('compose-marked');
    await screenshot(page, '14-pane-compose-marked');
    await expectAccessible(page, PANE_SCOPE);
  });

  test('pane: a personal option change is saved and applied to the next item', async () => {
    const { page, ids } = await open();
    const pane = await paneFrame(page);
    await pane.getByRole('tab', { name: 'Options' }).click();
    await pane.getByRole('tab', { name: 'Email' }).last().click();
    const { role, control } = await filterControl(pane);
    if (role === 'radiogroup') {
      await control.getByRole('radio', { name: /^All e-?mail/i }).check();
    } else if ((await control.evaluate((el) => el.tagName)) === 'SELECT') {
      const label = await control.evaluate(
        (el) => [...(el as HTMLSelectElement).options].find((o) => /^All e-?mail/i.test(o.text))?.text ?? '',
      );
      await control.selectOption({ label });
    } else {
      await control.click();
      await pane.getByRole('option', { name: /^All e-?mail/i }).click();
    }
    await screenshot(page, '15-pane-options-email');
    await expectAccessible(page, PANE_SCOPE);
    await pane.getByRole('button', { name: 'Save', exact: true }).click();
    // The filtering method is kept in the CRM's usersettings (the pane's other options in roaming settings).
    await eventually(
      () =>
        (
          suite.h.emu.db.prepare('SELECT incomingemailfilteringmethod AS m FROM usersettings').all() as {
            m: number;
          }[]
        ).some((r) => r.m === 0) || null,
    );
    // Applied to the next item: a first email from a contact (no reply to CRM email) is now tracked.
    await pane.getByRole('tab', { name: 'Email' }).first().click();
    await openItem(page, ids.kickoffNotes!);
    expect(await paneStatus(pane, ids.kickoffNotes!)).toBe('tracked');
  });

  test('pane: an option the organization locks is shown disabled, with the reason', async () => {
    setOrgDb('<OrgSettings><HideEmailAutoTrackOptions>true</HideEmailAutoTrackOptions></OrgSettings>');
    const { page } = await open();
    const pane = await paneFrame(page);
    await pane.getByRole('tab', { name: 'Options' }).click();
    await pane.getByRole('tab', { name: 'Email' }).last().click();
    await filterControl(pane);
    expect(await isDisabled(pane)).toBe(true);
    await pane
      .getByText(/Your organization sets which messages are tracked/)
      .first()
      .waitFor({ timeout: 10_000 });
    await screenshot(page, '16-pane-options-org-lock');
    await expectAccessible(page, PANE_SCOPE);
  });

  test('pane: every screen is accessible (Email, Options tabs, Connection) at 320 px wide', async () => {
    const { page, ids } = await open({ width: 1100 });
    await page.evaluate(() => {
      const aside = document.querySelector('aside.pane') as HTMLElement;
      aside.style.width = '320px';
    });
    const pane = await paneFrame(page);
    await openItem(page, ids.invoice!);
    await paneStatus(pane, ids.invoice!);
    await screenshot(page, '20-pane-email');
    await expectAccessible(page, PANE_SCOPE);
    await pane.getByRole('tab', { name: 'Options' }).click();
    for (const tab of ['Synchronization', 'Address Book', 'Local Data', 'Email']) {
      await pane.getByRole('tab', { name: tab }).last().click();
      await screenshot(page, `21-pane-options-${tab.toLowerCase().replace(/\s+/g, '-')}`);
      await expectAccessible(page, PANE_SCOPE);
    }
    await pane.getByRole('tab', { name: 'Connection' }).click();
    await screenshot(page, '22-pane-connection');
    await expectAccessible(page, PANE_SCOPE);
    expect(await pane.getByTestId('pane').count()).toBe(1);
  });
});
