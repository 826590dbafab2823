/** `GET/POST /me/outlook/masterCategories`: the user's category list (unique names, preset colours). */
import { graphId, type GraphDb } from './db';
import { graphError, ok, type GraphResponse, type RequestContext } from './protocol';
import { MAILBOX } from './seed';

const COLORS = new Set(['none', ...Array.from({ length: 25 }, (_, i) => `preset${i}`)]);

function categoryJson(c: { id: string; display_name: string; color: string }): Record<string, string> {
  return { id: c.id, displayName: c.display_name, color: c.color };
}

export function listCategories(db: GraphDb, ctx: RequestContext): GraphResponse {
  return ok({
    '@odata.context': `${ctx.baseUrl}/$metadata#users('${encodeURIComponent(MAILBOX.address)}')/outlook/masterCategories`,
    value: db.categories().map(categoryJson),
  });
}

export function createCategory(db: GraphDb, ctx: RequestContext, text: string): GraphResponse {
  let body: { displayName?: unknown; color?: unknown };
  try {
    body = JSON.parse(text || '{}') as typeof body;
  } catch {
    return graphError(ctx, 400, 'RequestBodyRead', 'Invalid JSON in the request body.');
  }
  const name = typeof body.displayName === 'string' ? body.displayName.trim() : '';
  if (!name) return graphError(ctx, 400, 'ErrorInvalidRequest', 'The category needs a displayName.');
  const color = body.color === undefined ? 'none' : body.color;
  if (typeof color !== 'string' || !COLORS.has(color.toLowerCase())) {
    return graphError(
      ctx,
      400,
      'RequestBodyRead',
      `The value '${String(color)}' is not a valid categoryColor.`,
    );
  }
  if (db.categoryByName(name)) {
    return graphError(ctx, 409, 'ErrorDuplicateCategoryName', `A category named '${name}' already exists.`);
  }
  const row = {
    id: graphId('category', `${name}#${db.categories().length}`),
    display_name: name,
    color: color.toLowerCase(),
  };
  db.insertCategory(row);
  return ok(
    {
      '@odata.context': `${ctx.baseUrl}/$metadata#users('${encodeURIComponent(MAILBOX.address)}')/outlook/masterCategories/$entity`,
      ...categoryJson(row),
    },
    201,
  );
}
