/**
 * The workbench's shell in headless Chromium (workbench/): the mailbox kept across a page reload
 * (localStorage, "Reset demo" clears it) and the dark theme over the whole page. The pane flows are in
 * workbench.test.ts. Screenshots go to test-output/e2e/ (shell-*.png).
 */
import type { Page } from 'playwright-core';
import { openItem, paneFrame, screenshot, waitForNotification } from './support/harness';
import { useWorkbenchSuite } from './support/suite';

jest.setTimeout(90_000);

const suite = useWorkbenchSuite({ restoreTables: false });

/** Waits until the workbench has (re)started after a reload; returns the demo ids it now uses. */
async function ready(page: Page): Promise<Record<string, string>> {
  await page.waitForSelector('body[data-workbench="ready"]', { state: 'attached', timeout: 20_000 });
  return (await page.evaluate(() => window.__TIC_DEMO_IDS__)) as Record<string, string>;
}

const chips = (page: Page): Promise<string[]> =>
  page.locator('article.email [data-testid="category"]').allTextContents();

const subjectsIn = async (page: Page, folder: string): Promise<string[]> => {
  await page.click(`nav.folders button[data-folder="${folder}"]`);
  return page.locator('section.list button.message .subject').allTextContents();
};

test('mail, sent items, categories and custom properties survive a reload; Reset demo clears them', async () => {
  const wb = await suite.open({ pane: false });
  const { page, ids } = wb;

  // Track an item from the ribbon: a category and the add-in's custom properties on it.
  await openItem(page, ids.onboarding!);
  await page.getByRole('button', { name: 'Track in CRM', exact: true }).click();
  await waitForNotification(page, /Tracked in the CRM\./);
  await page.waitForSelector('article.email [data-testid="category"]');
  const tracked = await chips(page);
  expect(tracked).toContain('Tracked to CRM');
  const props = await page.evaluate(
    (id) => window.__TIC_SIM__!.mailbox.getItem(id).customProperties,
    ids.onboarding!,
  );
  expect(Object.keys(props).length).toBeGreaterThan(0);

  // Send a new message: it goes to Sent Items.
  await page.getByRole('button', { name: 'New email', exact: true }).click();
  await page.waitForSelector('[data-testid="compose"] form.compose');
  await page.fill('form.compose input[data-field="to"]', 'Ann Lee <ann@fabrikam.com>');
  await page.fill('form.compose input[data-field="subject"]', 'Kept across a reload');
  await page.fill('form.compose textarea[data-field="body"]', 'Hello Ann');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await page.waitForFunction(
    () => /^Sent: /.test(document.querySelector('.status-line')?.textContent ?? ''),
    undefined,
    {
      timeout: 20_000,
    },
  );
  const sentBefore = await subjectsIn(page, 'sentitems');
  expect(sentBefore.some((s) => s.startsWith('Kept across a reload'))).toBe(true);
  const foldersBefore = await page.evaluate(() => window.__TIC_SIM__!.mailbox.folders());

  await page.reload();
  const after = await ready(page);
  expect(after).toEqual(ids);
  expect(await page.evaluate(() => window.__TIC_SIM__!.mailbox.folders())).toEqual(foldersBefore);
  expect(await subjectsIn(page, 'sentitems')).toEqual(sentBefore);
  await openItem(page, after.onboarding!);
  expect(await chips(page)).toEqual(tracked);
  expect(
    await page.evaluate((id) => window.__TIC_SIM__!.mailbox.getItem(id).customProperties, after.onboarding!),
  ).toEqual(props);
  // The add-in's roaming settings (the CRM URL the workbench saved) are still there too.
  expect(
    await page.evaluate(
      () =>
        (window.__TIC_SIM__!.Office.context.roamingSettings.get('tic') as { crmUrl?: string } | undefined)
          ?.crmUrl,
    ),
  ).toBe(suite.h.crmUrl);
  await screenshot(page, 'shell-01-after-reload');

  // Reset demo: the demo mailbox again (the CRM keeps its data).
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Reset demo' }).click()]);
  const fresh = await ready(page);
  expect((await subjectsIn(page, 'sentitems')).some((s) => s.startsWith('Kept across a reload'))).toBe(false);
  await openItem(page, fresh.onboarding!);
  expect(await chips(page)).not.toContain('Tracked to CRM');
});

