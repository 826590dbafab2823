/**
 * Dataverse's row JSON ↔ the normalized field values of src/rules/syncFieldCatalog.ts, per record
 * type. Reading: a row of a FetchXML or OData read (annotations on) and, for appointments, its
 * activity parties become a CrmSyncRecord whose `fields` compare as JSON with the Outlook side's.
 * Writing: normalized fields become the body of a create or update, the attendees apart (they are
 * activity parties, not columns: the adapter writes them).
 *
 * Days and the user's time zone. Dataverse keeps an appointment's `scheduledstart`/`scheduledend`
 * and a task's `scheduledend` as user-local date-times (behaviour UserLocal): stored in UTC, an
 * all-day appointment of a Berlin user on 10 January is `2026-01-09T23:00:00Z` to
 * `2026-01-10T23:00:00Z`. The catalog's instant for an ALL-DAY event means the floating local day
 * (chosen): `YYYY-MM-DDT00:00:00Z` of the date the user sees, whatever the zone, so the Outlook side
 * (an all-day event's own date) and the CRM side (the user's local midnight) compare equal. Reading
 * takes the date of the instant in the user's zone; writing puts that date's local midnight back as
 * UTC. A task's due date is the same: the date of `scheduledend` in the user's zone, written as that
 * date's local midnight. The zone is an IANA name (`ShapeContext.timeZone`), UTC when not given.
 *
 * Other choices that keep both sides converging: a null `prioritycode` reads as `normal` and a null
 * `isalldayevent` as false (Graph always has them, so a CRM null would be rewritten every run); the
 * three email slots are compacted as Graph keeps them (its list has no holes: the non-null addresses
 * in order go into slots 1..3; chosen), and a write of some slots is written over the compacted list
 * of the record as last read; a body (`description`) has `\n` line endings and no trailing
 * whitespace (Exchange adds `\r\n` and trailing newlines).
 */
import { SYNC_FIELDS, type SyncValueKind } from '../rules/syncFieldCatalog';
import type { MappingDirection, SyncEntity, SyncFields } from '../rules/syncTypes';
import type { CrmSyncRecord } from './syncPort';

type Row = Readonly<Record<string, unknown>>;

export interface SyncTable {
  readonly logicalName: string;
  readonly set: string;
  readonly key: string;
}

export const SYNC_TABLES: Readonly<Record<SyncEntity, SyncTable>> = {
  contact: { logicalName: 'contact', set: 'contacts', key: 'contactid' },
  appointment: { logicalName: 'appointment', set: 'appointments', key: 'activityid' },
  task: { logicalName: 'task', set: 'tasks', key: 'activityid' },
};

/**
 * An appointment's party-list attributes and their `participationtypemask` (activityparty table:
 * 5 required attendee, 6 optional attendee, 7 organizer). They are not columns a query can select;
 * they are read and written as activity parties.
 */
export const ATTENDEE_MASKS: Readonly<Record<string, number>> = {
  requiredattendees: 5,
  optionalattendees: 6,
  organizer: 7,
};

export const isPartyAttribute = (entity: SyncEntity, attribute: string): boolean =>
  entity === 'appointment' && attribute in ATTENDEE_MASKS;

/** A contact's three email slots, compacted together (the header). */
export const EMAIL_SLOTS = ['emailaddress1', 'emailaddress2', 'emailaddress3'] as const;

/** What the planner reads of every record besides the mapped fields (CrmSyncRecord). */
export function plannerColumns(entity: SyncEntity): string[] {
  const columns = [SYNC_TABLES[entity].key, 'statecode', 'statuscode', 'createdon', 'modifiedon'];
  // §2.4's company rule reads the parent account's name: the lookup's formatted value.
  if (entity === 'contact') columns.push('parentcustomerid');
  return columns;
}

/**
 * The columns a read selects for `attributes`: the asked ones that are columns, then the ones their
 * values are read with (an appointment's all-day flag decides how its times read; the three email
 * slots are compacted together), then the planner's.
 */
