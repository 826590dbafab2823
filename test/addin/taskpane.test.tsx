/** The pane's views, rendered to HTML without a browser. */
import { renderToStaticMarkup } from 'react-dom/server';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import type { ReactElement } from 'react';
import { App, PaneView } from '../../src/taskpane/App';

const render = (ui: ReactElement) =>
  renderToStaticMarkup(<FluentProvider theme={webLightTheme}>{ui}</FluentProvider>);

test('shows the title, the item and the honest "not connected" state', () => {
  const html = render(
    <PaneView
      state={{
        status: 'ready',
        item: {
          mode: 'read',
          subject: 'Quarterly review',
          sender: { name: 'Ann Lee', address: 'ann@contoso.com' },
        },
      }}
    />,
  );
  expect(html).toContain('Track in CRM');
  expect(html).toContain('Quarterly review');
  expect(html).toContain('From Ann Lee &lt;ann@contoso.com&gt;');
  expect(html).toContain('Not connected to a CRM');
});

test('untrusted text is rendered as text, not HTML', () => {
  const html = render(
    <PaneView
      state={{
        status: 'ready',
        item: { mode: 'read', subject: '<img src=x onerror=alert(1)>', sender: null },
      }}
    />,
  );
  expect(html).not.toContain('<img');
  expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  expect(html).toContain('an unknown sender');
});

test('no item, loading and failure states', () => {
  expect(render(<PaneView state={{ status: 'ready', item: null }} />)).toContain('No email selected');
  expect(render(<PaneView state={{ status: 'loading' }} />)).toContain('Reading the email');
  expect(render(<PaneView state={{ status: 'failed', message: 'denied' }} />)).toContain('denied');
});

test('App renders in both themes before the item is read', () => {
  const never = () => new Promise<never>(() => undefined);
  for (const theme of ['light', 'dark'] as const) {
    const html = renderToStaticMarkup(<App theme={theme} readItem={never} subscribeItemChanged={never} />);
    expect(html).toContain('Track in CRM');
  }
});
