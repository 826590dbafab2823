/**
 * The simulator's store: what Exchange holds for each item. Office-shaped objects (readItem.ts,
 * composeItem.ts) are views over these records; the control API returns plain snapshots of them.
 */
import { bytesToBase64 } from './threading';

export interface SimAddress {
  readonly emailAddress: string;
  readonly displayName: string;
  /** As Outlook reports it on read items: `user` (same organization) or `externalUser`. */
  readonly recipientType?: string;
}

/** Well-known folder ids (Graph's well-known names); custom folders use their display name. */
export const WELL_KNOWN_FOLDERS = ['inbox', 'sentitems', 'drafts', 'deleteditems', 'junkemail'] as const;
export type WellKnownFolder = (typeof WELL_KNOWN_FOLDERS)[number];
export type FolderId = WellKnownFolder | (string & {});

/** Where calendar items live: not a mail folder (not among `folders()`, not mirrored to Graph's mail). */
export const CALENDAR_FOLDER = 'calendar';

export const FOLDER_DISPLAY_NAMES: Record<WellKnownFolder, string> = {
  inbox: 'Inbox',
  sentitems: 'Sent Items',
  drafts: 'Drafts',
  deleteditems: 'Deleted Items',
  junkemail: 'Junk Email',
};

export interface NotificationRecord {
  readonly key: string;
  readonly type: string;
  readonly message: string;
  readonly icon?: string;
  readonly persistent?: boolean;
  readonly actions?: readonly unknown[];
}

export type ComposeKind = 'newMail' | 'reply' | 'replyAll' | 'forward';

/**
 * An attachment of a read item. `content` is what getAttachmentContentAsync answers: base64 bytes of
 * a file, the `.eml` text of an attached item, the URL of a cloud attachment.
 */
export interface SimAttachment {
  readonly id: string;
  readonly name: string;
  readonly contentType: string;
  readonly kind: 'file' | 'item' | 'cloud';
  readonly isInline: boolean;
  /** Bytes, as AttachmentDetails.size reports it. */
  readonly size: number;
  readonly content: string;
}

export interface MailRecord {
  /** EWS-format item id (what `item.itemId` returns); drafts get one when saved. */
  id: string;
  mode: 'read' | 'compose';
  folder: FolderId | null;
  /** Compose only: saved to Drafts (has an item id Office may report). */
  saved: boolean;
  internetMessageId: string | null;
  conversationId: string | null;
  subject: string;
  from: SimAddress | null;
  sender: SimAddress | null;
  to: SimAddress[];
  cc: SimAddress[];
  bcc: SimAddress[];
  created: Date;
  modified: Date;
  bodyText: string;
  bodyHtml: string | null;
  /** The raw header block getAllInternetHeadersAsync returns (read items). */
  rawHeaders: string;
  inReplyTo: string | null;
  references: string[];
  threadIndex: string | null;
  threadTopic: string | null;
  categories: string[];
  /** The saved custom properties of this add-in on the item (a JSON object). */
  customProperties: Record<string, unknown>;
  /** Compose: custom internet headers set by the add-in, in insertion order. */
  internetHeaders: Map<string, string>;
  /** Compose: session data of this add-in. */
  sessionData: Map<string, string>;
  composeKind: ComposeKind | null;
  parentId: string | null;
  notifications: Map<string, NotificationRecord>;
  /** The item selected when this compose form was opened (selection goes back to it after send). */
  openedFrom: string | null;
  /** Read items: their attachments (absent: none). */
  attachments?: SimAttachment[];
  /**
   * A calendar item (absent: a message). Its organizer is `from`, its required attendees `to` and its
   * optional ones `cc`, as Exchange keeps a meeting's recipients; only what a message lacks is here.
   */
  appointment?: SimAppointment;
}

/** What a calendar item has beyond a message's fields; instants as ISO strings (plain JSON, saved as is). */
export interface SimAppointment {
  start: string;
  end: string;
  isAllDayEvent: boolean;
  location: string;
}

/** A plain, serializable view of an item for the workbench and tests (not an Office object). */
export interface SimItemSnapshot {
  readonly id: string;
  readonly mode: 'read' | 'compose';
  readonly folder: FolderId | null;
  readonly internetMessageId: string | null;
  readonly conversationId: string | null;
  readonly subject: string;
  readonly from: SimAddress | null;
  readonly to: readonly SimAddress[];
  readonly cc: readonly SimAddress[];
  readonly bcc: readonly SimAddress[];
  readonly date: string;
  readonly bodyText: string;
  readonly inReplyTo: string | null;
  readonly references: readonly string[];
  readonly threadIndex: string | null;
  readonly categories: readonly string[];
  readonly customProperties: Readonly<Record<string, unknown>>;
  readonly internetHeaders: Readonly<Record<string, string>>;
  readonly composeKind: ComposeKind | null;
  readonly parentId: string | null;
  readonly notifications: readonly NotificationRecord[];
  /** A calendar item's own fields (absent: a message); organizer in `from`, attendees in `to` and `cc`. */
  readonly appointment?: Readonly<SimAppointment>;
}

