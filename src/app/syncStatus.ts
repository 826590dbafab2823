/**
 * What synchronization (synchronization.md) shows the user and keeps between runs, and how the pane
 * drives it. The runner (synchronization.ts) produces these; the pane's Synchronization tab renders
 * them. Plain data: no Office, no React, no CRM or Graph code.
 */
import type {
  SyncEntity,
  SyncFields,
  SyncOperationKind,
  SyncOperationReason,
  SyncRunReason,
  SyncTrigger,
} from '../rules/syncTypes';
import type { OutlookSyncItem } from '../graph/syncPort';

/** One operation of a run as the log keeps it (every operation and error of the last runs). */
export interface SyncLogEntry {
  readonly entity: SyncEntity;
  readonly op: SyncOperationKind;
  readonly crmId: string | null;
  readonly itemId: string | null;
  /** What the user knows the record or item as (a contact's name, a subject); untrusted, shown as text. */
  readonly title: string;
  /** The target side's field names written (empty for unlink, delete and link). */
  readonly fields: readonly string[];
  /** Fields written as the winner of a conflict (§2.4), by the target side's name. */
  readonly conflicts: readonly string[];
  readonly reason: SyncOperationReason | null;
  /** `done`, or `failed` with `error` (then the operation is tried again next run). */
  readonly outcome: 'done' | 'failed';
  /** The failure in the user's words; null when done. */
  readonly error: string | null;
}

export interface SyncTypeSummary {
  readonly entity: SyncEntity;
  /** False when this type did not run (the run's `reason` says why, or `error` when it stopped). */
  readonly ran: boolean;
  /** CRM records in scope and Outlook items of the type looked at. */
  readonly crmRecords: number;
  readonly outlookItems: number;
  /** Operations done, by kind; failures are counted apart. */
  readonly done: Readonly<Partial<Record<SyncOperationKind, number>>>;
  readonly failed: number;
  /** Why this type stopped short (the CRM or the mailbox could not be read), in the user's words. */
  readonly error: string | null;
}

/** One run of synchronization (all three types, one after another). */
export interface SyncRunRecord {
  readonly trigger: SyncTrigger;
  readonly startedAt: number;
  readonly finishedAt: number;
  /** §2.1: false with the reason when the settings say no synchronization runs. */
  readonly ran: boolean;
  readonly reason: SyncRunReason;
  /**
   * Set when this run did nothing because another instance of the pane on this device (a second
   * Outlook on the web tab) held the synchronization lock: `ran` is false, the other one synchronizes.
   * Absent otherwise and in records saved before it existed.
   */
  readonly skipped?: 'OtherWindow';
  /**
   * Set when the run was cut short (the pane closed or reloaded during it) and found so by the next
   * run: `types` and `entries` are those of the types it finished, `finishedAt` when it was last known
   * alive (its last save). Absent otherwise and in records saved before it existed.
   */
  readonly interrupted?: true;
  readonly types: readonly SyncTypeSummary[];
  /** Every operation and its outcome, in the planner's order, type by type. */
  readonly entries: readonly SyncLogEntry[];
}

/** During a run: "Contacts 120/340". */
export interface SyncProgress {
  readonly entity: SyncEntity;
  /** What is under way. */
  readonly step: 'reading' | 'writing';
  readonly done: number;
  readonly total: number;
}

/**
 * - `idle`: between runs (`nextRunAt` says when the schedule runs one, or null when none is scheduled);
 * - `running`: a run is under way (one at a time; "Synchronize now" during one runs one right after);
 * - `off`: the settings say no run (the last record's reason says why: SyncOff, NotSyncClient);
 * - `stopped`: the pane is closing or has no CRM session yet.
 */
export type SyncPhase = 'idle' | 'running' | 'off' | 'stopped';

export interface SyncStatus {
  readonly phase: SyncPhase;
  readonly progress: SyncProgress | null;
  /** Epoch ms of the next scheduled run, or null. */
  readonly nextRunAt: number | null;
  /** The last runs, newest first (at most MAX_SYNC_RUNS_KEPT), read back from the store across reloads. */
  readonly runs: readonly SyncRunRecord[];
}