export function readColumns(entity: SyncEntity, attributes: readonly string[]): string[] {
  const shaping: string[] = [];
  if (entity === 'appointment') shaping.push('isalldayevent');
  if (entity === 'contact' && attributes.some((a) => (EMAIL_SLOTS as readonly string[]).includes(a)))
    shaping.push(...EMAIL_SLOTS);
  return [
    ...new Set([
      ...attributes.filter((a) => !isPartyAttribute(entity, a)),
      ...shaping,
      ...plannerColumns(entity),
    ]),
  ];
}

/** `$select` names: a lookup is selected as `_<name>_value` in OData (not in FetchXML). */
export const odataSelect = (columns: readonly string[]): string[] =>
  columns.map((c) => (c === 'parentcustomerid' ? '_parentcustomerid_value' : c));

const kindOf = (entity: SyncEntity, attribute: string): SyncValueKind | null =>
  SYNC_FIELDS[entity].find((f) => f.crm === attribute)?.kind ?? null;

/** A day kept as a day by Dataverse (DateOnly behaviour), not an instant. */
const DATE_ONLY: ReadonlySet<string> = new Set(['contact.birthdate']);

/** The times an all-day appointment keeps as local midnights (the header). */
const ALL_DAY_TIMES: ReadonlySet<string> = new Set(['scheduledstart', 'scheduledend']);

/** The catalog's bodies (Outlook's body or notes), normalized as text bodies (the header). */
const isBody = (entity: SyncEntity, attribute: string): boolean =>
  SYNC_FIELDS[entity].some(
    (f) =>
      f.crm === attribute && f.kind === 'text' && (f.outlook === 'body' || f.outlook === 'personalNotes'),
  );

const IMPORTANCE = ['low', 'normal', 'high'] as const;
/** What Graph answers for an item that never had an importance (the header). */
const DEFAULT_IMPORTANCE = 'normal';

/**
 * Appointment status reasons (appointment table: statecode 0 Open → 1 Free, 2 Tentative; 3 Scheduled
 * → 5 Busy, 6 Out of Office; 1 Completed → 3; 2 Canceled → 4).
 */
const SHOW_AS_BY_STATUS: Readonly<Record<number, string>> = {
  1: 'free',
  2: 'tentative',
  5: 'busy',
  6: 'oof',
};
const STATE_FOR_SHOW_AS: Readonly<Record<string, { statecode: number; statuscode: number }>> = {
  free: { statecode: 0, statuscode: 1 },
  tentative: { statecode: 0, statuscode: 2 },
  busy: { statecode: 3, statuscode: 5 },
  oof: { statecode: 3, statuscode: 6 },
};
const APPOINTMENT_COMPLETED = 3;

/** Task status reasons (task table: statecode 0 Open → 2, 3, 4, 7; 1 Completed → 5; 2 Canceled → 6). */
const TASK_STATUS_BY_CODE: Readonly<Record<number, string>> = {
  2: 'notStarted',
  3: 'inProgress',
  4: 'waitingOnOthers',
  7: 'deferred',
  5: 'completed',
};
const CANCELED = 2;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** UTC to the second with `Z`, or null when the text is not an instant. */
export function normalizeInstant(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  const time = Date.parse(value);
  if (Number.isNaN(time)) return null;
  return `${new Date(time).toISOString().slice(0, 19)}Z`;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The formatter of one IANA zone's calendar date; RangeError when the name is no zone. `en-CA`
 * formats a date as `YYYY-MM-DD` already, read through its parts so no locale detail leaks in.
 */
function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormats.set(timeZone, format);
  }
  return format;
}

/** Throws a RangeError when `timeZone` is not an IANA zone this runtime knows. */
export function checkTimeZone(timeZone: string): void {
  dayFormat(timeZone);
}

