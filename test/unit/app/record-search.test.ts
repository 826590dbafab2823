/** The regarding search's filter and count (src/app/recordSearch.ts), shared by the pane and the dialog. */
import {
  findRegardingRecords,
  foundText,
  recordTypeFilter,
  RECORD_TYPE_FILTERS,
  SEARCH_SHOWN,
  typesOf,
  type RecordTypeFilter,
} from '../../../src/app/recordSearch';

test('the filter offers All, Accounts, Contacts, Leads, Opportunities, Cases, in that order', () => {
  expect(RECORD_TYPE_FILTERS.map((f) => f.label)).toEqual([
    'All',
    'Accounts',
    'Contacts',
    'Leads',
    'Opportunities',
    'Cases',
  ]);
});

test.each([
  ['a known type is kept', 'lead', 'lead'],
  ['All', 'all', 'all'],
  ['an unknown value is All', 'systemuser', 'all'],
  ['nothing is All', null, 'all'],
])('filter from text: %s', (_rule, text, filter) => {
  expect(recordTypeFilter(text)).toBe(filter);
});

test('All asks for every type; a type for itself', () => {
  expect(typesOf('all')).toEqual([]);
  expect(typesOf('incident')).toEqual(['incident']);
});

test.each<[string, number, boolean, Parameters<typeof foundText>[2], string]>([
  ['the true count', 3, false, 'all', '3 records found.'],
  ['one', 1, false, 'all', '1 record found.'],
  ['"10+" when the CRM has more than shown', 10, true, 'all', '10+ records found.'],
  ['more of one shown is still plural', 1, true, 'contact', '1+ contacts found.'],
  ['the filter names the type', 2, false, 'incident', '2 cases found.'],
  ['none names the query', 0, false, 'opportunity', 'No opportunity matches "fab".'],
])('count: %s', (_rule, shown, more, filter, text) => {
  expect(foundText(shown, more, filter, 'fab')).toBe(text);
});

describe('finding regarding records through the port', () => {
  const found = { hits: [], more: true };
  const port = () => {
    const asked: unknown[] = [];
    return {
      asked,
      findRecords: async (text: string, options: unknown) => {
        asked.push([text, options]);
        return found;
      },
    };
  };

  test.each<[string, RecordTypeFilter, unknown]>([
    ['All asks every type for the ten shown', 'all', { top: SEARCH_SHOWN }],
    ['a type asks that type only', 'lead', { types: ['lead'], top: SEARCH_SHOWN }],
  ])('%s, and passes on the port\'s true "more"', async (_rule, filter, options) => {
    const crm = port();
    expect(await findRegardingRecords(crm, 'fab', filter)).toBe(found);
    expect(crm.asked).toEqual([['fab', options]]);
  });
});
