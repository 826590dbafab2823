/**
 * The offline notice and the Connection tab's status set the CRM's failure (a whole sentence) in
 * parentheses inside their own sentence: one full stop, never "(The CRM is busy or unavailable.).".
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import type { PaneActions } from '../../src/taskpane/actions';
import { PaneView } from '../../src/taskpane/PaneView';
import { connectionStatusText, parenthesized } from '../../src/taskpane/controller/format';
import { initialPaneState, type PaneState, type SessionView } from '../../src/taskpane/controller/types';

const actions = new Proxy({}, { get: () => () => undefined }) as PaneActions;

const offline = (reason: string): SessionView => ({
  phase: 'ready',
  userId: 'u',
  mailboxApproved: true,
  verboseErrors: false,
  offline: { settingsSavedAt: '2026-01-01T00:00:00Z', reason, nextTry: 'within about 60 seconds' },
});

describe('parenthesized: a sentence inside another keeps no full stop of its own', () => {
  test.each([
    ['The CRM is busy or unavailable.', '(The CRM is busy or unavailable)'],
    ['The CRM could not be reached...', '(The CRM could not be reached)'],
    ['HTTP 503 · request r1 ', '(HTTP 503 · request r1)'],
  ])('%s', (sentence, words) => {
    expect(parenthesized(sentence)).toBe(words);
  });
});

test('the offline notice reads as one sentence with one full stop after the reason', () => {
  const state: PaneState = {
    ...initialPaneState(
      {
        crmUrl: 'https://contoso.crm.dynamics.com',
        local: false,
        signIn: 'Signed in with your work account',
        mailbox: 'dana@contoso.com',
        saving: false,
        error: null,
      },
      { kind: 'empty' },
    ),
    session: offline('The CRM is busy or unavailable.'),
  };
  const html = renderToStaticMarkup(
    <FluentProvider theme={webLightTheme}>
      <PaneView state={state} actions={actions} />
    </FluentProvider>,
  );
  const text = html.replace(/<[^>]+>/g, '').replace(/&#x27;/g, "'");
  expect(text).toContain('the CRM cannot be reached (The CRM is busy or unavailable). Settings are those');
  expect(text).not.toMatch(/\.\)/);
});

test('the Connection tab says the same once', () => {
  expect(connectionStatusText(offline('The CRM is busy or unavailable.'))).toBe(
    'Offline: the CRM cannot be reached (The CRM is busy or unavailable). Working on the saved settings; trying again by itself.',
  );
});
