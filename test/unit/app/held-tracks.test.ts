/**
 * Issue 10, "recovery needs no click": a track written to the queue before its request left (held)
 * and left there by a runtime that stopped (a reload, Outlook closed) is settled when the pane opens
 * the item or starts, not after the 5-minute hold. Creates are idempotent (the activity id comes
 * from the user and the Message-ID), so sending a held track early never makes a second activity.
 */
import { DELIVERED_TEXT } from '../../../src/app/itemState';
import { itemOpened, trackItem, untrackItem } from '../../../src/app/itemUseCases';
import { userFacingError } from '../../../src/app/itemState';
import {
  drainPending,
  enqueuePending,
  HOLD_MS,
  holdPending,
  isHeld,
  queueContext,
  RETRY_BASE_MS,
} from '../../../src/app/pendingQueue';
import type { PendingTrack } from '../../../src/app/ports';
import { CrmForbiddenError, CrmUnavailableError } from '../../../src/crm/errors';
import { harness, type LoggedHarness } from '../../support/diagnostics';
import { heldTrack, landed } from '../../support/heldTracks';
import { contactAnn, readItem } from '../../support/fakes';

const unavailable = () =>
  new CrmUnavailableError('Service Unavailable', {
    status: 503,
    code: null,
    requestId: 'r1',
    request: 'POST $batch',
  });

describe('isHeld: which queued tracks may be sent before their wait is over', () => {
  const entry = (attempts: number, undeliverable: boolean, heldAt?: number): PendingTrack => ({
    key: 'k',
    itemId: 'i',
    facts: readItem().facts,
    regarding: null,
    messageId: '<m@x>',
    attempts,
    nextAttemptAt: 0,
    lastError: attempts > 0 ? 'The CRM is not available right now.' : null,
    undeliverable,
    ...(heldAt === undefined ? {} : { heldAt }),
  });
  test.each([
    ['held, no try failed yet', entry(0, false, 1), true],
    ['held, stored before heldAt existed (no try failed yet)', entry(0, false), true],
    ['held again: pressed again after a failed try', entry(1, false, 1), true],
    ['held again after four failed tries', entry(4, false, 1), true],
    ['waiting after a failed try (its back-off is the CRM’s, not a hold)', entry(1, false), false],
    ['undeliverable', entry(5, true), false],
    ['undeliverable, whatever heldAt says', entry(5, true, 1), false],
  ])('%s', (_name, pending, held) => {
    expect(isHeld(pending)).toBe(held);
  });
});

describe('heldAt: set by holdPending, dropped by a failed try', () => {
  const failure = userFacingError(unavailable());
  const newPending = (h: LoggedHarness) => {
    const item = h.mailbox.add(readItem());
    return {
      itemId: item.itemId,
      facts: item.facts,
      regarding: null,
      messageId: item.facts.messageId as string,
    };
  };

  test('holdPending: held at the clock’s time, the hold ending HOLD_MS later', async () => {
    const h = harness();
    const context = queueContext(await h.session());
    await holdPending(context, newPending(h));
    expect(h.pending.list).toEqual([
      expect.objectContaining({ attempts: 0, heldAt: h.clock.now(), nextAttemptAt: h.clock.now() + HOLD_MS }),
    ]);
  });

  test('enqueuePending (a failed try) leaves it no longer held', async () => {
    const h = harness();
    const context = queueContext(await h.session());
    const entry = newPending(h);
    await holdPending(context, entry);
    const stored = await enqueuePending(context, entry, failure);
    expect(stored).not.toHaveProperty('heldAt');
    expect(h.pending.list).toEqual([stored]);
    expect(isHeld(stored)).toBe(false);
  });

  test('pressed again after a failed try: held again, its failed try still counted and its reason kept', async () => {
    const h = harness();
    const context = queueContext(await h.session());
    const entry = newPending(h);
    await holdPending(context, entry);
    const failed = await enqueuePending(context, entry, failure);
    h.clock.time += 60_000;
    await holdPending(context, entry);
    const [again] = h.pending.list;
    expect(again).toMatchObject({
      attempts: 1,
      lastError: failed.lastError,
      heldAt: h.clock.now(),
      undeliverable: false,
    });
    expect(isHeld(again!)).toBe(true);
  });
});

