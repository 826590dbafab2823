/** Recently chosen regarding records (src/app/recentRecords.ts): most recent first, small when stored. */
import fc from 'fast-check';
import {
  forgetRecent,
  fromStoredRecent,
  RECENT_MAX,
  RECENT_NAME_MAX,
  RECENT_STORED_MAX_CHARS,
  recentOfTypes,
  rememberRecent,
  toStoredRecent,
  type RecentRecord,
} from '../../../src/app/recentRecords';
import type { SearchableType } from '../../../src/crm/port';

const acc = (id: string, name = `Account ${id}`): RecentRecord => ({ type: 'account', id, name });
const ids = (list: readonly RecentRecord[]) => list.map((r) => `${r.type}:${r.id}`);

describe('the most-recently-used list', () => {
  test('newest first', () => {
    const list = rememberRecent(rememberRecent([], acc('a1')), acc('a2'));
    expect(ids(list)).toEqual(['account:a2', 'account:a1']);
  });

  test('de-duplicated by type and id: choosing again moves it first, with its newest name', () => {
    const list = rememberRecent([acc('a1'), acc('a2'), acc('a3')], acc('A3', 'Renamed'));
    expect(list).toEqual([{ type: 'account', id: 'A3', name: 'Renamed' }, acc('a1'), acc('a2')]);
  });

  test('the same id under another type is another record', () => {
    const list = rememberRecent([acc('x1')], { type: 'contact', id: 'x1', name: 'Ann' });
    expect(ids(list)).toEqual(['contact:x1', 'account:x1']);
  });

  test(`at most ${RECENT_MAX}: the oldest goes`, () => {
    let list: RecentRecord[] = [];
    for (let i = 1; i <= RECENT_MAX + 2; i += 1) list = rememberRecent(list, acc(`a${i}`));
    expect(list).toHaveLength(RECENT_MAX);
    expect(list[0]?.id).toBe(`a${RECENT_MAX + 2}`);
    expect(list.some((r) => r.id === 'a1' || r.id === 'a2')).toBe(false);
  });

  test(`names are kept to ${RECENT_NAME_MAX} characters, never half a surrogate pair`, () => {
    const [long] = rememberRecent([], acc('a1', 'n'.repeat(200)));
    expect(long?.name).toBe('n'.repeat(RECENT_NAME_MAX));
    const [emoji] = rememberRecent([], acc('a1', `${'n'.repeat(RECENT_NAME_MAX - 1)}😀`));
    expect(emoji?.name).toBe('n'.repeat(RECENT_NAME_MAX - 1));
  });

  test('a record of a type that cannot be regarding, or without an id, is not remembered', () => {
    const list = [acc('a1')];
    expect(rememberRecent(list, { type: 'systemuser' as SearchableType, id: 'u1', name: 'Me' })).toEqual(
      list,
    );
    expect(rememberRecent(list, acc(''))).toEqual(list);
  });

  test('a record can be forgotten (deleted in the CRM)', () => {
    expect(ids(forgetRecent([acc('a1'), acc('a2')], { type: 'account', id: 'A1' }))).toEqual(['account:a2']);
  });

  test('the type filter keeps the order; no type is every type', () => {
    const list = [acc('a1'), { type: 'lead', id: 'l1', name: 'L' } as RecentRecord, acc('a2')];
    expect(ids(recentOfTypes(list, ['account']))).toEqual(['account:a1', 'account:a2']);
    expect(recentOfTypes(list, [])).toEqual(list);
  });
});

describe('the stored form (roaming settings)', () => {
  test('versioned rows of [type, id, name], read back the same', () => {
    const list = [acc('a1', 'Fabrikam'), { type: 'incident', id: 'i1', name: 'Broken' } as RecentRecord];
    const stored = toStoredRecent(list);
    expect(stored).toEqual({
      v: 1,
      r: [
        ['account', 'a1', 'Fabrikam'],
        ['incident', 'i1', 'Broken'],
      ],
    });
    expect(fromStoredRecent(JSON.parse(JSON.stringify(stored)))).toEqual(list);
  });

  test.each<[string, unknown]>([
    ['nothing stored', undefined],
    ['null', null],
    ['a string', '[]'],
    ['another version', { v: 2, r: [['account', 'a1', 'X']] }],
    ['no rows', { v: 1 }],
  ])('unreadable (%s) is an empty list', (_what, stored) => {
    expect(fromStoredRecent(stored)).toEqual([]);
  });

  test('bad rows are dropped, good ones kept; repeats and over-long lists are cut', () => {
    const stored = {
      v: 1,
      r: [
        ['account', 'a1', 'A'],
        'not a row',
        ['account', 7, 'B'],
        ['systemuser', 'u1', 'Me'],
        ['account', 'A1', 'again'],
        ['lead', 'x'.repeat(65), 'long id'],
        ...Array.from({ length: 20 }, (_, i) => ['contact', `c${i}`, `C${i}`]),
      ],
    };
    const list = fromStoredRecent(stored);
    expect(list[0]).toEqual(acc('a1', 'A'));
    expect(list.length).toBeLessThanOrEqual(RECENT_MAX);
    expect(list.every((r) => r.type === 'account' || r.type === 'contact')).toBe(true);
  });

  test('property: any list is stored within the size bound and read back as a valid list', () => {
    const type = fc.constantFrom<SearchableType>('account', 'contact', 'lead', 'opportunity', 'incident');
    const record = fc.record({
      type,
      id: fc.string({ minLength: 1, maxLength: 40 }),
      name: fc.string({ unit: 'binary', maxLength: 300 }),
    });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 30 }), (records) => {
        let list: RecentRecord[] = [];
        for (const r of records) list = rememberRecent(list, r);
        const text = JSON.stringify(toStoredRecent(list));
        expect(text.length).toBeLessThanOrEqual(RECENT_STORED_MAX_CHARS);
        const back = fromStoredRecent(JSON.parse(text));
        expect(back.length).toBeLessThanOrEqual(RECENT_MAX);
        // What is read back is the newest part of the list, in order.
        expect(back).toEqual(list.slice(0, back.length));
      }),
    );
  });

  test('names full of escaped characters: the oldest entries go to keep the bound', () => {
    let list: RecentRecord[] = [];
    for (let i = 0; i < RECENT_MAX; i += 1) list = rememberRecent(list, acc(`a${i}`, '\u0001'.repeat(64)));
    const stored = toStoredRecent(list);
    expect(JSON.stringify(stored).length).toBeLessThanOrEqual(RECENT_STORED_MAX_CHARS);
    expect(stored.r.length).toBeLessThan(RECENT_MAX);
    expect(stored.r[0]?.[1]).toBe(`a${RECENT_MAX - 1}`);
  });
});
