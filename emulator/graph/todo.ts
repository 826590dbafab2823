/**
 * Microsoft To Do (Graph v1.0 `todoTaskList`, `todoTask`, `linkedResource`): one list, the default
 * one (`wellknownListName` `defaultList`, "Tasks"); its tasks listed, created, read, PATCHed, deleted;
 * each task's linked resources (created inline with the task, as "Create todoTask" allows, or by
 * `POST …/linkedResources`; read, deleted; `$expand=linkedResources`).
 *
 * todoTask has no `changeKey` in v1.0 (todoTask resource type lists none); it carries an
 * `@odata.etag`, and the emulator does not check `If-Match` on tasks (chosen: Graph documents none for
 * To Do). Adding or removing a linked resource gives the task a new version and a place in the next
 * delta (chosen: the docs are silent; the add-in keeps its CRM link there, so a sync must see it).
 *
 * Times (`dueDateTime`, `completedDateTime`) are `{dateTime, timeZone}`, kept as instants and written
 * in UTC or in the zone of `Prefer: outlook.timezone` (chosen: as for events). Setting `status`
 * `completed` stamps `completedDateTime` (now) unless the body gives one; another status clears it, as
 * To Do does.
 */
import { changeKeyOf, nowIso, type GraphDb } from './db';
import {
  expectOneOf,
  expectString,
  expectStrings,
  findItem,
  itemFilterSubject,
  type ItemQuery,
  listPage,
  parseItemQuery,
  readDateTimeTimeZone,
  readItemBody,
  readJsonObject,
  readOnlyProperty,
  unknownProperty,
} from './itemCommon';
import {
  CONTAINERS,
  itemChangeKey,
  itemStore,
  newItemId,
  type ItemRow,
  type LinkedResourceRow,
} from './itemStore';
import { BadRequest, NOT_FOUND_MESSAGE, ok, type GraphResponse, type RequestContext } from './protocol';
import { MAILBOX } from './mailboxOwner';
import { preferenceApplied } from './preferences';
import { dateTimeTimeZone, preferredZone } from './timeZones';

export const TASK_STATUSES = [
  'notStarted',
  'inProgress',
  'completed',
  'waitingOnOthers',
  'deferred',
] as const;
const IMPORTANCE = ['low', 'normal', 'high'] as const;
const READ_ONLY = new Set([
  'id',
  'createdDateTime',
  'lastModifiedDateTime',
  'bodyLastModifiedDateTime',
  'hasAttachments',
]);
const LINKED_FIELDS = ['webUrl', 'applicationName', 'displayName', 'externalId'] as const;

interface TaskData {
  title: string;
  body: { content: string; contentType: 'text' | 'html' };
  importance: string;
  status: string;
  isReminderOn: boolean;
  categories: string[];
  due: { ms: number; zone: string } | null;
  completed: { ms: number; zone: string } | null;
  bodyLastModified: string;
}

const me = (): string => `users('${encodeURIComponent(MAILBOX.address)}')`;

/** The one list. */
export function taskListJson(): Record<string, unknown> {
  return {
    '@odata.etag': `W/"${changeKeyOf(CONTAINERS.tasks, 0)}"`,
    displayName: 'Tasks',
    isOwner: true,
    isShared: false,
    wellknownListName: 'defaultList',
    id: CONTAINERS.tasks,
  };
}

export function listTaskLists(ctx: RequestContext): GraphResponse {
  return ok({ '@odata.context': `${ctx.baseUrl}/$metadata#${me()}/todo/lists`, value: [taskListJson()] });
}

export function getTaskList(ctx: RequestContext): GraphResponse {
  return ok({ '@odata.context': `${ctx.baseUrl}/$metadata#${me()}/todo/lists/$entity`, ...taskListJson() });
}

function linkedJson(row: LinkedResourceRow): Record<string, unknown> {
  const data = JSON.parse(row.data) as Record<string, string | null>;
  return {
    webUrl: data.webUrl ?? null,
    applicationName: data.applicationName ?? null,
    displayName: data.displayName ?? null,
    externalId: data.externalId ?? null,
    id: row.id,
  };
}

function readLinked(value: unknown): Record<string, string | null> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new BadRequest('RequestBodyRead', 'A linkedResource must be a JSON object.');
  const out: Record<string, string | null> = {};
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    if (name.startsWith('@odata.')) continue;
    if (name === 'id') throw readOnlyProperty(name);
    if (!(LINKED_FIELDS as readonly string[]).includes(name)) throw unknownProperty(name, 'linkedResource');
    out[name] = expectString(name, v);
  }
  return out;
}

