/**
 * Graph's contact, event and To Do task JSON (untrusted) ↔ the flat fields of
 * src/rules/syncFieldCatalog.ts in its normalized value domains, and the link to the CRM record
 * (src/graph/syncPort.ts header; docs/graph-facts.md "Contacts, calendar and To Do").
 *
 * Reading never throws: a value of the wrong type is a missing value (null); only an item without an
 * id is not an item. Writing (`graphBody`) produces only the Graph properties the given fields touch,
 * so an update sends what changed; a Graph property several flat fields share (a contact's
 * `emailAddresses`, `businessAddress`, an event's `attendees`, `start`/`end`/`isAllDay`) is written
 * whole from the changed fields over the item's current ones (`needsCurrent` says when that read is
 * needed), since Graph replaces such a property as a whole on PATCH.
 */
import { decodeTag, CUSTOM_PROPERTY } from '../mail/marks';
import { OUTLOOK_COMPANY_NAME } from '../rules/syncFields';
import { SYNC_FIELDS } from '../rules/syncFieldCatalog';
import type { SyncEntity, SyncFields } from '../rules/syncTypes';
import { readCustomProperties } from './messageFacts';
import { PS_PUBLIC_STRINGS, samePropertyId } from './properties';
import type { OutlookSyncItem } from './syncPort';

/** The named property contacts and events carry the link in (chosen: PS_PUBLIC_STRINGS, as Office.js's own). */
export const LINK_PROPERTY_ID = `String ${PS_PUBLIC_STRINGS} Name tic-crm-link`;
/** A To Do task's linkedResource that is the link (To Do tasks have no extended properties in v1.0). */
export const LINK_APPLICATION = 'Track in CRM';

export interface SyncLink {
  readonly crmId: string | null;
  readonly tracked: boolean;
}

export type SyncItemReading =
  | { readonly ok: true; readonly item: OutlookSyncItem; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly itemId: string | null; readonly reason: string };

export interface ReadContext extends ZoneContext {
  /** The add-in's `cecp-` property id (events: an appointment tracked from the ribbon carries its tag there). */
  readonly customPropertiesId?: string;
}

