/** The pane logs each decision with a subject-free label: the sender's address masked, never the item id. */
import type { DiagnosticsEvent } from '../../../src/app/diagnosticsEvents';
import { recordPaneDecisions } from '../../../src/taskpane/controller/diagnosticsAccess';
import type { PaneState } from '../../../src/taskpane/controller/types';
import { decisionWith } from '../../support/decisions';

function logged(from: { name: string | null; address: string } | null): DiagnosticsEvent[] {
  const events: DiagnosticsEvent[] = [];
  const state = {
    item: {
      kind: 'read',
      itemId: 'AAMkAGI2TG93AAA=',
      subject: 'Quote for Fabrikam',
      from,
      state: { decision: decisionWith({ reason: 'Duplicate' }) },
      refreshing: false,
    },
  } as unknown as PaneState;
  let listener = () => undefined as void;
  const store = {
    getState: () => state,
    subscribe: (l: () => void) => {
      listener = l;
      return () => undefined;
    },
  };
  recordPaneDecisions(store, { event: (e) => void events.push(e) });
  listener();
  return events;
}

test('a decision is logged with the sender masked, not the Exchange item id or the subject', () => {
  const [event] = logged({ name: 'Ann Lee', address: 'ann@fabrikam.com' });
  expect(event).toMatchObject({ kind: 'decision', reason: 'Duplicate', item: '***@fabrikam.com' });
  expect(JSON.stringify(event)).not.toMatch(/AAMk|Quote|Ann/);
});

test('a decision on an email without a sender address is logged with an empty label', () => {
  const [event] = logged(null);
  expect(event).toMatchObject({ kind: 'decision', item: '' });
});

test('a sender that is not an address is not logged in the clear', () => {
  const [event] = logged({ name: null, address: 'not-an-address' });
  expect(event).toMatchObject({ kind: 'decision', item: '' });
});
