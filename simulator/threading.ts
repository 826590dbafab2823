/**
 * How Outlook/Exchange thread a reply or forward: Message-ID, In-Reply-To, References and
 * Thread-Index (PidTagConversationIndex, [MS-OXOMSG] 2.2.1.3).
 *
 * Thread-Index: a 22-byte header (bytes 0-5: the top 48 bits of the current FILETIME, bytes 6-21: a
 * GUID) for a new conversation; each reply/forward appends ONE 5-byte child block to its parent's
 * value: bit 39 DeltaCode, bits 38-8 TimeDelta (31 bits of the time since the header: delta >> 18 when
 * it fits in 49 bits, else delta >> 23 with DeltaCode 1), bits 7-4 random, bits 3-0 sequence.
 * References: the parent's References (or its In-Reply-To when it has none) followed by the parent's
 * Message-ID (RFC 5322 §3.6.4).
 */
import type { Random } from './random';

export const THREAD_INDEX_HEADER_BYTES = 22;
export const THREAD_INDEX_CHILD_BYTES = 5;

/** 100 ns intervals between 1601-01-01 and 1970-01-01. */
const FILETIME_UNIX_EPOCH = 116444736000000000n;

export function toFileTime(date: Date): bigint {
  return BigInt(date.getTime()) * 10000n + FILETIME_UNIX_EPOCH;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64.replace(/\s+/g, ''));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** A new conversation's Thread-Index: 22 bytes (FILETIME top 48 bits + GUID), base64. */
export function newThreadIndex(now: Date, random: Random): string {
  const bytes = new Uint8Array(THREAD_INDEX_HEADER_BYTES);
  const top48 = toFileTime(now) >> 16n;
  for (let i = 0; i < 6; i++) bytes[i] = Number((top48 >> BigInt(8 * (5 - i))) & 0xffn);
  for (let i = 6; i < THREAD_INDEX_HEADER_BYTES; i++) bytes[i] = random.byte();
  return bytesToBase64(bytes);
}

/** The header FILETIME of a Thread-Index whose header is the 48-bit layout (byte 0 = 0x01), else null. */
function headerFileTime(bytes: Uint8Array): bigint | null {
  if (bytes.length < THREAD_INDEX_HEADER_BYTES || bytes[0] !== 0x01) return null;
  let top48 = 0n;
  for (let i = 0; i < 6; i++) top48 = (top48 << 8n) | BigInt(bytes[i] ?? 0);
  return top48 << 16n;
}

/**
 * The parent's Thread-Index plus one child block. A parent without a usable Thread-Index (none, or
 * not base64) starts a new conversation instead, as Outlook does for mail from other clients.
 */
export function childThreadIndex(parent: string | null, now: Date, random: Random): string {
  let parentBytes: Uint8Array | null = null;
  if (parent) {
    try {
      parentBytes = base64ToBytes(parent);
    } catch {
      parentBytes = null;
    }
  }
  if (!parentBytes || parentBytes.length < THREAD_INDEX_HEADER_BYTES) return newThreadIndex(now, random);
  const start = headerFileTime(parentBytes);
  let delta = start === null ? 0n : toFileTime(now) - start;
  if (delta < 0n) delta = 0n;
  let deltaCode = 0n;
  let timeDelta: bigint;
  if (delta < 1n << 49n) {
    timeDelta = delta >> 18n;
  } else {
    deltaCode = 1n;
    timeDelta = delta >> 23n;
  }
  timeDelta &= (1n << 31n) - 1n;
  const block = (deltaCode << 39n) | (timeDelta << 8n) | (BigInt(random.byte() & 0x0f) << 4n) | 0n;
  const out = new Uint8Array(parentBytes.length + THREAD_INDEX_CHILD_BYTES);
  out.set(parentBytes);
  for (let i = 0; i < THREAD_INDEX_CHILD_BYTES; i++) {
    out[parentBytes.length + i] = Number((block >> BigInt(8 * (THREAD_INDEX_CHILD_BYTES - 1 - i))) & 0xffn);
  }
  return bytesToBase64(out);
}

/** The References of a reply/forward to a message with these threading fields. */
export function childReferences(parent: {
  internetMessageId: string | null;
  references: readonly string[];
  inReplyTo: string | null;
}): string[] {
  const base =
    parent.references.length > 0 ? [...parent.references] : parent.inReplyTo ? [parent.inReplyTo] : [];
  if (parent.internetMessageId) base.push(parent.internetMessageId);
  return base;
}

/** Msg-ids in a References/In-Reply-To value, angle brackets kept. */
export function scanMessageIds(value: string | undefined | null): string[] {
  if (!value) return [];
  return value.match(/<[^<>\s]+>/g) ?? [];
}

/** Subject prefixes Outlook adds (English client). */
export function replySubject(subject: string): string {
  return /^\s*re\s*:/i.test(subject) ? subject : `RE: ${subject}`;
}

export function forwardSubject(subject: string): string {
  return /^\s*(fw|fwd)\s*:/i.test(subject) ? subject : `FW: ${subject}`;
}

/** The subject without leading RE:/FW:/FWD: prefixes (Thread-Topic, normalizedSubject). */
export function normalizeSubject(subject: string): string {
  return subject.replace(/^(\s*(re|fw|fwd|aw|wg|sv|vs|tr|r|i)\s*(\[\d+\])?\s*:\s*)+/i, '').trim();
}
