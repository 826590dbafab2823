/**
 * The OData query options the emulator reads on message lists: `$select`, `$top`, `$skip`, `$filter`,
 * `$orderby`, `$expand=singleValueExtendedProperties($filter=id eq '…')`. `$filter` is a conjunction
 * (`and`, parentheses) of comparisons on message properties, `categories/any(c:c eq '…')` and
 * `singleValueExtendedProperties/any(ep:ep/id eq '…' and ep/value eq '…')`; it compiles to a predicate.
 */
import { BadRequest } from './protocol';
import { normalizePropertyId } from './extendedProperties';

export type Comparable = string | number | boolean | null;
/** What a filter reads from a message: a property's value, the categories, an extended property. */
export interface FilterSubject {
  value(property: string): Comparable | undefined;
  categories(): readonly string[];
  extendedProperty(id: string): string | undefined;
}

export type Predicate = (m: FilterSubject) => boolean;

export interface QueryOptions {
  readonly select: readonly string[] | null;
  readonly top: number | null;
  readonly skip: number;
  readonly filter: Predicate | null;
  /** The properties the filter names, in order (Graph's `InefficientFilter` rule compares them). */
  readonly filterProperties: readonly string[];
  readonly orderBy: readonly { property: string; descending: boolean }[];
  /** Normalised extended property ids to expand, or null. */
  readonly expandIds: readonly string[] | null;
  /** The raw options, to carry into a nextLink. */
  readonly raw: ReadonlyMap<string, string>;
}

/** Splits a query string without turning `+` into a space (`+01:00` in a date must survive). */
export function parseQueryString(url: string): Map<string, string> {
  const q = url.indexOf('?');
  const params = new Map<string, string>();
  if (q < 0) return params;
  for (const part of url.slice(q + 1).split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    try {
      params.set(decodeURIComponent(rawName), decodeURIComponent(rawValue));
    } catch {
      throw new BadRequest('BadRequest', `The query parameter '${rawName}' is not valid URL encoding.`);
    }
  }
  return params;
}

/** The message properties `$filter` and `$orderby` may name, with their kinds. */
export const FILTERABLE: Readonly<Record<string, 'date' | 'string' | 'bool'>> = {
  receivedDateTime: 'date',
  sentDateTime: 'date',
  createdDateTime: 'date',
  lastModifiedDateTime: 'date',
  subject: 'string',
  internetMessageId: 'string',
  conversationId: 'string',
  parentFolderId: 'string',
  importance: 'string',
  isDraft: 'bool',
  isRead: 'bool',
};

