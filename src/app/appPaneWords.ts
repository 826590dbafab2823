/**
 * The English default of the use cases that say `appPane` words (appWords.ts): the `app` and the
 * `appPane` tables. Only the pane's use cases import it, so commands.js and events.js never carry the
 * `appPane` table; the annotations let webpack drop it from a bundle whose code never calls it.
 */
import english from '../i18n/resources/en/app.json';
import englishPane from '../i18n/resources/en/appPane.json';
import { createTranslate } from '../i18n/messages';
import { appTable, type AppKey, type AppTranslate, type Worded } from './appWords';

export const englishAppPaneWords: AppTranslate = /*#__PURE__*/ createTranslate<AppKey>(
  /*#__PURE__*/ Object.assign(
    /*#__PURE__*/ appTable(english),
    /*#__PURE__*/ appTable(englishPane, 'appPane'),
  ),
  'en-US',
  (key) => console.error(`[Track in CRM] No English text for ${key}; the key is shown instead`),
);

export const paneWordsOf = (holder: Worded | null | undefined): AppTranslate =>
  holder?.t ?? englishAppPaneWords;
