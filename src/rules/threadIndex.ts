/**
 * Thread-Index (PidTagConversationIndex) decoding and the ancestor test of spec §3.3.
 *
 * PURE: this folder compiles with lib ES2022 and no ambient types, so there is no `Buffer`
 * (Node), no `atob` (DOM) and no package. Base64 is therefore decoded by the small decoder
 * below; it is also more tolerant than `atob` (white space, missing padding, base64url),
 * which is what real `Thread-Index` headers need.
 *
 * Layout of a Thread-Index (all layouts): a 22-byte header followed by zero or more 5-byte
 * child blocks, one per reply/forward.
 *
 * Header, two layouts seen in the wild (see fixtures/SOURCES.md):
 * - `filetime48` ("Ac…"/"Ad…" values, older Outlook/Exchange and the mfcmapi vectors): bytes 0-5
 *   are the top 48 bits of a FILETIME (value = bytes0..5 << 16); byte 0 is the FILETIME's top
 *   byte, 0x01 for 1829-2057.
 * - `reserved-filetime40` ("AQH…" values, current Exchange Online/Outlook): byte 0 is a reserved
 *   0x01, bytes 1-5 are the top 40 bits of the FILETIME (value = bytes1..5 << 24).
 * - bytes 6-21: a GUID in Windows byte order (Data1..Data3 little-endian), in both layouts.
 * Anything whose byte 0 is not 0x01 (e.g. Zimbra's "BsIx…") is `unknown`: no time, no GUID.
 *
 * Choosing between the two 0x01 layouts (chosen): both readings are computed; a reading is
 * plausible when it falls in [1990-01-01, 2100-01-01). The 48-bit reading is preferred when
 * plausible, else the 40-bit one, else the layout is `unknown`. The two plausible ranges are
 * disjoint: a plausible 48-bit reading needs byte 1 >= 0xA0 (1990 is 0x01A0…), a plausible
 * 40-bit reading needs byte 1 = 0x01 or 0x02 — in the 48-bit reading that would be 1829-1830.
 *
 * Child block (40 bits, big-endian): bit 39 deltaCode; bits 38-8 timeDelta (31 bits);
 * bits 7-4 random; bits 3-0 level. delta100ns = timeDelta << 18 (deltaCode 0) or << 23
 * (deltaCode 1). Children are split this way for every layout. Caution: for `reserved-filetime40`
 * ("AQH…") values the child fields do NOT give plausible times (in the issue-412 fixture the first
 * child adds ~21 years); that format's child encoding is undocumented. Use children there only
 * for counting and for the prefix test, which needs no decoding.
 */

export type ThreadIndexLayout = 'filetime48' | 'reserved-filetime40' | 'unknown';

export interface ThreadIndexChild {
  readonly deltaCode: 0 | 1;
  /** The 31-bit TimeDelta field as stored. */
  readonly timeDelta: number;
  /** The delta in 100 ns units: timeDelta << 18 (deltaCode 0) or << 23 (deltaCode 1). */
  readonly delta100ns: bigint;
  /** 4 bits. */
  readonly random: number;
  /** 4 bits ("ResponseLevel" in mfcmapi). */
  readonly level: number;
}

export interface ThreadIndex {
  readonly bytes: Uint8Array;
  readonly layout: ThreadIndexLayout;
  /** The header FILETIME (100 ns since 1601-01-01 UTC), null for `unknown`. */
  readonly headerFileTime: bigint | null;
  /** headerFileTime as ISO 8601 UTC with all 7 fraction digits (e.g. `2010-04-26T16:11:29.0143744Z`), null for `unknown`. */
  readonly headerTime: string | null;
  /** Bytes 6-21 as `{D584E2FE-D857-7742-BAB5-85FBD4BB2BE9}` (mfcmapi format), null for `unknown`. */
  readonly guid: string | null;
  readonly children: readonly ThreadIndexChild[];
}

export type ThreadIndexErrorCode = 'not-base64' | 'too-short' | 'bad-length';

export class ThreadIndexError extends Error {
  readonly code: ThreadIndexErrorCode;
  constructor(code: ThreadIndexErrorCode, message: string) {
    super(message);
    this.name = 'ThreadIndexError';
    this.code = code;
  }
}

export const THREAD_INDEX_HEADER_LENGTH = 22;
export const THREAD_INDEX_CHILD_LENGTH = 5;

// ---------------------------------------------------------------------------------------------
// Base64

const BASE64_VALUES: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  table[0x2b] = 62; // '+'
  table[0x2d] = 62; // '-' (base64url)
  table[0x2f] = 63; // '/'
  table[0x5f] = 63; // '_' (base64url)
  return table;
})();

function isBase64Space(c: number): boolean {
  // space, tab, CR, LF, FF, VT
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0x0b;
}

