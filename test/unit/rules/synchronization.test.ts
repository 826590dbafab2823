/**
 * synchronization.md §1–§2: one synchronization of one record type, rule by rule. Cases go through
 * the `explain` sync reader, so every rule test also exercises what the command reads.
 */
import { explainSync, syncPlanToJson } from '../../../src/cli/explainSync';
import { readSyncCase } from '../../../src/cli/syncInput';
import { resolveSettings } from '../../../src/rules/settingsInput';
import { merge, type Json } from '../../support/cases';

interface OperationJson {
  op: string;
  crmId: string | null;
  itemId: string | null;
  fields: Record<string, unknown>;
  conflicts: string[];
  reason: string | null;
}
interface PlanJson {
  run: boolean;
  reason: string;
  operations: OperationJson[];
  exclude: string[];
  next: { inMinutes: number | null };
}

const FIRSTNAME = { crm: 'firstname', outlook: 'givenName', direction: 'both' };

/** A CRM record in scope and active, modified the day before the run. */
const rec = (id: string, extra: Json = {}): Json => ({
  id,
  inScope: true,
  active: true,
  createdOn: '2020-01-01T00:00:00Z',
  modifiedOn: '2026-01-09T00:00:00Z',
  fields: {},
  parentAccountName: null,
  ...extra,
});

/** An Outlook item carrying no CRM id, not tracked, modified at noon the day before the run. */
const item = (itemId: string, extra: Json = {}): Json => ({
  itemId,
  crmId: null,
  tracked: false,
  deleted: false,
  modifiedAt: '2026-01-09T12:00:00Z',
  fields: {},
  emails: [],
  ...extra,
});

const pair = (crmId: string, itemId: string, crm: Json, outlook: Json): Json => ({
  crmId,
  itemId,
  crm,
  outlook,
});

function syncCase(patch: Json = {}): Json {
  return merge(
    {
      action: 'sync',
      entity: 'contact',
      now: '2026-01-10T09:00:00Z',
      trigger: 'manual',
      settings: { organization: {}, user: {}, client: {} },
      mappings: [FIRSTNAME],
      crm: { records: [] },
      outlook: { items: [] },
      state: { pairs: [], excluded: [] },
    },
    patch,
  );
}

const plan = (patch: Json = {}): PlanJson =>
  syncPlanToJson(explainSync(readSyncCase(syncCase(patch)))) as unknown as PlanJson;

/** The case's records, items and pairs, with the rest of the case as given. */
const world = (records: Json[], items: Json[], pairs: Json[] = [], patch: Json = {}): PlanJson =>
  plan(merge({ crm: { records }, outlook: { items }, state: { pairs, excluded: [] } }, patch));

const ops = (p: PlanJson): string[] =>
  p.operations.map((o) => `${o.op} ${o.crmId ?? '-'} ${o.itemId ?? '-'}${o.reason ? ` ${o.reason}` : ''}`);

describe('synchronization.md §1 settings', () => {
  test("§1: syncWithOutlook and isSyncClient are the personal options of settings.user, by the spec's names", () => {
    const { settings, issues } = resolveSettings({ user: { syncWithOutlook: false, isSyncClient: false } });
    expect(issues).toEqual([]);
    expect(settings.user.synchronizeWithOutlook).toBe(false);
    expect(settings.user.isSynchronizationClient).toBe(false);
  });

  test('§1: isSyncClient is true when a case leaves it out, so the run goes ahead', () => {
    expect(plan().reason).toBe('Ran');
  });

  test('§1: synccontactcompany is false when left out: the company name is not written', () => {
    const p = world([rec('c1', { parentAccountName: 'Fabrikam' })], []);
    expect(p.operations).toEqual([]);
  });
});

