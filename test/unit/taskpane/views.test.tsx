/** The pane's views rendered to HTML (no browser): each status, the contract attributes, options, safety. */
import { renderToStaticMarkup } from 'react-dom/server';
import type { ReactElement } from 'react';
import {
  Button,
  FluentProvider,
  teamsHighContrastTheme,
  webDarkTheme,
  webLightTheme,
} from '@fluentui/react-components';
import type { ItemState } from '../../../src/app/itemState';
import { DEFAULT_SETTINGS } from '../../../src/rules/settings';
import { effectivePersonalOptions } from '../../../src/rules/effectiveSettings';
import type { PaneActions } from '../../../src/taskpane/actions';
import { ConnectionSection } from '../../../src/taskpane/components/ConnectionSection';
import { ItemCard } from '../../../src/taskpane/components/ItemCard';
import { OptionsScreen } from '../../../src/taskpane/components/OptionsScreen';
import { RegardingSearch } from '../../../src/taskpane/components/RegardingSearch';
import { UntrackDialog } from '../../../src/taskpane/components/UntrackDialog';
import { PaneView } from '../../../src/taskpane/PaneView';
import { optionStatesOf, optionValuesOf } from '../../../src/taskpane/controller/optionsModel';
import type {
  ItemView,
  OptionsView,
  PaneState,
  ReadItemView,
  SearchView,
  SessionView,
} from '../../../src/taskpane/controller/types';
import { NOT_OFFERED, type RecordFormOfferInput } from '../../../src/app/recordForm';
import { LazyCreateRecordPart } from '../../../src/taskpane/lazyParts';

type OrgSwitches = RecordFormOfferInput['settings']['orgDb'];
import { FORCED_COLORS_QUERY, fluentTheme, loadFluentTheme, paneTheme } from '../../../src/taskpane/theme';
import { App, type PaneStore } from '../../../src/taskpane/App';
import { decisionWith } from '../../support/decisions';

const render = (ui: ReactElement) =>
  renderToStaticMarkup(<FluentProvider theme={webLightTheme}>{ui}</FluentProvider>);
const ON: OrgSwitches = { AutoCreateContactOnPromote: true, UnresolveSenderInCaseOfMultipleMatch: false };
// What the controller hands the Create part for the test's item: the item's own state and sender.
const inputFor =
  (orgDb: OrgSwitches) =>
  (item: ReadItemView): RecordFormOfferInput => ({
    status: item.state.status,
    direction: 'incoming',
    sender: item.from,
    decision: item.state.decision,
    settings: { orgDb, user: { autocreatecontactonpromote: 1 } },
  });
const withInput = (input: (item: ReadItemView) => RecordFormOfferInput): PaneActions =>
  new Proxy({} as PaneActions, {
    get: (_, key) => (key === 'recordFormInput' ? input : () => undefined),
  });
const actions = withInput(inputFor(ON));
// Loaded before rendering: a lazy part not yet loaded renders nothing in static markup.
beforeAll(() => LazyCreateRecordPart.preload());
const CRM = 'https://contoso.crm.dynamics.com';
const NO_SEARCH: SearchView = { open: false, query: '', status: 'idle', hits: [], message: null };

const decision = decisionWith;

const state = (parts: Partial<ItemState>): ItemState => ({
  itemId: 'AAMk+id/1=',
  status: 'not-tracked',
  activityId: null,
  regarding: null,
  decision: null,
  message: 'Not tracked.',
  error: null,
  names: {},
  ...parts,
});

const readItem = (
  s: Partial<ItemState>,
  extra: Partial<Extract<ItemView, { kind: 'read' }>> = {},
): ItemView => ({
  kind: 'read',
  itemId: 'AAMk+id/1=',
  subject: 'Q3 pricing proposal',
  from: { name: 'Ann Lee', address: 'ann@fabrikam.com' },
  state: state(s),
  refreshing: false,
  ...extra,
});

const card = (item: ItemView, search: SearchView = NO_SEARCH) =>
  render(
    <ItemCard
      item={item}
      crmUrl={CRM}
      busy={null}
      search={search}
      actions={actions}
      onOpenConnection={() => undefined}
    />,
  );