/** WCAG relative luminance of a CSS rgb()/rgba() colour. */
function luminance(css: string): number {
  const [r, g, b] = (css.match(/[\d.]+/g) ?? [])
    .slice(0, 3)
    .map(Number)
    .map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const contrast = (a: string, b: string): number => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

/** Each selector's text colour and the background it is painted on (the first opaque one up the tree). */
function colours(page: Page, selectors: readonly string[]) {
  return page.evaluate((list) => {
    const paint = (el: Element | null): string => {
      for (let e = el; e; e = e.parentElement) {
        const bg = getComputedStyle(e).backgroundColor;
        if (bg && bg !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(bg)) return bg;
      }
      return 'rgb(255, 255, 255)';
    };
    return list.map((selector) => {
      const el = document.querySelector(selector);
      return { selector, found: !!el, background: paint(el), color: el ? getComputedStyle(el).color : '' };
    });
  }, selectors);
}

const SHELL = [
  'body',
  'header.top h1',
  'nav.folders button[data-folder="inbox"]',
  'section.list h2',
  'section.list button.message .subject',
  'section.list button.message .date',
  'main.reading .ribbon button',
  'article.email h2',
  'article.email dd',
  'article.email .body',
  'aside.pane header h2',
];

test('the dark theme darkens the whole workbench (frame, folders, list, reading pane, ribbon, compose) with readable text', async () => {
  const wb = await suite.open({ pane: true });
  const { page, ids } = wb;
  await openItem(page, ids.pricing!);
  const light = await colours(page, [
    'body',
    'section.list h2',
    'article.email .body',
    'aside.pane header h2',
  ]);
  for (const c of light) {
    expect(c).toMatchObject({ found: true });
    expect(luminance(c.background)).toBeGreaterThan(0.5);
  }

  await Promise.all([
    page.waitForEvent('load'),
    page.selectOption('select[aria-label="Outlook theme"]', 'dark'),
  ]);
  const darkIds = await ready(page);
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  await openItem(page, darkIds.pricing!);
  await paneFrame(page);
  const dark = await colours(page, SHELL);
  for (const c of dark) {
    expect(c).toMatchObject({ found: true });
    // The frame and every part of it is dark, and its text is readable (WCAG AA, 4.5:1).
    expect([c.selector, luminance(c.background) < 0.06]).toEqual([c.selector, true]);
    expect([c.selector, contrast(c.color, c.background) >= 4.5]).toEqual([c.selector, true]);
  }
  await screenshot(page, 'shell-02-dark-reading');

  await page.getByRole('button', { name: 'New email', exact: true }).click();
  await page.waitForSelector('[data-testid="compose"] form.compose');
  await page.fill('form.compose input[data-field="subject"]', 'Dark compose');
  const compose = await colours(page, [
    'form.compose input[data-field="subject"]',
    'form.compose textarea',
    'form.compose label span',
  ]);
  for (const c of compose) {
    expect([c.selector, luminance(c.background) < 0.06]).toEqual([c.selector, true]);
    expect([c.selector, contrast(c.color, c.background) >= 4.5]).toEqual([c.selector, true]);
  }
  await screenshot(page, 'shell-03-dark-compose');
});

test("a record link in the pane opens the emulator's page of that record", async () => {
  const wb = await suite.open({ pane: true });
  const { page, ids, context } = wb;
  await openItem(page, ids.pricing!);
  const pane = await paneFrame(page);
  const link = pane.locator('a[href*="/main.aspx?"]').first();
  await link.waitFor({ timeout: 20_000 });
  const href = (await link.getAttribute('href'))!;
  expect(href.startsWith(`${suite.h.crmUrl}/main.aspx?etn=`)).toBe(true);
  const record = await context.newPage();
  const response = await record.goto(href);
  expect(response?.status()).toBe(200);
  // The page is the record the pane names (the link's text is the record's name).
  expect(await record.textContent('[data-testid="record-name"]')).toBe(await link.textContent());
  await screenshot(record, 'shell-04-record-page');
  const missing = await record.goto(href.replace(/id=[^&]+/, 'id=00000000-0000-0000-0000-000000000000'));
  expect(missing?.status()).toBe(404);
  await screenshot(record, 'shell-05-record-not-found');
});
