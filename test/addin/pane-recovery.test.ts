/**
 * Issue 10, "recovery needs no click" and "notifications never contradict the state", in the pane on
 * the Outlook simulator against the CRM emulator. A reload mid-track is a pane disposed while its
 * track is held in the queue (holdPending, before the request leaves) and a new pane started on the
 * same roaming settings.
 */
import { DELIVERED_TEXT } from '../../src/app/itemState';
import { trackItem } from '../../src/app/itemUseCases';
import { holdPending } from '../../src/app/pendingQueue';
import type { ItemSnapshot } from '../../src/app/ports';
import type { PaneController } from '../../src/taskpane/controller/paneController';
import { settledOn, until, useRig, type Rig } from '../unit/taskpane/harness';

jest.setTimeout(60_000);

const holder = useRig();
let rig: Rig;
beforeEach(() => {
  rig = holder.current;
});

const notices = (itemId: string) => rig.sim.mailbox.notificationsOf(itemId).map((n) => n.message);
const rows = (messageId: string) =>
  rig.emu.db.prepare('select activityid from email where messageid = ?').all(messageId);

/** The item as the add-in reads it, from a pane that is then closed. */
async function snapshotOf(itemId: string): Promise<{ pane: PaneController; item: ItemSnapshot }> {
  await rig.sim.mailbox.select(itemId);
  const pane = rig.make();
  await pane.start();
  await until(pane, settledOn(itemId));
  const item = await pane.session!.mailbox.currentItem();
  return { pane, item: item! };
}

/** What a pane closed while its track's request was out leaves behind: the held entry. */
async function reloadedMidTrack(item: ItemSnapshot): Promise<void> {
  await holdPending(
    {
      pending: rig.roaming.pendingStore(),
      clock: { now: () => Date.now() },
      verboseErrors: false,
      log: { log: rig.log },
    },
    { itemId: item.itemId, facts: item.facts, regarding: null, messageId: item.facts.messageId as string },
  );
}

const trackedWith = (itemId: string, message: string) => (s: Parameters<Parameters<typeof until>[1]>[0]) =>
  settledOn(itemId)(s) &&
  s.item.kind === 'read' &&
  s.item.state.status === 'tracked' &&
  s.item.state.message === message;

describe('a reload mid-track: the new pane settles the held track at once, exactly once', () => {
  test('the item selected when the pane starts: sent by its check, the card and the notification say the waiting track was delivered', async () => {
    const { pane: before, item } = await snapshotOf(rig.ids.kickoffNotes);
    before.dispose();
    await reloadedMidTrack(item);

    const pane = rig.make();
    await pane.start();
    const shown = await until(pane, trackedWith(item.itemId, DELIVERED_TEXT));

    expect(shown.queue.waiting).toBe(0);
    expect(rig.roaming.read().pending).toEqual([]);
    expect(rows(item.facts.messageId!)).toHaveLength(1);
    expect(notices(item.itemId).at(-1)).toBe(DELIVERED_TEXT);
  });

  test('another item selected: the first drain sends it, with no click and no wait for the hold', async () => {
    const { pane: before, item } = await snapshotOf(rig.ids.kickoffNotes);
    before.dispose();
    await reloadedMidTrack(item);
    await rig.sim.mailbox.select(rig.ids.demoRequest);

    const pane = rig.make();
    await pane.start();
    await until(pane, (s) => settledOn(rig.ids.demoRequest)(s) && s.queue.waiting === 0);

    expect(rig.roaming.read().pending).toEqual([]);
    expect(rows(item.facts.messageId!)).toHaveLength(1);
  });

  test('the request had landed, its answer lost: the first drain finds it by its Message-ID and makes no second one', async () => {
    const { pane: before, item } = await snapshotOf(rig.ids.kickoffNotes);
    await before.track();
    expect(rows(item.facts.messageId!)).toHaveLength(1);
    before.dispose();
    await reloadedMidTrack(item);
    await rig.sim.mailbox.select(rig.ids.demoRequest);

    const pane = rig.make();
    await pane.start();
    await until(pane, (s) => settledOn(rig.ids.demoRequest)(s) && s.queue.waiting === 0);

    expect(rig.roaming.read().pending).toEqual([]);
    expect(rows(item.facts.messageId!)).toHaveLength(1);
    // Only the first drain sends held tracks early: a later one leaves a new hold to its request.
    await reloadedMidTrack(item);
    await pane.drain();
    expect(rig.roaming.read().pending).toEqual([expect.objectContaining({ key: item.itemId, attempts: 0 })]);
  });
});

