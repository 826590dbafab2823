/**
 * The pane in the user's language (issue 13): the views read their words from PaneStringsContext, so a
 * German or French provider shows no English, and dates follow the locale. Expected words come from
 * the resource files, never written out here.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import type { ReactElement } from 'react';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import de from '../../../src/i18n/resources/de/item.json';
import deCommon from '../../../src/i18n/resources/de/common.json';
import fr from '../../../src/i18n/resources/fr/item.json';
import en from '../../../src/i18n/resources/en/item.json';
import enCommon from '../../../src/i18n/resources/en/common.json';
import { loadPaneStrings, type PaneStrings } from '../../../src/i18n/surfaces';
import type { PaneActions } from '../../../src/taskpane/actions';
import { AppointmentDetails } from '../../../src/taskpane/components/AppointmentDetails';
import { ItemCard } from '../../../src/taskpane/components/ItemCard';
import { PaneView } from '../../../src/taskpane/PaneView';
import { initialPaneState, type ReadItemView, type SearchView } from '../../../src/taskpane/controller/types';
import { PaneStringsContext } from '../../../src/taskpane/strings';

const actions = new Proxy({} as PaneActions, { get: () => () => undefined });
const NO_SEARCH: SearchView = { open: false, query: '', status: 'idle', hits: [], message: null };

const render = (strings: PaneStrings, ui: ReactElement) =>
  renderToStaticMarkup(
    <PaneStringsContext.Provider value={strings}>
      <FluentProvider theme={webLightTheme}>{ui}</FluentProvider>
    </PaneStringsContext.Provider>,
  );

const notTracked: ReadItemView = {
  kind: 'read',
  itemId: 'item-1',
  subject: 'Invoice',
  from: { name: 'Ann', address: 'ann@contoso.com' },
  refreshing: false,
  state: {
    itemId: 'item-1',
    status: 'not-tracked',
    activityId: null,
    regarding: null,
    decision: null,
    senderMatchCount: null,
    message: 'x',
    error: null,
    names: {},
  },
};

const card = (strings: PaneStrings) =>
  render(
    strings,
    <ItemCard
      item={notTracked}
      crmUrl="https://crm"
      busy={null}
      search={NO_SEARCH}
      actions={actions}
      onOpenConnection={() => undefined}
    />,
  );

test.each([
  ['de-DE', de],
  ['fr-FR', fr],
])("the item card's heading and actions are in %s", async (lang, words) => {
  const html = card(await loadPaneStrings(lang));
  expect(html).toContain(words.headingNotTracked);
  expect(html).toContain(`>${words.track}<`);
  expect(html).toContain(words.setRegarding);
  expect(html).not.toContain(en.setRegarding);
});

test('a display language the add-in does not speak shows English', async () => {
  const html = card(await loadPaneStrings('pt-BR'));
  expect(html).toContain(en.headingNotTracked);
});

test("the pane's tabs are in the user's language", async () => {
  const state = initialPaneState(
    { crmUrl: 'https://crm', local: false, signIn: '', mailbox: '', saving: false, error: null },
    { kind: 'empty' },
  );
  const html = render(await loadPaneStrings('de-DE'), <PaneView state={state} actions={actions} />);
  expect(html).toContain(deCommon.tabBackground);
  expect(html).not.toContain(enCommon.tabBackground);
});

test("a meeting's day is written as the locale writes it, in the meeting's UTC", async () => {
  const start = '2026-12-01T23:30:00Z';
  const html = render(
    await loadPaneStrings('de-DE'),
    <AppointmentDetails
      details={{
        form: 'organizer',
        start,
        end: '2026-12-02T00:30:00Z',
        isAllDayEvent: false,
        location: '',
        attendees: [],
      }}
    />,
  );
  const day = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(start),
  );
  expect(html).toContain(day);
  expect(html).toContain(de.meetingYouOrganize);
});
