/**
 * Smart matching reductions (spec §3.4). PURE.
 *
 * API choice: `compileHashFilter(pattern)` compiles the organization's `hashfilterkeywords` once
 * and reports a bad pattern (`{ regex, error }`: error non-null means the default pattern is used);
 * `subjectWords` accepts either that compiled RegExp or the pattern text (an invalid text silently
 * falls back to the default there; call compileHashFilter to learn about it).
 *
 * .NET vs JavaScript (chosen): Dataverse evaluates the pattern as a .NET regex, where `\w`, `\d`
 * are Unicode-aware; in JS they are ASCII-only. The pattern is first translated (`\w` →
 * `[\p{L}\p{Mn}\p{Nd}\p{Pc}]`, `\d` → `\p{Nd}`, `\W`/`\D` likewise negated outside classes) and
 * compiled with the `u` flag, so the default pattern strips `回复:` or `Übersicht:` as Dataverse
 * does. If that fails (a pattern valid only without `u`, e.g. `\:`, or `\W` inside a class) the
 * pattern is compiled as written without `u`; if that fails too, the default is used and `error`
 * says why. Every match is removed (the `g` flag), as .NET Regex.Replace does.
 */

export const DEFAULT_HASH_FILTER = '^[\\s]*([\\w]+\\s?:[\\s]*)+';

export interface HashFilter {
  readonly regex: RegExp;
  /** null when the pattern compiled; else why it did not (the default pattern is then in `regex`). */
  readonly error: string | null;
}

const WORD = '\\p{L}\\p{Mn}\\p{Nd}\\p{Pc}';

/** Translates .NET-style \w \d \W \D to Unicode classes; null when it cannot (negation inside a class). */
function translateDotNetClasses(pattern: string): string | null {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const n = pattern[i + 1];
      i++;
      if (n === undefined) return null;
      if (n === 'w') out += inClass ? WORD : `[${WORD}]`;
      else if (n === 'd') out += inClass ? '\\p{Nd}' : '\\p{Nd}';
      else if (n === 'W' || n === 'D') {
        if (inClass) return null;
        out += n === 'W' ? `[^${WORD}]` : '\\P{Nd}';
      } else out += `\\${n}`;
      continue;
    }
    if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass) inClass = false;
    out += c;
  }
  return out;
}

function tryCompile(source: string, flags: string): RegExp | string {
  try {
    return new RegExp(source, flags);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

const DEFAULT_REGEX = ((): RegExp => {
  const r = tryCompile(translateDotNetClasses(DEFAULT_HASH_FILTER) ?? DEFAULT_HASH_FILTER, 'gu');
  return typeof r === 'string' ? new RegExp(DEFAULT_HASH_FILTER, 'g') : r;
})();

const filterCache = new Map<string, HashFilter>();

export function compileHashFilter(pattern: string | null | undefined): HashFilter {
  if (pattern === null || pattern === undefined) return { regex: DEFAULT_REGEX, error: null };
  if (typeof pattern !== 'string')
    return { regex: DEFAULT_REGEX, error: 'hashfilterkeywords is not a string' };
  const cached = filterCache.get(pattern);
  if (cached) return cached;
  let result: HashFilter;
  // .NET allows inline options at the start, e.g. "(?i)^re:"; JavaScript takes them as flags.
  const inline = /^\(\?([imsx]+)\)/.exec(pattern);
  const flags = inline ? [...new Set((inline[1] as string).replace('x', ''))].join('') : '';
  const body = inline ? pattern.slice(inline[0].length) : pattern;
  const translated = translateDotNetClasses(body);
  const unicode = translated === null ? null : tryCompile(translated, `gu${flags}`);
  if (unicode instanceof RegExp) {
    result = { regex: unicode, error: null };
  } else {
    const plain = tryCompile(body, `g${flags}`);
    result =
      plain instanceof RegExp
        ? { regex: plain, error: null }
        : {
            regex: DEFAULT_REGEX,
            error: `hashfilterkeywords is not a valid regular expression (${plain}); the default is used`,
          };
  }
  if (filterCache.size >= 32) filterCache.clear();
  filterCache.set(pattern, result);
  return result;
}

function limit(maxCount: number): number {
  return Number.isFinite(maxCount) && maxCount > 0 ? Math.floor(maxCount) : 0;
}

/**
 * Subject words for hashing: remove every match of the filter, split on white space, lower-case
 * (locale-independent), drop empties, keep at most maxCount (the first ones; duplicates kept).
 */
export function subjectWords(
  subject: string,
  filter: string | RegExp | null | undefined,
  maxCount: number,
): string[] {
  const max = limit(maxCount);
  if (max === 0 || typeof subject !== 'string') return [];
  const regex = filter instanceof RegExp ? filter : compileHashFilter(filter).regex;
  let stripped: string;
  try {
    stripped = subject.replace(regex, '');
  } catch {
    stripped = subject; // e.g. a pathological pattern exhausting the stack
  }
  const words: string[] = [];
  for (const w of stripped.split(/\s+/u)) {
    if (w === '') continue;
    words.push(w.toLowerCase());
    if (words.length >= max) break;
  }
  return words;
}

function normalizeAddress(a: unknown): string {
  return typeof a === 'string' ? a.trim().toLowerCase() : '';
}

/** Distinct, trimmed, lower-cased, non-empty addresses, first occurrence order, at most maxCount. */
export function addressSet(addresses: readonly string[], maxCount: number): string[] {
  const max = limit(maxCount);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const a of addresses) {
    if (out.length >= max) break;
    const n = normalizeAddress(a);
    if (n === '' || seen.has(n)) continue;
    seen.add(n);
    out.push(n);
  }
  return out;
}

/**
 * §3.4: word counts differ by at most delta and every word of the shorter list is in the longer.
 * (chosen) With equal counts there is no "shorter" list: each list's words must all be in the
 * other, so the test is symmetric. Two empty lists match (the spec's rule, literally).
 */
export function subjectsMatch(a: readonly string[], b: readonly string[], delta: number): boolean {
  const d = Number.isFinite(delta) && delta > 0 ? Math.floor(delta) : 0;
  if (Math.abs(a.length - b.length) > d) return false;
  const within = (small: readonly string[], large: readonly string[]): boolean => {
    const set = new Set(large);
    return small.every((w) => set.has(w));
  };
  if (a.length < b.length) return within(a, b);
  if (b.length < a.length) return within(b, a);
  return within(a, b) && within(b, a);
}

/** Number of distinct addresses (trimmed, lower-cased) present in both lists. */
export function sharedAddressCount(a: readonly string[], b: readonly string[]): number {
  const other = new Set(b.map(normalizeAddress));
  const counted = new Set<string>();
  for (const x of a) {
    const n = normalizeAddress(x);
    if (n !== '' && other.has(n)) counted.add(n);
  }
  return counted.size;
}
