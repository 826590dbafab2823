/** synchronization.md §2: properties of the synchronization planner over any valid input. */
import fc from 'fast-check';
import { resolveSettings } from '../../../src/rules/settingsInput';
import { planSync } from '../../../src/rules/synchronization';
import {
  SYNC_OPERATION_KINDS,
  type SyncCrmRecord,
  type SyncInput,
  type SyncMapping,
  type SyncOperation,
  type SyncOutlookItem,
} from '../../../src/rules/syncTypes';

const CRM_IDS = ['c1', 'c2', 'c3', 'C4', 'c5'];
const ITEM_IDS = ['o1', 'o2', 'O3', 'o4', 'o5', 'o6'];
const EMAILS = ['ann@fabrikam.com', ' ANN@fabrikam.com', 'bob@example.com', '', 'x'];
const TIMES = ['2026-01-09T00:00:00Z', '2026-01-09T12:00:00Z', '2026-01-09T13:00:00+01:00', null];
const ordinal = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const nullFirst = (a: string | null, b: string | null): number =>
  a === b ? 0 : a === null ? -1 : b === null ? 1 : ordinal(a, b);

const value = fc.oneof(
  fc.constantFrom('Ann', 'Anne', '', 'Bob'),
  fc.constant(null),
  fc.integer({ min: 0, max: 2 }),
  fc.constant({ a: 1 }),
);
const crmFields = fc.record(
  {
    firstname: value,
    lastname: value,
    emailaddress1: fc.constantFrom(...EMAILS),
    constructor: value,
  },
  { requiredKeys: [] },
);
const outlookFields = fc.record(
  { givenName: value, surname: value, companyName: value, ['__proto__']: value },
  { requiredKeys: [] },
);

const mapping: fc.Arbitrary<SyncMapping> = fc.record({
  crm: fc.constantFrom('firstname', 'lastname', 'company', 'constructor'),
  outlook: fc.constantFrom('givenName', 'surname', 'companyName', '__proto__'),
  direction: fc.constantFrom('none' as const, 'toOutlook' as const, 'toCrm' as const, 'both' as const),
});

const record: fc.Arbitrary<SyncCrmRecord> = fc.record({
  id: fc.constantFrom(...CRM_IDS),
  inScope: fc.boolean(),
  active: fc.boolean(),
  createdOn: fc.constantFrom(...TIMES),
  modifiedOn: fc.constantFrom(...TIMES),
  fields: crmFields,
  parentAccountName: fc.constantFrom('Fabrikam', '', null),
});

const item: fc.Arbitrary<SyncOutlookItem> = fc.record({
  itemId: fc.constantFrom(...ITEM_IDS),
  crmId: fc.option(fc.constantFrom(...CRM_IDS, 'gone'), { nil: null }),
  tracked: fc.boolean(),
  deleted: fc.boolean(),
  modifiedAt: fc.constantFrom(...TIMES),
  fields: outlookFields,
  emails: fc.array(fc.constantFrom(...EMAILS), { maxLength: 2 }),
});

const settings = fc.record({
  organization: fc.record({
    allowoutlookscheduledsyncs: fc.boolean(),
    minoutlooksyncinterval: fc.integer({ min: 0, max: 60 }),
  }),
  client: fc.record({ outlookSynchronization: fc.boolean() }),
  user: fc.record({
    syncWithOutlook: fc.boolean(),
    isSyncClient: fc.boolean(),
    outlooksyncinterval: fc.integer({ min: 0, max: 120 }),
    synccontactcompany: fc.boolean(),
    isduplicatedetectionenabledwhengoingonline: fc.boolean(),
  }),
});

const input: fc.Arbitrary<SyncInput> = fc.record({
  now: fc.constant('2026-01-10T09:00:00Z'),
  entity: fc.constantFrom('contact' as const, 'appointment' as const, 'task' as const),
  trigger: fc.constantFrom('scheduled' as const, 'manual' as const),
  // Mostly the defaults, so most cases run and have operations to check.
  settings: fc.oneof(
    { weight: 1, arbitrary: settings.map((raw) => resolveSettings(raw).settings) },
    { weight: 3, arbitrary: fc.constant(resolveSettings({}).settings) },
  ),
  mappings: fc.array(mapping, { maxLength: 4 }),
  crm: fc.record({ records: fc.uniqueArray(record, { selector: (r) => r.id, maxLength: 5 }) }),
  outlook: fc.record({ items: fc.uniqueArray(item, { selector: (i) => i.itemId, maxLength: 6 }) }),
  state: fc.record({
    pairs: fc.array(
      fc.record({
        crmId: fc.constantFrom(...CRM_IDS),
        itemId: fc.constantFrom(...ITEM_IDS),
        crm: crmFields,
        outlook: outlookFields,
      }),
      { maxLength: 4 },
    ),
    excluded: fc.uniqueArray(fc.constantFrom(...CRM_IDS), { maxLength: 2 }),
  }),
});

