import {
  discardPendingTrack,
  itemOpened,
  setRegarding,
  trackItem,
  untrackItem,
} from '../../../src/app/itemUseCases';
import { drainPending, MAX_TRIES } from '../../../src/app/pendingQueue';
import { CrmForbiddenError, CrmNetworkError, CrmUnavailableError } from '../../../src/crm/errors';
import { TRACKED_CATEGORY, UNDELIVERABLE_CATEGORY } from '../../../src/mailbox/categories';
import { harness } from '../../support/diagnostics';
import { contactAnn, readItem, USER_ID, userDana } from '../../support/fakes';

const unavailable = () =>
  new CrmUnavailableError('Service Unavailable', {
    status: 503,
    code: null,
    requestId: 'r1',
    request: 'POST $batch',
  });
const method = (m: number) => ({ organization: {}, user: { incomingemailfilteringmethod: m } });

describe('itemOpened (the pinned pane checks every item, §2.1 and §5)', () => {
  test("a contact's email under filter 2 is tracked automatically, tagged, and the user told", async () => {
    const h = harness();
    h.crm.records = [contactAnn, userDana];
    h.crm.settings = method(2);
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    const state = await itemOpened(session, item);
    expect(state).toMatchObject({
      status: 'tracked',
      activityId: 'act-1',
      decision: { reason: 'SenderMatch' },
    });
    expect(state.names['contact:c-ann']).toBe('Ann Lee');
    expect(h.mailbox.items.get(item.itemId)).toMatchObject({
      categories: [TRACKED_CATEGORY],
      tag: { activityId: 'act-1', regarding: null },
    });
    expect(h.mailbox.items.get(item.itemId)?.notices.map((n) => n.kind)).toEqual(['tracked']);
    const [, [email]] = h.crm.calls.find((c) => c.method === 'trackEmails')!.args as [
      string,
      [{ parties: unknown[]; direction: string }],
    ];
    expect(email).toMatchObject({
      direction: 'incoming',
      parties: [
        { role: 'from', address: 'ann@fabrikam.com', records: [{ type: 'contact', id: 'c-ann' }] },
        { role: 'to', records: [{ type: 'systemuser', id: USER_ID }] },
      ],
    });
  });

  test('opened again: already tracked (Duplicate), nothing created twice', async () => {
    const h = harness();
    h.crm.records = [contactAnn];
    h.crm.settings = method(2);
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    await itemOpened(session, item);
    const again = await itemOpened(session, h.mailbox.snapshot(item.itemId));
    expect(again).toMatchObject({
      status: 'tracked',
      activityId: 'act-1',
      decision: { reason: 'Duplicate' },
    });
    expect(h.crm.count('trackEmails')).toBe(1);
  });

  test('an unknown sender under filter 1: not tracked, and the reason is shown', async () => {
    const h = harness();
    const session = await h.session();
    const state = await itemOpened(
      session,
      h.mailbox.add(readItem({ from: { address: 'stranger@example.org', name: null } })),
    );
    expect(state).toMatchObject({ status: 'not-tracked', decision: { reason: 'NoCorrelationMatch' } });
    expect(state.message).toMatch(/does not follow on from an email tracked/);
    expect(h.crm.count('trackEmails')).toBe(0);
  });

  test.each([
    [true, [TRACKED_CATEGORY]],
    [false, []],
  ])(
    '§5: an item found tracked but untagged is tagged when automaticEmailTagging is %s',
    async (tagging, categories) => {
      const h = harness();
      const item = readItem();
      h.crm.tracked = [
        {
          activityId: 'old-1',
          messageId: item.facts.messageId,
          subject: 'Quote',
          trackingToken: null,
          threadIndex: null,
          regarding: { type: 'account', id: 'a1' },
          addresses: [],
          trackedBy: 'someone-else',
          receivedAt: null,
        },
      ];
      const session = await h.session({ client: { automaticEmailTagging: tagging } });
      h.mailbox.add(item);
      const state = await itemOpened(session, item);
      expect(state).toMatchObject({
        status: 'tracked',
        activityId: 'old-1',
        regarding: { type: 'account', id: 'a1' },
      });
      expect(h.mailbox.items.get(item.itemId)?.categories).toEqual(categories);
    },
  );

  test.each([
    [true, 'tracked'],
    [false, 'not-tracked'],
  ])(
    '§5: an item the user put in the category is tracked when TrackCategorizedItems is %s',
    async (setting, status) => {
      const h = harness();
      h.crm.settings = {
        organization: {
          orgdborgsettings: `<OrgSettings><TrackCategorizedItems>${setting}</TrackCategorizedItems></OrgSettings>`,
        },
        user: {},
      };
      const session = await h.session();
      const item = h.mailbox.add(
        readItem(
          { from: { address: 'stranger@example.org', name: null } },
          { categories: [TRACKED_CATEGORY] },
        ),
      );
      expect((await itemOpened(session, item)).status).toBe(status);
    },
  );

  test('a stale tag (the activity was deleted in the CRM) is removed', async () => {
    const h = harness();
    const session = await h.session();
    const item = h.mailbox.add(
      readItem(
        { from: { address: 'stranger@example.org', name: null } },
        { categories: [TRACKED_CATEGORY], tag: { activityId: 'gone', regarding: null } },
      ),
    );
    const state = await itemOpened(session, item);
    expect(state.status).toBe('not-tracked');
    expect(h.mailbox.items.get(item.itemId)).toMatchObject({ categories: [], tag: null });
  });

  test('§5: CRM unavailable: the track is queued (pending), retried with back-off, and Undeliverable after 5 tries', async () => {
    const h = harness();
    h.crm.records = [contactAnn];
    h.crm.settings = method(0);
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    h.crm.failNext('trackEmails', unavailable());
    const first = await itemOpened(session, item);
    expect(first).toMatchObject({ status: 'pending', error: { retryable: true } });
    expect(h.pending.list).toHaveLength(1);
    expect(await itemOpened(session, h.mailbox.snapshot(item.itemId))).toMatchObject({ status: 'pending' });

    for (let i = 2; i <= MAX_TRIES; i += 1) {
      h.clock.time += 60 * 60_000;
      h.crm.failNext('lookupItem', unavailable());
      const result = await drainPending(session);
      expect(result.failed[0]?.attempts).toBe(i);
    }
    expect(h.pending.list[0]).toMatchObject({ attempts: MAX_TRIES, undeliverable: true });
    const state = await itemOpened(session, h.mailbox.snapshot(item.itemId));
    expect(state.status).toBe('undeliverable');
    expect(state.message).toMatch(/after 5 tries/);
    expect(h.mailbox.items.get(item.itemId)?.categories).toContain(UNDELIVERABLE_CATEGORY);
    expect(h.mailbox.items.get(item.itemId)?.notices.at(-1)).toMatchObject({
      kind: 'undeliverable',
      text: expect.stringMatching(/^Could not be tracked in the CRM: The CRM is busy/),
    });
    // Undeliverable items stay visible; the pane's Retry forces one more try.
    const retried = await drainPending(session, { force: true, key: item.itemId });
    expect(retried.delivered).toHaveLength(1);
    expect(h.pending.list).toEqual([]);
  });

  test('§5: a queued track is delivered when the CRM is back', async () => {
    const h = harness();
    h.crm.records = [contactAnn];
    h.crm.settings = method(0);
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    h.crm.failNext('trackEmails', unavailable());
    await itemOpened(session, item);
    expect((await drainPending(session)).delivered).toEqual([]); // not due yet
    h.clock.time += 31_000;
    const { delivered } = await drainPending(session);
    expect(delivered).toEqual([expect.objectContaining({ activityId: 'act-1' })]);
    expect(h.pending.list).toEqual([]);
  });

  test('VerboseErrorsOnPromoteToCRM decides what the user reads', async () => {
    for (const [verbose, pattern] of [
      [1, /HTTP 503 · request r1/],
      [0, /^The CRM is busy/],
    ] as const) {
      const h = harness();
      h.crm.records = [contactAnn];
      h.crm.settings = {
        organization: {
          orgdborgsettings: `<OrgSettings><VerboseErrorsOnPromoteToCRM>${verbose}</VerboseErrorsOnPromoteToCRM></OrgSettings>`,
        },
        user: { incomingemailfilteringmethod: 0 },
      };
      const session = await h.session();
      h.crm.failNext('trackEmails', unavailable());
      const state = await itemOpened(session, h.mailbox.add(readItem()));
      expect(state.message).toMatch(pattern);
    }
  });
});