/** The `YYYY-MM-DD` an instant (ms) falls on in the zone. */
function localDay(at: number, timeZone: string): string {
  const parts = dayFormat(timeZone).formatToParts(new Date(at));
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/**
 * The UTC instant (ms) of the zone's first moment of `day`: its midnight, or, where a DST change
 * skips midnight, the first second that falls on the day. The last instant before the day is
 * narrowed down by halving a window of ±15 hours around UTC midnight (every zone's offset is within
 * it), so no offset table is needed; answers are kept, as a run writes few distinct days.
 */
const midnights = new Map<string, number>();
function localMidnight(day: string, timeZone: string): number {
  const key = `${timeZone} ${day}`;
  const known = midnights.get(key);
  if (known !== undefined) return known;
  const wall = Date.parse(`${day}T00:00:00Z`);
  let before = wall - 15 * 3_600_000;
  let onDay = wall + 15 * 3_600_000;
  while (onDay - before > 1000) {
    const mid = before + Math.floor((onDay - before) / 2000) * 1000;
    if (localDay(mid, timeZone) < day) before = mid;
    else onDay = mid;
  }
  midnights.set(key, onDay);
  return onDay;
}

/**
 * `YYYY-MM-DD`: a DateOnly column as it is; a date-and-time column (a task's due date) by its date
 * in the user's zone.
 */
export function normalizeDate(value: unknown, timeZone = 'UTC'): string | null {
  if (typeof value !== 'string' || value === '') return null;
  if (DAY.test(value)) return value;
  const instant = normalizeInstant(value);
  return instant ? localDay(Date.parse(instant), timeZone) : null;
}

/** An all-day appointment's time: `YYYY-MM-DDT00:00:00Z` of its date in the user's zone (the header). */
export function normalizeAllDayInstant(value: unknown, timeZone = 'UTC'): string | null {
  const day = normalizeDate(value, timeZone);
  return day ? `${day}T00:00:00Z` : null;
}

/** A body's text: `\n` line endings, no trailing whitespace; nothing left is null. */
export function normalizeBody(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.replace(/\r\n?/g, '\n').trimEnd();
  return text === '' ? null : text;
}

/** The attendees' addresses: trimmed, lowercased, each once, sorted; none is null. */
export function normalizeAddresses(addresses: readonly (string | null | undefined)[]): string[] | null {
  const set = new Set(
    addresses.filter((a): a is string => typeof a === 'string').map((a) => a.trim().toLowerCase()),
  );
  set.delete('');
  const sorted = [...set].sort();
  return sorted.length > 0 ? sorted : null;
}

/** A contact's three email slots as Graph keeps them: the non-empty addresses in order, then nulls. */
export function compactEmails(slots: readonly unknown[]): (string | null)[] {
  const present = slots.filter((s): s is string => typeof s === 'string' && s.trim() !== '');
  return EMAIL_SLOTS.map((_, i) => present[i] ?? null);
}

const asNumber = (value: unknown): number | null => (typeof value === 'number' ? value : null);

/** What the values of one record are read and written with besides its own columns. */
export interface ShapeContext {
  /** The user's IANA time zone (the header); UTC when not given. */
  readonly timeZone?: string;
}

/** One column's value in the catalog's domain. */
function readValue(entity: SyncEntity, attribute: string, row: Row, timeZone: string): unknown {
  const raw = row[attribute];
  if (entity === 'appointment' && ALL_DAY_TIMES.has(attribute) && row.isalldayevent === true)
    return normalizeAllDayInstant(raw, timeZone);
  if (isBody(entity, attribute)) return normalizeBody(raw);
  switch (kindOf(entity, attribute)) {
    case 'text':
      return typeof raw === 'string' && raw !== '' ? raw : null;
    case 'instant':
      return normalizeInstant(raw);
    case 'date':
      return normalizeDate(raw, DATE_ONLY.has(`${entity}.${attribute}`) ? 'UTC' : timeZone);
    case 'boolean':
      // Graph's isAllDay is never null: a CRM null is its default (the header).
      return typeof raw === 'boolean' ? raw : false;
    case 'importance': {
      const code = asNumber(raw);
      return code !== null ? (IMPORTANCE[code] ?? DEFAULT_IMPORTANCE) : DEFAULT_IMPORTANCE;
    }
    case 'showAs': {
      const code = asNumber(raw);
      if (code === null) return null;
      // A completed meeting was busy time (chosen); a canceled one has no show-as.
      return SHOW_AS_BY_STATUS[code] ?? (code === APPOINTMENT_COMPLETED ? 'busy' : null);
    }
    case 'taskStatus': {
      const code = asNumber(raw);
      return code !== null ? (TASK_STATUS_BY_CODE[code] ?? null) : null;
    }
    case 'addresses':
      return null; // parties, read by partyFields
    default:
      // A mapping Dataverse defines outside the catalog: JSON as it comes, "" as null (chosen).
      return raw === undefined || raw === '' ? null : raw;
  }
}

/** One activity party of an appointment, its address already chosen (`addressused`, else the party's email). */
export interface PartyAddress {
  readonly mask: number;
  readonly address: string | null;
}

/** The party-list fields among `attributes`, from the appointment's parties. */
export function partyFields(
  attributes: readonly string[],
  parties: readonly PartyAddress[],
): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const attribute of attributes) {
    const mask = ATTENDEE_MASKS[attribute];
    if (mask === undefined) continue;
    fields[attribute] = normalizeAddresses(parties.filter((p) => p.mask === mask).map((p) => p.address));
  }
  return fields;
}