/**
 * Decodes standard or base64url text (both alphabets may be mixed). White space anywhere is
 * ignored; padding is optional and its count is not checked (at most two trailing `=`). Returns
 * null for any other character, for data after `=`, for more than two `=`, or for a length that
 * cannot be base64 (one character left over). Unused trailing bits are ignored.
 */
export function decodeBase64(text: string): Uint8Array | null {
  const values: number[] = [];
  let padding = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isBase64Space(c)) continue;
    if (c === 0x3d /* = */) {
      padding++;
      continue;
    }
    if (padding > 0) return null; // data after padding
    const v = c < 128 ? (BASE64_VALUES[c] ?? -1) : -1;
    if (v < 0) return null;
    values.push(v);
  }
  if (padding > 2) return null;
  const rem = values.length % 4;
  if (rem === 1) return null;
  const out = new Uint8Array(Math.floor(values.length / 4) * 3 + (rem === 0 ? 0 : rem - 1));
  let o = 0;
  for (let i = 0; i < values.length; i += 4) {
    const a = values[i] ?? 0;
    const b = values[i + 1] ?? 0;
    const c = values[i + 2] ?? 0;
    const d = values[i + 3] ?? 0;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    if (o < out.length) out[o++] = (n >>> 16) & 0xff;
    if (o < out.length) out[o++] = (n >>> 8) & 0xff;
    if (o < out.length) out[o++] = n & 0xff;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Decoding

/** True when the byte length is a Thread-Index length: 22 + 5k. */
export function isWellFormedThreadIndex(bytes: Uint8Array): boolean {
  return (
    bytes.length >= THREAD_INDEX_HEADER_LENGTH &&
    (bytes.length - THREAD_INDEX_HEADER_LENGTH) % THREAD_INDEX_CHILD_LENGTH === 0
  );
}

function toBytes(value: string | Uint8Array): Uint8Array {
  if (typeof value !== 'string') return value;
  const bytes = decodeBase64(value);
  if (bytes === null) throw new ThreadIndexError('not-base64', 'Thread-Index is not base64');
  return bytes;
}

function checkLength(bytes: Uint8Array): void {
  if (bytes.length < THREAD_INDEX_HEADER_LENGTH) {
    throw new ThreadIndexError(
      'too-short',
      `Thread-Index has ${bytes.length} bytes, fewer than the 22-byte header`,
    );
  }
  if ((bytes.length - THREAD_INDEX_HEADER_LENGTH) % THREAD_INDEX_CHILD_LENGTH !== 0) {
    throw new ThreadIndexError(
      'bad-length',
      `Thread-Index has ${bytes.length} bytes; after the 22-byte header the rest is not whole 5-byte child blocks`,
    );
  }
}

function readBig(bytes: Uint8Array, start: number, end: number): bigint {
  let v = 0n;
  for (let i = start; i < end; i++) v = (v << 8n) | BigInt(bytes[i] ?? 0);
  return v;
}

/** FILETIME of 1990-01-01T00:00:00Z and 2100-01-01T00:00:00Z. */
const PLAUSIBLE_FROM = (631152000000n + 11644473600000n) * 10000n;
const PLAUSIBLE_TO = (4102444800000n + 11644473600000n) * 10000n;
/** 100 ns intervals between 1601-01-01 and 1970-01-01. */
const FILETIME_UNIX_EPOCH = 116444736000000000n;

function plausible(fileTime: bigint): boolean {
  return fileTime >= PLAUSIBLE_FROM && fileTime < PLAUSIBLE_TO;
}

function pad(n: number | bigint, width: number): string {
  return String(n).padStart(width, '0');
}

/** FILETIME → `YYYY-MM-DDTHH:MM:SS.fffffffZ` (100 ns precision; plausible range only, so 4-digit years). */
export function fileTimeToIso(fileTime: bigint): string {
  const sinceUnix = fileTime - FILETIME_UNIX_EPOCH;
  // floor division so times before 1970 still format correctly
  let ms = sinceUnix / 10000n;
  let sub = sinceUnix % 10000n;
  if (sub < 0n) {
    sub += 10000n;
    ms -= 1n;
  }
  const date = new Date(Number(ms));
  const msPart = date.getUTCMilliseconds();
  return (
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}` +
    `T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}` +
    `.${pad(msPart, 3)}${pad(sub, 4)}Z`
  );
}

function hexByte(b: number | undefined): string {
  return (b ?? 0).toString(16).toUpperCase().padStart(2, '0');
}

function formatGuid(bytes: Uint8Array, start: number): string {
  const h = (i: number): string => hexByte(bytes[start + i]);
  return (
    `{${h(3)}${h(2)}${h(1)}${h(0)}-${h(5)}${h(4)}-${h(7)}${h(6)}-${h(8)}${h(9)}-` +
    `${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}}`
  );
}

/**
 * Decodes a Thread-Index (base64 text as in the header, or its bytes).
 * Throws ThreadIndexError: `not-base64`, `too-short` (< 22 bytes), `bad-length` ((len-22) % 5 != 0).
 */
export function decodeThreadIndex(value: string | Uint8Array): ThreadIndex {
  const bytes = toBytes(value);
  checkLength(bytes);

  let layout: ThreadIndexLayout = 'unknown';
  let headerFileTime: bigint | null = null;
  if (bytes[0] === 0x01) {
    const reading48 = readBig(bytes, 0, 6) << 16n;
    const reading40 = readBig(bytes, 1, 6) << 24n;
    if (plausible(reading48)) {
      layout = 'filetime48';
      headerFileTime = reading48;
    } else if (plausible(reading40)) {
      layout = 'reserved-filetime40';
      headerFileTime = reading40;
    }
  }

  const children: ThreadIndexChild[] = [];
  for (
    let off = THREAD_INDEX_HEADER_LENGTH;
    off + THREAD_INDEX_CHILD_LENGTH <= bytes.length;
    off += THREAD_INDEX_CHILD_LENGTH
  ) {
    const b0 = bytes[off] ?? 0;
    const b1 = bytes[off + 1] ?? 0;
    const b2 = bytes[off + 2] ?? 0;
    const b3 = bytes[off + 3] ?? 0;
    const b4 = bytes[off + 4] ?? 0;
    const deltaCode: 0 | 1 = b0 & 0x80 ? 1 : 0;
    // bits 38-8: the low 7 bits of b0, then b1, b2, b3 (kept below 2^31, so plain numbers suffice)
    const timeDelta = (b0 & 0x7f) * 0x1000000 + ((b1 << 16) | (b2 << 8) | b3);
    const delta100ns = BigInt(timeDelta) << (deltaCode === 1 ? 23n : 18n);
    children.push({ deltaCode, timeDelta, delta100ns, random: b4 >> 4, level: b4 & 0x0f });
  }

  return {
    bytes,
    layout,
    headerFileTime,
    headerTime: headerFileTime === null ? null : fileTimeToIso(headerFileTime),
    guid: layout === 'unknown' ? null : formatGuid(bytes, 6),
    children,
  };
}

// ---------------------------------------------------------------------------------------------
// Ancestors and keys (§3.3)

/**
 * Spec §3.3: the ancestor's bytes are a PROPER prefix of the descendant's (same 22-byte header,
 * fewer 5-byte child blocks). Both must be well-formed (>= 22 bytes, (len-22) % 5 == 0). Needs no
 * layout decoding, so it works for every layout, `unknown` included.
 */
export function isThreadIndexAncestor(ancestor: Uint8Array, descendant: Uint8Array): boolean {
  if (!isWellFormedThreadIndex(ancestor) || !isWellFormedThreadIndex(descendant)) return false;
  if (ancestor.length >= descendant.length) return false;
  for (let i = 0; i < ancestor.length; i++) {
    if (ancestor[i] !== descendant[i]) return false;
  }
  return true;
}

function toHex(bytes: Uint8Array, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += hexByte(bytes[i]);
  return s;
}

/**
 * Canonical key of a Thread-Index: upper-case hex of its bytes, or null when the value is not
 * base64 or not a well-formed Thread-Index. Two spellings of the same bytes (padding, white space,
 * base64url) give the same key.
 */
export function threadIndexKey(value: string): string | null {
  const bytes = decodeBase64(value);
  if (bytes === null || !isWellFormedThreadIndex(bytes)) return null;
  return toHex(bytes, bytes.length);
}

/** threadIndexKey for bytes (null if not well-formed). */
export function threadIndexKeyOfBytes(bytes: Uint8Array): string | null {
  return isWellFormedThreadIndex(bytes) ? toHex(bytes, bytes.length) : null;
}

/**
 * Keys of every proper prefix of a well-formed Thread-Index (22 + 5k bytes for k = children-1
 * down to 0), longest first, so "the longest tracked ancestor" (§3.3) is the first of these keys
 * found in a map of tracked keys. [] for a header-only or malformed value.
 */
export function threadIndexAncestorKeys(bytes: Uint8Array): string[] {
  if (!isWellFormedThreadIndex(bytes)) return [];
  const hex = toHex(bytes, bytes.length);
  const keys: string[] = [];
  for (
    let len = bytes.length - THREAD_INDEX_CHILD_LENGTH;
    len >= THREAD_INDEX_HEADER_LENGTH;
    len -= THREAD_INDEX_CHILD_LENGTH
  ) {
    keys.push(hex.slice(0, len * 2));
  }
  return keys;
}
