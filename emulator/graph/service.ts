/**
 * The router: which endpoint answers a request under `/v1.0`. `/users/{id | address}/…` is the same
 * mailbox as `/me/…` when it names the demo user. `$batch` runs each of its requests back through here
 * (see batch.ts), so a request answers the same alone or in a batch. Contacts, events and To Do tasks
 * are routed by itemRoutes.ts.
 */
import { runBatch, type SubRequestRunner } from './batch';
import { createCategory, listCategories } from './categories';
import type { GraphDb } from './db';
import { deltaMessages } from './delta';
import { getFolder, listFolders } from './folders';
import { routeItems } from './itemRoutes';
import { deleteMessage, getMessage, listMessages, patchMessage } from './messages';
import {
  BadRequest,
  NOT_FOUND_MESSAGE,
  graphError,
  looksLikeId,
  ok,
  type GraphRequest,
  type GraphResponse,
  type RequestContext,
} from './protocol';
import { parseQueryString } from './query';
import { MAILBOX, ME } from './seed';

export class GraphService {
  constructor(private readonly db: GraphDb) {}

  dispatch(req: GraphRequest, ctx: RequestContext, runSub: SubRequestRunner): GraphResponse {
    try {
      return this.route(req, ctx, runSub);
    } catch (error) {
      if (error instanceof BadRequest) return graphError(ctx, error.status, error.code, error.message);
      throw error;
    }
  }

  private route(req: GraphRequest, ctx: RequestContext, runSub: SubRequestRunner): GraphResponse {
    const { method } = req;
    const rawPath = req.url.split('?')[0] as string;
    const params = parseQueryString(req.url);
    let segments: string[];
    try {
      segments = rawPath.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      return graphError(ctx, 400, 'BadRequest', `The path '${rawPath}' is not valid URL encoding.`);
    }
    if (segments[0] === '$batch') {
      if (method !== 'POST') return this.notAllowed(ctx, method);
      return runBatch(req.body, ctx, runSub);
    }
    if (segments[0] === 'users') {
      const who = segments[1] ?? '';
      if (who.toLowerCase() !== MAILBOX.address && who !== MAILBOX.userId) {
        return graphError(ctx, 404, 'ErrorInvalidUser', `The requested user '${who}' is invalid.`);
      }
      segments = ['me', ...segments.slice(2)];
    }
    if (segments[0] !== 'me') {
      return graphError(ctx, 400, 'BadRequest', `Resource not found for the segment '${segments[0] ?? ''}'.`);
    }
    const path = `/${segments.map(encodeURIComponent).join('/')}`;
    const rest = segments.slice(1);
    const [s1, s2, s3, s4] = rest;

    if (rest.length === 0) {
      if (method !== 'GET') return this.notAllowed(ctx, method);
      return ok({
        '@odata.context': `${ctx.baseUrl}/$metadata#users/$entity`,
        id: MAILBOX.userId,
        displayName: ME.name,
        mail: ME.address,
        userPrincipalName: ME.address,
      });
    }
    if (s1 === 'outlook' && s2 === 'masterCategories' && rest.length === 2) {
      if (method === 'GET') return listCategories(this.db, ctx);
      if (method === 'POST') return createCategory(this.db, ctx, req.body);
      return this.notAllowed(ctx, method);
    }
    if (s1 === 'messages') {
      if (rest.length === 1) {
        if (method !== 'GET') return this.notAllowed(ctx, method);
        return listMessages(this.db, ctx, null, path, params);
      }
      if (rest.length === 2) return this.oneMessage(req, ctx, s2 as string, params);
    }
    if (s1 === 'mailFolders') {
      if (rest.length === 1) {
        if (method !== 'GET') return this.notAllowed(ctx, method);
        return listFolders(this.db, ctx, null, path, params);
      }
      const folderRef = s2 as string;
      const folder = this.db.resolveFolder(folderRef);
      if (!folder) {
        return looksLikeId(folderRef)
          ? graphError(ctx, 404, 'ErrorItemNotFound', NOT_FOUND_MESSAGE)
          : graphError(ctx, 400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
      }
      if (rest.length === 2) {
        if (method !== 'GET') return this.notAllowed(ctx, method);
        return getFolder(this.db, ctx, folder.id, params);
      }
      if (s3 === 'childFolders' && rest.length === 3) {
        if (method !== 'GET') return this.notAllowed(ctx, method);
        return listFolders(this.db, ctx, folder.id, path, params);
      }
      if (s3 === 'messages') {
        if (rest.length === 3) {
          if (method !== 'GET') return this.notAllowed(ctx, method);
          return listMessages(this.db, ctx, folder.id, path, params);
        }
        if (rest.length === 4 && /^(delta|microsoft\.graph\.delta(\(\))?)$/.test(s4 as string)) {
          if (method !== 'GET') return this.notAllowed(ctx, method);
          return deltaMessages(this.db, ctx, folder.id, params, req.headers);
        }
        if (rest.length === 4) {
          const m = this.db.message(s4 as string);
          if (m && m.folder_id !== folder.id)
            return graphError(ctx, 404, 'ErrorItemNotFound', NOT_FOUND_MESSAGE);
          return this.oneMessage(req, ctx, s4 as string, params);
        }
      }
    }
    const itemAnswer = routeItems(this.db, req, ctx, rest, params);
    if (itemAnswer) return itemAnswer;
    return graphError(
      ctx,
      400,
      'BadRequest',
      `Resource not found for the segment '${segments[segments.length - 1] ?? ''}'.`,
    );
  }

  private oneMessage(
    req: GraphRequest,
    ctx: RequestContext,
    id: string,
    params: ReadonlyMap<string, string>,
  ): GraphResponse {
    if (!this.db.message(id) && !looksLikeId(id)) {
      return graphError(ctx, 400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
    }
    if (req.method === 'GET') return getMessage(this.db, ctx, id, params);
    if (req.method === 'PATCH') return patchMessage(this.db, ctx, id, req.body, req.headers['if-match']);
    if (req.method === 'DELETE') return deleteMessage(this.db, ctx, id);
    return this.notAllowed(ctx, req.method);
  }

  private notAllowed(ctx: RequestContext, method: string): GraphResponse {
    return graphError(
      ctx,
      405,
      'Request_BadRequest',
      `The HTTP method '${method}' is not allowed on this resource.`,
    );
  }
}
