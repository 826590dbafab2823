/**
 * The pane's controller, outside React: follows the selected Outlook item, runs the use cases,
 * keeps a cache of item states, drains the pending queue, and publishes one PaneState that the
 * views render. Every failure becomes a visible state and goes to the diagnostics log
 * (console.error); nothing is thrown to the views.
 */
import { cancelDraftTracking, composeOpened, type ComposeState } from '../../app/composeUseCases';
import { errorText, userFacingError, type ItemState } from '../../app/itemState';
import {
  itemOpened,
  setRegarding,
  trackItem,
  untrackItem,
  discardPendingTrack,
} from '../../app/itemUseCases';
import { drainPending } from '../../app/pendingQueue';
import type { ItemSnapshot } from '../../app/ports';
// The use cases take the session with its diagnostics log (src/app/diagnostics.ts).
import type { LoggedSession as Session } from '../../app/diagnostics';
import { CrmAuthError } from '../../crm/errors';
import type { RecordSearchHit } from '../../crm/port';
import { CLIENT_ID, connectionFor, type Connection } from '../../host/connection';
import type { OutlookHost } from '../../host/outlookSession';
import { SelectionPort } from '../../mailbox/itemWatch';
import { RoamingStore } from '../../mailbox/roamingStore';
import { checkCrmUrl, splitName, typeLabel } from './format';
import {
  changedKeys,
  optionErrors,
  optionStatesOf,
  optionValuesOf,
  splitChanges,
  type OptionKey,
  type OptionValues,
} from './optionsModel';
import {
  EMPTY_SEARCH,
  initialPaneState,
  type ItemView,
  type PaneState,
  type ReadItemView,
  type SenderInfo,
} from './types';

export interface PaneControllerOptions {
  readonly office: typeof Office;
  /** Opens (or re-opens) the session: openOutlookSession with the pane's sign-in and parsers. */
  readonly openHost: (office: typeof Office) => Promise<OutlookHost>;
  /** How often waiting tracks are tried again (default 60 s). */
  readonly drainEveryMs?: number;
  /**
   * How often the selected item's tags and the waiting tracks are read (default 750 ms): the ribbon,
   * the dialog, the event handlers and the queue change them in other runtimes, and the pane must
   * show what they did without the user selecting the item again. Local reads only; the CRM is asked
   * once, when they change.
   */
  readonly watchEveryMs?: number;
  /** Progress is shown for anything that takes longer (default 300 ms). */
  readonly slowAfterMs?: number;
  /** Record search waits for typing to pause (default 250 ms). */
  readonly searchDelayMs?: number;
  /** The diagnostics log (default console.error). */
  readonly log?: (message: string, error?: unknown) => void;
}

export type Listener = () => void;

const CACHE_LIMIT = 200;
const SEARCH_MIN = 2;
const SEARCH_TOP = 10;

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function signInText(connection: Connection, phase: 'starting' | 'ready' | 'failed', error?: unknown): string {
  if (connection.local) return 'No sign-in needed (local CRM)';
  if (!CLIENT_ID) return 'Sign-in is not set up in this build (no app registration): only a local CRM works.';
  if (phase === 'ready') return 'Signed in with your work account';
  if (phase === 'starting') return 'Signing in…';
  return error instanceof CrmAuthError ? `Not signed in: ${error.message}` : 'Not signed in';
}

/** A failed state for an error no use case turned into one (a bug, or Outlook refusing a call). */
function failedState(
  itemId: string,
  what: string,
  error: unknown,
  verbose: boolean,
  previous: ItemState | null,
): ItemState {
  const failure = userFacingError(error);
  return {
    itemId,
    status: 'failed',
    activityId: previous?.activityId ?? null,
    regarding: previous?.regarding ?? null,
    decision: previous?.decision ?? null,
    message: `${what}: ${errorText(failure, verbose)}`,
    error: failure,
    names: previous?.names ?? {},
  };
}

/**
 * The item while the CRM cannot be reached (time fixes it): what the item itself says (its tag),
 * else Track, which queues. No decision, so no party is shown as "not in the CRM" because a lookup
 * failed, and no raw error text: the detail is in the log.
 */
function unreachableState(snapshot: ItemSnapshot): ItemState {
  const base = { itemId: snapshot.itemId, decision: null, error: null, names: {} };
  if (snapshot.tag)
    return {
      ...base,
      status: 'tracked',
      activityId: snapshot.tag.activityId,
      regarding: snapshot.tag.regarding,
      message: 'Tracked in the CRM, as this email is tagged. The CRM cannot be reached to check it now.',
    };
  return {
    ...base,
    status: 'not-tracked',
    activityId: null,
    regarding: null,
    message:
      'The CRM cannot be reached, so this email could not be checked. Track keeps it and sends it when the CRM answers.',
  };
}

function senderOf(snapshot: ItemSnapshot): SenderInfo | null {
  const from = snapshot.facts.from;
  return from ? { name: from.name ?? null, address: from.address } : null;
}

function canCreateRecord(snapshot: ItemSnapshot, state: ItemState): boolean {
  const decision = state.decision;
  return (
    (state.status === 'not-tracked' || state.status === 'needs-regarding') &&
    decision !== null &&
    (decision.sender === null || decision.sender.id === null) &&
    snapshot.facts.direction === 'incoming' &&
    Boolean(snapshot.facts.from?.address)
  );
}

