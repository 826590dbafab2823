/**
 * .eml files (or raw RFC 5322 strings) → items, parsed with postal-mime: decoded subject and names,
 * From/Sender/To/Cc (groups flattened), Message-ID, Date, In-Reply-To, References, Thread-Index,
 * Thread-Topic, the text/HTML body, and the raw header block exactly as in the file (CRLF line ends)
 * for getAllInternetHeadersAsync.
 */
import PostalMime from 'postal-mime';
import type { NewMessageInput, SimMailbox } from './mailbox';
import type { FolderId, SimAddress, SimItemSnapshot } from './model';
import { scanMessageIds } from './threading';

type PmAddress = { name: string; address?: string; group?: { name: string; address: string }[] };

function flatten(list: readonly PmAddress[] | undefined): SimAddress[] {
  const out: SimAddress[] = [];
  for (const a of list ?? []) {
    if (a.group)
      for (const m of a.group) out.push({ emailAddress: m.address, displayName: m.name || m.address });
    else if (a.address) out.push({ emailAddress: a.address, displayName: a.name || a.address });
  }
  return out;
}

function toText(raw: string | Uint8Array): string {
  if (typeof raw === 'string') return raw;
  // latin1 keeps every byte as one char, so the header block is returned byte for byte.
  let s = '';
  for (const b of raw) s += String.fromCharCode(b);
  return s;
}

/** The header block of a message: everything before the first empty line, with CRLF line ends. */
export function rawHeaderBlock(raw: string | Uint8Array): string {
  const text = toText(raw);
  const match = /\r?\n\r?\n/.exec(text);
  const block = match ? text.slice(0, match.index) : text;
  return block.replace(/\r?\n/g, '\r\n') + '\r\n';
}

function headerValue(headers: readonly { key: string; value: string }[], key: string): string | undefined {
  return headers.find((h) => h.key === key)?.value;
}

export async function parseEml(raw: string | Uint8Array): Promise<NewMessageInput> {
  const email = await PostalMime.parse(raw);
  const from = flatten(email.from ? [email.from as PmAddress] : [])[0] ?? {
    emailAddress: 'unknown@invalid',
    displayName: '',
  };
  const sender = flatten(email.sender ? [email.sender as PmAddress] : [])[0];
  const date = email.date ? new Date(email.date) : undefined;
  const threadIndex = headerValue(email.headers, 'thread-index')?.replace(/\s+/g, '') || null;
  const threadTopic = headerValue(email.headers, 'thread-topic');
  const messageId = email.messageId
    ? (scanMessageIds(email.messageId)[0] ?? email.messageId.trim())
    : undefined;
  return {
    // A folded Subject keeps its fold's tab in postal-mime; Outlook shows one space.
    subject: (email.subject ?? '').replace(/\s*[\t\r\n]\s*/g, ' '),
    from,
    ...(sender ? { sender } : {}),
    to: flatten(email.to as PmAddress[] | undefined),
    cc: flatten(email.cc as PmAddress[] | undefined),
    ...(date && !isNaN(date.getTime()) ? { date } : {}),
    ...(messageId ? { internetMessageId: messageId } : {}),
    inReplyTo: scanMessageIds(email.inReplyTo)[0] ?? null,
    references: scanMessageIds(email.references),
    threadIndex,
    ...(threadTopic !== undefined ? { threadTopic } : {}),
    bodyText: email.text ?? '',
    bodyHtml: email.html ?? null,
    rawHeaders: rawHeaderBlock(raw),
  };
}

/** Parse a message and deliver it to a folder (Inbox by default). */
export async function loadEml(
  mailbox: SimMailbox,
  raw: string | Uint8Array,
  folder: FolderId = 'inbox',
): Promise<SimItemSnapshot> {
  return mailbox.deliver(await parseEml(raw), folder);
}
