/**
 * What every part of the pane controller shares: the published PaneState and its listeners, the
 * session in use, the selection counter, and the small timing helpers (progress after 300 ms).
 * The parts (session, selection, queue, actions, search, options) each hold their own state and
 * change the pane only through `set`.
 */
import type { BackgroundCheckControl } from '../../app/backgroundStatus';
import type { LoggedSession as Session } from '../../app/diagnostics';
import type { FolderMappingPort } from '../../crm/folderMappingPort';
import type { MailFolderPort } from '../../graph/folderPort';
import type { OutlookHost } from '../../host/outlookSession';
import type { SessionlessDeps } from '../../host/withoutSession';
import { SelectionPort } from '../../mailbox/itemWatch';
import { RoamingStore } from '../../mailbox/roamingStore';
import { englishPaneStrings } from '../../i18n/surfaces';
import type { PaneStrings } from '../strings';
import type { PaneState } from './types';

export interface PaneControllerOptions {
  readonly office: typeof Office;
  /** The words the controller puts in the pane's state, in the user's language (default English). */
  readonly strings?: PaneStrings;
  /** Opens (or re-opens) the session: openOutlookSession with the pane's sign-in and parsers. */
  readonly openHost: (office: typeof Office) => Promise<OutlookHost>;
  /**
   * The mailbox and the pending queue without a session (the CRM unreachable at start): Track still
   * queues, as the ribbon does. Default: sessionlessDeps without a header parser.
   */
  readonly sessionless?: (office: typeof Office) => Promise<SessionlessDeps>;
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
  /**
   * The mailbox-wide background check (background-check.md) the Background check tab shows and
   * drives; absent where this Outlook cannot run it (`backgroundUnavailable` says why).
   */
  readonly background?: BackgroundCheckControl;
  /** Why there is no background check here, in the user's words (a default sentence when absent). */
  readonly backgroundUnavailable?: string;
  /** The user's folder-tracking rules in the CRM; with `mailFolders`, the tab edits them. */
  readonly folderMappings?: FolderMappingPort;
  /** The mailbox's folders, for the folder-tracking rules' picker. */
  readonly mailFolders?: MailFolderPort;
}

export type Listener = () => void;

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class PaneCore {
  state: PaneState;
  private readonly listeners = new Set<Listener>();
  private announceSeq = 0;
  disposed = false;
  readonly roaming: RoamingStore;
  /** Office's selection, behind src/mailbox: the controller reads no `Office` itself. */
  readonly selectionPort: SelectionPort;
  readonly log: (message: string, error?: unknown) => void;
  /** The user's language: every text the parts put in the state goes through `t` and `formats`. */
  readonly strings: PaneStrings;
  readonly slowAfterMs: number;
  readonly drainEveryMs: number;
  host: OutlookHost | null = null;
  /** The session being opened: an item selected meanwhile waits for it. */
  hostPromise: Promise<OutlookHost | null> = Promise.resolve(null);
  /** Increases with every selection (and quiet refresh): a result for an older one is not shown. */
  selection = 0;
  /** An options save (and the session it re-opens): the next item waits for it, to be decided with them. */
  saving: Promise<void> = Promise.resolve();

  constructor(
    readonly options: PaneControllerOptions,
    initial: (core: PaneCore) => PaneState,
  ) {
    this.roaming = new RoamingStore(options.office.context.roamingSettings);
    this.selectionPort = new SelectionPort(options.office);
    this.log = options.log ?? ((message, error) => console.error(`[Track in CRM] ${message}`, error ?? ''));
    this.strings = options.strings ?? englishPaneStrings;
    this.slowAfterMs = options.slowAfterMs ?? 300;
    this.drainEveryMs = options.drainEveryMs ?? 60_000;
    this.state = initial(this);
  }

  /** The pane's lookup, for the parts: `core.t('item.tracking')`. */
  get t(): PaneStrings['t'] {
    return this.strings.t;
  }

  getState = (): PaneState => this.state;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  set(patch: Partial<PaneState>): void {
    if (this.disposed) return;
    this.state = { ...this.state, ...patch };
    for (const listener of [...this.listeners]) listener();
  }

  announce(text: string): Pick<PaneState, 'announcement'> {
    this.announceSeq += 1;
    return { announcement: { seq: this.announceSeq, text } };
  }

  /** Calls `then` once `slowAfterMs` has passed, unless cancelled first. */
  whenSlow(then: () => void): () => void {
    const timer = setTimeout(then, this.slowAfterMs);
    return () => clearTimeout(timer);
  }

  /** Read through a method: TypeScript would keep an earlier narrowing of `state.busy`. */
  busyLabel(): string | null {
    return this.state.busy?.label ?? null;
  }

  /** Marks the pane busy with `label` (progress after slowAfterMs); the returned function ends it. */
  beginBusy(label: string): () => void {
    this.set({ busy: { label, slow: false } });
    const stopSlow = this.whenSlow(() => {
      if (this.busyLabel() === label) this.set({ busy: { label, slow: true } });
    });
    return () => {
      stopSlow();
      if (this.busyLabel() === label) this.set({ busy: null });
    };
  }

  get verbose(): boolean {
    return this.host?.session.settings.orgDb.VerboseErrorsOnPromoteToCRM === 1;
  }

  get session(): Session | null {
    return this.host?.session ?? null;
  }

  currentOfficeItem(): { itemId: string; read: boolean } | null {
    return this.selectionPort.current();
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }
}