describe('trackItem (the ribbon button and the pane, §2.2)', () => {
  test('tracks whatever the automatic rules say, with the chosen regarding', async () => {
    const h = harness();
    h.crm.settings = method(4);
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    const state = await trackItem(session, item, { type: 'opportunity', id: 'o1' });
    expect(state).toMatchObject({
      status: 'tracked',
      regarding: { type: 'opportunity', id: 'o1' },
      decision: { reason: 'ManualTrack' },
    });
    expect(h.mailbox.items.get(item.itemId)?.tag).toEqual({
      activityId: 'act-1',
      regarding: { type: 'opportunity', id: 'o1' },
    });
  });

  test('a duplicate track shows the existing activity and creates nothing', async () => {
    const h = harness();
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    await trackItem(session, item);
    const again = await trackItem(session, h.mailbox.snapshot(item.itemId));
    expect(again).toMatchObject({
      status: 'tracked',
      activityId: 'act-1',
      message: 'Already tracked in the CRM.',
    });
    expect(h.crm.tracked).toHaveLength(1);
  });

  test.each([
    ['the item opened (or checked again after the track tagged it)', 'Tracked in the CRM.', 'open'],
    ['Track pressed on an email tracked before', 'Already tracked in the CRM.', 'track'],
  ] as const)('Duplicate words: %s reads "%s"', async (_name, words, how) => {
    const h = harness();
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    await trackItem(session, item);
    const snapshot = h.mailbox.snapshot(item.itemId);

    const state = how === 'open' ? await itemOpened(session, snapshot) : await trackItem(session, snapshot);

    // The rules' reason (§4, and what `explain` prints) is the same either way: only the words differ.
    expect(state).toMatchObject({
      status: 'tracked',
      activityId: 'act-1',
      message: words,
      decision: { reason: 'Duplicate', code: 0 },
    });
  });

  test('OverrideTrackInCrmBehaviour: a regarding record is required first', async () => {
    const h = harness();
    h.crm.settings = {
      organization: {
        orgdborgsettings:
          '<OrgSettings><OverrideTrackInCrmBehaviour>1</OverrideTrackInCrmBehaviour></OrgSettings>',
      },
      user: {},
    };
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    expect(await trackItem(session, item)).toMatchObject({
      status: 'needs-regarding',
      decision: { requiresRegarding: true },
    });
    expect(await trackItem(session, item, { type: 'account', id: 'a1' })).toMatchObject({
      status: 'tracked',
    });
  });

  test("AllowPromoteDuplicates: a second user's track makes a second activity", async () => {
    const h = harness();
    const item = readItem();
    h.crm.tracked = [
      {
        activityId: 'theirs',
        messageId: item.facts.messageId,
        subject: null,
        trackingToken: null,
        threadIndex: null,
        regarding: null,
        addresses: [],
        trackedBy: 'other-user',
        receivedAt: null,
      },
    ];
    h.crm.settings = {
      organization: {
        orgdborgsettings: '<OrgSettings><AllowPromoteDuplicates>true</AllowPromoteDuplicates></OrgSettings>',
      },
      user: {},
    };
    const session = await h.session();
    h.mailbox.add(item);
    expect(await trackItem(session, item)).toMatchObject({ status: 'tracked', activityId: 'act-1' });
    expect(h.crm.tracked.map((t) => t.activityId)).toEqual(['theirs', 'act-1']);
  });

  test('a track the user asked for is never dropped: the CRM offline at lookup queues it', async () => {
    const h = harness();
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    h.crm.failNext(
      'lookupItem',
      new CrmNetworkError('offline', { status: null, code: null, requestId: null, request: 'POST $batch' }),
    );
    expect(await trackItem(session, item)).toMatchObject({ status: 'pending' });
    expect(h.pending.list).toEqual([
      expect.objectContaining({ itemId: item.itemId, attempts: 1, undeliverable: false }),
    ]);
  });

  test('a refusal time cannot fix is shown as failed, not queued', async () => {
    const h = harness();
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    h.crm.failNext(
      'trackEmails',
      new CrmForbiddenError('No prvCreateActivity privilege', {
        status: 403,
        code: '0x80040220',
        requestId: 'r9',
        request: 'POST $batch',
      }),
    );
    const state = await trackItem(session, item);
    expect(state).toMatchObject({ status: 'failed', error: { retryable: false } });
    expect(h.pending.list).toEqual([]);
    expect(h.mailbox.items.get(item.itemId)?.notices.at(-1)?.kind).toBe('failed');
  });

  test('an item without an Internet Message-ID cannot be tracked, and says why', async () => {
    const h = harness();
    const session = await h.session();
    expect(await trackItem(session, h.mailbox.add(readItem({ messageId: null })))).toMatchObject({
      status: 'not-tracked',
    });
  });
});