describe('synchronization.md §2.1 whether it runs', () => {
  test.each<[string, Json, string, string]>([
    ['outlookSynchronization false', { client: { outlookSynchronization: false } }, 'manual', 'SyncOff'],
    ['syncWithOutlook false', { user: { syncWithOutlook: false } }, 'manual', 'SyncOff'],
    ['isSyncClient false', { user: { isSyncClient: false } }, 'manual', 'NotSyncClient'],
    [
      'SyncOff before NotSyncClient',
      { user: { syncWithOutlook: false, isSyncClient: false } },
      'manual',
      'SyncOff',
    ],
    [
      'scheduled, allowoutlookscheduledsyncs false',
      { organization: { allowoutlookscheduledsyncs: false } },
      'scheduled',
      'ScheduleNotAllowed',
    ],
    [
      'NotSyncClient before ScheduleNotAllowed',
      { organization: { allowoutlookscheduledsyncs: false }, user: { isSyncClient: false } },
      'scheduled',
      'NotSyncClient',
    ],
  ])('§2.1: %s → run false, nothing done', (_name, settings, trigger, reason) => {
    const p = plan({
      settings,
      trigger,
      crm: { records: [rec('c1', { fields: { firstname: 'Ann' } })] },
      outlook: { items: [item('o1', { crmId: 'c2', deleted: true })] },
    });
    expect(p.run).toBe(false);
    expect(p.reason).toBe(reason);
    expect(p.operations).toEqual([]);
    expect(p.exclude).toEqual([]);
  });

  test('§2.1: "Synchronize now" runs when scheduled synchronization is not allowed', () => {
    const p = plan({ trigger: 'manual', settings: { organization: { allowoutlookscheduledsyncs: false } } });
    expect(p).toMatchObject({ run: true, reason: 'Ran', next: { inMinutes: null } });
  });

  test('§2.1: a run that does not go ahead still says when the next one is (§2.5)', () => {
    const p = plan({ settings: { user: { isSyncClient: false, outlooksyncinterval: 40 } } });
    expect(p.next).toEqual({ inMinutes: 40 });
  });
});

describe('synchronization.md §2.2 pairs', () => {
  test('§2.2: of several items carrying one crmId, the smallest itemId not deleted is linked; the others get DuplicateLink only', () => {
    const p = world(
      [rec('c1', { fields: { firstname: 'Ann' } })],
      [
        item('o3', { crmId: 'c1', fields: { givenName: 'X' } }),
        item('o1', { crmId: 'c1', deleted: true }),
        item('o2', { crmId: 'c1', fields: { givenName: 'Y' } }),
      ],
    );
    expect(ops(p)).toEqual([
      'unlink c1 o1 DuplicateLink',
      'unlink c1 o3 DuplicateLink',
      'updateOutlook c1 o2',
    ]);
  });

  test('§2.2: itemIds compare ordinally ("B" before "a")', () => {
    const p = world([rec('c1')], [item('a', { crmId: 'c1' }), item('B', { crmId: 'c1' })]);
    expect(ops(p)).toEqual(['unlink c1 a DuplicateLink']);
  });

  test('§2.2: when every carrier is deleted, the smallest deleted one is linked (and step 1 applies to it)', () => {
    const p = world(
      [rec('c1')],
      [item('o2', { crmId: 'c1', deleted: true }), item('o1', { crmId: 'c1', deleted: true })],
    );
    expect(ops(p)).toEqual(['unlink c1 o1 OutlookDeleted', 'unlink c1 o2 DuplicateLink']);
    expect(p.exclude).toEqual(['c1']);
  });

  test('§2.2: a baseline naming another item is no baseline (both set and different: the CRM value goes to Outlook)', () => {
    const records = [rec('c1', { fields: { firstname: 'Ann' } })];
    const items = [item('o1', { crmId: 'c1', fields: { givenName: 'Anne' } })];
    // With its own baseline (CRM unchanged, Outlook changed) the Outlook value would go to the CRM.
    expect(
      ops(world(records, items, [pair('c1', 'o1', { firstname: 'Ann' }, { givenName: 'Ann' })])),
    ).toEqual(['updateCrm c1 o1']);
    const p = world(records, items, [pair('c1', 'o9', { firstname: 'Ann' }, { givenName: 'Ann' })]);
    expect(p.operations).toEqual([
      {
        op: 'updateOutlook',
        crmId: 'c1',
        itemId: 'o1',
        fields: { givenName: 'Ann' },
        conflicts: [],
        reason: null,
      },
    ]);
  });

  test('§2.2: a linked record missing from the input is treated as deleted', () => {
    expect(ops(world([], [item('o1', { crmId: 'gone' })]))).toEqual(['unlink gone o1 CrmDeleted']);
  });

  test('§2.2: a record linked to an item the user tracked is in scope whatever the filters say', () => {
    const p = world(
      [rec('c1', { inScope: false, fields: { firstname: 'Ann' } })],
      [item('o1', { crmId: 'c1', tracked: true })],
    );
    expect(ops(p)).toEqual(['updateOutlook c1 o1']);
  });
});

