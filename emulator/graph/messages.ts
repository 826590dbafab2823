/**
 * Message endpoints: list a folder's messages (or the whole mailbox's), get one, PATCH one (categories,
 * isRead, importance, singleValueExtendedProperties; subject and body only on drafts), DELETE one
 * (moved to Deleted Items under a new id; deleted for good from there).
 */
import { changeKeyOf, graphId, nowIso, type GraphDb, type MessageChanges, type MessageRow } from './db';
import { DERIVED, normalizePropertyId } from './extendedProperties';
import { checkSelect, filterSubject, messageJson } from './messageJson';
import {
  BadRequest,
  NOT_FOUND_MESSAGE,
  graphError,
  ok,
  type GraphResponse,
  type RequestContext,
} from './protocol';
import { parseQueryOptions, type QueryOptions } from './query';
import { MAILBOX } from './seed';

const DEFAULT_PAGE = 10;

function compareBy(options: QueryOptions): (a: MessageRow, b: MessageRow) => number {
  const order = options.orderBy.length
    ? options.orderBy
    : [{ property: 'receivedDateTime', descending: true }];
  const column: Record<string, (m: MessageRow) => string | number | null> = {
    receivedDateTime: (m) => m.received,
    sentDateTime: (m) => m.sent,
    createdDateTime: (m) => m.created,
    lastModifiedDateTime: (m) => m.last_modified,
    subject: (m) => m.subject.toLowerCase(),
    internetMessageId: (m) => m.internet_message_id,
    conversationId: (m) => m.conversation_id,
    parentFolderId: (m) => m.folder_id,
    importance: (m) => m.importance,
    isDraft: (m) => m.is_draft,
    isRead: (m) => m.is_read,
  };
  return (a, b) => {
    for (const o of order) {
      const get = column[o.property] as (m: MessageRow) => string | number | null;
      const x = get(a) ?? '';
      const y = get(b) ?? '';
      if (x < y) return o.descending ? 1 : -1;
      if (x > y) return o.descending ? -1 : 1;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}

/** `GET …/messages`: `folderId` null lists every folder's messages. */
export function listMessages(
  db: GraphDb,
  ctx: RequestContext,
  folderId: string | null,
  path: string,
  params: ReadonlyMap<string, string>,
): GraphResponse {
  const options = parseQueryOptions(params);
  checkSelect(options.select);
  const rows = (
    folderId === null
      ? db.sqlite.prepare('SELECT * FROM message').all()
      : db.sqlite.prepare('SELECT * FROM message WHERE folder_id = ?').all(folderId)
  ) as MessageRow[];
  const needsProps = options.filter !== null || options.expandIds !== null;
  const stored = (m: MessageRow): ReadonlyMap<string, string> => (needsProps ? db.extProps(m.id) : new Map());
  const matching = (
    options.filter ? rows.filter((m) => options.filter?.(filterSubject(m, stored(m)))) : rows
  ).sort(compareBy(options));
  const pageSize = options.top ?? DEFAULT_PAGE;
  const page = matching.slice(options.skip, options.skip + pageSize);
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.baseUrl}/$metadata#users('${encodeURIComponent(MAILBOX.address)}')/messages${options.select ? `(${options.select.join(',')})` : ''}`,
    value: page.map((m) => messageJson(m, stored(m), { ...options, baseUrl: ctx.baseUrl })),
  };
  if (options.skip + pageSize < matching.length) {
    const next = new Map(params);
    next.set('$top', String(pageSize));
    next.set('$skip', String(options.skip + pageSize));
    body['@odata.nextLink'] =
      `${ctx.baseUrl}${path}?${[...next].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
  }
  return ok(body);
}

export function getMessage(
  db: GraphDb,
  ctx: RequestContext,
  id: string,
  params: ReadonlyMap<string, string>,
): GraphResponse {
  const options = parseQueryOptions(params);
  checkSelect(options.select);
  const m = db.message(id);
  if (!m) return graphError(ctx, 404, 'ErrorItemNotFound', NOT_FOUND_MESSAGE);
  return ok({
    '@odata.context': `${ctx.baseUrl}/$metadata#users('${encodeURIComponent(MAILBOX.address)}')/messages/$entity`,
    ...messageJson(m, db.extProps(id), { ...options, baseUrl: ctx.baseUrl }),
  });
}

const WRITABLE_ALWAYS = new Set([
  'categories',
  'isRead',
  'importance',
  'singleValueExtendedProperties',
  'flag',
  'inferenceClassification',
]);
const WRITABLE_DRAFT = new Set([
  'subject',
  'body',
  'toRecipients',
  'ccRecipients',
  'bccRecipients',
  'replyTo',
  'from',
  'sender',
]);
const READ_ONLY = new Set([
  'id',
  'changeKey',
  'createdDateTime',
  'lastModifiedDateTime',
  'receivedDateTime',
  'sentDateTime',
  'hasAttachments',
  'internetMessageId',
  'bodyPreview',
  'parentFolderId',
  'conversationId',
  'conversationIndex',
  'isDraft',
  'webLink',
]);

/**
 * Whether an `If-Match` header lets a write go ahead: absent, `*`, or naming the item's current
 * version, weak (`W/"<changeKey>"`) or strong (`"<changeKey>"`), in a list or alone.
 */
export function ifMatchAllows(header: string | undefined, changeKey: string): boolean {
  if (header === undefined || header.trim() === '') return true;
  return header.split(',').some((part) => {
    const tag = part.trim();
    if (tag === '*') return true;
    const quoted = /^(?:W\/)?"([^"]*)"$/.exec(tag);
    return (quoted ? quoted[1] : tag) === changeKey;
  });
}

