/**
 * Walk 13, items 1 and 8: with the pane open, the ribbon's Set Regarding tracks the selected email
 * regarding a record; nothing was waiting. The pane shows it tracked in its plain words (never "the
 * waiting track was delivered"), with the record's name on the regarding line, without reselection.
 */
import { seedId } from '../../../emulator/seed';
import { englishAppWords } from '../../../src/app/appWords';
import { trackItem } from '../../../src/app/itemUseCases';
import { openOutlookSession } from '../../../src/host/outlookSession';
import { parseHeaderBlock } from '../../../src/mail/headers';
import type { ReadItemView } from '../../../src/taskpane/controller/types';
import { settledOn, useRig, until } from './harness';

const holder = useRig();
const FABRIKAM = { type: 'account', id: seedId('account:fabrikam.com') } as const;

test('a ribbon Set Regarding seen by the open pane: tracked, named, not "delivered"', async () => {
  const rig = holder.current;
  await rig.sim.mailbox.select(rig.ids.wingtipPricing);
  const pane = rig.make({ watchEveryMs: 50 });
  await pane.start();
  await until(pane, settledOn(rig.ids.wingtipPricing));

  const ribbon = await openOutlookSession(rig.office, {
    signIn: null,
    parseHeaders: parseHeaderBlock,
    log: { log: jest.fn() },
  });
  const snapshot = await ribbon.session.mailbox.currentItem();
  await trackItem(ribbon.session, snapshot as NonNullable<typeof snapshot>, FABRIKAM);
  await until(pane, (s) => s.item.kind === 'read' && s.item.state.status === 'tracked' && !s.item.refreshing);

  const state = (pane.getState().item as ReadItemView).state;
  expect(state.message).not.toBe(englishAppWords('app.delivered'));
  expect(state.regarding).toEqual(FABRIKAM);
  expect(state.names[`${FABRIKAM.type}:${FABRIKAM.id}`]).toBe('Fabrikam');
  // One activity: the pane did not send the ribbon's track again.
  expect(
    rig.emu.db.prepare('SELECT COUNT(*) AS n FROM email WHERE _regardingobjectid_value = ?').get(FABRIKAM.id),
  ).toEqual({ n: 1 });
});
