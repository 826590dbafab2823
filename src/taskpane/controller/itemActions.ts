/**
 * The user's actions on the selected read item: Track (queued when no session can be opened),
 * Untrack, Set Regarding, Create contact or lead, Discard and Retry. Each shows progress after 300 ms,
 * reads the item again (its tags change), and ends in a visible state: nothing is thrown to the views.
 */
import type { ChosenRecord } from '../../app/draftTracking';
import type { RecentRecord } from '../../app/recentRecords';
import type { LoggedSession as Session } from '../../app/diagnostics';
import { errorText, userFacingError, type ItemState } from '../../app/itemState';
import {
  discardPendingTrack,
  itemOpened,
  queueItemTrack,
  setRegarding,
  showDelivered,
  trackItem,
  untrackItem,
} from '../../app/itemUseCases';
import { drainPending } from '../../app/pendingQueue';
import type { ItemSnapshot } from '../../app/ports';
import type { RecordActionDeps } from './recordActions';
import type { RecordFormOfferInput, RecordFormRecord } from '../../app/recordForm';
import { CrmError, CrmNetworkError } from '../../crm/errors';
import type { RecordSearchHit } from '../../crm/port';
import { sessionlessDeps, type SessionlessDeps } from '../../host/withoutSession';
import { failedState } from './itemViews';
import type { PaneCore } from './paneCore';
import type { QueueModel } from './queueModel';
import type { SelectionModel } from './selectionModel';
import type { AccountSearchResult, CreateRecordResult, ItemView, ReadItemView } from './types';

/** The CRM calls behind the review form load with it (a chunk), not in the pane's first JavaScript. */
const recordActions = () => import(/* webpackChunkName: "pane-create-record" */ './recordActions');

export interface ActionDeps {
  readonly selection: SelectionModel;
  readonly queue: QueueModel;
  closeSearch(): void;
  /** The chosen record goes first among the recent ones (never fails). */
  remember(record: RecentRecord): Promise<void>;
  /** A record chosen in the search while a draft is shown: it marks the draft (draftActions). */
  trackDraft(regarding: ChosenRecord): Promise<void>;
  reconnect(): Promise<void>;
  /** Why no session could be opened, when time fixes it; null when there is a session or it cannot be fixed. */
  unreachable(): unknown;
  /** The card while no session is open, for a read item. */
  unavailable(itemId: string): ItemView;
}

/** The session's failure as a CRM error, for the queue (which keeps why a track waits). */
function crmErrorOf(cause: unknown): CrmError {
  if (cause instanceof CrmError) return cause;
  return new CrmNetworkError(cause instanceof Error ? cause.message : String(cause), {
    status: null,
    code: null,
    requestId: null,
    request: 'Track (pane, no session)',
  });
}

/** Without a session: the pane's own mailbox and queue, as the ribbon builds them (no header parser). */
const defaultSessionless = (
  office: typeof Office,
  log: PaneCore['log'],
  t: PaneCore['t'],
): Promise<SessionlessDeps> => sessionlessDeps(office, null, { log: { log }, t });

export class ItemActions {
  constructor(
    private readonly core: PaneCore,
    private readonly deps: ActionDeps,
  ) {}

  /** Track: the read item now; with no session at all (the CRM unreachable), queued for when it answers. */
  track(): Promise<void> {
    const item = this.core.state.item;
    if (item.kind === 'unavailable' && item.canTrack && item.itemId)
      return this.queueWithoutSession(item.itemId);
    const t = this.core.t;
    return this.act(t('item.busyTracking'), t('item.couldNotTrack'), (session, item) =>
      trackItem(session, item, null),
    );
  }

  /** Untrack, once the user confirmed in the dialog. */
  untrack(): Promise<void> {
    const t = this.core.t;
    return this.act(t('item.busyUntracking'), t('item.couldNotUntrack'), (session, item) =>
      untrackItem(session, item),
    );
  }

  /** A record chosen in the search: the read item's regarding, or the draft's; remembered as recent. */
  async chooseRegarding(hit: RecordSearchHit): Promise<void> {
    this.deps.closeSearch();
    void this.deps.remember({ type: hit.type, id: hit.id, name: hit.name });
    if (this.core.state.item.kind === 'compose')
      return this.deps.trackDraft({ type: hit.type, id: hit.id, name: hit.name });
    await this.act(
      this.core.t('item.busySettingRegarding'),
      this.core.t('item.couldNotSetRegarding'),
      async (session, item, shown) => {
        const ref = { type: hit.type, id: hit.id };
        const state = await setRegarding(session, item, ref, hit.name);
        return {
          ...state,
          decision: state.decision ?? shown.decision,
          // The count belongs to the lookup behind the decision: kept or replaced with it.
          senderMatchCount: state.decision ? state.senderMatchCount : shown.senderMatchCount,
          names: { ...shown.names, ...state.names },
        };
      },
    );
  }

  /**
   * What decides whether the review form is offered (recordForm.ts decides, in the form's lazy part).
   * The state's match count tells "the sender matched nothing" from "several, left unresolved"
   * (UnresolveSenderInCaseOfMultipleMatch); without it (no lookup) that switch withholds the form.
   */
  recordFormInput(item: ReadItemView): RecordFormOfferInput | null {
    const settings = this.core.host?.session.settings;
    const facts = this.deps.selection.snapshotOf(item.itemId)?.facts;
    return settings && facts
      ? {
          status: item.state.status,
          direction: facts.direction,
          sender: facts.from ?? null,
          decision: item.state.decision,
          senderMatchCount: item.state.senderMatchCount,
          settings,
        }
      : null;
  }