/** The visible names of the buttons (their text). */
const buttons = (html: string): string[] =>
  [...html.matchAll(/<button[^>]*>(.*?)<\/button>/g)].map((m) => (m[1] ?? '').replace(/<[^>]+>/g, ''));

describe('the item card', () => {
  test('tracked: regarding with a link to the record in the CRM, people, Change Regarding and Untrack', () => {
    const html = card(
      readItem({
        status: 'tracked',
        activityId: 'act-1',
        regarding: { type: 'opportunity', id: 'opp-1' },
        message: 'Tracked: a reply to email tracked in the CRM.',
        names: { 'opportunity:opp-1': 'Q3 deal', 'contact:c-1': 'Ann Lee' },
        decision: decision({
          track: true,
          sender: { type: 'contact', id: 'c-1' },
          parties: [{ role: 'to', address: 'nobody@example.org', records: [] }],
        }),
      }),
    );
    expect(html).toContain('data-testid="item-status"');
    expect(html).toContain('data-status="tracked"');
    expect(html).toContain('data-item-id="AAMk+id/1="');
    expect(html).toMatch(/data-testid="item-reason"[^>]*>Tracked: a reply to email tracked in the CRM\.</);
    expect(html).toContain('Regarding Opportunity: ');
    expect(html).toContain(
      `href="${CRM}/main.aspx?etn=opportunity&amp;id=opp-1&amp;pagetype=entityrecord" target="_blank" rel="noopener noreferrer"`,
    );
    expect(html).toContain('Q3 deal');
    expect(html).toContain('From ann@fabrikam.com: Contact Ann Lee');
    expect(html).toContain('To nobody@example.org: not in the CRM');
    expect(buttons(html)).toEqual(['Change Regarding', 'Untrack']);
  });

  test('not tracked with an unknown sender: Track, Set Regarding, Create contact, Create lead', () => {
    const html = card(
      readItem({
        status: 'not-tracked',
        message: 'Not tracked: the sender is not in the CRM.',
        decision: decision(),
      }),
    );
    expect(html).toContain('data-status="not-tracked"');
    expect(buttons(html)).toEqual(['Track', 'Set Regarding', 'Create contact', 'Create lead']);
  });

  test('a sender conflict lists the candidates with their names', () => {
    const message =
      'Not tracked automatically: the sender matches 2 records and your organization does not pick one.';
    const html = card(
      readItem({
        message,
        names: { 'contact:c-2': 'Fabrikam Accounts', 'lead:l-2': 'Fabrikam AP' },
        decision: decision({
          reason: 'SenderConflict',
          senderCandidates: [
            { type: 'contact', id: 'c-2' },
            { type: 'lead', id: 'l-2' },
          ],
        }),
      }),
    );
    expect(html).toContain(message);
    expect(html).toContain('The sender matches 2 records');
    expect(html).toContain('From ann@fabrikam.com: 2 records');
    expect(html).toContain('Contact Fabrikam Accounts');
    expect(html).toContain('Lead Fabrikam AP');
  });

  test.each([
    ['needs-regarding', ['Set Regarding']],
    ['pending', ['Retry', 'Discard']],
    ['undeliverable', ['Retry', 'Discard']],
    ['failed', ['Retry']],
  ] as const)('%s: the status, its reason and %j', (status, expected) => {
    const html = card(readItem({ status, message: `Reason for ${status}` }));
    expect(html).toContain(`data-status="${status}"`);
    expect(html).toContain(`Reason for ${status}`);
    expect(buttons(html)).toEqual(expected);
  });

  test('empty, loading, no session', () => {
    const empty = card({ kind: 'empty' });
    expect(empty).toContain('data-status="empty"');
    expect(empty).not.toContain('data-item-id');
    expect(empty).toContain('Select an email to see whether it is tracked');
    const loading = card({ kind: 'loading', itemId: 'id-2', slow: true });
    expect(loading).toContain('data-status="loading"');
    expect(loading).toContain('data-item-id="id-2"');
    expect(loading).toContain('aria-busy="true"');
    expect(loading).toContain('role="progressbar"');
    const down = card({
      kind: 'unavailable',
      itemId: 'id-3',
      message: 'Could not connect to the CRM at x: down',
    });
    expect(down).toContain('data-status="failed"');
    expect(down).toContain('Could not connect to the CRM at x: down');
    expect(buttons(down)).toEqual(['Retry', 'Change the CRM address']);
  });

  test('compose: marked with the regarding record and Cancel tracking; not marked', () => {
    const marked = card({
      kind: 'compose',
      itemId: '',
      state: {
        marked: true,
        mark: { id: 'm1', regarding: { type: 'account', id: 'a-1' }, parentActivityId: null },
        decision: null,
        message: 'This email will be tracked in the CRM when it is sent.',
      },
    });
    expect(marked).toContain('data-status="compose-marked"');
    expect(marked).not.toContain('data-item-id');
    expect(marked).toContain('Regarding Account');
    expect(buttons(marked)).toEqual(['Cancel tracking']);
    const not = card({
      kind: 'compose',
      itemId: 'draft-1',
      state: {
        marked: false,
        mark: null,
        decision: null,
        message: 'It does not follow on from an email tracked in the CRM.',
      },
    });
    expect(not).toContain('data-status="compose-not-marked"');
    // Any draft can be marked at the user's request, as the ribbon's Track in CRM does.
    expect(buttons(not)).toEqual(['Track in CRM']);
  });

  test('compose: the card names the regarding record chosen for the draft', () => {
    const html = card({
      kind: 'compose',
      itemId: 'draft-2',
      regardingName: 'Fabrikam',
      state: {
        marked: true,
        mark: { id: 'm2', regarding: { type: 'account', id: 'a-1' }, parentActivityId: null },
        decision: null,
        message: 'This email will be tracked in the CRM when it is sent.',
      },
    });
    expect(html).toContain('Regarding Account: ');
    expect(html).toContain('>Fabrikam</a>');
    expect(html).not.toContain('(open in the CRM)');
  });

  test('AutoCreateContactOnPromote off: the plain reason instead of Create contact and Create lead', () => {
    const item = readItem({
      status: 'not-tracked',
      message: 'Not tracked: the sender is not in the CRM.',
      decision: decision(),
    });
    const html = render(
      <ItemCard
        item={item}
        crmUrl={CRM}
        busy={null}
        search={NO_SEARCH}
        actions={withInput(inputFor({ ...ON, AutoCreateContactOnPromote: false }))}
        onOpenConnection={() => undefined}
      />,
    );
    expect(buttons(html)).toEqual(['Track', 'Set Regarding']);
    expect(html).toContain(NOT_OFFERED.orgOff);
  });

  test('untrusted text is text, never HTML', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const html = card(
      readItem(
        { message: evil, names: { 'account:a': evil }, regarding: { type: 'account', id: 'a' } },
        {
          subject: evil,
          from: { name: evil, address: 'x@example.org' },
        },
      ),
    );
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  test('a slow action shows progress and disables the buttons', () => {
    const html = render(
      <ItemCard
        item={readItem({ status: 'not-tracked', decision: decision() })}
        crmUrl={CRM}
        busy={{ label: 'Tracking…', slow: true }}
        search={NO_SEARCH}
        actions={actions}
        onOpenConnection={() => undefined}
      />,
    );
    expect(html).toContain('Tracking…');
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*>Track<\/button>/);
  });
});

