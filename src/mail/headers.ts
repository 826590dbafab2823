/**
 * Reads the fields the rules need from a raw RFC 5322 header block (spec §6 `email.headers`:
 * "the fields it holds are read from it and win over the structured fields").
 *
 * Sync on purpose: the rules engine and the CLI decide synchronously, and `PostalMime.parse` is
 * async. postal-mime 4 exports two sync helpers, `decodeWords` (RFC 2047, charsets via
 * TextDecoder with fallbacks for unknown labels) and `addressParser` (address lists, groups,
 * encoded display names); those do the hard parts. What is left — finding the end of the header
 * block, unfolding and splitting fields — is small and written here, because postal-mime keeps
 * that inside its async parser.
 *
 * Choices:
 * - Input may be a header block alone or a whole message (the header ends at the first empty
 *   line), with CRLF or LF. Bytes (Uint8Array) are also accepted: each line is decoded as UTF-8,
 *   or as windows-1252 when it is not valid UTF-8 (raw 8-bit names in old mail).
 * - Size: a header block over MAX_HEADER_BLOCK (1 MiB; UTF-16 code units for a string, bytes for
 *   a Uint8Array) throws HeaderParseError('too-large'). Nothing else throws; problems become
 *   `warnings`.
 * - Unfolding: each fold (line break plus the white space around it) becomes ONE space, so a
 *   white-space-only continuation line (seen in real Subjects) leaves no trace. RFC 5322 would keep
 *   the original white space; the difference is only in runs of blanks.
 * - A line that is neither `Name: value` nor a continuation is appended to the previous field
 *   (with a warning) — mailers that forget to fold produce these — or skipped with a warning
 *   when it comes first (e.g. an mbox `From ` line).
 * - Only fields present in the block become keys. Single-instance fields (Message-ID, Subject,
 *   From, In-Reply-To, Thread-Index, Date) use the first occurrence and warn about the others;
 *   To/Cc/Bcc and References are merged across all their occurrences, in order.
 */
import { addressParser, decodeWords } from 'postal-mime';
import type { EmailFacts, MailAddress } from '../rules/types';
import { threadIndexKey } from '../rules/threadIndex';
import { parseMailDate } from './date';
import { isMsgId, scanMsgIds } from './msgIds';

export type HeaderFacts = Partial<
  Pick<
    EmailFacts,
    | 'messageId'
    | 'subject'
    | 'from'
    | 'to'
    | 'cc'
    | 'bcc'
    | 'inReplyTo'
    | 'references'
    | 'threadIndex'
    | 'receivedAt'
  >
> & { warnings: string[] };

export const MAX_HEADER_BLOCK = 1024 * 1024;
/** At most this many warnings are kept (then one "… and N more warnings"), so junk cannot flood a trace. */
export const MAX_WARNINGS = 50;

export type HeaderParseErrorCode = 'too-large';

export class HeaderParseError extends Error {
  readonly code: HeaderParseErrorCode;
  constructor(code: HeaderParseErrorCode, message: string) {
    super(message);
    this.name = 'HeaderParseError';
    this.code = code;
  }
}

export interface HeaderField {
  /** Lower-case field name. */
  readonly name: string;
  /** Unfolded, trimmed value, not yet decoded. */
  readonly value: string;
}

// ---------------------------------------------------------------------------------------------
// Finding and decoding the header block

function headerEndInString(raw: string): number {
  if (raw.startsWith('\n') || raw.startsWith('\r\n')) return 0;
  const lf = raw.indexOf('\n\n');
  const crlf = raw.indexOf('\n\r\n');
  const ends = [lf, crlf].filter((i) => i >= 0);
  return ends.length === 0 ? raw.length : Math.min(...ends) + 1;
}

