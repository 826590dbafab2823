/**
 * The `$filter` subset the add-in uses, parsed by hand (recursive descent) and compiled to a
 * parameterised SQL condition: values always travel as parameters, never inside the SQL text.
 *
 * Why not a library: `@odata/parser`, `odata-v4-parser` and `@balena/odata-parser` were tried on
 * Dataverse's query functions (`Microsoft.Dynamics.CRM.In(PropertyName='a',PropertyValues=["x","y"])`);
 * none accepts the `[...]` collection argument, and the first two are unmaintained (last release 2024).
 *
 * Grammar:
 *   expr       := and ('or' and)*
 *   and        := unary ('and' unary)*
 *   unary      := 'not' unary | primary
 *   primary    := '(' expr ')' | lambda | call | operand cmp operand
 *   lambda     := name '/' ('any'|'all') '(' [ name ':' expr ] ')'
 *   call       := ('contains'|'startswith'|'endswith') '(' property ',' literal ')'
 *               | 'Microsoft.Dynamics.CRM.' name '(' name '=' value (',' name '=' value)* ')'
 *   cmp        := 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'
 *   operand    := property | literal
 *   property   := name | variable '/' name          (a lambda variable's column)
 *   literal    := 'string' (quote doubled) | number | guid | datetime | 'null' | 'true' | 'false'
 *   value      := literal | json-array
 *
 * A query function's collection (`PropertyValues`) is a JSON array, not an OData collection: Dataverse
 * reads it with Newtonsoft's lenient JSON reader. So values are double-quoted with JSON escapes
 * (`["o'brien@x.com", "a\"b"]`), and, as that reader also allows, single-quoted strings with backslash
 * escapes, bare numbers, `true`, `false` and `null`. A single-quoted value with its apostrophe doubled
 * (`['o''brien']`, the OData string rule) is not JSON: the second quote ends the string and the reader
 * wants a comma, so it is a 400 with the reader's message, as in Dataverse.
 */
import type { EntityDef } from '../metadata';
import { BY_NAME, lookupByValueName } from '../metadata';
import type { SqlValue } from '../db';
import { TSQL_LIKE } from './likePattern';

export class ODataError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const BAD_QUERY = '0x80060888';

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'guid'; value: string }
  | { kind: 'datetime'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' };

export type Operand = { kind: 'property'; name: string } | { kind: 'literal'; literal: Literal };

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'compare'; op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; left: Operand; right: Operand }
  | { kind: 'text'; fn: 'contains' | 'startswith' | 'endswith'; property: string; value: string }
  | { kind: 'in'; negate: boolean; property: string; values: Literal[] }
  | { kind: 'between'; negate: boolean; property: string; low: Literal; high: Literal }
  | { kind: 'equalUser'; negate: boolean; property: string }
  | {
      kind: 'lambda';
      fn: 'any' | 'all';
      navigation: string;
      variable: string | null;
      body: FilterNode | null;
    };

type Token =
  | { t: 'ident'; v: string; pos: number }
  | { t: 'string'; v: string; pos: number }
  | { t: 'number'; v: number; pos: number }
  | { t: 'guid'; v: string; pos: number }
  | { t: 'datetime'; v: string; pos: number }
  | { t: 'punct'; v: '(' | ')' | ',' | '=' | '/' | ':'; pos: number }
  | { t: 'array'; v: Literal[]; pos: number }
  | { t: 'end'; pos: number };

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-])/;
const DATETIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?(?![\w-])/;
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w-])/;
const IDENT = /^[A-Za-z_][\w.]*/;

function syntaxError(source: string, pos: number, what: string): ODataError {
  return new ODataError(400, BAD_QUERY, `Syntax error: ${what} at position ${pos} in '${source}'.`);
}

function invalidJson(what: string, index: number, position: number): ODataError {
  return new ODataError(
    400,
    BAD_QUERY,
    `Invalid JSON. ${what} Path '[${index}]', line 1, position ${position}.`,
  );
}

