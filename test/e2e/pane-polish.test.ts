/**
 * The pane's polish for a new user (issue 10, Hardening II §1), end to end in headless Chromium on the
 * workbench with the pane's frame exactly 320 px wide (Outlook's narrowest task pane):
 *
 * - nothing scrolls sideways: not the item card in its states, not any options tab; no choice in a
 *   select is cut off;
 * - the item card says its status once (no badge repeating the heading);
 * - an option the organization locks says why in plain words, with the setting as a smaller detail;
 * - after the untrack confirmation or the record search closes, nothing in the pane is left
 *   aria-hidden or inert, focus is back on the control that opened it (or the card's heading when that
 *   control is gone), and axe finds nothing serious, after the close as well as while open.
 *
 * Every emulator table is restored to the seeded demo organization after each test (as in
 * workbench.test.ts). Screenshots go to test-output/e2e/ (polish-*.png).
 */
import type { Frame, Page } from 'playwright-core';
import { seriousViolations } from './support/axe';
import { openItem, paneFrame, paneStatus, screenshot } from './support/harness';
import { useWorkbenchSuite } from './support/suite';

jest.setTimeout(90_000);

const PANE_WIDTH = 320;
const PANE_SCOPE = { include: ['[data-testid="pane-frame"]'] };

const suite = useWorkbenchSuite();

/** The workbench with the pane's frame (its window) exactly PANE_WIDTH px wide. */
async function openNarrow(): Promise<{ page: Page; pane: Frame; ids: Record<string, string> }> {
  // Wide enough for the workbench's folder list, message list and reading pane beside the task pane.
  const wb = await suite.open({ width: 1200, height: 900 });
  const { page, ids } = wb;
  const pane = await paneFrame(page);
  for (let width = PANE_WIDTH, tries = 0; tries < 3; tries += 1) {
    await page.evaluate((w) => {
      (document.querySelector('aside.pane') as HTMLElement).style.width = `${w}px`;
    }, width);
    const inner = await pane.evaluate(() => window.innerWidth);
    if (inner === PANE_WIDTH) break;
    width += PANE_WIDTH - inner;
  }
  expect(await pane.evaluate(() => window.innerWidth)).toBe(PANE_WIDTH);
  return { page, pane, ids };
}

interface Overflow {
  readonly page: readonly [number, number];
  /** Elements wider than their box (scrollWidth > clientWidth) that do not scroll on purpose. */
  readonly wide: readonly string[];
  /** Selects whose box or whose longest choice does not fit: [label, needed px, available px]. */
  readonly selects: readonly (readonly [string, number, number])[];
}

/** What sticks out sideways in the pane: the page, any element, any select or choice in one. */
function overflowIn(pane: Frame): Promise<Overflow> {
  return pane.evaluate(() => {
    const root = document.documentElement;
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}[${(el.textContent ?? '').trim().slice(0, 30)}]`;
    const wide = [...document.querySelectorAll('[data-testid="pane"] *')]
      .filter((el) => {
        const style = getComputedStyle(el);
        const scrolls = /auto|scroll/.test(style.overflowX);
        // (a 1-px box is the visually hidden live region, clipped on purpose)
        return !scrolls && el.clientWidth > 1 && el.scrollWidth > el.clientWidth + 1;
      })
      .map(name);
    const canvas = document.createElement('canvas').getContext('2d')!;
    const selects = [...document.querySelectorAll('select')].flatMap((select) => {
      const style = getComputedStyle(select);
      canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const available = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const needed = Math.max(...[...select.options].map((o) => canvas.measureText(o.text).width));
      const label = select.labels?.[0]?.textContent ?? select.id;
      return select.scrollWidth > select.clientWidth || needed > available
        ? [[label, Math.ceil(needed), Math.floor(available)] as const]
        : [];
    });
    return { page: [root.scrollWidth, root.clientWidth] as const, wide, selects };
  });
}

async function expectNoOverflow(pane: Frame): Promise<void> {
  const { page, wide, selects } = await overflowIn(pane);
  expect(page[0]).toBeLessThanOrEqual(page[1]);
  expect(wide).toEqual([]);
  expect(selects).toEqual([]);
}

/** Elements in the pane hidden from assistive technology or inert that hold `selector`'s element. */
function hiddenAround(pane: Frame, selector: string): Promise<string[]> {
  return pane.evaluate((sel) => {
    const hidden: string[] = [];
    const start = document.querySelector(sel);
    if (!start) return [`${sel} is not in the pane`];
    for (let el: Element | null = start; el; el = el.parentElement) {
      if (el.getAttribute('aria-hidden') === 'true' || el.hasAttribute('inert'))
        hidden.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}`);
    }
    return hidden;
  }, selector);
}