/** Every property of a task, in Graph's order; `dueDateTime`/`completedDateTime` only when set. */
export function taskJson(row: ItemRow, zone: string): Record<string, unknown> {
  const data = JSON.parse(row.data) as TaskData;
  return {
    '@odata.etag': `W/"${itemChangeKey(row)}"`,
    importance: data.importance,
    isReminderOn: data.isReminderOn,
    status: data.status,
    title: data.title,
    createdDateTime: row.created,
    lastModifiedDateTime: row.last_modified,
    hasAttachments: false,
    categories: data.categories,
    id: row.id,
    body: data.body,
    bodyLastModifiedDateTime: data.bodyLastModified,
    ...(data.due ? { dueDateTime: dateTimeTimeZone(data.due.ms, zone) } : {}),
    ...(data.completed ? { completedDateTime: dateTimeTimeZone(data.completed.ms, zone) } : {}),
  };
}

export const TASK_PROPERTIES: ReadonlySet<string> = new Set([
  ...Object.keys(
    taskJson(
      {
        id: 'x',
        kind: 'task',
        parent_id: 'x',
        seq: 0,
        created: '',
        last_modified: '',
        data: JSON.stringify({ body: {}, categories: [] }),
        start_ms: null,
        end_ms: null,
      },
      'UTC',
    ),
  ),
  'dueDateTime',
  'completedDateTime',
]);

/** A task as a query asks for it (also what a delta page holds). */
export function renderTask(
  db: GraphDb,
  ctx: RequestContext,
  row: ItemRow,
  query: Pick<ItemQuery, 'select' | 'expandLinked'>,
  zone: string,
): Record<string, unknown> {
  const full = taskJson(row, zone);
  let out = full;
  if (query.select) {
    out = { '@odata.etag': full['@odata.etag'], id: row.id };
    for (const name of query.select) if (name in full) out[name] = full[name];
  }
  if (query.expandLinked) {
    out['linkedResources@odata.context'] =
      `${ctx.baseUrl}/$metadata#${me()}/todo/lists('${row.parent_id}')/tasks('${row.id}')/linkedResources`;
    out.linkedResources = itemStore(db).linkedResources(row.id).map(linkedJson);
  }
  return out;
}

/** To Do's due and completed dates may be cleared with null. */
function readTime(name: string, value: unknown): { ms: number; zone: string } | null {
  return value === null ? null : readDateTimeTimeZone(name, value);
}

function applyBody(
  base: TaskData,
  body: Record<string, unknown>,
  now: string,
): { data: TaskData; linked: Record<string, string | null>[] } {
  const data: TaskData = { ...base };
  let linked: Record<string, string | null>[] = [];
  for (const [name, value] of Object.entries(body)) {
    if (name.startsWith('@odata.')) continue;
    if (READ_ONLY.has(name)) throw readOnlyProperty(name);
    switch (name) {
      case 'title':
        data.title = expectString(name, value) ?? '';
        break;
      case 'body': {
        data.body = readItemBody(value);
        data.bodyLastModified = now;
        break;
      }
      case 'importance':
        data.importance = expectOneOf(name, value, IMPORTANCE);
        break;
      case 'status':
        data.status = expectOneOf(name, value, TASK_STATUSES);
        break;
      case 'isReminderOn':
        if (typeof value !== 'boolean')
          throw new BadRequest('RequestBodyRead', `The property '${name}' must be a boolean.`);
        data.isReminderOn = value;
        break;
      case 'categories':
        data.categories = expectStrings(name, value);
        break;
      case 'dueDateTime':
        data.due = readTime(name, value);
        break;
      case 'completedDateTime':
        data.completed = readTime(name, value);
        break;
      case 'linkedResources':
        if (!Array.isArray(value))
          throw new BadRequest('RequestBodyRead', "The property 'linkedResources' must be an array.");
        linked = value.map(readLinked);
        break;
      default:
        throw unknownProperty(name, 'todoTask');
    }
  }
  if ('status' in body && !('completedDateTime' in body)) {
    if (data.status === 'completed' && !data.completed) data.completed = { ms: Date.parse(now), zone: 'UTC' };
    if (data.status !== 'completed') data.completed = null;
  }
  return { data, linked };
}

function notFound(): BadRequest {
  return new BadRequest('ErrorItemNotFound', NOT_FOUND_MESSAGE, 404);
}

export function findTask(db: GraphDb, id: string): ItemRow {
  return findItem(db, 'task', id);
}

function taskContext(ctx: RequestContext): string {
  return `${ctx.baseUrl}/$metadata#${me()}/todo/lists('${CONTAINERS.tasks}')/tasks`;
}

export function listTasks(
  db: GraphDb,
  ctx: RequestContext,
  path: string,
  params: ReadonlyMap<string, string>,
  headers: Readonly<Record<string, string>>,
): GraphResponse {
  const query = parseItemQuery(params, 'todoTask', TASK_PROPERTIES);
  const zone = preferredZone(headers);
  const rows = itemStore(db)
    .items('task', CONTAINERS.tasks)
    .filter((row) => {
      if (!query.filter) return true;
      const data = JSON.parse(row.data) as TaskData;
      return query.filter(
        itemFilterSubject(
          {
            createdDateTime: row.created,
            lastModifiedDateTime: row.last_modified,
            importance: data.importance,
          },
          data.categories,
          new Map(),
        ),
      );
    });
  return listPage(
    ctx,
    path,
    params,
    taskContext(ctx),
    rows,
    (r) => renderTask(db, ctx, r, query, zone),
    query,
    preferenceApplied(headers),
  );
}

