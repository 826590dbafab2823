/** Pure: an item's use-case state → what the card shows and what the live region says. */
import { errorText, userFacingError, type ItemState } from '../../app/itemState';
import type { ItemSnapshot } from '../../app/ports';
import type { PaneStrings } from '../strings';
import type { ReadItemView, SenderInfo } from './types';

type PaneTranslate = PaneStrings['t'];

/** A failed state for an error no use case turned into one (a bug, or Outlook refusing a call). */
export function failedState(
  itemId: string,
  what: string,
  error: unknown,
  verbose: boolean,
  previous: ItemState | null,
  t: PaneTranslate,
): ItemState {
  const failure = userFacingError(error);
  return {
    itemId,
    status: 'failed',
    activityId: previous?.activityId ?? null,
    regarding: previous?.regarding ?? null,
    decision: previous?.decision ?? null,
    senderMatchCount: previous?.senderMatchCount ?? null,
    message: t('item.failedWith', { what, error: errorText(failure, verbose) }),
    error: failure,
    names: previous?.names ?? {},
  };
}

/**
 * The item while the CRM cannot be reached (time fixes it): what the item itself says (its tag),
 * else Track, which queues. No decision, so no party is shown as "not in the CRM" because a lookup
 * failed, and no raw error text: the detail is in the log.
 */
export function unreachableState(snapshot: ItemSnapshot, t: PaneTranslate): ItemState {
  const base = { itemId: snapshot.itemId, decision: null, error: null, names: {} };
  if (snapshot.tag)
    return {
      ...base,
      status: 'tracked',
      activityId: snapshot.tag.activityId,
      regarding: snapshot.tag.regarding,
      message: t('item.trackedUnreachable'),
    };
  return {
    ...base,
    status: 'not-tracked',
    activityId: null,
    regarding: null,
    message: t('item.notCheckedUnreachable'),
  };
}

function senderOf(snapshot: ItemSnapshot): SenderInfo | null {
  const from = snapshot.facts.from;
  return from ? { name: from.name ?? null, address: from.address } : null;
}

export function readView(snapshot: ItemSnapshot, state: ItemState): ReadItemView {
  return {
    kind: 'read',
    itemId: snapshot.itemId,
    subject: snapshot.facts.subject,
    from: senderOf(snapshot),
    state,
    refreshing: false,
  };
}

const ANNOUNCED = {
  tracked: 'item.announceTracked',
  'not-tracked': 'item.announceNotTracked',
  'needs-regarding': 'item.announceNeedsRegarding',
  pending: 'item.announcePending',
  undeliverable: 'item.announceUndeliverable',
  failed: 'item.announceFailed',
} as const satisfies Record<ItemState['status'], string>;

export function announceText(state: ItemState, t: PaneTranslate): string {
  const status = t(ANNOUNCED[state.status]);
  const message = state.message.trim();
  // The state's own message often opens with the same sentence ("Tracked in the CRM.", "Tracked in the
  // CRM (the waiting track was delivered)"): a screen reader would read it twice (walk 13, item 8).
  const said = status.replace(/[.。!]$/u, '');
  if (!message) return status;
  return message.toLocaleLowerCase().startsWith(said.toLocaleLowerCase()) ? message : `${status} ${message}`;
}