/** The focused element in the pane: its tag, role and visible text. */
const focused = (pane: Frame) =>
  pane.evaluate(() => {
    const el = document.activeElement;
    return el ? { tag: el.tagName.toLowerCase(), id: el.id, text: (el.textContent ?? '').trim() } : null;
  });

const expectAccessible = async (page: Page) => {
  expect(await seriousViolations(page, PANE_SCOPE)).toEqual([]);
};

describe('the pane at 320 px', () => {
  test('the item card in each state, then Connection: no sideways scroll, the status said once', async () => {
    const { page, pane, ids } = await openNarrow();
    const cases: [string, string][] = [
      ['invoice', 'not-tracked'],
      ['partnership', 'not-tracked'], // unknown sender: Create contact and Create lead too
      ['pricingReply2', 'tracked'], // regarding, three parties
      ['welcomeReply', 'tracked'],
    ];
    for (const [key, status] of cases) {
      await openItem(page, ids[key]!);
      expect(await paneStatus(pane, ids[key]!)).toBe(status);
      await expectNoOverflow(pane);
      const said = await pane.evaluate(() => {
        const card = document.querySelector('[data-testid="item-status"]')!;
        const heading = (card.querySelector('#item-heading')?.textContent ?? '').trim();
        // Any other element of the card whose own words are the status (a badge beside the heading).
        const repeats = [...card.querySelectorAll('*')].filter(
          (el) =>
            !el.closest('#item-heading') &&
            el.children.length === 0 &&
            (el.textContent ?? '').trim() !== '' &&
            heading.toLowerCase().startsWith((el.textContent ?? '').trim().toLowerCase()),
        );
        return { heading, repeats: repeats.map((el) => (el.textContent ?? '').trim()) };
      });
      expect(said.heading).not.toBe('');
      expect(said.repeats).toEqual([]);
      await screenshot(page, `polish-card-${key}`);
    }
    await expectAccessible(page);
    await pane.getByRole('tab', { name: 'Connection' }).click();
    await pane.getByRole('tabpanel').last().waitFor();
    await expectNoOverflow(pane);
    // The address breaks between its parts ("http://" | "localhost:port"), never inside the port.
    const address = await pane.evaluate(() => {
      const term = [...document.querySelectorAll('dt')].find((dt) => dt.textContent === 'Connected to')!;
      const detail = term.nextElementSibling!;
      const lines = new Map<number, string>();
      for (const part of detail.querySelectorAll('span')) {
        const top = Math.round(part.getBoundingClientRect().top);
        lines.set(top, (lines.get(top) ?? '') + (part.textContent ?? ''));
      }
      return { text: detail.textContent ?? '', lines: [...lines.values()] };
    });
    expect(address.lines.join('')).toBe(address.text);
    for (const line of address.lines) expect(line).toMatch(/^(https?:\/\/|[^/]+\/?)$/);
    // Connected, with the address unchanged: Connect is not the filled main button; a new address makes it so.
    // (rgb(15, 108, 189) is webLightTheme's colorBrandBackground, the primary button's fill.)
    const connectFilled = (filled: boolean) =>
      pane.waitForFunction(
        (want) => {
          const connect = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Connect');
          return !!connect && (getComputedStyle(connect).backgroundColor === 'rgb(15, 108, 189)') === want;
        },
        filled,
        { timeout: 5_000 },
      );
    await connectFilled(false);
    await pane.getByRole('textbox', { name: 'CRM address' }).fill('https://contoso.crm.dynamics.com');
    await connectFilled(true);
    await screenshot(page, 'polish-connection');
    await expectAccessible(page);
  });

  test('every options tab: no sideways scroll, no choice cut off; a lock in plain words with the setting as a detail', async () => {
    suite.h.emu.db
      .prepare('UPDATE organization SET orgdborgsettings = ?, allowoutlookscheduledsyncs = 0')
      .run('<OrgSettings><HideEmailAutoTrackOptions>true</HideEmailAutoTrackOptions></OrgSettings>');
    const { page, pane } = await openNarrow();
    await pane.getByRole('tab', { name: 'Options' }).click();
    for (const tab of ['Synchronization', 'Address Book', 'Local Data', 'Email']) {
      await pane.getByRole('tab', { name: tab }).last().click();
      await pane.getByRole('tabpanel').last().waitFor();
      await expectNoOverflow(pane);
      await screenshot(page, `polish-options-${tab.toLowerCase().replace(/\s+/g, '-')}`);
      await expectAccessible(page);
    }

    // Email tab: "Which messages to track" is locked; its hint is the reason, then the setting, smaller.
    const select = pane.getByRole('combobox', { name: 'Which messages to track' });
    expect(await select.isDisabled()).toBe(true);
    const hint = await select.evaluate((el) => {
      const box = document.getElementById(el.getAttribute('aria-describedby') ?? '')!;
      const setting = box.querySelector('[data-testid="lock-setting"]')!;
      const sentence = [...box.childNodes]
        .filter((n) => n !== setting)
        .map((n) => n.textContent)
        .join('');
      const size = (e: Element) => parseFloat(getComputedStyle(e).fontSize);
      return {
        sentence: sentence.trim(),
        setting: (setting.textContent ?? '').trim(),
        smaller: size(setting) < size(box),
        below: setting.getBoundingClientRect().top >= box.firstElementChild!.getBoundingClientRect().bottom,
      };
    });
    expect(hint).toEqual({
      sentence: 'Locked: Your organization sets which messages are tracked (responses to CRM email).',
      setting: 'Setting: HideEmailAutoTrackOptions (OrgDBOrgSettings)',
      smaller: true,
      below: true,
    });

    // Synchronization tab: the schedule is locked by an organization column, named as the detail.
    await pane.getByRole('tab', { name: 'Synchronization' }).last().click();
    const interval = pane.getByRole('spinbutton', { name: 'Schedule automatic synchronization every' });
    expect(await interval.isDisabled()).toBe(true);
    const description = await interval.evaluate(
      (el) => document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent ?? '',
    );
    expect(description).toBe(
      'Locked: Your organization does not let users schedule synchronization.' +
        'Setting: allowoutlookscheduledsyncs (System Settings › Outlook)',
    );
    await screenshot(page, 'polish-options-locks');
  });

  test('the saved message wraps inside the pane', async () => {
    const { page, pane } = await openNarrow();
    await pane.getByRole('tab', { name: 'Options' }).click();
    await pane.getByRole('tab', { name: 'Email' }).last().click();
    await pane.getByRole('switch', { name: /^Tag emails found tracked in the CRM/ }).click();
    await pane.getByRole('button', { name: 'Save' }).click();
    const saved = pane.getByRole('tabpanel', { name: 'Options' }).getByText(/^Saved\./);
    await saved.waitFor({ timeout: 15_000 });
    await expectNoOverflow(pane);
    const fits = await saved.evaluate((el) => {
      const box = el.getBoundingClientRect();
      return { right: Math.ceil(box.right), width: window.innerWidth, wraps: box.height > 30 };
    });
    expect(fits.right).toBeLessThanOrEqual(fits.width);
    expect(fits.wraps).toBe(true);
    await screenshot(page, 'polish-options-saved');
    await expectAccessible(page);
  });
});