describe('a waiting track delivered by the pane says so, on the card and the item', () => {
  /** The selected item's Track failed once (503): it waits, its notification says "Not tracked yet". */
  async function waiting(): Promise<{ pane: PaneController; itemId: string }> {
    const itemId = rig.ids.kickoffNotes;
    await rig.sim.mailbox.select(itemId);
    const pane = rig.make();
    await pane.start();
    await until(pane, settledOn(itemId));
    rig.emu.faults.add({ match: { pathContains: '$batch' }, status: 503, count: 1000 });
    await pane.track();
    await until(pane, (s) => s.item.kind === 'read' && s.item.state.status === 'pending');
    expect(notices(itemId).at(-1)).toMatch(/^Not tracked yet/);
    rig.emu.faults.clear();
    return { pane, itemId };
  }

  test('by Retry', async () => {
    const { pane, itemId } = await waiting();
    await pane.retry();
    await until(pane, trackedWith(itemId, DELIVERED_TEXT));
    expect(notices(itemId).at(-1)).toBe(DELIVERED_TEXT);
  });

  test('by the background drain, once its back-off is over', async () => {
    const { pane, itemId } = await waiting();
    await rig.roaming.update((s) => ({ ...s, pending: s.pending.map((p) => ({ ...p, nextAttemptAt: 0 })) }));
    await pane.drain();
    await until(pane, trackedWith(itemId, DELIVERED_TEXT));
    expect(notices(itemId).at(-1)).toBe(DELIVERED_TEXT);
  });
});

test('Untrack replaces the item’s "Tracked in the CRM." with what the pane now says', async () => {
  const itemId = rig.ids.kickoffNotes;
  await rig.sim.mailbox.select(itemId);
  const pane = rig.make();
  await pane.start();
  await until(pane, settledOn(itemId));
  await pane.track();
  expect(notices(itemId).at(-1)).toMatch(/^Tracked in the CRM\./);

  await pane.untrack();
  const shown = await until(pane, (s) => s.item.kind === 'read' && s.item.state.status === 'not-tracked');
  expect(notices(itemId).filter((n) => /Tracked in the CRM/.test(n))).toEqual([]);
  expect(notices(itemId).at(-1)).toBe(shown.item.kind === 'read' ? shown.item.state.message : '');
});

test('after an Untrack, a Track from another runtime giving the item the same tags as before is followed again', async () => {
  const itemId = rig.ids.kickoffNotes;
  await rig.sim.mailbox.select(itemId);
  // Each Track below is over before the watch's next look (which then sees the new tags first, with
  // nothing to compare them to): the case a disagreement must be checked again for.
  const pane = rig.make({ watchEveryMs: 600 });
  await pane.start();
  await until(pane, settledOn(itemId));
  const ribbon = async () => {
    const item = await pane.session!.mailbox.currentItem();
    await trackItem(pane.session!, item!);
  };

  await ribbon();
  await until(pane, (s) => s.item.kind === 'read' && s.item.state.status === 'tracked');
  await pane.untrack();
  await until(pane, (s) => s.item.kind === 'read' && s.item.state.status === 'not-tracked');
  // The same activity id (derived from the Message-ID) and category: the tags read as before.
  await ribbon();
  await until(pane, (s) => s.item.kind === 'read' && s.item.state.status === 'tracked');
});
