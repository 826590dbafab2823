/**
 * The fields synchronization knows (synchronization.md §1 "Field mappings"), with the value each side
 * is normalized to before the planner compares them (§2: "values arrive normalized by the runner"),
 * and the default mappings used when Dataverse defines none: Microsoft's table "What fields can be
 * synchronized with Outlook?" (Dynamics 365 Customer Engagement admin docs), as far as Microsoft Graph
 * and Dataverse have a home for the field.
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
const TO_OUTLOOK_ONLY: readonly MappingDirection[] = ['none', 'toOutlook'];

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
 * (`synccontactcompany`, from the parent account, CRM → Outlook only).
 */
export const CONTACT_FIELDS: readonly SyncField[] = [
  field('salutation', 'title', 'text', 'Title'),
  field('firstname', 'givenName', 'text', 'First name'),
  field('middlename', 'middleName', 'text', 'Middle name'),
  field('lastname', 'surname', 'text', 'Last name'),
  field('suffix', 'generation', 'text', 'Suffix'),
  field('nickname', 'nickName', 'text', 'Nickname'),
  field('jobtitle', 'jobTitle', 'text', 'Job title'),
  field('department', 'department', 'text', 'Department'),
  field('emailaddress1', 'email1Address', 'text', 'Email'),
  field('emailaddress2', 'email2Address', 'text', 'Email 2'),
  field('emailaddress3', 'email3Address', 'text', 'Email 3'),
  field('telephone1', 'businessPhone', 'text', 'Business phone'),
  field('telephone2', 'homePhone', 'text', 'Home phone'),
  field('mobilephone', 'mobilePhone', 'text', 'Mobile phone'),
  field('address1_line1', 'businessStreet', 'text', 'Business street'),
  field('address1_city', 'businessCity', 'text', 'Business city'),
  field('address1_stateorprovince', 'businessState', 'text', 'Business state/province'),
  field('address1_postalcode', 'businessPostalCode', 'text', 'Business ZIP/postal code'),
  field('address1_country', 'businessCountryOrRegion', 'text', 'Business country/region'),
  field('websiteurl', 'businessHomePage', 'text', 'Web page'),
  field('birthdate', 'birthday', 'date', 'Birthday'),
  field('spousesname', 'spouseName', 'text', "Spouse's name"),
  field('assistantname', 'assistantName', 'text', "Assistant's name"),
  field('description', 'personalNotes', 'text', 'Notes'),
];

/** Appointment ↔ Outlook event. */
export const APPOINTMENT_FIELDS: readonly SyncField[] = [
  field('subject', 'subject', 'text', 'Subject'),
  field('scheduledstart', 'start', 'instant', 'Start time'),
  field('scheduledend', 'end', 'instant', 'End time'),
  field('isalldayevent', 'isAllDay', 'boolean', 'All day event'),
  field('location', 'location', 'text', 'Location'),
  field('description', 'body', 'text', 'Description'),
  field('prioritycode', 'importance', 'importance', 'Priority'),
  field('statuscode', 'showAs', 'showAs', 'Show time as'),
  field('requiredattendees', 'requiredAttendees', 'addresses', 'Required attendees'),
  field('optionalattendees', 'optionalAttendees', 'addresses', 'Optional attendees'),
  field('organizer', 'organizer', 'addresses', 'Organizer', 'toOutlook', TO_OUTLOOK_ONLY),
];

/** Task ↔ Microsoft To Do task. */
export const TASK_FIELDS: readonly SyncField[] = [
  field('subject', 'title', 'text', 'Subject'),
  field('description', 'body', 'text', 'Description'),
  field('scheduledend', 'dueDate', 'date', 'Due date'),
  field('prioritycode', 'importance', 'importance', 'Priority'),
  field('statuscode', 'status', 'taskStatus', 'Status'),
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
