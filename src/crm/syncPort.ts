/**
 * What synchronization asks of the CRM (synchronization.md §1–§2), in the add-in's words. The
 * Dataverse adapter is syncAdapter.ts; the runner (src/app/synchronization*.ts) and its tests depend
 * on this file only. Values in `fields` are the CRM attributes' logical names with the normalized
 * values of src/rules/syncFieldCatalog.ts (syncShapes.ts converts Dataverse's shapes both ways).
 */
import type { SyncEntity, SyncFields, SyncMapping } from '../rules/syncTypes';
import type { CrmError } from './errors';

/** One of the user's Outlook synchronization filters: a `userquery` row (querytype 256, OutlookFilters in Microsoft's SavedQueryQueryType; the spec says 128, which Microsoft gives the service-calendar view: see docs/dataverse-facts.md). */
export interface SyncFilter {
  readonly id: string;
  readonly name: string;
  readonly entity: SyncEntity;
  /** The row's `fetchxml`, as Dataverse holds it. */
  readonly fetchXml: string;
}

/** A CRM record as one synchronization reads it (the planner's SyncCrmRecord without `inScope`). */
export interface CrmSyncRecord {
  readonly id: string;
  /** False: a contact deactivated, an appointment or task canceled (§2). */
  readonly active: boolean;
  readonly createdOn: string | null;
  readonly modifiedOn: string | null;
  readonly fields: SyncFields;
  /** A contact's parent account's name (§2.4's company rule); null for the other types. */
  readonly parentAccountName: string | null;
  /** Dataverse's `@odata.etag` as read, for an update that must not overwrite a change made since. */
  readonly etag?: string | null;
}

/**
 * What the runner already knows of a record (from an earlier run): an appointment whose `modifiedOn` is
 * unchanged keeps these attendee fields without its parties being read again (Dataverse moves an
 * activity's `modifiedon` when its parties change; chosen), so a quiet run costs one request per filter.
 */
export type KnownRecords = ReadonlyMap<
  string,
  { readonly modifiedOn: string | null; readonly fields: SyncFields }
>;

/** The records the filters returned, and the filters that could not be run (their records unknown, not out of scope). */
export interface ScopeRead {
  readonly records: readonly CrmSyncRecord[];
  readonly failed: readonly { readonly filter: SyncFilter; readonly error: CrmError }[];
}

export type CrmSyncWrite =
  /** A new record with the id the runner chose (so the Outlook item can carry it in the same run). */
  | { readonly kind: 'create'; readonly id: string; readonly fields: SyncFields }
  /** With `etag`, sent as If-Match: a record changed since the read is a CrmConflictError outcome (412), tried next run. */
  | { readonly kind: 'update'; readonly id: string; readonly fields: SyncFields; readonly etag?: string };

export type CrmSyncOutcome =
  | { readonly id: string; readonly ok: true }
  | { readonly id: string; readonly ok: false; readonly error: CrmError };

export interface CrmSyncPort {
  /**
   * The user's active Outlook filters of all three types. A user with none gets copies of the
   * organization's templates (`savedquery`, querytype 131072) written as the user's own first (a new
   * user's first synchronization). One request when the user has filters.
   */
  synchronizationFilters(): Promise<SyncFilter[]>;
  /**
   * The field mappings Dataverse defines for the type (`RetrievePrincipalSyncAttributeMappings`),
   * or null when it defines none: the caller then uses the catalog's defaults.
   */
  fieldMappings(entity: SyncEntity): Promise<SyncMapping[] | null>;
  /**
   * The records the filters return (each filter run with `?fetchXml=` on the type's entity set, its
   * attributes replaced by `attributes` and what the planner needs, paged by paging cookie), each
   * once. One request per filter while it returns at most 5,000 records.
   */
  recordsInScope(
    entity: SyncEntity,
    filters: readonly SyncFilter[],
    attributes: readonly string[],
    known?: KnownRecords,
  ): Promise<ScopeRead>;
  /** The records with these ids, inactive ones too; an id that no longer exists is left out. */
  recordsById(
    entity: SyncEntity,
    ids: readonly string[],
    attributes: readonly string[],
  ): Promise<CrmSyncRecord[]>;
  /** Active contacts whose `emailaddress1` is one of the addresses (§2.3 step 5). */
  contactsByEmail(emails: readonly string[], attributes: readonly string[]): Promise<CrmSyncRecord[]>;
  /**
   * The writes in one `$batch` (each its own request, not a change set, so one refused write never
   * undoes the others), in order; one outcome per write. Appointment attendees are written as
   * activity parties, their addresses resolved to contacts, accounts, leads or users where one has it.
   * `onProgress` is called after each `$batch` is answered with the number of writes answered so far
   * (the last call with `writes.length`), so the pane can count a long synchronization moving.
   */
  applyWrites(
    entity: SyncEntity,
    writes: readonly CrmSyncWrite[],
    onProgress?: (done: number) => void,
  ): Promise<CrmSyncOutcome[]>;
}