const JSON_ESCAPES: Record<string, string> = {
  '"': '"',
  "'": "'",
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/**
 * A query function's `[...]` argument, read as lenient JSON (see the header). Positions in messages
 * count from the `[` as Newtonsoft counts them from the start of the array text.
 */
export function readJsonArray(source: string, start: number): { values: Literal[]; end: number } {
  const values: Literal[] = [];
  let i = start + 1;
  const skip = (): void => {
    while (i < source.length && /\s/.test(source[i] as string)) i += 1;
  };
  const pos = (): number => i - start;
  skip();
  if (source[i] === ']') return { values, end: i + 1 };
  for (;;) {
    skip();
    const ch = source[i];
    if (ch === undefined) throw invalidJson('Unexpected end when reading JSON.', values.length, pos());
    if (ch === '"' || ch === "'") {
      let value = '';
      i += 1;
      for (;;) {
        const c = source[i];
        if (c === undefined) throw invalidJson('Unterminated string.', values.length, pos());
        if (c === ch) {
          i += 1;
          break;
        }
        if (c === '\\') {
          const e = source[i + 1] ?? '';
          if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(source.slice(i + 2, i + 6))) {
            value += String.fromCharCode(parseInt(source.slice(i + 2, i + 6), 16));
            i += 6;
            continue;
          }
          const mapped = JSON_ESCAPES[e];
          if (mapped === undefined)
            throw invalidJson(`Bad JSON escape sequence: \\${e}.`, values.length, pos());
          value += mapped;
          i += 2;
          continue;
        }
        value += c;
        i += 1;
      }
      values.push({ kind: 'string', value });
    } else {
      const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(source.slice(i));
      if (!m) {
        throw invalidJson(
          `Unexpected character encountered while parsing value: ${ch}.`,
          values.length,
          pos(),
        );
      }
      const word = m[0];
      values.push(
        word === 'null'
          ? { kind: 'null' }
          : word === 'true' || word === 'false'
            ? { kind: 'bool', value: word === 'true' }
            : { kind: 'number', value: Number(word) },
      );
      i += word.length;
    }
    skip();
    const sep = source[i];
    if (sep === ']') return { values, end: i + 1 };
    if (sep !== ',') {
      throw invalidJson("A comma character ',' was expected in scope 'Array'.", values.length - 1, pos());
    }
    i += 1;
  }
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i += 1;
      continue;
    }
    if ('(),=/:'.includes(ch)) {
      tokens.push({ t: 'punct', v: ch as '(' | ')' | ',' | '=' | '/' | ':', pos: i });
      i += 1;
      continue;
    }
    if (ch === '[') {
      const { values, end } = readJsonArray(source, i);
      tokens.push({ t: 'array', v: values, pos: i });
      i = end;
      continue;
    }
    if (ch === "'") {
      const start = i;
      let value = '';
      i += 1;
      for (;;) {
        if (i >= source.length) throw syntaxError(source, start, 'unterminated string literal');
        const c = source[i] as string;
        if (c === "'") {
          if (source[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += c;
        i += 1;
      }
      tokens.push({ t: 'string', v: value, pos: start });
      continue;
    }
    const rest = source.slice(i);
    let m = GUID.exec(rest);
    if (m) {
      tokens.push({ t: 'guid', v: m[0].toLowerCase(), pos: i });
      i += m[0].length;
      continue;
    }
    m = DATETIME.exec(rest);
    if (m && m[0].length > 4 && m[0].includes('-')) {
      tokens.push({ t: 'datetime', v: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    m = NUMBER.exec(rest);
    if (m) {
      tokens.push({ t: 'number', v: Number(m[0]), pos: i });
      i += m[0].length;
      continue;
    }
    m = IDENT.exec(rest);
    if (m) {
      if (m[0].includes('.') && source[i + m[0].length] === "'") {
        // An enum literal, `Microsoft.Dynamics.CRM.AttributeTypeCode'Picklist'`: its member name.
        const end = source.indexOf("'", i + m[0].length + 1);
        if (end < 0) throw syntaxError(source, i, 'unterminated enum literal');
        tokens.push({ t: 'string', v: source.slice(i + m[0].length + 1, end), pos: i });
        i = end + 1;
        continue;
      }
      tokens.push({ t: 'ident', v: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    throw syntaxError(source, i, `character '${ch}' is not valid`);
  }
  tokens.push({ t: 'end', pos: source.length });
  return tokens;
}

const COMPARISONS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const TEXT_FUNCTIONS = new Set(['contains', 'startswith', 'endswith']);
const QUERY_FUNCTION_PREFIX = 'Microsoft.Dynamics.CRM.';

class Parser {
  private i = 0;
  /** Lambda variables in scope, innermost last. */
  private readonly variables: string[] = [];
  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  private peek(): Token {
    return this.tokens[this.i] as Token;
  }
  private next(): Token {
    const token = this.tokens[this.i] as Token;
    if (token.t !== 'end') this.i += 1;
    return token;
  }
  private fail(token: Token, what: string): never {
    throw syntaxError(this.source, token.pos, what);
  }
  private isWord(token: Token, word: string): boolean {
    return token.t === 'ident' && token.v === word;
  }
  private expectPunct(v: string): void {
    const token = this.next();
    if (token.t !== 'punct' || token.v !== v) this.fail(token, `'${v}' expected`);
  }

  parse(): FilterNode {
    if (this.peek().t === 'end') this.fail(this.peek(), 'expression expected');
    const node = this.parseOr();
    const rest = this.peek();
    if (rest.t !== 'end') this.fail(rest, 'unexpected token');
    return node;
  }

  private parseOr(): FilterNode {
    let left = this.parseAnd();
    while (this.isWord(this.peek(), 'or')) {
      this.next();
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    while (this.isWord(this.peek(), 'and')) {
      this.next();
      left = { kind: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): FilterNode {
    if (this.isWord(this.peek(), 'not')) {
      this.next();
      return { kind: 'not', operand: this.parseUnary() };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): FilterNode {
    const token = this.peek();
    if (token.t === 'punct' && token.v === '(') {
      this.next();
      const inner = this.parseOr();
      this.expectPunct(')');
      return inner;
    }
    if (token.t === 'ident') {
      const after = this.tokens[this.i + 1] as Token;
      if (after.t === 'punct' && after.v === '(') return this.parseCall();
      const fn = this.tokens[this.i + 2] as Token | undefined;
      const open = this.tokens[this.i + 3] as Token | undefined;
      if (
        after.t === 'punct' &&
        after.v === '/' &&
        fn?.t === 'ident' &&
        (fn.v === 'any' || fn.v === 'all') &&
        open?.t === 'punct' &&
        open.v === '('
      ) {
        return this.parseLambda();
      }
    }
    const left = this.parseOperand();
    const op = this.next();
    if (op.t !== 'ident' || !COMPARISONS.has(op.v)) this.fail(op, 'comparison operator expected');
    const right = this.parseOperand();
    return { kind: 'compare', op: op.v as 'eq', left, right };
  }

  private parseCall(): FilterNode {
    const name = this.next() as Extract<Token, { t: 'ident' }>;
    this.expectPunct('(');
    if (TEXT_FUNCTIONS.has(name.v)) {
      const property = this.parseOperand();
      if (property.kind !== 'property') this.fail(this.tokens[this.i - 1] as Token, 'property name expected');
      this.expectPunct(',');
      const value = this.next();
      if (value.t !== 'string') this.fail(value, 'string literal expected');
      this.expectPunct(')');
      return { kind: 'text', fn: name.v as 'contains', property: property.name, value: value.v };
    }
    if (name.v.startsWith(QUERY_FUNCTION_PREFIX)) {
      const fn = name.v.slice(QUERY_FUNCTION_PREFIX.length);
      const args = new Map<string, Literal | Literal[]>();
      if (!(this.peek().t === 'punct' && (this.peek() as { v: string }).v === ')')) {
        for (;;) {
          const argName = this.next();
          if (argName.t !== 'ident') this.fail(argName, 'parameter name expected');
          this.expectPunct('=');
          args.set(argName.v, this.parseValue());
          const sep = this.next();
          if (sep.t === 'punct' && sep.v === ')') break;
          if (sep.t !== 'punct' || sep.v !== ',') this.fail(sep, "',' or ')' expected");
        }
      } else {
        this.next();
      }
      if (fn === 'In' || fn === 'NotIn' || fn === 'Between' || fn === 'NotBetween') {
        const property = args.get('PropertyName');
        const values = args.get('PropertyValues');
        if (!property || Array.isArray(property) || property.kind !== 'string') {
          throw new ODataError(400, BAD_QUERY, `${name.v}: PropertyName must be a string.`);
        }
        if (!Array.isArray(values)) {
          throw new ODataError(400, BAD_QUERY, `${name.v}: PropertyValues must be a JSON array.`);
        }
        if (fn === 'In' || fn === 'NotIn') {
          return { kind: 'in', negate: fn === 'NotIn', property: property.value, values };
        }
        if (values.length !== 2) {
          throw new ODataError(400, BAD_QUERY, `${name.v}: PropertyValues must hold two values.`);
        }
        const [low, high] = values as [Literal, Literal];
        return { kind: 'between', negate: fn === 'NotBetween', property: property.value, low, high };
      }
      if (fn === 'EqualUserId' || fn === 'NotEqualUserId') {
        const property = args.get('PropertyName');
        if (!property || Array.isArray(property) || property.kind !== 'string') {
          throw new ODataError(400, BAD_QUERY, `${name.v}: PropertyName must be a string.`);
        }
        return { kind: 'equalUser', negate: fn === 'NotEqualUserId', property: property.value };
      }
      throw new ODataError(400, BAD_QUERY, `Unknown function '${name.v}'.`);
    }
    throw new ODataError(400, BAD_QUERY, `Unknown function '${name.v}'.`);
  }

  private parseValue(): Literal | Literal[] {
    const token = this.peek();
    if (token.t === 'array') {
      this.next();
      return token.v;
    }
    return this.parseLiteral();
  }

  /** `nav/any(x: x/col eq 1)`, `nav/all(...)`, `nav/any()`. */
  private parseLambda(): FilterNode {
    const navigation = (this.next() as Extract<Token, { t: 'ident' }>).v;
    this.next(); // '/'
    const fn = (this.next() as Extract<Token, { t: 'ident' }>).v as 'any' | 'all';
    this.expectPunct('(');
    if (this.peek().t === 'punct' && (this.peek() as { v: string }).v === ')') {
      this.next();
      if (fn === 'all') this.fail(this.peek(), "'all' needs a lambda expression");
      return { kind: 'lambda', fn, navigation, variable: null, body: null };
    }
    const variable = this.next();
    if (variable.t !== 'ident' || variable.v.includes('.')) this.fail(variable, 'lambda variable expected');
    this.expectPunct(':');
    this.variables.push(variable.v);
    const body = this.parseOr();
    this.variables.pop();
    this.expectPunct(')');
    return { kind: 'lambda', fn, navigation, variable: variable.v, body };
  }

  private parseLiteral(): Literal {
    const operand = this.parseOperand();
    if (operand.kind !== 'literal') this.fail(this.tokens[this.i - 1] as Token, 'literal expected');
    return operand.literal;
  }

  private parseOperand(): Operand {
    const token = this.next();
    switch (token.t) {
      case 'string':
        return { kind: 'literal', literal: { kind: 'string', value: token.v } };
      case 'number':
        return { kind: 'literal', literal: { kind: 'number', value: token.v } };
      case 'guid':
        return { kind: 'literal', literal: { kind: 'guid', value: token.v } };
      case 'datetime':
        return { kind: 'literal', literal: { kind: 'datetime', value: token.v } };
      case 'ident':
        if (token.v === 'null') return { kind: 'literal', literal: { kind: 'null' } };
        if (token.v === 'true' || token.v === 'false') {
          return { kind: 'literal', literal: { kind: 'bool', value: token.v === 'true' } };
        }
        if (token.v.includes('.') || COMPARISONS.has(token.v) || token.v === 'and' || token.v === 'or') {
          return this.fail(token, `'${token.v}' is not valid here`);
        }
        if (this.peek().t === 'punct' && (this.peek() as { v: string }).v === '/') {
          // Only a lambda variable's column: `p/addressused`. Paths through single-valued
          // navigation properties (`primarycontactid/fullname`) are not emulated.
          if (!this.variables.includes(token.v)) {
            return this.fail(token, `'${token.v}/' is not a lambda variable in scope`);
          }
          this.next();
          const column = this.next();
          if (column.t !== 'ident' || column.v.includes('.')) this.fail(column, 'property name expected');
          return { kind: 'property', name: `${token.v}/${column.v}` };
        }
        return { kind: 'property', name: token.v };
      default:
        return this.fail(token, 'operand expected');
    }
  }
}

export function parseFilter(source: string): FilterNode {
  return new Parser(source, tokenize(source)).parse();
}

export function unknownProperty(entity: EntityDef, name: string): ODataError {
  return new ODataError(
    400,
    BAD_QUERY,
    `Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.${entity.logicalName}'.`,
  );
}

/** Resolves a property name of `$filter`, `$select` or `$orderby` to its column, or throws 400. */
export function columnFor(entity: EntityDef, name: string): string {
  if (Object.prototype.hasOwnProperty.call(entity.attributes, name)) return name;
  if (lookupByValueName(entity, name)) return name;
  throw unknownProperty(entity, name);
}

function isTextColumn(entity: EntityDef, column: string): boolean {
  const type = entity.attributes[column];
  return type === undefined || type === 'string' || type === 'memo' || type === 'guid';
}

function literalValue(entity: EntityDef, column: string | null, literal: Literal): SqlValue {
  const type = column === null ? undefined : entity.attributes[column];
  switch (literal.kind) {
    case 'string':
      // A query function's JSON values are strings whatever the column's type (`["5","2000"]`).
      if (type === 'datetime') return normalizeDate(literal.value);
      if (type === 'int' || type === 'money') {
        const n = Number(literal.value);
        if (literal.value.trim() === '' || !Number.isFinite(n)) {
          throw new ODataError(400, BAD_QUERY, `'${literal.value}' is not a valid number for '${column}'.`);
        }
        return n;
      }
      if (type === 'bool') {
        if (literal.value !== 'true' && literal.value !== 'false') {
          throw new ODataError(400, BAD_QUERY, `'${literal.value}' is not a valid boolean for '${column}'.`);
        }
        return literal.value === 'true' ? 1 : 0;
      }
      return literal.value;
    case 'number':
      return literal.value;
    case 'guid':
      return literal.value;
    case 'datetime':
      return normalizeDate(literal.value);
    case 'bool':
      return literal.value ? 1 : 0;
    case 'null':
      return null;
  }
}

function normalizeDate(text: string): string {
  const date = new Date(text.length === 10 ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(date.getTime())) throw new ODataError(400, BAD_QUERY, `'${text}' is not a valid date.`);
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const SQL_OPERATOR = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' } as const;

export interface SqlCondition {
  readonly sql: string;
  readonly params: SqlValue[];
}

interface Scope {
  readonly entity: EntityDef;
  /** SQL prefix for the table's columns: `"contact".` or `l1.` */
  readonly prefix: string;
}

/**
 * Compiles a parsed filter into a condition on `entity`'s table (`SELECT ... FROM "<logical name>"`);
 * unknown properties → 400. A lambda becomes a correlated `EXISTS` over the related table.
 */
export function compileFilter(entity: EntityDef, node: FilterNode, caller?: string): SqlCondition {
  const params: SqlValue[] = [];
  const root: Scope = { entity, prefix: `"${entity.logicalName}".` };
  const variables = new Map<string, Scope>();
  let lambdas = 0;
  /** A property (`name` or `variable/name`) → its table, column and SQL. */
  const resolve = (name: string): { entity: EntityDef; column: string; sql: string } => {
    const slash = name.indexOf('/');
    const scope = slash < 0 ? root : variables.get(name.slice(0, slash));
    if (!scope) throw new ODataError(400, BAD_QUERY, `'${name}' is not valid here.`);
    const bare = slash < 0 ? name : name.slice(slash + 1);
    // A query function names a lookup by its logical name (`regardingobjectid`): its `_x_value`.
    const column =
      !(bare in scope.entity.attributes) && scope.entity.lookups.some((l) => l.name === bare)
        ? `_${bare}_value`
        : columnFor(scope.entity, bare);
    return { entity: scope.entity, column, sql: `${scope.prefix}"${column}"` };
  };
  const walk = (n: FilterNode): string => {
    switch (n.kind) {
      case 'and':
      case 'or':
        return `(${walk(n.left)} ${n.kind.toUpperCase()} ${walk(n.right)})`;
      case 'not':
        return `(NOT ${walk(n.operand)})`;
      case 'text': {
        const { entity: owner, column, sql } = resolve(n.property);
        if (!isTextColumn(owner, column)) {
          throw new ODataError(400, BAD_QUERY, `The function '${n.fn}' requires a string property.`);
        }
        // The text is a T-SQL LIKE pattern, its wildcards live (likePattern.ts).
        const v = n.value;
        params.push(n.fn === 'contains' ? `%${v}%` : n.fn === 'startswith' ? `${v}%` : `%${v}`);
        return `(${TSQL_LIKE}(${sql}, ?))`;
      }
      case 'in': {
        const { entity: owner, column, sql } = resolve(n.property);
        if (n.values.length === 0) return n.negate ? '(1 = 1)' : '(1 = 0)';
        for (const v of n.values) params.push(literalValue(owner, column, v));
        return `(${sql} ${n.negate ? 'NOT IN' : 'IN'} (${n.values.map(() => '?').join(', ')}))`;
      }
      case 'between': {
        const { entity: owner, column, sql } = resolve(n.property);
        params.push(literalValue(owner, column, n.low), literalValue(owner, column, n.high));
        return `(${sql} ${n.negate ? 'NOT BETWEEN' : 'BETWEEN'} ? AND ?)`;
      }
      case 'equalUser': {
        // The caller's systemuserid; a lookup column compares its `_x_value`.
        const { sql } = resolve(n.property);
        if (!caller) throw new ODataError(400, BAD_QUERY, 'EqualUserId needs a calling user.');
        params.push(caller);
        return `(${sql} ${n.negate ? '<>' : '='} ?)`;
      }
      case 'lambda': {
        const outer = root;
        const nav = outer.entity.collections[n.navigation];
        if (!nav) throw unknownProperty(outer.entity, n.navigation);
        const target = BY_NAME.get(nav.target) as EntityDef;
        lambdas += 1;
        const alias = `l${lambdas}`;
        const link = `${alias}."_${nav.via}_value" = ${outer.prefix}"${outer.entity.primaryKey}"`;
        if (n.variable === null || n.body === null) {
          return `(EXISTS (SELECT 1 FROM "${target.logicalName}" AS ${alias} WHERE ${link}))`;
        }
        if (variables.has(n.variable)) {
          throw new ODataError(400, BAD_QUERY, `The lambda variable '${n.variable}' is already in scope.`);
        }
        variables.set(n.variable, { entity: target, prefix: `${alias}.` });
        const body = walk(n.body);
        variables.delete(n.variable);
        return n.fn === 'any'
          ? `(EXISTS (SELECT 1 FROM "${target.logicalName}" AS ${alias} WHERE ${link} AND ${body}))`
          : `(NOT EXISTS (SELECT 1 FROM "${target.logicalName}" AS ${alias} WHERE ${link} AND NOT COALESCE(${body}, 0)))`;
      }
      case 'compare': {
        let { left, right } = n;
        let op = n.op;
        if (left.kind === 'literal' && right.kind === 'property') {
          [left, right] = [right, left];
          op = ({ gt: 'lt', ge: 'le', lt: 'gt', le: 'ge', eq: 'eq', ne: 'ne' } as const)[op];
        }
        if (left.kind !== 'property') {
          throw new ODataError(400, BAD_QUERY, 'A comparison needs a property on one side.');
        }
        const { entity: owner, column, sql: lhs } = resolve(left.name);
        if (right.kind === 'property') return `(${lhs} ${SQL_OPERATOR[op]} ${resolve(right.name).sql})`;
        if (right.literal.kind === 'null') {
          if (op === 'eq') return `(${lhs} IS NULL)`;
          if (op === 'ne') return `(${lhs} IS NOT NULL)`;
          throw new ODataError(400, BAD_QUERY, `The operator '${op}' cannot compare with null.`);
        }
        params.push(literalValue(owner, column, right.literal));
        return `(${lhs} ${SQL_OPERATOR[op]} ?)`;
      }
    }
  };
  return { sql: walk(node), params };
}
