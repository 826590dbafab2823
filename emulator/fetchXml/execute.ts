/**
 * `GET /<entity set>?fetchXml=<url-encoded FetchXML>` ("Use FetchXml with the Web API", "Page results
 * using FetchXml"): rows as Dataverse returns them for FetchXML — only the attributes asked (all of the
 * root's when none is), null values left out, lookups as `_x_value`, a link-entity's columns as
 * `alias.attr`, formatted values and lookup annotations when `Prefer: odata.include-annotations` asks;
 * pages of `count` rows (5,000 by default) with `@Microsoft.Dynamics.CRM.morerecords` and, while more
 * rows remain, `@Microsoft.Dynamics.CRM.fetchxmlpagingcookie` (`<cookie pagenumber="2"
 * pagingcookie="…twice URL-encoded <cookie page="1">…</cookie>…" istracking="False" />`).
 *
 * The paging cookie's content is not used to find the page (chosen): the page number and size place
 * it, which gives the same rows as Dataverse's cookie paging while the data does not change between
 * requests. A cookie that is not well-formed XML is refused.
 */
import type { EmulatorDb, Row } from '../db';
import { formattedValue } from '../formatted';
import type { EntityDef } from '../metadata';
import { MAX_PAGE_SIZE, type Preferences, wantsAnnotation } from '../odata/query';
import {
  ASSOCIATED_NAV,
  type DispatchContext,
  type EmuResponse,
  FORMATTED,
  LOOKUP_NAME,
  ODataError,
  etagOf,
  json,
} from '../protocol';
import { type Reads, preferenceApplied } from '../reads';
import { type QueryTable, compileFetch, resultColumn } from './compile';
import { INVALID_XML, isWellFormedCookie, parseFetchXml } from './parse';

export const PAGING_COOKIE = 'Microsoft.Dynamics.CRM.fetchxmlpagingcookie';
export const MORE_RECORDS = 'Microsoft.Dynamics.CRM.morerecords';

type Out = Record<string, unknown>;

function writeValue(
  out: Out,
  key: string,
  table: QueryTable,
  name: string,
  row: Row,
  prefix: string | null,
  prefs: Preferences,
  reads: Reads,
): void {
  const { entity } = table;
  const lookup = entity.lookups.find((l) => l.name === name);
  if (lookup && !Object.prototype.hasOwnProperty.call(entity.attributes, name)) {
    const value = row[resultColumn(prefix, `_${name}_value`)];
    if (value === null || value === undefined) return;
    const target = (row[resultColumn(prefix, `_${name}_type`)] as string | null) ?? null;
    const lookupKey = prefix === null ? `_${name}_value` : key;
    out[lookupKey] = value;
    if (wantsAnnotation(prefs, FORMATTED)) {
      const display = reads.displayName(target, value as string);
      if (display !== null) out[`${lookupKey}@${FORMATTED}`] = display;
    }
    if (wantsAnnotation(prefs, ASSOCIATED_NAV) && prefix === null) {
      const nav = Object.entries(lookup.navigation).find(([, t]) => t === target)?.[0];
      if (nav) out[`${lookupKey}@${ASSOCIATED_NAV}`] = nav;
    }
    if (wantsAnnotation(prefs, LOOKUP_NAME) && target) out[`${lookupKey}@${LOOKUP_NAME}`] = target;
    return;
  }
  const value = row[resultColumn(prefix, name)];
  if (value === null || value === undefined) return;
  out[key] = entity.attributes[name] === 'bool' ? value === 1 : value;
  if (wantsAnnotation(prefs, FORMATTED)) {
    const text = formattedValue(entity, name, value);
    if (text !== null) out[`${key}@${FORMATTED}`] = text;
  }
}

function formatRow(
  row: Row,
  root: QueryTable,
  links: readonly QueryTable[],
  distinct: boolean,
  prefs: Preferences,
  reads: Reads,
): Out {
  const out: Out = {};
  if (!distinct) out['@odata.etag'] = etagOf(row);
  const names = [...root.returned];
  if (!distinct && !names.includes(root.entity.primaryKey)) names.push(root.entity.primaryKey);
  for (const name of names) writeValue(out, name, root, name, row, null, prefs, reads);
  for (const link of links) {
    for (const name of link.returned) {
      writeValue(out, `${link.alias}.${name}`, link, name, row, link.sqlAlias, prefs, reads);
    }
  }
  return out;
}

/** `<cookie page="N"><pk last="{…}" first="{…}" /></cookie>`, as the Web API's annotation wraps it. */
function pagingCookie(entity: EntityDef, page: number, rows: readonly Row[]): string {
  const brace = (row: Row | undefined): string => `{${String(row?.[entity.primaryKey] ?? '').toUpperCase()}}`;
  // A distinct query's rows carry no primary key: its cookie holds the page number only.
  const keys =
    rows[0]?.[entity.primaryKey] === undefined
      ? ''
      : `<${entity.primaryKey} last="${brace(rows[rows.length - 1])}" first="${brace(rows[0])}" />`;
  const inner = `<cookie page="${page}">${keys}</cookie>`;
  return `<cookie pagenumber="${page + 1}" pagingcookie="${encodeURIComponent(encodeURIComponent(inner))}" istracking="False" />`;
}

export function fetchXmlList(
  db: EmulatorDb,
  reads: Reads,
  entity: EntityDef,
  fetchXml: string,
  prefs: Preferences,
  ctx: DispatchContext,
  now: number = Date.now(),
): EmuResponse {
  const query = parseFetchXml(fetchXml);
  if (query.pagingCookie !== null && !isWellFormedCookie(query.pagingCookie)) {
    throw new ODataError(400, INVALID_XML, 'The paging cookie of the fetch is not valid XML.');
  }
  const compiled = compileFetch(query, entity, ctx.caller, now);
  // count above 5,000 is served as 5,000 (chosen: the documented maximum page size).
  const size = query.top ?? Math.min(query.count ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
  if (query.top !== null && query.top > MAX_PAGE_SIZE) {
    throw new ODataError(400, INVALID_XML, `The top attribute cannot be more than ${MAX_PAGE_SIZE}.`);
  }
  const page = query.page ?? 1;
  const offset = query.top !== null ? 0 : (page - 1) * size;
  const rows = db
    .prepare(`${compiled.sql} LIMIT ? OFFSET ?`)
    .all(...compiled.params, size + 1, offset) as Row[];
  const more = query.top === null && rows.length > size;
  const pageRows = rows.slice(0, size);
  const body: Out = { '@odata.context': `${ctx.baseUrl}/$metadata#${entity.entitySet}` };
  if (wantsAnnotation(prefs, PAGING_COOKIE) && more) {
    body[`@${PAGING_COOKIE}`] = pagingCookie(entity, page, pageRows);
  }
  if (wantsAnnotation(prefs, MORE_RECORDS)) body[`@${MORE_RECORDS}`] = more;
  body.value = pageRows.map((row) =>
    formatRow(row, compiled.root, compiled.links, query.distinct, prefs, reads),
  );
  return json(200, body, preferenceApplied(prefs));
}
