/**
 * What synchronization asks of the Outlook mailbox through Microsoft Graph (synchronization.md §2),
 * in the add-in's words: the user's contacts (`/me/contacts`), calendar events (`/me/calendarView`,
 * `/me/events`) and Microsoft To Do tasks (the default list, `/me/todo/lists/{id}/tasks`), each read
 * with delta queries, and written in JSON `$batch`es of 20. The adapter is syncAdapter.ts.
 *
 * `fields` use the flat Outlook names of src/rules/syncFieldCatalog.ts with its normalized values
 * (syncShapes.ts converts Graph's shapes both ways).
 *
 * The link to the CRM record (chosen, docs/graph-facts.md):
 * - contacts and events: the single-value extended property
 *   `String {00020329-0000-0000-C000-000000000046} Name tic-crm-link`, JSON `{"crmId": "…", "tracked": bool}`;
 *   an event tracked from the ribbon also counts as linked through the add-in's own tag (the
 *   `cecp-<add-in id>` property Office.js writes, its activity id) and as tracked;
 * - To Do tasks (which have no extended properties in v1.0): a `linkedResource` with
 *   `applicationName` "Track in CRM" and `externalId` the CRM id.
 */
import type { SyncEntity, SyncFields } from '../rules/syncTypes';
import type { GraphError } from './errors';

export interface OutlookSyncItem {
  /** Graph's id. */
  readonly itemId: string;
  readonly changeKey: string | null;
  /** The CRM record's id the item carries, or null. */
  readonly crmId: string | null;
  /** The user tracked it (an Outlook contact the user asked to track; an appointment tracked from the ribbon). */
  readonly tracked: boolean;
  /** `lastModifiedDateTime`, normalized to an instant. */
  readonly modifiedAt: string | null;
  readonly fields: SyncFields;
  /** A contact's email addresses in Outlook's order (the first is the one §2.3 step 5 matches); [] otherwise. */
  readonly emails: readonly string[];
  /** What the user sees it as (a contact's display name, an event's or task's subject), for progress and the log. */
  readonly title: string;
}

export interface OutlookChangesOptions {
  /** Pages read at most in this call; `complete: false` means call again with the watermark. */
  readonly maxPages?: number;
  /**
   * Events only: the calendar window a first round reads (`calendarView/delta` needs one); later
   * rounds carry it in the watermark.
   */
  readonly window?: { readonly start: string; readonly end: string };
}

export interface OutlookChanges {
  /** Created or changed since the watermark, each once, whole. */
  readonly items: readonly OutlookSyncItem[];
  /** Deleted (or, for events, out of the window). */
  readonly removed: readonly string[];
  /** Opaque; where the next call starts. */
  readonly watermark: string;
  readonly complete: boolean;
  /** The given watermark was expired (410) or not Graph's: this answer is a full read from the start. */
  readonly restarted: boolean;
}

export type OutlookSyncWrite =
  /** `ref` is the runner's key for the new item (its CRM id); the item is created carrying the link. */
  | { readonly kind: 'create'; readonly ref: string; readonly crmId: string; readonly fields: SyncFields }
  /** With `changeKey`, sent as If-Match: an item changed since the read is a GraphConflictError outcome (412), tried next run. */
  | {
      readonly kind: 'update';
      readonly itemId: string;
      readonly fields: SyncFields;
      readonly changeKey?: string;
    }
  | { readonly kind: 'link'; readonly itemId: string; readonly crmId: string; readonly tracked: boolean }
  | { readonly kind: 'unlink'; readonly itemId: string }
  | { readonly kind: 'delete'; readonly itemId: string }
  /** The user asks to track an Outlook contact (the next synchronization creates or links the CRM contact). */
  | { readonly kind: 'track'; readonly itemId: string };

export type OutlookSyncOutcome =
  | {
      /** The item's id (for a create, the new item's); `ref` repeats a create's. */
      readonly itemId: string;
      readonly ref?: string;
      readonly ok: true;
      /** The item as it is after the write (null for a delete). */
      readonly item: OutlookSyncItem | null;
    }
  | { readonly itemId: string | null; readonly ref?: string; readonly ok: false; readonly error: GraphError };

export interface OutlookSyncPort {
  changes(
    entity: SyncEntity,
    watermark: string | null,
    options?: OutlookChangesOptions,
  ): Promise<OutlookChanges>;
  /**
   * JSON `$batch`es of 20, in order; one outcome per write. `onProgress` is called after each
   * `$batch` is answered with the number of writes answered so far (the last call with
   * `writes.length`), so the pane can count a long synchronization moving.
   */
  applyWrites(
    entity: SyncEntity,
    writes: readonly OutlookSyncWrite[],
    onProgress?: (done: number) => void,
  ): Promise<OutlookSyncOutcome[]>;
}
