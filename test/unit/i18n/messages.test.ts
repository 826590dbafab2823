import { createTranslate } from '../../../src/i18n/messages';
import { languageOf, localeOf } from '../../../src/i18n/language';
import { formatsFor } from '../../../src/i18n/format';

describe('the language follows Office display language', () => {
  test.each([
    ['de-DE', 'de'],
    ['de-AT', 'de'],
    ['fr-CA', 'fr'],
    ['FR', 'fr'],
    ['en-GB', 'en'],
    ['pt-BR', 'en'],
    ['', 'en'],
    [undefined, 'en'],
  ])('%s → %s', (tag, language) => expect(languageOf(tag)).toBe(language));

  test.each([
    ['de-CH', 'de-CH'],
    ['en-GB', 'en-GB'],
    ['pt-BR', 'en-US'],
    [undefined, 'en-US'],
  ])('the locale of %s is %s', (tag, locale) => expect(localeOf(tag)).toBe(locale));
});

describe('messages', () => {
  const t = createTranslate(
    { hello: 'Hello {name}', items_one: '{count} item', items_other: '{count} items', plain: 'Plain' },
    'en-US',
  );

  test('placeholders are filled by name', () => expect(t('hello', { name: 'Ann' })).toBe('Hello Ann'));
  test('a counted message picks its plural form', () => {
    expect(t('items', { count: 1 })).toBe('1 item');
    expect(t('items', { count: 1200 })).toBe('1,200 items');
  });
  test('a placeholder without a value stays visible', () => expect(t('hello')).toBe('Hello {name}'));
  test('a missing message shows its key and is reported', () => {
    const missing: string[] = [];
    const report = createTranslate({}, 'en-US', (key) => missing.push(key));
    expect(report('nowhere.key')).toBe('nowhere.key');
    expect(missing).toEqual(['nowhere.key']);
  });
  test('numbers in messages follow the locale', () => {
    const de = createTranslate({ n: '{count} Elemente' }, 'de-DE');
    expect(de('n', { count: 1200 })).toBe('1.200 Elemente');
  });
});

describe('formats follow the locale through Intl', () => {
  const at = '2026-12-01T14:05:00Z';
  test('a German date', () => expect(formatsFor('de-DE').date(at, { timeZone: 'UTC' })).toBe('01.12.2026'));
  test('a French time', () => expect(formatsFor('fr-FR').time(at, { timeZone: 'UTC' })).toBe('14:05'));
  test('an invalid date is shown as given', () =>
    expect(formatsFor('en-US').date('not a date')).toBe('not a date'));
});
