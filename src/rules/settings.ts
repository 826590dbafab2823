/**
 * The settings model of spec §1: every organization, OrgDBOrgSettings, client and personal
 * setting the rules read, with the spec's defaults. Values here are already typed; turning raw
 * input (Dataverse rows, a case's JSON, the orgdborgsettings XML) into them is settingsInput.ts.
 */

/** §1.1, read from the `organizations` row and the `tic_` environment variables. */
export interface OrganizationSettings {
  readonly promoteIncomingEmail: boolean;
  readonly tagpollingperiod: number;
  readonly tagmaxaggressivecycles: number;
  /** background-check.md §1.2 step 4: days of mail a cycle looks back (`tic_`; below 1 taken as 1). */
  readonly backgroundLookbackDays: number;
  /** background-check.md §1.2 step 5: items given an action in one cycle (`tic_`; below 1 taken as 1). */
  readonly backgroundMaxItems: number;
  readonly allowoutlookscheduledsyncs: boolean;
  readonly minoutlooksyncinterval: number;
  readonly allowofflinescheduledsyncs: boolean;
  readonly minofflinesyncinterval: number;
  readonly allowaddressbooksyncs: boolean;
  readonly minaddressbooksyncinterval: number;
  readonly emailcorrelationenabled: boolean;
  readonly useTrackingToken: boolean;
  readonly trackingprefix: string;
  readonly trackingtokeniddigits: number;
  readonly trackingtokenidbase: number;
  readonly maximumtrackingnumber: number;
  readonly enablesmartmatching: boolean;
  readonly hashfilterkeywords: string;
  readonly hashmaxcount: number;
  readonly hashdeltasubjectcount: number;
  readonly hashminaddresscount: number;
  readonly ignoreinternalemail: boolean;
  readonly requireapprovalforuseremail: boolean;
  readonly unresolveemailaddressifmultiplematch: boolean;
  readonly isfolderbasedtrackingenabled: boolean;
  readonly orgdborgsettings: string;
  /** Largest attachment the organization accepts, in bytes (Dataverse's default is 5 MB). */
  readonly maxuploadfilesize: number;
  /** File extensions the organization refuses as attachments, `;`-separated, without dots. */
  readonly blockedattachments: string;
}

/** §1.2, parsed from `orgdborgsettings`. */
export interface OrgDbOrgSettings {
  readonly VerboseErrorsOnPromoteToCRM: number;
  readonly ClientDisableTrackingForReplyForwardEmails: boolean;
  readonly OverrideTrackInCrmBehaviour: number;
  readonly SendEmailSynchronously: number;
  readonly AllowPromoteDuplicates: boolean;
  readonly OverrideV5SenderConflictResolution: boolean;
  readonly AutoCreateContactOnPromote: boolean;
  readonly AutoTrackSentFolderItems: boolean;
  readonly IgnoreConversationIndexAndInReplyToForCorrelation: boolean;
  readonly DoNotCorrelateForwardedEmailsAsReplies: boolean;
  readonly DisableSmartMatching: boolean;
  readonly UnresolveSenderInCaseOfMultipleMatch: boolean;
  readonly HideEmailAutoTrackOptions: boolean;
  readonly TrackCategorizedItems: boolean;
}

/** §1.3, the old Diagnostics tool's switches, per user in roaming settings. */
export interface ClientSwitches {
  readonly outlookSynchronization: boolean;
  /** The same stored value as the personal option "allow sending email through this client". */
  readonly backgroundSendEmail: boolean;
  /** The same stored value as the personal option "check incoming email and decide whether to track it". */
  readonly backgroundTrackEmail: boolean;
  readonly automaticEmailTagging: boolean;
}

export type RecipientReconciliation = 'all-matches' | 'primary-email-only';
/** 0 all, 1 responses to CRM email, 2 from leads/contacts/accounts, 3 from email-enabled records, 4 none. */
export type FilteringMethod = 0 | 1 | 2 | 3 | 4;
/** 0 none, 1 contact, 2 lead (chosen encoding, §1.4). */
export type AutoCreateOption = 0 | 1 | 2;

/**
 * §1.4 personal options. The two §1.3 switches that are also personal options
 * (backgroundSendEmail, backgroundTrackEmail) live in ClientSwitches only, so there is one value.
 */
export interface PersonalOptions {
  /** "Synchronize CRM items with Outlook" (roaming; camelCase name chosen here, the spec gives none). */
  readonly synchronizeWithOutlook: boolean;
  readonly synccontactcompany: boolean;
  /** "This computer is the synchronization client" (roaming; camelCase name chosen here). */
  readonly isSynchronizationClient: boolean;
  readonly outlooksyncinterval: number;
  readonly recipientReconciliation: RecipientReconciliation;
  readonly addressbooksyncinterval: number;
  readonly offlinesyncinterval: number;
  readonly isduplicatedetectionenabledwhengoingonline: boolean;
  readonly incomingemailfilteringmethod: FilteringMethod;
  readonly autocreatecontactonpromote: AutoCreateOption;
}