function headerEndInBytes(raw: Uint8Array): number {
  if (raw[0] === 0x0a || (raw[0] === 0x0d && raw[1] === 0x0a)) return 0;
  for (let i = 0; i + 1 < raw.length; i++) {
    if (raw[i] !== 0x0a) continue;
    if (raw[i + 1] === 0x0a || (raw[i + 1] === 0x0d && raw[i + 2] === 0x0a)) return i + 1;
  }
  return raw.length;
}

let utf8Fatal: TextDecoder | null = null;
let latin: TextDecoder | null = null;

/**
 * Is `error` of the built-in class `name`? By name, not instanceof: the host's TextDecoder may come
 * from another realm (a test sandbox, an iframe) whose TypeError is a different constructor.
 */
function isErrorNamed(error: unknown, name: 'TypeError' | 'RangeError'): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === name;
}

/** A TextDecoder's "these bytes are not that encoding" error (a TypeError, by the Encoding standard). */
function isDecodeError(error: unknown): boolean {
  return isErrorNamed(error, 'TypeError');
}

/** Decodes one line: UTF-8, else windows-1252, else byte by byte (Latin-1); every fallback warns. */
function decodeLineBytes(bytes: Uint8Array, lineNumber: number, warnings: string[]): string {
  try {
    utf8Fatal ??= new TextDecoder('utf-8', { fatal: true });
    return utf8Fatal.decode(bytes);
  } catch (error) {
    if (!isDecodeError(error)) throw error;
  }
  try {
    latin ??= new TextDecoder('windows-1252');
    warnings.push(`header line ${lineNumber} is not UTF-8; read as windows-1252`);
    return latin.decode(bytes);
  } catch (error) {
    // A runtime without the windows-1252 label throws RangeError when constructing the decoder.
    if (!isErrorNamed(error, 'RangeError')) throw error;
    warnings.push(
      `header line ${lineNumber} is not UTF-8 and this runtime has no windows-1252 decoder; read as Latin-1`,
    );
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    return s;
  }
}

function bytesToText(block: Uint8Array, warnings: string[]): string {
  try {
    utf8Fatal ??= new TextDecoder('utf-8', { fatal: true });
    return utf8Fatal.decode(block);
  } catch (error) {
    if (!isDecodeError(error)) throw error;
    // not UTF-8 as a whole: decode line by line so one raw 8-bit field does not spoil the others
    // (each line that is not UTF-8 gets its own warning in decodeLineBytes)
    const lines: string[] = [];
    let start = 0;
    for (let i = 0; i <= block.length; i++) {
      if (i === block.length || block[i] === 0x0a) {
        lines.push(decodeLineBytes(block.subarray(start, i), lines.length + 1, warnings));
        start = i + 1;
      }
    }
    return lines.join('\n');
  }
}

function headerBlockText(raw: string | Uint8Array, warnings: string[]): string {
  if (typeof raw === 'string') {
    const end = headerEndInString(raw);
    if (end > MAX_HEADER_BLOCK) {
      throw new HeaderParseError(
        'too-large',
        `header block is ${end} characters, over the ${MAX_HEADER_BLOCK} limit`,
      );
    }
    return raw.slice(0, end);
  }
  const end = headerEndInBytes(raw);
  if (end > MAX_HEADER_BLOCK) {
    throw new HeaderParseError(
      'too-large',
      `header block is ${end} bytes, over the ${MAX_HEADER_BLOCK} limit`,
    );
  }
  return bytesToText(raw.subarray(0, end), warnings);
}

// ---------------------------------------------------------------------------------------------
// Splitting and unfolding

const FIELD_START = /^([!-9;-~]+)[ \t]*:/;

