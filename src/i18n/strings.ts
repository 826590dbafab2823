/**
 * One surface's strings in one language: its message table flattened to "namespace.key", the lookup,
 * and the locale's formats. A surface (the pane, the admin page, the dialog) names the namespaces it
 * shows; English is in its first JavaScript, German and French are chunks loaded before first paint.
 */
import { formatsFor, type Formats } from './format';
import { languageOf, localeOf, type Language } from './language';
import { createTranslate, type LookupKey, type MessageTable, type Translate } from './messages';

export type Namespaces = Readonly<Record<string, MessageTable>>;

/** "sync.created_one" and "sync.created_other" → "sync.created". */
export type KeysOf<N extends Namespaces> = {
  [Ns in keyof N & string]: `${Ns}.${LookupKey<keyof N[Ns] & string>}`;
}[keyof N & string];

export interface Strings<K extends string = string> {
  readonly language: Language;
  readonly t: Translate<K>;
  readonly formats: Formats;
}

export function flatten(namespaces: Namespaces): MessageTable {
  const table: Record<string, string> = {};
  for (const [namespace, messages] of Object.entries(namespaces)) {
    for (const [key, message] of Object.entries(messages)) table[`${namespace}.${key}`] = message;
  }
  return table;
}

const reportMissing = (language: Language) => (key: string) =>
  console.error(`[Track in CRM] No "${language}" text for ${key}; the key is shown instead`);

/**
 * The strings for a display language from that language's table. English fills any gap a language
 * leaves at run time (the resource test fails on such a gap before it ships); a key no language has
 * shows as the key.
 */
export function stringsFrom<K extends string>(
  displayLanguage: string | null | undefined,
  table: MessageTable,
  english: MessageTable,
): Strings<K> {
  const language = languageOf(displayLanguage);
  const locale = localeOf(displayLanguage);
  const merged = language === 'en' ? english : { ...english, ...table };
  return {
    language,
    t: createTranslate<K>(merged, locale, reportMissing(language)),
    formats: formatsFor(locale),
  };
}
