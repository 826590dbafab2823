/**
 * background-check.md §1: one cycle, rule by rule. Cases go through the `explain` cycle reader, so
 * every rule test also exercises what the command reads.
 */
import { readCycleCase } from '../../../src/cli/cycleInput';
import { cyclePlanToJson, explainCycle } from '../../../src/cli/explainCycle';
import { ANN, contact, merge, ME, orgDb, tracked, type DecisionJson, type Json } from '../../support/cases';

interface ActionJson {
  itemId: string;
  messageId: string | null;
  folder: string;
  do: 'track' | 'tag' | 'skip' | 'none';
  reason: string;
  code: number | null;
  activityId: string | null;
  decision: DecisionJson | null;
}
interface PlanJson {
  run: boolean;
  reason: string;
  actions: ActionJson[];
  deferred: string[];
  seen: { itemId: string; changeKey: string }[];
  next: { inMinutes: number; aggressiveCyclesLeft: number };
}

const NOW = '2026-01-10T09:00:00Z';
const minutesBefore = (minutes: number): string => new Date(Date.parse(NOW) - minutes * 60_000).toISOString();

/** An item in the Inbox: Ann (a contact) writes to me, a minute before NOW, answering nothing. */
function item(itemId: string, patch: Json = {}): Json {
  return merge(
    {
      itemId,
      isDraft: false,
      categories: [],
      tag: null,
      email: {
        messageId: `<${itemId}@fabrikam.com>`,
        subject: `Quote ${itemId}`,
        direction: 'incoming',
        folder: 'inbox',
        from: ANN,
        to: [{ address: ME.address }],
        receivedAt: minutesBefore(1),
      },
    },
    patch,
  );
}

const inbox = (...items: Json[]): Json => ({ folders: [{ name: 'inbox', items }] });

function cycleCase(patch: Json = {}): Json {
  return merge(
    {
      action: 'cycle',
      now: NOW,
      user: { id: 'u1', email: ME.address, mailboxApproved: true },
      settings: { organization: {}, user: {}, client: {} },
      crm: { records: [contact('c1', [ANN.address])], trackedEmails: [], folderMappings: [] },
      mailbox: inbox(item('i1')),
      state: { seen: [], aggressiveCyclesLeft: 0 },
    },
    patch,
  );
}

function plan(patch: Json = {}): PlanJson {
  const value = cycleCase(patch) as Record<string, unknown>;
  return cyclePlanToJson(explainCycle(readCycleCase(value))) as unknown as PlanJson;
}

const settings = (organization: Json = {}, client: Json = {}, user: Json = {}): Json => ({
  settings: { organization, client, user },
});
/** Every email is tracked (filtering method 0, AcceptAll): the §1.3 step 4 path. */
const TRACK_ALL = { user: { incomingemailfilteringmethod: 0 } };
const ids = (p: PlanJson): string[] => p.actions.map((a) => a.itemId);