/** Where days are counted (issue 12 review, 6 and 10). */
export interface ZoneContext {
  /**
   * The user's IANA time zone (default 'UTC'): an all-day event is written as dates in it, a task's
   * due date as midnight of that date in it, and a To Do due date Graph answers shifted to UTC is read
   * back in it.
   */
  readonly timeZone?: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
/** The catalog's text domain: a string, never "" (empty and missing are both null). */
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The Graph properties each type's catalog needs, for `$select`. */
export const GRAPH_SELECT: Readonly<Record<SyncEntity, readonly string[]>> = {
  contact: [
    'id',
    'changeKey',
    'lastModifiedDateTime',
    'displayName',
    'title',
    'givenName',
    'middleName',
    'surname',
    'generation',
    'nickName',
    'jobTitle',
    'department',
    'companyName',
    'emailAddresses',
    'businessPhones',
    'homePhones',
    'mobilePhone',
    'businessAddress',
    'businessHomePage',
    'birthday',
    'spouseName',
    'assistantName',
    'personalNotes',
  ],
  appointment: [
    'id',
    'changeKey',
    'lastModifiedDateTime',
    'subject',
    'start',
    'end',
    'isAllDay',
    'location',
    'body',
    'importance',
    'showAs',
    'attendees',
    'organizer',
    // An all-day event's days are its own zone's (Graph answers its times in the zone asked for).
    'originalStartTimeZone',
    'originalEndTimeZone',
    // Single events only are synchronized (docs/graph-facts.md, chosen).
    'type',
  ],
  task: ['id', 'lastModifiedDateTime', 'title', 'body', 'dueDateTime', 'importance', 'status'],
};

// ---------------------------------------------------------------------------------------------------
// Value domains

const INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** An ISO instant (any precision, `Z` or an offset) as the catalog's `YYYY-MM-DDTHH:MM:SSZ`. */
export function normalizeInstant(value: unknown): string | null {
  if (typeof value !== 'string' || !INSTANT.exec(value.trim())?.[5]) return null;
  const at = Date.parse(value.trim());
  return Number.isNaN(at) ? null : isoSeconds(at);
}

function isoSeconds(at: number): string {
  return new Date(Math.floor(at / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Windows time zone names Graph may answer with when it does not honour `outlook.timezone`
 * (chosen: the zones of the CLDR windowsZones table most mailboxes use; another name reads as no value,
 * with a warning). IANA names are read through Intl.
 */
const WINDOWS_ZONES: Readonly<Record<string, string>> = {
  utc: 'UTC',
  'coordinated universal time': 'UTC',
  'greenwich standard time': 'Atlantic/Reykjavik',
  'gmt standard time': 'Europe/London',
  'w. europe standard time': 'Europe/Berlin',
  'romance standard time': 'Europe/Paris',
  'central europe standard time': 'Europe/Budapest',
  'central european standard time': 'Europe/Warsaw',
  'e. europe standard time': 'Europe/Chisinau',
  'fle standard time': 'Europe/Kiev',
  'russian standard time': 'Europe/Moscow',
  'india standard time': 'Asia/Kolkata',
  'china standard time': 'Asia/Shanghai',
  'tokyo standard time': 'Asia/Tokyo',
  'aus eastern standard time': 'Australia/Sydney',
  'new zealand standard time': 'Pacific/Auckland',
  'eastern standard time': 'America/New_York',
  'central standard time': 'America/Chicago',
  'mountain standard time': 'America/Denver',
  'us mountain standard time': 'America/Phoenix',
  'pacific standard time': 'America/Los_Angeles',
  'alaskan standard time': 'America/Anchorage',
  'hawaiian standard time': 'Pacific/Honolulu',
  'e. south america standard time': 'America/Sao_Paulo',
};

function ianaZone(timeZone: string): string | null {
  const name = WINDOWS_ZONES[timeZone.trim().toLowerCase()] ?? timeZone.trim();
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The zone's offset from UTC (ms) at an instant. */
function zoneOffset(zone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const n = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - Math.floor(at / 1000) * 1000;
}

/**
 * Graph's dateTimeTimeZone `{dateTime: "2026-01-10T09:00:00.0000000", timeZone}` as an instant. A wall
 * time a DST change skips or repeats is taken at the offset before the change (chosen).
 */
export function readDateTimeTimeZone(value: unknown, warnings: string[] = []): string | null {
  if (!isObject(value) || typeof value.dateTime !== 'string') return null;
  const m = INSTANT.exec(value.dateTime.trim());
  if (!m) {
    warnings.push(`dateTime: "${value.dateTime.slice(0, 40)}" is not a date and time`);
    return null;
  }
  const [, day, hh, mm, ss = '00', offset] = m;
  const wall = Date.parse(`${day}T${hh}:${mm}:${ss}Z`);
  if (Number.isNaN(wall)) return null;
  if (offset) return normalizeInstant(value.dateTime);
  const timeZone = typeof value.timeZone === 'string' && value.timeZone.trim() ? value.timeZone : 'UTC';
  const zone = ianaZone(timeZone);
  if (zone === null) {
    warnings.push(`timeZone: "${timeZone.slice(0, 60)}" is not a time zone this add-in knows`);
    return null;
  }
  if (zone === 'UTC' || zone === 'Etc/UTC') return isoSeconds(wall);
  const first = wall - zoneOffset(zone, wall);
  const second = wall - zoneOffset(zone, first);
  return isoSeconds(zoneOffset(zone, second) === zoneOffset(zone, first) ? second : first);
}

/** An instant written as Graph's dateTimeTimeZone in UTC (the adapter reads events in UTC too). */
export function utcDateTimeTimeZone(instant: string): { dateTime: string; timeZone: 'UTC' } {
  return { dateTime: instant.replace(/Z$/, ''), timeZone: 'UTC' };
}

/** The date an instant falls on in a zone. */
function dayIn(zone: string, at: number): string {
  return new Date(at + zoneOffset(zone, at)).toISOString().slice(0, 10);
}

/** The user's zone of a context ('UTC' when none is given or it is not one Intl knows). */
function userZone(context: ZoneContext): string {
  return (context.timeZone && ianaZone(context.timeZone)) || 'UTC';
}

/** Whether a dateTimeTimeZone's wall time is midnight (its date part is then the day it means). */
function isWallMidnight(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.dateTime === 'string' &&
    /T00:00(:00(\.0+)?)?$/.test(value.dateTime.trim())
  );
}

/**
 * The day a dateTimeTimeZone means: its date part when its wall time is midnight (the day as written,
 * in its own zone); otherwise the date its instant falls on in `zone` (Graph answered a local
 * midnight shifted into another zone: To Do answers due dates in UTC whatever zone wrote them,
 * microsoft-graph-docs issues 6982 and 8192; calendarView answers in the zone `Prefer` asks for).
 */
function dayOf(value: unknown, zone: string): string | null {
  if (isWallMidnight(value)) return readDay(value);
  const instant = readDateTimeTimeZone(value);
  return instant === null ? readDay(value) : dayIn(zone, Date.parse(instant));
}

/** A day written as midnight in a zone (Graph's dateTimeTimeZone). */
function midnightIn(day: string, zone: string): { dateTime: string; timeZone: string } {
  return { dateTime: `${day}T00:00:00.0000000`, timeZone: zone };
}

/** The date part a day-valued Graph field carries (a birthday, a To Do due date). */
function readDay(value: unknown): string | null {
  const raw = typeof value === 'string' ? value : isObject(value) ? value.dateTime : null;
  if (typeof raw !== 'string') return null;
  const day = raw.trim().slice(0, 10);
  return DATE.test(day) && !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) ? day : null;
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const IMPORTANCE = new Set(['low', 'normal', 'high']);
const SHOW_AS = new Set(['free', 'tentative', 'busy', 'oof']);
const TASK_STATUS = new Set(['notStarted', 'inProgress', 'waitingOnOthers', 'deferred', 'completed']);

function oneOf(set: ReadonlySet<string>, value: unknown): string | null {
  return typeof value === 'string' && set.has(value) ? value : null;
}

/** The catalog's `addresses` domain: lower-cased, trimmed, de-duplicated, sorted; empty is null. */
export function normalizeAddresses(list: readonly unknown[]): string[] | null {
  const set = new Set(
    list.flatMap((a) => (typeof a === 'string' && a.trim() !== '' ? [a.trim().toLowerCase()] : [])),
  );
  return set.size ? [...set].sort() : null;
}

function addressOf(recipient: unknown): string | null {
  if (!isObject(recipient) || !isObject(recipient.emailAddress)) return null;
  const address = recipient.emailAddress.address;
  return typeof address === 'string' && address.trim() !== '' ? address.trim() : null;
}

/**
 * An HTML body as plain text, for a body Graph sent as HTML although text was asked (To Do keeps
 * either): tags dropped, line breaks kept, the common entities decoded. Never rendered as HTML.
 */
function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6])>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}

/**
 * A text body or note as both sides compare it: line endings `\n` and trailing whitespace trimmed
 * (Exchange stores text bodies with `\r\n` and may add a trailing line break, review 18).
 */
export function normalizeText(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  return value.replace(/\r\n?/g, '\n').trimEnd();
}

function readBody(value: unknown): string | null {
  if (!isObject(value) || typeof value.content !== 'string') return null;
  return text(
    normalizeText(
      typeof value.contentType === 'string' && value.contentType.toLowerCase() === 'html'
        ? htmlToText(value.content)
        : value.content,
    ),
  );
}

// ---------------------------------------------------------------------------------------------------
// Graph → flat

function contactEmails(json: Json): string[] {
  return Array.isArray(json.emailAddresses)
    ? json.emailAddresses.flatMap((e: unknown) =>
        isObject(e) && typeof e.address === 'string' && e.address.trim() !== '' ? [e.address.trim()] : [],
      )
    : [];
}

/**
 * A birthday is a DateTimeOffset whose day is its UTC date (written at 12:00 UTC, chosen, so a client
 * showing it in any zone from UTC−12 to UTC+11 shows the same day).
 */
function readBirthday(value: unknown): string | null {
  const instant = normalizeInstant(value);
  return instant === null ? readDay(value) : instant.slice(0, 10);
}

/**
 * A phone list's first entry, by position: an empty first entry (the business phone cleared while
 * the second is kept, see `firstOfList`) is no value, never the second phone moved up.
 */
function firstPhone(list: unknown): string | null {
  return Array.isArray(list) ? text(list[0]) : null;
}

function contactFields(json: Json): SyncFields {
  const emails = contactEmails(json);
  const address = isObject(json.businessAddress) ? json.businessAddress : {};
  return {
    title: text(json.title),
    givenName: text(json.givenName),
    middleName: text(json.middleName),
    surname: text(json.surname),
    generation: text(json.generation),
    nickName: text(json.nickName),
    jobTitle: text(json.jobTitle),
    department: text(json.department),
    email1Address: emails[0] ?? null,
    email2Address: emails[1] ?? null,
    email3Address: emails[2] ?? null,
    businessPhone: firstPhone(json.businessPhones),
    homePhone: firstPhone(json.homePhones),
    mobilePhone: text(json.mobilePhone),
    businessStreet: text(address.street),
    businessCity: text(address.city),
    businessState: text(address.state),
    businessPostalCode: text(address.postalCode),
    businessCountryOrRegion: text(address.countryOrRegion),
    businessHomePage: text(json.businessHomePage),
    birthday: readBirthday(json.birthday),
    spouseName: text(json.spouseName),
    assistantName: text(json.assistantName),
    personalNotes: text(normalizeText(json.personalNotes)),
    [OUTLOOK_COMPANY_NAME]: text(json.companyName),
  };
}

function attendees(json: Json, type: 'required' | 'optional'): string[] | null {
  if (!Array.isArray(json.attendees)) return null;
  // An attendee without a type is a required one (Outlook's default when one is added).
  const of = json.attendees.filter(
    (a: unknown) => isObject(a) && (a.type === type || (type === 'required' && a.type === undefined)),
  );
  return normalizeAddresses(of.map(addressOf));
}

/**
 * An all-day event is a span of days, normalized as its dates at `T00:00:00Z` (the CRM side reads an
 * all-day appointment as the same floating days). Its days are the ones of its own zone
 * (`originalStartTimeZone`/`originalEndTimeZone`), since Graph answers its times in the zone asked for
 * (UTC here), where midnight in Berlin is the day before at 23:00; an unknown own zone falls back to
 * the user's.
 */
function eventTime(
  value: unknown,
  allDay: boolean,
  ownZone: unknown,
  context: ZoneContext,
  warnings: string[],
): string | null {
  if (!allDay) return readDateTimeTimeZone(value, warnings);
  const own = typeof ownZone === 'string' && ownZone.trim() ? ianaZone(ownZone) : null;
  const day = dayOf(value, own ?? userZone(context));
  return day === null ? null : `${day}T00:00:00Z`;
}

function eventFields(json: Json, warnings: string[], context: ZoneContext): SyncFields {
  const isAllDay = typeof json.isAllDay === 'boolean' ? json.isAllDay : null;
  const showAs =
    json.showAs === 'workingElsewhere' || json.showAs === 'unknown' ? 'busy' : oneOf(SHOW_AS, json.showAs);
  return {
    subject: text(json.subject),
    start: eventTime(json.start, isAllDay === true, json.originalStartTimeZone, context, warnings),
    end: eventTime(json.end, isAllDay === true, json.originalEndTimeZone, context, warnings),
    isAllDay,
    location: isObject(json.location) ? text(json.location.displayName) : null,
    body: readBody(json.body),
    importance: oneOf(IMPORTANCE, json.importance),
    showAs,
    requiredAttendees: attendees(json, 'required'),
    optionalAttendees: attendees(json, 'optional'),
    organizer: normalizeAddresses([addressOf(json.organizer)]),
  };
}

function taskFields(json: Json, context: ZoneContext): SyncFields {
  return {
    title: text(json.title),
    body: readBody(json.body),
    // To Do's date: the date part of a midnight due time, else its day in the user's zone (`dayOf`).
    dueDate: dayOf(json.dueDateTime, userZone(context)),
    importance: oneOf(IMPORTANCE, json.importance),
    status: oneOf(TASK_STATUS, json.status),
  };
}

/** The normalized flat fields of a Graph item (every catalog name, null where Graph has no value). */
export function flatFields(
  entity: SyncEntity,
  json: unknown,
  warnings: string[] = [],
  context: ZoneContext = {},
): SyncFields {
  const item = isObject(json) ? json : {};
  if (entity === 'contact') return contactFields(item);
  if (entity === 'appointment') return eventFields(item, warnings, context);
  return taskFields(item, context);
}

// ---------------------------------------------------------------------------------------------------
// The link

/**
 * A CRM id as the link keeps and compares it: trimmed and lower-cased (Dataverse answers GUIDs lower
 * case; Office.js tags and other clients may not, and the planner compares ids as strings; review 4).
 */
export function crmIdOf(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim().toLowerCase() : null;
}

/** The `tic-crm-link` value: `{"crmId": "…" | null, "tracked": bool}`, its id lower-cased. */
export function linkValue(link: SyncLink): string {
  return JSON.stringify({ crmId: crmIdOf(link.crmId), tracked: link.tracked });
}

/** A `tic-crm-link` value; anything but that JSON shape is no link (untrusted: another client may write it). */
export function readLinkValue(value: string | null): SyncLink | null {
  if (value === null) return null;
  try {
    const parsed: unknown = JSON.parse(value);
    if (!isObject(parsed)) return null;
    return { crmId: crmIdOf(parsed.crmId), tracked: parsed.tracked === true };
  } catch {
    return null;
  }
}

function propertyValue(json: Json, id: string): string | null {
  const list = Array.isArray(json.singleValueExtendedProperties) ? json.singleValueExtendedProperties : [];
  const found = list.find(
    (p: unknown) => isObject(p) && typeof p.id === 'string' && samePropertyId(p.id, id),
  ) as Json | undefined;
  return typeof found?.value === 'string' ? found.value : null;
}

/** This add-in's linkedResources on a task (normally one). */
export function ownLinkedResources(json: unknown): { id: string | null; externalId: string | null }[] {
  const list = isObject(json) && Array.isArray(json.linkedResources) ? json.linkedResources : [];
  return list.flatMap((r: unknown) =>
    isObject(r) && r.applicationName === LINK_APPLICATION
      ? [{ id: typeof r.id === 'string' ? r.id : null, externalId: crmIdOf(r.externalId) }]
      : [],
  );
}

/**
 * The item's link. Contacts and events: `tic-crm-link` when present (it wins, so an unlink sticks);
 * else, for an event, the add-in's track tag (an appointment tracked from the ribbon: linked to its
 * activity and tracked). Tasks: the first of this add-in's linkedResources; never tracked.
 */
export function readLink(
  entity: SyncEntity,
  json: unknown,
  context: ReadContext = {},
  warnings: string[] = [],
): SyncLink {
  const item = isObject(json) ? json : {};
  if (entity === 'task') {
    const own = ownLinkedResources(item).find((r) => r.externalId !== null);
    return { crmId: own?.externalId ?? null, tracked: false };
  }
  const raw = propertyValue(item, LINK_PROPERTY_ID);
  const link = readLinkValue(raw);
  if (raw !== null && link === null)
    warnings.push(`tic-crm-link: "${raw.slice(0, 40)}" is not the link's JSON; read as no link`);
  if (link !== null) return link;
  if (entity === 'appointment' && context.customPropertiesId) {
    const properties = readCustomProperties(propertyValue(item, context.customPropertiesId), warnings);
    const tag = decodeTag(properties[CUSTOM_PROPERTY], { log: (line: string) => warnings.push(line) });
    if (tag) return { crmId: crmIdOf(tag.activityId), tracked: true };
  }
  return { crmId: null, tracked: false };
}

// ---------------------------------------------------------------------------------------------------
// The item

function titleOf(entity: SyncEntity, json: Json, fields: SyncFields): string {
  if (entity === 'contact') {
    const names = [fields.givenName, fields.surname].filter((n): n is string => typeof n === 'string');
    return text(json.displayName) ?? (names.length ? names.join(' ') : (contactEmails(json)[0] ?? ''));
  }
  return (entity === 'appointment' ? text(json.subject) : text(json.title)) ?? '';
}

/** A Graph contact, event or To Do task as the item synchronization decides on. */
export function readSyncItem(entity: SyncEntity, json: unknown, context: ReadContext = {}): SyncItemReading {
  if (!isObject(json)) return { ok: false, itemId: null, reason: 'the item is not a JSON object' };
  const itemId = text(json.id);
  if (itemId === null) return { ok: false, itemId: null, reason: 'the item has no id' };
  const warnings: string[] = [];
  const fields = flatFields(entity, json, warnings, context);
  const link = readLink(entity, json, context, warnings);
  return {
    ok: true,
    item: {
      itemId,
      changeKey: text(json.changeKey),
      crmId: link.crmId,
      tracked: link.tracked,
      modifiedAt: normalizeInstant(json.lastModifiedDateTime),
      fields,
      emails: entity === 'contact' ? contactEmails(json) : [],
      title: titleOf(entity, json, fields),
    },
    warnings,
  };
}

// ---------------------------------------------------------------------------------------------------
// flat → Graph

interface Group {
  /** The flat names written together. */
  readonly names: readonly string[];
  /**
   * Whether writing part of the group needs the item's current value: the Graph property is replaced
   * whole and holds more than the given names (other members, or entries the catalog does not map).
   */
  readonly composite: boolean;
  readonly write: (value: (name: string) => unknown, current: Json, context: ZoneContext) => Json;
}

const textOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const listOf = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s !== '') : [];