  /** The review form's Create: the record made, and the item checked again (the sender resolves). */
  async createFromForm(record: RecordFormRecord): Promise<CreateRecordResult> {
    return (await recordActions()).createSenderRecord(this.recordDeps(), record);
  }

  /** Accounts by name, for a contact's parent account in the review form. */
  async searchAccounts(text: string): Promise<AccountSearchResult> {
    return (await recordActions()).searchAccounts(this.recordDeps(), text);
  }

  private recordDeps(): RecordActionDeps {
    const core = this.core;
    return {
      core,
      act: (label, what, work) => this.act(label, what, work),
      recheck: itemOpened,
      words: (error) => errorText(userFacingError(error), core.verbose),
    };
  }

  /** Discard: the user gives up the item's waiting or undeliverable track. */
  async discard(): Promise<void> {
    const queue = this.deps.queue;
    const t = this.core.t;
    await this.act(t('item.busyDiscarding'), t('item.couldNotDiscard'), async (session, snapshot) => {
      const state = await queue.exclusive(() => discardPendingTrack(session, snapshot));
      await queue.updateQueue();
      return state;
    });
  }

  /** Retry: a waiting or undeliverable track is tried now; a failed check is run again; no session: reconnect. */
  async retry(): Promise<void> {
    const item = this.core.state.item;
    if (!this.core.host || item.kind === 'unavailable') return this.deps.reconnect();
    if (item.kind !== 'read') return this.deps.selection.itemChanged();
    const queue = this.deps.queue;
    const status = item.state.status;
    const t = this.core.t;
    if (status === 'pending' || status === 'undeliverable') {
      await this.act(t('item.busyRetrying'), t('item.couldNotTrack'), async (session, snapshot) => {
        // Through the same lock as the background drain: two check-then-create tries of one
        // Message-ID at once could both find nothing and both create.
        const result = await queue.exclusive(() =>
          drainPending(session, { force: true, key: snapshot.itemId }),
        );
        const delivered = result.delivered.find((d) => d.entry.itemId === snapshot.itemId);
        if (!delivered) return itemOpened(session, snapshot);
        await showDelivered(session, snapshot.itemId, delivered);
        const state = await itemOpened(session, snapshot);
        // The check finds what the Retry just made: said as delivered, not as a plain "Tracked".
        return state.status === 'tracked' ? { ...state, message: t('app.delivered') } : state;
      });
      await queue.updateQueue();
      return;
    }
    await this.act(t('item.busyChecking'), t('item.couldNotCheck'), (session, snapshot) =>
      itemOpened(session, snapshot),
    );
  }

  /**
   * Track with no session at all (the CRM unreachable at pane start, nothing saved to start on): the
   * track is queued, as the ribbon queues it, and sent when the CRM answers (the background retry
   * opens the session, then delivers the queue).
   */
  private async queueWithoutSession(itemId: string): Promise<void> {
    const core = this.core;
    const cause = this.deps.unreachable();
    if (core.state.busy || cause === null) return;
    const done = core.beginBusy(core.t('item.busyTracking'));
    const seq = core.selection;
    try {
      const deps = await (core.options.sessionless?.(core.options.office) ??
        defaultSessionless(core.options.office, core.log, core.t));
      const snapshot = await deps.mailbox.currentItem();
      if (seq !== core.selection || !snapshot || snapshot.itemId !== itemId) return;
      // A Message-ID is what makes a later delivery find, not double, the activity: none, no queue.
      if (!snapshot.facts.messageId) throw new Error(core.t('item.noMessageId'));
      const state = await queueItemTrack(deps, snapshot, crmErrorOf(cause), null);
      if (seq !== core.selection) return;
      core.set({
        item: this.deps.unavailable(itemId),
        ...core.announce(core.t('item.waitingWith', { message: state.message })),
      });
    } catch (error) {
      if (seq !== core.selection) return;
      core.log(`Could not queue the track of item ${itemId}`, error);
      const text = core.t('item.notTrackedWith', { error: errorText(userFacingError(error), false) });
      const shown = core.state.item;
      if (shown.kind === 'unavailable')
        core.set({ item: { ...shown, message: text }, ...core.announce(text) });
    } finally {
      done();
      await this.deps.queue.updateQueue();
    }
  }

  /**
   * One user action on the selected read item: progress after 300 ms, the fresh item read again
   * (tags change), the result shown and cached; a failure becomes a failed state.
   */
  private async act(
    label: string,
    what: string,
    work: (session: Session, item: ItemSnapshot, shown: ItemState) => Promise<ItemState>,
  ): Promise<void> {
    const core = this.core;
    const { selection, queue } = this.deps;
    const host = core.host;
    const item = core.state.item;
    if (core.state.busy || !host || item.kind !== 'read') return;
    const seq = core.selection;
    const done = core.beginBusy(label);
    let snapshot = selection.snapshotOf(item.itemId);
    try {
      snapshot = (await host.session.mailbox.currentItem()) ?? snapshot;
      if (!snapshot || snapshot.itemId !== item.itemId || seq !== core.selection) return;
      const state = await work(host.session, snapshot, item.state);
      selection.publish(seq, snapshot, state, null);
    } catch (error) {
      if (seq !== core.selection) return;
      core.log(`${what} failed for item ${item.itemId}`, error);
      const failed = failedState(item.itemId, what, error, core.verbose, item.state, core.t);
      if (snapshot) selection.publish(seq, snapshot, failed, null);
      else core.set({ item: { ...item, state: failed }, ...core.announce(failed.message) });
    } finally {
      done();
      // An action may have queued (or delivered) a track: the queue's count follows at once.
      await queue.updateQueue();
    }
  }
}
