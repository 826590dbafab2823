/**
 * Under the item card: Why? and Copy as a case need a decision. While the CRM has not answered about
 * the email (a track waiting after a 503, a check that failed) they are greyed out and the pane says
 * why in a sentence the buttons point to (walk 13b: greyed out with no word, when a user most wants
 * to know); with a decision, or while one is being made, nothing more is said.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import type { ItemState, ItemStatus } from '../../../src/app/itemState';
import { englishPaneStrings, loadPaneStrings } from '../../../src/i18n/surfaces';
import { DiagnosticsFooter } from '../../../src/taskpane/components/DiagnosticsFooter';
import type { ReadItemView } from '../../../src/taskpane/controller/types';
import { PaneStringsContext } from '../../../src/taskpane/strings';
import { decisionWith } from '../../support/decisions';

const access = { ring: null, session: () => null };

function item(status: ItemStatus, decided: boolean, refreshing = false): ReadItemView {
  const state: ItemState = {
    itemId: 'item-1',
    status,
    activityId: null,
    regarding: null,
    decision: decided ? decisionWith({}) : null,
    message: '',
    error: null,
    names: {},
  };
  return { kind: 'read', itemId: 'item-1', subject: 'Quote', from: null, state, refreshing };
}

const render = (view: ReadItemView, strings = englishPaneStrings) =>
  renderToStaticMarkup(
    <FluentProvider theme={webLightTheme}>
      <PaneStringsContext.Provider value={strings}>
        <DiagnosticsFooter item={view} access={access} />
      </PaneStringsContext.Provider>
    </FluentProvider>,
  );

test.each(['pending', 'undeliverable', 'failed'] as const)(
  'no decision, the email %s: the greyed-out buttons say why',
  (status) => {
    const html = render(item(status, false));
    expect(html).toContain('Why? and Copy as a case need the CRM');
    expect(html.match(/aria-describedby="diagnostics-no-decision"/g)).toHaveLength(2);
    expect(html).toContain('id="diagnostics-no-decision"');
  },
);

test.each([
  ['tracked', true, false],
  ['not-tracked', true, false],
  ['pending', false, true],
] as const)('the email %s (decided: %s, refreshing: %s): no such sentence', (status, decided, refreshing) => {
  const html = render(item(status, decided, refreshing));
  expect(html).not.toContain('diagnostics-no-decision');
});

test('the sentence is in the pane’s language', async () => {
  const german = await loadPaneStrings('de-DE');
  expect(render(item('pending', false), german)).toContain('noch aussteht');
});
