/**
 * The ribbon command's and the event handlers' messages (notification bars, Smart Alerts) in all three
 * languages, statically: classic Outlook's JavaScript-only runtime loads exactly one file, so events.js
 * cannot fetch a language chunk. Kept short for the 40 KB budget of commands.js and events.js.
 */
import de from './resources/de/notifications.json';
import en from './resources/en/notifications.json';
import fr from './resources/fr/notifications.json';
import { languageOf, localeOf } from './language';
import { createTranslate, type Translate } from './messages';
import type { KeysOf } from './strings';

export type NotificationKey = KeysOf<{ notifications: typeof en }>;

/**
 * The notifications' lookup for a display language, English filling any gap. No Intl formats here
 * (chosen): the ribbon and the event handlers show no dates or numbers of their own, and commands.js and
 * events.js are held to 40 KB gz.
 */
export function notificationWords(displayLanguage: string | null | undefined): Translate<NotificationKey> {
  const table: Record<string, string> = {};
  const language = languageOf(displayLanguage);
  const chosen = language === 'de' ? de : language === 'fr' ? fr : en;
  for (const [key, message] of Object.entries({ ...en, ...chosen })) table[`notifications.${key}`] = message;
  return createTranslate<NotificationKey>(table, localeOf(displayLanguage), (key) =>
    console.error(`[Track in CRM] No "${language}" text for ${key}; the key is shown instead`),
  );
}