export interface Settings {
  readonly organization: OrganizationSettings;
  readonly orgDb: OrgDbOrgSettings;
  readonly client: ClientSwitches;
  readonly user: PersonalOptions;
}

export const DEFAULT_HASH_FILTER_KEYWORDS = '^[\\s]*([\\w]+\\s?:[\\s]*)+';

/** Dataverse's default `maxuploadfilesize`: 5 MB. */
export const DEFAULT_MAX_UPLOAD_FILE_SIZE = 5_242_880;
/**
 * `blockedattachments` when the organization row gives none: nothing. Dataverse always answers it (its
 * default list is `ade;adp;app;…;exe;…;js;…`, emulator/seed.ts), and enforces it itself (0x80043e09,
 * after which the track is made without files, each named); the list is not repeated here because
 * every byte of src/rules ships in the 40 KB command and event bundles.
 */
export const DEFAULT_BLOCKED_ATTACHMENTS = '';

export const DEFAULT_ORGANIZATION_SETTINGS: OrganizationSettings = Object.freeze({
  promoteIncomingEmail: true,
  tagpollingperiod: 10,
  tagmaxaggressivecycles: 3,
  backgroundLookbackDays: 2,
  backgroundMaxItems: 100,
  allowoutlookscheduledsyncs: true,
  minoutlooksyncinterval: 15,
  allowofflinescheduledsyncs: true,
  minofflinesyncinterval: 15,
  allowaddressbooksyncs: true,
  minaddressbooksyncinterval: 60,
  emailcorrelationenabled: true,
  useTrackingToken: true,
  trackingprefix: 'CRM:',
  trackingtokeniddigits: 3,
  trackingtokenidbase: 0,
  maximumtrackingnumber: 999,
  enablesmartmatching: false,
  hashfilterkeywords: DEFAULT_HASH_FILTER_KEYWORDS,
  hashmaxcount: 20,
  hashdeltasubjectcount: 0,
  hashminaddresscount: 2,
  ignoreinternalemail: false,
  requireapprovalforuseremail: false,
  unresolveemailaddressifmultiplematch: false,
  isfolderbasedtrackingenabled: false,
  orgdborgsettings: '',
  maxuploadfilesize: DEFAULT_MAX_UPLOAD_FILE_SIZE,
  blockedattachments: DEFAULT_BLOCKED_ATTACHMENTS,
});

export const DEFAULT_ORGDB_SETTINGS: OrgDbOrgSettings = Object.freeze({
  VerboseErrorsOnPromoteToCRM: 0,
  ClientDisableTrackingForReplyForwardEmails: false,
  OverrideTrackInCrmBehaviour: 0,
  SendEmailSynchronously: 0,
  AllowPromoteDuplicates: false,
  OverrideV5SenderConflictResolution: false,
  AutoCreateContactOnPromote: true,
  AutoTrackSentFolderItems: false,
  IgnoreConversationIndexAndInReplyToForCorrelation: false,
  DoNotCorrelateForwardedEmailsAsReplies: false,
  DisableSmartMatching: false,
  UnresolveSenderInCaseOfMultipleMatch: false,
  HideEmailAutoTrackOptions: false,
  TrackCategorizedItems: true,
});

export const DEFAULT_CLIENT_SWITCHES: ClientSwitches = Object.freeze({
  outlookSynchronization: true,
  backgroundSendEmail: true,
  backgroundTrackEmail: true,
  automaticEmailTagging: true,
});

export const DEFAULT_PERSONAL_OPTIONS: PersonalOptions = Object.freeze({
  synchronizeWithOutlook: true,
  synccontactcompany: false,
  isSynchronizationClient: true,
  outlooksyncinterval: 15,
  recipientReconciliation: 'all-matches',
  addressbooksyncinterval: 60,
  offlinesyncinterval: 15,
  isduplicatedetectionenabledwhengoingonline: true,
  incomingemailfilteringmethod: 1,
  autocreatecontactonpromote: 0,
});

export const DEFAULT_SETTINGS: Settings = Object.freeze({
  organization: DEFAULT_ORGANIZATION_SETTINGS,
  orgDb: DEFAULT_ORGDB_SETTINGS,
  client: DEFAULT_CLIENT_SWITCHES,
  user: DEFAULT_PERSONAL_OPTIONS,
});