function isWsp(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** Trims spaces and tabs (WSP) at both ends; a loop, so it stays linear on long runs of blanks. */
function trimWsp(text: string): string {
  let a = 0;
  let b = text.length;
  while (a < b && isWsp(text.charCodeAt(a))) a++;
  while (b > a && isWsp(text.charCodeAt(b - 1))) b--;
  return text.slice(a, b);
}

/** Splits an (already isolated) header block into unfolded fields, in order. */
export function splitHeaderFields(block: string, warnings: string[] = []): HeaderField[] {
  // Each field collects its lines in `parts`, joined once at the end: appending to a growing
  // string would make a field folded over many lines quadratic.
  const collected: Array<{ name: string; parts: string[] }> = [];
  let current: { name: string; parts: string[] } | null = null;
  const lines = block.split('\n');
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n] ?? '';
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '') continue;
    if (isWsp(line.charCodeAt(0))) {
      if (current) current.parts.push(line);
      else warnings.push(`header line ${n + 1} is a continuation with no field before it; skipped`);
      continue;
    }
    const m = FIELD_START.exec(line);
    if (m) {
      current = { name: (m[1] ?? '').toLowerCase(), parts: [line.slice(m[0].length)] };
      collected.push(current);
      continue;
    }
    if (current) {
      warnings.push(`header line ${n + 1} is not a field and not folded; read as part of ${current.name}`);
      current.parts.push(line);
    } else if (n === 0 && line.startsWith('From ')) {
      warnings.push('header line 1 is an mbox "From " line; skipped');
    } else {
      warnings.push(`header line ${n + 1} is not a field; skipped`);
    }
  }
  // Unfold: every fold (with the blanks around it) becomes one space; blank-only lines vanish.
  return collected.map((f) => ({
    name: f.name,
    value: f.parts
      .map(trimWsp)
      .filter((p) => p !== '')
      .join(' '),
  }));
}

// ---------------------------------------------------------------------------------------------
// Field readers

function decodeText(value: string, warnings: string[], field: string): string {
  try {
    return decodeWords(value);
  } catch (e) {
    warnings.push(
      `${field}: encoded words could not be decoded (${e instanceof Error ? e.message : String(e)})`,
    );
    return value;
  }
}

function readAddresses(value: string, warnings: string[], field: string): MailAddress[] {
  if (value.trim() === '') return [];
  let parsed: Array<{ address?: string; name?: string }>;
  try {
    parsed = addressParser(value, { flatten: true }) as Array<{ address?: string; name?: string }>;
  } catch (e) {
    warnings.push(
      `${field}: address list could not be parsed (${e instanceof Error ? e.message : String(e)})`,
    );
    return [];
  }
  const out: MailAddress[] = [];
  for (const a of parsed) {
    const address = (a.address ?? '').trim();
    const name = (a.name ?? '').trim();
    if (address === '') {
      warnings.push(`${field}: "${name || value.trim()}" has no address; skipped`);
      continue;
    }
    if (!address.includes('@')) warnings.push(`${field}: "${address}" is not an address with @`);
    out.push({ address, name: name === '' ? null : name });
  }
  return out;
}

function firstOf(fields: HeaderField[], name: string, warnings: string[]): HeaderField | undefined {
  const all = fields.filter((f) => f.name === name);
  if (all.length > 1) warnings.push(`${name}: ${all.length} fields; the first is used`);
  return all[0];
}

/** Runs one field reader; a reader that throws (a bug) leaves its key out and warns, never throws. */
function guarded(warnings: string[], field: string, read: () => void): void {
  try {
    read();
  } catch (e) {
    warnings.push(`${field}: could not be read (${e instanceof Error ? e.message : String(e)})`);
  }
}

/**
 * Parses a raw header block (or a whole message) into the facts it holds. Throws only
 * HeaderParseError('too-large').
 */
