/**
 * Calendar events (Graph's `event` resource, v1.0), single instances in the default calendar: create,
 * get, PATCH, DELETE, and `calendarView` (the events that overlap a window). Recurrence is not
 * expanded: a `recurrence` in a body is refused (README "What of Graph it leaves out").
 *
 * Times: `start`/`end` are `{dateTime, timeZone}`; the emulator keeps the instant and the zone the
 * client wrote (`originalStartTimeZone`, `originalEndTimeZone`) and answers in UTC, or in the zone of
 * `Prefer: outlook.timezone="…"` (event resource type: "By default, start and end are returned in
 * UTC"). An all-day event's start and end must be midnight in their zone and its end after its start;
 * Graph refuses either with 400 `ErrorPropertyValidationFailure` "At least one property failed
 * validation." (microsoftgraph/microsoft-graph-docs#7919), as it does an end before the start.
 * `Prefer: outlook.body-content-type` converts the body (preferences.ts).
 */
import { nowIso, type GraphDb } from './db';
import {
  checkIfMatch,
  deleteItem,
  expectOneOf,
  expectString,
  expectStrings,
  findItem,
  itemFilterSubject,
  listPage,
  parseItemQuery,
  projectItem,
  readDateTimeTimeZone,
  readExtendedProperties,
  readItemBody,
  readJsonObject,
  readOnlyProperty,
  unknownProperty,
} from './itemCommon';
import { CONTAINERS, itemChangeKey, itemStore, newItemId, type ItemRow } from './itemStore';
import { BadRequest, ok, type GraphResponse, type RequestContext } from './protocol';
import { ME, MAILBOX } from './mailboxOwner';
import { bodyAs, itemView, preferenceApplied, type ItemView } from './preferences';
import { dateTimeTimeZone, isMidnight } from './timeZones';

const IMPORTANCE = ['low', 'normal', 'high'] as const;
const SHOW_AS = ['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown'] as const;
const SENSITIVITY = ['normal', 'personal', 'private', 'confidential'] as const;
const ATTENDEE_TYPES = ['required', 'optional', 'resource'] as const;
const RESPONSES = [
  'none',
  'organizer',
  'tentativelyAccepted',
  'accepted',
  'declined',
  'notResponded',
] as const;
const READ_ONLY = new Set([
  'id',
  'changeKey',
  'createdDateTime',
  'lastModifiedDateTime',
  'iCalUId',
  'webLink',
  'type',
  'seriesMasterId',
  'isOrganizer',
  'originalStartTimeZone',
  'originalEndTimeZone',
  'bodyPreview',
  'responseStatus',
  'hasAttachments',
]);

interface Attendee {
  type: (typeof ATTENDEE_TYPES)[number];
  emailAddress: { name: string; address: string };
  status: { response: string; time: string };
}

interface EventData {
  subject: string;
  body: { contentType: 'text' | 'html'; content: string };
  isAllDay: boolean;
  startZone: string;
  endZone: string;
  location: { displayName: string };
  attendees: Attendee[];
  organizer: { emailAddress: { name: string; address: string } };
  importance: string;
  showAs: string;
  sensitivity: string;
  isCancelled: boolean;
  categories: string[];
  isReminderOn: boolean;
  reminderMinutesBeforeStart: number;
}

const failedValidation = (): BadRequest =>
  new BadRequest('ErrorPropertyValidationFailure', 'At least one property failed validation.');

function emptyEvent(): EventData {
  return {
    subject: '',
    body: { contentType: 'text', content: '' },
    isAllDay: false,
    startZone: 'UTC',
    endZone: 'UTC',
    location: { displayName: '' },
    attendees: [],
    // The signed-in user organizes what they create.
    organizer: { emailAddress: { name: ME.name, address: ME.address } },
    importance: 'normal',
    showAs: 'busy',
    sensitivity: 'normal',
    isCancelled: false,
    categories: [],
    isReminderOn: true,
    reminderMinutesBeforeStart: 15,
  };
}

function readEmailAddress(value: unknown): { name: string; address: string } {
  const e = value as { name?: unknown; address?: unknown } | null;
  if (typeof e?.address !== 'string')
    throw new BadRequest('RequestBodyRead', 'An emailAddress needs an address string.');
  // A missing name is the address, as Outlook shows it (chosen: the docs are silent).
  return { name: typeof e.name === 'string' && e.name ? e.name : e.address, address: e.address };
}

