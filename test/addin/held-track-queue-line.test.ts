/**
 * Issue 10, "notifications never contradict the state": a track whose request is out is held in the
 * queue (holdPending) so that a reload loses nothing, but it is not waiting for a try. The queue line
 * ("1 email waits to be tracked…") counts it only once its hold is over; a track that failed a try
 * waits its back-off and is counted.
 */
import { HOLD_MS, holdPending } from '../../src/app/pendingQueue';
import { settledOn, until, useRig, waitFor, type Rig } from '../unit/taskpane/harness';

jest.setTimeout(60_000);

const holder = useRig();
let rig: Rig;
beforeEach(() => {
  rig = holder.current;
});

/** A pane on the (untracked) kickoff notes, its watch looking every 50 ms. */
async function paneOnKickoff() {
  const itemId = rig.ids.kickoffNotes;
  await rig.sim.mailbox.select(itemId);
  const pane = rig.make({ watchEveryMs: 50 });
  await pane.start();
  await until(pane, settledOn(itemId));
  return { pane, itemId };
}

test('a track in flight on a slow CRM is held, yet the queue line does not say it waits', async () => {
  const { pane, itemId } = await paneOnKickoff();
  rig.emu.faults.add({ match: { pathContains: '$batch' }, delayMs: 30_000, count: 1 });

  const tracking = pane.track();
  await waitFor(() => rig.emu.faults.held === 1, 'the track’s request held by the slow CRM');
  expect(rig.roaming.read().pending).toEqual([
    expect.objectContaining({ key: itemId, heldAt: expect.any(Number) }),
  ]);
  // The background run reads the queue while the request is out (it leaves a held track alone).
  await pane.drain();
  expect(pane.getState().queue).toMatchObject({ waiting: 0, undeliverable: 0 });
  expect(pane.getState().queue.nextTry ?? null).toBeNull();

  rig.emu.faults.clear();
  await tracking;
  const done = await until(pane, (s) => s.item.kind === 'read' && s.item.state.status === 'tracked');
  expect(done.queue.waiting).toBe(0);
  expect(rig.roaming.read().pending).toEqual([]);
});

/** A track held `age` ms ago on the kickoff notes while the pane shows another item (no check settles it). */
async function heldElsewhere(age: number) {
  const { pane, itemId } = await paneOnKickoff();
  const item = (await pane.session!.mailbox.currentItem())!;
  await rig.sim.mailbox.select(rig.ids.demoRequest);
  await until(pane, settledOn(rig.ids.demoRequest));
  // The watch's first run notes the queue as it is; only a change after it makes it read the queue.
  await new Promise((resolve) => setTimeout(resolve, 250));
  await holdPending(
    {
      pending: rig.roaming.pendingStore(),
      clock: { now: () => Date.now() - age },
      verboseErrors: false,
      log: { log: rig.log },
    },
    { itemId, facts: item.facts, regarding: null, messageId: item.facts.messageId as string },
  );
  return { pane, itemId, messageId: item.facts.messageId as string };
}

test('held, its hold not over: the background run leaves it alone, and the line says nothing waits', async () => {
  const { pane, itemId } = await heldElsewhere(0);
  await pane.drain();
  expect(pane.getState().queue).toMatchObject({ waiting: 0, undeliverable: 0 });
  expect(pane.getState().queue.nextTry ?? null).toBeNull();
  expect(rig.roaming.read().pending).toEqual([expect.objectContaining({ key: itemId })]);
});

test('held, its hold over (its runtime stopped long ago): it waits, the line says so, and the drain sends it', async () => {
  const { pane, messageId } = await heldElsewhere(HOLD_MS + 1);
  // The watch sees the entry appear and reads the queue again.
  const shown = await until(pane, (s) => s.queue.waiting === 1);
  expect(shown.queue.nextTry).toMatch(/^within about /);
  await pane.drain();
  expect(pane.getState().queue.waiting).toBe(0);
  expect(rig.roaming.read().pending).toEqual([]);
  expect(rig.emu.db.prepare('select activityid from email where messageid = ?').all(messageId)).toHaveLength(
    1,
  );
});

test('a track that failed a try waits its back-off, and the line counts it', async () => {
  const { pane } = await paneOnKickoff();
  rig.emu.faults.add({ match: { pathContains: '$batch' }, status: 503, count: 1000 });
  await pane.track();
  const shown = await until(pane, (s) => s.item.kind === 'read' && s.item.state.status === 'pending');
  expect(shown.queue).toMatchObject({ waiting: 1, nextTry: expect.stringMatching(/^within about /) });
  rig.emu.faults.clear();
});