describe('the Set Regarding dialog follows Outlook’s theme', () => {
  test('dark: the dialog page is dark with readable text, system colours when forced, axe clean', async () => {
    suite.h.emu.db
      .prepare('UPDATE organization SET orgdborgsettings = ?')
      .run('<OrgSettings><OverrideTrackInCrmBehaviour>1</OverrideTrackInCrmBehaviour></OrgSettings>');
    const wb = await suite.open({ pane: false });
    const { page } = wb;
    await page.evaluate(() => window.localStorage.setItem('workbench:theme', 'dark'));
    await page.reload();
    await page.waitForSelector('body[data-workbench="ready"]', { state: 'attached', timeout: 20_000 });
    const ids = (await page.evaluate(() => window.__TIC_DEMO_IDS__)) as Record<string, string>;
    await openItem(page, ids.invoice!);
    await page.getByRole('button', { name: 'Track in CRM', exact: true }).click();
    await page.waitForSelector('.modal-backdrop:not([hidden]) iframe', { timeout: 15_000 });
    const frame = (await (await page.$('.modal iframe'))!.contentFrame())!;
    await frame.waitForSelector('html[data-theme="dark"]', { state: 'attached', timeout: 10_000 });
    const search = frame.getByRole('combobox', { name: 'Find the record this email is regarding' });
    await search.fill('Fabrikam');
    await frame.getByRole('listbox').getByRole('option').first().waitFor({ timeout: 15_000 });
    const colours = await frame.evaluate(() => {
      const rgb = (c: string) => (c.match(/\d+/g) ?? []).slice(0, 3).map(Number);
      const lum = (c: string) => {
        const [r, g, b] = rgb(c).map((v) => {
          const x = v / 255;
          return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
        }) as [number, number, number];
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const of = (sel: string) => {
        const s = getComputedStyle(document.querySelector(sel)!);
        return { background: lum(s.backgroundColor), text: lum(s.color) };
      };
      return { body: of('body'), input: of('#search'), select: of('#type') };
    });
    for (const c of Object.values(colours)) {
      expect(c.background).toBeLessThan(0.1);
      expect(c.text).toBeGreaterThan(0.6);
    }
    await screenshot(page, 'polish-dialog-dark');
    expect(await seriousViolations(page, { include: ['.modal'] })).toEqual([]);

    // High contrast: the system's colours win over the dark theme.
    await page.emulateMedia({ forcedColors: 'active' });
    const system = await frame.evaluate(() => {
      const probe = document.createElement('div');
      probe.style.cssText = 'background: Canvas; color: CanvasText';
      document.body.append(probe);
      const want = getComputedStyle(probe);
      const body = getComputedStyle(document.body);
      const result = {
        background: [body.backgroundColor, want.backgroundColor],
        text: [body.color, want.color],
      };
      probe.remove();
      return result;
    });
    expect(system.background[0]).toBe(system.background[1]);
    expect(system.text[0]).toBe(system.text[1]);
    // The dialog's page only: the workbench's own modal frame is not the add-in.
    expect(await seriousViolations(page, { include: ['.modal iframe'] })).toEqual([]);
    await search.press('Escape');
    await page.waitForSelector('.modal-backdrop', { state: 'hidden' });
  });
});

describe('after a dialog closes', () => {
  test('the untrack confirmation: nothing left hidden, focus back on Untrack, axe clean; after Untrack, focus in the card', async () => {
    const { page, pane, ids } = await openNarrow();
    await openItem(page, ids.welcomeReply!);
    expect(await paneStatus(pane, ids.welcomeReply!)).toBe('tracked');
    const untrack = pane.getByRole('button', { name: 'Untrack', exact: true });

    // Closed with "Keep tracked".
    await untrack.click();
    const dialog = pane.getByRole('dialog', { name: 'Untrack this email?' });
    await dialog.waitFor();
    expect(await focused(pane)).toMatchObject({ tag: 'button', text: 'Keep tracked' });
    await expectNoOverflow(pane);
    await screenshot(page, 'polish-untrack-open');
    await expectAccessible(page);
    await dialog.getByRole('button', { name: 'Keep tracked' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await hiddenAround(pane, '[data-testid="item-status"] button')).toEqual([]);
    expect(await hiddenAround(pane, '[data-testid="pane"]')).toEqual([]);
    expect(await focused(pane)).toMatchObject({ tag: 'button', text: 'Untrack' });
    await expectAccessible(page);

    // Closed with Escape.
    await untrack.click();
    await dialog.waitFor();
    await pane.page().keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await hiddenAround(pane, '[data-testid="pane"]')).toEqual([]);
    expect(await focused(pane)).toMatchObject({ tag: 'button', text: 'Untrack' });
    expect(await paneStatus(pane, ids.welcomeReply!)).toBe('tracked');
    await expectAccessible(page);

    // Confirmed: the Untrack button goes with the tracked state, so the card's heading takes focus.
    await untrack.click();
    await dialog.getByRole('button', { name: 'Untrack', exact: true }).click();
    expect(await paneStatus(pane, ids.welcomeReply!, ['not-tracked'])).toBe('not-tracked');
    await pane.waitForFunction(() => document.activeElement?.id === 'item-heading', undefined, {
      timeout: 10_000,
    });
    expect(await hiddenAround(pane, '[data-testid="item-status"] button')).toEqual([]);
    expect(await hiddenAround(pane, '[data-testid="pane"]')).toEqual([]);
    await screenshot(page, 'polish-untrack-done');
    await expectAccessible(page);
  });

  test('the record search closed with Escape or by a choice: nothing hidden, focus back on its opener or in the card, axe clean', async () => {
    const { page, pane, ids } = await openNarrow();
    await openItem(page, ids.lunch!);
    await paneStatus(pane, ids.lunch!);
    const opener = pane.getByRole('button', { name: /^(Set|Change) Regarding$/ });
    const openerText = ((await opener.textContent()) ?? '').trim();
    await opener.click();
    const field = pane.getByRole('combobox', { name: 'Search records' });
    await field.waitFor();
    await field.fill('Fabrikam');
    await pane.getByRole('listbox').getByRole('option').first().waitFor({ timeout: 15_000 });
    await expectNoOverflow(pane);
    await screenshot(page, 'polish-search-open');
    await expectAccessible(page);
    await field.press('Escape');
    await field.waitFor({ state: 'detached' });
    expect(await hiddenAround(pane, '[data-testid="pane"]')).toEqual([]);
    expect(await focused(pane)).toMatchObject({ tag: 'button', text: openerText });
    await expectAccessible(page);

    // Closed by choosing a record: the email is tracked, and focus stays in the card, not on the page.
    await opener.click();
    await field.fill('Fabrikam');
    await pane.getByRole('listbox').getByRole('option').first().click();
    expect(await paneStatus(pane, ids.lunch!, ['tracked'])).toBe('tracked');
    await pane.waitForFunction(
      () => document.activeElement?.closest('[data-testid="item-status"]') != null,
      undefined,
      { timeout: 10_000 },
    );
    expect(await hiddenAround(pane, '[data-testid="pane"]')).toEqual([]);
    await expectAccessible(page);
  });
});
