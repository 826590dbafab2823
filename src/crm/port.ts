/**
 * The CRM port: the few things the add-in asks of the CRM, in its own words. The Dataverse Web API
 * adapter (dataverseAdapter.ts) is the one implementation; use cases and tests depend on this file only.
 */
import type { RawSettings } from '../rules/settingsInput';
import type { CrmRecord, RecordRef, TrackedEmail } from '../rules/types';

export interface CrmIdentity {
  readonly userId: string;
  readonly businessUnitId: string;
  readonly organizationId: string;
  /** From the user's mailbox row (`emailrouteraccessapproval` = 1); false when no mailbox is found. */
  readonly mailboxApproved: boolean;
  /**
   * The user's `fullname`, read in the session's one round trip; null when it could not be read.
   * Absent in an identity saved before it was read (an offline start from an older snapshot).
   */
  readonly userName?: string | null;
}

/** Raw settings as the rules' settingsInput reads them (§1), and where personal options are saved. */
export interface CrmSettingsSnapshot {
  readonly raw: RawSettings;
}

/**
 * An email-enabled table beyond the built-in five (§2.1 step 9 method 3, §2.4): a custom table
 * with `IsActivityParty`, its first Email-formatted column being its address.
 */
export interface EmailEnabledTable {
  readonly logicalName: string;
  readonly entitySet: string;
  readonly key: string;
  readonly name: string;
  readonly emails: readonly string[];
}

/**
 * The custom email-enabled tables a session found: which tables the organization listed, and the
 * address column of each that has one. Kept between sessions so that the next start, when the list
 * is the same, need not ask for the address columns again.
 */
export interface EmailTablesFound {
  /** Logical names of every custom table listed as an activity party, sorted. */
  readonly listed: readonly string[];
  readonly tables: readonly EmailEnabledTable[];
}

/** What a session starts from, fetched in ONE round trip. */
export interface CrmSessionStart {
  readonly identity: CrmIdentity;
  readonly settings: CrmSettingsSnapshot;
  /** Custom email-enabled tables found (also used by lookupItem from then on). */
  readonly emailTables: EmailTablesFound;
}

/** Personal options stored on the user's `usersettingscollection` row (§1.4 attributes only). */
export interface PersonalOptionsPatch {
  readonly incomingemailfilteringmethod?: number;
  readonly autocreatecontactonpromote?: number;
  readonly synccontactcompany?: boolean;
  readonly outlooksyncinterval?: number;
  readonly offlinesyncinterval?: number;
  readonly addressbooksyncinterval?: number;
  readonly isduplicatedetectionenabledwhengoingonline?: boolean;
}

/** What one item needs looked up: everything is asked in ONE request. */
export interface ItemLookupQuery {
  readonly messageId: string | null;
  /** Other ids the same email may be tracked under (the provisional id of a send-time track). */
  readonly extraMessageIds?: readonly string[];
  /**
   * Sender and recipients: records for these addresses across contact, account, lead, systemuser,
   * queue and the custom email-enabled tables found at session start.
   */
  readonly addresses: readonly string[];
  /**
   * In-Reply-To, then References from LAST to first (§3.1): newest first. When there are more than
   * a query holds, the first ones (the newest) are asked for.
   */
  readonly threadMessageIds: readonly string[];
  /**
   * Tracking tokens (§3.2) as whole tokens (prefix + digits), in the forms the rows may hold them
   * (as written, and with the configured prefix in its case, upper and lower case).
   */
  readonly trackingTokens: readonly string[];
  /** Thread-Index values of the email and its ancestors, base64 (§3.3). */
  readonly threadIndexes: readonly string[];
  /**
   * Smart-matching candidates (§3.4): the subject's words as the rules reduce them (hashfilterkeywords
   * removed, at most hashmaxcount, lower case). Tracked emails whose subject holds ANY of them are
   * fetched — a superset of what can match (a match's shorter word list lies inside the longer, so
   * they share a word), bounded to the newest SMART_CANDIDATES; the rules then decide exactly.
   * Null to skip.
   */
  readonly subjectWords: readonly string[] | null;
}

