/**
 * Each surface's strings for a display language. English is imported statically; German and French are
 * chunks ("lang-de-pane", …) so a user pays only for the language they read. A chunk that cannot load
 * leaves the surface in English, logged: the user can still work.
 */
import { languageOf, type Language } from './language';
import { adminNamespaces as adminEn } from './resources/en/admin';
import { dialogNamespaces as dialogEn } from './resources/en/dialog';
import { paneNamespaces as paneEn } from './resources/en/pane';
import { flatten, stringsFrom, type KeysOf, type Namespaces, type Strings } from './strings';

export type PaneKey = KeysOf<typeof paneEn>;
export type AdminKey = KeysOf<typeof adminEn>;
export type DialogKey = KeysOf<typeof dialogEn>;
export type PaneStrings = Strings<PaneKey>;
export type AdminStrings = Strings<AdminKey>;
export type DialogStrings = Strings<DialogKey>;

const PANE_EN = flatten(paneEn);
const ADMIN_EN = flatten(adminEn);
const DIALOG_EN = flatten(dialogEn);

/** English, synchronously: the default of every surface, and what tests render without a provider. */
export const englishPaneStrings: PaneStrings = stringsFrom<PaneKey>('en-US', PANE_EN, PANE_EN);
export const englishAdminStrings: AdminStrings = stringsFrom<AdminKey>('en-US', ADMIN_EN, ADMIN_EN);
export const englishDialogStrings: DialogStrings = stringsFrom<DialogKey>('en-US', DIALOG_EN, DIALOG_EN);

type Loader = (language: Exclude<Language, 'en'>) => Promise<Namespaces>;

async function load<K extends string>(
  displayLanguage: string | null | undefined,
  english: Record<string, string>,
  loader: Loader,
): Promise<Strings<K>> {
  const language = languageOf(displayLanguage);
  if (language === 'en') return stringsFrom<K>(displayLanguage, english, english);
  try {
    return stringsFrom<K>(displayLanguage, flatten(await loader(language)), english);
  } catch (error) {
    console.error(`[Track in CRM] The "${language}" texts could not load; showing English`, error);
    return stringsFrom<K>('en-US', english, english);
  }
}

export const loadPaneStrings = (displayLanguage: string | null | undefined): Promise<PaneStrings> =>
  load<PaneKey>(displayLanguage, PANE_EN, async (language) =>
    language === 'de'
      ? (await import(/* webpackChunkName: "lang-de-pane" */ './resources/de/pane')).paneNamespaces
      : (await import(/* webpackChunkName: "lang-fr-pane" */ './resources/fr/pane')).paneNamespaces,
  );

export const loadAdminStrings = (displayLanguage: string | null | undefined): Promise<AdminStrings> =>
  load<AdminKey>(displayLanguage, ADMIN_EN, async (language) =>
    language === 'de'
      ? (await import(/* webpackChunkName: "lang-de-admin" */ './resources/de/admin')).adminNamespaces
      : (await import(/* webpackChunkName: "lang-fr-admin" */ './resources/fr/admin')).adminNamespaces,
  );

export const loadDialogStrings = (displayLanguage: string | null | undefined): Promise<DialogStrings> =>
  load<DialogKey>(displayLanguage, DIALOG_EN, async (language) =>
    language === 'de'
      ? (await import(/* webpackChunkName: "lang-de-dialog" */ './resources/de/dialog')).dialogNamespaces
      : (await import(/* webpackChunkName: "lang-fr-dialog" */ './resources/fr/dialog')).dialogNamespaces,
  );
