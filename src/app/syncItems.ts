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

/**
 * A round of events whose window starts more than this long ago is ended and a new round, with a
 * window from today, started (chosen: a week keeps coming meetings inside a window a year ahead at the
 * cost of one full read of the calendar a week).
 */
export const EVENT_WINDOW_MAX_AGE_DAYS = 7;

export type EventWindow = { readonly start: string; readonly end: string };

export function eventWindow(now: number): EventWindow {
  const start = new Date(now - EVENT_WINDOW_PAST_DAYS * DAY_MS).toISOString();
  const end = new Date(now + EVENT_WINDOW_FUTURE_DAYS * DAY_MS).toISOString();
  return { start, end };
}

/** The window the events' round reads: the stored one, or a new one (and so a new round) once it is too old. */
export function roundWindow(
  stored: EventWindow | undefined,
  now: number,
): { readonly window: EventWindow; readonly newRound: boolean } {
  const tooOld = (w: EventWindow): boolean =>
    now - Date.parse(w.start) > (EVENT_WINDOW_PAST_DAYS + EVENT_WINDOW_MAX_AGE_DAYS) * DAY_MS;
  if (stored && !tooOld(stored)) return { window: stored, newRound: false };
  return { window: eventWindow(now), newRound: true };
}

/** Events whose stored start is outside the window are not in its round: their absence says nothing. */
function insideWindow(item: OutlookSyncItem, window: EventWindow | undefined): boolean {
  const start = item.fields.start;
  if (!window || typeof start !== 'string') return true;
  const at = Date.parse(start);
  return !(at < Date.parse(window.start) || at >= Date.parse(window.end));
}

/**
 * Reads the type's delta from `watermark` to its end into `stored`; returns the new watermark.
 * A `restarted` answer, or a read from no watermark over items already stored (a new round of events),
 * is a full read: the stored items are replaced by it, and a linked item it no longer has is taken as
 * deleted (it was deleted while the watermark was expired) when it was inside the round's window;
 * a linked event outside it is kept as last read (chosen: it left the window, not the calendar, and
 * taking it as deleted would unlink and exclude its record).
 */
export async function readChanges(
  outlook: OutlookSyncPort,
  entity: SyncEntity,
  watermark: string | null,
  stored: StoredItems,
  window?: EventWindow,
): Promise<string> {
  const options: OutlookChangesOptions = entity === 'appointment' && window ? { window } : {};
  let mark = watermark;
  let before: Map<string, OutlookSyncItem> | null =
    watermark === null && stored.items.size > 0 ? new Map(stored.items) : null;
  if (before) stored.items.clear();
  for (;;) {
    const changes = await outlook.changes(entity, mark, options);
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
    for (const [itemId, old] of before) {
      if (old.crmId === null || stored.items.has(itemId)) continue;
      if (entity === 'appointment' && !insideWindow(old, window)) stored.items.set(itemId, old);
      else stored.deleted.set(itemId, old);
    }
  return mark;
}