describe('untrack and regarding (§5)', () => {
  test('untrack deletes the activity and removes the tags', async () => {
    const h = harness();
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    await trackItem(session, item);
    const state = await untrackItem(session, h.mailbox.snapshot(item.itemId));
    expect(state.status).toBe('not-tracked');
    expect(h.crm.tracked).toEqual([]);
    expect(h.mailbox.items.get(item.itemId)).toMatchObject({ categories: [], tag: null });
  });

  test('when the user may not delete the activity, only the tags go and the user is told why', async () => {
    const h = harness();
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    await trackItem(session, item);
    h.crm.failNext(
      'untrack',
      new CrmForbiddenError('No delete privilege', {
        status: 403,
        code: '0x80040220',
        requestId: null,
        request: 'DELETE emails',
      }),
    );
    const state = await untrackItem(session, h.mailbox.snapshot(item.itemId));
    expect(state.message).toMatch(/stays in the CRM: you may not delete it/);
    expect(h.crm.tracked).toHaveLength(1);
    expect(h.mailbox.items.get(item.itemId)?.tag).toBeNull();
  });

  test('set regarding on a tracked email changes it; on an untracked one it tracks with it', async () => {
    const h = harness();
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    expect(await setRegarding(session, item, { type: 'account', id: 'a1' })).toMatchObject({
      status: 'tracked',
      regarding: { type: 'account', id: 'a1' },
    });
    const changed = await setRegarding(session, h.mailbox.snapshot(item.itemId), {
      type: 'incident',
      id: 'i1',
    });
    expect(changed.regarding).toEqual({ type: 'incident', id: 'i1' });
    expect(h.crm.tracked[0]?.regarding).toEqual({ type: 'incident', id: 'i1' });
    expect(h.mailbox.items.get(item.itemId)?.tag?.regarding).toEqual({ type: 'incident', id: 'i1' });
  });
});