function simple(flat: string, graph: string = flat): Group {
  return { names: [flat], composite: false, write: (value) => ({ [graph]: textOrNull(value(flat)) }) };
}

/**
 * The first entry of a string list (businessPhones, homePhones); the others are kept in their places.
 * A cleared first entry with others after it is written as "" (chosen), so the second phone is not
 * read back as the first (`firstPhone`) and then cleared in turn; with none after it the list is [].
 * Should Graph drop the empty entry, the second phone reads as the first and reaches the CRM once:
 * either way it converges and no phone is lost (review 11).
 */
function firstOfList(flat: string, graph: string): Group {
  return {
    names: [flat],
    composite: true,
    write: (value, current) => {
      const list = Array.isArray(current[graph]) ? (current[graph] as unknown[]) : [];
      const rest = list.slice(1).map((p) => (typeof p === 'string' ? p : ''));
      while (rest.length && rest[rest.length - 1] === '') rest.pop();
      const first = textOrNull(value(flat));
      return { [graph]: first === null && rest.length === 0 ? [] : [first ?? '', ...rest] };
    },
  };
}

const CONTACT_GROUPS: readonly Group[] = [
  ...(
    [
      'title',
      'givenName',
      'middleName',
      'surname',
      'generation',
      'nickName',
      'jobTitle',
      'department',
      'mobilePhone',
      'businessHomePage',
      'spouseName',
      'assistantName',
    ] as const
  ).map((name) => simple(name)),
  {
    names: ['personalNotes'],
    composite: false,
    write: (value) => ({ personalNotes: textOrNull(normalizeText(value('personalNotes'))) }),
  },
  simple(OUTLOOK_COMPANY_NAME, 'companyName'),
  {
    // Graph keeps up to three addresses as a list, with no empty slots: the given ones in slot order
    // (chosen: a missing first address moves the second up), each keeping its current display name.
    names: ['email1Address', 'email2Address', 'email3Address'],
    composite: true,
    write: (value, current) => {
      const names = new Map<string, unknown>();
      for (const e of Array.isArray(current.emailAddresses) ? current.emailAddresses : [])
        if (isObject(e) && typeof e.address === 'string') names.set(e.address.trim().toLowerCase(), e.name);
      const extra = (Array.isArray(current.emailAddresses) ? current.emailAddresses : []).slice(3);
      return {
        emailAddresses: [
          ...['email1Address', 'email2Address', 'email3Address'].flatMap((n) => {
            const address = textOrNull(value(n));
            if (address === null) return [];
            const name = names.get(address.trim().toLowerCase());
            return [{ address, name: typeof name === 'string' && name !== '' ? name : address }];
          }),
          ...extra,
        ],
      };
    },
  },
  firstOfList('businessPhone', 'businessPhones'),
  firstOfList('homePhone', 'homePhones'),
  {
    names: [
      'businessStreet',
      'businessCity',
      'businessState',
      'businessPostalCode',
      'businessCountryOrRegion',
    ],
    composite: true,
    write: (value) => ({
      businessAddress: {
        street: textOrNull(value('businessStreet')),
        city: textOrNull(value('businessCity')),
        state: textOrNull(value('businessState')),
        postalCode: textOrNull(value('businessPostalCode')),
        countryOrRegion: textOrNull(value('businessCountryOrRegion')),
      },
    }),
  },
  {
    // Graph's birthday is a DateTimeOffset; the day is written at 12:00 UTC (chosen: midnight UTC
    // shows as the day before in clients west of UTC; noon is the same date from UTC−12 to UTC+11).
    names: ['birthday'],
    composite: false,
    write: (value) => {
      const day = readDay(value('birthday'));
      return { birthday: day === null ? null : `${day}T12:00:00Z` };
    },
  },
];

