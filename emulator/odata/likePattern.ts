/**
 * Dataverse's string wildcards (Microsoft Learn, "Use wildcard characters in conditions for string
 * values"): the OData contains/startswith/endswith (and FetchXML like, begins-with, ends-with) read
 * their text as a T-SQL LIKE pattern: `%` any run of characters, `_` one character, `[abc]`/`[a-c]`
 * one of a set or range, `[^…]` one not in it; a wildcard in brackets (`[_]`, `[%]`, `[[]`) stands
 * for itself. SQLite's LIKE knows only `%` and `_`, so the emulator matches with `tsql_like(value,
 * pattern)`, a SQL function registered on every connection (db.ts) that compiles the pattern to a
 * regular expression. Case-insensitive, as Dataverse's default collation is.
 */

/** The SQL function's name: `tsql_like(column, ?)`. */
export const TSQL_LIKE = 'tsql_like';

/** A character matched as itself (the `u` flag allows escaping syntax characters only). */
const escapeRegExp = (c: string): string => c.replace(/[\\^$.*+?()[\]{}|/]/g, (m) => `\\${m}`);
/** The same inside a class, where `-` is escaped too. */
const escapeInClass = (c: string): string => (c === '-' ? '\\-' : escapeRegExp(c));

/** One bracket expression's content (`abc`, `a-c`, `^x`) as a regex class. */
function bracketClass(content: string): string {
  const negated = content.startsWith('^') && content.length > 1;
  const chars = Array.from(negated ? content.slice(1) : content);
  let out = '';
  for (let i = 0; i < chars.length; i += 1) {
    const c = chars[i] as string;
    const next = chars[i + 1];
    const last = chars[i + 2];
    if (next === '-' && last !== undefined) {
      out += `${escapeInClass(c)}-${escapeInClass(last)}`;
      i += 2;
    } else out += escapeInClass(c);
  }
  return `[${negated ? '^' : ''}${out}]`;
}

/** The pattern as an anchored regular expression. A `[` without its `]` stands for itself (chosen). */
export function likeRegExp(pattern: string): RegExp {
  const chars = Array.from(pattern);
  let source = '';
  for (let i = 0; i < chars.length; i += 1) {
    const c = chars[i] as string;
    if (c === '%') source += '[\\s\\S]*';
    else if (c === '_') source += '[\\s\\S]';
    else if (c === '[') {
      // `[]]` would be an empty set in T-SQL terms; the first `]` after at least one character ends it.
      const close = chars.indexOf(']', i + 2);
      if (close < 0) source += '\\[';
      else {
        source += bracketClass(chars.slice(i + 1, close).join(''));
        i = close;
      }
    } else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`, 'iu');
}

const compiled = new Map<string, RegExp>();

/** `tsql_like(value, pattern)`: 1 or 0, NULL for a NULL value (as LIKE gives). */
export function tsqlLike(value: unknown, pattern: unknown): number | null {
  if (value === null || value === undefined || typeof pattern !== 'string') return null;
  let re = compiled.get(pattern);
  if (!re) {
    re = likeRegExp(pattern);
    // A bounded cache (chosen: patterns come from tests and the workbench, few and repeated).
    if (compiled.size > 500) compiled.clear();
    compiled.set(pattern, re);
  }
  return re.test(String(value)) ? 1 : 0;
}
