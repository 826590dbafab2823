/**
 * The whole mailbox as the background check needs it, in the add-in's words: what changed in a
 * folder since a watermark, the facts of given items, and the tags written back (categories and the
 * add-in's custom property). The adapter over Microsoft Graph is graphAdapter.ts; tests pass fakes.
 */
import type { TrackTag } from '../app/ports';
import type { GraphError } from './errors';
import type { CustomProperties, GraphItem } from './messageFacts';

export type { CustomProperties, GraphItem } from './messageFacts';

/**
 * A standard folder by its well-known name, or any other by its path from the mailbox root; with
 * its Graph `id` when known (a folder mapping names it), the folder is found by id and the path is
 * only its name for the rules.
 */
export type GraphFolder = { readonly wellKnown: string } | { readonly path: string; readonly id?: string };

export interface FolderChangesOptions {
  /**
   * With no watermark: only mail received at or after this instant (ISO) is read, so a first cycle
   * does not sweep years of mail (background-check §1.2 step 4). Later rounds carry it in the watermark.
   */
  readonly since?: string | null;
  /**
   * Pages read at most in this call; the round then continues from the returned watermark (a
   * nextLink, `complete: false`), with no item given twice, until a call ends it with its deltaLink.
   */
  readonly maxPages?: number;
}

export interface UnreadableItem {
  readonly itemId: string | null;
  readonly reason: string;
}

export interface FolderChanges {
  /**
   * Created or changed since the watermark (each once, as last seen in the round), always whole: a
   * message Graph gave only as a read-state change is read again by id before the call answers.
   */
  readonly items: readonly GraphItem[];
  /** Deleted, or moved out of the folder. */
  readonly removed: readonly string[];
  /** Where the next call starts. Opaque; kept by the caller between cycles. */
  readonly watermark: string;
  /** False when `maxPages` stopped the round: call again with the watermark for the rest. */
  readonly complete: boolean;
  /** True when the given watermark was expired or not Graph's, and the folder was read from the start. */
  readonly restarted: boolean;
  /**
   * Messages in the answer that could not be read as items (no id, not an object), and read-state
   * changes whose message could not be read again (the reason says why).
   */
  readonly unreadable: readonly UnreadableItem[];
}

/** One item's write: categories and/or the tag, in one request. */
export interface ItemUpdate {
  readonly itemId: string;
  /** When given, the write fails with a GraphConflictError if the item changed since. */
  readonly changeKey?: string;
  readonly categories?: readonly string[];
  /** The tag to write, or null to remove it. Other custom properties are kept. */
  readonly tag?: TrackTag | null;
  /** The item's custom properties as last read; without them they are read first (one more request). */
  readonly customProperties?: CustomProperties;
}

export type ItemUpdateOutcome =
  | { readonly itemId: string; readonly ok: true; readonly changeKey: string }
  | { readonly itemId: string; readonly ok: false; readonly error: GraphError };

export type ItemReadOutcome =
  | { readonly itemId: string; readonly ok: true; readonly item: GraphItem }
  | { readonly itemId: string; readonly ok: false; readonly error: GraphError };

export interface MasterCategory {
  readonly displayName: string;
  /** `none` or `preset0`…`preset24`. */
  readonly color: string;
}

export interface MailboxGraphPort {
  folderChanges(
    folder: GraphFolder,
    watermark: string | null,
    options?: FolderChangesOptions,
  ): Promise<FolderChanges>;
  /** The items' facts, as listed under `folder`; a missing item is a GraphNotFoundError outcome. */
  readFacts(folder: GraphFolder, itemIds: readonly string[]): Promise<ItemReadOutcome[]>;
  /** Replaces the item's categories; answers the new changeKey. */
  setCategories(itemId: string, categories: readonly string[], changeKey?: string): Promise<string>;
  /** Writes (or with null removes) the tag; answers the new changeKey. */
  writeTag(itemId: string, tag: TrackTag | null, changeKey?: string): Promise<string>;
  /** Many writes in JSON `$batch`es of at most 20; one outcome per update, in order. */
  updateItems(updates: readonly ItemUpdate[]): Promise<ItemUpdateOutcome[]>;
  masterCategories(): Promise<MasterCategory[]>;
  /** Adds the category to the master list unless a category of that name is there. */
  ensureCategory(name: string, color: string): Promise<void>;
}

/** The name an item's facts carry for a folder (background-check §1.2 step 1). */
export function folderName(folder: GraphFolder): string {
  return 'wellKnown' in folder ? folder.wellKnown : folder.path;
}
