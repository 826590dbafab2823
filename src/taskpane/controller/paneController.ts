/**
 * The pane's controller, outside React: a facade over its parts, which the views see as one store
 * (one PaneState) and one set of actions (PaneActions). The parts: the session (sessionModel), the
 * selected item (selectionModel), the waiting tracks (queueModel), the user's actions on the item
 * (itemActions) and on a draft (draftActions), the regarding search (searchModel) and the options'
 * edits (optionsEditor). Every failure becomes a visible state and goes to the diagnostics log;
 * nothing is thrown to the views.
 */
import type { LoggedSession as Session } from '../../app/diagnostics';
import { errorText, userFacingError } from '../../app/itemState';
import type { RecordTypeFilter } from '../../app/recordSearch';
import type { RecordFormOfferInput, RecordFormRecord } from '../../app/recordForm';
import type { RecordSearchHit } from '../../crm/port';
import { connectionFor } from '../../host/connection';
import type { OutlookHost } from '../../host/outlookSession';
import { openAdminPage } from '../../mailbox/adminPage';
import type { BackgroundTabActions, PaneActions } from '../actions';
import { adminPageUrl, mayAdminister } from './adminLink';
import type { BackgroundTab } from './backgroundTab';
import { DraftActions } from './draftActions';
import { ItemActions } from './itemActions';
import { OptionsEditor } from './optionsEditor';
import type { OptionKey, OptionValues } from './optionsModel';
import { PaneCore, messageOf, type Listener, type PaneControllerOptions } from './paneCore';
import { QueueModel } from './queueModel';
import { SearchModel } from './searchModel';
import { SelectionModel } from './selectionModel';
import { SessionModel, signInText } from './sessionModel';
import {
  initialPaneState,
  type AccountSearchResult,
  type CreateRecordResult,
  type PaneState,
  type ReadItemView,
} from './types';

export type { Listener, PaneControllerOptions };

export class PaneController implements PaneActions {
  private readonly core: PaneCore;
  private readonly sessions: SessionModel;
  private readonly selection: SelectionModel;
  private readonly queue: QueueModel;
  private readonly searching: SearchModel;
  private readonly actions: ItemActions;
  private readonly drafts: DraftActions;
  private readonly optionsEditor: OptionsEditor;
  private drainTimer: ReturnType<typeof setInterval> | null = null;
  private watchTimer: ReturnType<typeof setInterval> | null = null;
  private backgroundTab: Promise<BackgroundTab> | null = null;
  /** The admin page link's answer, per session host (a new session asks again). */
  private adminAccessOf: { host: OutlookHost; allowed: Promise<boolean> } | null = null;

  constructor(private readonly options: PaneControllerOptions) {
    const core = new PaneCore(options, (c) => {
      const connection = connectionFor(c.roaming.read().crmUrl);
      return initialPaneState(
        {
          crmUrl: connection.crmUrl,
          local: connection.local,
          signIn: signInText(c.t, connection, 'starting'),
          mailbox: c.selectionPort.userAddress(),
          saving: false,
          error: null,
        },
        { kind: 'loading', itemId: '', slow: false },
      );
    });
    this.core = core;
    // The parts call each other through these late-bound functions: each is built once, below.
    this.searching = new SearchModel(core);
    this.queue = new QueueModel(core, {
      forget: (itemId) => this.selection.forget(itemId),
      refresh: (tracked) => this.selection.refresh(tracked),
    });
    this.sessions = new SessionModel(core, {
      itemChanged: () => this.selection.itemChanged(),
      showLoading: (seq, itemId) => this.selection.showLoading(seq, itemId),
      drain: (afterOutage) => this.queue.drain(afterOutage),
      clearCache: () => this.selection.clearCache(),
    });
    this.selection = new SelectionModel(core, {
      // The folder-tracking form's search is not about the selected item: another one keeps it open.
      closeSearch: () => core.state.search.purpose || this.searching.closeSearch(),
      drain: () => this.queue.drain(),
      updateQueue: () => this.queue.updateQueue(),
      unavailable: (itemId, read) => this.sessions.unavailable(itemId, read),
    });
    this.drafts = new DraftActions(core, this.selection, (message) => this.searching.openSearch(message));
    this.actions = new ItemActions(core, {
      selection: this.selection,
      queue: this.queue,
      trackDraft: (regarding) => this.drafts.trackDraft(regarding),
      closeSearch: () => this.searching.closeSearch(),
      remember: (record) => this.searching.remember(record),
      reconnect: () => this.sessions.reconnect(),
      unreachable: () => this.sessions.unreachable,
      unavailable: (itemId) => this.sessions.unavailable(itemId, true),
    });
    this.optionsEditor = new OptionsEditor(core, () => this.sessions.openSession());
  }

  // ---- store -------------------------------------------------------------------------------

  getState = (): PaneState => this.core.getState();

  subscribe = (listener: Listener): (() => void) => this.core.subscribe(listener);

  /** The session in use (null while none could be opened). For diagnostics and tests. */
  get session(): Session | null {
    return this.core.session;
  }

  // ---- life cycle --------------------------------------------------------------------------

