/** Pane entry: wait for Office, then render the app with plain functions from src/mailbox. */
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { officeReady, officeThemeKind } from '../mailbox/host';
import { onItemChanged, readCurrentItem } from '../mailbox/currentItem';

function showStartupError(container: HTMLElement, error: unknown): void {
  const p = document.createElement('p');
  p.style.cssText = 'font-family: sans-serif; padding: 12px';
  // Text, never HTML.
  p.textContent = `Track in CRM could not start: ${error instanceof Error ? error.message : String(error)}`;
  container.replaceChildren(p);
}

const container = document.getElementById('root');
if (!container) throw new Error('taskpane.html has no #root element');

officeReady().then(
  () => {
    createRoot(container).render(
      <App
        theme={officeThemeKind() ?? 'light'}
        readItem={readCurrentItem}
        subscribeItemChanged={onItemChanged}
      />,
    );
  },
  (error: unknown) => showStartupError(container, error),
);