function readAttendees(value: unknown): Attendee[] {
  if (!Array.isArray(value))
    throw new BadRequest('RequestBodyRead', "The property 'attendees' must be an array.");
  return value.map((a: { type?: unknown; emailAddress?: unknown; status?: unknown } | null) => {
    const status = a?.status as { response?: unknown } | undefined;
    return {
      type: a?.type === undefined ? 'required' : expectOneOf('type', a.type, ATTENDEE_TYPES),
      emailAddress: readEmailAddress(a?.emailAddress),
      status: {
        response:
          status?.response === undefined ? 'none' : expectOneOf('response', status.response, RESPONSES),
        time: '0001-01-01T00:00:00Z',
      },
    };
  });
}

interface EventState {
  data: EventData;
  start: number | null;
  end: number | null;
}

/** A body's properties onto `base`; then the rules on the result (all-day midnight, end after start). */
function applyBody(
  base: EventState,
  body: Record<string, unknown>,
): EventState & { props: [string, string][] } {
  const data: EventData = { ...base.data };
  let { start, end } = base;
  let props: [string, string][] = [];
  for (const [name, value] of Object.entries(body)) {
    if (name.startsWith('@odata.')) continue;
    if (READ_ONLY.has(name)) throw readOnlyProperty(name);
    switch (name) {
      case 'subject':
        data.subject = expectString(name, value) ?? '';
        break;
      case 'body':
        data.body = readItemBody(value);
        break;
      case 'start': {
        const t = readDateTimeTimeZone(name, value);
        start = t.ms;
        data.startZone = t.zone;
        break;
      }
      case 'end': {
        const t = readDateTimeTimeZone(name, value);
        end = t.ms;
        data.endZone = t.zone;
        break;
      }
      case 'isAllDay':
      case 'isCancelled':
      case 'isReminderOn':
        if (typeof value !== 'boolean')
          throw new BadRequest('RequestBodyRead', `The property '${name}' must be a boolean.`);
        data[name] = value;
        break;
      case 'reminderMinutesBeforeStart':
        if (!Number.isInteger(value))
          throw new BadRequest('RequestBodyRead', `The property '${name}' must be a whole number.`);
        data.reminderMinutesBeforeStart = value as number;
        break;
      case 'location':
        data.location = {
          displayName: expectString(
            'location.displayName',
            (value as { displayName?: unknown } | null)?.displayName ?? '',
            false,
          ) as string,
        };
        break;
      case 'attendees':
        data.attendees = readAttendees(value);
        break;
      case 'organizer':
        data.organizer = {
          emailAddress: readEmailAddress((value as { emailAddress?: unknown } | null)?.emailAddress),
        };
        break;
      case 'importance':
        data.importance = expectOneOf(name, value, IMPORTANCE);
        break;
      case 'showAs':
        data.showAs = expectOneOf(name, value, SHOW_AS);
        break;
      case 'sensitivity':
        data.sensitivity = expectOneOf(name, value, SENSITIVITY);
        break;
      case 'categories':
        data.categories = expectStrings(name, value);
        break;
      case 'recurrence':
        if (value !== null)
          throw new BadRequest(
            'ErrorInvalidRequest',
            'The emulator keeps single events only: recurrence is not supported.',
          );
        break;
      case 'singleValueExtendedProperties':
        props = readExtendedProperties(value);
        break;
      default:
        throw unknownProperty(name, 'event');
    }
  }
  if (start === null || end === null)
    throw new BadRequest('ErrorPropertyValidationFailure', 'The start and end of an event are required.');
  if (end < start) throw failedValidation();
  if (
    data.isAllDay &&
    (!isMidnight(start, data.startZone) || !isMidnight(end, data.endZone) || end === start)
  )
    throw failedValidation();
  return { data, start, end, props };
}

