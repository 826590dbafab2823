/**
 * The words of the ribbon command and the event handlers in the user's display language
 * (Office.context.displayLanguage): the use cases' (`app`, handed to them with the session) and their
 * own (`notifications`, all three languages in the bundle). English is in the bundle; a German or French
 * table that cannot load leaves the words in English, logged: the user still learns what happened.
 */
import { appTable, ENGLISH_APP_TABLE, type AppKey, type AppTranslate } from '../app/appWords';
import type { DiagnosticsLog } from '../app/ports';
import { languageOf, localeOf, type Language } from '../i18n/language';
import { createTranslate, type MessageTable } from '../i18n/messages';
import { notificationWords, type NotificationKey } from '../i18n/notifications';
import type { Translate } from '../i18n/messages';
import { loadAppTable, loadPaneTable } from './appTable';

export interface SurfaceWords {
  readonly app: AppTranslate;
  readonly notifications: Translate<NotificationKey>;
}

/** One load per language for the runtime's life: a click or a send should not wait on it twice. */
const loaded = new Map<Language, Promise<MessageTable | null>>();

function tableFor(language: Exclude<Language, 'en'>, log: DiagnosticsLog): Promise<MessageTable | null> {
  let table = loaded.get(language);
  if (!table) {
    table = loadAppTable(language).then(
      (messages) => ({ ...ENGLISH_APP_TABLE, ...appTable(messages) }),
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

/** The `appPane` table, loaded once per language; without it those words show as their keys (logged). */
const panes = new Map<Language, Promise<MessageTable>>();

function paneTableFor(language: Language, log: DiagnosticsLog): Promise<MessageTable> {
  let table = panes.get(language);
  if (!table) {
    table = loadPaneTable(language).then(
      (messages) => appTable(messages, 'appPane'),
      (error: unknown) => {
        panes.delete(language);
        log.log(`The "${language}" draft and meeting texts of the add-in could not load.`, error);
        return {};
      },
    );
    panes.set(language, table);
  }
  return table;
}

export async function surfaceWords(
  displayLanguage: string | null | undefined,
  log: DiagnosticsLog,
): Promise<SurfaceWords> {
  const language = languageOf(displayLanguage);
  const [table, pane] = await Promise.all([
    language === 'en' ? null : tableFor(language, log),
    paneTableFor(language, log),
  ]);
  const shown = table ? language : 'en';
  return {
    app: createTranslate<AppKey>(
      { ...(table ?? ENGLISH_APP_TABLE), ...pane },
      table ? localeOf(displayLanguage) : 'en-US',
      (key) => console.error(`[Track in CRM] No "${shown}" text for ${key}; the key is shown instead`),
    ),
    notifications: notificationWords(displayLanguage),
  };
}
