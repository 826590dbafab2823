/** Pane entry: wait for Office, start the controller, render the app. */
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createPaneController } from './controller/boot';
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
  () => {
    const controller = createPaneController(Office);
    createRoot(container).render(
      <App store={controller} actions={controller} officeTheme={officeThemeKind()} />,
    );
    void controller.start();
  },
  (error: unknown) => showStartupError(container, error),
);
