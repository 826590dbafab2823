/**
 * The single-value extended properties the add-in reads and writes through Graph
 * (docs/graph-facts.md, "Extended properties"): the MAPI ids of the headers the message resource has
 * no field for, and the Office.js custom properties of this add-in ([MS-OXCEXT] 2.2.5), so the tag the
 * pane writes with `saveAsync` and the tag the background check writes through Graph are one property.
 */
import { eq } from '../crm/odata';

/** PidTagInReplyToId. */
export const IN_REPLY_TO_ID = 'String 0x1042';
/** PidTagInternetReferences. */
export const REFERENCES_ID = 'String 0x1039';
/** PS_PUBLIC_STRINGS, where Outlook keeps an add-in's custom properties. */
export const PS_PUBLIC_STRINGS = '{00020329-0000-0000-C000-000000000046}';

/**
 * `String {00020329-…} Name cecp-<id>`: `<id>` is the manifest's `<Id>` lower-cased, braces and any
 * `urn:uuid:` prefix removed.
 */
export function customPropertiesId(addinId: string): string {
  const id = addinId
    .trim()
    .toLowerCase()
    .replace(/[{}]/g, '')
    .replace(/^urn:uuid:/, '');
  if (!/^[0-9a-z-]+$/.test(id)) throw new TypeError(`not an add-in id: ${JSON.stringify(addinId)}`);
  return `String ${PS_PUBLIC_STRINGS} Name cecp-${id}`;
}

/**
 * The `$expand` that returns these properties with each message. A message without one has no entry
 * for it (and no `singleValueExtendedProperties` at all when it has none of them). The documented form
 * is `id eq '…' or id eq '…'` without parentheses, and that is what is sent.
 */
export function expandProperties(ids: readonly string[]): string {
  return `singleValueExtendedProperties($filter=${ids.map((id) => eq('id', id)).join(' or ')})`;
}

/**
 * Graph answers with the id normalised (lower-case hex and GUID), so ids are compared that way. The
 * names compared here (`cecp-<id>`) are lower-case by construction, so case-folding the whole id
 * cannot match a different name.
 */
export function samePropertyId(a: string, b: string): boolean {
  const norm = (id: string): string =>
    id
      .trim()
      .toLowerCase()
      .replace(/\s+/g, ' ')
      .replace(/0x0*([0-9a-f]+)/g, '0x$1');
  return norm(a) === norm(b);
}
