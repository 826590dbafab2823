/**
 * Subject prefixes (spec §3.5). PURE.
 *
 * A prefix token, at the start of the subject or after another prefix token, is:
 *   optional white space, a prefix WORD, an optional count `[n]` or `(n)` (1-9 ASCII digits, no
 *   space before it), optional horizontal white space (chosen: French Outlook writes `RE :`,
 *   `TR :`), then `:` or the full-width `：`, then optional white space.
 * The word is the WHOLE run of letters (Unicode letters and combining marks) at that point, so
 * `I: x` is a forward but `Invoice: x` has no prefix, and `Re:` inside `Pre: x` is not seen.
 *
 * Comparison fold (chosen, locale-independent): NFKC (so full-width `ＲＥ` = `RE`), then
 * `String.prototype.toLowerCase()` (which is locale-independent, unlike toLocaleLowerCase), then
 * U+0307 COMBINING DOT ABOVE is dropped (`İ`.toLowerCase() is `i` + U+0307) and the dotless `ı`
 * becomes `i`. So `İLT`, `ilt`, `İlt`, `ILT`, `ılt` all fold to `ilt`; a consequence is that a
 * Turkish `İ:` counts as the Italian forward `I:`.
 *
 * List tags (chosen, as MailKit's GetThreadableSubject): a `[tag]` whose text is letters, digits,
 * `-` and `_` only (first character a letter or digit), found where a prefix token could start,
 * is skipped and reported in `tags`; it is not part of `base`. So
 * `Re: [Mailing-List] Re[4]: simple subject` → base `simple subject`, depth 5, while
 * `Re: [Webklex/php-imap] Read all folders?` keeps its tag (the `/` is not a tag character).
 * Tags never decide forward/reply: the first prefix TOKEN does.
 *
 * `replyDepth` (chosen, as MailKit): the sum of the counts of all prefix tokens, reply and forward
 * alike (a token without a count counts 1). `base`: the rest of the subject, trimmed, with every
 * run of white space collapsed to one space.
 */

export type PrefixKind = 'reply' | 'forward';

export interface SubjectPrefix {
  readonly kind: PrefixKind;
  /** The prefix word as written, e.g. `Re`, `AW`, `İLT`, `回复`. */
  readonly text: string;
  /** The whole token as written, without surrounding white space, e.g. `Re[4]:`, `TR :`. */
  readonly raw: string;
  /** The `[n]`/`(n)` count, else 1. */
  readonly count: number;
}

export interface ParsedSubject {
  readonly prefixes: readonly SubjectPrefix[];
  /** List tags skipped in the prefix chain, as written (`[EXTERNAL]`). */
  readonly tags: readonly string[];
  readonly base: string;
  readonly replyDepth: number;
}

export const REPLY_PREFIXES: readonly string[] = [
  'RE',
  'AW',
  'SV',
  'VS',
  'R',
  'RIF',
  'ODP',
  'ATB',
  'ANTW',
  'YNT',
  '回复',
  '答复',
  '返信',
];
export const FORWARD_PREFIXES: readonly string[] = [
  'FW',
  'FWD',
  'WG',
  'TR',
  'RV',
  'I',
  'ENC',
  'VB',
  'PD',
  'İLT',
  'Doorst',
  '转发',
  '転送',
];

/** Locale-independent fold used for prefix comparison (see the file comment). */
export function foldPrefix(word: string): string {
  return word
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\u0307/g, '')
    .replace(/ı/g, 'i');
}

const PREFIX_KINDS: ReadonlyMap<string, PrefixKind> = (() => {
  const m = new Map<string, PrefixKind>();
  // VS is both a Finnish reply and a Norwegian forward: reply (spec §3.5, chosen). Replies are
  // added last so they win.
  for (const p of FORWARD_PREFIXES) m.set(foldPrefix(p), 'forward');
  for (const p of REPLY_PREFIXES) m.set(foldPrefix(p), 'reply');
  return m;
})();

/** The kind of one prefix word (`re`, `İLT`, …), or null if it is not a prefix word. */
export function prefixKind(word: string): PrefixKind | null {
  return PREFIX_KINDS.get(foldPrefix(word)) ?? null;
}

// One prefix token at the start of the remaining text (sticky).
const TOKEN_RE = /\s*([\p{L}\p{M}]+)(?:\[([0-9]{1,9})\]|\(([0-9]{1,9})\))?[ \t\u00a0]*([:：])\s*/uy;
// One list tag.
const TAG_RE = /\s*(\[[\p{L}\p{N}][\p{L}\p{M}\p{N}_-]*\])\s*/uy;

export function parseSubject(subject: string): ParsedSubject {
  const text = typeof subject === 'string' ? subject : '';
  const prefixes: SubjectPrefix[] = [];
  const tags: string[] = [];
  let pos = 0;
  let depth = 0;
  for (;;) {
    TOKEN_RE.lastIndex = pos;
    const m = TOKEN_RE.exec(text);
    if (m) {
      const word = m[1] ?? '';
      const kind = prefixKind(word);
      if (kind !== null) {
        const countText = m[2] ?? m[3];
        const count = countText === undefined ? 1 : Number(countText);
        prefixes.push({ kind, text: word, raw: m[0].trim(), count });
        depth += count;
        pos = TOKEN_RE.lastIndex;
        continue;
      }
    }
    TAG_RE.lastIndex = pos;
    const t = TAG_RE.exec(text);
    if (t) {
      tags.push(t[1] ?? '');
      pos = TAG_RE.lastIndex;
      continue;
    }
    break;
  }
  const base = text.slice(pos).replace(/\s+/gu, ' ').trim();
  return { prefixes, tags, base, replyDepth: depth };
}

/** The kind of the FIRST (leftmost) prefix: `RE: FW: x` → reply, `FW: RE: x` → forward, none → null. */
export function subjectKind(subject: string): PrefixKind | null {
  return parseSubject(subject).prefixes[0]?.kind ?? null;
}

/** Spec §3.5: a forward when the compose type is `forward` or the first prefix is a forward prefix. */
export function isForward(subject: string, composeType: 'newMail' | 'reply' | 'forward' | null): boolean {
  return composeType === 'forward' || subjectKind(subject) === 'forward';
}
