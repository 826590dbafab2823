/**
 * Walk 13, item 4: the admin page is reached from the pane. Dana (System Administrator: the CRM lets
 * her write the organization) sees the link under Connection and it opens admin.html for the pane's
 * CRM as an Outlook dialog; Sam (Salesperson) does not see it. Sam is acted through Dataverse's
 * impersonation header, which the emulator honours (MSCRMCallerID), added to every CRM request.
 * Screenshot: test-output/e2e/admin-link.png.
 */
import type { Frame, Page } from 'playwright-core';
import { WORKBENCH } from '../../emulator/seed';
import { paneFrame, screenshot } from './support/harness';
import { useWorkbenchSuite } from './support/suite';

jest.setTimeout(180_000);

const suite = useWorkbenchSuite();
const LINK = 'Administer Track in CRM for your organization';

async function openConnection(page: Page): Promise<Frame> {
  const pane = await paneFrame(page);
  await pane.getByRole('tab', { name: 'Connection' }).click();
  await pane.getByRole('tabpanel').last().waitFor();
  // The CRM user is shown once the session is ready: the access question follows it.
  await pane.getByText('CRM user').waitFor({ timeout: 20_000 });
  return pane;
}

test('Dana sees the link, and it opens the admin page for her CRM as a dialog', async () => {
  const { page, errors } = await suite.open();
  const pane = await openConnection(page);
  const link = pane.getByRole('button', { name: LINK });
  await link.waitFor({ timeout: 20_000 });
  await screenshot(page, 'admin-link');
  await link.click();
  await page.waitForSelector('.modal-backdrop:not([hidden]) iframe', { timeout: 15_000 });
  const frame = (await (await page.$('.modal iframe'))!.contentFrame())!;
  const address = new URL(frame.url());
  // Beside the pane's page (the workbench serves both under /workbench/, Outlook at the root).
  expect(address.pathname).toBe(new URL('admin.html', pane.url()).pathname);
  expect(address.searchParams.get('crm')).toBe(suite.h.crmUrl);
  await frame.waitForSelector('main[data-admin-phase="ready"]', { timeout: 30_000 });
  expect(errors).toEqual([]);
});

test('Sam does not see it', async () => {
  const { page, context } = await suite.open();
  await context.route(`${suite.h.crmUrl}/**`, (route) =>
    route.continue({ headers: { ...route.request().headers(), MSCRMCallerID: WORKBENCH.sam } }),
  );
  // Loaded again so that every request of the pane, from its first, is Sam's.
  await page.reload();
  await page.waitForSelector('body[data-workbench="ready"]', { state: 'attached', timeout: 20_000 });
  const answered = page.waitForResponse((response) =>
    response.url().includes('RetrieveUserPrivilegeByPrivilegeName'),
  );
  const pane = await openConnection(page);
  // Acting as Sam took: the pane names him as the CRM user.
  await pane.getByText('Sam Lee').waitFor();
  expect((await answered).status()).toBe(200);
  // The answer is in; one frame later the view has drawn what it decided.
  await pane.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
  expect(await pane.getByRole('button', { name: LINK }).count()).toBe(0);
});
