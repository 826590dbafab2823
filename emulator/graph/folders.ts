/**
 * Mail folder endpoints: one folder (by id or well-known name), the top-level list, a folder's
 * children. `$select` picks properties (`id` always comes, as on messages); a name that is not a
 * mailFolder property is Graph's 400 `RequestBroker--ParseUri`.
 */
import type { FolderRow, GraphDb } from './db';
import {
  BadRequest,
  NOT_FOUND_MESSAGE,
  graphError,
  ok,
  type GraphResponse,
  type RequestContext,
} from './protocol';
import { parseQueryOptions } from './query';
import { MAILBOX } from './seed';

/** The mailFolder resource's properties (v1.0). */
const FOLDER_PROPERTIES = [
  'id',
  'displayName',
  'parentFolderId',
  'childFolderCount',
  'unreadItemCount',
  'totalItemCount',
  'sizeInBytes',
  'isHidden',
] as const;

function folderJson(db: GraphDb, f: FolderRow, select: readonly string[] | null): Record<string, unknown> {
  const counts = db.folderCounts(f.id);
  const all: Record<string, unknown> = {
    id: f.id,
    displayName: f.display_name,
    parentFolderId: f.parent_id ?? '',
    childFolderCount: db.childFolders(f.id).length,
    unreadItemCount: counts.unread,
    totalItemCount: counts.total,
    sizeInBytes: counts.total * 4096,
    isHidden: f.is_hidden === 1,
  };
  if (select === null) return all;
  return Object.fromEntries(Object.entries(all).filter(([k]) => k === 'id' || select.includes(k)));
}

/** `$select` as a list of mailFolder properties, or null when absent. */
function selected(params: ReadonlyMap<string, string>): readonly string[] | null {
  const { select } = parseQueryOptions(new Map([...params].filter(([k]) => k === '$select')));
  for (const name of select ?? []) {
    if (!(FOLDER_PROPERTIES as readonly string[]).includes(name))
      throw new BadRequest(
        'RequestBroker--ParseUri',
        `Could not find a property named '${name}' on type 'microsoft.graph.mailFolder'.`,
      );
  }
  return select;
}

function context(ctx: RequestContext, suffix: string): string {
  return `${ctx.baseUrl}/$metadata#users('${encodeURIComponent(MAILBOX.address)}')/${suffix}`;
}

export function getFolder(
  db: GraphDb,
  ctx: RequestContext,
  idOrName: string,
  params: ReadonlyMap<string, string> = new Map(),
): GraphResponse {
  const f = db.resolveFolder(idOrName);
  if (!f) return graphError(ctx, 404, 'ErrorItemNotFound', NOT_FOUND_MESSAGE);
  return ok({
    '@odata.context': context(ctx, 'mailFolders/$entity'),
    ...folderJson(db, f, selected(params)),
  });
}

/** `GET /me/mailFolders` (parent null: the children of msgfolderroot) or `…/{id}/childFolders`. */
export function listFolders(
  db: GraphDb,
  ctx: RequestContext,
  parentIdOrName: string | null,
  path: string,
  params: ReadonlyMap<string, string>,
): GraphResponse {
  const parent = db.resolveFolder(parentIdOrName ?? 'msgfolderroot');
  if (!parent) return graphError(ctx, 404, 'ErrorItemNotFound', NOT_FOUND_MESSAGE);
  const { top, skip } = parseQueryOptions(
    new Map([...params].filter(([k]) => k === '$top' || k === '$skip')),
  );
  const select = selected(params);
  const pageSize = top ?? 10;
  const includeHidden = params.get('includeHiddenFolders') === 'true';
  const all = db.childFolders(parent.id).filter((f) => f.is_hidden === 0 || includeHidden);
  const page = all.slice(skip, skip + pageSize);
  const body: Record<string, unknown> = {
    '@odata.context': context(
      ctx,
      parentIdOrName === null ? 'mailFolders' : `mailFolders('${parent.id}')/childFolders`,
    ),
    value: page.map((f) => folderJson(db, f, select)),
  };
  if (skip + pageSize < all.length) {
    // The next page keeps the request's own options, as Graph's nextLink does.
    const next = new URLSearchParams();
    if (select) next.set('$select', select.join(','));
    if (includeHidden) next.set('includeHiddenFolders', 'true');
    next.set('$top', String(pageSize));
    next.set('$skip', String(skip + pageSize));
    body['@odata.nextLink'] =
      `${ctx.baseUrl}${path}?${next.toString().replace(/%24/g, '$').replace(/%2C/g, ',')}`;
  }
  return ok(body);
}
