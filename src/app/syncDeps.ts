/**
 * What the synchronization runner (synchronization.ts) is built from, so the host (src/host/syncHost.ts)
 * and the runner's tests build it the same way. The runner reads the session, and so the settings, again
 * at each run's start (a personal option changed in the pane applies from the next run).
 */
import type { CrmSyncPort } from '../crm/syncPort';
import type { OutlookSyncPort } from '../graph/syncPort';
import type { Timer } from './backgroundCheck';
import type { Clock, DiagnosticsLog } from './ports';
import type { Session } from './session';
import type { SyncControl, SyncStateStore } from './syncStatus';

export interface SynchronizationDeps {
  /** The app's session, or null while there is none (then the runner waits and asks again). */
  readonly session: () => Session | null;
  readonly crm: CrmSyncPort;
  readonly outlook: OutlookSyncPort;
  readonly store: SyncStateStore;
  /**
   * Whether this device is the synchronization client (synchronization.md §1: kept on the device,
   * roaming settings hold which device it is). It overrides the session's `isSynchronizationClient`.
   */
  readonly isSyncClient: () => boolean;
  /** A new CRM id for a record created from Outlook (so the Outlook item carries it in the same run). */
  readonly newId: () => string;
  readonly clock: Clock;
  readonly timer: Timer;
  readonly log: DiagnosticsLog;
  /**
   * Runs one synchronization run while holding a lock shared by every instance of the pane on this
   * device (the host uses navigator.locks), or answers null at once when another instance holds it:
   * two panes would otherwise both copy a new record. Absent: runs are not guarded (one pane only).
   */
  readonly exclusive?: <T>(run: () => Promise<T>) => Promise<T | null>;
  /** The first scheduled run this long after `start()` (default 30 s; tests shorten it). */
  readonly firstRunDelayMs?: number;
}

export type Synchronization = SyncControl & {
  /** Starts the schedule (§2.5): the first run after `firstRunDelayMs`, then every `next.inMinutes`. */
  start(): void;
  /** No run starts after this; a run under way finishes its writes. */
  stop(): void;
  /** Resolves once no run is under way. */
  settled(): Promise<void>;
};
