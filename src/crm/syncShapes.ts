/**
 * Dataverse's row JSON ↔ the normalized field values of src/rules/syncFieldCatalog.ts, per record
 * type. Reading: a row of a FetchXML or OData read (annotations on) and, for appointments, its
 * activity parties become a CrmSyncRecord whose `fields` compare as JSON with the Outlook side's.
 * Writing: normalized fields become the body of a create or update, the attendees apart (they are
 * activity parties, not columns: the adapter writes them).
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

/** What the planner reads of every record besides the mapped fields (CrmSyncRecord). */
export function plannerColumns(entity: SyncEntity): string[] {
  const columns = [SYNC_TABLES[entity].key, 'statecode', 'statuscode', 'createdon', 'modifiedon'];
  // §2.4's company rule reads the parent account's name: the lookup's formatted value.
  if (entity === 'contact') columns.push('parentcustomerid');
  return columns;
}

/** The columns a read selects for `attributes`: the asked ones that are columns, then the planner's. */
export function readColumns(entity: SyncEntity, attributes: readonly string[]): string[] {
  return [...new Set([...attributes.filter((a) => !isPartyAttribute(entity, a)), ...plannerColumns(entity)])];
}

/** `$select` names: a lookup is selected as `_<name>_value` in OData (not in FetchXML). */
export const odataSelect = (columns: readonly string[]): string[] =>
  columns.map((c) => (c === 'parentcustomerid' ? '_parentcustomerid_value' : c));

const kindOf = (entity: SyncEntity, attribute: string): SyncValueKind | null =>
  SYNC_FIELDS[entity].find((f) => f.crm === attribute)?.kind ?? null;

/** A day kept as a day by Dataverse (DateOnly behaviour), not an instant. */
const DATE_ONLY: ReadonlySet<string> = new Set(['contact.birthdate']);

const IMPORTANCE = ['low', 'normal', 'high'] as const;

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

/** UTC to the second with `Z`, or null when the text is not an instant. */
export function normalizeInstant(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  const time = Date.parse(value);
  if (Number.isNaN(time)) return null;
  return `${new Date(time).toISOString().slice(0, 19)}Z`;
}

/** `YYYY-MM-DD`: a DateOnly column as it is; an instant by its UTC day (chosen: Dataverse answers UTC). */
export function normalizeDate(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const instant = normalizeInstant(value);
  return instant ? instant.slice(0, 10) : null;
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

const asNumber = (value: unknown): number | null => (typeof value === 'number' ? value : null);

/** One column's value in the catalog's domain. */
function readValue(entity: SyncEntity, attribute: string, row: Row): unknown {
  const raw = row[attribute];
  switch (kindOf(entity, attribute)) {
    case 'text':
      return typeof raw === 'string' && raw !== '' ? raw : null;
    case 'instant':
      return normalizeInstant(raw);
    case 'date':
      return normalizeDate(raw);
    case 'boolean':
      return typeof raw === 'boolean' ? raw : null;
    case 'importance': {
      const code = asNumber(raw);
      return code !== null ? (IMPORTANCE[code] ?? null) : null;
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

/**
 * A row (with `Prefer: odata.include-annotations="*"`) as the record synchronization reads, or
 * null when it has no id. FetchXML answers leave out null columns, so a missing column is null.
 */
export function recordFromRow(
  entity: SyncEntity,
  row: Row,
  attributes: readonly string[],
  parties: readonly PartyAddress[] = [],
): CrmSyncRecord | null {
  const id = row[SYNC_TABLES[entity].key];
  if (typeof id !== 'string' || id === '') return null;
  const fields: Record<string, unknown> = {};
  for (const attribute of attributes)
    if (!isPartyAttribute(entity, attribute)) fields[attribute] = readValue(entity, attribute, row);
  if (entity === 'appointment') Object.assign(fields, partyFields(attributes, parties));
  const state = asNumber(row.statecode);
  const parentIsAccount = row[`_parentcustomerid_value${LOGICAL_NAME}`] === 'account';
  const parentName = row[`_parentcustomerid_value${FORMATTED}`];
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
  };
}

/** A write's body without its attendees, and the attendees it sets (by participation mask). */
export interface RowWrite {
  readonly body: Record<string, unknown>;
  /** Only the party lists the write names; an absent mask is left as it is. */
  readonly attendees: ReadonlyMap<number, readonly string[]>;
}

/** One normalized value as the column takes it. */
function writeValue(entity: SyncEntity, attribute: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (kindOf(entity, attribute)) {
    case 'text':
      return value === '' ? null : value;
    case 'date':
      // A day written to a date-and-time column (a task's due date) is that day at 00:00 UTC,
      // read back as the same day by normalizeDate (chosen).
      return DATE_ONLY.has(`${entity}.${attribute}`) ? value : `${String(value)}T00:00:00Z`;
    case 'importance': {
      const code = IMPORTANCE.indexOf(value as (typeof IMPORTANCE)[number]);
      return code >= 0 ? code : null;
    }
    default:
      return value;
  }
}

/**
 * The body of a create or update. A show-as or a task status is a status reason, written with the
 * state it belongs to: Dataverse takes `statecode` and `statuscode` together in one update
 * ("Update with status": a status reason must be valid for the state), so a task marked completed
 * is `{statecode: 1, statuscode: 5}` and one reopened `{statecode: 0, statuscode: 3}`.
 */
export function rowFromFields(entity: SyncEntity, fields: SyncFields): RowWrite {
  const body: Record<string, unknown> = {};
  const attendees = new Map<number, readonly string[]>();
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
    body[attribute] = writeValue(entity, attribute, value);
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