export interface SyncControl {
  status(): SyncStatus;
  subscribe(listener: (status: SyncStatus) => void): () => void;
  /** "Synchronize now" (trigger `manual`). Resolves when that run ends. */
  synchronizeNow(): Promise<void>;
}

/** The baseline of one pair (§2.2), as the planner reads it. */
export interface StoredPair {
  readonly crmId: string;
  readonly itemId: string;
  readonly crm: SyncFields;
  readonly outlook: SyncFields;
}

/** What one type keeps between runs, on the synchronization client (never in roaming settings: it is large). */
export interface SyncTypeState {
  /** Graph's delta watermark for the type, or null before the first run. */
  readonly watermark: string | null;
  /** The Outlook items of the type as last read (delta answers only what changed). */
  readonly items: readonly OutlookSyncItem[];
  /**
   * Items Graph said were deleted that were still linked: kept (as they were last read) until the
   * planner's `unlink` (OutlookDeleted) is done, so the record goes to `excluded` rather than being
   * copied to Outlook again. Absent in states saved before it existed.
   */
  readonly deleted?: readonly OutlookSyncItem[];
  readonly pairs: readonly StoredPair[];
  readonly excluded: readonly string[];
  /**
   * Outlook items whose CRM record a run created (§2.3 step 5) but whose link could not be written:
   * the next run writes the link again instead of creating a second record. Absent in states saved
   * before it existed.
   */
  readonly pendingLinks?: readonly { readonly itemId: string; readonly crmId: string }[];
  /**
   * The CRM id chosen for a record to create from an Outlook item (§2.3 step 5), kept until the create
   * is known done: a run whose `$batch` answer was lost sends the same id again, and Dataverse's
   * duplicate-key answer then says it was done, so the record is never created twice. Absent in states
   * saved before it existed.
   */
  readonly pendingCreates?: readonly { readonly itemId: string; readonly crmId: string }[];
  /**
   * Events only: the calendar window of the current delta round (`calendarView/delta` carries it in
   * the watermark); a new round with a later window starts once its start is over 7 days old. Absent
   * before the first round and in states saved before it existed.
   */
  readonly window?: { readonly start: string; readonly end: string };
  /**
   * Appointments only: per CRM id, the `modifiedOn` and attendee fields last read, handed back to the
   * CRM port so an appointment unchanged since keeps its attendees without its parties read again.
   * Absent in states saved before it existed.
   */
  readonly known?: readonly {
    readonly crmId: string;
    readonly modifiedOn: string | null;
    readonly fields: SyncFields;
  }[];
}

export const EMPTY_SYNC_TYPE_STATE: SyncTypeState = { watermark: null, items: [], pairs: [], excluded: [] };

/**
 * A run under way, saved at its start and after each type: a run cut short (a reload) leaves it in
 * the state, and the next run logs it as interrupted instead of leaving no trace.
 */
export interface SyncRunMarker {
  readonly trigger: SyncTrigger;
  readonly startedAt: number;
  readonly reason: SyncRunReason;
  /** Epoch ms of the run's last save: the last moment it is known to have been alive. */
  readonly savedAt: number;
  /** The types it finished so far, and their operations. */
  readonly types: readonly SyncTypeSummary[];
  readonly entries: readonly SyncLogEntry[];
}

export interface SyncState {
  readonly contact: SyncTypeState;
  readonly appointment: SyncTypeState;
  readonly task: SyncTypeState;
  /** Newest first. */
  readonly runs: readonly SyncRunRecord[];
  /** The run under way (or cut short); absent between runs and in states saved before it existed. */
  readonly running?: SyncRunMarker;
}

export const MAX_SYNC_RUNS_KEPT = 10;

export const EMPTY_SYNC_STATE: SyncState = {
  contact: EMPTY_SYNC_TYPE_STATE,
  appointment: EMPTY_SYNC_TYPE_STATE,
  task: EMPTY_SYNC_TYPE_STATE,
  runs: [],
};

/** Where the state lives (IndexedDB in the pane, a map in tests). */
export interface SyncStateStore {
  load(): Promise<SyncState>;
  save(state: SyncState): Promise<void>;
}
