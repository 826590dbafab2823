/** synchronization.md §3: the `explain` command's action `sync`, through the built command. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { baseCase, merge, type Json } from '../../support/cases';

// Each test starts the built command (a process each, on a machine that may be busy).
jest.setTimeout(30_000);

const root = path.resolve(__dirname, '../../..');
const bin = path.join(root, 'bin', 'track-in-crm.cjs');
const run = (input: string) =>
  spawnSync(process.execPath, [bin, 'explain'], { input, encoding: 'utf8', cwd: root });

/** The case of §3, as printed there. */
const SPEC_EXAMPLE: Json = {
  action: 'sync',
  entity: 'contact',
  now: '2026-01-10T09:00:00Z',
  trigger: 'scheduled',
  settings: { organization: {}, user: {}, client: {} },
  mappings: [{ crm: 'firstname', outlook: 'givenName', direction: 'both' }],
  crm: {
    records: [
      {
        id: 'c1',
        inScope: true,
        active: true,
        createdOn: '2020-01-01T00:00:00Z',
        modifiedOn: '2026-01-09T00:00:00Z',
        fields: { firstname: 'Ann', emailaddress1: 'ann@fabrikam.com' },
        parentAccountName: null,
      },
    ],
  },
  outlook: {
    items: [
      {
        itemId: 'o1',
        crmId: 'c1',
        tracked: true,
        deleted: false,
        modifiedAt: '2026-01-09T12:00:00Z',
        fields: { givenName: 'Anne' },
        emails: ['ann@fabrikam.com'],
      },
    ],
  },
  state: {
    pairs: [{ crmId: 'c1', itemId: 'o1', crm: { firstname: 'Ann' }, outlook: { givenName: 'Ann' } }],
    excluded: [],
  },
};
/** The output of §3, as printed there. */
const SPEC_OUTPUT = {
  run: true,
  reason: 'Ran',
  operations: [
    {
      op: 'updateCrm',
      crmId: 'c1',
      itemId: 'o1',
      fields: { firstname: 'Anne' },
      conflicts: [],
      reason: null,
    },
  ],
  exclude: [],
  next: { inMinutes: 15 },
};

const example = (patch: Json = {}): Json => merge(SPEC_EXAMPLE, patch);
const without = (...names: string[]): Json => {
  const copy = { ...SPEC_EXAMPLE };
  for (const name of names) delete copy[name];
  return copy;
};
const line = (value: Json): string => JSON.stringify(value);