function announceText(state: ItemState): string {
  const words: Record<ItemState['status'], string> = {
    tracked: 'Tracked in the CRM.',
    'not-tracked': 'Not tracked.',
    'needs-regarding': 'Needs a regarding record before it can be tracked.',
    pending: 'Waiting to be tracked.',
    undeliverable: 'Could not be tracked.',
    failed: 'Something went wrong.',
  };
  return `${words[state.status]} ${state.message}`;
}

export class PaneController {
  private state: PaneState;
  private readonly listeners = new Set<Listener>();
  private readonly roaming: RoamingStore;
  /** Office's selection, behind src/mailbox: the controller reads no `Office` itself. */
  private readonly selectionPort: SelectionPort;
  private readonly log: (message: string, error?: unknown) => void;
  private readonly slowAfterMs: number;
  private host: OutlookHost | null = null;
  private hostPromise: Promise<OutlookHost | null> = Promise.resolve(null);
  private generation = 0;
  /** Increases with every selection (and quiet refresh): a result for an older one is not shown. */
  private selection = 0;
  private readonly cache = new Map<string, ReadItemView>();
  private readonly snapshots = new Map<string, ItemSnapshot>();
  private readonly cancelledDrafts = new Set<string>();
  private draining: Promise<void> | null = null;
  /** An options save (and the session it re-opens): the next item waits for it, to be decided with them. */
  private saving: Promise<void> = Promise.resolve();
  private drainTimer: ReturnType<typeof setInterval> | null = null;
  private watchTimer: ReturnType<typeof setInterval> | null = null;
  /** The selected item's tags and the queue as last seen by the watch; null: take them afresh. */
  private watched: { itemId: string; marks: string } | null = null;
  private queueSeen: string | null = null;
  private watchRun = false;
  /** Items already checked again because their tags disagreed with the shown state (once each). */
  private readonly rechecked = new Set<string>();
  /** Failed tries to open a session (none could be opened): the background tries back off by them. */
  private sessionTries = 0;
  /** The last failure to open a session was one time fixes (offline, 5xx): the item says so. */
  private sessionUnreachable = false;
  private nextSessionTryAt = 0;
  private searchTimer: ReturnType<typeof setTimeout> | null = null;
  private searchSeq = 0;
  private announceSeq = 0;
  private disposed = false;

  constructor(private readonly options: PaneControllerOptions) {
    this.roaming = new RoamingStore(options.office.context.roamingSettings);
    this.selectionPort = new SelectionPort(options.office);
    this.log = options.log ?? ((message, error) => console.error(`[Track in CRM] ${message}`, error ?? ''));
    this.slowAfterMs = options.slowAfterMs ?? 300;
    const connection = connectionFor(this.roaming.read().crmUrl);
    this.state = initialPaneState(
      {
        crmUrl: connection.crmUrl,
        local: connection.local,
        signIn: signInText(connection, 'starting'),
        mailbox: this.selectionPort.userAddress(),
        saving: false,
        error: null,
      },
      { kind: 'loading', itemId: '', slow: false },
    );
  }

  // ---- store -------------------------------------------------------------------------------

  getState = (): PaneState => this.state;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(patch: Partial<PaneState>): void {
    if (this.disposed) return;
    this.state = { ...this.state, ...patch };
    for (const listener of [...this.listeners]) listener();
  }

  private announce(text: string): Pick<PaneState, 'announcement'> {
    this.announceSeq += 1;
    return { announcement: { seq: this.announceSeq, text } };
  }

  /** Calls `then` once `slowAfterMs` has passed, unless cancelled first. */
  private whenSlow(then: () => void): () => void {
    const timer = setTimeout(then, this.slowAfterMs);
    return () => clearTimeout(timer);
  }

  /** Read through a method: TypeScript would keep an earlier narrowing of `this.state.busy`. */
  private busyLabel(): string | null {
    return this.state.busy?.label ?? null;
  }

  private get verbose(): boolean {
    return this.host?.session.settings.orgDb.VerboseErrorsOnPromoteToCRM === 1;
  }

  /** The session in use (null while none could be opened). For diagnostics and tests. */
  get session(): Session | null {
    return this.host?.session ?? null;
  }

  // ---- life cycle --------------------------------------------------------------------------

  /** Opens the session, follows the selection and starts the background retries. */
  async start(): Promise<void> {
    const follow = this.selectionPort
      .follow(() => void this.itemChanged())
      .catch((error: unknown) => {
        this.log('Could not follow the selected email', error);
        this.set({
          notice: `The pane will not follow the selected email (${messageOf(error)}). Close and open it again.`,
        });
      });
    this.drainTimer = setInterval(() => void this.background(), this.drainEveryMs);
    this.watchTimer = setInterval(() => void this.watch(), this.options.watchEveryMs ?? 750);
    const opening = this.openSession();
    await Promise.all([follow, this.itemChanged(), opening]);
  }

