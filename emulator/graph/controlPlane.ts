/**
 * The Graph emulator's mailbox control plane, as JSON on the wire (beside `/_emulator/faults`; not
 * Graph's API, since Graph cannot deliver mail). The workbench's mirror (workbench/graphMirror.ts) keeps
 * the Outlook simulator and this emulator one mailbox with it:
 *
 * - `PUT /_emulator/mailbox` with a MailboxSync: every message the mirror knows, as Exchange holds it.
 *   A message is created, or updated when something differs (a new changeKey, in the next delta), or
 *   left alone when nothing does (no new changeKey, not in a delta). Messages the mirror put here earlier
 *   and does not list now are removed (a delta's `@removed`); messages it never put here are kept.
 * - `GET /_emulator/mailbox/changes?since=N`: what clients changed through Graph (PATCH of categories and
 *   extended properties) after sequence N, each message as it is now, plus the master categories.
 *   Without `since`: no changes, only the sequence to start from.
 *
 * Types only: the workbench's browser bundle imports them without the emulator.
 */

export interface ControlRecipient {
  readonly name: string;
  readonly address: string;
}

export interface ControlHeader {
  readonly name: string;
  readonly value: string;
}

export interface MirroredMessage {
  /** The Graph id (Office's `convertToRestId(itemId, 'v2.0')`). */
  readonly id: string;
  /** A well-known name (`inbox`, `sentitems`, …) or a path of display names (`Fabrikam`, `Inbox/Projects`). */
  readonly folder: string;
  readonly subject: string;
  /** Plain text. */
  readonly body: string;
  readonly from: ControlRecipient | null;
  readonly to: readonly ControlRecipient[];
  readonly cc: readonly ControlRecipient[];
  /** ISO instant. */
  readonly receivedDateTime: string;
  readonly internetMessageId: string | null;
  readonly inReplyTo: string | null;
  readonly references: readonly string[];
  /** Thread-Index bytes, base64. */
  readonly threadIndex: string | null;
  readonly conversationId: string;
  readonly isDraft: boolean;
  readonly categories: readonly string[];
  /** The transport header block as fields; `[]` for mail that did not come by SMTP (sent, drafts). */
  readonly headers: readonly ControlHeader[];
  /**
   * Named extended properties to set (id → value) or remove (id → null), e.g. the add-in's `cecp-`
   * property; properties not named are kept.
   */
  readonly extendedProperties: Readonly<Record<string, string | null>>;
}

export interface ControlCategory {
  readonly displayName: string;
  /** Graph's spelling: `none`, `preset0`…`preset24`. */
  readonly color: string;
}

export interface MailboxSync {
  readonly messages: readonly MirroredMessage[];
  /**
   * The change feed's sequence the mirror has applied. A message changed through Graph after it keeps
   * its categories and extended properties (the mirror has not seen that write yet and must not undo
   * it); its next pull brings them. Absent: the mirror's values are taken as they are.
   */
  readonly since?: number | null;
  /** Folders (well-known names or paths) made when missing, so an empty one is listed in Graph too. */
  readonly folders?: readonly string[];
  /** Added to the master list when no category of that name (case-insensitive) is there. */
  readonly masterCategories?: readonly ControlCategory[];
}

export interface MailboxSyncResult {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly removed: number;
  /** The mailbox's sequence after the sync. */
  readonly seq: number;
}

export interface ChangedMessage {
  readonly id: string;
  readonly categories: readonly string[];
  /** Every stored named extended property of the message, ids as Graph writes them. */
  readonly extendedProperties: Readonly<Record<string, string>>;
}

export interface MailboxChanges {
  /** Pass as `since` next time. */
  readonly seq: number;
  readonly changes: readonly ChangedMessage[];
  readonly masterCategories: readonly ControlCategory[];
}

export const CONTROL_MAILBOX_PATH = '/_emulator/mailbox';
export const CONTROL_CHANGES_PATH = '/_emulator/mailbox/changes';
