/** The Set Regarding dialog's strings for a display language: English in its bundle, German and French as chunks. */
import { dialogNamespaces as dialogEn } from './resources/en/dialog';
import { flatten, stringsFrom, type KeysOf, type Strings } from './strings';
import { loadSurface } from './surfaceLoader';

export type DialogKey = KeysOf<typeof dialogEn>;
export type DialogStrings = Strings<DialogKey>;

const DIALOG_EN = flatten(dialogEn);

export const englishDialogStrings: DialogStrings = stringsFrom<DialogKey>('en-US', DIALOG_EN, DIALOG_EN);

export const loadDialogStrings = (displayLanguage: string | null | undefined): Promise<DialogStrings> =>
  loadSurface<DialogKey>(displayLanguage, DIALOG_EN, async (language) =>
    language === 'de'
      ? (await import(/* webpackChunkName: "lang-de-dialog" */ './resources/de/dialog')).dialogNamespaces
      : (await import(/* webpackChunkName: "lang-fr-dialog" */ './resources/fr/dialog')).dialogNamespaces,
  );
