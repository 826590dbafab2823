/**
 * The facts one synchronization of one record type decides on, and the plan it returns
 * (synchronization.md §2–§3). Every field mirrors a field of an `explain` case of action `sync`, so
 * the add-in's runner and the command feed the same shapes.
 */
import type { Settings } from './settings';

export type SyncEntity = 'contact' | 'appointment' | 'task';
export type SyncTrigger = 'scheduled' | 'manual';
/** §1: Dataverse stores it as a number (0 none, 1 to Exchange, 2 to CRM, 3 bidirectional). */
export type MappingDirection = 'none' | 'toOutlook' | 'toCrm' | 'both';

export interface SyncMapping {
  /** The CRM attribute's name. */
  readonly crm: string;
  /** The Outlook item's field name, as the runner converted Graph's shape. */
  readonly outlook: string;
  readonly direction: MappingDirection;
}

/** Field values by name, as JSON values; a missing name is a null value (§2.4). */
export type SyncFields = Readonly<Record<string, unknown>>;

export interface SyncCrmRecord {
  readonly id: string;
  /** Returned by one of the user's synchronization filters of this type (§1). */
  readonly inScope: boolean;
  /** False: deactivated (a contact), canceled (an appointment or a task), §2. */
  readonly active: boolean;
  /** ISO 8601 instants, or null when the runner had none. */
  readonly createdOn: string | null;
  readonly modifiedOn: string | null;
  readonly fields: SyncFields;
  /** A contact's parent account's name (§2.4's company rule). */
  readonly parentAccountName: string | null;
}

export interface SyncOutlookItem {
  readonly itemId: string;
  /** The CRM record's id the item carries, or null (§2.2). */
  readonly crmId: string | null;
  /** The user tracked it (§2.2, §2.3 step 5). */
  readonly tracked: boolean;
  readonly deleted: boolean;
  readonly modifiedAt: string | null;
  readonly fields: SyncFields;
  /** A contact's email addresses; the first is the one §2.3 step 5 matches. */
  readonly emails: readonly string[];
}

/** The mapped fields of one pair on both sides at the end of the last synchronization (§2.2). */
export interface SyncBaseline {
  readonly crmId: string;
  readonly itemId: string;
  readonly crm: SyncFields;
  readonly outlook: SyncFields;
}

export interface SyncState {
  readonly pairs: readonly SyncBaseline[];
  /** CRM ids not copied to Outlook again (§2.3 steps 1 and 6). */
  readonly excluded: readonly string[];
}

export interface SyncInput {
  /** ISO 8601 instant of the run; no rule of §2 reads it, the runner keeps it with the state. */
  readonly now: string | null;
  readonly entity: SyncEntity;
  readonly trigger: SyncTrigger;
  readonly settings: Settings;
  /** As given: the runner supplies the defaults when Dataverse defines none (§3). */
  readonly mappings: readonly SyncMapping[];
  readonly crm: { readonly records: readonly SyncCrmRecord[] };
  readonly outlook: { readonly items: readonly SyncOutlookItem[] };
  readonly state: SyncState;
}

/** §2.5's order of kinds is the order of this list. */
export const SYNC_OPERATION_KINDS = [
  'unlink',
  'deleteOutlook',
  'link',
  'updateCrm',
  'updateOutlook',
  'createCrm',
  'createOutlook',
] as const;
export type SyncOperationKind = (typeof SYNC_OPERATION_KINDS)[number];

export type SyncOperationReason =
  'DuplicateLink' | 'OutlookDeleted' | 'CrmDeleted' | 'OutOfScope' | 'DuplicateFound';

export interface SyncOperation {
  readonly op: SyncOperationKind;
  /** Null for `createCrm`. */
  readonly crmId: string | null;
  /** Null for `createOutlook`. */
  readonly itemId: string | null;
  /** The target side's names: CRM names for updateCrm/createCrm, Outlook names for the Outlook ones, {} otherwise. */
  readonly fields: SyncFields;
  /** Fields written as the winner of a conflict, by the target side's name (§2.4). */
  readonly conflicts: readonly string[];
  /** Set for `unlink`, `deleteOutlook` and `link`, else null. */
  readonly reason: SyncOperationReason | null;
}

export type SyncRunReason = 'Ran' | 'SyncOff' | 'NotSyncClient' | 'ScheduleNotAllowed';

export interface SyncPlan {
  readonly run: boolean;
  readonly reason: SyncRunReason;
  readonly operations: readonly SyncOperation[];
  /** Only the CRM ids this run excludes (§2.3 step 1), ordinal order. */
  readonly exclude: readonly string[];
  /** Minutes to the next scheduled synchronization, or null when the organization allows none. */
  readonly next: { readonly inMinutes: number | null };
}