describe('the regarding search', () => {
  test('a combobox named "Search records" and results as options with type and email', () => {
    const html = render(
      <RegardingSearch
        busy={false}
        actions={actions}
        search={{
          open: true,
          query: 'fab',
          status: 'done',
          message: '2 records found.',
          hits: [
            { type: 'account', id: 'a-1', name: 'Fabrikam', email: 'info@fabrikam.com' },
            { type: 'incident', id: 'i-1', name: '<b>Broken</b>', email: null },
          ],
        }}
      />,
    );
    expect(html).toMatch(/<label[^>]*for="([^"]+)"[^>]*>Search records/);
    const id = /<label[^>]*for="([^"]+)"/.exec(html)?.[1];
    expect(html).toMatch(
      new RegExp(`<input[^>]*id="${id}"[^>]*role="combobox"|<input[^>]*role="combobox"[^>]*id="${id}"`),
    );
    expect(html).toContain('role="listbox"');
    expect(html.match(/role="option"/g)).toHaveLength(2);
    expect(html).toContain('Fabrikam');
    expect(html).toContain('Account · info@fabrikam.com');
    expect(html).toContain('Case');
    expect(html).toContain('&lt;b&gt;Broken&lt;/b&gt;');
  });
});

describe('the untrack confirmation', () => {
  test('renders nothing while closed (the dialog is a portal when open)', () => {
    expect(
      render(
        <UntrackDialog open={false} subject="x" onConfirm={() => undefined} onCancel={() => undefined} />,
      ),
    ).not.toContain('role="dialog"');
  });
});

