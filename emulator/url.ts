/**
 * Reading request URLs: the path and query options (after `$n` Content-ID references are replaced),
 * entity keys, and the entity references that `@odata.bind` and `$ref` bodies carry.
 */
import { BY_NAME, entitySetOf } from './metadata';
import { BAD_QUERY, GUID_RE, ODataError, SERVICE_PATH, type DispatchContext, notFound } from './protocol';
import type { EmulatorDb } from './db';

export interface SplitUrl {
  /** Decoded path below the service root, without a leading slash. */
  readonly path: string;
  readonly query: Map<string, string>;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new ODataError(400, BAD_QUERY, `The URL contains a malformed escape: '${text}'.`);
  }
}

export function splitUrl(url: string, ctx: DispatchContext): SplitUrl {
  let rest = url;
  const contentRef = /^\$(\d+)(.*)$/.exec(rest);
  if (contentRef) {
    const target = ctx.contentIds?.get(contentRef[1] as string);
    if (!target)
      throw new ODataError(400, BAD_QUERY, `Content-ID reference '$${contentRef[1]}' is not defined.`);
    rest = `${target}${contentRef[2]}`;
  }
  rest = rest.replace(/^https?:\/\/[^/]+/i, '');
  if (rest.startsWith(SERVICE_PATH)) rest = rest.slice(SERVICE_PATH.length);
  rest = rest.replace(/^\/+/, '');
  const q = rest.indexOf('?');
  const path = decode(q < 0 ? rest : rest.slice(0, q));
  const query = new Map<string, string>();
  if (q >= 0) {
    for (const pair of rest.slice(q + 1).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const name = decode((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
      const value = eq < 0 ? '' : decode(pair.slice(eq + 1).replace(/\+/g, ' '));
      if (query.has(name))
        throw new ODataError(400, BAD_QUERY, `Query option '${name}' was specified more than once.`);
      query.set(name, value);
    }
  }
  return { path, query };
}

/** Splits a path on `/` outside parentheses and quotes (`EntityDefinitions(LogicalName='a/b')/Attributes`). */
export function pathSegments(path: string): string[] {
  const segments: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < path.length; i += 1) {
    const ch = path[i];
    if (ch === "'") quoted = !quoted;
    else if (!quoted && ch === '(') depth += 1;
    else if (!quoted && ch === ')') depth -= 1;
    else if (!quoted && depth === 0 && ch === '/') {
      segments.push(path.slice(start, i));
      start = i + 1;
    }
  }
  segments.push(path.slice(start));
  return segments;
}

/** `name(key)` → name and the text between the parentheses (undefined without them). */
export function segmentParts(segment: string): { name: string; key: string | undefined } | null {
  const m = /^([A-Za-z_$][\w.$]*)(?:\((.*)\))?$/s.exec(segment);
  return m ? { name: m[1] as string, key: m[2] } : null;
}

/** A key `(<guid>)` or `(<primary key>=<guid>)` → the lower-cased id. */
export function parseKey(primaryKey: string, logicalName: string, keyText: string): string {
  let text = keyText.trim();
  const named = /^(\w+)=(.*)$/.exec(text);
  if (named) {
    if (named[1] !== primaryKey) {
      // Alternate keys work only where a table defines them; the emulated tables define none.
      throw new ODataError(
        400,
        BAD_QUERY,
        `'${named[1]}' is not a key of '${logicalName}': the table defines no alternate keys (EntityDefinitions(LogicalName='${logicalName}')/Keys is empty).`,
      );
    }
    text = (named[2] as string).trim();
  }
  if (!GUID_RE.test(text)) {
    throw new ODataError(400, BAD_QUERY, `Bad Request - Error in query syntax: invalid key '${keyText}'.`);
  }
  return text.toLowerCase();
}

/**
 * An entity reference as `@odata.bind` and `{"@odata.id": …}` carry it: `/contacts(<id>)`,
 * `contacts(<id>)`, a full URL, or `$n` → the entity set and id, checking that the set is the
 * navigation's target and that the row exists.
 */
export function resolveEntityRef(
  db: EmulatorDb,
  value: string,
  targetName: string,
  ctx: DispatchContext,
  what = 'an @odata.bind',
): string {
  let text = value.trim();
  const ref = /^\$(\d+)$/.exec(text);
  if (ref) {
    const resolved = ctx.contentIds?.get(ref[1] as string);
    if (!resolved) throw new ODataError(400, BAD_QUERY, `Content-ID reference '${text}' is not defined.`);
    text = resolved;
  }
  text = text.replace(/^https?:\/\/[^/]+/i, '');
  if (text.startsWith(SERVICE_PATH)) text = text.slice(SERVICE_PATH.length);
  const m = /^\/?([A-Za-z_]\w*)\(([^)]+)\)$/.exec(text);
  if (!m || !GUID_RE.test(m[2] as string)) {
    throw new ODataError(400, BAD_QUERY, `The URL '${value}' in ${what} is not a valid entity reference.`);
  }
  const expectedSet = entitySetOf(targetName);
  if (m[1] !== expectedSet) {
    throw new ODataError(
      400,
      BAD_QUERY,
      `The entity set '${m[1]}' in '${value}' does not match the navigation target '${targetName}'.`,
    );
  }
  const id = (m[2] as string).toLowerCase();
  const target = BY_NAME.get(targetName);
  if (target && !db.get(target, id)) throw notFound(target, id);
  return id;
}

/**
 * The row a DELETE on a collection-valued `$ref` removes from the relationship: named by key in the path
 * (`nav(<id>)/$ref`) or by `$id=<entity URL>` ("Disassociate with a collection-valued navigation
 * property", Web API). Neither is a 400.
 */
export function disassociatedRowId(
  db: EmulatorDb,
  target: { readonly primaryKey: string; readonly logicalName: string },
  navigation: string,
  relatedKey: string | undefined,
  byQuery: string | null | undefined,
  ctx: DispatchContext,
): string {
  if (relatedKey !== undefined) return parseKey(target.primaryKey, target.logicalName, relatedKey);
  if (byQuery === undefined || byQuery === null) {
    throw new ODataError(
      400,
      BAD_QUERY,
      `Name the row to disassociate: '${navigation}(<id>)/$ref' or '$id'.`,
    );
  }
  return resolveEntityRef(db, byQuery, target.logicalName, ctx, '$id');
}