test('§5: the user can discard a waiting or undeliverable track: the entry and the Undeliverable category go', async () => {
  const h = harness();
  const session = await h.session();
  const item = h.mailbox.add(readItem());
  h.crm.failNext('lookupItem', unavailable());
  await trackItem(session, item);
  await h.mailbox.tagUndeliverable(item.itemId);
  const state = await discardPendingTrack(session, h.mailbox.snapshot(item.itemId));
  expect(state).toMatchObject({ status: 'not-tracked', message: expect.stringMatching(/discarded/) });
  expect(h.pending.list).toEqual([]);
  expect(h.mailbox.items.get(item.itemId)?.categories).toEqual([]);
});

describe('issue 10: a track is in the queue before its request leaves', () => {
  test('closed mid-track: the track waits in the queue; the pane opening the item sends it at once, and the abandoned request, landing late, makes no second one', async () => {
    const h = harness();
    h.crm.records = [contactAnn];
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    // The lookup never answers: the pane (or Outlook) closes while it is out.
    const lookup = h.crm.lookupItem.bind(h.crm);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    h.crm.lookupItem = async (query) => {
      await held;
      return lookup(query);
    };
    const abandoned = trackItem(session, item, null);
    await waitUntil(async () => (await h.pending.load()).length === 1);
    expect(await h.pending.load()).toMatchObject([{ key: item.itemId, attempts: 0, undeliverable: false }]);
    // A background drain leaves it to its hold: the request may still be out in a runtime alive.
    expect((await drainPending(session)).delivered).toHaveLength(0);

    // "After the reload": the pane opens the item, no click and no wait for HOLD_MS.
    h.crm.lookupItem = lookup;
    expect(await itemOpened(session, item)).toMatchObject({
      status: 'tracked',
      message: 'Tracked in the CRM (the waiting track was delivered).',
    });
    expect(await h.pending.load()).toEqual([]);
    release(); // the abandoned request lands late: found as a duplicate, not made twice
    expect(await abandoned).toMatchObject({ status: 'tracked' });
    expect(h.crm.calls.filter((c) => c.method === 'trackEmails')).toHaveLength(1);
    expect(h.crm.tracked).toHaveLength(1);
  });

  test('a track that lands leaves nothing in the queue; one refused by the rules neither', async () => {
    const h = harness();
    h.crm.records = [contactAnn];
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    expect(await trackItem(session, item, null)).toMatchObject({ status: 'tracked' });
    expect(await h.pending.load()).toEqual([]);
    expect(await trackItem(session, item, null)).toMatchObject({ status: 'tracked' });
    expect(await h.pending.load()).toEqual([]);
  });
});

async function waitUntil(ok: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