describe('background-check.md §1.1 whether the cycle runs', () => {
  test('§1.1: with tracking on the cycle runs, reason Ran', () => {
    const p = plan();
    expect(p).toMatchObject({ run: true, reason: 'Ran' });
    expect(ids(p)).toEqual(['i1']);
  });

  test.each<[string, Json, string]>([
    ['promoteIncomingEmail false', settings({ promoteIncomingEmail: false }), 'PromotionDisabled'],
    ['backgroundTrackEmail false', settings({}, { backgroundTrackEmail: false }), 'BackgroundTrackOff'],
    [
      'requireapprovalforuseremail and the mailbox not approved',
      merge(settings({ requireapprovalforuseremail: true }), { user: { mailboxApproved: false } }),
      'MailboxNotApproved',
    ],
    [
      'promotion and background track both off: the first that fails',
      settings({ promoteIncomingEmail: false }, { backgroundTrackEmail: false }),
      'PromotionDisabled',
    ],
    [
      'background track off and the mailbox not approved: the first that fails',
      merge(settings({ requireapprovalforuseremail: true }, { backgroundTrackEmail: false }), {
        user: { mailboxApproved: false },
      }),
      'BackgroundTrackOff',
    ],
  ])(
    '§1.1: tracking off (%s) and automaticEmailTagging false: run false, that reason, nothing listed',
    (_name, patch, reason) => {
      const p = plan(merge(patch, { settings: { client: { automaticEmailTagging: false } } }));
      expect(p).toEqual({
        run: false,
        reason,
        actions: [],
        deferred: [],
        seen: [],
        next: { inMinutes: 10, aggressiveCyclesLeft: 0 },
      });
    },
  );

  test('§1.1: requireapprovalforuseremail with the mailbox approved: tracking is on', () => {
    expect(plan(settings({ requireapprovalforuseremail: true }))).toMatchObject({ run: true, reason: 'Ran' });
  });

  test('§1.1: tracking off but automaticEmailTagging on: the cycle runs, items are decided by §2.1 steps 2–3', () => {
    const p = plan(settings({ promoteIncomingEmail: false }));
    expect(p).toMatchObject({ run: true, reason: 'Ran' });
    expect(p.actions[0]).toMatchObject({ do: 'skip', reason: 'PromotionDisabled', code: null });
  });

  test('§1.1: tagging only: nothing is tracked, but items already in the CRM are still tagged', () => {
    const p = plan(
      merge(settings({}, { backgroundTrackEmail: false }), {
        crm: { trackedEmails: [tracked('e1', { messageId: '<i2@fabrikam.com>' })] },
        mailbox: inbox(item('i1'), item('i2')),
      }),
    );
    expect(p.actions.map((a) => [a.itemId, a.do, a.reason, a.activityId])).toEqual([
      ['i1', 'skip', 'BackgroundTrackOff', null],
      ['i2', 'tag', 'Duplicate', 'e1'],
    ]);
  });

  test('§1.1: tagging only: §1.3 step 5 does not apply to a categorized item', () => {
    const p = plan(
      merge(settings({}, { backgroundTrackEmail: false }), {
        mailbox: inbox(item('i1', { categories: ['Tracked to CRM'] })),
      }),
    );
    expect(p.actions[0]).toMatchObject({ do: 'skip', reason: 'BackgroundTrackOff' });
  });
});