/** Every property of an event, in Graph's order, its times and body as `view` asks. */
export function eventJson(row: ItemRow, view: ItemView, baseUrl: string): Record<string, unknown> {
  const data = JSON.parse(row.data) as EventData;
  const changeKey = itemChangeKey(row);
  const isOrganizer = data.organizer.emailAddress.address.toLowerCase() === ME.address;
  return {
    '@odata.etag': `W/"${changeKey}"`,
    id: row.id,
    createdDateTime: row.created,
    lastModifiedDateTime: row.last_modified,
    changeKey,
    categories: data.categories,
    transactionId: null,
    originalStartTimeZone: data.startZone,
    originalEndTimeZone: data.endZone,
    iCalUId: `040000008200E00074C5B7101A82E008${Buffer.from(row.id).toString('hex').slice(0, 40).toUpperCase()}`,
    reminderMinutesBeforeStart: data.reminderMinutesBeforeStart,
    isReminderOn: data.isReminderOn,
    hasAttachments: false,
    subject: data.subject,
    bodyPreview: data.body.content
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 255),
    importance: data.importance,
    sensitivity: data.sensitivity,
    isAllDay: data.isAllDay,
    isCancelled: data.isCancelled,
    isOrganizer,
    responseRequested: true,
    seriesMasterId: null,
    showAs: data.showAs,
    type: 'singleInstance',
    webLink: `${baseUrl.replace(/\/v1\.0$/, '')}/owa/?itemid=${encodeURIComponent(row.id)}&exvsurl=1&path=/calendar/item`,
    onlineMeetingUrl: null,
    isOnlineMeeting: false,
    onlineMeetingProvider: 'unknown',
    allowNewTimeProposals: true,
    isDraft: false,
    hideAttendees: false,
    responseStatus: { response: isOrganizer ? 'organizer' : 'none', time: '0001-01-01T00:00:00Z' },
    body: bodyAs(data.body, view.bodyType),
    start: dateTimeTimeZone(row.start_ms as number, view.zone),
    end: dateTimeTimeZone(row.end_ms as number, view.zone),
    location: {
      displayName: data.location.displayName,
      locationType: 'default',
      uniqueIdType: data.location.displayName ? 'private' : 'unknown',
    },
    locations: data.location.displayName
      ? [{ displayName: data.location.displayName, locationType: 'default', uniqueIdType: 'private' }]
      : [],
    recurrence: null,
    attendees: data.attendees,
    organizer: data.organizer,
    onlineMeeting: null,
  };
}

export const EVENT_PROPERTIES: ReadonlySet<string> = new Set(
  Object.keys(
    eventJson(
      {
        id: 'x',
        kind: 'event',
        parent_id: 'x',
        seq: 0,
        created: '',
        last_modified: '',
        data: JSON.stringify(emptyEvent()),
        start_ms: 0,
        end_ms: 0,
      },
      { zone: 'UTC', bodyType: null },
      'http://x/v1.0',
    ),
  ),
);

function eventsContext(ctx: RequestContext): string {
  return `${ctx.baseUrl}/$metadata#users('${encodeURIComponent(MAILBOX.address)}')/events`;
}

/** An event as a query asks for it, in the zone the client prefers (also what a delta page holds). */
export function renderEvent(
  db: GraphDb,
  ctx: RequestContext,
  row: ItemRow,
  query: Parameters<typeof projectItem>[1],
  view: ItemView,
): Record<string, unknown> {
  return projectItem(
    eventJson(row, view, ctx.baseUrl),
    query,
    itemStore(db).extProps(row.id),
    `${eventsContext(ctx)}('${row.id}')/singleValueExtendedProperties`,
  );
}

export function findEvent(db: GraphDb, id: string): ItemRow {
  return findItem(db, 'event', id);
}

/** Whether an event's span meets a window: it overlaps it, or (no duration) starts inside it. */
export function inWindow(
  span: { start_ms: number; end_ms: number },
  window: { start: number; end: number },
): boolean {
  if (span.start_ms === span.end_ms) return span.start_ms >= window.start && span.start_ms < window.end;
  return span.start_ms < window.end && span.end_ms > window.start;
}

/**
 * The window of `calendarView` (and its delta): `startDateTime` and `endDateTime`, both required, ISO
 * 8601 (without an offset: UTC, as the calendarView docs take them).
 */
export function readWindow(params: ReadonlyMap<string, string>): { start: number; end: number } {
  const startText = params.get('startDateTime') ?? params.get('StartDateTime');
  const endText = params.get('endDateTime') ?? params.get('EndDateTime');
  if (!startText || !endText) {
    throw new BadRequest(
      'ErrorInvalidParameter',
      'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.',
    );
  }
  const asUtc = (t: string): number => Date.parse(/(Z|[+-]\d{2}:\d{2})$/i.test(t) ? t : `${t}Z`);
  const start = asUtc(startText);
  const end = asUtc(endText);
  if (Number.isNaN(start) || Number.isNaN(end))
    throw new BadRequest(
      'ErrorInvalidParameter',
      'StartDateTime and EndDateTime must be ISO 8601 date-times.',
    );
  return { start, end };
}

