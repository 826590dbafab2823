/**
 * Loading one surface's strings for a display language: English given synchronously, German or French
 * from the surface's own chunk. A chunk that cannot load leaves the surface in English, logged: the user
 * can still work. Each surface has its own module (surfaces.ts for the pane, adminSurface.ts,
 * dialogSurface.ts), so a page carries its own English only, never another page's.
 */
import { languageOf, type Language } from './language';
import type { MessageTable } from './messages';
import { flatten, stringsFrom, type Namespaces, type Strings } from './strings';

export type SurfaceChunk = (language: Exclude<Language, 'en'>) => Promise<Namespaces>;

export async function loadSurface<K extends string>(
  displayLanguage: string | null | undefined,
  english: MessageTable,
  chunk: SurfaceChunk,
): Promise<Strings<K>> {
  const language = languageOf(displayLanguage);
  if (language === 'en') return stringsFrom<K>(displayLanguage, english, english);
  try {
    return stringsFrom<K>(displayLanguage, flatten(await chunk(language)), english);
  } catch (error) {
    console.error(`[Track in CRM] The "${language}" texts could not load; showing English`, error);
    return stringsFrom<K>('en-US', english, english);
  }
}
