/**
 * The fields synchronization knows (synchronization.md §1 "Field mappings"), with the value each side
 * is normalized to before the planner compares them (§2: "values arrive normalized by the runner"),
 * and the default mappings used when Dataverse defines none: Microsoft's table "What fields can be
 * synchronized with Outlook?" (https://learn.microsoft.com/power-platform/admin/what-fields-synchronized-outlook),
 * vendored row by row in docs/sync-fields.md with the entry each row became here or why it has none.
 *
 * A mapping's `crm` is a Dataverse attribute's logical name; its `outlook` is a flat name this file
 * gives a Graph field (Graph nests many: `businessAddress.city` is `businessCity`). Both sides'
 * converters (src/crm/syncShapes.ts, src/graph/syncShapes.ts) produce, for one field, the SAME value
 * domain below, so a CRM value and an Outlook value compare as JSON:
 *
 * - text: a string, never `""` (an empty or missing text is null on both sides, as Dataverse keeps no
 *   empty strings; otherwise a cleared Outlook field would flap against the CRM's null);
 * - instant: UTC ISO 8601 to the second, `2026-01-10T09:00:00Z` (Graph's dateTimeTimeZone and
 *   Dataverse's DateTimeOffset both converted);
 * - date: `YYYY-MM-DD` (a contact's birthday; a task's due date, which To Do keeps as a day);
 * - boolean: true/false;
 * - importance: `low` | `normal` | `high` (Dataverse `prioritycode` 0/1/2, Graph `importance`);
 * - showAs: `free` | `tentative` | `busy` | `oof` (Dataverse appointment `statuscode` 1/2/5/6 while
 *   open; Graph `showAs`, its `workingElsewhere`/`unknown` read as `busy`);
 * - taskStatus: `notStarted` | `inProgress` | `waitingOnOthers` | `deferred` | `completed` (Dataverse
 *   task `statuscode` 2/3/4/7 while open and 5 when completed; To Do `status` has the same five);
 * - addresses: the attendees' email addresses, lowercased, trimmed, de-duplicated and sorted; an empty
 *   list is null.
 *
 * Directions are Microsoft's: its "Default sync" column is each entry's `direction` and its "Settable
 * sync" column is `allowed` (a row Microsoft shows no settable arrows for allows its default only).
 * Microsoft's arrows read from the Outlook column to the CRM column: one-way right is Outlook → CRM
 * (`toCrm`), one-way left is CRM → Outlook (`toOutlook`) (page "View the fields that are synchronized").
 * One entry departs from Microsoft, because Graph cannot write the field: the appointment's organizer
 * (see APPOINTMENT_FIELDS). Where Microsoft syncs one aggregate (Full Name, Business Address,
 * Appointment Time) the catalog keeps its parts, each with the aggregate's directions. A Dataverse-
 * defined mapping is held to its entry's `allowed` directions, and one the catalog has no entry for is
 * left out (the runner's syncConfig.ts, logged): the converters know only these fields.
 *
 * Labels are Microsoft's Outlook field names (the Synchronization tab shows Outlook's side, as
 * Microsoft's dialog does), a part named after its aggregate.
 *
 * Imports nothing outside src/rules.
 */
import type { MappingDirection, SyncEntity, SyncMapping } from './syncTypes';

export type SyncValueKind =
  'text' | 'instant' | 'date' | 'boolean' | 'importance' | 'showAs' | 'taskStatus' | 'addresses';

export interface SyncField extends SyncMapping {
  /** The value domain both sides are normalized to. */
  readonly kind: SyncValueKind;
  /** What the pane shows (Synchronization tab, read-only view of the synchronized fields). */
  readonly label: string;
  /** The directions Dataverse allows for this mapping (a one-way field is never `both`). */
  readonly allowed: readonly MappingDirection[];
}

const ALL: readonly MappingDirection[] = ['none', 'toOutlook', 'toCrm', 'both'];
/** Microsoft's table shows no settable arrows (Full Name, Importance, Status) or only two-way. */
const BOTH_ONLY: readonly MappingDirection[] = ['both'];
const TO_CRM_ONLY: readonly MappingDirection[] = ['none', 'toCrm'];

const field = (
  crm: string,
  outlook: string,
  kind: SyncValueKind,
  label: string,
  direction: MappingDirection = 'both',
  allowed: readonly MappingDirection[] = ALL,
): SyncField => ({ crm, outlook, kind, label, direction, allowed });

/**
 * Contact ↔ Outlook contact. The company name is not here: §2.4 gives it its own rule
 * (`synccontactcompany`, from the parent account, CRM → Outlook only); Microsoft's row is
 * "Parent (Regarding)" ↔ "Company Name (Regarding)", `parentcustomerid`.
 *
 * Full Name: Dataverse's `fullname` is read-only (computed from the name parts), so the catalog syncs
 * the parts Outlook's full name is made of (chosen). Business Address: Microsoft's "Address 1"; Graph
 * keeps one multi-line `street` where Dataverse has three lines, and only `address1_line1` is mapped:
 * `address1_line2`/`address1_line3` are not synchronized (chosen, docs/sync-fields.md).
 */