type Token =
  | { kind: 'string'; text: string }
  | { kind: 'word'; text: string }
  | { kind: 'punct'; text: '(' | ')' | ':' | ',' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === "'") {
      let value = '';
      i += 1;
      for (;;) {
        if (i >= text.length)
          throw new BadRequest('BadRequest', 'Invalid filter clause: unterminated string literal.');
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += text[i];
        i += 1;
      }
      tokens.push({ kind: 'string', text: value });
    } else if (c === '(' || c === ')' || c === ':' || c === ',') {
      tokens.push({ kind: 'punct', text: c });
      i += 1;
    } else {
      // A DateTimeOffset literal is unquoted and holds colons, which elsewhere end a lambda variable.
      const m =
        /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})?/i.exec(text.slice(i)) ??
        /^[A-Za-z0-9_./+-]+/.exec(text.slice(i));
      if (!m) throw new BadRequest('BadRequest', `Invalid filter clause: unexpected '${c}'.`);
      tokens.push({ kind: 'word', text: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

const OPS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

function compare(op: string, left: Comparable | undefined, right: Comparable): boolean {
  if (left === undefined) return false;
  if (op === 'eq')
    return (
      left === right ||
      (typeof left === 'string' && typeof right === 'string' && left.toLowerCase() === right.toLowerCase())
    );
  if (op === 'ne') return !compare('eq', left, right);
  if (left === null || right === null) return false;
  const a = typeof left === 'string' ? left.toLowerCase() : left;
  const b = typeof right === 'string' ? right.toLowerCase() : right;
  if (op === 'gt') return a > b;
  if (op === 'ge') return a >= b;
  if (op === 'lt') return a < b;
  return a <= b;
}

class FilterParser {
  private pos = 0;
  readonly properties: string[] = [];

  constructor(private readonly tokens: Token[]) {}

  parse(): Predicate {
    const predicate = this.conjunction();
    if (this.pos < this.tokens.length) this.fail(`unexpected '${this.tokens[this.pos]?.text}'`);
    return predicate;
  }

  private fail(why: string): never {
    throw new BadRequest('BadRequest', `Invalid filter clause: ${why}.`);
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private next(): Token {
    const t = this.tokens[this.pos];
    if (!t) this.fail('the expression ends too early');
    this.pos += 1;
    return t;
  }

  private expect(text: string): void {
    const t = this.next();
    if (t.text !== text || t.kind === 'string') this.fail(`expected '${text}', got '${t.text}'`);
  }

  private conjunction(): Predicate {
    const parts = [this.term()];
    while (this.peek()?.kind === 'word' && this.peek()?.text === 'and') {
      this.pos += 1;
      parts.push(this.term());
    }
    if (this.peek()?.kind === 'word' && this.peek()?.text === 'or') {
      this.fail("'or' is not supported by the emulator");
    }
    return (m) => parts.every((p) => p(m));
  }

  private term(): Predicate {
    const t = this.next();
    if (t.kind === 'punct' && t.text === '(') {
      const inner = this.conjunction();
      this.expect(')');
      return inner;
    }
    if (t.kind !== 'word') this.fail(`unexpected '${t.text}'`);
    if (t.text === 'categories/any') return this.categoriesAny();
    if (t.text === 'singleValueExtendedProperties/any') return this.extendedAny();
    const kind = FILTERABLE[t.text];
    if (!kind) {
      throw new BadRequest(
        'RequestBroker--ParseUri',
        `Could not find a property named '${t.text}' on type 'microsoft.graph.message'.`,
      );
    }
    this.properties.push(t.text);
    const op = this.next();
    if (op.kind !== 'word' || !OPS.has(op.text)) this.fail(`expected a comparison after ${t.text}`);
    const literal = this.literal(kind);
    const property = t.text;
    return (m) => compare(op.text, m.value(property), literal);
  }

  private literal(kind: 'date' | 'string' | 'bool'): Comparable {
    const t = this.next();
    if (t.kind === 'word' && t.text === 'null') return null;
    if (kind === 'string') {
      if (t.kind !== 'string') this.fail(`expected a quoted string, got '${t.text}'`);
      return t.text;
    }
    if (kind === 'bool') {
      if (t.kind !== 'word' || (t.text !== 'true' && t.text !== 'false'))
        this.fail(`expected true or false, got '${t.text}'`);
      return t.text === 'true';
    }
    // DateTimeOffset literals are unquoted in OData v4; compared as UTC instants.
    const ms =
      t.kind === 'word' && /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(t.text)
        ? Date.parse(t.text)
        : NaN;
    if (Number.isNaN(ms)) this.fail(`'${t.text}' is not a DateTimeOffset literal`);
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** `categories/any(c:c eq 'Blue category')` */
  private categoriesAny(): Predicate {
    this.expect('(');
    const v = this.next();
    this.expect(':');
    const path = this.next();
    if (path.text !== v.text) this.fail('the lambda must compare its variable');
    this.expect('eq');
    const name = this.next();
    if (name.kind !== 'string') this.fail('expected a category name');
    this.expect(')');
    this.properties.push('categories');
    return (m) => m.categories().some((c) => c.toLowerCase() === name.text.toLowerCase());
  }

  /** `singleValueExtendedProperties/any(ep:ep/id eq '…' [and ep/value eq|ne|startswith… '…'])` */
  private extendedAny(): Predicate {
    this.expect('(');
    const v = this.next().text;
    this.expect(':');
    let id: string | null = null;
    let valueTest: ((value: string) => boolean) | null = null;
    for (;;) {
      const path = this.next();
      if (path.text === `${v}/id`) {
        this.expect('eq');
        const lit = this.next();
        if (lit.kind !== 'string') this.fail('expected an extended property id');
        id = normalizePropertyId(lit.text);
      } else if (path.text === `${v}/value`) {
        const op = this.next().text;
        const lit = this.next();
        if (lit.kind !== 'string') this.fail('expected a quoted value');
        valueTest = (value) => compare(op, value, lit.text);
      } else this.fail(`unexpected '${path.text}' in singleValueExtendedProperties/any`);
      if (this.peek()?.text === 'and') {
        this.pos += 1;
        continue;
      }
      break;
    }
    this.expect(')');
    if (id === null) this.fail('singleValueExtendedProperties/any needs an id');
    const wanted = id;
    const test = valueTest;
    this.properties.push('singleValueExtendedProperties');
    return (m) => {
      const value = m.extendedProperty(wanted);
      return value !== undefined && (test === null || test(value));
    };
  }
}

export function parseFilter(text: string): { predicate: Predicate; properties: string[] } {
  const parser = new FilterParser(tokenize(text));
  const predicate = parser.parse();
  return { predicate, properties: parser.properties };
}

/** `singleValueExtendedProperties($filter=id eq 'a' or id eq 'b')` → the normalised ids. */
export function parseExpand(text: string): string[] {
  const m = /^singleValueExtendedProperties\(\$filter=(.*)\)$/s.exec(text.trim());
  if (!m) {
    throw new BadRequest(
      'BadRequest',
      `The emulator expands only singleValueExtendedProperties($filter=id eq '...'), not '${text}'.`,
    );
  }
  const tokens = tokenize(m[1] as string);
  const ids: string[] = [];
  for (let i = 0; i < tokens.length; i += 4) {
    const [prop, eq, lit, or] = tokens.slice(i, i + 4);
    if (
      prop?.text !== 'id' ||
      eq?.text !== 'eq' ||
      lit?.kind !== 'string' ||
      (or !== undefined && or.text !== 'or')
    ) {
      throw new BadRequest('BadRequest', "Invalid filter clause: expand by id eq '...' (joined with or).");
    }
    ids.push(normalizePropertyId(lit.text));
  }
  if (ids.length === 0) throw new BadRequest('BadRequest', 'Invalid filter clause: no id to expand.');
  return ids;
}

export function parseQueryOptions(params: ReadonlyMap<string, string>, maxTop = 1000): QueryOptions {
  const select = params.get('$select');
  const topText = params.get('$top');
  const skipText = params.get('$skip');
  let top: number | null = null;
  if (topText !== undefined) {
    top = Number(topText);
    if (!/^\d+$/.test(topText) || top < 1) {
      throw new BadRequest('BadRequest', `Invalid value '${topText}' for $top query option found.`);
    }
    if (top > maxTop) top = maxTop;
  }
  const skip = skipText === undefined ? 0 : Number(skipText);
  if (!Number.isInteger(skip) || skip < 0)
    throw new BadRequest('BadRequest', `Invalid value '${skipText}' for $skip.`);
  const filterText = params.get('$filter');
  const filter = filterText ? parseFilter(filterText) : null;
  const orderBy = (params.get('$orderby') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((part) => {
      const [property, direction, extra] = part.split(/\s+/);
      if (
        !property ||
        !FILTERABLE[property] ||
        extra !== undefined ||
        (direction && !/^(asc|desc)$/i.test(direction))
      ) {
        throw new BadRequest('BadRequest', `Invalid $orderby clause '${part}'.`);
      }
      return { property, descending: /^desc$/i.test(direction ?? '') };
    });
  // list messages: "properties that appear in $orderby must also appear in $filter, in the same order
  // and before any that do not", otherwise InefficientFilter.
  if (filter && orderBy.length > 0) {
    orderBy.forEach((o, i) => {
      if (filter.properties[i] !== o.property) {
        throw new BadRequest(
          'InefficientFilter',
          'The restriction or sort order is too complex for this operation.',
        );
      }
    });
  }
  const expand = params.get('$expand');
  return {
    select: select
      ? select
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : null,
    top,
    skip,
    filter: filter?.predicate ?? null,
    filterProperties: filter?.properties ?? [],
    orderBy,
    expandIds: expand ? parseExpand(expand) : null,
    raw: params,
  };
}
