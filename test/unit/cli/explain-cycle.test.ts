/** background-check.md §2: the `explain` command's action `cycle`, through the built command. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { baseCase, contact, merge, type Json } from '../../support/cases';

// Each test starts the built command (a process each, on a machine that may be busy).
jest.setTimeout(30_000);

const root = path.resolve(__dirname, '../../..');
const bin = path.join(root, 'bin', 'track-in-crm.cjs');
const run = (input: string) =>
  spawnSync(process.execPath, [bin, 'explain'], { input, encoding: 'utf8', cwd: root });

/** The case of §2, as printed there. */
const SPEC_EXAMPLE = {
  action: 'cycle',
  now: '2026-01-10T09:00:00Z',
  user: { id: 'u1', email: 'me@contoso.com', mailboxApproved: true },
  settings: { organization: {}, user: {}, client: {} },
  crm: { records: [], trackedEmails: [], folderMappings: [] },
  mailbox: {
    folders: [
      {
        name: 'inbox',
        items: [
          {
            itemId: 'i1',
            isDraft: false,
            categories: [],
            tag: null,
            email: {
              messageId: '<a@x>',
              subject: 'Hello',
              direction: 'incoming',
              folder: 'inbox',
              from: { address: 'ann@fabrikam.com' },
              to: [{ address: 'me@contoso.com' }],
              receivedAt: '2026-01-10T08:59:00Z',
            },
          },
        ],
      },
    ],
  },
  state: { seen: [], aggressiveCyclesLeft: 0 },
};
const example = (patch: Json = {}): string => JSON.stringify(merge(SPEC_EXAMPLE, patch));
const ITEM = SPEC_EXAMPLE.mailbox.folders[0]?.items[0] as Json;
const withItem = (patch: Json): string =>
  example({ mailbox: { folders: [{ name: 'inbox', items: [merge(ITEM, patch)] }] } });