describe('a track that failed once, pressed again and cut off by a reload, is sent at the next start', () => {
  /** Track fails once (503), then Track again: its request goes out and no answer ever comes back. */
  async function failedThenCutOff(h: LoggedHarness) {
    h.crm.records = [contactAnn];
    const stopped = await h.session();
    const item = h.mailbox.add(readItem());
    h.crm.failNext('lookupItem', unavailable());
    expect(await trackItem(stopped, item)).toMatchObject({ status: 'pending' });
    const track = h.crm.trackEmails.bind(h.crm);
    let out = false;
    h.crm.trackEmails = () => {
      out = true;
      return new Promise<never>(() => undefined);
    };
    void trackItem(stopped, h.mailbox.snapshot(item.itemId));
    await waitUntil(() => out);
    h.crm.trackEmails = track;
    expect(h.pending.list).toEqual([expect.objectContaining({ attempts: 1, heldAt: h.clock.now() })]);
    return { item, pane: await h.session() };
  }

  test('the pane’s first drain sends it at once, not after the 5-minute hold', async () => {
    const h = harness();
    const { pane } = await failedThenCutOff(h);

    expect((await drainPending(pane)).delivered).toEqual([]);
    const { delivered, failed } = await drainPending(pane, { held: true });

    expect(failed).toEqual([]);
    expect(delivered).toEqual([expect.objectContaining({ activityId: 'act-1' })]);
    expect(h.crm.tracked).toHaveLength(1);
    expect(h.pending.list).toEqual([]);
  });

  test('opening the item settles it with the item’s own lookup, and tells it delivered', async () => {
    const h = harness();
    const { item, pane } = await failedThenCutOff(h);
    const lookups = h.crm.count('lookupItem');

    const state = await itemOpened(pane, h.mailbox.snapshot(item.itemId));

    expect(state).toMatchObject({ status: 'tracked', activityId: 'act-1', message: DELIVERED_TEXT });
    expect(h.crm.count('lookupItem')).toBe(lookups + 1);
    expect(h.crm.tracked).toHaveLength(1);
    expect(h.pending.list).toEqual([]);
  });
});