function attendeeEntries(addresses: unknown, type: 'required' | 'optional', current: Json): Json[] {
  const names = new Map<string, unknown>();
  for (const a of Array.isArray(current.attendees) ? current.attendees : [])
    if (isObject(a) && isObject(a.emailAddress) && typeof a.emailAddress.address === 'string')
      names.set(a.emailAddress.address.trim().toLowerCase(), a.emailAddress.name);
  return (normalizeAddresses(listOf(addresses)) ?? []).map((address) => {
    const name = names.get(address);
    return { emailAddress: { address, ...(typeof name === 'string' && name ? { name } : {}) }, type };
  });
}

const EVENT_GROUPS: readonly Group[] = [
  simple('subject'),
  {
    // Start, end and all-day are one write: an all-day event needs midnight-to-midnight dates (event
    // resource, isAllDay), here the dates of the normalized `YYYY-MM-DDT00:00:00Z` values, written at
    // midnight in the user's zone (so Outlook shows those days), at least one day long.
    names: ['start', 'end', 'isAllDay'],
    composite: true,
    write: (value, _current, context) => {
      const start = normalizeInstant(value('start'));
      const end = normalizeInstant(value('end'));
      const isAllDay = value('isAllDay') === true;
      const body: Json = { isAllDay };
      if (isAllDay && start !== null) {
        const first = start.slice(0, 10);
        const endDay = end === null ? first : end.slice(0, 10);
        const last = endDay > first ? endDay : addDays(first, 1);
        const zone = userZone(context);
        body.start = midnightIn(first, zone);
        body.end = midnightIn(last, zone);
        return body;
      }
      if (start !== null) body.start = utcDateTimeTimeZone(start);
      if (end !== null) body.end = utcDateTimeTimeZone(end);
      return body;
    },
  },
  {
    names: ['location'],
    composite: false,
    write: (value) => ({ location: { displayName: textOrNull(value('location')) ?? '' } }),
  },
  {
    names: ['body'],
    composite: false,
    write: (value) => ({
      body: { contentType: 'text', content: textOrNull(normalizeText(value('body'))) ?? '' },
    }),
  },
  {
    names: ['importance'],
    composite: false,
    write: (value) => ({ importance: oneOf(IMPORTANCE, value('importance')) ?? 'normal' }),
  },
  {
    names: ['showAs'],
    composite: false,
    write: (value) => ({ showAs: oneOf(SHOW_AS, value('showAs')) ?? 'busy' }),
  },
  {
    // One `attendees` list holds both kinds and the resources (rooms), which are kept as they are.
    names: ['requiredAttendees', 'optionalAttendees'],
    composite: true,
    write: (value, current) => ({
      attendees: [
        ...attendeeEntries(value('requiredAttendees'), 'required', current),
        ...attendeeEntries(value('optionalAttendees'), 'optional', current),
        ...(Array.isArray(current.attendees) ? current.attendees : []).filter(
          (a: unknown) => isObject(a) && a.type === 'resource',
        ),
      ],
    }),
  },
  {
    // Read only: Graph's update event has no `organizer` (Exchange sets it), so the catalog maps it
    // Outlook → CRM only and nothing is written for it.
    names: ['organizer'],
    composite: false,
    write: () => ({}),
  },
];

