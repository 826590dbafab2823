/**
 * The pane's words about retries (issue 10 §1): one sentence saying when, from the real timers, and
 * the compose card's buttons by the draft's state.
 */
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { CrmNetworkError, CrmUnavailableError } from '../../src/crm/errors';
import type { PaneActions } from '../../src/taskpane/actions';
import { ItemCard } from '../../src/taskpane/components/ItemCard';
import { PaneView } from '../../src/taskpane/PaneView';
import { initialPaneState, type ItemView, type PaneState } from '../../src/taskpane/controller/types';

const render = (ui: ReactElement) =>
  renderToStaticMarkup(<FluentProvider theme={webLightTheme}>{ui}</FluentProvider>);
const actions = new Proxy({}, { get: () => () => undefined }) as PaneActions;
const text = (html: string) => html.replace(/<[^>]+>/g, '');
const buttons = (html: string) =>
  [...html.matchAll(/<button[^>]*>([^<]*)<\/button>/g)].map((m) => m[1]).filter((b) => b);

const base = initialPaneState(
  {
    crmUrl: 'https://contoso.crm.dynamics.com',
    local: false,
    signIn: 'Signed in with your work account',
    mailbox: 'dana@contoso.com',
    saving: false,
    error: null,
  },
  { kind: 'empty' },
);
const offline = (nextTry: string | undefined, queue: PaneState['queue']): PaneState => ({
  ...base,
  queue,
  session: {
    phase: 'ready',
    userId: 'u',
    mailboxApproved: true,
    verboseErrors: false,
    offline: {
      settingsSavedAt: '2026-01-01T00:00:00Z',
      reason: 'The CRM could not be reached.',
      ...(nextTry ? { nextTry } : {}),
    },
  },
});
/** The notice's sentence, up to the end of the one that says when tracks are sent. */
const notice = (state: PaneState) =>
  /Working offline:.*?when it answers[^.]*\./s.exec(
    text(render(<PaneView state={state} actions={actions} />)),
  )?.[0] ?? '';

describe('the offline notice says the real next try', () => {
  test.each([
    [
      'no track waits: the session’s next try',
      offline('within about 60 seconds', { waiting: 0, undeliverable: 0, problem: null }),
      /when it answers; the next try is within about 60 seconds\.$/,
    ],
    [
      'tracks wait: the queue’s next try (its back-off)',
      offline('within about 60 seconds', {
        waiting: 2,
        undeliverable: 0,
        problem: null,
        nextTry: 'within about 4 minutes',
      }),
      /the next try is within about 4 minutes\.$/,
    ],
    [
      'no timer known: no time promised',
      offline(undefined, { waiting: 0, undeliverable: 0, problem: null }),
      /are kept and sent when it answers\.$/,
    ],
  ])('%s', (_name, state, expected) => {
    const words = notice(state);
    expect(words).toMatch(expected);
    expect(words).not.toMatch(/every minute/);
  });
});

test('a failure that time fixes says so once: its short text promises no retry of its own', () => {
  const detail = { status: null, code: null, requestId: null, request: null };
  for (const error of [new CrmNetworkError('x', detail), new CrmUnavailableError('x', detail)])
    expect(error.shortMessage).not.toMatch(/tried again/i);
});

describe('compose card buttons, by the draft’s state', () => {
  const compose = (state: Partial<Extract<ItemView, { kind: 'compose' }>['state']>): ItemView => ({
    kind: 'compose',
    itemId: '',
    state: { marked: false, mark: null, decision: null, message: 'm', ...state },
  });
  test.each([
    ['not marked: Track in CRM', compose({}), ['Track in CRM']],
    ['cancelled by the user: Track again', compose({ optedOut: true }), ['Track again']],
    [
      'marked: Cancel tracking',
      compose({ marked: true, mark: { id: 'm1', regarding: null, parentActivityId: null } }),
      ['Cancel tracking'],
    ],
  ])('%s', (_name, item, expected) => {
    const html = render(
      <ItemCard
        item={item}
        crmUrl="https://contoso.crm.dynamics.com"
        busy={null}
        search={base.search}
        actions={actions}
        onOpenConnection={() => undefined}
      />,
    );
    expect(buttons(html)).toEqual(expected);
  });

  test('no session, the CRM unreachable: a read item offers Track (which queues) beside Retry', () => {
    const html = render(
      <ItemCard
        item={{ kind: 'unavailable', itemId: 'i1', message: 'm', unreachable: true, canTrack: true }}
        crmUrl="https://contoso.crm.dynamics.com"
        busy={null}
        search={base.search}
        actions={actions}
        onOpenConnection={() => undefined}
      />,
    );
    expect(buttons(html)).toEqual(['Track', 'Retry', 'Change the CRM address']);
  });
});