const FORMATTED = '@OData.Community.Display.V1.FormattedValue';
const LOGICAL_NAME = '@Microsoft.Dynamics.CRM.lookuplogicalname';
const ETAG = '@odata.etag';

/**
 * A row (with `Prefer: odata.include-annotations="*"`) as the record synchronization reads, or
 * null when it has no id. FetchXML answers leave out null columns, so a missing column is null.
 */
export function recordFromRow(
  entity: SyncEntity,
  row: Row,
  attributes: readonly string[],
  parties: readonly PartyAddress[] = [],
  context: ShapeContext = {},
): CrmSyncRecord | null {
  const id = row[SYNC_TABLES[entity].key];
  if (typeof id !== 'string' || id === '') return null;
  const timeZone = context.timeZone ?? 'UTC';
  const emails = compactEmails(EMAIL_SLOTS.map((slot) => row[slot]));
  const shaped: Row =
    entity === 'contact'
      ? { ...row, ...Object.fromEntries(EMAIL_SLOTS.map((slot, i) => [slot, emails[i]])) }
      : row;
  const fields: Record<string, unknown> = {};
  for (const attribute of attributes)
    if (!isPartyAttribute(entity, attribute))
      fields[attribute] = readValue(entity, attribute, shaped, timeZone);
  if (entity === 'appointment') Object.assign(fields, partyFields(attributes, parties));
  const state = asNumber(row.statecode);
  const parentIsAccount = row[`_parentcustomerid_value${LOGICAL_NAME}`] === 'account';
  const parentName = row[`_parentcustomerid_value${FORMATTED}`];
  const etag = row[ETAG];
  return {
    id: id.toLowerCase(),
    // §2: a contact counts while active; an appointment or task until canceled (completed stays).
    active: entity === 'contact' ? state === 0 : state !== CANCELED,
    createdOn: normalizeInstant(row.createdon),
    modifiedOn: normalizeInstant(row.modifiedon),
    fields: fields as SyncFields,
    parentAccountName:
      entity === 'contact' && parentIsAccount && typeof parentName === 'string' && parentName !== ''
        ? parentName
        : null,
    etag: typeof etag === 'string' && etag !== '' ? etag : null,
  };
}

/**
 * What a write of some fields needs to know of the record as last read: whether an appointment is
 * all day (an update of its times alone does not say), and a contact's compacted email slots (an
 * update of one slot is written over them). Unknown (null) when the record was not read.
 */
export interface RecordAsRead {
  readonly allDay: boolean | null;
  readonly emails: readonly (string | null)[] | null;
}

/** The parts of a row a later write of the same record needs (RecordAsRead). */
export function recordAsRead(entity: SyncEntity, row: Row): RecordAsRead {
  return {
    allDay: entity === 'appointment' && typeof row.isalldayevent === 'boolean' ? row.isalldayevent : null,
    emails:
      entity === 'contact' && EMAIL_SLOTS.some((s) => s in row)
        ? compactEmails(EMAIL_SLOTS.map((s) => row[s]))
        : null,
  };
}

