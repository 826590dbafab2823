/** The pane's React root, rendered to HTML without a browser (the views in detail: test/unit/taskpane). */
import { renderToStaticMarkup } from 'react-dom/server';
import { App, type PaneStore } from '../../src/taskpane/App';
import type { PaneActions } from '../../src/taskpane/actions';
import { initialPaneState, type PaneState } from '../../src/taskpane/controller/types';

const state: PaneState = initialPaneState(
  {
    crmUrl: 'http://localhost:5555',
    local: true,
    signIn: 'No sign-in needed (local CRM)',
    mailbox: 'dana@contoso.com',
    saving: false,
    error: null,
  },
  { kind: 'empty' },
);
const store: PaneStore = { getState: () => state, subscribe: () => () => undefined };
const actions = new Proxy({}, { get: () => () => undefined }) as PaneActions;

test('App renders the pane in each theme', () => {
  for (const officeTheme of ['light', 'dark', null] as const) {
    const html = renderToStaticMarkup(<App store={store} actions={actions} officeTheme={officeTheme} />);
    expect(html).toContain('data-testid="pane"');
    expect(html).toContain('Select an email to see whether it is tracked');
  }
});
