/**
 * Folder-level tracking (tracking.md §1, `isfolderbasedtrackingenabled`): the user's mappings of a
 * mailbox folder to a regarding record, kept in Dataverse's `mailboxtrackingfolders` as Dynamics 365's
 * folder tracking rules keep them. The Dataverse adapter is folderMappings.ts; tests pass fakes.
 */
import type { RecordRef } from '../rules/types';

export interface FolderMappingRow {
  /** `mailboxtrackingfolderid`. */
  readonly id: string;
  /** The Exchange folder id (Graph's mailFolder id) the mapping names. */
  readonly folderId: string;
  /** The folder's path from the mailbox root (`Inbox/Projects/Fabrikam`), as the rules name folders. */
  readonly folderPath: string;
  readonly regarding: RecordRef;
  /** The regarding record's display name, when the CRM gave one. */
  readonly regardingName: string | null;
}

export interface NewFolderMapping {
  readonly folderId: string;
  readonly folderPath: string;
  readonly regarding: RecordRef;
}

export interface FolderMappingPort {
  /** The user's mappings (the user's own mailbox row), in one request. */
  list(userId: string): Promise<FolderMappingRow[]>;
  /** Adds a mapping; a folder already mapped is a clear error, not a second row. */
  add(userId: string, mapping: NewFolderMapping): Promise<FolderMappingRow>;
  remove(mappingId: string): Promise<void>;
}
