/**
 * Issue 13, Administration: the admin page (admin.html) against the CRM emulator. As Dana (System
 * Administrator) a System Setting and an OrgDBOrgSetting are changed and saved and land in the
 * organizations row with the XML's unknown names kept, and the preview follows an unsaved edit; as Sam
 * (Salesperson) the page is read-only and a save is a 403 that writes nothing. The page is opened as an
 * administrator opens it in a browser tab (office.js answered empty: no Office) and, once, as a dialog
 * of the add-in in the workbench. Screenshot: test-output/e2e/admin-page.png.
 */
import type { Frame, Page } from 'playwright-core';
import { DataverseAdmin } from '../../src/crm/adminAdapter';
import { DataverseHttp } from '../../src/crm/dataverseHttp';
import { CrmForbiddenError } from '../../src/crm/errors';
import { connectionFor, tokenProviderFor } from '../../src/host/connection';
import { seriousViolations } from './support/axe';
import { screenshot } from './support/harness';
import { useWorkbenchSuite } from './support/suite';

jest.setTimeout(180_000);

const STORED_XML = '<OrgSettings><FutureSetting>keep me &amp; this</FutureSetting></OrgSettings>';
const suite = useWorkbenchSuite({ orgSettings: STORED_XML });

/** Sam Lee, the seeded salesperson (emulator/seed.ts), acted as through Dataverse's MSCRMCallerID. */
const SAM = '4af99722-bd51-438c-a2d2-ccfe43041ebd';

interface OrganizationColumns {
  tagpollingperiod: number;
  ignoreinternalemail: number;
  orgdborgsettings: string;
}
const organization = (): OrganizationColumns =>
  suite.h.emu.db
    .prepare('SELECT tagpollingperiod, ignoreinternalemail, orgdborgsettings FROM organization')
    .get() as OrganizationColumns;

/** The admin page in its own browser tab, as an administrator opens https://<host>/admin.html. */
async function openAdminTab(
  as?: string,
  { width = 1280, lang }: { width?: number; lang?: string } = {},
): Promise<{ page: Page; errors: string[] }> {
  const context = await suite.h.browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width, height: 1000 },
  });
  // No Office outside Outlook: office.js is answered empty, so the page starts as in a plain browser tab.
  await context.route('https://appsforoffice.microsoft.com/**', (route) =>
    route.fulfill({ status: 200, contentType: 'application/javascript', body: '' }),
  );
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const query = `crm=${encodeURIComponent(suite.h.crmUrl)}${as ? `&as=${as}` : ''}${lang ? `&lang=${lang}` : ''}`;
  await page.goto(`${suite.h.server.origin}/admin.html?${query}`);
  await page.waitForSelector('main[data-admin-phase="ready"]', { timeout: 30_000 });
  return { page, errors };
}

const switchOf = (page: Page | Frame, setting: string) =>
  page.locator(`[data-setting="${setting}"] input[role="switch"]`);
const preview = (page: Page) => page.locator('[data-testid="preview-result"]');