/** Events of the calendar (those meeting `window` when one is given), by start (chosen for both lists). */
function eventList(
  db: GraphDb,
  ctx: RequestContext,
  path: string,
  params: ReadonlyMap<string, string>,
  headers: Readonly<Record<string, string>>,
  window: { start: number; end: number } | null,
  entitySet: 'calendarView' | 'events',
): GraphResponse {
  const view = itemView(headers);
  const query = parseItemQuery(params, 'event', EVENT_PROPERTIES);
  const store = itemStore(db);
  const rows = store
    .items('event', CONTAINERS.calendar)
    .filter(
      (r) => !window || inWindow({ start_ms: r.start_ms as number, end_ms: r.end_ms as number }, window),
    )
    .filter((r) => {
      if (!query.filter) return true;
      const data = JSON.parse(r.data) as EventData;
      return query.filter(
        itemFilterSubject(
          { createdDateTime: r.created, lastModifiedDateTime: r.last_modified, subject: data.subject },
          data.categories,
          store.extProps(r.id),
        ),
      );
    })
    .sort((a, b) => (a.start_ms as number) - (b.start_ms as number) || (a.id < b.id ? -1 : 1));
  return listPage(
    ctx,
    path,
    params,
    `${ctx.baseUrl}/$metadata#users('${encodeURIComponent(MAILBOX.address)}')/${entitySet}`,
    rows,
    (r) => renderEvent(db, ctx, r, query, view),
    query,
    preferenceApplied(headers),
  );
}

/** `GET /me/calendarView?startDateTime=…&endDateTime=…`: the events overlapping the window. */
export function calendarView(
  db: GraphDb,
  ctx: RequestContext,
  path: string,
  params: ReadonlyMap<string, string>,
  headers: Readonly<Record<string, string>>,
): GraphResponse {
  return eventList(db, ctx, path, params, headers, readWindow(params), 'calendarView');
}

/** `GET /me/events`: every event of the calendar. */
export function listEvents(
  db: GraphDb,
  ctx: RequestContext,
  path: string,
  params: ReadonlyMap<string, string>,
  headers: Readonly<Record<string, string>>,
): GraphResponse {
  return eventList(db, ctx, path, params, headers, null, 'events');
}

export function getEvent(
  db: GraphDb,
  ctx: RequestContext,
  id: string,
  params: ReadonlyMap<string, string>,
  headers: Readonly<Record<string, string>>,
): GraphResponse {
  const query = parseItemQuery(params, 'event', EVENT_PROPERTIES);
  const view = itemView(headers);
  const row = findEvent(db, id);
  return ok(
    { '@odata.context': `${eventsContext(ctx)}/$entity`, ...renderEvent(db, ctx, row, query, view) },
    200,
    preferenceApplied(headers),
  );
}

/** `POST /me/events`: 201 with the event. */
export function createEvent(
  db: GraphDb,
  ctx: RequestContext,
  text: string,
  headers: Readonly<Record<string, string>>,
  id: string = newItemId('event'),
): GraphResponse {
  const view = itemView(headers);
  const { data, start, end, props } = applyBody(
    { data: emptyEvent(), start: null, end: null },
    readJsonObject(text),
  );
  const store = itemStore(db);
  const now = nowIso(ctx.now);
  const row = db.transaction(() =>
    store.create('event', id, data, now, { start_ms: start, end_ms: end }, props),
  );
  return ok(
    { '@odata.context': `${eventsContext(ctx)}/$entity`, ...eventJson(row, view, ctx.baseUrl) },
    201,
    preferenceApplied(headers),
  );
}

/** `PATCH /me/events/{id}`: 200 with the event, a new changeKey. */
export function patchEvent(
  db: GraphDb,
  ctx: RequestContext,
  id: string,
  text: string,
  headers: Readonly<Record<string, string>>,
): GraphResponse {
  const row = findEvent(db, id);
  checkIfMatch(headers['if-match'], itemChangeKey(row));
  const { data, start, end, props } = applyBody(
    { data: JSON.parse(row.data) as EventData, start: row.start_ms, end: row.end_ms },
    readJsonObject(text),
  );
  const store = itemStore(db);
  db.transaction(() => {
    for (const [propId, value] of props) store.setExtProp(id, propId, value);
    store.update('event', id, { data: JSON.stringify(data), start_ms: start, end_ms: end }, nowIso(ctx.now));
  });
  return getEvent(db, ctx, id, new Map(), headers);
}

/** `DELETE /me/events/{id}`: 204. */
export function deleteEvent(
  db: GraphDb,
  _ctx: RequestContext,
  id: string,
  ifMatch: string | undefined,
): GraphResponse {
  return deleteItem(db, 'event', id, ifMatch);
}
