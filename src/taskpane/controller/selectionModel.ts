/**
 * The selected Outlook item: shown from the cache first, checked by the use case (read item) or
 * read as a draft (compose), and watched for what other runtimes change (its tags, the queue).
 */
import { NOT_TRACKED_WHEN_SENT, composeOpened, type ComposeState } from '../../app/composeUseCases';
import { errorText, userFacingError, type ItemState } from '../../app/itemState';
import { willTrackText } from '../../app/draftMarking';
import { itemOpened } from '../../app/itemUseCases';
import { isHeld } from '../../app/pendingQueue';
import type { ItemSnapshot } from '../../app/ports';
import { announceText, failedState, readView, unreachableState } from './itemViews';
import type { PaneCore } from './paneCore';
import type { ItemView, ReadItemView } from './types';

const CACHE_LIMIT = 200;

export interface SelectionDeps {
  closeSearch(): void;
  drain(): Promise<void>;
  updateQueue(): Promise<void>;
  /** The card while no session is open (`read`: a received or sent email, which Track can queue). */
  unavailable(itemId: string | null, read?: boolean): ItemView;
}

/** A draft whose tracking the user cancelled here. */
export function notTrackedDraft(): ComposeState {
  return { marked: false, mark: null, decision: null, optedOut: true, message: NOT_TRACKED_WHEN_SENT };
}

export class SelectionModel {
  private readonly cache = new Map<string, ReadItemView>();
  private readonly snapshots = new Map<string, ItemSnapshot>();
  /** Drafts whose tracking the user cancelled here (a new draft has no id: remembered while selected). */
  readonly cancelledDrafts = new Set<string>();
  /** The selected item's tags and the queue as last seen by the watch; null: take them afresh. */
  private watched: { itemId: string; marks: string } | null = null;
  private queueSeen: string | null = null;
  private watchRun = false;
  /**
   * Items checked again because their tags disagreed with the shown state: the tags and the state
   * of that disagreement, so each one is checked once (a lasting one does not loop), while a new
   * one after the item changed here (an Untrack, then a ribbon Track giving the same tags) is not
   * taken for the old.
   */
  private readonly rechecked = new Map<string, string>();
  /**
   * Regarding records' names of drafts marked here, by mark id (stable, and known for a new draft
   * that has no item id): the card names the record again when the draft is selected again.
   */
  private readonly draftRegardingNames = new Map<string, string>();

  constructor(
    private readonly core: PaneCore,
    private readonly deps: SelectionDeps,
  ) {}

  /** The selection changed (or the pane started): show the new item, from the cache first. */
  async itemChanged(): Promise<void> {
    const core = this.core;
    const seq = ++core.selection;
    this.deps.closeSearch();
    const current = core.currentOfficeItem();
    if (!current) {
      core.set({ item: { kind: 'empty' }, busy: null, ...core.announce(core.t('item.noEmailSelected')) });
    } else if (current.read) {
      const cached = this.cache.get(current.itemId);
      if (cached) {
        core.set({
          item: { ...cached, refreshing: true },
          busy: null,
          ...core.announce(announceText(cached.state, core.t)),
        });
      } else {
        this.showLoading(seq, current.itemId);
      }
      await this.showRead(seq, current.itemId, cached?.state ?? null);
    } else {
      this.showLoading(seq, current.itemId);
      const itemId = current.itemId || (await this.draftId());
      if (seq === core.selection) await this.showCompose(seq, itemId);
    }
    await this.deps.drain();
  }

  /**
   * Runs the current item's check again, keeping what is shown until the answer is in. `tracked`:
   * what a tracked answer says instead of the check's own words (a waiting track just delivered).
   */
  async refresh(tracked?: string): Promise<void> {
    const item = this.core.state.item;
    if (item.kind !== 'read') return this.itemChanged();
    const seq = ++this.core.selection;
    this.core.set({ item: { ...item, refreshing: true } });
    await this.showRead(seq, item.itemId, item.state, tracked);
  }

