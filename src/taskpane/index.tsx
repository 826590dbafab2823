/** Pane entry: wait for Office, start the controller, render the app. */
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createPaneController } from './controller/boot';
import { FORCED_COLORS_QUERY, loadFluentTheme, paneTheme } from './theme';
import { officeReady, officeThemeKind } from '../mailbox/host';

function showStartupError(container: HTMLElement, error: unknown): void {
  console.error('[Track in CRM] The pane could not start', error);
  const p = document.createElement('p');
  p.setAttribute('role', 'alert');
  p.style.cssText = 'font-family: sans-serif; padding: 12px';
  // Text, never HTML.
  p.textContent = `Track in CRM could not start: ${error instanceof Error ? error.message : String(error)}`;
  container.replaceChildren(p);
  document.body.setAttribute('data-pane-state', 'failed');
}

const container = document.getElementById('root');
if (!container) throw new Error('taskpane.html has no #root element');

officeReady().then(
  async () => {
    const controller = createPaneController(Office);
    void controller.start();
    const officeTheme = officeThemeKind();
    // A dark or high-contrast pane is painted in its theme from the first frame: its tokens are a
    // chunk, fetched while the session opens. If it cannot load, the pane starts light (logged).
    const forced = window.matchMedia?.(FORCED_COLORS_QUERY).matches ?? false;
    await loadFluentTheme(paneTheme(officeTheme, forced)).catch((error: unknown) =>
      console.error('[Track in CRM] Could not load the theme; the pane starts light', error),
    );
    createRoot(container).render(<App store={controller} actions={controller} officeTheme={officeTheme} />);
  },
  (error: unknown) => showStartupError(container, error),
);