/**
 * `PATCH /me/messages/{id}`: 200 with the updated message, a new changeKey. An `If-Match` naming an
 * older version is 412 `ErrorIrresolvableConflict` and changes nothing (docs/graph-facts.md).
 */
export function patchMessage(
  db: GraphDb,
  ctx: RequestContext,
  id: string,
  text: string,
  ifMatch?: string,
): GraphResponse {
  const m = db.message(id);
  if (!m) return graphError(ctx, 404, 'ErrorItemNotFound', NOT_FOUND_MESSAGE);
  if (!ifMatchAllows(ifMatch, changeKeyOf(m.id, m.seq))) {
    return graphError(
      ctx,
      412,
      'ErrorIrresolvableConflict',
      'The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.',
    );
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text || '{}') as Record<string, unknown>;
  } catch {
    return graphError(ctx, 400, 'RequestBodyRead', 'Invalid JSON in the request body.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return graphError(ctx, 400, 'RequestBodyRead', 'The request body must be a JSON object.');
  }
  const columns: MessageChanges = {};
  const props: [string, string][] = [];
  for (const [name, value] of Object.entries(body)) {
    if (name.startsWith('@odata.')) continue;
    if (READ_ONLY.has(name)) {
      return graphError(
        ctx,
        400,
        'ErrorInvalidPropertyRequest',
        `The property '${name}' is read-only and cannot be set.`,
      );
    }
    if (WRITABLE_DRAFT.has(name) && m.is_draft !== 1) {
      return graphError(
        ctx,
        400,
        'ErrorInvalidPropertyUpdateSentMessage',
        `Update operation is not allowed for property '${name}' for sent message.`,
      );
    }
    if (!WRITABLE_ALWAYS.has(name) && !WRITABLE_DRAFT.has(name)) {
      return graphError(
        ctx,
        400,
        'RequestBodyRead',
        `The property '${name}' does not exist on type 'microsoft.graph.message'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
      );
    }
    if (name === 'categories') {
      if (!Array.isArray(value) || value.some((c) => typeof c !== 'string')) {
        return graphError(
          ctx,
          400,
          'RequestBodyRead',
          "The property 'categories' must be an array of strings.",
        );
      }
      columns.categories_json = JSON.stringify(value);
    } else if (name === 'isRead') {
      if (typeof value !== 'boolean')
        return graphError(ctx, 400, 'RequestBodyRead', "The property 'isRead' must be a boolean.");
      columns.is_read = value ? 1 : 0;
    } else if (name === 'importance') {
      if (value !== 'low' && value !== 'normal' && value !== 'high') {
        return graphError(
          ctx,
          400,
          'RequestBodyRead',
          `The value '${String(value)}' is not valid for 'importance'.`,
        );
      }
      columns.importance = value;
    } else if (name === 'subject') {
      if (typeof value !== 'string')
        return graphError(ctx, 400, 'RequestBodyRead', "The property 'subject' must be a string.");
      columns.subject = value;
    } else if (name === 'body') {
      const content = (value as { content?: unknown } | null)?.content;
      if (typeof content !== 'string')
        return graphError(ctx, 400, 'RequestBodyRead', "The property 'body' needs a content string.");
      columns.body = content;
    } else if (name === 'singleValueExtendedProperties') {
      if (!Array.isArray(value)) {
        return graphError(
          ctx,
          400,
          'RequestBodyRead',
          "The property 'singleValueExtendedProperties' must be an array.",
        );
      }
      for (const entry of value as { id?: unknown; value?: unknown }[]) {
        if (typeof entry?.id !== 'string' || typeof entry.value !== 'string') {
          return graphError(
            ctx,
            400,
            'RequestBodyRead',
            'Each extended property needs a string id and a string value.',
          );
        }
        let propId: string;
        try {
          propId = normalizePropertyId(entry.id);
        } catch (error) {
          const e = error as BadRequest;
          return graphError(ctx, e.status, e.code, e.message);
        }
        if (DERIVED[propId]) {
          return graphError(
            ctx,
            400,
            'ErrorInvalidPropertyRequest',
            `The property '${entry.id}' is set by the server and cannot be changed.`,
          );
        }
        props.push([propId, entry.value]);
      }
    }
    // flag, inferenceClassification, recipients of a draft: accepted, not kept (the add-in does not use them).
  }
  db.transaction(() => {
    for (const [propId, value] of props) db.setExtProp(id, propId, value);
    db.touchMessage(id, columns, nowIso(ctx.now));
    db.noteApiChange(id);
  });
  return getMessage(db, ctx, id, new Map());
}

/** `DELETE /me/messages/{id}`: 204; the message moves to Deleted Items, or is gone when it was there. */
export function deleteMessage(db: GraphDb, ctx: RequestContext, id: string): GraphResponse {
  const m = db.message(id);
  if (!m) return graphError(ctx, 404, 'ErrorItemNotFound', NOT_FOUND_MESSAGE);
  const deleted = db.resolveFolder('deleteditems');
  db.transaction(() => {
    if (deleted && m.folder_id !== deleted.id) {
      db.removeMessage(id, {
        folderId: deleted.id,
        newId: graphId('message', `${id}@deleted#${db.currentSeq()}`),
        now: nowIso(ctx.now),
      });
    } else db.removeMessage(id);
  });
  return { status: 204, headers: {} };
}
