/**
 * The words of the ribbon command and the event handlers in the user's display language
 * (Office.context.displayLanguage): the use cases' (`app`, handed to them with the session) and their
 * own (`notifications`, all three languages in the bundle). English is in the bundle; a German or French
 * table that cannot load leaves the words in English, logged: the user still learns what happened.
 */
import type { AppKey, AppTranslate } from '../app/appWords';
import type { DiagnosticsLog } from '../app/ports';
import english from '../i18n/resources/en/app.json';
import { languageOf, type Language } from '../i18n/language';
import type { MessageTable } from '../i18n/messages';
import { notificationStrings, type NotificationStrings } from '../i18n/notifications';
import { flatten, stringsFrom } from '../i18n/strings';
import { loadAppTable } from './appTable';

export interface SurfaceWords {
  readonly app: AppTranslate;
  readonly notifications: NotificationStrings['t'];
}

const ENGLISH = flatten({ app: english });

/** One load per language for the runtime's life: a click or a send should not wait on it twice. */
const loaded = new Map<Language, Promise<MessageTable | null>>();

function tableFor(language: Exclude<Language, 'en'>, log: DiagnosticsLog): Promise<MessageTable | null> {
  let table = loaded.get(language);
  if (!table) {
    table = loadAppTable(language).then(
      (messages) => flatten({ app: messages }),
      (error: unknown) => {
        loaded.delete(language); // the next click or send tries again
        log.log(`The "${language}" texts of the add-in could not load; its messages are in English.`, error);
        return null;
      },
    );
    loaded.set(language, table);
  }
  return table;
}

export async function surfaceWords(
  displayLanguage: string | null | undefined,
  log: DiagnosticsLog,
): Promise<SurfaceWords> {
  const language = languageOf(displayLanguage);
  const table = language === 'en' ? ENGLISH : await tableFor(language, log);
  return {
    app: stringsFrom<AppKey>(table ? displayLanguage : 'en-US', table ?? ENGLISH, ENGLISH).t,
    notifications: notificationStrings(displayLanguage).t,
  };
}
