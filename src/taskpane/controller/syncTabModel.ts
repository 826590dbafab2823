/**
 * The Synchronization tab's store: follows the runner's status, and "Synchronize now" with what a
 * screen reader hears (that it started, then how it ended). Its own store, loaded with the tab's
 * chunk: the pane state (types.ts) does not carry synchronization (syncAccess.ts). The runner does
 * the work in its own time; nothing here blocks the pane.
 */
import type { PaneSyncControl, PaneSyncStatus } from '../../host/lazySync';
import type { Translate } from '../../i18n/messages';
import { englishPaneStrings, type PaneKey } from '../../i18n/surfaces';
import { syncSwitchNoticeOf, type SavedSyncSwitch, type SyncSwitchNotice } from './syncSwitchNotice';
import { summarySentence } from './syncWords';

export interface SyncTabState {
  readonly status: PaneSyncStatus;
  /** "Synchronize CRM items with Outlook" as last saved in Options (syncSwitchNotice.ts), or null. */
  readonly savedSwitch: SavedSyncSwitch | null;
  /** A "Synchronize now" asked here and not over yet. */
  readonly asked: boolean;
  /** What the tab's live region says; `seq` changes with every announcement. */
  readonly announcement: { readonly seq: number; readonly text: string };
}

type PaneTranslate = Translate<PaneKey>;

/** The words a screen reader hears when the run the user asked for is over. */
export function syncEndedText(
  status: PaneSyncStatus,
  askedAt: number,
  t: PaneTranslate = englishPaneStrings.t,
): string {
  if (status.problem) return status.problem;
  const last = status.runs[0];
  if (!last || last.startedAt < askedAt) return t('sync.notConnected');
  return summarySentence(last, t);
}

export class SyncTabModel {
  private state: SyncTabState;
  private readonly listeners = new Set<() => void>();
  /** Following the runner while the tab is shown (someone listens), not after. */
  private following: (() => void) | null = null;

  constructor(
    private readonly control: PaneSyncControl,
    private readonly clock: () => number = Date.now,
    private readonly notice: SyncSwitchNotice = syncSwitchNoticeOf(control),
    /** The pane's words in the user's language (English for callers without them). */
    private readonly t: PaneTranslate = englishPaneStrings.t,
  ) {
    this.state = {
      status: control.status(),
      savedSwitch: notice.get(),
      asked: false,
      announcement: { seq: 0, text: '' },
    };
  }

  getState = (): SyncTabState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (!this.following) {
      const stopStatus = this.control.subscribe((status) => this.set({ status }));
      const stopNotice = this.notice.subscribe(() => this.set({ savedSwitch: this.notice.get() }));
      this.following = () => {
        stopStatus();
        stopNotice();
      };
      const status = this.control.status();
      if (status !== this.state.status) this.set({ status });
      const savedSwitch = this.notice.get();
      if (savedSwitch !== this.state.savedSwitch) this.set({ savedSwitch });
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size > 0) return;
      this.following?.();
      this.following = null;
    };
  };

  /** Runs a synchronization now (or right after the one under way); resolves when it is over. */
  async synchronizeNow(): Promise<void> {
    if (this.state.asked) return;
    const askedAt = this.clock();
    this.set({ asked: true, announcement: this.next(this.t('sync.synchronizingNow')) });
    try {
      await this.control.synchronizeNow();
    } finally {
      const status = this.control.status();
      this.set({ status, asked: false, announcement: this.next(syncEndedText(status, askedAt, this.t)) });
    }
  }

  private next(text: string): SyncTabState['announcement'] {
    return { seq: this.state.announcement.seq + 1, text };
  }

  private set(patch: Partial<SyncTabState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of [...this.listeners]) listener();
  }
}
