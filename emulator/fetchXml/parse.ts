/**
 * FetchXML text → a typed query ("Use FetchXml to query data", FetchXml reference: fetch, entity,
 * attribute, all-attributes, order, filter, condition, value, link-entity). The XML is read by a real
 * parser (fast-xml-parser) after its validator accepts it; every malformed or unsupported input is an
 * `ODataError` 400, never another exception, so the Web API answers as Dataverse does.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ODataError } from '../protocol';

/**
 * "Invalid XML." (0x80040201): text that is not well-formed XML, or XML that is not FetchXML (the
 * schema's elements and attributes). This code and NO_ENTITY's message are the ones a third-party
 * Dataverse OData validator answers (@shko.online/dataverse-odata); the Microsoft pages searched do not
 * list FetchXML's error codes (chosen).
 */
export const INVALID_XML = '0x80040201';
/** "Entity Name was not specified in FetchXml String.": the fetch names no entity (or an unknown one). */
export const NO_ENTITY = '0x80041102';
/** QueryBuilderNoAttribute: a column the table does not have. */
export const NO_ATTRIBUTE = '0x80041103';
/** QueryBuilderInvalidConditionOperator (chosen code for an operator the emulator does not know). */
export const INVALID_OPERATOR = '0x8004111b';
/** A value the column cannot take (Dataverse's InvalidArgument). */
export const INVALID_VALUE = '0x80040203';

export interface FetchCondition {
  readonly kind: 'condition';
  readonly attribute: string;
  readonly operator: string;
  /** The `value` attribute, or null. */
  readonly value: string | null;
  /** The `<value>` children (operator `in`, `not-in`). */
  readonly values: readonly string[];
  /** A condition on a link-entity's column, written in an outer filter (`entityname` = the alias). */
  readonly entityName: string | null;
}

export interface FetchFilter {
  readonly kind: 'filter';
  readonly type: 'and' | 'or';
  readonly items: readonly (FetchCondition | FetchFilter)[];
}

export interface FetchOrder {
  readonly attribute: string;
  readonly descending: boolean;
}

export interface FetchEntity {
  readonly name: string;
  readonly attributes: readonly string[];
  readonly allAttributes: boolean;
  readonly orders: readonly FetchOrder[];
  readonly filters: readonly FetchFilter[];
  readonly links: readonly FetchLink[];
}

export interface FetchLink extends FetchEntity {
  /** The column of the linked table that matches `to`. */
  readonly from: string | null;
  /** The column of the parent table that `from` matches. */
  readonly to: string | null;
  readonly alias: string | null;
  readonly linkType: 'inner' | 'outer';
}

export interface FetchQuery {
  /** Page size (`count`), null for the default 5,000. */
  readonly count: number | null;
  readonly page: number | null;
  readonly pagingCookie: string | null;
  readonly distinct: boolean;
  readonly top: number | null;
  readonly entity: FetchEntity;
}

interface XmlNode {
  readonly tag: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
  readonly text: string;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  preserveOrder: true,
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: true,
  allowBooleanAttributes: false,
});

function invalid(message: string): ODataError {
  return new ODataError(400, INVALID_XML, message);
}

/** fast-xml-parser's ordered output (`[{tag: [...children], ':@': {attrs}}, {'#text': ...}]`) → nodes. */
function toNodes(raw: unknown): XmlNode[] {
  if (!Array.isArray(raw)) return [];
  const nodes: XmlNode[] = [];
  for (const item of raw as Record<string, unknown>[]) {
    const tag = Object.keys(item).find((k) => k !== ':@');
    if (tag === undefined || tag === '#text' || tag.startsWith('?') || tag.startsWith('!')) continue;
    const children = item[tag];
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries((item[':@'] as Record<string, unknown> | undefined) ?? {})) {
      attrs[k] = String(v);
    }
    const text = Array.isArray(children)
      ? (children as Record<string, unknown>[])
          .filter((c) => '#text' in c)
          .map((c) => String(c['#text']))
          .join('')
      : '';
    nodes.push({ tag, attrs, children: toNodes(children), text });
  }
  return nodes;
}

function allowOnly(node: XmlNode, allowed: readonly string[]): void {
  for (const name of Object.keys(node.attrs)) {
    if (!allowed.includes(name)) {
      throw invalid(`The '${name}' attribute is not declared on the FetchXML element '${node.tag}'.`);
    }
  }
}

function positiveInt(node: XmlNode, name: string): number | null {
  const text = node.attrs[name];
  if (text === undefined) return null;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw invalid(`The '${name}' attribute of '${node.tag}' must be a positive integer, not '${text}'.`);
  }
  return n;
}

function flag(node: XmlNode, name: string): boolean {
  const text = node.attrs[name];
  if (text === undefined) return false;
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw invalid(`The '${name}' attribute of '${node.tag}' must be true or false, not '${text}'.`);
}

function required(node: XmlNode, name: string): string {
  const value = node.attrs[name];
  if (value === undefined || value.trim() === '') {
    throw invalid(`The FetchXML element '${node.tag}' needs its '${name}' attribute.`);
  }
  return value.trim();
}

