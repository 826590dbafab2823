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

/**
 * The `appPane` words in any language, English included: of the ribbon's paths only the draft marking
 * and the meetings say them, and their code is chunks of commands.html as well.
 */
export async function loadPaneTable(language: Language): Promise<MessageTable> {
  if (language === 'de')
    return (await import(/* webpackChunkName: "lang-de-app" */ './appTables/de-pane')).default;
  if (language === 'fr')
    return (await import(/* webpackChunkName: "lang-fr-app" */ './appTables/fr-pane')).default;
  return (await import(/* webpackChunkName: "lang-en-app-pane" */ './appTables/en-pane')).default;
}
