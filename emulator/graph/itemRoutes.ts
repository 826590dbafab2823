/**
 * Which endpoint answers a request for contacts, calendar events or To Do tasks (the rest of the
 * router is service.ts). Paths are under `/me` (`rest` is what follows it); null: not one of these.
 *
 * The default contact folder is named by its id or, as Exchange's distinguished folder, by
 * `contacts` (chosen: the contactFolder docs give no well-known names, and `GET /me/contactFolders`
 * lists only its child folders). The To Do list is named by its id.
 */
import {
  contactFolderJson,
  createContact,
  deleteContact,
  getContact,
  listContactFolders,
  listContacts,
  patchContact,
} from './contacts';
import type { GraphDb } from './db';
import { calendarView, createEvent, deleteEvent, getEvent, listEvents, patchEvent } from './events';
import { deltaItems } from './itemDelta';
import { CONTAINERS } from './itemStore';
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
import {
  createLinkedResource,
  createTask,
  deleteLinkedResource,
  deleteTask,
  getLinkedResource,
  getTask,
  getTaskList,
  listLinkedResources,
  listTaskLists,
  listTasks,
  patchTask,
} from './todo';

const DELTA = /^(delta|microsoft\.graph\.delta(\(\))?)$/;

function notAllowed(ctx: RequestContext, method: string): GraphResponse {
  return graphError(
    ctx,
    405,
    'Request_BadRequest',
    `The HTTP method '${method}' is not allowed on this resource.`,
  );
}

/** An id that is not there: 404, as for messages; one that cannot be an id: 400, as for messages. */
const notFound = (): BadRequest => new BadRequest('ErrorItemNotFound', NOT_FOUND_MESSAGE, 404);

function checkId(id: string): string {
  if (!looksLikeId(id)) throw new BadRequest('ErrorInvalidIdMalformed', 'Id is malformed.');
  return id;
}

export function routeItems(
  db: GraphDb,
  req: GraphRequest,
  ctx: RequestContext,
  rest: readonly string[],
  params: ReadonlyMap<string, string>,
): GraphResponse | null {
  const { method } = req;
  const path = `/me/${rest.map(encodeURIComponent).join('/')}`;
  const [s1, s2, s3, s4, s5, s6, s7] = rest;

  // Contacts: /me/contacts[...] and /me/contactFolders/{id}/contacts[...] are the same collection.
  let contactRest: readonly string[] | null = null;
  if (s1 === 'contacts') contactRest = rest.slice(1);
  if (s1 === 'contactFolders') {
    if (rest.length === 1) return method === 'GET' ? listContactFolders(ctx) : notAllowed(ctx, method);
    if (s2 !== CONTAINERS.contacts && s2?.toLowerCase() !== 'contacts') throw notFound();
    if (rest.length === 2) return method === 'GET' ? ok(contactFolderJson(ctx)) : notAllowed(ctx, method);
    if (s3 === 'childFolders' && rest.length === 3)
      return method === 'GET' ? listContactFolders(ctx) : notAllowed(ctx, method);
    if (s3 === 'contacts') contactRest = rest.slice(3);
  }
  if (contactRest) {
    const [c1] = contactRest;
    if (contactRest.length === 0) {
      if (method === 'GET') return listContacts(db, ctx, path, params);
      if (method === 'POST') return createContact(db, ctx, req.body);
      return notAllowed(ctx, method);
    }
    if (contactRest.length === 1 && DELTA.test(c1 as string)) {
      if (method !== 'GET') return notAllowed(ctx, method);
      return deltaItems(
        db,
        ctx,
        { kind: 'contact', parentId: CONTAINERS.contacts, path },
        params,
        req.headers,
      );
    }
    if (contactRest.length === 1) {
      const id = checkId(c1 as string);
      if (method === 'GET') return getContact(db, ctx, id, params);
      if (method === 'PATCH') return patchContact(db, ctx, id, req.body, req.headers['if-match']);
      if (method === 'DELETE') return deleteContact(db, ctx, id, req.headers['if-match']);
      return notAllowed(ctx, method);
    }
    return null;
  }

  // Events: /me/events/{id}, /me/calendarView[/delta]; also under /me/calendar.
  const eventRest = s1 === 'calendar' ? rest.slice(1) : rest;
  const [e1, e2, e3] = eventRest;
  if (e1 === 'calendarView') {
    if (method !== 'GET') return notAllowed(ctx, method);
    if (eventRest.length === 1) return calendarView(db, ctx, path, params, req.headers);
    if (eventRest.length === 2 && DELTA.test(e2 as string))
      return deltaItems(db, ctx, { kind: 'event', parentId: CONTAINERS.calendar, path }, params, req.headers);
    return null;
  }
  if (e1 === 'events') {
    if (eventRest.length === 1) {
      if (method === 'POST') return createEvent(db, ctx, req.body, req.headers);
      if (method === 'GET') return listEvents(db, ctx, path, params, req.headers);
      return notAllowed(ctx, method);
    }
    if (eventRest.length === 2 && e3 === undefined) {
      const id = checkId(e2 as string);
      if (method === 'GET') return getEvent(db, ctx, id, params, req.headers);
      if (method === 'PATCH') return patchEvent(db, ctx, id, req.body, req.headers);
      if (method === 'DELETE') return deleteEvent(db, ctx, id, req.headers['if-match']);
      return notAllowed(ctx, method);
    }
    return null;
  }

  // To Do: /me/todo/lists[/{id}[/tasks[/delta | /{id}[/linkedResources[/{id}]]]]]
  if (s1 === 'todo' && s2 === 'lists') {
    if (rest.length === 2) return method === 'GET' ? listTaskLists(ctx) : notAllowed(ctx, method);
    if (s3 !== CONTAINERS.tasks) throw notFound();
    if (rest.length === 3) return method === 'GET' ? getTaskList(ctx) : notAllowed(ctx, method);
    if (s4 !== 'tasks') return null;
    if (rest.length === 4) {
      if (method === 'GET') return listTasks(db, ctx, path, params, req.headers);
      if (method === 'POST') return createTask(db, ctx, req.body, req.headers);
      return notAllowed(ctx, method);
    }
    if (rest.length === 5 && DELTA.test(s5 as string)) {
      if (method !== 'GET') return notAllowed(ctx, method);
      return deltaItems(db, ctx, { kind: 'task', parentId: CONTAINERS.tasks, path }, params, req.headers);
    }
    const taskId = checkId(s5 as string);
    if (rest.length === 5) {
      if (method === 'GET') return getTask(db, ctx, taskId, params, req.headers);
      if (method === 'PATCH') return patchTask(db, ctx, taskId, req.body, req.headers);
      if (method === 'DELETE') return deleteTask(db, taskId);
      return notAllowed(ctx, method);
    }
    if (s6 === 'linkedResources' && rest.length === 6) {
      if (method === 'GET') return listLinkedResources(db, ctx, taskId);
      if (method === 'POST') return createLinkedResource(db, ctx, taskId, req.body);
      return notAllowed(ctx, method);
    }
    if (s6 === 'linkedResources' && rest.length === 7) {
      if (method === 'GET') return getLinkedResource(db, ctx, taskId, s7 as string);
      if (method === 'DELETE') return deleteLinkedResource(db, ctx, taskId, s7 as string);
      return notAllowed(ctx, method);
    }
  }
  return null;
}
