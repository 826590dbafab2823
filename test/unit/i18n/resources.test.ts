/**
 * Every message exists in every language: a key English has and German or French lacks (or the other
 * way round), a translation that drops or renames a placeholder, an empty message, or a counted message
 * without its "other" form fails here, before it ships.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGES } from '../../../src/i18n/language';
import { PLURAL_SUFFIXES, placeholdersOf } from '../../../src/i18n/messages';

const ROOT = join(__dirname, '../../../src/i18n/resources');
const namespaces = readdirSync(join(ROOT, 'en'))
  .filter((name) => name.endsWith('.json'))
  .map((name) => name.replace(/\.json$/, ''));

const read = (language: string, namespace: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(ROOT, language, `${namespace}.json`), 'utf8')) as Record<string, unknown>;

const baseOf = (key: string): string => {
  const suffix = PLURAL_SUFFIXES.find((s) => key.endsWith(s));
  return suffix ? key.slice(0, -suffix.length) : key;
};

describe('every language has every namespace', () => {
  test.each(LANGUAGES.filter((l) => l !== 'en'))('%s has the namespaces English has', (language) => {
    const theirs = readdirSync(join(ROOT, language)).filter((name) => name.endsWith('.json'));
    expect(theirs.sort()).toEqual(namespaces.map((n) => `${n}.json`).sort());
  });
});

describe.each(namespaces)('namespace %s', (namespace) => {
  const english = read('en', namespace);

  test.each(LANGUAGES)('every %s message is non-empty text', (language) => {
    const bad = Object.entries(read(language, namespace)).filter(
      ([, message]) => typeof message !== 'string' || message.trim() === '',
    );
    expect(bad.map(([key]) => key)).toEqual([]);
  });

  test.each(LANGUAGES.filter((l) => l !== 'en'))('%s has exactly the keys English has', (language) => {
    const theirs = read(language, namespace);
    const missing = Object.keys(english).filter((key) => !(key in theirs));
    const extra = Object.keys(theirs).filter((key) => !(key in english));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  test.each(LANGUAGES.filter((l) => l !== 'en'))('%s uses the placeholders English uses', (language) => {
    const theirs = read(language, namespace);
    const differing = Object.entries(english)
      .filter(([key]) => typeof theirs[key] === 'string')
      .filter(
        ([key, message]) =>
          JSON.stringify(placeholdersOf(String(message))) !==
          JSON.stringify(placeholdersOf(String(theirs[key]))),
      )
      .map(([key]) => key);
    expect(differing).toEqual([]);
  });

  test.each(LANGUAGES)('every counted %s message has its "other" form and a {count}', (language) => {
    const messages = read(language, namespace);
    const counted = new Set(
      Object.keys(messages)
        .filter((key) => baseOf(key) !== key)
        .map(baseOf),
    );
    const bad = [...counted].filter((base) => !(`${base}_other` in messages));
    expect(bad).toEqual([]);
  });
});
