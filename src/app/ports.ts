/**
 * What the use cases need from the outside world, as interfaces. src/mailbox implements the Outlook
 * side over Office.js, src/crm the CRM side; tests pass fakes. Nothing in src/app imports Office or React.
 */
import type { CrmPort } from '../crm/port';
import type { EmailFacts, RecordRef } from '../rules/types';

export type { CrmPort };

/** What the add-in writes on a tracked item (custom property), compact to fit 2,500 characters. */
export interface TrackTag {
  readonly activityId: string;
  readonly regarding: RecordRef | null;
}

/** One read item as the add-in sees it. */
export interface ItemSnapshot {
  /** Outlook's item id (EWS form); the key of caches and of the pending queue. */
  readonly itemId: string;
  readonly conversationId: string | null;
  /** The rules' facts: structured fields, with the parsed internet headers winning (§6). */
  readonly facts: EmailFacts;
  readonly categories: readonly string[];
  /** The add-in's custom property, when the item was tagged. */
  readonly tag: TrackTag | null;
  /** The `X-Track-In-CRM` header of a draft the add-in marked (§2.3), seen again on the sent item. */
  readonly draftMark: DraftMark | null;
}

/** What a reply or forward being composed looks like. */
export interface ComposeSnapshot {
  readonly facts: EmailFacts;
  readonly subject: string;
  readonly mark: DraftMark | null;
  /** The user chose not to track this draft (the pane's Cancel): it is not marked again. */
  readonly optedOut: boolean;
}

/** The mark on a draft that will be tracked when sent (§2.3 step 2). */
export interface DraftMark {
  /** A random id linking the send-time activity to the sent item (the header is kept on the sent item). */
  readonly id: string;
  readonly regarding: RecordRef | null;
  /** The correlated parent activity. */
  readonly parentActivityId: string | null;
  /**
   * The tracking token this mark put in the subject, so Cancel tracking can take it out again (a
   * token left behind would correlate the email's replies to a track the user withdrew). Absent when
   * the subject already carried one (a reply keeps its parent's) or tokens are off.
   */
  readonly token?: string | null;
}

export type NoticeKind = 'tracked' | 'will-track' | 'failed' | 'undeliverable' | 'info';

export interface Notice {
  readonly kind: NoticeKind;
  /** Already cut to Outlook's 150 characters by the mailbox adapter if longer. */
  readonly text: string;
}

/** One attachment of a read item, as Office.js describes it (AttachmentDetails): no content. */
export interface AttachmentInfo {
  readonly id: string;
  readonly name: string;
  readonly contentType: string;
  /** Bytes. */
  readonly size: number;
  readonly isInline: boolean;
  /** `file`; `item` (an attached Outlook item); `cloud` (a link to a file in OneDrive/SharePoint). */
  readonly kind: 'file' | 'item' | 'cloud';
}

export interface MailboxPort {
  /** The signed-in user's SMTP address. */
  userAddress(): string;
  currentItem(): Promise<ItemSnapshot | null>;
  /**
   * The item's plain-text body, for the activity's description. Read only when an activity is
   * created: the item-open hot path does not pay for it.
   */
  itemBody(itemId: string): Promise<string | null>;
  /**
   * The read item's attachments (details only, from `item.attachments`). Like the body, read only
   * when an activity is created.
   */
  itemAttachments(itemId: string): Promise<readonly AttachmentInfo[]>;
  /** One file attachment's content, base64 (`getAttachmentContentAsync`, Mailbox 1.8). */
  attachmentContent(itemId: string, attachmentId: string): Promise<string>;
  tagTracked(itemId: string, tag: TrackTag): Promise<void>;
  tagUndeliverable(itemId: string): Promise<void>;
  /** Removes both categories and the custom property. */
  removeTags(itemId: string): Promise<void>;
  /** Shows a notice on the item (null: the current item, e.g. the draft being composed). */
  notify(itemId: string | null, notice: Notice): Promise<void>;
  currentDraft(): Promise<ComposeSnapshot | null>;
  /** Marks the current draft: the header, and the subject when it changes (a tracking token). */
  markDraft(mark: DraftMark, subject: string | null): Promise<void>;
  /** Removes the mark and remembers the user's choice not to track this draft. */
  /** Removes the mark (remembered as opted out) and, when `subject` is given, sets the subject. */
  unmarkDraft(subject?: string | null): Promise<void>;
}

/**
 * A track that has not reached the CRM yet (§5), kept across restarts of the pane. It holds the
 * facts, not a prepared request: records are looked up again when it is retried, so a record
 * created meanwhile is linked. The body is not kept (roaming settings hold 32 KB in all).
 */
export interface PendingTrack {
  readonly key: string;
  /** The Outlook item to tag when it is delivered (null for a send-time track of a draft). */
  readonly itemId: string | null;
  readonly facts: EmailFacts;
  readonly regarding: RecordRef | null;
  /** The Message-ID to store (a provisional one for a draft tracked at send). */
  readonly messageId: string;
  readonly attempts: number;
  /** Epoch ms: not before. */
  readonly nextAttemptAt: number;
  /** The last failure, as the user sees it (short or verbose per the organization). */
  readonly lastError: string | null;
  readonly undeliverable: boolean;
  /**
   * How the track is decided again when it is tried: `track` (the default, and what entries written
   * before this field mean) as the user's Track in CRM (tracking.md §2.2); `incoming` for a track the
   * background check made on its own (§2.1), which never needed a regarding record the user chose.
   */
  readonly action?: 'incoming' | 'track';
  /**
   * Epoch ms: when `holdPending` wrote it, its request about to leave; absent once a try failed
   * (`enqueuePending`). Marks a held track whatever its `attempts`: a track that failed once and
   * was pressed again is held too, and must not wait out a hold its stopped runtime never ends.
   */
  readonly heldAt?: number;
}

/** Durable small storage for the add-in's own keys (roaming settings in Outlook). */
export interface PendingStore {
  load(): Promise<PendingTrack[]>;
  save(list: readonly PendingTrack[]): Promise<void>;
}

/** Per-user counter for new tracking tokens (§3.2). */
export interface TokenCounterStore {
  next(maxTrackingNumber: number): Promise<number>;
}

export interface Clock {
  now(): number;
}

/**
 * Where a failure's detail goes when the user is shown less (VerboseErrorsOnPromoteToCRM = 0, §1.2),
 * and where a failure that is deliberately not shown is recorded: no error is dropped without a word.
 * The host gives a console-based one (src/host/diagnostics.ts); tests record.
 */
export interface DiagnosticsLog {
  log(message: string, error?: unknown): void;
}
