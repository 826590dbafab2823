/**
 * A parsed FetchXML query → one parameterised SQLite SELECT: the root table as `t0`, each link-entity
 * joined as `t1`, `t2`, … (inner or left outer join, its filters in the join's ON clause so that an
 * outer join keeps root rows without a match), the root filters in WHERE, the orders, then the
 * root's primary key (chosen: Dataverse orders by the primary key when nothing else decides).
 * Values always travel as parameters.
 */
import type { SqlValue } from '../db';
import { nowIso } from '../db';
import { BY_NAME, type EntityDef } from '../metadata';
import { GUID_RE, ODataError } from '../protocol';
import { TSQL_LIKE } from '../odata/likePattern';
import {
  type FetchCondition,
  type FetchEntity,
  type FetchFilter,
  type FetchLink,
  type FetchQuery,
  INVALID_OPERATOR,
  INVALID_VALUE,
  NO_ATTRIBUTE,
  NO_ENTITY,
} from './parse';

/** One table of the query: the root or a link-entity. */
export interface QueryTable {
  readonly entity: EntityDef;
  /** `t0`, `t1`, … */
  readonly sqlAlias: string;
  /** The link's alias as results name it (`alias.attr`); null for the root. */
  readonly alias: string | null;
  /** The logical names the results carry (attributes, and lookups by their attribute name). */
  readonly returned: readonly string[];
}

export interface CompiledFetch {
  readonly root: QueryTable;
  readonly links: readonly QueryTable[];
  /** `SELECT … FROM … JOIN … WHERE … ORDER BY …`, without LIMIT. */
  readonly sql: string;
  readonly params: SqlValue[];
}

const DAY_MS = 86_400_000;

function entityNamed(name: string): EntityDef {
  const entity = BY_NAME.get(name);
  if (!entity) {
    throw new ODataError(
      400,
      NO_ENTITY,
      `The entity with a name = '${name}' was not found in the MetadataCache.`,
    );
  }
  return entity;
}

/** A column a FetchXML attribute names: the attribute itself, or a lookup's `_x_value`. */
export function columnOf(entity: EntityDef, attribute: string): string {
  if (Object.prototype.hasOwnProperty.call(entity.attributes, attribute)) return attribute;
  if (entity.lookups.some((l) => l.name === attribute)) return `_${attribute}_value`;
  throw new ODataError(
    400,
    NO_ATTRIBUTE,
    `'${entity.logicalName}' entity doesn't contain attribute with Name = '${attribute}'.`,
  );
}

function isLookup(entity: EntityDef, attribute: string): boolean {
  return !Object.prototype.hasOwnProperty.call(entity.attributes, attribute);
}

/** The attributes a table returns: those asked, all of them, or (root only, none asked) all. */
function returnedOf(entity: EntityDef, node: FetchEntity, isRoot: boolean): string[] {
  const all = node.allAttributes || (isRoot && node.attributes.length === 0);
  const names = all
    ? [...Object.keys(entity.attributes), ...entity.lookups.map((l) => l.name)]
    : [...new Set(node.attributes)];
  for (const name of names) columnOf(entity, name);
  return names;
}

/** A condition's text value → the column's stored form. */
function typedValue(entity: EntityDef, attribute: string, text: string): SqlValue {
  const bad = (expected: string): ODataError =>
    new ODataError(
      400,
      INVALID_VALUE,
      `Condition for attribute '${entity.logicalName}.${attribute}': expected argument(s) of type '${expected}' but received '${text}'.`,
    );
  if (isLookup(entity, attribute)) {
    const id = text.trim().replace(/^\{(.*)\}$/, '$1');
    if (!GUID_RE.test(id)) throw bad('System.Guid');
    return id.toLowerCase();
  }
  switch (entity.attributes[attribute]) {
    case 'int': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isInteger(n)) throw bad('System.Int32');
      return n;
    }
    case 'money': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) throw bad('System.Decimal');
      return n;
    }
    case 'bool':
      if (text === '1' || text === 'true') return 1;
      if (text === '0' || text === 'false') return 0;
      throw bad('System.Boolean');
    case 'datetime': {
      const date = new Date(text);
      if (text.trim() === '' || Number.isNaN(date.getTime())) throw bad('System.DateTime');
      return nowIso(date);
    }
    case 'date': {
      const date = new Date(text.length === 10 ? `${text}T00:00:00Z` : text);
      if (text.trim() === '' || Number.isNaN(date.getTime())) throw bad('System.DateTime');
      return nowIso(date).slice(0, 10);
    }
    case 'guid': {
      const id = text.trim().replace(/^\{(.*)\}$/, '$1');
      if (!GUID_RE.test(id)) throw bad('System.Guid');
      return id.toLowerCase();
    }
    default:
      return text;
  }
}