function readCondition(node: XmlNode): FetchCondition {
  allowOnly(node, ['attribute', 'operator', 'value', 'entityname', 'alias', 'uiname', 'uitype', 'uihidden']);
  const values: string[] = [];
  for (const child of node.children) {
    if (child.tag !== 'value') throw invalid(`'condition' cannot contain '${child.tag}'.`);
    values.push(child.text);
  }
  return {
    kind: 'condition',
    attribute: required(node, 'attribute'),
    operator: required(node, 'operator'),
    value: node.attrs.value ?? null,
    values,
    entityName: node.attrs.entityname ?? null,
  };
}

function readFilter(node: XmlNode): FetchFilter {
  allowOnly(node, ['type', 'isquickfindfields', 'hint']);
  const type = node.attrs.type ?? 'and';
  if (type !== 'and' && type !== 'or') throw invalid(`A filter's type is 'and' or 'or', not '${type}'.`);
  const items = node.children.map((child) => {
    if (child.tag === 'condition') return readCondition(child);
    if (child.tag === 'filter') return readFilter(child);
    throw invalid(`'filter' cannot contain '${child.tag}'.`);
  });
  return { kind: 'filter', type, items };
}

function readEntityBody(node: XmlNode, isLink: boolean): Omit<FetchEntity, 'name'> {
  const attributes: string[] = [];
  const orders: FetchOrder[] = [];
  const filters: FetchFilter[] = [];
  const links: FetchLink[] = [];
  let allAttributes = false;
  for (const child of node.children) {
    switch (child.tag) {
      case 'attribute':
        allowOnly(child, ['name', 'alias', 'groupby', 'aggregate', 'dategrouping', 'usertimezone']);
        if (child.attrs.aggregate !== undefined || child.attrs.groupby !== undefined) {
          throw invalid('Aggregate queries are not supported by the emulator.');
        }
        attributes.push(required(child, 'name'));
        break;
      case 'all-attributes':
        allAttributes = true;
        break;
      case 'order':
        allowOnly(child, ['attribute', 'descending', 'alias', 'entityname']);
        orders.push({ attribute: required(child, 'attribute'), descending: flag(child, 'descending') });
        break;
      case 'filter':
        filters.push(readFilter(child));
        break;
      case 'link-entity':
        links.push(readLink(child));
        break;
      default:
        throw invalid(`'${isLink ? 'link-entity' : 'entity'}' cannot contain '${child.tag}'.`);
    }
  }
  return { attributes, allAttributes, orders, filters, links };
}

function readLink(node: XmlNode): FetchLink {
  allowOnly(node, ['name', 'from', 'to', 'alias', 'link-type', 'visible', 'intersect']);
  const linkType = node.attrs['link-type'] ?? 'inner';
  if (linkType !== 'inner' && linkType !== 'outer') {
    throw invalid(`The link-type '${linkType}' is not supported by the emulator (inner and outer are).`);
  }
  return {
    name: required(node, 'name'),
    from: node.attrs.from ?? null,
    to: node.attrs.to ?? null,
    alias: node.attrs.alias ?? null,
    linkType,
    ...readEntityBody(node, true),
  };
}

/** Reads a FetchXML query; throws `ODataError` 400 on anything Dataverse would refuse. */
export function parseFetchXml(text: string): FetchQuery {
  let nodes: XmlNode[];
  try {
    if (XMLValidator.validate(text) !== true) throw invalid('Invalid XML.');
    nodes = toNodes(parser.parse(text));
  } catch (error) {
    if (error instanceof ODataError) throw error;
    throw invalid('Invalid XML.');
  }
  if (nodes.length !== 1 || nodes[0]?.tag !== 'fetch') {
    throw invalid("Invalid XML: a FetchXML query has one root element, 'fetch'.");
  }
  const fetch = nodes[0];
  allowOnly(fetch, [
    'version',
    'count',
    'page',
    'paging-cookie',
    'distinct',
    'top',
    'mapping',
    'output-format',
    'no-lock',
    'returntotalrecordcount',
    'aggregate',
    'utc-offset',
    'latematerialize',
    'useraworderby',
    'options',
    'datasource',
  ]);
  if (flag(fetch, 'aggregate')) throw invalid('Aggregate queries are not supported by the emulator.');
  const entities = fetch.children.filter((c) => c.tag === 'entity');
  const others = fetch.children.filter((c) => c.tag !== 'entity' && c.tag !== 'order');
  if (entities.length !== 1 || others.length > 0) {
    throw new ODataError(400, NO_ENTITY, 'Entity Name was not specified in FetchXml String.');
  }
  const entityNode = entities[0] as XmlNode;
  allowOnly(entityNode, ['name', 'enableprefiltering', 'prefilterparametername']);
  const name = entityNode.attrs.name?.trim();
  if (!name) throw new ODataError(400, NO_ENTITY, 'Entity Name was not specified in FetchXml String.');
  const count = positiveInt(fetch, 'count');
  const top = positiveInt(fetch, 'top');
  const page = positiveInt(fetch, 'page');
  if (top !== null && (count !== null || page !== null)) {
    throw invalid('The top attribute cannot be used with the paging attributes page and count.');
  }
  return {
    count,
    page,
    pagingCookie: fetch.attrs['paging-cookie'] ?? null,
    distinct: flag(fetch, 'distinct'),
    top,
    entity: { name, ...readEntityBody(entityNode, false) },
  };
}

/** Whether a paging cookie (as the fetch's `paging-cookie` carries it) is well-formed XML. */
export function isWellFormedCookie(cookie: string): boolean {
  try {
    return XMLValidator.validate(cookie) === true;
  } catch {
    return false;
  }
}