describe('synchronization.md §2.3 operations', () => {
  test('§2.3 step 1: linked, Outlook item deleted → unlink OutlookDeleted, the id excluded, the CRM record never deleted', () => {
    const p = world(
      [rec('c1', { fields: { firstname: 'Ann' } })],
      [item('o1', { crmId: 'c1', deleted: true })],
    );
    expect(p.operations).toEqual([
      { op: 'unlink', crmId: 'c1', itemId: 'o1', fields: {}, conflicts: [], reason: 'OutlookDeleted' },
    ]);
    expect(p.exclude).toEqual(['c1']);
  });

  test('§2.3 step 1: also when the CRM record is gone too (step 1 comes first)', () => {
    const p = world([], [item('o1', { crmId: 'c1', deleted: true })]);
    expect(ops(p)).toEqual(['unlink c1 o1 OutlookDeleted']);
    expect(p.exclude).toEqual(['c1']);
  });

  test("§2.3 step 1: exclude holds only the ids this run excludes, not the state's", () => {
    const p = plan({
      crm: { records: [rec('c1'), rec('c2')] },
      outlook: { items: [item('o2', { crmId: 'c2', deleted: true })] },
      state: { pairs: [], excluded: ['c1'] },
    });
    expect(p.exclude).toEqual(['c2']);
    expect(ops(p)).toEqual(['unlink c2 o2 OutlookDeleted']);
  });

  test.each<[string, string, boolean | undefined, string]>([
    ['contact', 'deactivated', false, 'unlink c1 o1 CrmDeleted'],
    ['contact', 'deleted (missing)', undefined, 'unlink c1 o1 CrmDeleted'],
    ['appointment', 'canceled', false, 'deleteOutlook c1 o1 CrmDeleted'],
    ['appointment', 'deleted (missing)', undefined, 'deleteOutlook c1 o1 CrmDeleted'],
    ['task', 'canceled', false, 'deleteOutlook c1 o1 CrmDeleted'],
    ['task', 'deleted (missing)', undefined, 'deleteOutlook c1 o1 CrmDeleted'],
  ])('§2.3 step 2: a linked %s %s in the CRM → %s', (entity, _state, active, expected) => {
    const records = active === undefined ? [] : [rec('c1', { active, fields: { firstname: 'Ann' } })];
    const p = world(records, [item('o1', { crmId: 'c1' })], [], { entity });
    expect(ops(p)).toEqual([expected]);
    expect(p.exclude).toEqual([]);
  });

  test('§2.3 step 2: a completed appointment (active) keeps synchronizing', () => {
    const p = world(
      [rec('a1', { fields: { subject: 'Review' } })],
      [item('o1', { crmId: 'a1', fields: { subject: 'Old' } })],
      [],
      { entity: 'appointment', mappings: [{ crm: 'subject', outlook: 'subject', direction: 'both' }] },
    );
    expect(ops(p)).toEqual(['updateOutlook a1 o1']);
  });

  test('§2.3 step 3: linked, no longer in scope → unlink OutOfScope; the Outlook item is kept', () => {
    const p = world(
      [rec('c1', { inScope: false, fields: { firstname: 'Ann' } })],
      [item('o1', { crmId: 'c1' })],
    );
    expect(p.operations).toEqual([
      { op: 'unlink', crmId: 'c1', itemId: 'o1', fields: {}, conflicts: [], reason: 'OutOfScope' },
    ]);
  });

  test('§2.3 step 4: linked, both present, in scope → at most one updateOutlook and one updateCrm, only the fields that change', () => {
    const mappings = [
      FIRSTNAME,
      { crm: 'lastname', outlook: 'surname', direction: 'both' },
      { crm: 'jobtitle', outlook: 'jobTitle', direction: 'both' },
      { crm: 'telephone1', outlook: 'businessPhone', direction: 'both' },
    ];
    const p = world(
      [
        rec('c1', {
          // Modified after the Outlook item: the CRM wins the conflict on the job title.
          modifiedOn: '2026-01-10T08:00:00Z',
          fields: { firstname: 'Ann', lastname: 'Lee', jobtitle: 'CEO', telephone1: '1' },
        }),
      ],
      [
        item('o1', {
          crmId: 'c1',
          fields: { givenName: 'Ann', surname: 'Li', jobTitle: 'Boss', businessPhone: '1' },
        }),
      ],
      [
        pair(
          'c1',
          'o1',
          { firstname: 'Ann', lastname: 'Lee', jobtitle: 'COO', telephone1: '1' },
          { givenName: 'Ann', surname: 'Lee', jobTitle: 'COO', businessPhone: '1' },
        ),
      ],
      { mappings },
    );
    expect(p.operations).toEqual([
      { op: 'updateCrm', crmId: 'c1', itemId: 'o1', fields: { lastname: 'Li' }, conflicts: [], reason: null },
      {
        op: 'updateOutlook',
        crmId: 'c1',
        itemId: 'o1',
        fields: { jobTitle: 'CEO' },
        conflicts: ['jobTitle'],
        reason: null,
      },
    ]);
  });

  test('§2.3 step 4: a pair already in step lists nothing', () => {
    const p = world(
      [rec('c1', { fields: { firstname: 'Ann' } })],
      [item('o1', { crmId: 'c1', fields: { givenName: 'Ann' } })],
      [pair('c1', 'o1', { firstname: 'Ann' }, { givenName: 'Ann' })],
    );
    expect(p.operations).toEqual([]);
  });

  test('§2.3 step 5: a tracked contact with a CRM contact of the same primary email (case-insensitive, trimmed) → link DuplicateFound, then updates with no baseline', () => {
    const p = world(
      [rec('c1', { inScope: false, fields: { firstname: null, emailaddress1: ' Ann@Fabrikam.com ' } })],
      [item('o1', { tracked: true, fields: { givenName: 'Ann' }, emails: ['ann@fabrikam.COM'] })],
    );
    expect(p.operations).toEqual([
      { op: 'link', crmId: 'c1', itemId: 'o1', fields: {}, conflicts: [], reason: 'DuplicateFound' },
      {
        op: 'updateCrm',
        crmId: 'c1',
        itemId: 'o1',
        fields: { firstname: 'Ann' },
        conflicts: [],
        reason: null,
      },
    ]);
  });

  test('§2.3 step 5: of several matches, the contact created first; ties by id (ordinal)', () => {
    const email = { emailaddress1: 'ann@fabrikam.com' };
    const items = [item('o1', { tracked: true, emails: ['ann@fabrikam.com'] })];
    const byDate = world(
      [
        rec('c1', { createdOn: '2021-01-01T00:00:00Z', fields: email }),
        rec('c2', { createdOn: '2019-01-01T00:00:00Z', fields: email }),
      ],
      items,
    );
    expect(ops(byDate)).toContain('link c2 o1 DuplicateFound');
    const byId = world([rec('cb', { fields: email }), rec('cB', { fields: email })], items);
    expect(ops(byId)).toContain('link cB o1 DuplicateFound');
  });

  test('§2.3 step 5: an inactive contact, or one linked to any item of the input, is not chosen', () => {
    const email = { emailaddress1: 'ann@fabrikam.com' };
    const p = world(
      [
        rec('c1', { active: false, fields: email }),
        rec('c2', { fields: email }),
        rec('c3', { fields: { ...email, firstname: 'Ann' } }),
      ],
      [
        item('o1', { tracked: true, emails: ['ann@fabrikam.com'], fields: { givenName: 'Ann' } }),
        item('z9', { crmId: 'c2', deleted: true }),
      ],
    );
    expect(ops(p)).toEqual(['unlink c2 z9 OutlookDeleted', 'link c3 o1 DuplicateFound']);
  });

  test('§2.3 step 5: a contact in excluded may be chosen', () => {
    const p = plan({
      crm: { records: [rec('c1', { fields: { emailaddress1: 'ann@fabrikam.com' } })] },
      outlook: { items: [item('o1', { tracked: true, emails: ['ann@fabrikam.com'] })] },
      state: { pairs: [], excluded: ['c1'] },
    });
    expect(ops(p)).toEqual(['link c1 o1 DuplicateFound']);
  });

  test('§2.3 step 5: items in ascending itemId; a contact linked by an earlier item is not linked again', () => {
    const p = world(
      [rec('c1', { fields: { emailaddress1: 'ann@fabrikam.com' } })],
      [
        item('o2', { tracked: true, emails: ['ann@fabrikam.com'], fields: { givenName: 'Two' } }),
        item('o1', { tracked: true, emails: ['ann@fabrikam.com'], fields: { givenName: 'One' } }),
      ],
    );
    expect(ops(p)).toEqual(['link c1 o1 DuplicateFound', 'updateCrm c1 o1', 'createCrm - o2']);
    expect(p.operations.find((o) => o.op === 'createCrm')?.fields).toEqual({ firstname: 'Two' });
  });

  test("§2.3 step 5: only the item's first email address is matched", () => {
    const p = world(
      [rec('c1', { fields: { emailaddress1: 'ann@fabrikam.com' } })],
      [
        item('o1', {
          tracked: true,
          emails: ['other@x.com', 'ann@fabrikam.com'],
          fields: { givenName: 'A' },
        }),
      ],
    );
    expect(ops(p)).toEqual(['createCrm - o1']);
  });

  test('§2.3 step 5: without isduplicatedetectionenabledwhengoingonline → createCrm with every mapped field whose direction is not none', () => {
    const mappings = [
      { crm: 'firstname', outlook: 'givenName', direction: 'toOutlook' },
      { crm: 'lastname', outlook: 'surname', direction: 'toCrm' },
      { crm: 'jobtitle', outlook: 'jobTitle', direction: 'none' },
      { crm: 'telephone1', outlook: 'businessPhone', direction: 'both' },
      { crm: 'emailaddress1', outlook: 'email', direction: 'both' },
      { crm: 'fax', outlook: 'fax', direction: 'both' },
    ];
    const p = world(
      [rec('c1', { inScope: false, fields: { emailaddress1: 'ann@fabrikam.com' } })],
      [
        item('o1', {
          tracked: true,
          emails: ['ann@fabrikam.com'],
          fields: { givenName: 'Ann', surname: 'Lee', jobTitle: 'CEO', businessPhone: '', fax: null },
        }),
      ],
      [],
      { mappings, settings: { user: { isduplicatedetectionenabledwhengoingonline: false } } },
    );
    // "" is a value; a null or missing one is left out of a create.
    expect(p.operations).toEqual([
      {
        op: 'createCrm',
        crmId: null,
        itemId: 'o1',
        fields: { firstname: 'Ann', lastname: 'Lee', telephone1: '' },
        conflicts: [],
        reason: null,
      },
    ]);
  });

  test.each(['appointment', 'task'])(
    '§2.3 step 5: a tracked %s is created in the CRM, never linked by email',
    (entity) => {
      const p = world(
        [rec('a1', { inScope: false, fields: { emailaddress1: 'ann@fabrikam.com' } })],
        [item('o1', { tracked: true, emails: ['ann@fabrikam.com'], fields: { subject: 'Review' } })],
        [],
        { entity, mappings: [{ crm: 'subject', outlook: 'subject', direction: 'both' }] },
      );
      expect(ops(p)).toEqual(['createCrm - o1']);
    },
  );

  test("§2.3 step 5: a tracked item that is deleted is nobody's business", () => {
    expect(
      world([], [item('o1', { tracked: true, deleted: true, fields: { givenName: 'A' } })]).operations,
    ).toEqual([]);
  });

  test('§3: a create whose fields would be empty is not listed', () => {
    const p = world([rec('c1')], [item('o1', { tracked: true })]);
    expect(p.operations).toEqual([]);
  });

  test('§2.3 step 6: an active record in scope, not linked, not excluded → createOutlook with its non-null mapped fields', () => {
    const mappings = [
      FIRSTNAME,
      { crm: 'lastname', outlook: 'surname', direction: 'toCrm' },
      { crm: 'jobtitle', outlook: 'jobTitle', direction: 'none' },
      { crm: 'telephone1', outlook: 'businessPhone', direction: 3 },
    ];
    const p = world(
      [rec('c1', { fields: { firstname: 'Ann', lastname: 'Lee', jobtitle: 'CEO', telephone1: null } })],
      [],
      [],
      { mappings },
    );
    expect(p.operations).toEqual([
      {
        op: 'createOutlook',
        crmId: 'c1',
        itemId: null,
        fields: { givenName: 'Ann', surname: 'Lee' },
        conflicts: [],
        reason: null,
      },
    ]);
  });

  test.each<[string, Json, string[]]>([
    ['inactive', { active: false }, []],
    ['out of scope', { inScope: false }, []],
  ])('§2.3 step 6: a record %s is not copied to Outlook', (_name, extra, expected) => {
    expect(ops(world([rec('c1', { fields: { firstname: 'Ann' }, ...extra })], []))).toEqual(expected);
  });

  test("§2.3 step 6: a record in the state's excluded is not copied to Outlook again", () => {
    const p = plan({
      crm: { records: [rec('c1', { fields: { firstname: 'Ann' } })] },
      state: { pairs: [], excluded: ['c1'] },
    });
    expect(p.operations).toEqual([]);
  });

  test('§2.3 step 6: a record linked by step 5 is not created in Outlook as well', () => {
    const p = world(
      [rec('c1', { fields: { firstname: 'Ann', emailaddress1: 'ann@fabrikam.com' } })],
      [item('o1', { tracked: true, emails: ['ann@fabrikam.com'], fields: { givenName: 'Ann' } })],
    );
    expect(ops(p)).toEqual(['link c1 o1 DuplicateFound']);
  });

  test('§2.3 step 7: an Outlook item neither linked nor tracked gets no operation', () => {
    expect(world([], [item('o1', { fields: { givenName: 'Ann' } })]).operations).toEqual([]);
  });
});

