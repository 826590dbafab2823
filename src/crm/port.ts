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
}

/** Raw settings as the rules' settingsInput reads them (§1), and where personal options are saved. */
export interface CrmSettingsSnapshot {
  readonly raw: RawSettings;
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
  /** Sender and recipients: records for these addresses across contact, account, lead, systemuser, queue. */
  readonly addresses: readonly string[];
  /** In-Reply-To and References ids (§3.1). */
  readonly threadMessageIds: readonly string[];
  /** Tracking tokens found in the subject (§3.2), as written. */
  readonly trackingTokens: readonly string[];
  /** Thread-Index values of the email and its ancestors, base64 (§3.3). */
  readonly threadIndexes: readonly string[];
  /** The subject without prefixes, for smart-matching candidates (§3.4); null to skip. */
  readonly baseSubject: string | null;
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

export interface CrmPort {
  whoAmI(): Promise<CrmIdentity>;
  loadSettings(userId: string): Promise<CrmSettingsSnapshot>;
  savePersonalOptions(userId: string, options: PersonalOptionsPatch): Promise<void>;
  lookupItem(query: ItemLookupQuery): Promise<ItemLookupResult>;
  /** Creates each email activity (idempotent per Message-ID and user) in as few requests as possible. */
  trackEmails(userId: string, emails: readonly EmailToTrack[]): Promise<TrackedResult[]>;
  setRegarding(activityId: string, regarding: RecordRef | null): Promise<void>;
  /** Gives a send-time activity the sent item's real Message-ID once it is known. */
  updateMessageId(activityId: string, messageId: string): Promise<void>;
  untrack(activityId: string): Promise<void>;
  searchRecords(text: string, top: number): Promise<RecordSearchHit[]>;
  createRecord(record: RecordToCreate): Promise<RecordRef>;
}