  dispose(): void {
    this.disposed = true;
    if (this.drainTimer) clearInterval(this.drainTimer);
    if (this.watchTimer) clearInterval(this.watchTimer);
    if (this.searchTimer) clearTimeout(this.searchTimer);
    this.listeners.clear();
    try {
      this.selectionPort.stop();
    } catch (error) {
      this.log('Could not stop following the selection', error);
    }
  }

  /** (Re)opens the session; on success, the options and the connection are shown from it. */
  private async openSession(opened?: OutlookHost): Promise<OutlookHost | null> {
    const generation = ++this.generation;
    const connection = connectionFor(this.roaming.read().crmUrl);
    this.set({
      session: { phase: 'starting', slow: false },
      connection: {
        ...this.state.connection,
        crmUrl: connection.crmUrl,
        local: connection.local,
        signIn: signInText(connection, 'starting'),
      },
    });
    const stopSlow = this.whenSlow(() => {
      if (generation === this.generation && this.state.session.phase === 'starting')
        this.set({ session: { phase: 'starting', slow: true } });
    });
    const opening = (opened ? Promise.resolve(opened) : this.options.openHost(this.options.office)).then(
      (host) => host,
      (error: unknown) => {
        stopSlow();
        if (generation !== this.generation) return null;
        this.log(`Could not open the CRM session (${connection.crmUrl})`, error);
        this.host = null;
        const failure = userFacingError(error);
        this.sessionUnreachable = failure.retryable;
        const text = errorText(failure, false);
        this.set({
          session: {
            phase: 'failed',
            message: `Could not connect to the CRM at ${connection.crmUrl}: ${text} ${this.sessionRetryWords()}`,
          },
          connection: { ...this.state.connection, signIn: signInText(connection, 'failed', error) },
          ...this.announce(`Could not connect to the CRM. ${text}`),
        });
        return null;
      },
    );
    this.hostPromise = opening;
    const host = await opening;
    stopSlow();
    if (!host || generation !== this.generation) return host;
    this.host = host;
    this.sessionTries = 0;
    this.cache.clear();
    const session = host.session;
    for (const issue of session.settingsIssues) this.log(`Settings: ${JSON.stringify(issue)}`);
    const base = optionValuesOf(session.options, session.settings.client.automaticEmailTagging);
    const previous = this.state.options;
    const keep = previous.dirty && previous.draft !== null;
    const draft = keep ? (previous.draft as OptionValues) : base;
    const org = session.settings.organization;
    this.set({
      session: {
        phase: 'ready',
        userId: session.identity.userId,
        mailboxApproved: session.identity.mailboxApproved,
        verboseErrors: session.settings.orgDb.VerboseErrorsOnPromoteToCRM === 1,
        offline: session.offline
          ? {
              settingsSavedAt: session.offline.settingsSavedAt,
              reason: errorText(userFacingError(session.offline.reason), false),
            }
          : null,
      },
      connection: {
        ...this.state.connection,
        crmUrl: host.connection.crmUrl,
        local: host.connection.local,
        signIn: signInText(host.connection, 'ready'),
        mailbox: session.mailbox.userAddress(),
      },
      options: {
        ...previous,
        base,
        draft,
        states: optionStatesOf(session.options),
        minimums: {
          outlooksyncinterval: org.minoutlooksyncinterval,
          addressbooksyncinterval: org.minaddressbooksyncinterval,
          offlinesyncinterval: org.minofflinesyncinterval,
        },
        dirty: changedKeys(base, draft).length > 0,
      },
    });
    return host;
  }

  /** Re-opens the session (Retry after the CRM was down, a new CRM URL) and shows the item again. */
  async reconnect(opened?: OutlookHost): Promise<void> {
    const current = this.currentOfficeItem();
    if (current && this.state.item.kind === 'unavailable') this.showLoading(++this.selection, current.itemId);
    await this.openSession(opened);
    await this.itemChanged();
  }

  // ---- the selected item -------------------------------------------------------------------

  private currentOfficeItem(): { itemId: string; read: boolean } | null {
    return this.selectionPort.current();
  }

  /** The selection changed (or the pane started): show the new item, from the cache first. */
  async itemChanged(): Promise<void> {
    const seq = ++this.selection;
    this.closeSearch();
    const current = this.currentOfficeItem();
    if (!current) {
      this.set({ item: { kind: 'empty' }, busy: null, ...this.announce('No email selected.') });
    } else if (current.read) {
      const cached = this.cache.get(current.itemId);
      if (cached) {
        this.set({
          item: { ...cached, refreshing: true },
          busy: null,
          ...this.announce(announceText(cached.state)),
        });
      } else {
        this.showLoading(seq, current.itemId);
      }
      await this.showRead(seq, current.itemId, cached?.state ?? null);
    } else {
      this.showLoading(seq, current.itemId);
      const itemId = current.itemId || (await this.draftId());
      if (seq === this.selection) await this.showCompose(seq, itemId);
    }
    await this.drain();
  }

  /** A draft has an id only once saved (Mailbox 1.8 getItemIdAsync); '' for a new, unsaved one. */
  private async draftId(): Promise<string> {
    return this.selectionPort.draftId().catch((error: unknown) => {
      // The draft is shown without an id (as an unsaved one is); the log says why.
      this.log("Could not read the draft's id", error);
      return '';
    });
  }

