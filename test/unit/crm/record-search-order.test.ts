import type { BatchResponse } from '../../../src/crm/batch';
import { findRecords, rankHits } from '../../../src/crm/recordSearch';
import type { RecordSearchHit } from '../../../src/crm/port';

const hit = (name: string, n: number, email: string | null = null): RecordSearchHit => ({
  type: 'account',
  id: `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`,
  name,
  email,
});
const names = (hits: readonly RecordSearchHit[]): string[] => hits.map((h) => h.name);

describe('search order: within a rank, names sort as a person reads them (numeric, base)', () => {
  test.each([
    [
      'numbers in a prefix group count up, not as text',
      'quill',
      ['Quill Walk320 0', 'Quill Walk320 1', 'Quill Walk320 10', 'Quill Walk320 11', 'Quill Walk320 2'],
      ['Quill Walk320 0', 'Quill Walk320 1', 'Quill Walk320 2', 'Quill Walk320 10', 'Quill Walk320 11'],
    ],
    [
      'numbers in a substring group count up too',
      'walk',
      ['Old Walk 10', 'Old Walk 9', 'Old Walk 100'],
      ['Old Walk 9', 'Old Walk 10', 'Old Walk 100'],
    ],
    [
      'case alone does not reorder (names equal but for case keep the CRM order)',
      'an',
      ['ana b', 'ANA a', 'Ana a'],
      ['ANA a', 'Ana a', 'ana b'],
    ],
  ])('%s', (_rule, term, given, shown) => {
    expect(
      names(
        rankHits(
          term,
          given.map((name, i) => hit(name, i)),
        ),
      ),
    ).toEqual(shown);
  });

  test('the rank still comes first: a prefix "Item 10" before a substring "Bag item 2"', () => {
    const shown = rankHits('item', [hit('Bag item 2', 1), hit('Item 10', 2), hit('Item 9', 3)]);
    expect(names(shown)).toEqual(['Item 9', 'Item 10', 'Bag item 2']);
  });

  test('findRecords merges the two parts in that order, keeping what the CRM chose by $orderby', async () => {
    // The CRM orders by text: 0, 1, 10, 11, 2. The starting part answers first, the containing part second.
    const rows = ['Walk 0', 'Walk 1', 'Walk 10', 'Walk 11', 'Walk 2'].map((name, i) => ({
      accountid: hit(name, i).id,
      name,
      emailaddress1: null,
    }));
    const answer = (value: unknown[]): BatchResponse => ({
      status: 200,
      headers: new Map(),
      body: { value },
      contentId: null,
    });
    const asked: string[] = [];
    const found = await findRecords(
      (paths) => {
        asked.push(...paths);
        return Promise.resolve(paths.map(() => answer(rows)));
      },
      'walk',
      { top: 4, types: ['account'] },
    );
    expect(asked.every((p) => decodeURIComponent(p).includes('$orderby=name asc'))).toBe(true);
    expect(names(found.hits)).toEqual(['Walk 0', 'Walk 1', 'Walk 2', 'Walk 10']);
    expect(found.more).toBe(true);
  });
});