export function getTask(
  db: GraphDb,
  ctx: RequestContext,
  id: string,
  params: ReadonlyMap<string, string>,
  headers: Readonly<Record<string, string>>,
): GraphResponse {
  const query = parseItemQuery(params, 'todoTask', TASK_PROPERTIES);
  const row = findTask(db, id);
  return ok(
    {
      '@odata.context': `${taskContext(ctx)}/$entity`,
      ...renderTask(db, ctx, row, query, preferredZone(headers)),
    },
    200,
    preferenceApplied(headers),
  );
}

/** `POST …/tasks`: 201 with the task (and its linked resources when the body had some). */
export function createTask(
  db: GraphDb,
  ctx: RequestContext,
  text: string,
  headers: Readonly<Record<string, string>>,
  id: string = newItemId('task'),
): GraphResponse {
  const now = nowIso(ctx.now);
  const empty: TaskData = {
    title: '',
    body: { content: '', contentType: 'text' },
    importance: 'normal',
    status: 'notStarted',
    isReminderOn: false,
    categories: [],
    due: null,
    completed: null,
    bodyLastModified: now,
  };
  const { data, linked } = applyBody(empty, readJsonObject(text), now);
  const store = itemStore(db);
  const row = db.transaction(() => {
    const inserted = store.create('task', id, data, now);
    for (const l of linked)
      store.insertLinkedResource({
        id: newItemId('linkedResource'),
        task_id: inserted.id,
        data: JSON.stringify(l),
      });
    return inserted;
  });
  return ok(
    {
      '@odata.context': `${taskContext(ctx)}/$entity`,
      ...renderTask(db, ctx, row, { select: null, expandLinked: linked.length > 0 }, preferredZone(headers)),
    },
    201,
    preferenceApplied(headers),
  );
}

/** `PATCH …/tasks/{id}`: 200 with the task. */
export function patchTask(
  db: GraphDb,
  ctx: RequestContext,
  id: string,
  text: string,
  headers: Readonly<Record<string, string>>,
): GraphResponse {
  const row = findTask(db, id);
  const body = readJsonObject(text);
  if ('linkedResources' in body) throw readOnlyProperty('linkedResources');
  const now = nowIso(ctx.now);
  const { data } = applyBody(JSON.parse(row.data) as TaskData, body, now);
  db.transaction(() => itemStore(db).update('task', id, { data: JSON.stringify(data) }, now));
  return getTask(db, ctx, id, new Map(), headers);
}

export function deleteTask(db: GraphDb, id: string): GraphResponse {
  findTask(db, id);
  db.transaction(() => itemStore(db).remove('task', id));
  return { status: 204, headers: {} };
}

function linkedContext(ctx: RequestContext, taskId: string): string {
  return `${ctx.baseUrl}/$metadata#${me()}/todo/lists('${CONTAINERS.tasks}')/tasks('${taskId}')/linkedResources`;
}

export function listLinkedResources(db: GraphDb, ctx: RequestContext, taskId: string): GraphResponse {
  findTask(db, taskId);
  return ok({
    '@odata.context': linkedContext(ctx, taskId),
    value: itemStore(db).linkedResources(taskId).map(linkedJson),
  });
}

/** `POST …/tasks/{id}/linkedResources`: 201 with the linked resource. */
export function createLinkedResource(
  db: GraphDb,
  ctx: RequestContext,
  taskId: string,
  text: string,
): GraphResponse {
  findTask(db, taskId);
  const data = readLinked(readJsonObject(text));
  const store = itemStore(db);
  const id = newItemId('linkedResource');
  db.transaction(() => {
    store.insertLinkedResource({ id, task_id: taskId, data: JSON.stringify(data) });
    store.touch('task', taskId, nowIso(ctx.now));
  });
  return ok(
    {
      '@odata.context': `${linkedContext(ctx, taskId)}/$entity`,
      ...linkedJson(store.linkedResource(taskId, id) as LinkedResourceRow),
    },
    201,
  );
}

export function getLinkedResource(
  db: GraphDb,
  ctx: RequestContext,
  taskId: string,
  id: string,
): GraphResponse {
  findTask(db, taskId);
  const row = itemStore(db).linkedResource(taskId, id);
  if (!row) throw notFound();
  return ok({ '@odata.context': `${linkedContext(ctx, taskId)}/$entity`, ...linkedJson(row) });
}

export function deleteLinkedResource(
  db: GraphDb,
  ctx: RequestContext,
  taskId: string,
  id: string,
): GraphResponse {
  findTask(db, taskId);
  const store = itemStore(db);
  if (!store.linkedResource(taskId, id)) throw notFound();
  db.transaction(() => {
    store.deleteLinkedResource(id);
    store.touch('task', taskId, nowIso(ctx.now));
  });
  return { status: 204, headers: {} };
}