const TASK_GROUPS: readonly Group[] = [
  simple('title'),
  {
    names: ['body'],
    composite: false,
    write: (value) => ({
      body: { contentType: 'text', content: textOrNull(normalizeText(value('body'))) ?? '' },
    }),
  },
  {
    // To Do keeps a due day: midnight of that date in the user's zone, as the To Do apps write it
    // (To Do may answer it shifted to UTC; `dayOf` reads it back in the user's zone).
    names: ['dueDate'],
    composite: false,
    write: (value, _current, context) => {
      const day = readDay(value('dueDate'));
      return { dueDateTime: day === null ? null : midnightIn(day, userZone(context)) };
    },
  },
  {
    names: ['importance'],
    composite: false,
    write: (value) => ({ importance: oneOf(IMPORTANCE, value('importance')) ?? 'normal' }),
  },
  {
    names: ['status'],
    composite: false,
    write: (value) => ({ status: oneOf(TASK_STATUS, value('status')) ?? 'notStarted' }),
  },
];

const GROUPS: Readonly<Record<SyncEntity, readonly Group[]>> = {
  contact: CONTACT_GROUPS,
  appointment: EVENT_GROUPS,
  task: TASK_GROUPS,
};

/** The flat names this file writes for a type: the catalog's, plus a contact's company name (§2.4). */
export function writableNames(entity: SyncEntity): string[] {
  return GROUPS[entity].flatMap((g) => g.names);
}

