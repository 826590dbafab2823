/**
 * The `app` namespace's German or French table for the ribbon command and the event handlers of
 * commands.html: a chunk per language ("lang-de-app"), as commands.js is held to 40 KB gz and most users
 * read one language. events.js cannot load chunks: its layer replaces this module by appTableFetched.ts
 * (webpack.config.js).
 */
import type { Language } from '../i18n/language';
import type { MessageTable } from '../i18n/messages';

export async function loadAppTable(language: Exclude<Language, 'en'>): Promise<MessageTable> {
  return language === 'de'
    ? (await import(/* webpackChunkName: "lang-de-app" */ './appTables/de')).default
    : (await import(/* webpackChunkName: "lang-fr-app" */ './appTables/fr')).default;
}