/** A write's body without its attendees, and the attendees it sets (by participation mask). */
export interface RowWrite {
  readonly body: Record<string, unknown>;
  /** Only the party lists the write names; an absent mask is left as it is. */
  readonly attendees: ReadonlyMap<number, readonly string[]>;
}

/** One normalized value as the column takes it. */
function writeValue(entity: SyncEntity, attribute: string, value: unknown, timeZone: string): unknown {
  if (value === null || value === undefined) return null;
  if (isBody(entity, attribute)) return normalizeBody(value);
  switch (kindOf(entity, attribute)) {
    case 'text':
      return value === '' ? null : value;
    case 'date':
      // A day written to a date-and-time column (a task's due date) is the user's local midnight
      // of that day, read back as the same day by normalizeDate.
      if (DATE_ONLY.has(`${entity}.${attribute}`)) return value;
      return typeof value === 'string' && DAY.test(value)
        ? new Date(localMidnight(value, timeZone)).toISOString().replace('.000Z', 'Z')
        : null;
    case 'importance': {
      const code = IMPORTANCE.indexOf(value as (typeof IMPORTANCE)[number]);
      return code >= 0 ? code : null;
    }
    default:
      return value;
  }
}

/** An all-day appointment's `YYYY-MM-DDT00:00:00Z` as the user's local midnight of that date, in UTC. */
function writeAllDayInstant(value: unknown, timeZone: string): string | null {
  const instant = normalizeInstant(value);
  if (!instant) return null;
  return new Date(localMidnight(instant.slice(0, 10), timeZone)).toISOString().replace('.000Z', 'Z');
}

/**
 * The body of a create or update. A show-as or a task status is a status reason, written with the
 * state it belongs to: Dataverse takes `statecode` and `statuscode` together in one update
 * ("Update with status": a status reason must be valid for the state), so a task marked completed
 * is `{statecode: 1, statuscode: 5}` and one reopened `{statecode: 0, statuscode: 3}`.
 *
 * `asRead` is the record as last read (an update): an appointment's times are all-day ones when the
 * write says so, else when the record was; a contact's email slots written are laid over its
 * compacted slots and all three written, so the CRM's slots end compacted as Graph's.
 */
export function rowFromFields(
  entity: SyncEntity,
  fields: SyncFields,
  context: ShapeContext = {},
  asRead: RecordAsRead = { allDay: null, emails: null },
): RowWrite {
  const timeZone = context.timeZone ?? 'UTC';
  const body: Record<string, unknown> = {};
  const attendees = new Map<number, readonly string[]>();
  const allDay = typeof fields.isalldayevent === 'boolean' ? fields.isalldayevent : (asRead.allDay ?? false);
  for (const [attribute, value] of Object.entries(fields)) {
    if (isPartyAttribute(entity, attribute)) {
      const list = Array.isArray(value)
        ? (value as unknown[]).map((a) => (typeof a === 'string' ? a : null))
        : [];
      attendees.set(ATTENDEE_MASKS[attribute] as number, normalizeAddresses(list) ?? []);
      continue;
    }
    const kind = kindOf(entity, attribute);
    if (kind === 'showAs') {
      const state = typeof value === 'string' ? STATE_FOR_SHOW_AS[value] : undefined;
      if (state) Object.assign(body, state);
      continue;
    }
    if (kind === 'taskStatus') {
      const code = Number(
        Object.keys(TASK_STATUS_BY_CODE).find((c) => TASK_STATUS_BY_CODE[Number(c)] === value),
      );
      if (Number.isInteger(code)) Object.assign(body, { statecode: code === 5 ? 1 : 0, statuscode: code });
      continue;
    }
    body[attribute] =
      entity === 'appointment' && allDay && ALL_DAY_TIMES.has(attribute)
        ? writeAllDayInstant(value, timeZone)
        : writeValue(entity, attribute, value, timeZone);
  }
  const known = asRead.emails;
  // A record not read (a create) has no slots to lay the write over: its slots are written as given.
  if (entity === 'contact' && known !== null && EMAIL_SLOTS.some((slot) => slot in body)) {
    const compacted = compactEmails(EMAIL_SLOTS.map((slot, i) => (slot in body ? body[slot] : known[i])));
    EMAIL_SLOTS.forEach((slot, i) => {
      body[slot] = compacted[i];
    });
  }
  return { body, attendees };
}