export const CONTACT_FIELDS: readonly SyncField[] = [
  field('salutation', 'title', 'text', 'Full name: title', 'both', BOTH_ONLY),
  field('firstname', 'givenName', 'text', 'Full name: first', 'both', BOTH_ONLY),
  field('middlename', 'middleName', 'text', 'Full name: middle', 'both', BOTH_ONLY),
  field('lastname', 'surname', 'text', 'Full name: last', 'both', BOTH_ONLY),
  field('suffix', 'generation', 'text', 'Full name: suffix', 'both', BOTH_ONLY),
  field('nickname', 'nickName', 'text', 'Nickname'),
  field('jobtitle', 'jobTitle', 'text', 'Job title'),
  field('department', 'department', 'text', 'Department'),
  field('emailaddress1', 'email1Address', 'text', 'E-mail'),
  field('emailaddress2', 'email2Address', 'text', 'E-mail 2'),
  field('emailaddress3', 'email3Address', 'text', 'E-mail 3'),
  field('telephone1', 'businessPhone', 'text', 'Business phone'),
  field('telephone2', 'homePhone', 'text', 'Home phone'),
  field('mobilephone', 'mobilePhone', 'text', 'Mobile'),
  field('address1_line1', 'businessStreet', 'text', 'Business address: street'),
  field('address1_city', 'businessCity', 'text', 'Business address: city'),
  field('address1_stateorprovince', 'businessState', 'text', 'Business address: state/province'),
  field('address1_postalcode', 'businessPostalCode', 'text', 'Business address: ZIP/postal code'),
  field('address1_country', 'businessCountryOrRegion', 'text', 'Business address: country/region'),
  field('websiteurl', 'businessHomePage', 'text', 'Web page'),
  field('birthdate', 'birthday', 'date', 'Birthday'),
  field('spousesname', 'spouseName', 'text', 'Spouse/partner'),
  field('assistantname', 'assistantName', 'text', "Assistant's name"),
  field('description', 'personalNotes', 'text', 'Notes'),
];

/**
 * Appointment ↔ Outlook event. Appointment Time is Microsoft's aggregate of start, end, duration and
 * all day event; Graph has no duration (it is end − start), so three parts.
 *
 * Organizer: Microsoft's default is two-way, but Graph's Update event lists no `organizer` (Exchange
 * sets it: the calendar's owner or whoever sent the invitation), and Microsoft's own note says an
 * appointment created in the CRM gets its Outlook organizer only once modified in Outlook. Nor is the
 * Outlook side a source: the copy of a colleague's meeting in the user's own calendar names the user
 * as its organizer, so writing it to the CRM would replace the colleague with the user. Not
 * synchronized by default; an organization may still choose Outlook → CRM (chosen).
 */
export const APPOINTMENT_FIELDS: readonly SyncField[] = [
  field('subject', 'subject', 'text', 'Subject'),
  field('scheduledstart', 'start', 'instant', 'Appointment time: start', 'both', BOTH_ONLY),
  field('scheduledend', 'end', 'instant', 'Appointment time: end', 'both', BOTH_ONLY),
  field('isalldayevent', 'isAllDay', 'boolean', 'Appointment time: all day event', 'both', BOTH_ONLY),
  field('location', 'location', 'text', 'Location'),
  field('description', 'body', 'text', 'Body'),
  field('prioritycode', 'importance', 'importance', 'Importance', 'both', BOTH_ONLY),
  field('statuscode', 'showAs', 'showAs', 'Show time as', 'both', BOTH_ONLY),
  field('requiredattendees', 'requiredAttendees', 'addresses', 'Required attendees', 'both', BOTH_ONLY),
  field('optionalattendees', 'optionalAttendees', 'addresses', 'Optional attendees', 'both', BOTH_ONLY),
  field('organizer', 'organizer', 'addresses', 'Organizer', 'none', TO_CRM_ONLY),
];

/**
 * Task ↔ Microsoft To Do task. Microsoft's Due Date "includes date and time"; To Do keeps a day, so
 * the catalog compares days (chosen).
 */
export const TASK_FIELDS: readonly SyncField[] = [
  field('subject', 'title', 'text', 'Subject'),
  field('description', 'body', 'text', 'Notes'),
  field('scheduledend', 'dueDate', 'date', 'Due date'),
  field('prioritycode', 'importance', 'importance', 'Importance', 'both', BOTH_ONLY),
  field('statuscode', 'status', 'taskStatus', 'Status', 'both', BOTH_ONLY),
];

export const SYNC_FIELDS: Readonly<Record<SyncEntity, readonly SyncField[]>> = {
  contact: CONTACT_FIELDS,
  appointment: APPOINTMENT_FIELDS,
  task: TASK_FIELDS,
};

/** The default mappings of one record type (§1), in the catalog's order. */
export function defaultMappings(entity: SyncEntity): SyncMapping[] {
  return SYNC_FIELDS[entity].map(({ crm, outlook, direction }) => ({ crm, outlook, direction }));
}