describe('background-check.md §2 explain action cycle', () => {
  test('§2: the example case gives one line with exactly the fields of §2, in order', () => {
    const result = run(example());
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const plan = JSON.parse(lines[0] as string);
    expect(Object.keys(plan)).toEqual(['run', 'reason', 'actions', 'deferred', 'seen', 'next']);
    expect(Object.keys(plan.actions[0])).toEqual([
      'itemId',
      'messageId',
      'folder',
      'do',
      'reason',
      'code',
      'activityId',
      'decision',
    ]);
    expect(Object.keys(plan.next)).toEqual(['inMinutes', 'aggressiveCyclesLeft']);
    // With no CRM record for Ann and the default filtering method (1), nothing correlates: a skip.
    expect(plan).toMatchObject({
      run: true,
      reason: 'Ran',
      actions: [
        { itemId: 'i1', messageId: '<a@x>', folder: 'inbox', do: 'skip', reason: 'NoCorrelationMatch' },
      ],
      deferred: [],
      seen: [{ itemId: 'i1', changeKey: '' }],
      next: { inMinutes: 1, aggressiveCyclesLeft: 3 },
    });
  });

  test('§2: the example with Ann a contact and filtering method 2 gives the output shown there', () => {
    const result = run(
      example({
        settings: { user: { incomingemailfilteringmethod: 2 } },
        crm: { records: [contact('c1', ['ann@fabrikam.com'])] },
      }),
    );
    expect(result.status).toBe(0);
    const plan = JSON.parse(result.stdout);
    expect(plan).toEqual({
      run: true,
      reason: 'Ran',
      actions: [
        {
          itemId: 'i1',
          messageId: '<a@x>',
          folder: 'inbox',
          do: 'track',
          reason: 'SenderMatch',
          code: 5,
          activityId: null,
          decision: expect.objectContaining({ track: true, reason: 'SenderMatch', code: 5 }),
        },
      ],
      deferred: [],
      seen: [{ itemId: 'i1', changeKey: '' }],
      next: { inMinutes: 1, aggressiveCyclesLeft: 3 },
    });
    expect(Object.keys(plan.actions[0].decision)).toEqual([
      'track',
      'reason',
      'code',
      'existingActivityId',
      'correlation',
      'regarding',
      'sender',
      'senderCandidates',
      'parties',
      'create',
      'requiresRegarding',
      'trace',
    ]);
  });

  test('§2: missing state, seen, categories, tag, changeKey and isDraft mean empty, null, "" and false', () => {
    const bare = merge(SPEC_EXAMPLE, {}) as Record<string, unknown>;
    delete bare.state;
    const result = run(
      JSON.stringify({
        ...bare,
        mailbox: {
          folders: [
            {
              name: 'inbox',
              items: [
                {
                  itemId: 'i1',
                  email: { receivedAt: '2026-01-10T08:59:00Z', from: { address: 'ann@fabrikam.com' } },
                },
              ],
            },
          ],
        },
      }),
    );
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      actions: [{ itemId: 'i1', messageId: null, do: 'skip' }],
      seen: [{ itemId: 'i1', changeKey: '' }],
    });
  });

  test("§2: an item's folder is the folder it is listed under, whatever its email field says", () => {
    const result = run(withItem({ email: { folder: 'deleteditems' } }));
    expect(JSON.parse(result.stdout).actions[0]).toMatchObject({
      folder: 'inbox',
      reason: 'NoCorrelationMatch',
    });
  });

  test.each<[string, Json, string]>([
    [
      'backgroundLookbackDays 0',
      { backgroundLookbackDays: 0 },
      'backgroundLookbackDays: 0 is below the minimum 1; taken as 1',
    ],
    [
      'backgroundMaxItems 0',
      { backgroundMaxItems: 0 },
      'backgroundMaxItems: 0 is below the minimum 1; taken as 1',
    ],
    ['tagpollingperiod 0', { tagpollingperiod: 0 }, 'tagpollingperiod: 0 is below the minimum 1; taken as 1'],
    [
      'tagmaxaggressivecycles -1',
      { tagmaxaggressivecycles: -1 },
      'tagmaxaggressivecycles: -1 is below the minimum 0; taken as 0',
    ],
  ])(
    '§2: a whole number below its minimum (%s) is taken up to it, not malformed, and the trace says so',
    (_name, organization, note) => {
      const result = run(example({ settings: { organization } }));
      expect(result.status).toBe(0);
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout).actions[0].decision.trace).toContain(
        `settings: settings.organization.${note}`,
      );
    },
  );

  test('§2: an ISO 8601 date and time without an offset is read as UTC (chosen), wherever the command runs', () => {
    // Exactly at the two-day lookback limit only when read as UTC.
    const result = spawnSync(process.execPath, [bin, 'explain'], {
      input: withItem({ email: { receivedAt: '2026-01-08T09:00:00' } }),
      encoding: 'utf8',
      cwd: root,
      env: { ...process.env, TZ: 'Asia/Tokyo' },
    });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).seen).toEqual([{ itemId: 'i1', changeKey: '' }]);
  });

  test('§2: only in a cycle case: in an incoming case a setting below its minimum stays malformed (tracking.md §6)', () => {
    const result = run(
      JSON.stringify(merge(baseCase(), { settings: { organization: { tagpollingperiod: 0 } } })),
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /line 1: field settings\.organization\.tagpollingperiod: expected a whole number ≥ 1/,
    );
  });

  test('§2: a raised minimum is used: tagpollingperiod 0 with nothing to do → next in 1 minute', () => {
    const result = run(
      example({ settings: { organization: { tagpollingperiod: 0 } }, mailbox: { folders: [] } }),
    );
    expect(JSON.parse(result.stdout).next).toEqual({ inMinutes: 1, aggressiveCyclesLeft: 0 });
  });

  const good = example();
  test.each<[string, string, RegExp]>([
    ['no now', JSON.stringify({ ...SPEC_EXAMPLE, now: undefined }), /line 2: field now: missing/],
    ['now not an instant', example({ now: 'yesterday' }), /line 2: field now: expected an ISO 8601 instant/],
    ['no mailbox', JSON.stringify({ ...SPEC_EXAMPLE, mailbox: undefined }), /line 2: field mailbox: missing/],
    ['mailbox not an object', example({ mailbox: [] }), /line 2: field mailbox: expected an object/],
    [
      'folders not an array',
      example({ mailbox: { folders: {} } }),
      /line 2: field mailbox\.folders: expected an array/,
    ],
    [
      'a folder without a name',
      example({ mailbox: { folders: [{ items: [] }] } }),
      /line 2: field mailbox\.folders\[0\]\.name: missing/,
    ],
    [
      'an item without itemId',
      withItem({ itemId: undefined }),
      /line 2: field mailbox\.folders\[0\]\.items\[0\]\.itemId: missing/,
    ],
    [
      'an itemId not a string',
      withItem({ itemId: 7 }),
      /line 2: field mailbox\.folders\[0\]\.items\[0\]\.itemId: expected a string/,
    ],
    [
      'an item without email',
      example({ mailbox: { folders: [{ name: 'inbox', items: [{ itemId: 'i1' }] }] } }),
      /line 2: field mailbox\.folders\[0\]\.items\[0\]\.email: missing/,
    ],
    [
      'an email without receivedAt',
      withItem({ email: { receivedAt: undefined } }),
      /line 2: field mailbox\.folders\[0\]\.items\[0\]\.email\.receivedAt: missing/,
    ],
    [
      'a receivedAt that is not ISO 8601',
      withItem({ email: { receivedAt: 'Jan 10 2026 08:59' } }),
      /line 2: field mailbox\.folders\[0\]\.items\[0\]\.email\.receivedAt: expected an ISO 8601 instant/,
    ],
    [
      'a receivedAt that is not an instant',
      withItem({ email: { receivedAt: 'soon' } }),
      /line 2: field mailbox\.folders\[0\]\.items\[0\]\.email\.receivedAt: expected an ISO 8601 instant/,
    ],
    [
      'a wrong type in an item email',
      withItem({ email: { to: 'x' } }),
      /line 2: field mailbox\.folders\[0\]\.items\[0\]\.email\.to: expected an array/,
    ],
    [
      'categories not a list',
      withItem({ categories: 'Tracked to CRM' }),
      /line 2: field mailbox\.folders\[0\]\.items\[0\]\.categories: expected an array/,
    ],
    [
      'a tag without activityId',
      withItem({ tag: { regarding: null } }),
      /line 2: field mailbox\.folders\[0\]\.items\[0\]\.tag\.activityId: missing/,
    ],
    [
      'isDraft not a boolean',
      withItem({ isDraft: 'no' }),
      /line 2: field mailbox\.folders\[0\]\.items\[0\]\.isDraft: expected true or false/,
    ],
    [
      'changeKey not a string',
      withItem({ changeKey: 3 }),
      /line 2: field mailbox\.folders\[0\]\.items\[0\]\.changeKey: expected a string/,
    ],
    [
      'a seen entry that is a string',
      example({ state: { seen: ['i1'] } }),
      /line 2: field state\.seen\[0\]: expected an \{"itemId", "changeKey"\} object/,
    ],
    [
      'a seen entry that is a list',
      example({ state: { seen: [['i1', '']] } }),
      /line 2: field state\.seen\[0\]: expected an \{"itemId", "changeKey"\} object/,
    ],
    [
      'a seen entry without itemId',
      example({ state: { seen: [{ changeKey: 'k' }] } }),
      /line 2: field state\.seen\[0\]\.itemId: missing/,
    ],
    [
      'aggressiveCyclesLeft not whole',
      example({ state: { aggressiveCyclesLeft: 1.5 } }),
      /line 2: field state\.aggressiveCyclesLeft: expected a whole number/,
    ],
    [
      'backgroundMaxItems not whole',
      example({ settings: { organization: { backgroundMaxItems: 2.5 } } }),
      /line 2: field settings\.organization\.backgroundMaxItems: expected a whole number/,
    ],
    [
      'tagpollingperiod not a number',
      example({ settings: { organization: { tagpollingperiod: 'often' } } }),
      /line 2: field settings\.organization\.tagpollingperiod: expected a number/,
    ],
    [
      'a header block over its limit',
      withItem({ email: { headers: 'X: y\r\n'.repeat(200_000) } }),
      /line 2: field mailbox\.folders\[0\]\.items\[0\]\.email\.headers: /,
    ],
  ])(
    '§2: malformed input (%s): exit 2, the line and field named, the other lines still planned',
    (_name, bad, message) => {
      const result = run(`${good}\n${bad}\n${good}\n`);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      const lines = result.stdout.trim().split('\n');
      expect(lines).toHaveLength(2);
      for (const line of lines) expect(JSON.parse(line)).toMatchObject({ run: true, reason: 'Ran' });
    },
  );

  test('§2: cycle cases and decision cases mix in one input, each answered in its own shape', () => {
    const result = run(`${good}\n${JSON.stringify(baseCase())}\n`);
    expect(result.status).toBe(0);
    const [cycle, decision] = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(cycle).toHaveProperty('actions');
    expect(decision).toMatchObject({ track: false, reason: 'NoCorrelationMatch' });
  });

  test('§2: a cycle case needs no email; a decision case still does', () => {
    const noEmail = JSON.stringify({ ...baseCase(), email: undefined });
    const result = run(`${good}\n${noEmail}\n`);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/line 2: field email: missing/);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  });

  test('§2: a pretty-printed cycle case is one case', () => {
    const result = run(JSON.stringify(SPEC_EXAMPLE, null, 2));
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  });
});