  showLoading(seq: number, itemId: string): void {
    const core = this.core;
    core.set({ item: { kind: 'loading', itemId, slow: false }, busy: null });
    core.whenSlow(() => {
      const item = core.state.item;
      if (seq === core.selection && item.kind === 'loading' && item.itemId === itemId)
        core.set({ item: { ...item, slow: true } });
    });
  }

  /** The item as last read for this selection (an action reads it again, falling back on this). */
  snapshotOf(itemId: string): ItemSnapshot | null {
    return this.snapshots.get(itemId) ?? null;
  }

  nameDraftRegarding(markId: string, name: string): void {
    this.draftRegardingNames.set(markId, name);
  }

  forget(itemId: string): void {
    this.cache.delete(itemId);
  }

  clearCache(): void {
    this.cache.clear();
  }

  /** Publishes a read item's state when it is still the selection; caches it either way. */
  publish(seq: number, snapshot: ItemSnapshot, state: ItemState, quietIfSame: ItemState | null): void {
    const core = this.core;
    const view = readView(snapshot, state);
    this.remember(view);
    if (seq !== core.selection) return;
    this.snapshots.set(snapshot.itemId, snapshot);
    const same =
      quietIfSame !== null && quietIfSame.status === state.status && quietIfSame.message === state.message;
    if (state.status === 'failed' || state.status === 'undeliverable')
      core.log(`Item ${state.itemId}: ${state.status}: ${state.error?.verbose ?? state.message}`);
    core.set({ item: view, ...(same ? {} : core.announce(announceText(state, core.t))) });
  }

  /**
   * One look at what other runtimes may have changed: the selected item's tags (checked again, one
   * CRM lookup, when they change) and the waiting tracks (the queue line updated).
   */
  async watch(): Promise<void> {
    const core = this.core;
    if (this.watchRun || core.disposed) return;
    this.watchRun = true;
    try {
      const queue = JSON.stringify(
        core.roaming.read().pending.map((p) => [p.key, p.attempts, p.undeliverable]),
      );
      const queueChanged = this.queueSeen !== null && queue !== this.queueSeen;
      this.queueSeen = queue;
      if (queueChanged) await this.deps.updateQueue();
      const item = core.state.item;
      if (item.kind !== 'read' || item.refreshing || core.state.busy || !core.host) {
        this.watched = null;
        return;
      }
      const now = await core.selectionPort.marks().catch((error: unknown) => {
        core.log("Could not read the selected email's tags", error);
        return null;
      });
      const shown = core.state.item;
      if (
        !now ||
        shown.kind !== 'read' ||
        shown.itemId !== now.itemId ||
        shown.refreshing ||
        core.state.busy
      ) {
        this.watched = null;
        return;
      }
      // What the watch saw of another item is no "before" for this one: the selection may change
      // between two looks without a look in between (a fast check), and taking the other item's tags
      // as this one's would miss a ribbon track made right after this item's check (walk 13b).
      const before = this.watched?.itemId === now.itemId ? this.watched : null;
      this.watched = { itemId: now.itemId, marks: now.marks };
      // A held entry is another runtime's track in flight (the ribbon's Set Regarding): its answer shows
      // by the item's tags changing. Checking on its entry alone would send it again from here and
      // call it "the waiting track was delivered", when nothing was waiting.
      const pendingHere =
        queueChanged && core.roaming.read().pending.some((p) => p.itemId === now.itemId && !isHeld(p));
      const changed = before !== null && before.marks !== now.marks;
      // A first look that disagrees with what is shown (tagged Tracked while the pane says not): the
      // change happened between the check and this look. Checked again once per disagreement.
      const disagreement = JSON.stringify([now.marks, shown.state.status, shown.state.message]);
      const disagrees =
        before === null &&
        now.tracked !== (shown.state.status === 'tracked') &&
        this.rechecked.get(now.itemId) !== disagreement;
      if (disagrees) this.rechecked.set(now.itemId, disagreement);
      if (changed || disagrees || pendingHere || (queueChanged && shown.state.status === 'pending')) {
        this.watched = null;
        await this.refresh();
      }
    } finally {
      this.watchRun = false;
    }
  }