describe('background-check.md §1.2 which items are looked at', () => {
  const folder = (name: string, itemId: string, direction = 'incoming'): Json => ({
    name,
    items: [item(itemId, { email: { direction } })],
  });
  const mailbox = {
    folders: [
      folder('inbox', 'in'),
      folder('sentitems', 'sent', 'outgoing'),
      folder('Inbox/Projects/Fabrikam', 'mapped'),
      folder('deleteditems', 'deleted'),
      folder('junkemail', 'junk'),
      folder('Inbox/Other', 'other'),
    ],
  };
  const mapping = { folder: ' inbox/projects/FABRIKAM ', regarding: { type: 'account', id: 'a1' } };

  test.each<[string, Json, string[]]>([
    ['only inbox by default', {}, ['in']],
    [
      'sentitems with AutoTrackSentFolderItems',
      settings({ orgdborgsettings: orgDb({ AutoTrackSentFolderItems: true }) }),
      ['in', 'sent'],
    ],
    [
      'a mapped folder only with isfolderbasedtrackingenabled (off)',
      { crm: { folderMappings: [mapping] } },
      ['in'],
    ],
    [
      'a mapped folder with isfolderbasedtrackingenabled, its path compared trimmed and case-insensitively',
      merge(settings({ isfolderbasedtrackingenabled: true }), { crm: { folderMappings: [mapping] } }),
      ['in', 'mapped'],
    ],
  ])('§1.2 step 1: folders looked at: %s', (_name, patch, expected) => {
    const p = plan(merge({ mailbox }, patch));
    expect(ids(p).sort()).toEqual([...expected].sort());
  });

  test('§1.2 step 1: a well-known name is compared trimmed and case-insensitively', () => {
    const p = plan({ mailbox: { folders: [{ name: ' INBOX ', items: [item('i1')] }] } });
    expect(p.actions[0]).toMatchObject({
      itemId: 'i1',
      folder: ' INBOX ',
      do: 'skip',
      reason: 'NoCorrelationMatch',
    });
  });

  test('§1.2 step 1: an item is decided with the folder it is listed under, whatever its email says', () => {
    const p = plan(
      merge(settings({ isfolderbasedtrackingenabled: true }), {
        crm: { folderMappings: [mapping] },
        mailbox: {
          folders: [{ name: 'Inbox/Projects/Fabrikam', items: [item('i1', { email: { folder: 'inbox' } })] }],
        },
      }),
    );
    expect(p.actions[0]).toMatchObject({
      folder: 'Inbox/Projects/Fabrikam',
      do: 'track',
      reason: 'FolderMatch',
    });
    expect(p.actions[0]?.decision?.regarding).toEqual({ type: 'account', id: 'a1' });
  });

  test('§1.2 step 2: drafts are not looked at', () => {
    const p = plan({ mailbox: inbox(item('d1', { isDraft: true }), item('i1')) });
    expect(ids(p)).toEqual(['i1']);
    expect(p.deferred).toEqual([]);
  });

  test.each<[string, Json, Json, boolean]>([
    [
      'the same itemId and changeKey: not looked at',
      { changeKey: 'v1' },
      { itemId: 'i1', changeKey: 'v1' },
      false,
    ],
    [
      'a new changeKey (categorized since): looked at again',
      { changeKey: 'v2' },
      { itemId: 'i1', changeKey: 'v1' },
      true,
    ],
    ['another itemId: looked at', { changeKey: 'v1' }, { itemId: 'i9', changeKey: 'v1' }, true],
    ['a missing changeKey is the empty string', {}, { itemId: 'i1', changeKey: '' }, false],
    ['a missing changeKey in the state is the empty string too', {}, { itemId: 'i1' }, false],
  ])('§1.2 step 3: items already seen: %s', (_name, itemPatch, seen, lookedAt) => {
    const p = plan({ mailbox: inbox(item('i1', itemPatch)), state: { seen: [seen] } });
    expect(ids(p)).toEqual(lookedAt ? ['i1'] : []);
  });

  const DAY = 24 * 60;
  test.each<[string, Json, number, boolean]>([
    ['an item received exactly at the limit (default 2 days) is looked at', {}, 2 * DAY, true],
    ['an item received a minute before the limit is not', {}, 2 * DAY + 1, false],
    ['backgroundLookbackDays 5: 4 days back is looked at', { backgroundLookbackDays: 5 }, 4 * DAY, true],
    ['backgroundLookbackDays 5: 6 days back is not', { backgroundLookbackDays: 5 }, 6 * DAY, false],
    ['read as the env var tic_backgroundLookbackDays too', { tic_backgroundLookbackDays: 5 }, 4 * DAY, true],
    [
      'backgroundLookbackDays 0 is taken as 1: a day back is looked at',
      { backgroundLookbackDays: 0 },
      DAY,
      true,
    ],
    [
      'backgroundLookbackDays 0 is taken as 1: a day and a minute back is not',
      { backgroundLookbackDays: 0 },
      DAY + 1,
      false,
    ],
    ['an item received after now is looked at', {}, -5, true],
  ])('§1.2 step 4: %s', (_name, organization, minutes, lookedAt) => {
    const p = plan(
      merge(settings(organization), {
        mailbox: inbox(item('i1', { email: { receivedAt: minutesBefore(minutes) } })),
      }),
    );
    expect(ids(p)).toEqual(lookedAt ? ['i1'] : []);
  });

  test('§1.2 steps 4–5: the email.receivedAt is used, never a Date header', () => {
    const headers = 'Message-ID: <h@x>\r\nDate: Sat, 10 Jan 2026 08:59:00 +0000\r\nSubject: Hi\r\n';
    const old = item('old', { email: { headers, receivedAt: minutesBefore(3 * 24 * 60) } });
    const early = item('b', {
      email: { headers: headers.replace('<h@x>', '<b@x>'), receivedAt: minutesBefore(30) },
    });
    const late = item('a', { email: { receivedAt: minutesBefore(20) } });
    const p = plan({ mailbox: inbox(late, old, early) });
    expect(ids(p)).toEqual(['b', 'a']);
  });

  test('§1.2 step 5: oldest first by receivedAt compared as instants (offsets honoured)', () => {
    const p = plan({
      mailbox: inbox(
        item('z', { email: { receivedAt: '2026-01-10T08:30:00Z' } }),
        item('y', { email: { receivedAt: '2026-01-10T10:00:00+02:00' } }), // 08:00Z
        item('x', { email: { receivedAt: '2026-01-10T08:45:00.000Z' } }),
      ),
    });
    expect(ids(p)).toEqual(['y', 'z', 'x']);
  });

  test('§1.2 step 5: ties by itemId in ascending ordinal order (upper case before lower case)', () => {
    const at = { email: { receivedAt: '2026-01-10T08:00:00Z' } };
    const p = plan({ mailbox: inbox(item('b', at), item('a', at), item('B', at), item('a1', at)) });
    expect(ids(p)).toEqual(['B', 'a', 'a1', 'b']);
    expect(p.seen.map((s) => s.itemId)).toEqual(['B', 'a', 'a1', 'b']);
  });

  test('§1.2 step 5: at most backgroundMaxItems (default 100) get an action; the others are deferred in order', () => {
    const items = Array.from({ length: 103 }, (_, i) =>
      item(`i${String(i).padStart(3, '0')}`, { email: { receivedAt: minutesBefore(200 - i) } }),
    );
    const p = plan({ mailbox: inbox(...items.reverse()) });
    expect(p.actions).toHaveLength(100);
    expect(p.deferred).toEqual(['i100', 'i101', 'i102']);
  });

  test.each<[string, Json, string[], string[]]>([
    ['backgroundMaxItems 2', { backgroundMaxItems: 2 }, ['a', 'b'], ['c', 'd']],
    ['backgroundMaxItems 0 is taken as 1', { backgroundMaxItems: 0 }, ['a'], ['b', 'c', 'd']],
    ['backgroundMaxItems -3 is taken as 1', { backgroundMaxItems: -3 }, ['a'], ['b', 'c', 'd']],
  ])('§1.2 step 5: %s', (_name, organization, actions, deferred) => {
    const items = ['d', 'c', 'b', 'a'].map((id, i) =>
      item(id, { email: { receivedAt: minutesBefore(i + 1) } }),
    );
    const p = plan(merge(settings(organization), { mailbox: inbox(...items) }));
    expect(ids(p)).toEqual(actions);
    expect(p.deferred).toEqual(deferred);
  });
});

