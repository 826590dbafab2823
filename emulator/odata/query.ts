/**
 * Query options other than `$filter`: `$select`, `$orderby`, `$top`, `$expand`, and the `Prefer`
 * header (`odata.maxpagesize`, `odata.include-annotations`, `return=representation`).
 */
import type { EntityDef } from '../metadata';
import { BY_NAME, lookupByNavigation } from '../metadata';
import { BAD_QUERY, ODataError, columnFor, parseFilter, type FilterNode, unknownProperty } from './filter';

export const MAX_PAGE_SIZE = 5000;

export interface OrderBy {
  readonly column: string;
  readonly desc: boolean;
}

export interface Expand {
  readonly navigation: string;
  /** Collection-valued (`email_activity_parties`) or single-valued (a lookup's navigation property). */
  readonly kind: 'collection' | 'single';
  readonly target: EntityDef;
  /** For a collection: the lookup on the target pointing back; for a single: the lookup on the source. */
  readonly via: string;
  readonly options: QueryOptions;
}

export interface QueryOptions {
  readonly select: string[] | null;
  readonly filter: FilterNode | null;
  readonly orderBy: OrderBy[];
  readonly top: number | null;
  readonly expand: Expand[];
  readonly skipToken: string | null;
  /** `$count=true`: add `@odata.count` (capped at 5,000 as Dataverse does). */
  readonly count: boolean;
}

/**
 * Walks `text`, calling `visit` for each character outside string literals: OData strings in single
 * quotes (a quote doubled inside) and, inside a query function's JSON array, double-quoted strings with
 * backslash escapes. An apostrophe inside `["o'brien"]` therefore does not open an OData string.
 */
function scanOutsideStrings(text: string, visit: (ch: string, i: number) => void): void {
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === "'") {
      i += 1;
      while (i < text.length) {
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            i += 2;
            continue;
          }
          break;
        }
        i += 1;
      }
      i += 1;
      continue;
    }
    if (ch === '"') {
      i += 1;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i += 1;
      continue;
    }
    visit(ch, i);
    i += 1;
  }
}

/** Splits on `sep` outside parentheses and string literals. */
export function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  scanOutsideStrings(text, (ch, i) => {
    if (ch === '(') depth += 1;
    else if (ch === ')') depth -= 1;
    else if (depth === 0 && ch === sep) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  });
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/**
 * Parameter aliases (`$filter=name eq @p1&@p1='x'`): each `@name` outside a string literal is replaced
 * by the value given as the query option `@name`. The value is itself OData (a quoted string, a number,
 * a query function's JSON array), so it is substituted as text and parsed with the rest.
 */
export function substituteAliases(text: string, options: ReadonlyMap<string, string>): string {
  const spots: { start: number; end: number; value: string }[] = [];
  scanOutsideStrings(text, (ch, i) => {
    if (ch !== '@') return;
    const m = /^@[A-Za-z_]\w*/.exec(text.slice(i));
    if (!m) return;
    const value = options.get(m[0]);
    if (value === undefined) {
      throw new ODataError(400, BAD_QUERY, `The parameter alias '${m[0]}' is not defined in the query.`);
    }
    spots.push({ start: i, end: i + m[0].length, value });
  });
  let out = text;
  for (const spot of spots.reverse()) out = out.slice(0, spot.start) + spot.value + out.slice(spot.end);
  return out;
}

const KNOWN_OPTIONS = new Set(['$select', '$filter', '$orderby', '$top', '$expand', '$skiptoken', '$count']);

