/**
 * The create-record form and the regarding search's filter, count and recent records, rendered to
 * HTML without a browser (the pure rules behind them: test/unit/app/record-form, recent-records).
 */
import { renderToStaticMarkup } from 'react-dom/server';
import type { ReactElement } from 'react';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import type { PaneActions } from '../../src/taskpane/actions';
import { CreateRecordForm, type CreateRecordFormProps } from '../../src/taskpane/components/CreateRecordForm';
import { RegardingSearch } from '../../src/taskpane/components/RegardingSearch';
import type { SearchView } from '../../src/taskpane/controller/types';

const render = (ui: ReactElement) =>
  renderToStaticMarkup(<FluentProvider theme={webLightTheme}>{ui}</FluentProvider>);
const actions = new Proxy({}, { get: () => () => undefined }) as PaneActions;
const notCalled = () => {
  throw new Error('not called while rendering');
};
const form = (over: Partial<CreateRecordFormProps>) =>
  render(
    <CreateRecordForm
      type="contact"
      sender={{ name: 'Ann Lee', address: 'ann@fabrikam.com' }}
      create={notCalled}
      searchAccounts={notCalled}
      recordUrl={notCalled}
      close={notCalled}
      {...over}
    />,
  );
describe('the create-record form', () => {
  test('a contact: names from the sender (§2.5), the address read-only, a parent account search', () => {
    const html = form({});
    expect(html).toContain('New contact from the sender');
    expect(html).toMatch(/<input[^>]*value="Ann"/);
    expect(html).toMatch(/<input[^>]*value="Lee"/);
    expect(html).toMatch(
      /<input[^>]*value="ann@fabrikam.com"[^>]*readonly=""|<input[^>]*readonly=""[^>]*value="ann@fabrikam.com"/i,
    );
    expect(html).toContain('Parent account');
    expect(html).toMatch(/role="combobox"/);
    expect(html).toContain('Create contact');
    expect(html).toContain('Cancel');
  });

  test('a lead: a company name field instead of the account search', () => {
    const html = form({ type: 'lead' });
    expect(html).toContain('New lead from the sender');
    expect(html).toContain('Company');
    expect(html).not.toContain('Parent account');
    expect(html).toContain('Create lead');
  });

  test('lengths are held to the columns in the inputs (50, 50)', () => {
    expect(form({}).match(/maxLength="50"|maxlength="50"/gi)).toHaveLength(2);
    expect(form({ type: 'lead' })).toMatch(/maxlength="100"/i);
  });

  test('an untrusted display name is text, never markup', () => {
    const html = form({ sender: { name: '<img src=x onerror=alert(1)> "<b>Lee</b>"', address: 'x@y.com' } });
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>Lee</b>');
    expect(html).toContain('&lt;b&gt;Lee&lt;/b&gt;');
  });
});

const SEARCH: SearchView = { open: true, query: '', status: 'idle', hits: [], message: null };

describe('the regarding search', () => {
  test('before typing: the recent records, filtered by type, as options', () => {
    const recent = [
      { type: 'account' as const, id: 'a1', name: 'Fabrikam' },
      { type: 'lead' as const, id: 'l1', name: '<i>Lead</i>' },
    ];
    const all = render(<RegardingSearch search={SEARCH} actions={actions} busy={false} recent={recent} />);
    expect(all).toContain('Recent records');
    expect(all.match(/role="option"/g)).toHaveLength(2);
    expect(all).toContain('&lt;i&gt;Lead&lt;/i&gt;');
    const accounts = render(
      <RegardingSearch
        search={SEARCH}
        actions={actions}
        busy={false}
        recent={recent}
        filter="account"
        onFilterChange={() => undefined}
      />,
    );
    expect(accounts.match(/role="option"/g)).toHaveLength(1);
    expect(accounts).toContain('Fabrikam');
  });

  test('the type filter offers All, Accounts, Contacts, Leads, Opportunities, Cases', () => {
    const html = render(
      <RegardingSearch search={SEARCH} actions={actions} busy={false} onFilterChange={() => undefined} />,
    );
    expect(html).toContain('Record type');
    const labels = [...html.matchAll(/<option value="[^"]*"[^>]*>([^<]*)<\/option>/g)].map((m) => m[1]);
    expect(labels).toEqual(['All', 'Accounts', 'Contacts', 'Leads', 'Opportunities', 'Cases']);
  });

  test('no filter without a way to search by type', () => {
    expect(render(<RegardingSearch search={SEARCH} actions={actions} busy={false} />)).not.toContain(
      'Record type',
    );
  });

  test('a true count: "10+" when the CRM has more than shown', () => {
    const hits = Array.from({ length: 10 }, (_, i) => ({
      type: 'contact' as const,
      id: `c${i}`,
      name: `Contact ${i}`,
      email: null,
    }));
    const search: SearchView = {
      ...SEARCH,
      query: 'con',
      status: 'done',
      hits,
      message: '10 records found.',
    };
    expect(render(<RegardingSearch search={search} actions={actions} busy={false} more />)).toContain(
      '10+ records found.',
    );
    expect(render(<RegardingSearch search={search} actions={actions} busy={false} more={false} />)).toContain(
      '10 records found.',
    );
  });

  test('the chosen record is named', () => {
    const html = render(
      <RegardingSearch
        search={SEARCH}
        actions={actions}
        busy={false}
        chosen={{ type: 'incident', name: 'Broken <x>' }}
      />,
    );
    expect(html).toContain('Now regarding Case: Broken &lt;x&gt;');
  });
});