export function snapshot(record: MailRecord): SimItemSnapshot {
  return {
    id: record.id,
    mode: record.mode,
    folder: record.folder,
    internetMessageId: record.internetMessageId,
    conversationId: record.conversationId,
    subject: record.subject,
    from: record.from,
    to: [...record.to],
    cc: [...record.cc],
    bcc: [...record.bcc],
    date: record.created.toISOString(),
    bodyText: record.bodyText,
    inReplyTo: record.inReplyTo,
    references: [...record.references],
    threadIndex: record.threadIndex,
    categories: [...record.categories],
    customProperties: structuredCloneJson(record.customProperties),
    internetHeaders: Object.fromEntries(record.internetHeaders),
    composeKind: record.composeKind,
    parentId: record.parentId,
    notifications: [...record.notifications.values()],
    ...(record.appointment ? { appointment: { ...record.appointment } } : {}),
  };
}

export function structuredCloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

export function sameAddress(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1).toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Header block (for items the simulator builds itself: demo items, delivered items)

const ASCII = /^[\x20-\x7e]*$/;

/** RFC 2047 B-encoding (UTF-8) for a header word that is not plain ASCII. */
export function encodeWord(text: string): string {
  if (ASCII.test(text)) return text;
  return `=?UTF-8?B?${bytesToBase64(new TextEncoder().encode(text))}?=`;
}

export function formatAddress(a: SimAddress): string {
  if (!a.displayName || sameAddress(a.displayName, a.emailAddress)) return `<${a.emailAddress}>`;
  const name = ASCII.test(a.displayName)
    ? `"${a.displayName.replace(/(["\\])/g, '\\$1')}"`
    : encodeWord(a.displayName);
  return `${name} <${a.emailAddress}>`;
}

/** RFC 5322 date-time in UTC, e.g. `Mon, 02 Nov 2026 09:00:00 +0000`. */
export function rfc5322Date(date: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[date.getUTCDay()]}, ${p(date.getUTCDate())} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()} ${p(
    date.getUTCHours(),
  )}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())} +0000`;
}

/** Fold a header line at spaces to at most 78 characters a line (RFC 5322 §2.2.3). */
function fold(line: string): string {
  if (line.length <= 78) return line;
  const words = line.split(' ');
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    if (current && current.length + 1 + word.length > 78) {
      lines.push(current);
      current = ` ${word}`;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  if (current) lines.push(current);
  return lines.join('\r\n');
}

/**
 * The transport header block of a message as a recipient's mailbox stores it: the fields Exchange
 * writes, in its order, CRLF line ends, ending with one CRLF.
 */
export function buildHeaderBlock(record: MailRecord, extra: Iterable<[string, string]> = []): string {
  const lines: string[] = [];
  const fromDomain = record.from ? domainOf(record.from.emailAddress) : 'example.com';
  lines.push(
    `Received: from mail.${fromDomain || 'example.com'} by mx.simulator.invalid; ${rfc5322Date(record.created)}`,
  );
  if (record.from) lines.push(`From: ${formatAddress(record.from)}`);
  if (record.to.length) lines.push(`To: ${record.to.map(formatAddress).join(', ')}`);
  if (record.cc.length) lines.push(`CC: ${record.cc.map(formatAddress).join(', ')}`);
  lines.push(`Subject: ${encodeWord(record.subject)}`);
  if (record.threadTopic !== null) lines.push(`Thread-Topic: ${encodeWord(record.threadTopic)}`);
  if (record.threadIndex) lines.push(`Thread-Index: ${record.threadIndex}`);
  lines.push(`Date: ${rfc5322Date(record.created)}`);
  if (record.internetMessageId) lines.push(`Message-ID: ${record.internetMessageId}`);
  if (record.references.length) lines.push(`References: ${record.references.join(' ')}`);
  if (record.inReplyTo) lines.push(`In-Reply-To: ${record.inReplyTo}`);
  for (const [name, value] of extra) lines.push(`${name}: ${value}`);
  lines.push('MIME-Version: 1.0');
  lines.push('Content-Type: text/plain; charset="utf-8"');
  return lines.map(fold).join('\r\n') + '\r\n';
}
