/** background-check.md §1: properties of the cycle planner over any cycle input. */
import fc from 'fast-check';
import { planCycle, type CycleInput, type MailboxItem } from '../../../src/rules/backgroundCycle';
import { buildCrmIndex } from '../../../src/rules/crmIndex';
import { decide } from '../../../src/rules/decide';
import { resolveSettings } from '../../../src/rules/settingsInput';
import { findTrackingTokens } from '../../../src/rules/trackingToken';
import type { CrmRecord, EmailFacts, TrackedEmail } from '../../../src/rules/types';

const NOW_MS = Date.parse('2026-01-10T09:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;
const ADDRESSES = [
  'ann@fabrikam.com',
  'bob@example.com',
  'me@contoso.com',
  'not an address',
  'Q@queue.example',
];
const MESSAGE_IDS = ['<a@x>', '<b@x>', ' <a@x> ', '<c@x>', null];
// Inbox most often, so most cases have items to plan.
const FOLDERS = ['inbox', 'inbox', 'inbox', ' Inbox ', 'sentitems', 'drafts', 'Inbox/Projects', 'junkemail'];
const CATEGORIES = ['Tracked to CRM', 'tracked to crm', 'Tracked to CRM (Undeliverable)', 'Red'];
const ordinal = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const address = fc.constantFrom(...ADDRESSES).map((a) => ({ address: a, name: null }));
const email: fc.Arbitrary<EmailFacts> = fc.record({
  messageId: fc.constantFrom(...MESSAGE_IDS),
  subject: fc.constantFrom('Quote', 'RE: Quote CRM:0001234', 'Budget review', ''),
  direction: fc.constantFrom('incoming' as const, 'outgoing' as const),
  folder: fc.constantFrom('inbox', 'elsewhere'),
  from: fc.option(address, { nil: null }),
  to: fc.array(address, { maxLength: 2 }),
  cc: fc.array(address, { maxLength: 1 }),
  bcc: fc.constant([]),
  inReplyTo: fc.option(fc.constantFrom('<a@x>', '<b@x>'), { nil: null }),
  references: fc.constant([]),
  threadIndex: fc.constant(null),
  receivedAt: fc.constant(null),
  composeType: fc.constant(null),
});
/** From three days before now to an hour after, to the millisecond: some inside the lookback, some not. */
const instant = fc
  .integer({ min: NOW_MS - 3 * DAY_MS, max: NOW_MS + 60 * 60 * 1000 })
  .map((ms) => new Date(ms).toISOString());

const itemWithout = (itemId: string): fc.Arbitrary<MailboxItem> =>
  fc.record({
    itemId: fc.constant(itemId),
    changeKey: fc.constantFrom('', 'k1', 'k2'),
    isDraft: fc.constantFrom(false, false, false, true),
    categories: fc.subarray(CATEGORIES),
    tag: fc.option(fc.record({ activityId: fc.constantFrom('', 'e1', 'e2'), regarding: fc.constant(null) }), {
      nil: null,
    }),
    email,
    receivedAt: instant,
  });

const mailbox = fc
  .uniqueArray(fc.stringMatching(/^[A-Za-z0-9]{1,3}$/), { minLength: 1, maxLength: 25 })
  .chain((ids) => fc.tuple(...ids.map((id) => fc.tuple(fc.constantFrom(...FOLDERS), itemWithout(id)))))
  .map((placed) => {
    const folders = new Map<string, MailboxItem[]>();
    for (const [folder, item] of placed) folders.set(folder, [...(folders.get(folder) ?? []), item]);
    return [...folders].map(([name, items]) => ({ name, items }));
  });

const rawSettings = fc.record({
  organization: fc.record(
    {
      promoteIncomingEmail: fc.constantFrom(true, true, false),
      requireapprovalforuseremail: fc.boolean(),
      isfolderbasedtrackingenabled: fc.boolean(),
      useTrackingToken: fc.boolean(),
      enablesmartmatching: fc.boolean(),
      tagpollingperiod: fc.integer({ min: 1, max: 60 }),
      tagmaxaggressivecycles: fc.integer({ min: 0, max: 5 }),
      backgroundLookbackDays: fc.integer({ min: 1, max: 4 }),
      backgroundMaxItems: fc.integer({ min: 1, max: 12 }),
      orgdborgsettings: fc
        .record({
          AutoTrackSentFolderItems: fc.boolean(),
          TrackCategorizedItems: fc.boolean(),
          AllowPromoteDuplicates: fc.boolean(),
          OverrideTrackInCrmBehaviour: fc.constantFrom(0, 1),
        })
        .map(
          (v) =>
            `<OrgSettings>${Object.entries(v)
              .map(([k, x]) => `<${k}>${String(x)}</${k}>`)
              .join('')}</OrgSettings>`,
        ),
    },
    { requiredKeys: [] },
  ),
  client: fc.record(
    { backgroundTrackEmail: fc.constantFrom(true, true, false), automaticEmailTagging: fc.boolean() },
    { requiredKeys: [] },
  ),
  user: fc.record(
    {
      incomingemailfilteringmethod: fc.constantFrom(0, 0, 0, 1, 2, 3, 4),
      autocreatecontactonpromote: fc.constantFrom(0, 1, 2),
    },
    { requiredKeys: [] },
  ),
});

const records: CrmRecord[] = [
  {
    type: 'contact',
    id: 'c1',
    emails: ['ann@fabrikam.com'],
    createdOn: '2020-01-01T00:00:00Z',
    active: true,
  },
  { type: 'queue', id: 'q1', emails: ['q@queue.example'], createdOn: '2020-01-01T00:00:00Z', active: true },
];
const trackedEmails: TrackedEmail[] = [
  {
    activityId: 'e1',
    messageId: '<b@x>',
    subject: 'Quote',
    trackingToken: 'CRM:0001234',
    threadIndex: null,
    regarding: { type: 'opportunity', id: 'o1' },
    addresses: ['ann@fabrikam.com', 'me@contoso.com'],
    trackedBy: 'u2',
    receivedAt: '2026-01-09T09:00:00Z',
  },
];

const cycleInput: fc.Arbitrary<CycleInput> = fc
  .record({
    folders: mailbox,
    raw: rawSettings,
    mappings: fc.subarray(['inbox/projects', 'JunkEmail']),
    approved: fc.boolean(),
    seenPick: fc.array(fc.tuple(fc.nat(30), fc.constantFrom('', 'k1')), { maxLength: 6 }),
    aggressiveCyclesLeft: fc.integer({ min: 0, max: 5 }),
  })
  .map(({ folders, raw, mappings, approved, seenPick, aggressiveCyclesLeft }) => {
    const all = folders.flatMap((f) => f.items);
    return {
      now: new Date(NOW_MS).toISOString(),
      user: { id: 'u1', email: 'me@contoso.com', mailboxApproved: approved },
      settings: resolveSettings(raw).settings,
      crm: {
        records,
        trackedEmails,
        folderMappings: mappings.map((folder) => ({ folder, regarding: { type: 'account', id: 'a1' } })),
      },
      mailbox: { folders },
      state: {
        seen: seenPick.flatMap(([i, changeKey]) => {
          const item = all[i % Math.max(1, all.length)];
          return item ? [{ itemId: item.itemId, changeKey }] : [];
        }),
        aggressiveCyclesLeft,
      },
    };
  });

/** §1.2 steps 1–4 restated: the items a running cycle looks at, by itemId. */
function lookedAt(input: CycleInput): Map<string, MailboxItem> {
  const { organization: org, orgDb } = input.settings;
  const folders = new Set(['inbox']);
  if (orgDb.AutoTrackSentFolderItems) folders.add('sentitems');
  if (org.isfolderbasedtrackingenabled)
    for (const m of input.crm.folderMappings) folders.add(m.folder.trim().toLowerCase());
  const oldest = NOW_MS - org.backgroundLookbackDays * DAY_MS;
  const items = new Map<string, MailboxItem>();
  for (const folder of input.mailbox.folders) {
    if (!folders.has(folder.name.trim().toLowerCase())) continue;
    for (const item of folder.items) {
      const seen = input.state.seen.some((s) => s.itemId === item.itemId && s.changeKey === item.changeKey);
      if (!item.isDraft && !seen && Date.parse(item.receivedAt) >= oldest) items.set(item.itemId, item);
    }
  }
  return items;
}

describe('background-check.md §1 cycle planner (properties)', () => {
  test('§1: any cycle input is planned without throwing; every looked-at item gets one action or one deferred entry, in §1.2 step 5 order', () => {
    fc.assert(
      fc.property(cycleInput, (input) => {
        const plan = planCycle(input);
        const { organization: org } = input.settings;
        expect([1, org.tagpollingperiod]).toContain(plan.next.inMinutes);
        if (!plan.run) {
          expect(plan.actions).toEqual([]);
          expect(plan.deferred).toEqual([]);
          expect(plan.seen).toEqual([]);
          expect(plan.next).toEqual({ inMinutes: org.tagpollingperiod, aggressiveCyclesLeft: 0 });
          return;
        }
        const expected = lookedAt(input);
        const listed = [...plan.actions.map((a) => a.itemId), ...plan.deferred];
        expect([...listed].sort(ordinal)).toEqual([...expected.keys()].sort(ordinal));
        expect(plan.actions.length).toBe(Math.min(expected.size, org.backgroundMaxItems));

        // seen = the actions' items, with their changeKeys, in the same order.
        expect(plan.seen).toEqual(
          plan.actions.map((a) => ({ itemId: a.itemId, changeKey: expected.get(a.itemId)?.changeKey })),
        );

        // Oldest first, ties by itemId ordinal, across the actions and then the deferred items.
        const at = (id: string): number => Date.parse(expected.get(id)?.receivedAt ?? '');
        for (let i = 1; i < listed.length; i += 1) {
          const [a, b] = [listed[i - 1] as string, listed[i] as string];
          expect(at(a) < at(b) || (at(a) === at(b) && a < b)).toBe(true);
        }

        for (const action of plan.actions) {
          expect(['track', 'tag', 'skip', 'none']).toContain(action.do);
          expect(action.decision === null).toBe(action.reason === 'AlreadyTagged');
          if (action.decision) expect(action.reason).toBe(action.decision.reason);
          if (action.do === 'tag') expect(action.activityId).toBe(action.decision?.existingActivityId);
        }
      }),
      { numRuns: 400 },
    );
  });

  test('§1.4: each decision is the one made against the CRM rebuilt with the earlier tracks and created records', () => {
    fc.assert(
      fc.property(cycleInput, (input) => {
        const plan = planCycle(input);
        const org = input.settings.organization;
        const byId = new Map(
          input.mailbox.folders.flatMap((f) => f.items.map((i) => [i.itemId, i] as const)),
        );
        const trackedSoFar: TrackedEmail[] = [...input.crm.trackedEmails];
        const recordsSoFar: CrmRecord[] = [...input.crm.records];
        for (const action of plan.actions) {
          const item = byId.get(action.itemId) as MailboxItem;
          const email = { ...item.email, folder: action.folder };
          if (action.decision) {
            const manual = action.reason === 'ManualTrack' || action.reason === 'RegardingRequired';
            const expected = decide({
              action: manual ? 'track' : 'incoming',
              email,
              regarding: null,
              user: input.user,
              settings: input.settings,
              index: buildCrmIndex(recordsSoFar, trackedSoFar, input.crm.folderMappings),
            });
            expect(action.decision).toEqual(expected);
          }
          if (action.do !== 'track' || !action.decision) continue;
          // §1.4 restated.
          const token = org.useTrackingToken
            ? findTrackingTokens(email.subject, org.trackingprefix)[0]
            : undefined;
          trackedSoFar.push({
            activityId: `pending:${item.itemId}`,
            messageId: email.messageId,
            subject: email.subject,
            trackingToken: token ? `${org.trackingprefix}${token.digits}` : null,
            threadIndex: email.threadIndex,
            regarding: action.decision.regarding,
            addresses: [email.from, ...email.to, ...email.cc, ...email.bcc].flatMap((a) =>
              a ? [a.address] : [],
            ),
            trackedBy: input.user.id,
            receivedAt: email.receivedAt,
          });
          for (const created of action.decision.create) {
            recordsSoFar.push({
              type: created.type,
              id: `new:${created.address.toLowerCase()}`,
              emails: [created.address],
              createdOn: input.now,
              active: true,
            });
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
