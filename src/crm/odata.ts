/**
 * OData query text. This is the ONE place values become query text: every literal goes through
 * `literal()` (or `jsonArray()` for a query function's collection parameter; a text function's text
 * also through `likeText()`), every query string
 * through `query()`. A value is never concatenated into a filter
 * anywhere else, so an address like `o'brien@x.com` (or a subject written to break out of the
 * quotes) is always data.
 */

/** An OData string literal: single-quoted, a quote inside doubled (`'o''brien@x.com'`). */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A key or GUID literal; anything that is not a GUID is refused rather than quoted into a path. */
export function guid(value: string): string {
  if (!GUID.test(value)) throw new TypeError(`not a GUID: ${JSON.stringify(value)}`);
  return value.toLowerCase();
}

/** `/<entityset>(<id>)`, as written in `@odata.bind` and entity paths. */
export function entityPath(entitySet: string, id: string): string {
  return `${entitySet}(${guid(id)})`;
}

export const eq = (property: string, value: string): string => `${property} eq ${literal(value)}`;

/**
 * A query function's collection parameter (`PropertyValues=[…]`): Dataverse reads it as a JSON
 * array, so each value is DOUBLE-quoted and escaped as JSON (`\"`, `\\`, control characters); an
 * apostrophe stays as it is. A single-quoted value holding an apostrophe (`['o''brien@x']`) is
 * refused ("Invalid JSON. A comma character ',' was expected in scope 'Array'") and with it the
 * whole lookup batch. JSON.stringify of an array of strings is exactly that form; it leaves lone
 * surrogates escaped (`\udc00`), so the text is always valid UTF-16 and percent-encodes.
 */
export function jsonArray(values: readonly string[]): string {
  return JSON.stringify(values.map(String));
}

/** `Microsoft.Dynamics.CRM.In`: the property equals any of the values. */
export function isIn(property: string, values: readonly string[]): string {
  return `Microsoft.Dynamics.CRM.In(PropertyName=${literal(property)},PropertyValues=${jsonArray(values)})`;
}

/** `Microsoft.Dynamics.CRM.EqualUserId`: the property holds the calling user's id (no id needed first). */
export function equalsCurrentUser(property: string): string {
  return `Microsoft.Dynamics.CRM.EqualUserId(PropertyName=${literal(property)})`;
}

/**
 * The text of a contains/startswith/endswith as Dataverse reads it: a LIKE pattern, where `%`, `_`
 * and `[` are wildcards (Microsoft Learn, "Use wildcard characters in conditions for string values":
 * the OData contains, startswith and endswith are among the operations that take them). Each is
 * enclosed in brackets to stand for itself (`tic[_]`), as that page says, so typed text is matched
 * as typed.
 */
export function likeText(text: string): string {
  return text.replace(/[%_[]/g, (c) => `[${c}]`);
}

/** `contains(property,'text')`, the text matched literally. */
export function contains(property: string, text: string): string {
  return `contains(${property},${literal(likeText(text))})`;
}

/** `startswith(property,'text')`, the text matched literally. */
export function startsWith(property: string, text: string): string {
  return `startswith(${property},${literal(likeText(text))})`;
}

/** `endswith(property,'text')`, the text matched literally. */
export function endsWith(property: string, text: string): string {
  return `endswith(${property},${literal(likeText(text))})`;
}

export const or = (...parts: string[]): string =>
  parts
    .filter(Boolean)
    .map((p) => `(${p})`)
    .join(' or ');
export const and = (...parts: string[]): string =>
  parts
    .filter(Boolean)
    .map((p) => `(${p})`)
    .join(' and ');

export interface QueryOptions {
  readonly select?: readonly string[];
  readonly filter?: string;
  readonly orderby?: string;
  readonly top?: number;
  readonly expand?: string;
}

/** `$select=…&$filter=…`, each value percent-encoded. */
export function query(options: QueryOptions): string {
  const parts: string[] = [];
  const add = (name: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') parts.push(`${name}=${encodeURIComponent(value)}`);
  };
  add('$select', options.select?.join(','));
  add('$filter', options.filter);
  add('$orderby', options.orderby);
  add('$top', options.top === undefined ? undefined : String(options.top));
  add('$expand', options.expand);
  return parts.join('&');
}

/** `entityset?query`. */
export function collectionPath(entitySet: string, options: QueryOptions): string {
  const q = query(options);
  return q ? `${entitySet}?${q}` : entitySet;
}
