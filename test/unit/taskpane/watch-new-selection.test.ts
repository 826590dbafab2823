/**
 * Walk 13b, defect 1: the pane's watch compares the selected item's tags with what it saw last. What
 * it saw last may be another item's (the selection changed between two looks, which the watch does not
 * always see in between): that is a first look at the new item, and a ribbon track of it, made after
 * the pane's check, must still show as tracked without the user selecting it again.
 */
import { trackItem } from '../../../src/app/itemUseCases';
import { openOutlookSession } from '../../../src/host/outlookSession';
import { parseHeaderBlock } from '../../../src/mail/headers';
import type { PaneController } from '../../../src/taskpane/controller/paneController';
import { settledOn, useRig, until } from './harness';

jest.setTimeout(40_000);
const holder = useRig();

/** One look of the watch, as its timer takes it (the timer itself is set never to fire here). */
const look = (pane: PaneController): Promise<void> =>
  (pane['selection'] as { watch(): Promise<void> }).watch();

async function ribbonTrack(): Promise<void> {
  const ribbon = await openOutlookSession(holder.current.office, {
    signIn: null,
    parseHeaders: parseHeaderBlock,
    log: { log: jest.fn() },
  });
  const snapshot = await ribbon.session.mailbox.currentItem();
  await trackItem(ribbon.session, snapshot as NonNullable<typeof snapshot>);
}

const trackedOn = (itemId: string) => (s: ReturnType<PaneController['getState']>) =>
  s.item.kind === 'read' &&
  s.item.itemId === itemId &&
  s.item.state.status === 'tracked' &&
  !s.item.refreshing;

test('a ribbon track of a newly selected item shows, though the last look was at another item', async () => {
  const rig = holder.current;
  const first = rig.ids.invoice;
  const second = rig.ids.lunch;
  await rig.sim.mailbox.select(first);
  const pane = rig.make({ watchEveryMs: 2 ** 30 });
  await pane.start();
  await until(pane, settledOn(first));
  await ribbonTrack();
  await look(pane);
  await until(pane, trackedOn(first));
  await look(pane); // the watch now remembers the first item's tags

  await rig.sim.mailbox.select(second);
  await until(pane, settledOn(second));
  expect(pane.getState().item).toMatchObject({ state: { status: 'not-tracked' } });
  await ribbonTrack();
  await look(pane);
  await until(pane, trackedOn(second));
});
