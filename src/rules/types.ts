/**
 * The plain facts the rules decide on. Every field mirrors a field of a case in
 * spec/tracking.md §6, so the add-in and the `explain` command feed the same shapes.
 */

export type Action = 'incoming' | 'track' | 'compose';
export type Direction = 'incoming' | 'outgoing';
export type ComposeType = 'newMail' | 'reply' | 'forward' | null;

/** One mailbox as written in From/To/Cc/Bcc. `name` is the decoded display name, if any. */
export interface MailAddress {
  readonly address: string;
  readonly name: string | null;
}

/** What the rules need to know about one email (§6 `email`, without the raw `headers`). */
export interface EmailFacts {
  readonly messageId: string | null;
  readonly subject: string;
  readonly direction: Direction;
  /** `inbox`, `sentitems`, `drafts`, `deleteditems`, `junkemail` or any other folder name. */
  readonly folder: string;
  readonly from: MailAddress | null;
  readonly to: readonly MailAddress[];
  readonly cc: readonly MailAddress[];
  readonly bcc: readonly MailAddress[];
  readonly inReplyTo: string | null;
  /** Oldest first, as written in the References header. */
  readonly references: readonly string[];
  /** The Thread-Index header value (base64), or null. */
  readonly threadIndex: string | null;
  /** ISO 8601 instant, or null. */
  readonly receivedAt: string | null;
  readonly composeType: ComposeType;
}

/** A pointer to one CRM record: its logical name (`contact`, `opportunity`, …) and id. */
export interface RecordRef {
  readonly type: string;
  readonly id: string;
}

/** An email-enabled CRM record as the rules see it (§2.4). `emails[0]` is the primary address. */
export interface CrmRecord {
  readonly type: string;
  readonly id: string;
  readonly emails: readonly string[];
  /** ISO 8601 instant. */
  readonly createdOn: string;
  readonly active: boolean;
  readonly name?: string | null;
}

/** An email activity already in the CRM (candidate for duplicates and correlation, §2.1 step 1, §3). */
export interface TrackedEmail {
  readonly activityId: string;
  readonly messageId: string | null;
  readonly subject: string | null;
  readonly trackingToken: string | null;
  readonly threadIndex: string | null;
  readonly regarding: RecordRef | null;
  readonly addresses: readonly string[];
  readonly trackedBy: string | null;
  readonly receivedAt: string | null;
}

/** Folder-level tracking (§2.1 step 5). */
export interface FolderMapping {
  readonly folder: string;
  readonly regarding: RecordRef;
}

export interface UserContext {
  readonly id: string;
  readonly email: string | null;
  readonly mailboxApproved: boolean;
}