describe('synchronization.md §2.4 field updates', () => {
  const PAST = '2026-01-08T00:00:00Z';
  const LATER = '2026-01-09T18:00:00Z';
  type Row = [string, string, unknown, unknown, [unknown, unknown] | null, Json, Json, string[]];
  // name, direction, c, o, baseline [bc, bo] or null, record extra, item extra, expected operations
  const rows: Row[] = [
    ['none: nothing', 'none', 'A', 'B', null, {}, {}, []],
    [
      'toOutlook: o ≠ c → c to Outlook',
      'toOutlook',
      'A',
      'B',
      ['A', 'A'],
      {},
      {},
      ['updateOutlook givenName=A'],
    ],
    [
      'toOutlook: a null c is written too',
      'toOutlook',
      null,
      'B',
      null,
      {},
      {},
      ['updateOutlook givenName=null'],
    ],
    ['toOutlook: equal → nothing', 'toOutlook', 'A', 'A', null, {}, {}, []],
    ['toCrm: c ≠ o → o to the CRM', 'toCrm', 'A', 'B', ['A', 'A'], {}, {}, ['updateCrm firstname=B']],
    [
      'both, no baseline: c null, o set → o to the CRM',
      'both',
      null,
      'B',
      null,
      {},
      {},
      ['updateCrm firstname=B'],
    ],
    [
      'both, no baseline: o null, c set → c to Outlook',
      'both',
      'A',
      null,
      null,
      {},
      {},
      ['updateOutlook givenName=A'],
    ],
    [
      'both, no baseline: both set and different → c to Outlook',
      'both',
      'A',
      'B',
      null,
      {},
      {},
      ['updateOutlook givenName=A'],
    ],
    [
      'both, baseline: CRM changed, Outlook not → c to Outlook',
      'both',
      'A2',
      'A',
      ['A', 'A'],
      {},
      {},
      ['updateOutlook givenName=A2'],
    ],
    [
      'both, baseline: Outlook changed, CRM not → o to the CRM',
      'both',
      'A',
      'A2',
      ['A', 'A'],
      {},
      {},
      ['updateCrm firstname=A2'],
    ],
    [
      'both, baseline: both changed, Outlook later → o to the CRM, a conflict',
      'both',
      'C',
      'O',
      ['A', 'A'],
      { modifiedOn: PAST },
      { modifiedAt: LATER },
      ['updateCrm firstname=O conflicts firstname'],
    ],
    [
      'both, baseline: both changed, CRM later → c to Outlook, a conflict',
      'both',
      'C',
      'O',
      ['A', 'A'],
      { modifiedOn: LATER },
      { modifiedAt: PAST },
      ['updateOutlook givenName=C conflicts givenName'],
    ],
    [
      'both, baseline: both changed, a tie → the CRM wins',
      'both',
      'C',
      'O',
      ['A', 'A'],
      { modifiedOn: LATER },
      { modifiedAt: '2026-01-09T19:00:00+01:00' },
      ['updateOutlook givenName=C conflicts givenName'],
    ],
    [
      'both, baseline: both changed, a time missing → the CRM wins',
      'both',
      'C',
      'O',
      ['A', 'A'],
      { modifiedOn: null },
      { modifiedAt: LATER },
      ['updateOutlook givenName=C conflicts givenName'],
    ],
    ['both, baseline: both changed to the same value → nothing', 'both', 'N', 'N', ['A', 'A'], {}, {}, []],
    [
      'both, baseline: neither changed and c ≠ o → c to Outlook',
      'both',
      'A',
      'B',
      ['A', 'B'],
      {},
      {},
      ['updateOutlook givenName=A'],
    ],
    ['both, baseline: neither changed and equal → nothing', 'both', 'A', 'A', ['A', 'A'], {}, {}, []],
    [
      'values compare as JSON (object key order does not matter)',
      'both',
      { a: 1, b: 2 },
      { b: 2, a: 1 },
      null,
      {},
      {},
      [],
    ],
    [
      'a missing value is null: a baseline without the field, CRM set → c to Outlook',
      'both',
      'A',
      null,
      [null, null],
      {},
      {},
      ['updateOutlook givenName=A'],
    ],
  ];

  test.each(rows)('§2.4: %s', (_name, direction, c, o, base, recordExtra, itemExtra, expected) => {
    const p = world(
      [rec('c1', { fields: c === undefined ? {} : { firstname: c }, ...recordExtra })],
      [item('o1', { crmId: 'c1', fields: { givenName: o }, ...itemExtra })],
      base === null ? [] : [pair('c1', 'o1', { firstname: base[0] }, { givenName: base[1] })],
      { mappings: [{ crm: 'firstname', outlook: 'givenName', direction }] },
    );
    const got = p.operations.map(
      (op) =>
        `${op.op} ${Object.entries(op.fields)
          .map(
            ([k, v]) => `${k}=${v === null ? 'null' : typeof v === 'object' ? JSON.stringify(v) : String(v)}`,
          )
          .join(',')}${op.conflicts.length ? ` conflicts ${op.conflicts.join(',')}` : ''}`,
    );
    expect(got).toEqual(expected);
  });

  test.each<[number, string]>([
    [0, 'none'],
    [1, 'toOutlook'],
    [2, 'toCrm'],
    [3, 'both'],
  ])("§1: a direction given as Dataverse's number %i is %s", (number, name) => {
    const run = (direction: unknown): PlanJson =>
      world(
        [rec('c1', { fields: { firstname: 'A' } })],
        [item('o1', { crmId: 'c1', fields: { givenName: 'B' } })],
        [pair('c1', 'o1', { firstname: 'A' }, { givenName: 'A' })],
        { mappings: [{ crm: 'firstname', outlook: 'givenName', direction }] },
      );
    expect(run(number)).toEqual(run(name));
  });

  describe("§2.4 the contact's company name", () => {
    const COMPANY_MAPPING = { crm: 'company', outlook: 'companyName', direction: 'both' };
    const on = { user: { synccontactcompany: true } };

    test("§2.4 company: with synccontactcompany, the parent account's name is written to Outlook whenever it differs", () => {
      const p = world(
        [rec('c1', { parentAccountName: 'Fabrikam' })],
        [item('o1', { crmId: 'c1', fields: { companyName: 'Contoso' } })],
        [],
        { settings: on },
      );
      expect(p.operations).toEqual([
        {
          op: 'updateOutlook',
          crmId: 'c1',
          itemId: 'o1',
          fields: { companyName: 'Fabrikam' },
          conflicts: [],
          reason: null,
        },
      ]);
    });

    test('§2.4 company: the same name → nothing', () => {
      const p = world(
        [rec('c1', { parentAccountName: 'Fabrikam' })],
        [item('o1', { crmId: 'c1', fields: { companyName: 'Fabrikam' } })],
        [],
        { settings: on },
      );
      expect(p.operations).toEqual([]);
    });

    test('§2.4 company: at create too', () => {
      const p = world([rec('c1', { parentAccountName: 'Fabrikam', fields: { firstname: 'Ann' } })], [], [], {
        settings: on,
      });
      expect(p.operations[0]?.fields).toEqual({ givenName: 'Ann', companyName: 'Fabrikam' });
    });

    test('§2.4 company: no parent account → never written, on either side', () => {
      const p = world(
        [rec('c1', { parentAccountName: null, fields: { company: 'X' } })],
        [item('o1', { crmId: 'c1', fields: { companyName: 'Contoso' } })],
        [],
        { settings: on, mappings: [COMPANY_MAPPING] },
      );
      expect(p.operations).toEqual([]);
    });

    test('§2.4 company: synccontactcompany false → never written; a mapping of companyName is ignored in both directions', () => {
      const p = world(
        [
          rec('c1', { parentAccountName: 'Fabrikam', fields: { company: 'X' } }),
          rec('c2', { fields: { company: 'Y' } }),
        ],
        [
          item('o1', { crmId: 'c1', fields: { companyName: 'Contoso' } }),
          item('o3', { tracked: true, fields: { companyName: 'Z' } }),
        ],
        [],
        { mappings: [COMPANY_MAPPING] },
      );
      expect(p.operations).toEqual([]);
    });

    test("§2.4 company: the rule is for contacts only (an appointment's companyName mapping applies)", () => {
      const p = world(
        [rec('a1', { parentAccountName: 'Fabrikam', fields: { company: 'X' } })],
        [item('o1', { crmId: 'a1', fields: { companyName: 'Y' } })],
        [],
        { entity: 'appointment', settings: on, mappings: [COMPANY_MAPPING] },
      );
      expect(p.operations.map((o) => [o.op, o.fields])).toEqual([['updateOutlook', { companyName: 'X' }]]);
    });
  });
});