export function parseHeaderBlock(raw: string | Uint8Array): HeaderFacts {
  const warnings: string[] = [];
  const out: HeaderFacts = { warnings };
  const block = headerBlockText(typeof raw === 'string' || raw instanceof Uint8Array ? raw : '', warnings);
  const fields = splitHeaderFields(block, warnings);
  // `out` is built key by key; the cast lets the readonly EmailFacts keys be assigned here only.
  const facts = out as { -readonly [K in keyof HeaderFacts]: HeaderFacts[K] };

  guarded(warnings, 'message-id', () => {
    const f = firstOf(fields, 'message-id', warnings);
    if (!f) return;
    const { ids } = scanMsgIds(f.value);
    if (ids[0] !== undefined) {
      facts.messageId = ids[0];
      if (ids.length > 1) warnings.push('message-id: several msg-ids; the first is used');
    } else if (f.value !== '') {
      facts.messageId = f.value;
      warnings.push(`message-id: "${f.value.slice(0, 200)}" is not a msg-id; kept as written`);
    } else {
      facts.messageId = null;
      warnings.push('message-id: empty');
    }
  });

  guarded(warnings, 'subject', () => {
    const f = firstOf(fields, 'subject', warnings);
    if (f) facts.subject = decodeText(f.value, warnings, 'subject').trim();
  });

  guarded(warnings, 'from', () => {
    const f = firstOf(fields, 'from', warnings);
    if (!f) return;
    const list = readAddresses(f.value, warnings, 'from');
    if (list.length > 1) warnings.push(`from: ${list.length} mailboxes; the first is used`);
    if (list.length === 0) warnings.push('from: no address');
    facts.from = list[0] ?? null;
  });

  for (const name of ['to', 'cc', 'bcc'] as const) {
    guarded(warnings, name, () => {
      const all = fields.filter((f) => f.name === name);
      if (all.length === 0) return;
      facts[name] = all.flatMap((f) => readAddresses(f.value, warnings, name));
    });
  }

  guarded(warnings, 'in-reply-to', () => {
    const f = firstOf(fields, 'in-reply-to', warnings);
    if (!f) return;
    const { ids } = scanMsgIds(f.value);
    // A lone id without its angle brackets (some clients write them so) is still an id: §3.1 compares
    // "after trimming white space and angle brackets". Anything else holds no msg-id.
    const bare = f.value.trim();
    const unbracketed = ids.length === 0 && /^[^\s<>()",;:@]+@[^\s<>()",;:@]+$/.test(bare) ? bare : null;
    facts.inReplyTo = ids[0] ?? unbracketed;
    if (unbracketed)
      warnings.push(`in-reply-to: "${bare.slice(0, 200)}" has no angle brackets; read as a msg-id`);
    else if (ids.length === 0)
      warnings.push(`in-reply-to: "${f.value.slice(0, 200)}" holds no msg-id; ignored`);
    else if (ids.length > 1) warnings.push('in-reply-to: several msg-ids; the first is used');
  });

  guarded(warnings, 'references', () => {
    const all = fields.filter((f) => f.name === 'references');
    if (all.length === 0) return;
    if (all.length > 1) warnings.push(`references: ${all.length} fields; merged in order`);
    const refs: string[] = [];
    for (const f of all) {
      const { ids, invalid } = scanMsgIds(f.value);
      refs.push(...ids);
      for (const bad of invalid) warnings.push(`references: "${bad.slice(0, 200)}" is not a msg-id; skipped`);
    }
    facts.references = refs;
  });

  guarded(warnings, 'thread-index', () => {
    const f = firstOf(fields, 'thread-index', warnings);
    if (!f) return;
    const value = f.value.replace(/\s+/g, '');
    facts.threadIndex = value === '' ? null : value;
    if (value === '') warnings.push('thread-index: empty');
    else if (threadIndexKey(value) === null)
      warnings.push('thread-index: not a well-formed Thread-Index (kept as written)');
  });

  guarded(warnings, 'date', () => {
    const f = firstOf(fields, 'date', warnings);
    if (!f) return;
    const { iso, warning } = parseMailDate(f.value);
    facts.receivedAt = iso;
    if (warning) warnings.push(`date: ${warning}`);
  });

  if (warnings.length > MAX_WARNINGS) {
    const more = warnings.length - MAX_WARNINGS;
    warnings.length = MAX_WARNINGS;
    warnings.push(`… and ${more} more warnings`);
  }
  return out;
}

export { isMsgId, scanMsgIds };