export interface ItemLookupResult {
  readonly records: readonly CrmRecord[];
  /** Tracked emails with this Message-ID, plus correlation candidates, without repeats. */
  readonly trackedEmails: readonly TrackedEmail[];
  /** Display names of records the tracked emails are regarding, by `type:id` (from the lookup annotations). */
  readonly regardingNames?: Readonly<Record<string, string>>;
}

export type PartyRole = 'from' | 'to' | 'cc' | 'bcc';

export interface PartyToTrack {
  readonly role: PartyRole;
  readonly address: string;
  /** The records the address resolved to; empty = unresolved, kept as `addressused`. */
  readonly records: readonly RecordRef[];
  /** For the sender only: index into `create` when the sender is a record created in the same changeset. */
  readonly createdIndex?: number;
}

export interface RecordToCreate {
  readonly type: 'contact' | 'lead';
  readonly address: string;
  readonly firstname: string | null;
  readonly lastname: string;
  /**
   * A lead's company (`companyname`, cut to its 100 characters). A contact has no such text column:
   * its "Company Name" is the parent account (`parentAccountId`), so this is not written for a contact.
   */
  readonly companyName?: string | null;
  /** A contact's parent account (`parentcustomerid`, the "Company Name" lookup); not written for a lead. */
  readonly parentAccountId?: string | null;
}

/** A record createRecord made, with the name Dataverse composed for it (`fullname`). */
export interface CreatedRecord extends RecordRef {
  readonly name: string | null;
}

/** A file tracked with its email, as an `activitymimeattachment` in the same changeset. */
export interface AttachmentToTrack {
  readonly fileName: string;
  readonly mimeType: string;
  /** The file's bytes, base64. */
  readonly base64: string;
}

export interface EmailToTrack {
  readonly messageId: string;
  readonly subject: string;
  readonly direction: 'incoming' | 'outgoing';
  readonly sentOn: string | null;
  readonly body: string | null;
  readonly trackingToken: string | null;
  readonly threadIndex: string | null;
  readonly regarding: RecordRef | null;
  readonly parties: readonly PartyToTrack[];
  readonly create: readonly RecordToCreate[];
  /**
   * The tracked email this one correlated to (§3), recorded as `correlatedactivityid` — the
   * documented, writable lookup. (`correlationmethod` is read-only in Dataverse: not settable.)
   */
  readonly correlatedActivityId?: string | null;
  /** Files created with the email, all or nothing (already within the organization's limits). */
  readonly attachments?: readonly AttachmentToTrack[];
}

export interface TrackedResult {
  readonly activityId: string;
  /** True when the email was already tracked by this user (an earlier try's response was lost). */
  readonly existed: boolean;
  readonly createdRecords: readonly RecordRef[];
}

export type SearchableType = 'account' | 'contact' | 'lead' | 'opportunity' | 'incident';

export interface RecordSearchHit {
  readonly type: SearchableType;
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
}

export interface FindRecordsOptions {
  /** The types to look in; all searchable types when absent. */
  readonly types?: readonly SearchableType[];
  /** Hits wanted at most. */
  readonly top: number;
}

export interface FoundRecords {
  /** At most `top`: exact and prefix matches of the name or address first, then other matches, then by name. */
  readonly hits: readonly RecordSearchHit[];
  /** More than `top` active records match (the UI can say "10+"). */
  readonly more: boolean;
}

/** What the caller already knows when it asks for a track. */
export interface TrackOptions {
  /**
   * Message-IDs that a lookup made moments ago, in the same flow, found among none of this user's
   * activities. The first try creates them without asking again (one request fewer on the ribbon's
   * path); every later try still checks first, since an earlier try's response may have been lost.
   */
  readonly checkedAbsent?: readonly string[];
}

/** How a person takes part in a meeting: Dataverse's participationtypemask 7, 5 and 6. */
export type AttendeeRole = 'organizer' | 'required' | 'optional';

export interface AttendeeToTrack {
  readonly role: AttendeeRole;
  readonly address: string;
  /** The records the address resolved to (§2.4); empty = unresolved, kept as `addressused`. */
  readonly records: readonly RecordRef[];
}