const optionsView = (settings = DEFAULT_SETTINGS): OptionsView => {
  const effective = effectivePersonalOptions(settings);
  const base = optionValuesOf(effective, settings.client.automaticEmailTagging);
  return {
    base,
    draft: base,
    states: optionStatesOf(effective),
    minimums: {
      outlooksyncinterval: settings.organization.minoutlooksyncinterval,
      addressbooksyncinterval: settings.organization.minaddressbooksyncinterval,
      offlinesyncinterval: settings.organization.minofflinesyncinterval,
    },
    dirty: false,
    status: 'idle',
    message: null,
    slow: false,
  };
};

describe('the options screen', () => {
  test('the four tabs of the original client and Save; the Email tab has "Which messages to track"', () => {
    const html = render(<OptionsScreen options={optionsView()} actions={actions} />);
    for (const tab of ['Synchronization', 'Address Book', 'Local Data', 'Email'])
      expect(html).toMatch(new RegExp(`role="tab"[^>]*>${tab}</button>`));
    expect(html).toMatch(/<label[^>]*>Which messages to track/);
    expect(html).toContain('Responses to CRM email');
    expect(html).toContain('Check incoming email and decide whether to track it');
    expect(html).toContain('Tag emails found tracked in the CRM with the “Tracked to CRM” category');
    expect(buttons(html)).toContain('Save');
    // tracking.md §1.3: the Email tab's "allow sending email through this client" is backgroundSendEmail,
    // worded as the original client's personal option.
    expect(html).toContain('Allow CRM to send email using this client');
    // Left out: options for features this add-in does not have.
    expect(html).not.toContain('synchronization client');
  });

  test('a locked option is disabled with the organization’s reason', () => {
    const settings = {
      ...DEFAULT_SETTINGS,
      orgDb: {
        ...DEFAULT_SETTINGS.orgDb,
        HideEmailAutoTrackOptions: true,
        AutoCreateContactOnPromote: false,
      },
    };
    const html = render(<OptionsScreen options={optionsView(settings)} actions={actions} />);
    expect(html).toMatch(/<select[^>]*disabled=""/);
    expect(html).toContain('Locked: Your organization sets which messages are tracked');
    expect(html).toContain('Locked: Your organization does not create contacts or leads from email senders.');
  });

  test('a clamped interval carries its note; a locked one its reason', () => {
    const settings = {
      ...DEFAULT_SETTINGS,
      organization: {
        ...DEFAULT_SETTINGS.organization,
        minofflinesyncinterval: 30,
        allowoutlookscheduledsyncs: false,
      },
    };
    const local = render(
      <OptionsScreen options={optionsView(settings)} actions={actions} initialTab="localdata" />,
    );
    expect(local).toContain('Raised from 15 to 30 minutes');
    const sync = render(
      <OptionsScreen options={optionsView(settings)} actions={actions} initialTab="sync" />,
    );
    expect(sync).toContain('Locked: Your organization does not let users schedule synchronization');
    expect(sync).toMatch(/<input[^>]*disabled=""[^>]*type="number"|<input[^>]*type="number"[^>]*disabled=""/);
  });

  test('a failed save shows why; before a session there is an explanation, not a blank', () => {
    const failed = render(
      <OptionsScreen
        options={{
          ...optionsView(),
          dirty: true,
          status: 'failed',
          message: 'Your changes are not saved yet: x',
        }}
        actions={actions}
      />,
    );
    expect(failed).toContain('Your changes are not saved yet: x');
    const none = render(
      <OptionsScreen options={{ ...optionsView(), base: null, draft: null }} actions={actions} />,
    );
    expect(none).toContain('once Track in CRM is connected');
  });
});

