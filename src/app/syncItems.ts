/**
 * The Outlook items of one record type as the synchronization client keeps them between runs
 * (synchronization.md §2: the planner needs every item of the type, Graph's delta answers only what
 * changed). Delta answers are merged into the stored items; an item deleted while linked is kept,
 * marked deleted, until the planner's `unlink` (OutlookDeleted) is done, so its record is excluded
 * instead of being copied to Outlook again.
 */
import type { OutlookChangesOptions, OutlookSyncItem, OutlookSyncPort } from '../graph/syncPort';
import type { SyncEntity } from '../rules/syncTypes';
import type { SyncTypeState } from './syncStatus';

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * The calendar window a first round of events reads (`calendarView/delta` needs one): a month back,
 * a year ahead (chosen: the legacy client's synchronization was about current and coming meetings;
 * later rounds carry the window in the watermark).
 */
export const EVENT_WINDOW_PAST_DAYS = 30;
export const EVENT_WINDOW_FUTURE_DAYS = 365;

export interface StoredItems {
  readonly items: Map<string, OutlookSyncItem>;
  /** Deleted in Outlook while linked: kept until their unlink is done. */
  readonly deleted: Map<string, OutlookSyncItem>;
}

export function storedItemsOf(state: SyncTypeState): StoredItems {
  return {
    items: new Map(state.items.map((item) => [item.itemId, item])),
    deleted: new Map((state.deleted ?? []).map((item) => [item.itemId, item])),
  };
}

export function firstRoundOptions(entity: SyncEntity, now: number): OutlookChangesOptions {
  if (entity !== 'appointment') return {};
  const start = new Date(now - EVENT_WINDOW_PAST_DAYS * DAY_MS).toISOString();
  const end = new Date(now + EVENT_WINDOW_FUTURE_DAYS * DAY_MS).toISOString();
  return { window: { start, end } };
}

/**
 * Reads the type's delta from `watermark` to its end into `stored`; returns the new watermark.
 * A `restarted` answer is a full read: the stored items are replaced by it, and a linked item it no
 * longer has is taken as deleted (it was deleted while the watermark was expired).
 */
export async function readChanges(
  outlook: OutlookSyncPort,
  entity: SyncEntity,
  watermark: string | null,
  stored: StoredItems,
  now: number,
): Promise<string> {
  let mark = watermark;
  let before: Map<string, OutlookSyncItem> | null = null;
  for (;;) {
    const changes = await outlook.changes(entity, mark, mark === null ? firstRoundOptions(entity, now) : {});
    if (changes.restarted) {
      before = before ?? new Map(stored.items);
      stored.items.clear();
    }
    for (const item of changes.items) {
      stored.items.set(item.itemId, item);
      stored.deleted.delete(item.itemId);
    }
    for (const itemId of changes.removed) {
      const old = stored.items.get(itemId);
      stored.items.delete(itemId);
      if (old && old.crmId !== null) stored.deleted.set(itemId, old);
    }
    mark = changes.watermark;
    if (changes.complete) break;
  }
  if (before)
    for (const [itemId, old] of before)
      if (old.crmId !== null && !stored.items.has(itemId)) stored.deleted.set(itemId, old);
  return mark;
}