describe('itemOpened settles a held track with the lookup it makes anyway', () => {
  test('the request had landed: found by its Message-ID, tagged, told delivered; no second create, one round trip', async () => {
    const h = harness();
    h.crm.records = [contactAnn];
    const { session, item } = await heldTrack(h, { type: 'account', id: 'a1' });
    landed(h, item.facts.messageId as string, { type: 'account', id: 'a1' });

    const state = await itemOpened(session, item);

    expect(state).toMatchObject({ status: 'tracked', activityId: 'landed-1', message: DELIVERED_TEXT });
    expect(h.crm.count('lookupItem')).toBe(1);
    expect(h.crm.count('trackEmails')).toBe(0);
    expect(h.pending.list).toEqual([]);
    expect(h.mailbox.items.get(item.itemId)).toMatchObject({
      tag: { activityId: 'landed-1', regarding: { type: 'account', id: 'a1' } },
    });
    expect(h.mailbox.items.get(item.itemId)?.notices.at(-1)).toEqual({
      kind: 'tracked',
      text: DELIVERED_TEXT,
    });
  });

  test('the request never landed: sent now with the regarding kept in the entry, and delivered', async () => {
    const h = harness();
    h.crm.records = [contactAnn];
    const { session, item } = await heldTrack(h, { type: 'account', id: 'a1' });

    const state = await itemOpened(session, item);

    expect(state).toMatchObject({
      status: 'tracked',
      activityId: 'act-1',
      regarding: { type: 'account', id: 'a1' },
      message: DELIVERED_TEXT,
    });
    expect(h.crm.count('lookupItem')).toBe(1);
    expect(h.crm.count('trackEmails')).toBe(1);
    expect(h.crm.tracked).toHaveLength(1);
    expect(h.pending.list).toEqual([]);
    expect(h.mailbox.items.get(item.itemId)?.tag?.activityId).toBe('act-1');
  });

  test('the CRM cannot be asked: the held track counts its first failed try and waits the usual back-off, saying why', async () => {
    const h = harness();
    const { session, item } = await heldTrack(h);
    h.crm.failNext('lookupItem', unavailable());

    const state = await itemOpened(session, item);

    expect(state).toMatchObject({
      status: 'pending',
      message: expect.stringMatching(/^Waiting to be tracked \(try 1 failed/),
    });
    expect(h.pending.list).toEqual([
      expect.objectContaining({
        key: item.itemId,
        attempts: 1,
        nextAttemptAt: h.clock.now() + RETRY_BASE_MS,
      }),
    ]);
  });

  test('a track that failed a try before shows as waiting, with no CRM call (its back-off stands)', async () => {
    const h = harness();
    h.crm.records = [contactAnn];
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    h.crm.failNext('lookupItem', unavailable());
    expect(await trackItem(session, item)).toMatchObject({ status: 'pending' });
    const calls = h.crm.count('lookupItem');

    expect(await itemOpened(session, h.mailbox.snapshot(item.itemId))).toMatchObject({ status: 'pending' });
    expect(h.crm.count('lookupItem')).toBe(calls);
  });

  test('the ribbon’s request still out in its own runtime: the pane sends too, and the CRM keeps one activity', async () => {
    const h = harness();
    h.crm.records = [contactAnn];
    const ribbon = await h.session();
    const pane = await h.session();
    const item = h.mailbox.add(readItem());
    const track = h.crm.trackEmails.bind(h.crm);
    let release!: () => void;
    const out = new Promise<void>((resolve) => (release = resolve));
    let sent = false;
    h.crm.trackEmails = async (...args) => {
      sent = true;
      await out;
      return track(...args);
    };
    const clicked = trackItem(ribbon, item);
    await waitUntil(() => sent);

    h.crm.trackEmails = track;
    expect(await itemOpened(pane, h.mailbox.snapshot(item.itemId))).toMatchObject({ status: 'tracked' });
    release();
    expect(await clicked).toMatchObject({ status: 'tracked', activityId: 'act-1' });
    expect(h.crm.tracked).toHaveLength(1);
    expect(h.pending.list).toEqual([]);
  });
});

describe('drainPending: held tracks are due on the pane’s first drain, others keep their wait', () => {
  test('a held track is sent at once with `held`, and only after HOLD_MS without it', async () => {
    const h = harness();
    h.crm.records = [contactAnn];
    const { session, item } = await heldTrack(h);
    landed(h, item.facts.messageId as string);

    expect((await drainPending(session)).delivered).toEqual([]);
    const { delivered } = await drainPending(session, { held: true });

    expect(delivered).toEqual([expect.objectContaining({ activityId: 'landed-1', regarding: null })]);
    expect(h.crm.count('trackEmails')).toBe(0);
    expect(h.pending.list).toEqual([]);
  });

  test('a track waiting its back-off is not tried early by `held`', async () => {
    const h = harness();
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    h.crm.failNext('lookupItem', unavailable());
    await trackItem(session, item);

    expect(await drainPending(session, { held: true })).toEqual({ delivered: [], failed: [] });
    expect(h.pending.list).toEqual([expect.objectContaining({ attempts: 1 })]);
  });
});

/** An organization where Track in CRM works as Set Regarding (§2.2 step 2: a regarding is required). */
function requiresRegarding(h: LoggedHarness): void {
  h.crm.settings = {
    organization: {
      orgdborgsettings:
        '<OrgSettings><OverrideTrackInCrmBehaviour>1</OverrideTrackInCrmBehaviour></OrgSettings>',
    },
    user: {},
  };
}

describe('the Set Regarding dialog’s time is the user’s: nothing is held while it is open', () => {
  test('while the chooser is open the queue is empty, and a pane checking the item then sends nothing', async () => {
    const h = harness();
    requiresRegarding(h);
    h.crm.records = [contactAnn];
    const ribbon = await h.session();
    const pane = await h.session();
    const item = h.mailbox.add(readItem());
    let queuedWhileOpen: readonly PendingTrack[] | null = null;
    let paneSaw: string | null = null;

    const state = await trackItem(ribbon, item, null, {
      chooseRegarding: async () => {
        queuedWhileOpen = await h.pending.load();
        paneSaw = (await itemOpened(pane, h.mailbox.snapshot(item.itemId))).status;
        return { type: 'account', id: 'a1' };
      },
    });

    expect(queuedWhileOpen).toEqual([]);
    expect(paneSaw).not.toBe('tracked');
    expect(state).toMatchObject({ status: 'tracked', regarding: { type: 'account', id: 'a1' } });
    expect(h.crm.count('trackEmails')).toBe(1);
    expect(h.crm.tracked).toEqual([expect.objectContaining({ regarding: { type: 'account', id: 'a1' } })]);
    expect(h.pending.list).toEqual([]);
  });

  test('Escape (no record chosen): not tracked, nothing sent, nothing left queued', async () => {
    const h = harness();
    requiresRegarding(h);
    h.crm.records = [contactAnn];
    const session = await h.session();
    const item = h.mailbox.add(readItem());

    const state = await trackItem(session, item, null, { chooseRegarding: async () => null });

    expect(state).toMatchObject({
      status: 'not-tracked',
      message: 'Not tracked: no regarding record was chosen.',
    });
    expect(h.crm.count('trackEmails')).toBe(0);
    expect(h.pending.list).toEqual([]);
  });

  test('the CRM down: the dialog still asks first, and only the chosen record’s track is queued', async () => {
    const h = harness();
    requiresRegarding(h);
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    h.crm.failNext('lookupItem', unavailable());
    let queuedWhileOpen: readonly PendingTrack[] | null = null;

    const state = await trackItem(session, item, null, {
      chooseRegarding: async () => {
        queuedWhileOpen = await h.pending.load();
        return { type: 'account', id: 'a1' };
      },
    });

    expect(queuedWhileOpen).toEqual([]);
    expect(state.status).toBe('pending');
    expect(h.pending.list).toEqual([
      expect.objectContaining({ key: item.itemId, attempts: 1, regarding: { type: 'account', id: 'a1' } }),
    ]);
  });

  test('no regarding required: the track is held from the start, its lookup included (a reload then loses nothing)', async () => {
    const h = harness();
    h.crm.records = [contactAnn];
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    const lookUp = h.crm.lookupItem.bind(h.crm);
    let heldDuringLookup: readonly PendingTrack[] = [];
    h.crm.lookupItem = async (...args) => {
      heldDuringLookup = await h.pending.load();
      return lookUp(...args);
    };

    await trackItem(session, item, null, { chooseRegarding: async () => null });

    expect(heldDuringLookup).toEqual([
      expect.objectContaining({ key: item.itemId, heldAt: expect.any(Number) }),
    ]);
    expect(h.pending.list).toEqual([]);
  });
});

test('issue 10: the record chosen in the Set Regarding dialog is kept in the held track, so a delivery after a reload has it', async () => {
  const h = harness();
  requiresRegarding(h);
  h.crm.records = [contactAnn];
  const session = await h.session();
  const item = h.mailbox.add(readItem());
  let heldWhileOut: readonly PendingTrack[] = [];
  const track = h.crm.trackEmails.bind(h.crm);
  h.crm.trackEmails = async (...args) => {
    heldWhileOut = await h.pending.load();
    return track(...args);
  };

  const state = await trackItem(session, item, null, {
    chooseRegarding: async () => ({ type: 'account', id: 'a1' }),
  });

  expect(state).toMatchObject({ status: 'tracked', regarding: { type: 'account', id: 'a1' } });
  expect(heldWhileOut).toEqual([expect.objectContaining({ regarding: { type: 'account', id: 'a1' } })]);
  expect(h.pending.list).toEqual([]);
});

describe('§5 untrack: the item’s notification never still says it is tracked', () => {
  const forbidden = () =>
    new CrmForbiddenError('No delete privilege', {
      status: 403,
      code: '0x80040220',
      requestId: null,
      request: 'DELETE emails',
    });
  test.each([
    ['deleted from the CRM', null, /^Untracked: the email was removed from the CRM\.$/],
    [
      'the user may not delete it: only the tags go',
      forbidden,
      /^The tags were removed, but the email stays in the CRM/,
    ],
  ])('%s', async (_name, failure, text) => {
    const h = harness();
    h.crm.records = [contactAnn];
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    await trackItem(session, item);
    expect(h.mailbox.items.get(item.itemId)?.notices.at(-1)?.text).toMatch(/^Tracked in the CRM/);
    if (failure) h.crm.failNext('untrack', failure());

    const state = await untrackItem(session, h.mailbox.snapshot(item.itemId));

    expect(state.status).toBe('not-tracked');
    const notice = h.mailbox.items.get(item.itemId)?.notices.at(-1);
    expect(notice).toEqual({ kind: 'info', text: expect.stringMatching(text) });
    expect(notice?.text).toBe(state.message);
  });

  test('nothing was tracked: the notification says so too', async () => {
    const h = harness();
    const session = await h.session();
    const item = h.mailbox.add(readItem({ from: { address: 'stranger@example.org', name: null } }));
    expect(await untrackItem(session, item)).toMatchObject({ status: 'not-tracked' });
    expect(h.mailbox.items.get(item.itemId)?.notices.at(-1)).toEqual({
      kind: 'info',
      text: 'This email is not tracked in the CRM.',
    });
  });
});

async function waitUntil(ok: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
