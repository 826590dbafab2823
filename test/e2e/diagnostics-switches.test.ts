/**
 * Options › Diagnostics in the real pane (tracking.md §1.3): the original Diagnostics tool's switches,
 * each a second view of an option on another tab. "Two views of one setting share one stored value;
 * changing either changes both": a switch turned off in one view is off in the other before it is
 * saved, Save writes it to roaming settings under the switch's name, and an organization's lock disables
 * both views with its reason. Screenshots go to test-output/e2e/ (diagnostics-*.png).
 */
import type { Frame, Page } from 'playwright-core';
import { seriousViolations } from './support/axe';
import { eventually, paneFrame, screenshot } from './support/harness';
import { useWorkbenchSuite } from './support/suite';

jest.setTimeout(180_000);

const suite = useWorkbenchSuite();
const PANE_SCOPE = { include: ['[data-testid="pane-frame"]'] };

/** The add-in's client switches as kept in roaming settings (the key the add-in owns). */
const storedClientSwitches = (page: Page) =>
  page.evaluate(
    () =>
      (
        window.__TIC_SIM__!.Office.context.roamingSettings.get('tic') as
          { client?: Record<string, unknown> } | undefined
      )?.client ?? {},
  );

async function openOptionsTab(pane: Frame, tab: string): Promise<void> {
  await pane.getByRole('tab', { name: tab, exact: true }).last().click();
  await pane.getByRole('tabpanel').last().waitFor();
}

async function openOptions(): Promise<{ page: Page; pane: Frame }> {
  const { page } = await suite.open();
  const pane = await paneFrame(page);
  await pane.getByRole('tab', { name: 'Options' }).click();
  // The options are read from the session: wait until a switch shows them.
  await openOptionsTab(pane, 'Diagnostics');
  await pane.getByRole('switch', { name: 'Background email tracking' }).waitFor({ timeout: 20_000 });
  return { page, pane };
}

/** Save pressed, "Saved." shown in the Options panel, and the stored switches once `name` is off there. */
async function savedOff(page: Page, pane: Frame, name: string) {
  await pane.getByRole('button', { name: 'Save', exact: true }).click();
  // The pane's announcer says it too: the message in the Options panel is the one shown.
  await pane
    .getByRole('tabpanel', { name: 'Options' })
    .getByText(/^Saved\./)
    .waitFor({ timeout: 15_000 });
  return eventually(async () => {
    const client = await storedClientSwitches(page);
    return client[name] === false ? client : null;
  });
}

test('two views of one setting share one stored value: turned off under Diagnostics, off on the Email tab, saved once', async () => {
  const { page, pane } = await openOptions();
  const diagnostics = pane.getByRole('switch', { name: 'Background email tracking' });
  expect(await diagnostics.isChecked()).toBe(true);
  await diagnostics.click();
  expect(await diagnostics.isChecked()).toBe(false);
  await screenshot(page, 'diagnostics-switches');
  expect(await seriousViolations(page, PANE_SCOPE)).toEqual([]);

  await openOptionsTab(pane, 'Email');
  const email = pane.getByRole('switch', { name: 'Check incoming email and decide whether to track it' });
  expect(await email.isChecked()).toBe(false);

  expect(await savedOff(page, pane, 'backgroundTrackEmail')).toMatchObject({ backgroundTrackEmail: false });
});

test('two views of one setting share one stored value: the Synchronization tab’s master switch is Diagnostics’ Outlook synchronization', async () => {
  const { page, pane } = await openOptions();
  await openOptionsTab(pane, 'Synchronization');
  const master = pane.getByRole('switch', { name: 'Synchronize CRM items with Outlook' });
  await master.click();
  expect(await master.isChecked()).toBe(false);
  await openOptionsTab(pane, 'Diagnostics');
  expect(await pane.getByRole('switch', { name: 'Outlook synchronization' }).isChecked()).toBe(false);

  expect(await savedOff(page, pane, 'outlookSynchronization')).toMatchObject({
    outlookSynchronization: false,
  });
});

test('an organization lock applies in both views, with its reason', async () => {
  // tic_promoteIncomingEmail (tracking.md §1.1): off turns checking incoming email off for everyone.
  suite.h.emu.db
    .prepare("UPDATE environmentvariabledefinition SET defaultvalue = 'false' WHERE schemaname = ?")
    .run('tic_promoteIncomingEmail');
  suite.h.emu.db
    .prepare("UPDATE environmentvariablevalue SET value = 'false' WHERE schemaname = ?")
    .run('tic_promoteIncomingEmail');
  const { page, pane } = await openOptions();
  const reason = /Your organization has turned off checking incoming email for everyone\./;
  const diagnostics = pane.getByRole('switch', { name: 'Background email tracking' });
  expect(await diagnostics.isDisabled()).toBe(true);
  expect(await diagnostics.isChecked()).toBe(false);
  await pane.getByText(reason).first().waitFor();
  await screenshot(page, 'diagnostics-switches-locked');
  expect(await seriousViolations(page, PANE_SCOPE)).toEqual([]);

  await openOptionsTab(pane, 'Email');
  const email = pane.getByRole('switch', { name: 'Check incoming email and decide whether to track it' });
  expect(await email.isDisabled()).toBe(true);
  await pane.getByText(reason).first().waitFor();
});
