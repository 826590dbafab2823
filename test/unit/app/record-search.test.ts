/** The regarding search's filter and count (src/app/recordSearch.ts), shared by the pane and the dialog. */
import {
  findRegardingRecords,
  foundText,
  recordTypeFilter,
  RECORD_TYPE_FILTERS,
  SEARCH_SHOWN,
  SEARCH_WIDE,
  typesOf,
  type RecordTypeFilter,
} from '../../../src/app/recordSearch';
import type { RecordSearchHit, SearchableType } from '../../../src/crm/port';

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
  [
    'none among a cut answer asks for more of the name',
    0,
    true,
    'incident',
    'No case among the closest matches of "fab": type more of the name.',
  ],
])('count: %s', (_rule, shown, more, filter, text) => {
  expect(foundText(shown, more, filter, 'fab')).toBe(text);
});

describe('finding regarding records through the port', () => {
  const hit = (type: SearchableType, i: number): RecordSearchHit => ({
    type,
    id: `${type}-${i}`,
    name: `${type} ${i}`,
    email: null,
  });
  /** The port's contract: the best `top` matches across every type. */
  const port = (matches: RecordSearchHit[]) => {
    const asked: number[] = [];
    return {
      asked,
      searchRecords: async (_text: string, top: number) => {
        asked.push(top);
        return matches.slice(0, top);
      },
    };
  };
  const many = (type: SearchableType, n: number) => Array.from({ length: n }, (_, i) => hit(type, i));

  test.each<[string, RecordSearchHit[], RecordTypeFilter, number, boolean]>([
    ['All: exactly ten is not "more"', many('account', 10), 'all', 10, false],
    ['All: eleven shows ten and "more"', many('account', 11), 'all', 10, true],
    ['All: a few', many('lead', 3), 'all', 3, false],
    [
      'a type: a short answer holds every match of it',
      [...many('account', 20), ...many('lead', 4)],
      'lead',
      4,
      false,
    ],
    ['a type: more than ten of it', many('contact', 12), 'contact', 10, true],
    [
      'a type: a full answer may have cut some, so "at least"',
      [...many('account', 47), ...many('lead', 3)],
      'lead',
      3,
      true,
    ],
    ['a type: none of it in a full answer may still exist', many('account', 60), 'incident', 0, true],
    ['a type: none of it in a short answer is none', many('account', 5), 'incident', 0, false],
  ])('%s', async (_rule, matches, filter, shown, more) => {
    const crm = port(matches);
    const found = await findRegardingRecords(crm, 'x', filter);
    expect(found.hits).toHaveLength(shown);
    expect(found.hits.every((h) => filter === 'all' || h.type === filter)).toBe(true);
    expect(found.more).toBe(more);
    expect(crm.asked).toEqual([filter === 'all' ? SEARCH_SHOWN + 1 : SEARCH_WIDE]);
  });
});
