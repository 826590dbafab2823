/**
 * A synchronization filter's FetchXML, made into the query one page of recordsInScope sends
 * (synchronization.md §1: a record is in scope when a filter of its type returns it). The filter's
 * own conditions, link-entities and orders are what make the scope, so they are kept as Dataverse
 * holds them; only what the filter SHOWS is replaced: the top entity's columns become the ones the
 * runner asked for plus what the planner needs, and the fetch gets this page's `count`, `page` and
 * `paging-cookie` ("Page results using FetchXml").
 *
 * Parsed and written with an XML parser (fast-xml-parser, order kept): the filter is text a user
 * made in the CRM, and a value such as `O'Brien & <Co>` or a paging cookie full of quotes must stay
 * data. No regular expression ever reads or writes the XML.
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

/** A FetchXML text that is not a query this module can rewrite. */
export class FetchXmlError extends Error {
  override readonly name = 'FetchXmlError';
}

/** One page of a FetchXML query: Dataverse's limit for `count` is 5,000. */
export interface FetchPage {
  readonly count: number;
  /** 1-based. */
  readonly page: number;
  /** The previous page's cookie (the `pagingcookie` Dataverse answered, decoded), null on page 1. */
  readonly pagingCookie: string | null;
}

export const MAX_FETCH_COUNT = 5000;

/** fast-xml-parser's ordered shape: `{ <tag>: children, ':@': { '@_<attr>': value } }` or `{ '#text': … }`. */
type XmlNode = Record<string, unknown>;
type Attributes = Record<string, string>;

const ATTR = ':@';
const PREFIX = '@_';

const OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: PREFIX,
  preserveOrder: true,
  // Values are text as written: `0` stays "0", a GUID's braces and a date's zone stay as they are.
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
  suppressEmptyNode: true,
  format: false,
} as const;

const tagOf = (node: XmlNode): string | null => Object.keys(node).find((k) => k !== ATTR) ?? null;

const childrenOf = (node: XmlNode): XmlNode[] => {
  const tag = tagOf(node);
  const children = tag ? node[tag] : null;
  return Array.isArray(children) ? (children as XmlNode[]) : [];
};

const attributesOf = (node: XmlNode): Attributes => (node[ATTR] as Attributes | undefined) ?? {};

function element(tag: string, attributes: Readonly<Record<string, string>>): XmlNode {
  const attrs: Attributes = {};
  for (const [name, value] of Object.entries(attributes)) attrs[`${PREFIX}${name}`] = value;
  return { [tag]: [], [ATTR]: attrs };
}

/** The document's nodes, or FetchXmlError when the text is not well-formed XML. */
function parse(xml: string): XmlNode[] {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new FetchXmlError(`The filter is not well-formed XML: ${valid.err.msg}`);
  return new XMLParser(OPTIONS).parse(xml) as XmlNode[];
}

/** The `<fetch>` element and its `<entity>`, or FetchXmlError. */
function fetchAndEntity(nodes: XmlNode[]): { fetch: XmlNode; entity: XmlNode } {
  const fetch = nodes.find((n) => tagOf(n) === 'fetch');
  if (!fetch) throw new FetchXmlError('The filter has no <fetch> element.');
  const entity = childrenOf(fetch).find((n) => tagOf(n) === 'entity');
  if (!entity) throw new FetchXmlError('The filter has no <entity> element.');
  return { fetch, entity };
}

/**
 * The filter as one page of the query: the top entity's `<attribute>` and `<all-attributes>`
 * replaced by `attributes` (each once, in the order given), everything else of the entity kept in
 * its order (filters, link-entities with their own columns, orders), and the fetch's paging set.
 * `top` is dropped: Dataverse refuses it together with `count`/`page`, and a filter that keeps only
 * its first N records is not a scope the legacy client honoured either (chosen). `aggregate` and
 * `returntotalrecordcount` are dropped: a page of records is asked, not a total.
 */
export function rewriteFetchXml(
  fetchXml: string,
  options: { readonly entity: string; readonly attributes: readonly string[]; readonly page: FetchPage },
): string {
  const nodes = parse(fetchXml);
  const { fetch, entity } = fetchAndEntity(nodes);
  const name = attributesOf(entity)[`${PREFIX}name`];
  if (name !== options.entity)
    throw new FetchXmlError(`The filter reads ${String(name)} records, not ${options.entity} records.`);
  const { count, page, pagingCookie } = options.page;
  if (!Number.isInteger(count) || count < 1 || count > MAX_FETCH_COUNT)
    throw new RangeError(`count must be 1 to ${MAX_FETCH_COUNT}`);
  if (!Number.isInteger(page) || page < 1) throw new RangeError('page must be 1 or more');

  const kept = childrenOf(entity).filter((n) => {
    const tag = tagOf(n);
    return tag !== 'attribute' && tag !== 'all-attributes';
  });
  const columns = [...new Set(options.attributes)].map((a) => element('attribute', { name: a }));
  entity[tagOf(entity) as string] = [...columns, ...kept];

  const attrs: Attributes = { ...attributesOf(fetch) };
  for (const dropped of ['top', 'aggregate', 'returntotalrecordcount', 'count', 'page', 'paging-cookie'])
    delete attrs[`${PREFIX}${dropped}`];
  attrs[`${PREFIX}count`] = String(count);
  attrs[`${PREFIX}page`] = String(page);
  if (pagingCookie !== null) attrs[`${PREFIX}paging-cookie`] = pagingCookie;
  fetch[ATTR] = attrs;
  return new XMLBuilder(OPTIONS).build(nodes) as string;
}

/**
 * The cookie for the next page from a response's `@Microsoft.Dynamics.CRM.fetchxmlpagingcookie`
 * (`<cookie pagenumber="2" pagingcookie="%253ccookie…" istracking="False" />`): its `pagingcookie`
 * attribute is URL-encoded twice ("Page results using FetchXml"), so it is decoded twice; the
 * result goes into the next page's `paging-cookie` attribute as it is (the builder escapes it).
 * Null when the annotation is missing or holds no cookie: the next page is then asked by number
 * alone, which Dataverse also answers (more slowly).
 */
export function nextPagingCookie(annotation: unknown): string | null {
  if (typeof annotation !== 'string' || annotation.trim() === '') return null;
  let nodes: XmlNode[];
  try {
    nodes = parse(annotation);
  } catch {
    return null;
  }
  const cookie = nodes.find((n) => tagOf(n) === 'cookie');
  const encoded = cookie ? attributesOf(cookie)[`${PREFIX}pagingcookie`] : undefined;
  if (!encoded) return null;
  try {
    return decodeURIComponent(decodeURIComponent(encoded));
  } catch {
    return null;
  }
}
