/**
 * The use cases' words: the `app` namespace (their messages and the CRM's and Graph's failures), shared
 * by the pane, the ribbon and the event handlers. A use case never reads a language from a global or
 * from Office: it gets a translate with its session or deps, and without one it speaks English, so a
 * caller that has not chosen a language (a test, a tool) gets the product's English unchanged.
 */
import english from '../i18n/resources/en/app.json';
import type englishPane from '../i18n/resources/en/appPane.json';
import { createTranslate, type MessageTable, type Translate } from '../i18n/messages';
import type { KeysOf } from '../i18n/strings';
import type { Reason } from '../rules/reasons';

/**
 * Two namespaces: `app`, the words the ribbon and the event handlers can show (in commands.js and
 * events.js, held to 40 KB gz), and `appPane`, the words only the pane's use cases say (the untrack,
 * the waiting tracks, record search, appointments, drafts marked by hand). A use case that says an
 * `appPane` word takes its English default from appPaneWords.ts, which those bundles never import.
 */
export type AppKey = KeysOf<{ app: typeof english; appPane: typeof englishPane }>;
export type AppTranslate = Translate<AppKey>;

/** "key" → "app.key", the way a translate looks the namespace's messages up. */
export function appTable(messages: MessageTable, namespace = 'app'): MessageTable {
  const table: Record<string, string> = {};
  for (const [key, message] of Object.entries(messages)) table[`${namespace}.${key}`] = message;
  return table;
}

export const ENGLISH_APP_TABLE = appTable(english);

/** English `app` words only: an `appPane` key here shows as the key (logged); see appPaneWords.ts. */
export const englishAppWords: AppTranslate = createTranslate<AppKey>(ENGLISH_APP_TABLE, 'en-US', (key) =>
  console.error(`[Track in CRM] No English text for ${key}; the key is shown instead`),
);

/** What carries the words: a session or deps that may have been given a translate. */
export interface Worded {
  readonly t?: AppTranslate;
}

export const wordsOf = (holder: Worded | null | undefined): AppTranslate => holder?.t ?? englishAppWords;

/** A reason's key: every §4 reason has its words (a reason without them fails to compile here). */
export const reasonKey = (reason: Reason): AppKey => `app.reason${reason}` satisfies AppKey;
