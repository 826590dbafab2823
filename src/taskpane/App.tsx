/**
 * The pane's React root: renders the controller's state (useSyncExternalStore) in a Fluent theme
 * that follows Outlook's, and marks the body ready once the first item state is on screen.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { FluentProvider } from '@fluentui/react-components';
import type { PaneActions } from './actions';
import type { PaneState } from './controller/types';
import { PaneView } from './PaneView';
import { preloadLazyParts } from './lazyParts';
import { FORCED_COLORS_QUERY, fluentTheme, loadFluentTheme, paneTheme, type PaneTheme } from './theme';
import type { ThemeKind } from '../mailbox/host';
import { useTouchTargets } from './touchTargets';

export interface PaneStore {
  getState(): PaneState;
  subscribe(listener: () => void): () => void;
}

export interface AppProps {
  readonly store: PaneStore;
  readonly actions: PaneActions;
  /** Outlook's theme, light or dark (null: unknown). */
  readonly officeTheme: ThemeKind | null;
}

function useForcedColors(): boolean {
  const [media] = useState(() =>
    typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(FORCED_COLORS_QUERY) : null,
  );
  const [forced, setForced] = useState(media?.matches ?? false);
  useEffect(() => {
    if (!media) return;
    const listener = (event: MediaQueryListEvent) => setForced(event.matches);
    media.addEventListener('change', listener);
    return () => media.removeEventListener('change', listener);
  }, [media]);
  return forced;
}

/**
 * The Fluent theme for the pane's theme kind. A kind whose tokens are not loaded yet keeps the theme
 * shown until they are (the entry loads the first one before rendering, so this is only a change of
 * Outlook's theme or of forced colours while the pane is open); a failed load keeps it too, logged.
 */
function useFluentTheme(kind: PaneTheme) {
  const [shown, setShown] = useState(() => fluentTheme(kind) ?? fluentTheme('light')!);
  useEffect(() => {
    let current = true;
    if (!fluentTheme(kind))
      loadFluentTheme(kind).then(
        (theme) => current && setShown(theme),
        (error: unknown) => console.error(`[Track in CRM] Could not load the ${kind} theme`, error),
      );
    return () => {
      current = false;
    };
  }, [kind]);
  return fluentTheme(kind) ?? shown;
}

export function App({ store, actions, officeTheme }: AppProps) {
  useTouchTargets();
  const state = useSyncExternalStore(store.subscribe, store.getState, store.getState);
  const forcedColors = useForcedColors();
  const theme = useFluentTheme(paneTheme(officeTheme, forcedColors));
  const ready = state.item.kind !== 'loading';
  useEffect(() => {
    if (!ready || typeof document === 'undefined') return;
    document.body.setAttribute('data-pane-state', 'ready');
    const timer = setTimeout(preloadLazyParts, 0);
    return () => clearTimeout(timer);
  }, [ready]);
  return (
    <FluentProvider theme={theme}>
      <PaneView state={state} actions={actions} />
    </FluentProvider>
  );
}
