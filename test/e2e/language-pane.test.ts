/**
 * The pane in Outlook's display language (issue 13, Languages), end to end on the workbench with
 * ?lang= as Office.context.displayLanguage: German and French show the tabs, the item card's status and
 * actions in that language, and a meeting's date as that locale writes it (Intl), never in English.
 * The expected words are read from the resource files, so a better translation does not break the test.
 * Screenshot: test-output/e2e/pane-de.png (the note's German pane), pane-fr.png.
 *
 * Tests only read the demo organization: the tables are not restored.
 */
import type { Frame, Page } from 'playwright-core';
import deCommon from '../../src/i18n/resources/de/common.json';
import deItem from '../../src/i18n/resources/de/item.json';
import enApp from '../../src/i18n/resources/en/app.json';
import enCommon from '../../src/i18n/resources/en/common.json';
import frCommon from '../../src/i18n/resources/fr/common.json';
import frItem from '../../src/i18n/resources/fr/item.json';
import { openItem, paneFrame, paneStatus, screenshot } from './support/harness';
import { useWorkbenchSuite } from './support/suite';

jest.setTimeout(120_000);

const suite = useWorkbenchSuite({ restoreTables: false });

const LANGUAGES = {
  'de-DE': { common: deCommon, item: deItem, shot: 'pane-de' },
  'fr-FR': { common: frCommon, item: frItem, shot: 'pane-fr' },
} as const;

const tabNames = (pane: Frame) =>
  pane.evaluate(() => [...document.querySelectorAll('[role="tab"]')].map((tab) => tab.textContent ?? ''));

const meetingStart = (page: Page, subject: string): Promise<{ id: string; start: string }> =>
  page.evaluate((wanted) => {
    const item = window.__TIC_SIM__!.mailbox.calendarItems().find((i) => i.subject === wanted);
    return { id: item?.id ?? '', start: item?.appointment?.start ?? '' };
  }, subject);

describe.each(Object.entries(LANGUAGES))('the pane with Outlook in %s', (lang, words) => {
  test('tabs, the item card and its actions are in that language', async () => {
    const { page, ids } = await suite.open({ lang });
    const pane = await paneFrame(page);
    // Screen readers pronounce the pane in its language.
    expect(await pane.evaluate(() => document.documentElement.lang)).toBe(lang.slice(0, 2));
    expect(await tabNames(pane)).toEqual([
      words.common.tabEmail,
      words.common.tabBackground,
      words.common.tabSync,
      words.common.tabOptions,
      words.common.tabConnection,
    ]);
    expect(await tabNames(pane)).not.toContain(enCommon.tabBackground);

    await openItem(page, ids.invoice!);
    expect(await paneStatus(pane, ids.invoice!)).toBe('not-tracked');
    await pane.getByRole('heading', { name: words.item.headingNotTracked }).waitFor();
    await pane.getByRole('button', { name: words.item.track, exact: true }).waitFor();
    await pane.getByRole('button', { name: words.item.setRegarding, exact: true }).waitFor();
    expect(await pane.getByRole('button', { name: 'Set Regarding' }).count()).toBe(0);
    // The card's reason comes from the use cases: worded in the pane's language, never in English.
    const englishReasons = Object.entries(enApp as Record<string, string>)
      .filter(([key]) => key.startsWith('reason'))
      .map(([, text]) => text);
    const card = (await pane.locator('body').textContent()) ?? '';
    expect(englishReasons.filter((text) => card.includes(text))).toEqual([]);
    await screenshot(page, words.shot);
  });

  test("a meeting's date is written as the locale writes it", async () => {
    const { page } = await suite.open({ lang });
    const pane = await paneFrame(page);
    const meeting = await meetingStart(page, 'Q3 pricing review');
    expect(meeting.start).not.toBe('');
    await openItem(page, meeting.id);
    const details = pane.locator('[data-testid="appointment-details"]');
    await details.waitFor({ timeout: 20_000 });
    // The meeting's own semantics: its instant in UTC, as the card says.
    const day = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(
      new Date(meeting.start),
    );
    const english = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(
      new Date(meeting.start),
    );
    const text = (await details.textContent()) ?? '';
    expect(text).toContain(day);
    expect(text).not.toContain(english);
    expect(text).toContain(words.item.attendeesInCrm);
  });
});