  private showLoading(seq: number, itemId: string): void {
    this.set({ item: { kind: 'loading', itemId, slow: false }, busy: null });
    this.whenSlow(() => {
      const item = this.state.item;
      if (seq === this.selection && item.kind === 'loading' && item.itemId === itemId)
        this.set({ item: { ...item, slow: true } });
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

  private viewOf(snapshot: ItemSnapshot, state: ItemState): ReadItemView {
    return {
      kind: 'read',
      itemId: snapshot.itemId,
      subject: snapshot.facts.subject,
      from: senderOf(snapshot),
      state,
      refreshing: false,
      canCreateRecord: canCreateRecord(snapshot, state),
    };
  }

  /** Publishes a read item's state when it is still the selection; caches it either way. */
  private publish(
    seq: number,
    snapshot: ItemSnapshot,
    state: ItemState,
    quietIfSame: ItemState | null,
  ): void {
    const view = this.viewOf(snapshot, state);
    this.remember(view);
    if (seq !== this.selection) return;
    this.snapshots.set(snapshot.itemId, snapshot);
    const same =
      quietIfSame !== null && quietIfSame.status === state.status && quietIfSame.message === state.message;
    if (state.status === 'failed' || state.status === 'undeliverable')
      this.log(`Item ${state.itemId}: ${state.status}: ${state.error?.verbose ?? state.message}`);
    this.set({ item: view, ...(same ? {} : this.announce(announceText(state))) });
  }

  private unavailable(itemId: string | null): ItemView {
    const session = this.state.session;
    return {
      kind: 'unavailable',
      itemId,
      message: session.phase === 'failed' ? session.message : 'Not connected to the CRM.',
      ...(session.phase === 'failed' && this.sessionUnreachable ? { unreachable: true } : {}),
    };
  }

  private async showRead(seq: number, itemId: string, shown: ItemState | null): Promise<void> {
    await this.saving;
    const host = await this.hostPromise;
    if (seq !== this.selection) return;
    if (!host) {
      this.set({ item: this.unavailable(itemId) });
      return;
    }
    let snapshot: ItemSnapshot | null = null;
    try {
      snapshot = await host.session.mailbox.currentItem();
      if (seq !== this.selection) return;
      if (!snapshot) {
        this.set({ item: { kind: 'empty' } });
        return;
      }
      const opened = await itemOpened(host.session, snapshot);
      // A check that failed for a reason time fixes (offline, 5xx) is not "Something went wrong".
      const state =
        opened.status === 'failed' && opened.error?.retryable ? unreachableState(snapshot) : opened;
      if (state !== opened) this.log(`Item ${itemId}: could not be checked: ${opened.error?.verbose ?? ''}`);
      this.publish(seq, snapshot, state, shown);
    } catch (error) {
      if (seq !== this.selection) return; // a newer selection: this one's failure is of no interest
      this.log(`Could not check item ${itemId}`, error);
      if (snapshot && userFacingError(error).retryable) {
        this.publish(seq, snapshot, unreachableState(snapshot), shown);
        return;
      }
      const failed = failedState(itemId, 'Could not check this email', error, this.verbose, shown);
      if (snapshot) this.publish(seq, snapshot, failed, null);
      else
        this.set({
          item: { kind: 'unavailable', itemId, message: failed.message },
          ...this.announce(failed.message),
        });
    }
  }

  private async showCompose(seq: number, itemId: string): Promise<void> {
    await this.saving;
    const host = await this.hostPromise;
    if (seq !== this.selection) return;
    if (!host) {
      this.set({ item: this.unavailable(itemId) });
      return;
    }
    // A new draft has no id: its cancellation is remembered while it stays selected only.
    if (itemId && this.cancelledDrafts.has(itemId)) {
      this.set({ item: { kind: 'compose', itemId, state: notTrackedDraft() } });
      return;
    }
    try {
      const state = await composeOpened(host.session);
      if (seq !== this.selection) return;
      this.set({ item: { kind: 'compose', itemId, state }, ...this.announce(state.message) });
    } catch (error) {
      if (seq !== this.selection) return;
      this.log(`Could not check draft ${itemId}`, error);
      const text = `Could not check this draft: ${errorText(userFacingError(error), this.verbose)}`;
      this.set({ item: { kind: 'unavailable', itemId, message: text }, ...this.announce(text) });
    }
  }

  /** Runs the current item's check again, keeping what is shown until the answer is in. */
  async refresh(): Promise<void> {
    const item = this.state.item;
    if (item.kind !== 'read') return this.itemChanged();
    const seq = ++this.selection;
    this.set({ item: { ...item, refreshing: true } });
    await this.showRead(seq, item.itemId, item.state);
  }

  // ---- actions -----------------------------------------------------------------------------

  /**
   * One user action on the selected read item: progress after 300 ms, the fresh item read again
   * (tags change), the result shown and cached; a failure becomes a failed state.
   */
  private async act(
    label: string,
    what: string,
    work: (session: Session, item: ItemSnapshot, shown: ItemState) => Promise<ItemState>,
  ): Promise<void> {
    const host = this.host;
    const item = this.state.item;
    if (this.state.busy || !host || item.kind !== 'read') return;
    const seq = this.selection;
    this.set({ busy: { label, slow: false } });
    const stopSlow = this.whenSlow(() => {
      if (this.busyLabel() === label) this.set({ busy: { label, slow: true } });
    });
    let snapshot = this.snapshots.get(item.itemId) ?? null;
    try {
      snapshot = (await host.session.mailbox.currentItem()) ?? snapshot;
      if (!snapshot || snapshot.itemId !== item.itemId || seq !== this.selection) return;
      const state = await work(host.session, snapshot, item.state);
      this.publish(seq, snapshot, state, null);
    } catch (error) {
      if (seq !== this.selection) return;
      this.log(`${what} failed for item ${item.itemId}`, error);
      const failed = failedState(item.itemId, what, error, this.verbose, item.state);
      if (snapshot) this.publish(seq, snapshot, failed, null);
      else this.set({ item: { ...item, state: failed }, ...this.announce(failed.message) });
    } finally {
      stopSlow();
      if (this.busyLabel() === label) this.set({ busy: null });
      // An action may have queued (or delivered) a track: the queue's count follows at once.
      await this.updateQueue();
    }
  }

  track(): Promise<void> {
    return this.act('Tracking…', 'Could not track this email', (session, item) =>
      trackItem(session, item, null),
    );
  }

  /** Untrack, once the user confirmed in the dialog. */
  untrack(): Promise<void> {
    return this.act('Untracking…', 'Could not untrack this email', (session, item) =>
      untrackItem(session, item),
    );
  }

  async chooseRegarding(hit: RecordSearchHit): Promise<void> {
    this.closeSearch();
    await this.act(
      'Setting regarding…',
      'Could not set the regarding record',
      async (session, item, shown) => {
        const ref = { type: hit.type, id: hit.id };
        const state = await setRegarding(session, item, ref, hit.name);
        return {
          ...state,
          decision: state.decision ?? shown.decision,
          names: { ...shown.names, ...state.names },
        };
      },
    );
  }

  /** Creates a contact or lead from the unresolved sender, then checks the item again. */
  createRecord(type: 'contact' | 'lead'): Promise<void> {
    return this.act(`Creating a ${type}…`, `Could not create the ${type}`, async (session, item) => {
      const from = item.facts.from;
      if (!from) throw new Error('This email has no sender to create a record from.');
      await session.crm.createRecord({
        type,
        address: from.address,
        ...splitName(from.name ?? null, from.address),
      });
      this.set(this.announce(`${typeLabel(type)} created for ${from.address}.`));
      return itemOpened(session, item);
    });
  }

  /** Discard: the user gives up the item's waiting or undeliverable track. */
  async discard(): Promise<void> {
    await this.act('Discarding…', 'Could not discard the waiting track', async (session, snapshot) => {
      const state = await this.exclusive(() => discardPendingTrack(session, snapshot));
      await this.updateQueue();
      return state;
    });
  }

  /** Retry: a waiting or undeliverable track is tried now; a failed check is run again; no session: reconnect. */
  async retry(): Promise<void> {
    const item = this.state.item;
    if (!this.host || item.kind === 'unavailable') return this.reconnect();
    if (item.kind !== 'read') return this.itemChanged();
    const status = item.state.status;
    if (status === 'pending' || status === 'undeliverable') {
      await this.act('Trying again…', 'Could not track this email', async (session, snapshot) => {
        // Through the same lock as the background drain: two check-then-create tries of one
        // Message-ID at once could both find nothing and both create.
        const result = await this.exclusive(() =>
          drainPending(session, { force: true, key: snapshot.itemId }),
        );
        const delivered = result.delivered.find((d) => d.entry.itemId === snapshot.itemId);
        if (delivered)
          await session.mailbox.tagTracked(snapshot.itemId, {
            activityId: delivered.activityId,
            regarding: delivered.entry.regarding,
          });
        return itemOpened(session, snapshot);
      });
      await this.updateQueue();
      return;
    }
    await this.act('Checking again…', 'Could not check this email', (session, snapshot) =>
      itemOpened(session, snapshot),
    );
  }

  /** Compose: do not track this draft when it is sent. */
  async cancelDraftTracking(): Promise<void> {
    const host = this.host;
    const item = this.state.item;
    if (this.state.busy || !host || item.kind !== 'compose') return;
    const label = 'Cancelling…';
    this.set({ busy: { label, slow: false } });
    const stopSlow = this.whenSlow(() => {
      if (this.busyLabel() === label) this.set({ busy: { label, slow: true } });
    });
    try {
      await cancelDraftTracking(host.session);
      if (item.itemId) this.cancelledDrafts.add(item.itemId);
      const state = notTrackedDraft();
      if (this.state.item.kind === 'compose' && this.state.item.itemId === item.itemId)
        this.set({ item: { ...item, state }, ...this.announce(state.message) });
    } catch (error) {
      this.log('Could not cancel tracking of the draft', error);
      const text = `Could not cancel tracking: ${errorText(userFacingError(error), this.verbose)}`;
      this.set({ item: { ...item, state: { ...item.state, message: text } }, ...this.announce(text) });
    } finally {
      stopSlow();
      if (this.busyLabel() === label) this.set({ busy: null });
    }
  }

  // ---- pending queue -----------------------------------------------------------------------

  private queueLock: Promise<unknown> = Promise.resolve();

  /**
   * One look at what other runtimes may have changed: the selected item's tags (checked again, one
   * CRM lookup, when they change) and the waiting tracks (the queue line updated).
   */
  private async watch(): Promise<void> {
    if (this.watchRun || this.disposed) return;
    this.watchRun = true;
    try {
      const queue = JSON.stringify(
        this.roaming.read().pending.map((p) => [p.key, p.attempts, p.undeliverable]),
      );
      const queueChanged = this.queueSeen !== null && queue !== this.queueSeen;
      this.queueSeen = queue;
      if (queueChanged) await this.updateQueue();
      const item = this.state.item;
      if (item.kind !== 'read' || item.refreshing || this.state.busy || !this.host) {
        this.watched = null;
        return;
      }
      const now = await this.selectionPort.marks().catch((error: unknown) => {
        this.log("Could not read the selected email's tags", error);
        return null;
      });
      const shown = this.state.item;
      if (
        !now ||
        shown.kind !== 'read' ||
        shown.itemId !== now.itemId ||
        shown.refreshing ||
        this.state.busy
      ) {
        this.watched = null;
        return;
      }
      const before = this.watched;
      this.watched = { itemId: now.itemId, marks: now.marks };
      const pendingHere = queueChanged && this.roaming.read().pending.some((p) => p.itemId === now.itemId);
      const changed = before !== null && before.itemId === now.itemId && before.marks !== now.marks;
      // A first look that disagrees with what is shown (tagged Tracked while the pane says not): the
      // change happened between the check and this look. Checked again once per item.
      const disagrees =
        before === null &&
        now.tracked !== (shown.state.status === 'tracked') &&
        !this.rechecked.has(now.itemId);
      if (disagrees) this.rechecked.add(now.itemId);
      if (changed || disagrees || pendingHere || (queueChanged && shown.state.status === 'pending')) {
        this.watched = null;
        await this.refresh();
      }
    } finally {
      this.watchRun = false;
    }
  }

  /** Runs queue work one at a time (the background drain and Retry share it). */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queueLock.then(work, work);
    // The lock only orders the work: its failure reaches the caller through `run`, not the next in line.
    this.queueLock = run.catch(() => undefined);
    return run;
  }

  /**
   * The background retry: a session that started offline is opened again first (when the CRM
   * answers, the settings are fresh again and the item is checked anew), then the waiting tracks.
   */
  private background(): Promise<void> {
    // One at a time: a CRM that answers slowly (retries, back-off) must not pile up tries every tick.
    this.backgroundRun ??= (async () => {
      if (!this.host && this.state.session.phase === 'failed') {
        await this.retrySession();
        if (!this.host) return;
        if (!this.disposed) await this.drain(true);
        return;
      }
      const recovered = !!this.host?.session.offline && !this.state.busy && (await this.reconnectQuietly());
      if (!this.disposed) await this.drain(recovered);
    })().finally(() => {
      this.backgroundRun = null;
    });
    return this.backgroundRun;
  }

  private backgroundRun: Promise<void> | null = null;

  private get drainEveryMs(): number {
    return this.options.drainEveryMs ?? 60_000;
  }

  /**
   * The wait before the next background try to open a session: one drain interval, doubling with
   * each failed try up to eight (a CRM that is down for long is not asked every minute).
   */
  private sessionRetryDelay(): number {
    return this.drainEveryMs * 2 ** Math.min(3, Math.max(0, this.sessionTries - 1));
  }

  /** What the pane says about the background tries, in the delay they really use. */
  private sessionRetryWords(): string {
    this.sessionTries += 1;
    const delay = this.sessionRetryDelay();
    this.nextSessionTryAt = Date.now() + delay;
    const seconds = Math.max(1, Math.round(delay / 1000));
    const when =
      seconds === 1
        ? '1 second'
        : seconds < 90
          ? `${seconds} seconds`
          : `${Math.round(seconds / 60)} minutes`;
    return `Trying again by itself in about ${when}; emails you track wait here and are sent when the CRM answers.`;
  }

  /**
   * No session could be opened at all (a first run with the CRM down: no saved settings to start
   * on): tried again in the background with back-off, never only on the user's Retry; once open,
   * the item is checked again and the waiting tracks are sent.
   */
  private async retrySession(): Promise<void> {
    if (Date.now() < this.nextSessionTryAt || this.state.busy) return;
    const generation = this.generation;
    const host = await this.options.openHost(this.options.office).catch((error: unknown) => {
      this.log('The CRM still cannot be reached', error);
      return null;
    });
    if (this.disposed || generation !== this.generation || this.host) return;
    if (!host) {
      const session = this.state.session;
      if (session.phase === 'failed') {
        const words = this.sessionRetryWords();
        this.set({
          session: {
            ...session,
            message: `${session.message.replace(/ Trying again by itself in about .*$/, '')} ${words}`,
          },
        });
        // The card repeats the session's words: keep them the same (the wait grows with each try).
        const item = this.state.item;
        if (item.kind === 'unavailable') this.set({ item: this.unavailable(item.itemId) });
      }
      return;
    }
    await this.reconnect(host);
  }

  /**
   * Tries the CRM again behind an offline session without showing "Connecting…" every minute: the
   * pane changes only when the CRM answers (then the item is checked again on fresh settings).
   */
  private async reconnectQuietly(): Promise<boolean> {
    const generation = this.generation;
    const host = await this.options.openHost(this.options.office).catch((error: unknown) => {
      this.log('The CRM still cannot be reached', error);
      return null;
    });
    if (!host || host.session.offline || generation !== this.generation || this.disposed) return false;
    await this.reconnect(host);
    return this.host !== null && !this.host.session.offline;
  }

  /**
   * Tries the waiting tracks that are due (all that wait, right after an outage ended); tags the
   * selected item when its track is delivered.
   */
  drain(afterOutage = false): Promise<void> {
    if (this.draining) return this.draining;
    const host = this.host;
    if (!host) return Promise.resolve();
    this.draining = (async () => {
      try {
        const result = await this.exclusive(() => drainPending(host.session, { afterOutage }));
        for (const failed of result.failed)
          this.log(`Waiting track ${failed.key} failed again (try ${failed.attempts}): ${failed.lastError}`);
        for (const { entry } of result.delivered) if (entry.itemId) this.cache.delete(entry.itemId);
        const current = this.currentOfficeItem();
        const mine = current && result.delivered.find((d) => d.entry.itemId === current.itemId);
        if (mine && current) {
          await host.session.mailbox.tagTracked(current.itemId, {
            activityId: mine.activityId,
            regarding: mine.entry.regarding,
          });
          // The item still shows "Not tracked yet… tried again" from when it was queued: replaced, so
          // that the notification never contradicts the state the pane shows.
          await host.session.mailbox
            .notify(current.itemId, {
              kind: 'tracked',
              text: 'Tracked in the CRM (the waiting track was delivered).',
            })
            .catch((error: unknown) => this.log('Could not tell the item its track was delivered', error));
          if (!this.state.busy) await this.refresh();
        }
        await this.updateQueue(null);
      } catch (error) {
        this.log('Could not try the waiting tracks again', error);
        this.set({
          queue: {
            ...this.state.queue,
            problem: `Could not try the waiting tracks again: ${errorText(userFacingError(error), this.verbose)}`,
          },
        });
      }
    })().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  private async updateQueue(problem: string | null = this.state.queue.problem): Promise<void> {
    // With no session the queue is read from the roaming settings directly: tracks the ribbon
    // queued while the CRM was down are shown even on a first run that could open none.
    const pending = this.host?.session.pending ?? this.roaming.pendingStore();
    try {
      const list = await pending.load();
      const undeliverable = list.filter((p) => p.undeliverable).length;
      this.set({
        queue: {
          waiting: list.length - undeliverable,
          undeliverable,
          problem,
          nextTry: this.nextTryWords(list),
        },
      });
    } catch (error) {
      this.log('Could not read the waiting tracks', error);
    }
  }

  /**
   * The next try in the words of the real back-off: an entry is due at its nextAttemptAt and tried on
   * the first background run after it (every drainEveryMs), so that is what the user is told.
   */
  private nextTryWords(list: readonly { nextAttemptAt: number; undeliverable: boolean }[]): string | null {
    const due = list.filter((p) => !p.undeliverable).map((p) => p.nextAttemptAt);
    if (due.length === 0) return null;
    const ms = Math.max(0, Math.min(...due) - Date.now()) + this.drainEveryMs;
    const seconds = Math.max(1, Math.round(ms / 1000));
    return seconds < 90
      ? `within about ${seconds} seconds`
      : `within about ${Math.round(seconds / 60)} minutes`;
  }

  // ---- regarding search --------------------------------------------------------------------

  openSearch(): void {
    this.set({
      search: { ...EMPTY_SEARCH, open: true, message: 'Type at least 2 letters of a name or email.' },
    });
  }

  closeSearch(): void {
    this.searchSeq += 1;
    if (this.searchTimer) clearTimeout(this.searchTimer);
    if (this.state.search.open || this.state.search.query) this.set({ search: EMPTY_SEARCH });
  }

  /** Type-ahead: waits 250 ms after the last key, and only the latest query's answer is shown. */
  search(text: string): void {
    const seq = ++this.searchSeq;
    if (this.searchTimer) clearTimeout(this.searchTimer);
    const query = text.trim();
    if (query.length < SEARCH_MIN) {
      this.set({
        search: {
          open: true,
          query: text,
          status: 'idle',
          hits: [],
          message: 'Type at least 2 letters of a name or email.',
        },
      });
      return;
    }
    this.set({ search: { ...this.state.search, open: true, query: text } });
    this.searchTimer = setTimeout(
      () => void this.runSearch(seq, text, query),
      this.options.searchDelayMs ?? 250,
    );
  }

  private async runSearch(seq: number, text: string, query: string): Promise<void> {
    const host = this.host;
    if (!host) {
      this.set({
        search: { open: true, query: text, status: 'failed', hits: [], message: 'Not connected to the CRM.' },
      });
      return;
    }
    this.set({ search: { ...this.state.search, status: 'searching', message: 'Searching…' } });
    try {
      const hits = await host.session.crm.searchRecords(query, SEARCH_TOP);
      if (seq !== this.searchSeq) return;
      this.set({
        search: {
          open: true,
          query: text,
          status: 'done',
          hits,
          message: hits.length ? `${hits.length} records found.` : `No records match “${query}”.`,
        },
      });
    } catch (error) {
      if (seq !== this.searchSeq) return;
      this.log(`Record search failed for "${query}"`, error);
      this.set({
        search: {
          open: true,
          query: text,
          status: 'failed',
          hits: [],
          message: `Search failed: ${errorText(userFacingError(error), this.verbose)}`,
        },
      });
    }
  }

  // ---- options -----------------------------------------------------------------------------

  editOption<K extends OptionKey>(key: K, value: OptionValues[K]): void {
    const { base, draft } = this.state.options;
    if (!base || !draft) return;
    const next = { ...draft, [key]: value };
    this.set({
      options: {
        ...this.state.options,
        draft: next,
        dirty: changedKeys(base, next).length > 0,
        status: 'idle',
        message: null,
      },
    });
  }

  discardOptions(): void {
    const { base } = this.state.options;
    if (base)
      this.set({
        options: { ...this.state.options, draft: base, dirty: false, status: 'idle', message: null },
      });
  }

  /**
   * Saves the edits: client switches and roaming-only options to roaming settings, the Dataverse
   * attributes to the CRM's usersettings. A failure keeps the edits; success re-opens the session so
   * the next item is decided with the new options.
   */
  saveOptions(): Promise<void> {
    const saving = this.save();
    // Kept only to wait on before the next save; the failure reaches the caller (and the log) through `saving`.
    this.saving = saving.catch(() => undefined);
    return saving;
  }

  private async save(): Promise<void> {
    const host = this.host;
    const options = this.state.options;
    const { base, draft, states } = options;
    if (!host || !base || !draft || options.status === 'saving') return;
    const errors = Object.values(optionErrors(draft));
    if (errors.length) {
      this.set({ options: { ...options, status: 'failed', message: `Not saved: ${errors.join(' ')}` } });
      return;
    }
    const changes = splitChanges(base, draft, states);
    if (changes.count === 0) {
      this.set({
        options: { ...options, status: 'saved', message: 'Nothing to save: no option was changed.' },
      });
      return;
    }
    this.set({ options: { ...options, status: 'saving', message: 'Saving…', slow: false } });
    const stopSlow = this.whenSlow(() => {
      if (this.state.options.status === 'saving')
        this.set({ options: { ...this.state.options, slow: true } });
    });
    const problems: string[] = [];
    if (Object.keys(changes.client).length || Object.keys(changes.user).length) {
      try {
        const store = host.roaming.localOptions();
        const current = await store.load();
        await store.save({
          client: { ...current.client, ...changes.client },
          user: { ...current.user, ...changes.user },
        });
      } catch (error) {
        this.log('Saving options to Outlook (roaming settings) failed', error);
        problems.push(`Outlook did not save them (${messageOf(error)}).`);
      }
    }
    if (Object.keys(changes.crm).length) {
      try {
        await host.session.crm.savePersonalOptions(host.session.identity.userId, changes.crm);
      } catch (error) {
        this.log('Saving options to the CRM (usersettings) failed', error);
        problems.push(`The CRM did not save them (${errorText(userFacingError(error), this.verbose)}).`);
      }
    }
    stopSlow();
    if (problems.length) {
      const message = `Your changes are not saved yet: ${problems.join(' ')} They are kept here: press Save to try again.`;
      this.set({
        options: { ...this.state.options, status: 'failed', message, slow: false },
        ...this.announce(message),
      });
      return;
    }
    const message = 'Saved. The next email is checked with these options.';
    this.set({
      options: { ...this.state.options, dirty: false, status: 'saved', message, slow: false },
      ...this.announce(message),
    });
    await this.openSession();
  }

  // ---- connection --------------------------------------------------------------------------

  /** A new CRM address: saved to roaming settings, then the session starts again against it. */
  async setCrmUrl(raw: string): Promise<void> {
    const checked = checkCrmUrl(raw);
    if ('error' in checked) {
      this.set({ connection: { ...this.state.connection, error: checked.error } });
      return;
    }
    this.set({ connection: { ...this.state.connection, saving: true, error: null } });
    try {
      await this.roaming.update((state) => ({ ...state, crmUrl: checked.url }));
    } catch (error) {
      this.log('Saving the CRM address failed', error);
      this.set({
        connection: {
          ...this.state.connection,
          saving: false,
          error: `The CRM address was not saved: ${messageOf(error)}`,
        },
      });
      return;
    }
    this.set({
      connection: { ...this.state.connection, saving: false },
      ...this.announce('CRM address saved.'),
    });
    await this.reconnect();
  }
}

function notTrackedDraft(): ComposeState {
  return {
    marked: false,
    mark: null,
    decision: null,
    message: 'This email will not be tracked when it is sent.',
  };
}