describe('the connection section', () => {
  test('address, sign-in, who you are', () => {
    const html = render(
      <ConnectionSection
        connection={{
          crmUrl: 'http://localhost:5555',
          local: true,
          signIn: 'No sign-in needed (local CRM)',
          mailbox: 'dana@contoso.com',
          saving: false,
          error: null,
        }}
        session={{
          phase: 'ready',
          userId: 'u-1',
          mailboxApproved: false,
          verboseErrors: false,
          offline: null,
        }}
        actions={actions}
      />,
    );
    expect(html).toMatch(/<label[^>]*>CRM address/);
    expect(html).toContain('value="http://localhost:5555"');
    expect(html).toContain('No sign-in needed (local CRM)');
    expect(html).toContain('dana@contoso.com');
    expect(html).toContain('u-1');
    expect(html).toContain('an administrator has not approved your mailbox');
  });

  test('a narrow pane breaks the address after "//", not inside the port', () => {
    const html = render(
      <ConnectionSection
        connection={connectionOf('http://localhost:36637')}
        session={READY}
        actions={actions}
      />,
    );
    expect(html).toMatch(/<dd[^>]*><span>http:\/\/<\/span><span><wbr\/>localhost:36637<\/span><\/dd>/);
  });

  test('Connect is the main action only when not connected', () => {
    const connectClass = (session: SessionView) =>
      /<button type="submit" class="([^"]*)">Connect<\/button>/.exec(
        render(<ConnectionSection connection={connectionOf(CRM)} session={session} actions={actions} />),
      )?.[1];
    const buttonClass = (appearance: 'primary' | 'secondary') =>
      /<button[^>]*class="([^"]*)"/.exec(
        render(
          <Button type="submit" appearance={appearance}>
            Connect
          </Button>,
        ),
      )?.[1];
    expect(connectClass(READY)).toBe(buttonClass('secondary'));
    expect(connectClass({ phase: 'failed', message: 'The CRM did not answer.' })).toBe(
      buttonClass('primary'),
    );
  });
});

const READY: SessionView = {
  phase: 'ready',
  userId: 'u-1',
  mailboxApproved: true,
  verboseErrors: false,
  offline: null,
};
const connectionOf = (crmUrl: string) => ({
  crmUrl,
  local: true,
  signIn: 'No sign-in needed (local CRM)',
  mailbox: 'dana@contoso.com',
  saving: false,
  error: null,
});

const paneState = (item: ItemView): PaneState => ({
  session: { phase: 'ready', userId: 'u', mailboxApproved: true, verboseErrors: false, offline: null },
  connection: {
    crmUrl: CRM,
    local: false,
    signIn: 'Signed in',
    mailbox: 'dana@contoso.com',
    saving: false,
    error: null,
  },
  item,
  busy: null,
  search: NO_SEARCH,
  options: optionsView(),
  queue: { waiting: 2, undeliverable: 1, problem: null },
  notice: null,
  announcement: { seq: 3, text: 'Tracked in the CRM.' },
});