  /** A draft has an id only once saved (Mailbox 1.8 getItemIdAsync); '' for a new, unsaved one. */
  private async draftId(): Promise<string> {
    return this.core.selectionPort.draftId().catch((error: unknown) => {
      // The draft is shown without an id (as an unsaved one is); the log says why.
      this.core.log("Could not read the draft's id", error);
      return '';
    });
  }

  private remember(view: ReadItemView): void {
    this.cache.delete(view.itemId);
    this.cache.set(view.itemId, { ...view, refreshing: false });
    if (this.cache.size > CACHE_LIMIT) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }

  private async showRead(
    seq: number,
    itemId: string,
    shown: ItemState | null,
    tracked?: string,
  ): Promise<void> {
    const core = this.core;
    await core.saving;
    const host = await core.hostPromise;
    if (seq !== core.selection) return;
    if (!host) {
      core.set({ item: this.deps.unavailable(itemId, true) });
      return;
    }
    let snapshot: ItemSnapshot | null = null;
    try {
      snapshot = await host.session.mailbox.currentItem();
      if (seq !== core.selection) return;
      if (!snapshot) {
        core.set({ item: { kind: 'empty' } });
        return;
      }
      const checked = await itemOpened(host.session, snapshot);
      const opened = tracked && checked.status === 'tracked' ? { ...checked, message: tracked } : checked;
      // A check that failed for a reason time fixes (offline, 5xx) is not "Something went wrong".
      const state =
        opened.status === 'failed' && opened.error?.retryable ? unreachableState(snapshot, core.t) : opened;
      if (state !== opened) core.log(`Item ${itemId}: could not be checked: ${opened.error?.verbose ?? ''}`);
      this.publish(seq, snapshot, state, shown);
    } catch (error) {
      if (seq !== core.selection) return; // a newer selection: this one's failure is of no interest
      core.log(`Could not check item ${itemId}`, error);
      if (snapshot && userFacingError(error).retryable) {
        this.publish(seq, snapshot, unreachableState(snapshot, core.t), shown);
        return;
      }
      const failed = failedState(itemId, core.t('item.couldNotCheck'), error, core.verbose, shown, core.t);
      if (snapshot) this.publish(seq, snapshot, failed, null);
      else
        core.set({
          item: { kind: 'unavailable', itemId, message: failed.message },
          ...core.announce(failed.message),
        });
    }
  }

  private async showCompose(seq: number, itemId: string): Promise<void> {
    const core = this.core;
    await core.saving;
    const host = await core.hostPromise;
    if (seq !== core.selection) return;
    if (!host) {
      core.set({ item: this.deps.unavailable(itemId) });
      return;
    }
    // A new draft has no id: its cancellation is remembered while it stays selected only.
    if (itemId && this.cancelledDrafts.has(itemId)) {
      core.set({ item: { kind: 'compose', itemId, state: notTrackedDraft() } });
      return;
    }
    try {
      const opened = await composeOpened(host.session);
      if (seq !== core.selection) return;
      const name = opened.mark?.regarding ? this.draftRegardingNames.get(opened.mark.id) : undefined;
      const state = name ? { ...opened, message: willTrackText(name) } : opened;
      // The card's regarding line names the record as the message does, not "(open in the CRM)".
      core.set({
        item: { kind: 'compose', itemId, state, regardingName: name ?? null },
        ...core.announce(state.message),
      });
    } catch (error) {
      if (seq !== core.selection) return;
      core.log(`Could not check draft ${itemId}`, error);
      const text = core.t('item.couldNotCheckDraft', {
        error: errorText(userFacingError(error), core.verbose),
      });
      core.set({ item: { kind: 'unavailable', itemId, message: text }, ...core.announce(text) });
    }
  }
}