function touched(entity: SyncEntity, fields: SyncFields): Group[] {
  return GROUPS[entity].filter((g) => g.names.some((n) => n in fields));
}

/** Whether writing these fields as an update needs the item's current JSON first (see the header). */
export function needsCurrent(entity: SyncEntity, fields: SyncFields): boolean {
  return touched(entity, fields).some((g) => g.composite);
}

/**
 * The Graph body that writes `fields` (flat names, normalized values; a name absent from `fields`
 * keeps its current value, from `current` when given): a create's whole item, an update's changes.
 * Names the catalog does not know are ignored.
 */
export function graphBody(
  entity: SyncEntity,
  fields: SyncFields,
  current: unknown = null,
  context: ZoneContext = {},
): Json {
  const now = isObject(current) ? current : {};
  const base = isObject(current) ? flatFields(entity, current, [], context) : {};
  const value = (name: string): unknown => (name in fields ? fields[name] : base[name]) ?? null;
  return Object.assign({}, ...touched(entity, fields).map((g) => g.write(value, now, context))) as Json;
}

/** Every catalog name with a value, for a create: the ones not given are not written. */
export function createFields(entity: SyncEntity, fields: SyncFields): SyncFields {
  return Object.fromEntries(
    writableNames(entity)
      .filter((n) => fields[n] !== undefined && fields[n] !== null)
      .map((n) => [n, fields[n]]),
  );
}

/** Catalog sanity: every catalog name of each type has a writer here. */
export function unmappedCatalogNames(): string[] {
  return (Object.keys(SYNC_FIELDS) as SyncEntity[]).flatMap((entity) =>
    SYNC_FIELDS[entity].map((f) => f.outlook).filter((n) => !writableNames(entity).includes(n)),
  );
}
