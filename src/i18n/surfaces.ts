/**
 * The pane's strings for a display language: English in its first JavaScript, German and French as
 * chunks ("lang-de-pane", …) so a user pays only for the language they read. The admin page and the
 * dialog have their own modules (adminSurface.ts, dialogSurface.ts): the pane never carries their words.
 */
import { paneNamespaces as paneEn } from './resources/en/pane';
import { flatten, stringsFrom, type KeysOf, type Strings } from './strings';
import { loadSurface } from './surfaceLoader';

export type PaneKey = KeysOf<typeof paneEn>;
export type PaneStrings = Strings<PaneKey>;

const PANE_EN = flatten(paneEn);

/** English, synchronously: the pane's default, and what tests render without a provider. */
export const englishPaneStrings: PaneStrings = stringsFrom<PaneKey>('en-US', PANE_EN, PANE_EN);

export const loadPaneStrings = (displayLanguage: string | null | undefined): Promise<PaneStrings> =>
  loadSurface<PaneKey>(displayLanguage, PANE_EN, async (language) =>
    language === 'de'
      ? (await import(/* webpackChunkName: "lang-de-pane" */ './resources/de/pane')).paneNamespaces
      : (await import(/* webpackChunkName: "lang-fr-pane" */ './resources/fr/pane')).paneNamespaces,
  );