describe('the pane', () => {
  test('the root, the navigation tabs, the live region, the queue summary', () => {
    const html = render(<PaneView state={paneState(readItem({ status: 'tracked' }))} actions={actions} />);
    expect(html).toContain('data-testid="pane"');
    for (const tab of ['Email', 'Options', 'Connection'])
      expect(html).toMatch(new RegExp(`role="tab"[^>]*>${tab}</button>`));
    expect(html).toMatch(/role="tab" id="pane-tab-email" aria-selected="true"/);
    expect(html).toMatch(/role="status" aria-live="polite"[^>]*>Tracked in the CRM\.</);
    expect(html).toContain('2 emails wait to be tracked');
    expect(html).toContain('1 could not be tracked');
  });

  test('§1.4 offline start: the pane says it works offline, on which settings, and that tracks wait', () => {
    const online = render(<PaneView state={paneState(readItem({ status: 'tracked' }))} actions={actions} />);
    expect(online).not.toContain('data-testid="offline-notice"');
    const state = paneState(readItem({ status: 'tracked' }));
    const offline = render(
      <PaneView
        state={{
          ...state,
          session: {
            phase: 'ready',
            userId: 'u',
            mailboxApproved: true,
            verboseErrors: false,
            offline: { settingsSavedAt: 'not a date <b>', reason: 'The CRM could not be reached.' },
          },
        }}
        actions={actions}
      />,
    );
    expect(offline).toMatch(/data-testid="offline-notice"[^>]*>Working offline: the CRM cannot be reached/);
    // The CRM's sentence in parentheses without its own full stop: never '(…reached.).'
    expect(offline).toContain('(The CRM could not be reached)');
    expect(offline).toContain('saved not a date &lt;b&gt;');
    expect(offline).toContain('emails you track are kept and sent');
  });

  test('themes: light, dark, and high contrast when the system forces colours', async () => {
    expect(paneTheme('dark', false)).toBe('dark');
    expect(paneTheme(null, false)).toBe('light');
    expect(paneTheme('light', true)).toBe('high-contrast');
    expect(fluentTheme('light')).toBe(webLightTheme);
    // The other two are a chunk: loaded on demand, then at hand at once.
    await expect(loadFluentTheme('high-contrast')).resolves.toBe(teamsHighContrastTheme);
    expect(fluentTheme('high-contrast')).toBe(teamsHighContrastTheme);
    expect(fluentTheme('dark')).toBe(webDarkTheme);
  });

  test('themes: the rendered pane carries the colours of its theme (they differ between light, dark and high contrast)', async () => {
    await loadFluentTheme('dark'); // as the pane's entry does before its first render
    const store: PaneStore = {
      getState: () => paneState({ kind: 'empty' }),
      subscribe: () => () => undefined,
    };
    /** The page background and text colours the pane's root declares (Fluent's CSS variables). */
    const colours = (officeTheme: 'light' | 'dark' | null, forcedColors: boolean) => {
      const media = { matches: forcedColors, addEventListener() {}, removeEventListener() {} };
      const global = globalThis as { window?: unknown };
      const before = global.window;
      global.window = { matchMedia: (query: string) => (query === FORCED_COLORS_QUERY ? media : null) };
      try {
        const html = renderToStaticMarkup(<App store={store} actions={actions} officeTheme={officeTheme} />);
        const value = (name: string) => new RegExp(`--${name}: ([^;]+);`).exec(html)?.[1];
        return { background: value('colorNeutralBackground1'), text: value('colorNeutralForeground1') };
      } finally {
        global.window = before;
      }
    };
    const of = (theme: typeof webLightTheme) => ({
      background: theme.colorNeutralBackground1,
      text: theme.colorNeutralForeground1,
    });
    // the three themes really differ, so the checks below can tell them apart
    expect(
      new Set([webLightTheme, webDarkTheme, teamsHighContrastTheme].map((t) => t.colorNeutralBackground1))
        .size,
    ).toBe(3);
    expect(colours('light', false)).toEqual(of(webLightTheme));
    expect(colours(null, false)).toEqual(of(webLightTheme));
    expect(colours('dark', false)).toEqual(of(webDarkTheme));
    expect(colours('dark', true)).toEqual(of(teamsHighContrastTheme));
    expect(colours('light', true)).toEqual(of(teamsHighContrastTheme));
  });
});