/** The steps of §2.3 an item's operations may come from; each item is handled by one. */
function itemStep(kinds: string[]): string | null {
  const key = [...kinds].sort().join(',');
  const steps: Record<string, string> = {
    unlink: 'unlink',
    deleteOutlook: 'step 2',
    updateCrm: 'step 4',
    updateOutlook: 'step 4',
    'updateCrm,updateOutlook': 'step 4',
    link: 'step 5',
    'link,updateCrm': 'step 5',
    'link,updateOutlook': 'step 5',
    'link,updateCrm,updateOutlook': 'step 5',
    createCrm: 'step 5',
  };
  return steps[key] ?? null;
}

const group = (operations: readonly SyncOperation[], key: (o: SyncOperation) => string | null) => {
  const by = new Map<string, SyncOperation[]>();
  for (const o of operations) {
    const k = key(o);
    if (k === null) continue;
    by.set(k, [...(by.get(k) ?? []), o]);
  }
  return by;
};

describe('synchronization.md §2 properties', () => {
  test('§2: any valid input is planned without throwing, and a run that does not go ahead does nothing', () => {
    fc.assert(
      fc.property(input, (sync) => {
        const plan = planSync(sync);
        if (!plan.run) {
          expect(plan.operations).toEqual([]);
          expect(plan.exclude).toEqual([]);
        }
      }),
      { numRuns: 500 },
    );
  });

  test('§2.3: each item and each record is handled once, by one step', () => {
    fc.assert(
      fc.property(input, (sync) => {
        const { operations } = planSync(sync);
        for (const [, ops] of group(operations, (o) => o.itemId)) {
          expect(itemStep(ops.map((o) => o.op))).not.toBeNull();
        }
        for (const [, ops] of group(operations, (o) => o.crmId)) {
          const kinds = ops.map((o) => o.op);
          // A record copied to Outlook has no other operation; no record is linked or created twice.
          if (kinds.includes('createOutlook')) expect(kinds).toEqual(['createOutlook']);
          expect(kinds.filter((k) => k === 'link').length).toBeLessThanOrEqual(1);
          // One linked item per record: every operation other than a DuplicateLink unlink names one item.
          const items = new Set(ops.filter((o) => o.reason !== 'DuplicateLink').map((o) => o.itemId));
          expect(items.size).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 500 },
    );
  });

  test('§2.5 and §3: operations are in order (kind, crmId, itemId), shaped as §3 says', () => {
    fc.assert(
      fc.property(input, (sync) => {
        const { operations, exclude } = planSync(sync);
        const rank = (o: SyncOperation): number => SYNC_OPERATION_KINDS.indexOf(o.op);
        for (let i = 1; i < operations.length; i += 1) {
          const a = operations[i - 1] as SyncOperation;
          const b = operations[i] as SyncOperation;
          const order = rank(a) - rank(b) || nullFirst(a.crmId, b.crmId) || nullFirst(a.itemId, b.itemId);
          expect(order).toBeLessThan(0);
        }
        for (const o of operations) {
          const writes = ['updateCrm', 'updateOutlook', 'createCrm', 'createOutlook'].includes(o.op);
          expect(Object.keys(o.fields).length > 0).toBe(writes);
          expect(o.reason !== null).toBe(['unlink', 'deleteOutlook', 'link'].includes(o.op));
          expect(o.crmId === null).toBe(o.op === 'createCrm');
          expect(o.itemId === null).toBe(o.op === 'createOutlook');
          if (o.conflicts.length > 0)
            expect(o.conflicts.every((name) => Object.hasOwn(o.fields, name))).toBe(true);
        }
        const outlookDeleted = operations
          .filter((o) => o.reason === 'OutlookDeleted')
          .map((o) => o.crmId ?? '');
        expect(exclude).toEqual([...outlookDeleted].sort(ordinal));
      }),
      { numRuns: 500 },
    );
  });

  test('§2: the plan does not depend on the order records and items are listed in', () => {
    fc.assert(
      fc.property(input, fc.integer(), (sync, seed) => {
        const shuffle = <T>(list: readonly T[]): T[] => {
          const out = [...list];
          let s = seed;
          for (let i = out.length - 1; i > 0; i -= 1) {
            s = (Math.imul(s, 1103515245) + 12345) | 0;
            const j = Math.abs(s) % (i + 1);
            [out[i], out[j]] = [out[j] as T, out[i] as T];
          }
          return out;
        };
        const shuffled: SyncInput = {
          ...sync,
          crm: { records: shuffle(sync.crm.records) },
          outlook: { items: shuffle(sync.outlook.items) },
        };
        expect(planSync(shuffled)).toEqual(planSync(sync));
      }),
      { numRuns: 300 },
    );
  });
});