/** Parses the query options of one request (or of one `$expand` item) against `entity`. */
export function parseQueryOptions(entity: EntityDef, options: ReadonlyMap<string, string>): QueryOptions {
  for (const key of options.keys()) {
    if (key.startsWith('$') && !KNOWN_OPTIONS.has(key)) {
      throw new ODataError(400, BAD_QUERY, `The query parameter '${key}' is not supported.`);
    }
  }
  const selectText = options.get('$select');
  const select =
    selectText === undefined
      ? null
      : splitTopLevel(selectText, ',').map((name) => {
          columnFor(entity, name);
          return name;
        });
  const filterText = options.get('$filter');
  const filter = filterText === undefined ? null : parseFilter(substituteAliases(filterText, options));
  const orderBy = splitTopLevel(substituteAliases(options.get('$orderby') ?? '', options), ',').map(
    (item) => {
      const [name = '', direction = 'asc', ...rest] = item.split(/\s+/);
      if (rest.length > 0 || (direction !== 'asc' && direction !== 'desc')) {
        throw new ODataError(400, BAD_QUERY, `Syntax error in $orderby: '${item}'.`);
      }
      return { column: columnFor(entity, name), desc: direction === 'desc' };
    },
  );
  const topText = options.get('$top');
  let top: number | null = null;
  if (topText !== undefined) {
    if (!/^\d+$/.test(topText)) throw new ODataError(400, BAD_QUERY, `Invalid value '${topText}' for $top.`);
    top = Number(topText);
  }
  const expand = splitTopLevel(options.get('$expand') ?? '', ',').map((item) => parseExpand(entity, item));
  const countText = options.get('$count');
  if (countText !== undefined && countText !== 'true' && countText !== 'false') {
    throw new ODataError(400, BAD_QUERY, `Invalid value '${countText}' for $count.`);
  }
  return {
    select,
    filter,
    orderBy,
    top,
    expand,
    skipToken: options.get('$skiptoken') ?? null,
    count: countText === 'true',
  };
}

function parseExpand(entity: EntityDef, item: string): Expand {
  const m = /^([\w]+)(?:\((.*)\))?$/s.exec(item);
  if (!m) throw new ODataError(400, BAD_QUERY, `Syntax error in $expand: '${item}'.`);
  const navigation = m[1] as string;
  const nested = new Map<string, string>();
  for (const option of splitTopLevel(m[2] ?? '', ';')) {
    const eq = option.indexOf('=');
    if (eq < 0) throw new ODataError(400, BAD_QUERY, `Syntax error in $expand: '${item}'.`);
    nested.set(option.slice(0, eq).trim(), option.slice(eq + 1).trim());
  }
  const collection = entity.collections[navigation];
  if (collection) {
    const target = BY_NAME.get(collection.target) as EntityDef;
    return {
      navigation,
      kind: 'collection',
      target,
      via: collection.via,
      options: parseQueryOptions(target, nested),
    };
  }
  const single = lookupByNavigation(entity, navigation);
  const target = single && BY_NAME.get(single.target);
  if (single && target) {
    return {
      navigation,
      kind: 'single',
      target,
      via: single.lookup.name,
      options: parseQueryOptions(target, nested),
    };
  }
  throw unknownProperty(entity, navigation);
}

export interface Preferences {
  readonly maxPageSize: number | null;
  readonly annotations: readonly string[];
  readonly returnRepresentation: boolean;
  readonly continueOnError: boolean;
}

/** Parses one or more `Prefer` headers (comma-separated, values may be quoted). */
export function parsePrefer(header: string | undefined): Preferences {
  let maxPageSize: number | null = null;
  let annotations: string[] = [];
  let returnRepresentation = false;
  let continueOnError = false;
  for (const part of splitPrefer(header ?? '')) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    const value =
      eq < 0
        ? ''
        : part
            .slice(eq + 1)
            .trim()
            .replace(/^"|"$/g, '');
    if (name === 'odata.maxpagesize') {
      const n = Number(value);
      if (Number.isInteger(n) && n > 0) maxPageSize = Math.min(n, MAX_PAGE_SIZE);
    } else if (name === 'odata.include-annotations') {
      annotations = value.split(',').map((a) => a.trim());
    } else if (name === 'return' && value === 'representation') {
      returnRepresentation = true;
    } else if (name === 'odata.continue-on-error') {
      continueOnError = true;
    }
  }
  return { maxPageSize, annotations, returnRepresentation, continueOnError };
}

function splitPrefer(header: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < header.length; i += 1) {
    if (header[i] === '"') quoted = !quoted;
    else if (!quoted && header[i] === ',') {
      parts.push(header.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(header.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** Whether an annotation (`OData.Community.Display.V1.FormattedValue`) was asked for. */
export function wantsAnnotation(prefs: Preferences, annotation: string): boolean {
  return prefs.annotations.some((pattern) => {
    if (pattern === '*') return true;
    if (pattern.startsWith('-')) return false;
    if (pattern.endsWith('.*')) return annotation.startsWith(pattern.slice(0, -1));
    return pattern === annotation;
  });
}
