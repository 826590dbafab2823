/** Pane entry: wait for Office, load the user's language and theme, start the controller, render the app. */
import { createRoot } from 'react-dom/client';
import { englishPaneStrings, loadPaneStrings, type PaneStrings } from '../i18n/surfaces';
import { App } from './App';
import { createPaneController } from './controller/boot';
import { PaneStringsContext } from './strings';
import { FORCED_COLORS_QUERY, loadFluentTheme, paneTheme } from './theme';
import { officeReady, officeThemeKind } from '../mailbox/host';

function showStartupError(container: HTMLElement, error: unknown, { t }: PaneStrings): void {
  console.error('[Track in CRM] The pane could not start', error);
  const p = document.createElement('p');
  p.setAttribute('role', 'alert');
  p.style.cssText = 'font-family: sans-serif; padding: 12px';
  // Text, never HTML.
  p.textContent = t('common.startupFailed', {
    reason: error instanceof Error ? error.message : String(error),
  });
  container.replaceChildren(p);
  document.body.setAttribute('data-pane-state', 'failed');
}

const container = document.getElementById('root');
if (!container) throw new Error('taskpane.html has no #root element');

officeReady().then(
  async () => {
    // The user's language (German and French are chunks; English is here) and a dark or
    // high-contrast theme's tokens (a chunk) load in parallel before the first frame, so the pane is
    // never painted in the wrong language or colours. The controller words its states in the same
    // language: it starts once the strings are in (at once in English), while the theme still loads.
    // A language that cannot load leaves the pane in English (surfaces.ts logs it); a theme that
    // cannot load leaves it light (logged).
    const officeTheme = officeThemeKind();
    const forced = window.matchMedia?.(FORCED_COLORS_QUERY).matches ?? false;
    const theme = loadFluentTheme(paneTheme(officeTheme, forced)).catch((error: unknown) =>
      console.error('[Track in CRM] Could not load the theme; the pane starts light', error),
    );
    const strings = await loadPaneStrings(Office.context.displayLanguage);
    // taskpane.html says English; screen readers pronounce the pane in the language it is shown in.
    document.documentElement.lang = strings.language;
    try {
      const controller = createPaneController(Office, strings);
      void controller.start();
      await theme;
      createRoot(container).render(
        <PaneStringsContext.Provider value={strings}>
          <App store={controller} actions={controller} officeTheme={officeTheme} />
        </PaneStringsContext.Provider>,
      );
    } catch (error) {
      showStartupError(container, error, strings);
    }
  },
  // Office never became ready: its display language is unknown, so the message is in English.
  (error: unknown) => showStartupError(container, error, englishPaneStrings),
);
