/**
 * The `$filter` subset the add-in uses, parsed by hand (recursive descent) and compiled to a
 * parameterised SQL condition: values always travel as parameters, never inside the SQL text.
 *
 * Why not a library: `@odata/parser`, `odata-v4-parser` and `@balena/odata-parser` were tried on
 * Dataverse's query functions (`Microsoft.Dynamics.CRM.In(PropertyName='a',PropertyValues=['x','y'])`);
 * none accepts the `[...]` collection argument, and the first two are unmaintained (last release 2024).
 *
 * Grammar:
 *   expr       := and ('or' and)*
 *   and        := unary ('and' unary)*
 *   unary      := 'not' unary | primary
 *   primary    := '(' expr ')' | call | operand cmp operand
 *   call       := ('contains'|'startswith'|'endswith') '(' property ',' literal ')'
 *               | 'Microsoft.Dynamics.CRM.' name '(' name '=' value (',' name '=' value)* ')'
 *   cmp        := 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'
 *   operand    := property | literal
 *   literal    := 'string' (quote doubled) | number | guid | datetime | 'null' | 'true' | 'false'
 *   value      := literal | '[' literal (',' literal)* ']'
 */
import type { EntityDef } from '../metadata';
import { lookupByValueName } from '../metadata';
import type { SqlValue } from '../db';

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
  | { kind: 'in'; negate: boolean; property: string; values: Literal[] };

type Token =
  | { t: 'ident'; v: string; pos: number }
  | { t: 'string'; v: string; pos: number }
  | { t: 'number'; v: number; pos: number }
  | { t: 'guid'; v: string; pos: number }
  | { t: 'datetime'; v: string; pos: number }
  | { t: 'punct'; v: '(' | ')' | ',' | '=' | '[' | ']'; pos: number }
  | { t: 'end'; pos: number };

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-])/;
const DATETIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?(?![\w-])/;
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w-])/;
const IDENT = /^[A-Za-z_][\w.]*/;

function syntaxError(source: string, pos: number, what: string): ODataError {
  return new ODataError(400, BAD_QUERY, `Syntax error: ${what} at position ${pos} in '${source}'.`);
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
    if ('(),=[]'.includes(ch)) {
      tokens.push({ t: 'punct', v: ch as '(' | ')' | ',' | '=' | '[' | ']', pos: i });
      i += 1;
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
      const property = this.next();
      if (property.t !== 'ident') this.fail(property, 'property name expected');
      this.expectPunct(',');
      const value = this.next();
      if (value.t !== 'string') this.fail(value, 'string literal expected');
      this.expectPunct(')');
      return { kind: 'text', fn: name.v as 'contains', property: property.v, value: value.v };
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
      if (fn === 'In' || fn === 'NotIn') {
        const property = args.get('PropertyName');
        const values = args.get('PropertyValues');
        if (!property || Array.isArray(property) || property.kind !== 'string') {
          throw new ODataError(400, BAD_QUERY, `${name.v}: PropertyName must be a string.`);
        }
        if (!Array.isArray(values)) {
          throw new ODataError(400, BAD_QUERY, `${name.v}: PropertyValues must be a collection.`);
        }
        return { kind: 'in', negate: fn === 'NotIn', property: property.value, values };
      }
      throw new ODataError(400, BAD_QUERY, `Unknown function '${name.v}'.`);
    }
    throw new ODataError(400, BAD_QUERY, `Unknown function '${name.v}'.`);
  }

  private parseValue(): Literal | Literal[] {
    const token = this.peek();
    if (token.t === 'punct' && token.v === '[') {
      this.next();
      const values: Literal[] = [];
      if (this.peek().t === 'punct' && (this.peek() as { v: string }).v === ']') {
        this.next();
        return values;
      }
      for (;;) {
        values.push(this.parseLiteral());
        const sep = this.next();
        if (sep.t === 'punct' && sep.v === ']') return values;
        if (sep.t !== 'punct' || sep.v !== ',') this.fail(sep, "',' or ']' expected");
      }
    }
    return this.parseLiteral();
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
  switch (literal.kind) {
    case 'string':
      if (column !== null && entity.attributes[column] === 'datetime') return normalizeDate(literal.value);
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

const LIKE_ESCAPE = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);
const SQL_OPERATOR = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' } as const;

export interface SqlCondition {
  readonly sql: string;
  readonly params: SqlValue[];
}

/** Compiles a parsed filter into a condition on `entity`'s table; unknown properties → 400. */
export function compileFilter(entity: EntityDef, node: FilterNode, alias = ''): SqlCondition {
  const params: SqlValue[] = [];
  const col = (name: string): string => `${alias}"${columnFor(entity, name)}"`;
  const walk = (n: FilterNode): string => {
    switch (n.kind) {
      case 'and':
      case 'or':
        return `(${walk(n.left)} ${n.kind.toUpperCase()} ${walk(n.right)})`;
      case 'not':
        return `(NOT ${walk(n.operand)})`;
      case 'text': {
        const column = columnFor(entity, n.property);
        if (!isTextColumn(entity, column)) {
          throw new ODataError(400, BAD_QUERY, `The function '${n.fn}' requires a string property.`);
        }
        const v = LIKE_ESCAPE(n.value);
        params.push(n.fn === 'contains' ? `%${v}%` : n.fn === 'startswith' ? `${v}%` : `%${v}`);
        return `(${col(n.property)} LIKE ? ESCAPE '\\')`;
      }
      case 'in': {
        const column = columnFor(entity, n.property);
        if (n.values.length === 0) return n.negate ? '(1 = 1)' : '(1 = 0)';
        for (const v of n.values) params.push(literalValue(entity, column, v));
        return `(${col(n.property)} ${n.negate ? 'NOT IN' : 'IN'} (${n.values.map(() => '?').join(', ')}))`;
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
        const column = columnFor(entity, left.name);
        const lhs = col(left.name);
        if (right.kind === 'property') return `(${lhs} ${SQL_OPERATOR[op]} ${col(right.name)})`;
        if (right.literal.kind === 'null') {
          if (op === 'eq') return `(${lhs} IS NULL)`;
          if (op === 'ne') return `(${lhs} IS NOT NULL)`;
          throw new ODataError(400, BAD_QUERY, `The operator '${op}' cannot compare with null.`);
        }
        params.push(literalValue(entity, column, right.literal));
        return `(${lhs} ${SQL_OPERATOR[op]} ?)`;
      }
    }
  };
  return { sql: walk(node), params };
}
