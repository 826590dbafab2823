/**
 * The ribbon command's and the event handlers' messages (notification bars, Smart Alerts) in all three
 * languages, statically: classic Outlook's JavaScript-only runtime loads exactly one file, so events.js
 * cannot fetch a language chunk. Kept short for the 40 KB budget of commands.js and events.js.
 */
import de from './resources/de/notifications.json';
import en from './resources/en/notifications.json';
import fr from './resources/fr/notifications.json';
import { languageOf } from './language';
import { stringsFrom, type KeysOf, type Strings } from './strings';
import { flatten } from './strings';

const TABLES = {
  en: flatten({ notifications: en }),
  de: flatten({ notifications: de }),
  fr: flatten({ notifications: fr }),
};

export type NotificationKey = KeysOf<{ notifications: typeof en }>;
export type NotificationStrings = Strings<NotificationKey>;

export const notificationStrings = (displayLanguage: string | null | undefined): NotificationStrings =>
  stringsFrom<NotificationKey>(displayLanguage, TABLES[languageOf(displayLanguage)], TABLES.en);