/** `EntityTypeCode` of the three types in Dataverse's AttributeMapping rows (contact 2, appointment 4201, task 4212). */
export const ENTITY_TYPE_CODES: Readonly<Record<SyncEntity, number>> = {
  contact: 2,
  appointment: 4201,
  task: 4212,
};

/**
 * Dataverse's `SyncDirection` (synchronization.md §1: 0 none, 1 to Exchange, 2 to CRM, 3 both).
 */
export const DIRECTIONS: readonly MappingDirection[] = ['none', 'toOutlook', 'toCrm', 'both'];

/**
 * `AttributeExchangeName` → the catalog's flat Outlook name, per type. Microsoft documents the
 * AttributeMapping type ("for internal use only") but not the values of its Exchange names, so this
 * table takes the names Outlook itself gives the fields (the Outlook object model's ContactItem,
 * AppointmentItem and TaskItem properties, which the legacy client synchronized) and the EWS names
 * of the same fields, compared without case; the catalog's own flat names are accepted as they are
 * (chosen). A name not found here is logged and its mapping left out.
 */
const EXCHANGE_NAMES: Readonly<Record<SyncEntity, Readonly<Record<string, string>>>> = {
  contact: {
    title: 'title',
    firstname: 'givenName',
    givenname: 'givenName',
    middlename: 'middleName',
    lastname: 'surname',
    surname: 'surname',
    suffix: 'generation',
    generation: 'generation',
    nickname: 'nickName',
    jobtitle: 'jobTitle',
    department: 'department',
    email1address: 'email1Address',
    emailaddress1: 'email1Address',
    email2address: 'email2Address',
    emailaddress2: 'email2Address',
    email3address: 'email3Address',
    emailaddress3: 'email3Address',
    businesstelephonenumber: 'businessPhone',
    businessphone: 'businessPhone',
    hometelephonenumber: 'homePhone',
    homephone: 'homePhone',
    mobiletelephonenumber: 'mobilePhone',
    mobilephone: 'mobilePhone',
    businessaddressstreet: 'businessStreet',
    businessaddresscity: 'businessCity',
    businessaddressstate: 'businessState',
    businessaddresspostalcode: 'businessPostalCode',
    businessaddresscountry: 'businessCountryOrRegion',
    webpage: 'businessHomePage',
    businesshomepage: 'businessHomePage',
    birthday: 'birthday',
    spouse: 'spouseName',
    spousename: 'spouseName',
    assistantname: 'assistantName',
    body: 'personalNotes',
    companyname: 'companyName',
  },
  appointment: {
    subject: 'subject',
    start: 'start',
    end: 'end',
    alldayevent: 'isAllDay',
    isallday: 'isAllDay',
    isalldayevent: 'isAllDay',
    location: 'location',
    body: 'body',
    importance: 'importance',
    busystatus: 'showAs',
    legacyfreebusystatus: 'showAs',
    requiredattendees: 'requiredAttendees',
    optionalattendees: 'optionalAttendees',
    organizer: 'organizer',
  },
  task: {
    subject: 'title',
    title: 'title',
    body: 'body',
    duedate: 'dueDate',
    importance: 'importance',
    status: 'status',
  },
};

/** The catalog's flat Outlook name for Dataverse's Exchange name, or null when none is known. */
export function outlookNameOf(entity: SyncEntity, exchangeName: string): string | null {
  const wanted = exchangeName.trim().toLowerCase();
  const own = SYNC_FIELDS[entity].find((f) => f.outlook.toLowerCase() === wanted);
  if (own) return own.outlook;
  return EXCHANGE_NAMES[entity][wanted] ?? null;
}