describe('background-check.md §1.3 what is done with each item', () => {
  const TAG = { activityId: 'e1', regarding: { type: 'opportunity', id: 'o1' } };
  const inCrm = { crm: { trackedEmails: [tracked('e1', { messageId: '<i1@fabrikam.com>' })] } };

  test("§1.3 step 1: the tag and the category → none, AlreadyTagged, the tag's activity, no decision", () => {
    const p = plan({ mailbox: inbox(item('i1', { tag: TAG, categories: ['Tracked to CRM'] })) });
    expect(p.actions).toEqual([
      {
        itemId: 'i1',
        messageId: '<i1@fabrikam.com>',
        folder: 'inbox',
        do: 'none',
        reason: 'AlreadyTagged',
        code: null,
        activityId: 'e1',
        decision: null,
      },
    ]);
  });

  test.each<[string, Json, string]>([
    [
      'the category in another case is the category',
      { tag: TAG, categories: ['tracked to crm'] },
      'AlreadyTagged',
    ],
    [
      '"Tracked to CRM (Undeliverable)" is another category',
      { tag: TAG, categories: ['Tracked to CRM (Undeliverable)'] },
      'NoCorrelationMatch',
    ],
    ['the category without the tag', { categories: ['Tracked to CRM'] }, 'ManualTrack'],
    [
      'a tag with an empty activityId is no tag',
      { tag: { activityId: '' }, categories: ['Tracked to CRM'] },
      'ManualTrack',
    ],
    ['the tag without the category', { tag: TAG }, 'NoCorrelationMatch'],
  ])('§1.3 step 1: %s', (_name, itemPatch, reason) => {
    expect(plan({ mailbox: inbox(item('i1', itemPatch)) }).actions[0]?.reason).toBe(reason);
  });

  test('§1.3 steps 2–3: a Duplicate is tagged with the existing activity when automaticEmailTagging', () => {
    const action = plan(inCrm).actions[0];
    expect(action).toMatchObject({ do: 'tag', reason: 'Duplicate', code: 0, activityId: 'e1' });
    expect(action?.decision).toMatchObject({ track: false, reason: 'Duplicate', existingActivityId: 'e1' });
  });

  test('§1.3 step 3: a Duplicate without automaticEmailTagging → none, activityId null, reason stays Duplicate', () => {
    const action = plan(merge(inCrm, settings({}, { automaticEmailTagging: false }))).actions[0];
    expect(action).toMatchObject({ do: 'none', reason: 'Duplicate', code: 0, activityId: null });
    expect(action?.decision?.reason).toBe('Duplicate');
  });

  test('§1.3 step 3: a Duplicate with the tag but not the category is tagged again', () => {
    const action = plan(merge(inCrm, { mailbox: inbox(item('i1', { tag: TAG })) })).actions[0];
    expect(action).toMatchObject({ do: 'tag', activityId: 'e1' });
  });

  test.each<[string, Json, string, number | null]>([
    ['filtering method 0', TRACK_ALL, 'AcceptAll', 6],
    [
      'filtering method 2, the sender a contact',
      { user: { incomingemailfilteringmethod: 2 } },
      'SenderMatch',
      5,
    ],
  ])('§1.3 step 4: the decision tracks (%s) → track', (_name, sections, reason, code) => {
    const action = plan({ settings: sections }).actions[0];
    expect(action).toMatchObject({ do: 'track', reason, code, activityId: null });
    expect(action?.decision).toMatchObject({ track: true, reason, code });
  });

  test.each<[string, Json, string, string, number | null]>([
    ['TrackCategorizedItems (default true): decided as track', {}, 'track', 'ManualTrack', null],
    [
      'OverrideTrackInCrmBehaviour 1 and no regarding chosen',
      settings({ orgdborgsettings: orgDb({ OverrideTrackInCrmBehaviour: 1 }) }),
      'skip',
      'RegardingRequired',
      null,
    ],
    [
      'TrackCategorizedItems false: step 6',
      settings({ orgdborgsettings: orgDb({ TrackCategorizedItems: false }) }),
      'skip',
      'NoCorrelationMatch',
      1,
    ],
  ])('§1.3 step 5: a categorized item not tracked by §2.1, %s', (_name, patch, what, reason, code) => {
    const p = plan(merge(patch, { mailbox: inbox(item('i1', { categories: ['Tracked to CRM'] })) }));
    expect(p.actions[0]).toMatchObject({ do: what, reason, code, activityId: null });
    expect(p.actions[0]?.decision?.reason).toBe(reason);
  });

  test('§1.3 step 5: the track decision carries requiresRegarding when a regarding is required', () => {
    const p = plan(
      merge(settings({ orgdborgsettings: orgDb({ OverrideTrackInCrmBehaviour: 1 }) }), {
        mailbox: inbox(item('i1', { categories: ['Tracked to CRM'] })),
      }),
    );
    expect(p.actions[0]?.decision?.requiresRegarding).toBe(true);
  });

  test('§1.3 step 6: otherwise skip, with the §2.1 decision', () => {
    const action = plan().actions[0];
    expect(action).toMatchObject({ do: 'skip', reason: 'NoCorrelationMatch', code: 1, activityId: null });
    expect(action?.decision).toMatchObject({ track: false, reason: 'NoCorrelationMatch' });
  });

  test("§1.3: an action's messageId is read as §6 reads it: a raw header block wins", () => {
    const headers = 'Message-ID: <from-headers@x>\r\nSubject: Hi\r\n';
    const action = plan({ mailbox: inbox(item('i1', { email: { headers } })) }).actions[0];
    expect(action?.messageId).toBe('<from-headers@x>');
    expect(action?.decision?.trace[0]).toMatch(/^headers: read /);
  });

  test('§1.3: the action fields come in the order of §2', () => {
    expect(Object.keys(plan().actions[0] ?? {})).toEqual([
      'itemId',
      'messageId',
      'folder',
      'do',
      'reason',
      'code',
      'activityId',
      'decision',
    ]);
  });
});