describe('synchronization.md §3 explain action sync', () => {
  test('§3: the example case gives the output shown there, with exactly its fields in its order', () => {
    const result = run(line(example()));
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const plan = JSON.parse(lines[0] as string);
    expect(plan).toEqual(SPEC_OUTPUT);
    expect(Object.keys(plan)).toEqual(['run', 'reason', 'operations', 'exclude', 'next']);
    expect(Object.keys(plan.operations[0])).toEqual([
      'op',
      'crmId',
      'itemId',
      'fields',
      'conflicts',
      'reason',
    ]);
    // The same line, byte for byte, as the spec's output written compactly.
    expect(lines[0]).toBe(JSON.stringify(SPEC_OUTPUT));
  });

  test('§3: the example pretty-printed over several lines is one case', () => {
    const result = run(JSON.stringify(example(), null, 2));
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(SPEC_OUTPUT);
  });

  test('§3: syncWithOutlook and isSyncClient are read from settings.user', () => {
    const off = run(line(example({ settings: { user: { syncWithOutlook: false } } })));
    expect(JSON.parse(off.stdout)).toEqual({
      run: false,
      reason: 'SyncOff',
      operations: [],
      exclude: [],
      next: { inMinutes: 15 },
    });
    const other = run(line(example({ settings: { user: { isSyncClient: false } } })));
    expect(JSON.parse(other.stdout).reason).toBe('NotSyncClient');
  });

  test('§3: a missing mappings means none (the runner supplies the defaults, not the planner)', () => {
    const result = run(line(without('mappings')));
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).operations).toEqual([]);
  });

  test("§3: a direction may be given as Dataverse's number (3 is both)", () => {
    const result = run(
      line(example({ mappings: [{ crm: 'firstname', outlook: 'givenName', direction: 3 }] })),
    );
    expect(JSON.parse(result.stdout)).toEqual(SPEC_OUTPUT);
  });

  test('§3: a missing state means no pairs and nothing excluded', () => {
    // No baseline: both set and different, so the CRM's value goes to Outlook.
    const result = run(line(without('state')));
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).operations).toEqual([
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

  test('§3: a deleted item is listed with deleted true: unlink, and its record excluded', () => {
    const result = run(
      line(example({ outlook: { items: [{ itemId: 'o1', crmId: 'c1', deleted: true, fields: {} }] } })),
    );
    expect(JSON.parse(result.stdout)).toMatchObject({
      operations: [
        { op: 'unlink', crmId: 'c1', itemId: 'o1', fields: {}, conflicts: [], reason: 'OutlookDeleted' },
      ],
      exclude: ['c1'],
    });
  });

  test.each<[string, Json, string]>([
    ['entity missing', without('entity'), 'field entity: missing'],
    ['trigger missing', without('trigger'), 'field trigger: missing'],
    ['crm missing', without('crm'), 'field crm: missing'],
    ['outlook missing', without('outlook'), 'field outlook: missing'],
    [
      'an unknown entity',
      example({ entity: 'account' }),
      'field entity: expected "contact" or "appointment" or "task"',
    ],
    ['an unknown trigger', example({ trigger: 'hourly' }), 'field trigger: expected "scheduled" or "manual"'],
    [
      'a direction out of range',
      example({ mappings: [{ crm: 'firstname', outlook: 'givenName', direction: 4 }] }),
      'field mappings[0].direction: expected "none" or "toOutlook" or "toCrm" or "both", or its number 0–3, got number 4',
    ],
    [
      'a mapping without its outlook name',
      example({ mappings: [{ crm: 'firstname', direction: 'both' }] }),
      'field mappings[0].outlook: missing',
    ],
    [
      'a record without id',
      example({ crm: { records: [{ inScope: true }] } }),
      'field crm.records[0].id: missing',
    ],
    [
      'a boolean of the wrong type',
      example({ outlook: { items: [{ itemId: 'o1', deleted: 'yes' }] } }),
      'field outlook.items[0].deleted: expected true or false, got string "yes"',
    ],
    [
      'a time that is not ISO 8601',
      example({ outlook: { items: [{ itemId: 'o1', modifiedAt: 'yesterday' }] } }),
      'field outlook.items[0].modifiedAt: expected an ISO 8601 instant',
    ],
    [
      'fields that are not an object',
      example({ crm: { records: [{ id: 'c1', fields: ['Ann'] }] } }),
      'field crm.records[0].fields: expected an object, got an array',
    ],
    [
      'a second item of one itemId',
      example({ outlook: { items: [{ itemId: 'o1' }, { itemId: 'o1' }] } }),
      'field outlook.items[1].itemId: "o1" is also the id of outlook.items[0].itemId',
    ],
    [
      'an excluded id that is not a string',
      example({ state: { excluded: [7] } }),
      'field state.excluded[0]: expected a string, got number 7',
    ],
    [
      'a setting of the wrong type',
      example({ settings: { user: { isSyncClient: 'no' } } }),
      'field settings.user.isSyncClient: expected true or false (a JSON boolean), got "no"',
    ],
  ])(
    '§3 / tracking.md §6: %s is malformed input: exit 2, the line and the field named, nothing printed',
    (_n, value, message) => {
      const result = run(line(value));
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`track-in-crm explain: line 1: ${message}`);
    },
  );

  test('tracking.md §6: a malformed sync line does not stop the other lines, of any action', () => {
    const input = [line(example()), line(without('outlook')), JSON.stringify(baseCase())].join('\n');
    const result = run(input);
    expect(result.status).toBe(2);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0] as string)).toEqual(SPEC_OUTPUT);
    expect(JSON.parse(lines[1] as string)).toHaveProperty('track');
    expect(result.stderr.trim().split('\n')).toEqual([
      'track-in-crm explain: line 2: field outlook: missing',
    ]);
  });

  test('§3: an unknown setting is ignored, not malformed', () => {
    const result = run(line(example({ settings: { user: { noSuchSetting: 1 } } })));
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(SPEC_OUTPUT);
  });
});