describe('synchronization.md §2.5 order and the next run', () => {
  test('§2.5: by kind, then crmId, then itemId (ordinal, null first)', () => {
    const p = world(
      [
        rec('c5', { fields: { firstname: 'E' } }),
        rec('c4', { fields: { firstname: 'D' } }),
        rec('c3', { active: false }),
        rec('c2', { fields: { firstname: 'B' } }),
        rec('c9', { fields: { firstname: 'X', emailaddress1: 'x@x.com' } }),
      ],
      [
        item('o7', { tracked: true, fields: { givenName: 'N' } }),
        item('o6', { tracked: true, fields: { givenName: 'M' } }),
        item('o5', { tracked: true, emails: ['x@x.com'] }),
        item('o3', { crmId: 'c3' }),
        item('o2', { crmId: 'c2', fields: { givenName: 'Bee' } }),
        item('o1', { crmId: 'c1', deleted: true }),
      ],
      [pair('c2', 'o2', { firstname: 'B' }, { givenName: 'B' })],
    );
    expect(ops(p)).toEqual([
      'unlink c1 o1 OutlookDeleted',
      'unlink c3 o3 CrmDeleted',
      'link c9 o5 DuplicateFound',
      'updateCrm c2 o2',
      'updateOutlook c9 o5',
      'createCrm - o6',
      'createCrm - o7',
      'createOutlook c4 -',
      'createOutlook c5 -',
    ]);
  });

  test.each<[Json, number | null]>([
    [{}, 15],
    [{ user: { outlooksyncinterval: 60 } }, 60],
    [{ user: { outlooksyncinterval: 5 } }, 15],
    [{ user: { outlooksyncinterval: 5 }, organization: { minoutlooksyncinterval: 30 } }, 30],
    [{ organization: { allowoutlookscheduledsyncs: false } }, null],
  ])(
    '§2.5: next.inMinutes is max(outlooksyncinterval, minoutlooksyncinterval) when scheduling is allowed, else null: %p',
    (settings, inMinutes) => {
      expect(plan({ settings }).next).toEqual({ inMinutes });
    },
  );
});