  /** Opens the session, follows the selection and starts the background retries. */
  async start(): Promise<void> {
    const core = this.core;
    const follow = core.selectionPort
      .follow(() => void this.selection.itemChanged())
      .catch((error: unknown) => {
        core.log('Could not follow the selected email', error);
        core.set({
          notice: core.t('item.notFollowing', { error: messageOf(error) }),
        });
      });
    this.drainTimer = setInterval(() => void this.sessions.background(), core.drainEveryMs);
    this.watchTimer = setInterval(() => void this.selection.watch(), this.options.watchEveryMs ?? 750);
    const opening = this.sessions.openSession();
    await Promise.all([follow, this.selection.itemChanged(), opening]);
  }

  dispose(): void {
    void this.backgroundTab?.then(
      (tab) => tab.dispose(),
      () => undefined,
    );
    this.core.dispose();
    if (this.drainTimer) clearInterval(this.drainTimer);
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.searching.dispose();
    try {
      this.core.selectionPort.stop();
    } catch (error) {
      this.core.log('Could not stop following the selection', error);
    }
  }

  /** Re-opens the session (Retry after the CRM was down, a new CRM URL) and shows the item again. */
  reconnect(opened?: OutlookHost): Promise<void> {
    return this.sessions.reconnect(opened);
  }

  setCrmUrl(raw: string): Promise<void> {
    return this.sessions.setCrmUrl(raw);
  }

  // ---- the selected item -------------------------------------------------------------------

  itemChanged(): Promise<void> {
    return this.selection.itemChanged();
  }

  refresh(): Promise<void> {
    return this.selection.refresh();
  }

  /** Tries the waiting tracks that are due (all of them right after an outage). */
  drain(afterOutage = false): Promise<void> {
    return this.queue.drain(afterOutage);
  }

  // ---- actions -----------------------------------------------------------------------------

  track(): Promise<void> {
    return this.actions.track();
  }

  untrack(): Promise<void> {
    return this.actions.untrack();
  }

  chooseRegarding(hit: RecordSearchHit): Promise<void> {
    return this.actions.chooseRegarding(hit);
  }

  recordFormInput(item: ReadItemView): RecordFormOfferInput | null {
    return this.actions.recordFormInput(item);
  }

  createFromForm(record: RecordFormRecord): Promise<CreateRecordResult> {
    return this.actions.createFromForm(record);
  }

  searchAccounts(text: string): Promise<AccountSearchResult> {
    return this.actions.searchAccounts(text);
  }

  discard(): Promise<void> {
    return this.actions.discard();
  }

  retry(): Promise<void> {
    return this.actions.retry();
  }

  /** Compose: Track in CRM on the draft (tracked when sent); also Track again after Cancel tracking. */
  trackDraft(): Promise<void> {
    return this.drafts.trackDraft();
  }

  cancelDraftTracking(): Promise<void> {
    return this.drafts.cancelDraftTracking();
  }

  // ---- regarding search --------------------------------------------------------------------

  openSearch(): void {
    this.searching.openSearch();
  }

  closeSearch(): void {
    this.searching.closeSearch();
  }

  search(text: string): void {
    this.searching.search(text);
  }

  setSearchFilter(filter: RecordTypeFilter): void {
    this.searching.setFilter(filter);
  }

  // ---- options -----------------------------------------------------------------------------

  editOption<K extends OptionKey>(key: K, value: OptionValues[K]): void {
    this.optionsEditor.editOption(key, value);
  }

  discardOptions(): void {
    this.optionsEditor.discardOptions();
  }

  saveOptions(): Promise<void> {
    return this.optionsEditor.saveOptions();
  }

  // ---- the Background check tab -------------------------------------------------------------

  /** Its part is a chunk of its own, loaded when the tab is first shown (with the tab's view). */
  openBackgroundTab(): Promise<BackgroundTabActions | null> {
    this.backgroundTab ??= import(/* webpackChunkName: "pane-background" */ './backgroundTab').then(
      (m) =>
        m.openBackgroundTab(this.core, {
          openSearch: (message) => this.searching.openSearch(message, 'folder'),
          closeSearch: () => this.searching.closeSearch(),
          remember: (record) => this.searching.remember(record),
          words: (error) => errorText(userFacingError(error), this.core.verbose),
        }),
      (error: unknown) => {
        this.backgroundTab = null; // loaded again the next time the tab asks
        throw error;
      },
    );
    return this.backgroundTab.catch((error: unknown) => {
      this.core.log('Could not load the Background check tab', error);
      return null;
    });
  }

  // ---- the admin page -----------------------------------------------------------------------

  adminAccess(): Promise<boolean> {
    const host = this.core.host;
    if (!host) return Promise.resolve(false);
    if (this.adminAccessOf?.host !== host) {
      const allowed = mayAdminister(host.http, host.session.user.id).catch((error: unknown) => {
        // No link is the safe answer: the page itself still refuses a save the CRM forbids. A failed
        // question is not remembered: the next look at Connection asks again (the CRM may be back).
        this.core.log('Could not ask the CRM whether you may administer Track in CRM', error);
        if (this.adminAccessOf?.host === host) this.adminAccessOf = null;
        return false;
      });
      this.adminAccessOf = { host, allowed };
    }
    return this.adminAccessOf.allowed;
  }

  async openAdminPage(): Promise<void> {
    const host = this.core.host;
    if (!host) return;
    const url = adminPageUrl(window.location.href, host.connection.crmUrl);
    await openAdminPage(this.options.office, url).catch((error: unknown) =>
      this.core.log('Could not open the admin page', error),
    );
  }
}