describe('admin page', () => {
  test('as Dana: a System Setting and an OrgDBOrgSetting saved to the organizations row, unknown XML names kept', async () => {
    const { page, errors } = await openAdminTab();
    await page.getByRole('tab', { name: 'Outlook' }).click();
    await page.getByLabel('Promote incoming email every (minutes)').fill('5');
    await page.getByRole('tab', { name: 'OrgDBOrgSettings' }).click();
    await expect(page.locator('[data-testid="orgdb-unknown"]').textContent()).resolves.toContain(
      'FutureSetting',
    );
    await switchOf(page, 'AllowPromoteDuplicates').check();
    await expect(page.locator('[data-testid="admin-unsaved"]').textContent()).resolves.toBe(
      '2 unsaved changes',
    );
    expect(organization().tagpollingperiod).toBe(10);

    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-testid="admin-outcome"]', { hasText: 'Saved.' }).waitFor();
    const row = organization();
    expect(row.tagpollingperiod).toBe(5);
    expect(row.orgdborgsettings).toContain('<AllowPromoteDuplicates>true</AllowPromoteDuplicates>');
    expect(row.orgdborgsettings).toContain('<FutureSetting>keep me &amp; this</FutureSetting>');
    expect(errors).toEqual([]);
  });

  test('as Dana: a save whose answer is lost is read again and said as saved, and saving again is not "someone else"', async () => {
    const { page, errors } = await openAdminTab();
    const outcome = page.locator('[data-testid="admin-outcome"]');
    const polling = page.getByLabel('Promote incoming email every (minutes)');
    const first = organization().tagpollingperiod + 2;
    await page.getByRole('tab', { name: 'Outlook' }).click();
    await polling.fill(String(first));
    // The $batch runs and commits, then the emulator cuts the connection: the browser gets no answer.
    suite.h.emu.faults.add({ match: { method: 'POST', pathContains: '$batch' }, dropResponse: true });
    await page.getByRole('button', { name: 'Save' }).click();
    await outcome.getByText(/^Saved\./).waitFor();
    expect(organization().tagpollingperiod).toBe(first);
    await expect(outcome.textContent()).resolves.not.toContain('Nothing was saved');
    await screenshot(page, 'admin-save-lost-answer');

    await polling.fill(String(first + 1));
    await page.getByRole('button', { name: 'Save' }).click();
    await outcome.getByText(/^Saved\./).waitFor();
    await expect(outcome.textContent()).resolves.not.toContain('someone else');
    expect(organization().tagpollingperiod).toBe(first + 1);
    suite.h.emu.faults.clear();
    expect(errors).toEqual([]);
  });

  test('as Dana: the preview follows an unsaved edit, and the page passes axe', async () => {
    const { page, errors } = await openAdminTab();
    await page.getByLabel('Sample email').selectOption('betweenUsers');
    await expect(preview(page).getAttribute('data-track')).resolves.toBe('true');
    await switchOf(page, 'ignoreinternalemail').check();
    await page.locator('[data-testid="preview-result"][data-track="false"]').waitFor();
    await expect(preview(page).getAttribute('data-reason')).resolves.toBe('InternalEmailReject');
    await expect(preview(page).textContent()).resolves.toContain('email between users is not tracked');
    expect(organization().ignoreinternalemail).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-page');
    expect(errors).toEqual([]);
  });

  test('as Sam: the page is read-only and says why before anyone types', async () => {
    const { page } = await openAdminTab(SAM);
    await expect(page.locator('[data-testid="admin-read-only"]').textContent()).resolves.toContain(
      'prvWriteOrganization',
    );
    await expect(switchOf(page, 'ignoreinternalemail').isDisabled()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Save' }).count()).resolves.toBe(0);
  });

  test('as Sam: a save is a 403 and nothing is written', async () => {
    const connection = connectionFor(suite.h.crmUrl);
    const admin = new DataverseAdmin(
      new DataverseHttp({
        orgUrl: connection.crmUrl,
        tokens: tokenProviderFor(connection, null),
        headers: { MSCRMCallerID: SAM },
      }),
    );
    const before = organization();
    const row = await admin.readOrganization();
    await expect(
      admin.save({
        organization: {
          organizationId: row.organizationId,
          etag: row.etag,
          columns: { tagpollingperiod: 7 },
          orgdborgsettings:
            '<OrgSettings><AllowPromoteDuplicates>true</AllowPromoteDuplicates></OrgSettings>',
        },
      }),
    ).rejects.toBeInstanceOf(CrmForbiddenError);
    expect(organization()).toEqual(before);
  });

  test('in French at 540 px, the width of a small dialog: the tabs wrap, none is cut off, nothing scrolls sideways', async () => {
    const { page, errors } = await openAdminTab(undefined, { width: 540, lang: 'fr-FR' });
    const layout = await page.evaluate(() => {
      const tabs = [...document.querySelectorAll('[role="tab"]')].map((tab) => {
        const box = tab.getBoundingClientRect();
        return { text: (tab as HTMLElement).innerText.trim(), right: Math.round(box.right) };
      });
      return { tabs, page: [document.documentElement.scrollWidth, window.innerWidth] };
    });
    expect(layout.tabs.map((tab) => tab.text)).toContain('Variables d’environnement');
    for (const tab of layout.tabs) expect(tab.right).toBeLessThanOrEqual(540);
    expect(layout.page[0]).toBeLessThanOrEqual(layout.page[1]!);
    await page.getByRole('tab', { name: 'Variables d’environnement' }).click();
    await expect(
      page.getByRole('tab', { name: 'Variables d’environnement' }).getAttribute('aria-selected'),
    ).resolves.toBe('true');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("in the workbench: the add-in opens the page as a dialog, in Outlook's display language", async () => {
    const wb = await suite.open({ pane: false, lang: 'de-DE' });
    await wb.page.evaluate((crm) => {
      const office = window.__TIC_SIM__?.Office as unknown as {
        context: { ui: { displayDialogAsync(url: string, options: object, callback: () => void): void } };
      };
      office.context.ui.displayDialogAsync(
        `${location.origin}/admin.html?crm=${encodeURIComponent(crm)}`,
        {},
        () => undefined,
      );
    }, suite.h.crmUrl);
    await wb.page.waitForSelector('.modal-backdrop:not([hidden]) iframe', { timeout: 15_000 });
    const frame = (await (await wb.page.$('.modal iframe'))!.contentFrame())!;
    await frame.waitForSelector('main[data-admin-phase="ready"]', { timeout: 30_000 });
    await expect(frame.locator('h1').textContent()).resolves.toBe('Verwaltung von Track in CRM');
    expect(wb.errors).toEqual([]);
  });
});
