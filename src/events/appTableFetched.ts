/**
 * events.js's stand-in for appTable.ts (webpack.config.js aliases it in the events layer): classic
 * Outlook's JavaScript-only runtime loads exactly one file and no chunk, but it can fetch. The German and
 * French tables are copied beside the add-in's pages (lang/<language>/app.json) and fetched by absolute
 * URL, the add-in's base URL the build was given (chosen: the runtime has no page address to resolve a
 * relative one against). Without one (a test build) the words stay English.
 */
import type { Language } from '../i18n/language';
import type { MessageTable } from '../i18n/messages';

const base = process.env.TIC_ADDIN_URL ?? '';

export async function loadAppTable(language: Exclude<Language, 'en'>): Promise<MessageTable> {
  if (!base) throw new Error('events.js was built without the add-in URL (TIC_ADDIN_URL)');
  const response = await fetch(new URL(`lang/${language}/app.json`, base).toString());
  if (!response.ok) throw new Error(`HTTP ${response.status} for the "${language}" texts`);
  return (await response.json()) as MessageTable;
}

/** events.js's handlers never say an `appPane` word (drafts being sent, not marked; no meetings). */
export const loadPaneTable = (_language: Language): Promise<MessageTable> => Promise.resolve({});