describe('background-check.md §1.4 items earlier in the same cycle count', () => {
  const at = (minutes: number): Json => ({ email: { receivedAt: minutesBefore(minutes) } });

  test('§1.4: a later item with the same Message-ID is a Duplicate of the earlier track, tagged pending:<itemId>', () => {
    const p = plan({
      settings: TRACK_ALL,
      mailbox: inbox(
        item('i1', at(5)),
        item('i2', merge(at(4), { email: { messageId: ' <i1@fabrikam.com> ' } })),
      ),
    });
    expect(p.actions.map((a) => [a.itemId, a.do, a.reason, a.activityId])).toEqual([
      ['i1', 'track', 'AcceptAll', null],
      ['i2', 'tag', 'Duplicate', 'pending:i1'],
    ]);
  });

  test('§1.4: a later reply correlates to the earlier track (In-Reply-To) and inherits its regarding', () => {
    const p = plan(
      merge(settings({ isfolderbasedtrackingenabled: true }), {
        crm: { folderMappings: [{ folder: 'Projects', regarding: { type: 'account', id: 'a1' } }] },
        mailbox: {
          folders: [
            { name: 'Projects', items: [item('i1', at(5))] },
            {
              name: 'inbox',
              items: [item('i2', merge(at(4), { email: { inReplyTo: '<i1@fabrikam.com>' } }))],
            },
          ],
        },
      }),
    );
    expect(p.actions[1]).toMatchObject({ itemId: 'i2', do: 'track', reason: 'CorrelationMatch', code: 2 });
    expect(p.actions[1]?.decision).toMatchObject({
      correlation: { method: 'InReplyTo', activityId: 'pending:i1' },
      regarding: { type: 'account', id: 'a1' },
    });
  });

  test('§1.4: the tracked email carries the first token as the configured prefix and its digits', () => {
    const p = plan({
      mailbox: inbox(
        item(
          'i1',
          merge(at(5), {
            categories: ['Tracked to CRM'],
            email: { subject: 'Quote crm:0001234 and CRM:0009999' },
          }),
        ),
        item('i2', merge(at(4), { email: { subject: 'Re: CRM:0001234' } })),
      ),
    });
    expect(p.actions[1]?.decision?.correlation).toEqual({
      method: 'TrackingToken',
      activityId: 'pending:i1',
    });
  });

  test('§1.4: with useTrackingToken off the tracked email has no token', () => {
    const p = plan(
      merge(settings({ useTrackingToken: false }), {
        mailbox: inbox(
          item(
            'i1',
            merge(at(5), { categories: ['Tracked to CRM'], email: { subject: 'Quote CRM:0001234' } }),
          ),
          item('i2', merge(at(4), { email: { subject: 'Re: CRM:0001234' } })),
        ),
      }),
    );
    expect(p.actions[1]).toMatchObject({ do: 'skip', reason: 'NoCorrelationMatch' });
  });

  test('§1.4: a later email sharing the subject words and addresses matches the earlier track by smart matching', () => {
    const p = plan(
      merge(settings({ enablesmartmatching: true }), {
        mailbox: inbox(
          item('i1', merge(at(5), { categories: ['Tracked to CRM'], email: { subject: 'Budget review' } })),
          item('i2', merge(at(4), { email: { subject: 'RE: Budget review' } })),
        ),
      }),
    );
    expect(p.actions[1]?.decision?.correlation).toEqual({
      method: 'SmartMatching',
      activityId: 'pending:i1',
    });
  });

  test('§1.4: a record created from a sender is in the CRM as new:<address lower-cased>; a later item resolves to it and creates nothing', () => {
    const stranger = { address: 'Bob.Stone@Example.com', name: 'Bob Stone' };
    const p = plan({
      settings: { user: { incomingemailfilteringmethod: 0, autocreatecontactonpromote: 1 } },
      crm: { records: [] },
      mailbox: inbox(
        item('i1', merge(at(5), { email: { from: stranger } })),
        item('i2', merge(at(4), { email: { from: stranger } })),
      ),
    });
    expect(p.actions[0]?.decision?.create).toEqual([
      { type: 'contact', address: 'Bob.Stone@Example.com', firstname: 'Bob', lastname: 'Stone' },
    ]);
    expect(p.actions[1]?.decision).toMatchObject({
      create: [],
      sender: { type: 'contact', id: 'new:bob.stone@example.com' },
    });
  });

  test('§1.4: a record created from a sender is also a recipient match for later items', () => {
    const stranger = { address: 'bob@example.com', name: null };
    const p = plan({
      settings: { user: { incomingemailfilteringmethod: 0, autocreatecontactonpromote: 2 } },
      crm: { records: [] },
      mailbox: inbox(
        item('i1', merge(at(5), { email: { from: stranger } })),
        item('i2', merge(at(4), { email: { cc: [{ address: 'BOB@example.com' }] } })),
      ),
    });
    expect(p.actions[1]?.decision?.parties).toContainEqual({
      role: 'cc',
      address: 'BOB@example.com',
      records: [{ type: 'lead', id: 'new:bob@example.com' }],
    });
  });

  test('§1.4: only a track counts: an item skipped leaves the CRM as it was', () => {
    const p = plan({
      mailbox: inbox(
        item('i1', at(5)),
        item('i2', merge(at(4), { email: { messageId: '<i1@fabrikam.com>' } })),
      ),
    });
    expect(p.actions.map((a) => a.reason)).toEqual(['NoCorrelationMatch', 'NoCorrelationMatch']);
  });
});