/** An Outlook meeting to track as a CRM appointment. */
export interface AppointmentToTrack {
  /**
   * What the appointment's key derives from, with the user: Outlook's id of the calendar item. Office.js
   * shows a meeting no id that organizer and attendees share, so each user's track is its own (chosen).
   */
  readonly itemKey: string;
  readonly subject: string;
  /** ISO 8601 instants. */
  readonly start: string;
  readonly end: string;
  readonly isAllDayEvent: boolean;
  readonly location: string | null;
  readonly body: string | null;
  readonly regarding: RecordRef | null;
  readonly attendees: readonly AttendeeToTrack[];
}

/** One activity party of a tracked appointment, as the CRM holds it now. */
export interface AppointmentParty {
  readonly role: AttendeeRole;
  readonly address: string | null;
  /** The record the party points at; null when the address stayed unresolved. */
  readonly record: RecordRef | null;
  readonly name: string | null;
}

/** A CRM appointment as the pane shows it. */
export interface TrackedAppointment {
  readonly activityId: string;
  readonly subject: string | null;
  readonly regarding: RecordRef | null;
  readonly regardingName: string | null;
  readonly parties: readonly AppointmentParty[];
}

/**
 * What tracking appointments asks of the CRM. Its own interface, reached through `CrmPort.appointments`,
 * so that a CRM port that never sees a meeting (the Set Regarding dialog's) need not offer it.
 */
export interface CrmAppointmentPort {
  /**
   * Creates the appointment with its parties, idempotent per user and `itemKey` (a derived key, as an
   * email's): a second track, or a retry after a lost answer, finds the first (`existed`).
   */
  trackAppointment(
    userId: string,
    appointment: AppointmentToTrack,
  ): Promise<{ readonly activityId: string; readonly existed: boolean }>;
  /** The appointment with this id, or null when the CRM has none (deleted there). */
  findAppointment(activityId: string): Promise<TrackedAppointment | null>;
  setAppointmentRegarding(activityId: string, regarding: RecordRef | null): Promise<void>;
  untrackAppointment(activityId: string): Promise<void>;
}

export interface CrmPort {
  /** Appointments (issue 12); absent on a port that only searches records (the dialog's). */
  readonly appointments?: CrmAppointmentPort;
  /**
   * Who the user is, the settings that apply (organization row, `tic_` environment variables,
   * usersettings) and the user's mailbox approval, in ONE round trip.
   */
  openSession(known?: EmailTablesFound): Promise<CrmSessionStart>;
  savePersonalOptions(userId: string, options: PersonalOptionsPatch): Promise<void>;
  lookupItem(query: ItemLookupQuery): Promise<ItemLookupResult>;
  /**
   * Many items' lookups in ONE request (the background check's cycle): the union of what each query
   * finds, every query keeping its own smart-matching bound. The result is for the rules' index,
   * which sorts out which row concerns which item.
   */
  lookupItems(queries: readonly ItemLookupQuery[]): Promise<ItemLookupResult>;
  /** Creates each email activity (idempotent per Message-ID and user) in as few requests as possible. */
  trackEmails(
    userId: string,
    emails: readonly EmailToTrack[],
    options?: TrackOptions,
  ): Promise<TrackedResult[]>;
  setRegarding(activityId: string, regarding: RecordRef | null): Promise<void>;
  /** Gives a send-time activity the sent item's real Message-ID once it is known. */
  updateMessageId(activityId: string, messageId: string): Promise<void>;
  untrack(activityId: string): Promise<void>;
  /** Active records whose name or primary address holds `text`, in one round trip. */
  findRecords(text: string, options: FindRecordsOptions): Promise<FoundRecords>;
  /** `findRecords(text, { top }).hits` (the older call, kept while its callers move). */
  searchRecords(text: string, top: number): Promise<RecordSearchHit[]>;
  /**
   * The given records as they are now (names change), in one round trip; records of other types, no
   * longer there or no longer active are left out.
   */
  recordsByIds(refs: readonly RecordRef[]): Promise<RecordSearchHit[]>;
  /** Creates a contact or lead and reads back its composed name in the same request. */
  createRecord(record: RecordToCreate): Promise<CreatedRecord>;
}
