/**
 * Walk 13, item 1: after a plain ribbon Set Regarding (nothing waiting) the pane said "Tracked in the
 * CRM (the waiting track was delivered)". The pane looked at the item between the ribbon's tagging
 * and its removing the held entry: a held track its own runtime landed and tagged is said tracked,
 * as any tracked item is; only one whose runtime stopped before the answer is "delivered".
 */
import { englishAppWords } from '../../../src/app/appWords';
import { DELIVERED_TEXT } from '../../../src/app/itemState';
import { itemOpened } from '../../../src/app/itemUseCases';
import { harness } from '../../support/diagnostics';
import { contactAnn } from '../../support/fakes';
import { heldTrack, landed } from '../../support/heldTracks';

const account = { type: 'account', id: 'a1' } as const;

async function heldAndLanded(tagged: boolean) {
  const h = harness();
  h.crm.records = [contactAnn];
  const { session, item } = await heldTrack(h, account);
  landed(h, item.facts.messageId as string, account);
  if (tagged) await h.mailbox.tagTracked(item.itemId, { activityId: 'landed-1', regarding: account });
  const snapshot = h.mailbox.snapshot(item.itemId);
  return { h, state: await itemOpened(session, snapshot) };
}

describe('a held track is "delivered" only when the pane delivered it', () => {
  test('its own runtime landed and tagged it: said tracked, not delivered; the entry leaves; nothing sent', async () => {
    const { h, state } = await heldAndLanded(true);

    expect(state).toMatchObject({ status: 'tracked', activityId: 'landed-1' });
    expect(state.message).toBe(englishAppWords('app.tracked'));
    expect(state.message).not.toBe(DELIVERED_TEXT);
    expect(h.pending.list).toEqual([]);
    expect(h.crm.count('trackEmails')).toBe(0);
  });

  test('its runtime stopped before the answer (no tag): found in the CRM and said delivered', async () => {
    const { state } = await heldAndLanded(false);

    expect(state).toMatchObject({ status: 'tracked', activityId: 'landed-1', message: DELIVERED_TEXT });
  });
});