describe('background-check.md §1.5 when the next cycle runs', () => {
  const ALREADY_TAGGED = inbox(
    item('i1', { tag: { activityId: 'e1', regarding: null }, categories: ['Tracked to CRM'] }),
  );

  test.each<[string, Json, { inMinutes: number; aggressiveCyclesLeft: number }]>([
    [
      'the cycle did not run → P minutes, aggressiveCyclesLeft 0',
      merge(
        settings({ promoteIncomingEmail: false, tagpollingperiod: 7 }, { automaticEmailTagging: false }),
        {
          state: { aggressiveCyclesLeft: 2 },
        },
      ),
      { inMinutes: 7, aggressiveCyclesLeft: 0 },
    ],
    [
      'new mail (a skip counts) → A (default 3), next in 1 minute',
      {},
      { inMinutes: 1, aggressiveCyclesLeft: 3 },
    ],
    [
      'new mail with A = 0 → next in P',
      settings({ tagmaxaggressivecycles: 0 }),
      { inMinutes: 10, aggressiveCyclesLeft: 0 },
    ],
    [
      'a tag counts as new mail',
      {
        crm: { trackedEmails: [tracked('e1', { messageId: '<i1@fabrikam.com>' })] },
        state: { aggressiveCyclesLeft: 1 },
      },
      { inMinutes: 1, aggressiveCyclesLeft: 3 },
    ],
    [
      '"none" does not count: the state minus 1',
      { mailbox: ALREADY_TAGGED, state: { aggressiveCyclesLeft: 2 } },
      { inMinutes: 1, aggressiveCyclesLeft: 1 },
    ],
    [
      'nothing new, the last aggressive cycle → 0, next in P',
      { mailbox: ALREADY_TAGGED, state: { aggressiveCyclesLeft: 1 } },
      { inMinutes: 10, aggressiveCyclesLeft: 0 },
    ],
    [
      'nothing new, not below 0',
      { mailbox: inbox(), state: { aggressiveCyclesLeft: 0 } },
      { inMinutes: 10, aggressiveCyclesLeft: 0 },
    ],
    [
      'a missing state means aggressiveCyclesLeft 0',
      { mailbox: inbox(), state: null },
      { inMinutes: 10, aggressiveCyclesLeft: 0 },
    ],
    [
      'items deferred → next in 1 minute even with A = 0',
      merge(settings({ backgroundMaxItems: 1, tagmaxaggressivecycles: 0 }), {
        mailbox: inbox(item('a'), item('b')),
      }),
      { inMinutes: 1, aggressiveCyclesLeft: 0 },
    ],
    [
      'tagpollingperiod 0 is taken as 1',
      merge(settings({ tagpollingperiod: 0 }), { mailbox: inbox() }),
      { inMinutes: 1, aggressiveCyclesLeft: 0 },
    ],
    [
      'tagmaxaggressivecycles -2 is taken as 0',
      settings({ tagmaxaggressivecycles: -2, tagpollingperiod: 15 }),
      { inMinutes: 15, aggressiveCyclesLeft: 0 },
    ],
  ])('§1.5: %s', (_name, patch, next) => {
    expect(plan(patch).next).toEqual(next);
  });

  test('§1.5: with A = 3, new mail is followed by three checks a minute apart, then the polling period', () => {
    let left = plan().next.aggressiveCyclesLeft;
    const minutes: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const next = plan({ mailbox: inbox(), state: { aggressiveCyclesLeft: left } }).next;
      minutes.push(next.inMinutes);
      left = next.aggressiveCyclesLeft;
    }
    expect(minutes).toEqual([1, 1, 10, 10]);
  });
});

describe('background-check.md §1.6 what a cycle hands back', () => {
  test('§1.6: seen lists itemId and changeKey of every item that got an action, not the deferred ones', () => {
    const p = plan(
      merge(settings({ backgroundMaxItems: 2 }), {
        mailbox: inbox(
          item('a', { changeKey: 'ka', email: { receivedAt: minutesBefore(3) } }),
          item('b', { email: { receivedAt: minutesBefore(2) } }),
          item('c', { changeKey: 'kc', email: { receivedAt: minutesBefore(1) } }),
        ),
      }),
    );
    expect(p.seen).toEqual([
      { itemId: 'a', changeKey: 'ka' },
      { itemId: 'b', changeKey: '' },
    ]);
    expect(p.deferred).toEqual(['c']);
  });

  test('§1.6: the planner does not change its input', () => {
    const value = cycleCase({ settings: TRACK_ALL, mailbox: inbox(item('i1'), item('i2')) });
    const before = JSON.stringify(value);
    const input = readCycleCase(value as Record<string, unknown>);
    const crmBefore = JSON.stringify(input.crm);
    explainCycle(input);
    expect(JSON.stringify(value)).toBe(before);
    expect(JSON.stringify(input.crm)).toBe(crmBefore);
  });
});