function startOfUtcDay(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

const COMPARE: Readonly<Record<string, string>> = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' };
const LIKE: Readonly<Record<string, { not: boolean; pattern: (v: string) => string }>> = {
  like: { not: false, pattern: (v) => v },
  'not-like': { not: true, pattern: (v) => v },
  'begins-with': { not: false, pattern: (v) => `${v}%` },
  'not-begin-with': { not: true, pattern: (v) => `${v}%` },
  'ends-with': { not: false, pattern: (v) => `%${v}` },
  'not-end-with': { not: true, pattern: (v) => `%${v}` },
};

class Compiler {
  readonly params: SqlValue[] = [];
  readonly tables: QueryTable[] = [];
  readonly joins: string[] = [];
  readonly orderBy: string[] = [];
  private readonly byAlias = new Map<string, QueryTable>();

  constructor(
    private readonly caller: string,
    private readonly now: number,
  ) {}

  condition(table: QueryTable, c: FetchCondition, params: SqlValue[]): string {
    let target = table;
    if (c.entityName !== null) {
      const linked = this.byAlias.get(c.entityName);
      if (!linked) {
        throw new ODataError(
          400,
          NO_ENTITY,
          `No link-entity has the alias '${c.entityName}' (condition entityname).`,
        );
      }
      target = linked;
    }
    const { entity } = target;
    const column = `${target.sqlAlias}."${columnOf(entity, c.attribute)}"`;
    const op = c.operator;
    const one = (): string => {
      if (c.value === null) {
        throw new ODataError(
          400,
          INVALID_VALUE,
          `The condition operator '${op}' on '${c.attribute}' needs a value.`,
        );
      }
      return c.value;
    };
    const type = entity.attributes[c.attribute];
    const isDate = type === 'datetime' || type === 'date';
    // Stored instants and days compare as text: a bound takes the column's own form.
    const bound = (ms: number): string =>
      type === 'date' ? nowIso(new Date(ms)).slice(0, 10) : nowIso(new Date(ms));
    const needDate = (): void => {
      if (!isDate) {
        throw new ODataError(
          400,
          INVALID_OPERATOR,
          `The operator '${op}' applies to date and time columns only ('${c.attribute}' is not one).`,
        );
      }
    };
    if (COMPARE[op] !== undefined) {
      params.push(typedValue(entity, c.attribute, one()));
      return `${column} ${COMPARE[op]} ?`;
    }
    const like = LIKE[op];
    if (like !== undefined) {
      // T-SQL wildcards (`[_]`, sets, ranges) as Dataverse reads them (odata/likePattern.ts).
      params.push(like.pattern(one()));
      return like.not ? `NOT ${TSQL_LIKE}(${column}, ?)` : `${TSQL_LIKE}(${column}, ?)`;
    }
    switch (op) {
      case 'in':
      case 'not-in': {
        const values = c.values.length > 0 ? c.values : c.value !== null ? [c.value] : [];
        if (values.length === 0) {
          throw new ODataError(
            400,
            INVALID_VALUE,
            `The condition operator '${op}' on '${c.attribute}' needs <value> elements.`,
          );
        }
        for (const v of values) params.push(typedValue(entity, c.attribute, v));
        return `${column} ${op === 'in' ? 'IN' : 'NOT IN'} (${values.map(() => '?').join(', ')})`;
      }
      case 'null':
        return `${column} IS NULL`;
      case 'not-null':
        return `${column} IS NOT NULL`;
      // eq-useroremployee: the caller only (chosen: the emulator models no employee hierarchy).
      case 'eq-userid':
      case 'eq-useroremployee':
        params.push(this.caller);
        return `${column} = ?`;
      case 'ne-userid':
        params.push(this.caller);
        return `${column} <> ?`;
      case 'on':
      case 'on-or-after':
      case 'on-or-before': {
        needDate();
        const day = typedValue(entity, c.attribute, one()) as string;
        const start = startOfUtcDay(Date.parse(day.length === 10 ? `${day}T00:00:00Z` : day));
        const dayStart = bound(start);
        const nextDay = bound(start + DAY_MS);
        if (op === 'on-or-after') {
          params.push(dayStart);
          return `${column} >= ?`;
        }
        if (op === 'on-or-before') {
          params.push(nextDay);
          return `${column} < ?`;
        }
        params.push(dayStart, nextDay);
        return `(${column} >= ? AND ${column} < ?)`;
      }
      // last-x-days: from the start of the day X days ago until now; next-x-days: from now until the
      // end of the day X days ahead (chosen: the users' time zone is UTC, as formatted.ts says).
      case 'last-x-days':
      case 'next-x-days': {
        needDate();
        const x = Number(one());
        if (!Number.isInteger(x) || x < 0) {
          throw new ODataError(
            400,
            INVALID_VALUE,
            `The operator '${op}' needs a whole number of days, not '${c.value ?? ''}'.`,
          );
        }
        const nowText = bound(this.now);
        if (op === 'last-x-days') {
          params.push(bound(startOfUtcDay(this.now) - x * DAY_MS), nowText);
          return `(${column} >= ? AND ${column} <= ?)`;
        }
        params.push(nowText, bound(startOfUtcDay(this.now) + (x + 1) * DAY_MS));
        return `(${column} >= ? AND ${column} < ?)`;
      }
      default:
        throw new ODataError(
          400,
          INVALID_OPERATOR,
          `The condition operator '${op}' is not supported by the emulator.`,
        );
    }
  }

  filter(table: QueryTable, f: FetchFilter, params: SqlValue[]): string {
    const parts = f.items.map((item) =>
      item.kind === 'condition'
        ? `(${this.condition(table, item, params)})`
        : this.filter(table, item, params),
    );
    if (parts.length === 0) return '1 = 1';
    return `(${parts.join(f.type === 'and' ? ' AND ' : ' OR ')})`;
  }

  /** Adds the root (`link` null) or a link-entity's table, with its orders; returns it. */
  table(node: FetchEntity, link: FetchLink | null): QueryTable {
    const entity = entityNamed(node.name);
    const index = this.tables.length;
    // A link without an alias is named after its table and position (chosen: `account1`).
    const alias = link === null ? null : (link.alias ?? `${entity.logicalName}${index}`);
    if (alias !== null && this.byAlias.has(alias)) {
      throw new ODataError(400, NO_ENTITY, `Two link-entities have the alias '${alias}'.`);
    }
    const table: QueryTable = {
      entity,
      sqlAlias: `t${index}`,
      alias,
      returned: returnedOf(entity, node, link === null),
    };
    this.tables.push(table);
    if (alias !== null) this.byAlias.set(alias, table);
    for (const order of node.orders) {
      this.orderBy.push(
        `${table.sqlAlias}."${columnOf(entity, order.attribute)}" ${order.descending ? 'DESC' : 'ASC'}`,
      );
    }
    return table;
  }
}

/** Compiles the query for the entity set's table (the fetch's entity must be that table). */
export function compileFetch(
  query: FetchQuery,
  setEntity: EntityDef,
  caller: string,
  now: number,
): CompiledFetch {
  if (query.entity.name !== setEntity.logicalName) {
    throw new ODataError(
      400,
      NO_ENTITY,
      `The FetchXML entity '${query.entity.name}' is not the table of the entity set '${setEntity.entitySet}' (${setEntity.logicalName}).`,
    );
  }
  const c = new Compiler(caller, now);
  const root = c.table(query.entity, null);
  const linkTables: QueryTable[] = [];
  // Links first (so that root conditions may name their aliases), each with its own filters.
  const addLinks = (node: FetchEntity, parent: QueryTable): void => {
    for (const link of node.links) {
      const table = c.table(link, link);
      linkTables.push(table);
      const from = columnOf(table.entity, link.from ?? table.entity.primaryKey);
      const to = columnOf(parent.entity, link.to ?? parent.entity.primaryKey);
      const onParams: SqlValue[] = [];
      const on = [`${table.sqlAlias}."${from}" = ${parent.sqlAlias}."${to}"`];
      for (const f of link.filters) on.push(c.filter(table, f, onParams));
      c.joins.push(
        `${link.linkType === 'outer' ? 'LEFT OUTER JOIN' : 'INNER JOIN'} "${table.entity.logicalName}" AS ${table.sqlAlias} ON ${on.join(' AND ')}`,
      );
      c.params.push(...onParams);
      addLinks(link, table);
    }
  };
  addLinks(query.entity, root);
  const whereParams: SqlValue[] = [];
  const where = query.entity.filters.map((f) => c.filter(root, f, whereParams));
  c.params.push(...whereParams);

  const select: string[] = [];
  if (query.distinct) {
    for (const name of root.returned) select.push(...selectColumns(root, name, null));
  } else {
    select.push('t0.*');
  }
  for (const table of linkTables) {
    for (const name of table.returned) select.push(...selectColumns(table, name, table.sqlAlias));
  }
  const order = [...c.orderBy];
  if (!query.distinct) order.push(`t0."${root.entity.primaryKey}" ASC`);
  const sql = [
    `SELECT ${query.distinct ? 'DISTINCT ' : ''}${select.join(', ')}`,
    `FROM "${root.entity.logicalName}" AS t0`,
    ...c.joins,
    where.length > 0 ? `WHERE ${where.join(' AND ')}` : '',
    order.length > 0 ? `ORDER BY ${order.join(', ')}` : '',
  ]
    .filter((part) => part !== '')
    .join(' ');
  return { root, links: linkTables, sql, params: c.params };
}

/** The result column name of a table's value (`t1__fullname`) — the root's keep their own names. */
export function resultColumn(prefix: string | null, column: string): string {
  return prefix === null ? column : `${prefix}__${column}`;
}

function selectColumns(table: QueryTable, name: string, prefix: string | null): string[] {
  const column = columnOf(table.entity, name);
  const out = [`${table.sqlAlias}."${column}" AS "${resultColumn(prefix, column)}"`];
  if (isLookup(table.entity, name)) {
    const typeColumn = `_${name}_type`;
    out.push(`${table.sqlAlias}."${typeColumn}" AS "${resultColumn(prefix, typeColumn)}"`);
  }
  return out;
}
