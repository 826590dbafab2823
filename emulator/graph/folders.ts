/** Mail folder endpoints: one folder (by id or well-known name), the top-level list, a folder's children. */
import type { FolderRow, GraphDb } from './db';
import { NOT_FOUND_MESSAGE, graphError, ok, type GraphResponse, type RequestContext } from './protocol';
import { parseQueryOptions } from './query';
import { MAILBOX } from './seed';

function folderJson(db: GraphDb, f: FolderRow): Record<string, unknown> {
  const counts = db.folderCounts(f.id);
  return {
    id: f.id,
    displayName: f.display_name,
    parentFolderId: f.parent_id ?? '',
    childFolderCount: db.childFolders(f.id).length,
    unreadItemCount: counts.unread,
    totalItemCount: counts.total,
    sizeInBytes: counts.total * 4096,
    isHidden: f.is_hidden === 1,
  };
}

function context(ctx: RequestContext, suffix: string): string {
  return `${ctx.baseUrl}/$metadata#users('${encodeURIComponent(MAILBOX.address)}')/${suffix}`;
}

export function getFolder(db: GraphDb, ctx: RequestContext, idOrName: string): GraphResponse {
  const f = db.resolveFolder(idOrName);
  if (!f) return graphError(ctx, 404, 'ErrorItemNotFound', NOT_FOUND_MESSAGE);
  return ok({ '@odata.context': context(ctx, 'mailFolders/$entity'), ...folderJson(db, f) });
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
  const pageSize = top ?? 10;
  const all = db
    .childFolders(parent.id)
    .filter((f) => f.is_hidden === 0 || params.get('includeHiddenFolders') === 'true');
  const page = all.slice(skip, skip + pageSize);
  const body: Record<string, unknown> = {
    '@odata.context': context(
      ctx,
      parentIdOrName === null ? 'mailFolders' : `mailFolders('${parent.id}')/childFolders`,
    ),
    value: page.map((f) => folderJson(db, f)),
  };
  if (skip + pageSize < all.length) {
    body['@odata.nextLink'] = `${ctx.baseUrl}${path}?$top=${pageSize}&$skip=${skip + pageSize}`;
  }
  return ok(body);
}
