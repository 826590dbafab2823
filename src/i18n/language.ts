/**
 * The languages the add-in speaks, chosen from Office's display language (Office.context.displayLanguage,
 * an RFC 4646 tag such as "de-DE" or "fr-CA"). Any other language gets English: a pane half in a
 * language we do not have would be worse than one in English.
 */
export const LANGUAGES = ['en', 'de', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

const isLanguage = (value: string): value is Language => (LANGUAGES as readonly string[]).includes(value);

/** "de-AT" → de; "FR" → fr; "pt-BR", "", undefined → en. */
export function languageOf(displayLanguage: string | null | undefined): Language {
  const primary = (displayLanguage ?? '').trim().split(/[-_]/)[0]?.toLowerCase() ?? '';
  return isLanguage(primary) ? primary : 'en';
}

/**
 * The locale dates and numbers are formatted in: the display language as Office gives it when it is one
 * of ours (so "de-CH" keeps Swiss number grouping), else English as the United States writes it. A tag
 * Intl does not accept falls back to the language alone.
 */
export function localeOf(displayLanguage: string | null | undefined): string {
  const language = languageOf(displayLanguage);
  const tag = (displayLanguage ?? '').trim();
  if (tag === '' || languageOf(tag) !== language || (language === 'en' && !/^en\b/i.test(tag))) {
    return language === 'en' ? 'en-US' : language;
  }
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? language;
  } catch {
    return language;
  }
}
