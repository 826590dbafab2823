/**
 * The `trace` namespace ("Why?" and the admin preview's plain steps), loaded only where a trace is
 * shown. Its 140-odd sentences are read by few users and rarely, so no language of it (English
 * included) is in a page's first JavaScript: each is a chunk ("lang-en-trace", …) loaded on first use
 * and kept. German or French that cannot load falls back to English, logged, as the surfaces do.
 */
import { useEffect, useState } from 'react';
import type { TraceKey } from '../app/traceWords';
import { languageOf, type Language } from './language';
import type { MessageTable } from './messages';
import { stringsFrom, type Strings } from './strings';

export type TraceStrings = Strings<TraceKey>;

const tableOf = (trace: MessageTable): MessageTable =>
  Object.fromEntries(Object.entries(trace).map(([key, message]) => [`trace.${key}`, message]));

const importers: Readonly<Record<Language, () => Promise<MessageTable>>> = {
  en: async () => (await import(/* webpackChunkName: "lang-en-trace" */ './resources/en/trace.json')).default,
  de: async () => (await import(/* webpackChunkName: "lang-de-trace" */ './resources/de/trace.json')).default,
  fr: async () => (await import(/* webpackChunkName: "lang-fr-trace" */ './resources/fr/trace.json')).default,
};

const loading = new Map<Language, Promise<TraceStrings>>();
const loaded = new Map<Language, TraceStrings>();

async function loadFresh(language: Language): Promise<TraceStrings> {
  const english = tableOf(await importers.en());
  if (language === 'en') return stringsFrom<TraceKey>('en-US', english, english);
  try {
    return stringsFrom<TraceKey>(language, tableOf(await importers[language]()), english);
  } catch (error) {
    console.error(`[Track in CRM] The "${language}" trace words could not load; showing English`, error);
    return stringsFrom<TraceKey>('en-US', english, english);
  }
}

/**
 * The trace words for a display language ("de-DE" or the surface's `language`). A failed load is not
 * kept, so the next "Why?" tries again; English failing too rejects (the caller shows the raw lines).
 */
export function loadTraceWords(displayLanguage: string | null | undefined): Promise<TraceStrings> {
  const language = languageOf(displayLanguage);
  const cached = loading.get(language);
  if (cached) return cached;
  const promise = loadFresh(language).then(
    (strings) => {
      loaded.set(language, strings);
      return strings;
    },
    (error: unknown) => {
      loading.delete(language);
      throw error;
    },
  );
  loading.set(language, promise);
  return promise;
}

/** The trace words when already loaded (so a view opened again paints at once), else undefined. */
export const loadedTraceWords = (displayLanguage: string | null | undefined): TraceStrings | undefined =>
  loaded.get(languageOf(displayLanguage));

export type TraceWordsState =
  | { readonly state: 'loading' }
  | { readonly state: 'ready'; readonly strings: TraceStrings }
  | { readonly state: 'failed' };

/** The trace words for a view: loading, ready, or failed (English could not load either). */
export function useTraceWords(language: Language): TraceWordsState {
  const [state, setState] = useState<TraceWordsState>(() => {
    const strings = loadedTraceWords(language);
    return strings ? { state: 'ready', strings } : { state: 'loading' };
  });
  useEffect(() => {
    let current = true;
    const strings = loadedTraceWords(language);
    if (strings) {
      setState((previous) =>
        previous.state === 'ready' && previous.strings === strings ? previous : { state: 'ready', strings },
      );
      return;
    }
    setState({ state: 'loading' });
    loadTraceWords(language).then(
      (loadedStrings) => current && setState({ state: 'ready', strings: loadedStrings }),
      (error: unknown) => {
        console.error('[Track in CRM] The trace words could not load; showing the lines as written', error);
        if (current) setState({ state: 'failed' });
      },
    );
    return () => {
      current = false;
    };
  }, [language]);
  return state;
}
