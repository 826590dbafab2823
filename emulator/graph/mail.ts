/**
 * A message as a person describes it (who, to whom, when, which thread) → the row Exchange would hold:
 * its Message-ID, In-Reply-To and References, Thread-Index bytes, and the SMTP header block Graph returns
 * as `internetMessageHeaders`. Used by the demo seed and by `GraphEmulator.deliver()`.
 */
import { createHash } from 'node:crypto';
import { graphId, type GraphDb, type Header, type MessageRow, type Recipient } from './db';

export interface MessageSpec {
  /** A name unique in the mailbox; the message's id is derived from it. */
  readonly key: string;
  /** Folder id or well-known name. */
  readonly folder: string;
  readonly subject: string;
  readonly from: Recipient;
  readonly to: readonly Recipient[];
  readonly cc?: readonly Recipient[];
  /** ISO instant. */
  readonly receivedAt: string;
  readonly body?: string;
  /** Default `<key@host-of-sender>`. */
  readonly messageId?: string;
  /** The message this one replies to: its Message-ID, its References and its Thread-Index (base64). */
  readonly replyTo?: {
    readonly messageId: string;
    readonly references?: readonly string[];
    readonly threadIndex?: string;
  };
  readonly isDraft?: boolean;
  readonly isRead?: boolean;
  readonly categories?: readonly string[];
  /** Extra SMTP headers (X-Mailer, List-Unsubscribe, ...). */
  readonly extraHeaders?: readonly Header[];
}

/** RFC 5322 date, as a mail server writes it. */
function rfc5322Date(iso: string): string {
  return new Date(iso).toUTCString().replace('GMT', '+0000');
}

function mailbox(r: Recipient): string {
  return r.name ? `"${r.name.replace(/["\\]/g, '\\$&')}" <${r.address}>` : `<${r.address}>`;
}

/**
 * Thread-Index as Outlook writes it: a 22-byte header (reserved byte, 5 bytes of the FILETIME, a GUID)
 * for a new thread, and 5 more bytes for each reply.
 */
export function threadIndexFor(spec: MessageSpec): string {
  if (spec.replyTo?.threadIndex) {
    const parent = Buffer.from(spec.replyTo.threadIndex, 'base64');
    const child = createHash('sha256').update(`child:${spec.key}`).digest().subarray(0, 5);
    return Buffer.concat([parent, child]).toString('base64');
  }
  const filetime = BigInt(Date.parse(spec.receivedAt)) * 10_000n + 116_444_736_000_000_000n;
  const time = Buffer.alloc(8);
  time.writeBigUInt64BE(filetime);
  const guid = createHash('sha256').update(`thread:${spec.key}`).digest().subarray(0, 16);
  return Buffer.concat([Buffer.from([0x01]), time.subarray(0, 5), guid]).toString('base64');
}

export function messageIdFor(spec: MessageSpec): string {
  if (spec.messageId) return spec.messageId;
  const host = spec.from.address.split('@')[1] ?? 'localhost';
  const local = createHash('sha256').update(`mid:${spec.key}`).digest('hex').slice(0, 24);
  return `<${local}@${host}>`;
}

/** The row for a spec, in the folder `folderId`; not stored. */
export function messageRow(spec: MessageSpec, folderId: string): Omit<MessageRow, 'seq'> {
  const draft = spec.isDraft === true;
  const messageId = draft ? null : messageIdFor(spec);
  const references = spec.replyTo ? [...(spec.replyTo.references ?? []), spec.replyTo.messageId] : [];
  const threadIndex = threadIndexFor(spec);
  const conversationKey = spec.replyTo?.threadIndex
    ? Buffer.from(spec.replyTo.threadIndex, 'base64').subarray(6, 22).toString('hex')
    : Buffer.from(threadIndex, 'base64').subarray(6, 22).toString('hex');
  const headers: Header[] = draft
    ? []
    : [
        {
          name: 'Received',
          value: `from mail.${spec.from.address.split('@')[1] ?? 'localhost'} by mx.contoso.com with ESMTPS; ${rfc5322Date(spec.receivedAt)}`,
        },
        { name: 'From', value: mailbox(spec.from) },
        { name: 'To', value: spec.to.map(mailbox).join(', ') },
        ...(spec.cc?.length ? [{ name: 'CC', value: spec.cc.map(mailbox).join(', ') }] : []),
        { name: 'Subject', value: spec.subject },
        { name: 'Thread-Topic', value: spec.subject.replace(/^((re|fw|fwd):\s*)+/i, '') },
        { name: 'Thread-Index', value: threadIndex },
        { name: 'Date', value: rfc5322Date(spec.receivedAt) },
        { name: 'Message-ID', value: messageId as string },
        ...(spec.replyTo
          ? [
              { name: 'In-Reply-To', value: spec.replyTo.messageId },
              { name: 'References', value: references.join(' ') },
            ]
          : []),
        { name: 'MIME-Version', value: '1.0' },
        { name: 'Content-Type', value: 'text/plain; charset="utf-8"' },
        ...(spec.extraHeaders ?? []),
      ];
  const body = spec.body ?? `${spec.subject}\n\n-- \n${spec.from.name}`;
  return {
    id: graphId('message', spec.key),
    folder_id: folderId,
    created: spec.receivedAt,
    last_modified: spec.receivedAt,
    received: spec.receivedAt,
    sent: draft ? null : spec.receivedAt,
    subject: spec.subject,
    body,
    internet_message_id: messageId,
    in_reply_to: spec.replyTo?.messageId ?? null,
    references_ids: references.length ? references.join(' ') : null,
    conversation_id: `AAQkAD${Buffer.from(conversationKey, 'hex').toString('base64')}`,
    conversation_index: threadIndex,
    is_draft: draft ? 1 : 0,
    is_read: spec.isRead === false ? 0 : spec.isRead === true || draft ? 1 : 0,
    importance: 'normal',
    from_json: JSON.stringify(spec.from),
    to_json: JSON.stringify(spec.to),
    cc_json: JSON.stringify(spec.cc ?? []),
    categories_json: JSON.stringify(spec.categories ?? []),
    headers_json: JSON.stringify(headers),
  };
}

/** Stores a message described by `spec`; throws when its folder does not exist. */
export function deliverMessage(db: GraphDb, spec: MessageSpec): MessageRow {
  const folder = db.resolveFolder(spec.folder);
  if (!folder) throw new Error(`no folder ${spec.folder}`);
  return db.transaction(() => db.insertMessage(messageRow(spec, folder.id)));
}
