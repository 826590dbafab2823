/**
 * The emulated part of the Dataverse schema: entity sets, their attributes, lookups and the navigation
 * properties the add-in uses. Tables, `$filter`, `$select`, binds and annotations all read from here.
 */

/** `date`: a DateOnly column (DateTimeAttributeMetadata, Format DateOnly), read and written as `YYYY-MM-DD`. */
export type AttributeType = 'string' | 'memo' | 'int' | 'bool' | 'datetime' | 'date' | 'guid' | 'money';

export interface LookupDef {
  /** Attribute logical name, e.g. `regardingobjectid`; read as `_regardingobjectid_value`. */
  readonly name: string;
  /** Single-valued navigation property → target logical name, e.g. `regardingobjectid_contact_email` → `contact`. */
  readonly navigation: Readonly<Record<string, string>>;
}

export interface CollectionNavDef {
  /** The related entity's logical name. */
  readonly target: string;
  /** The lookup attribute on the related entity that points back at this row. */
  readonly via: string;
  /**
   * Deleting this row deletes the related rows (a parental relationship, as for an email's parties);
   * otherwise their lookup is cleared (Dataverse's "Remove Link").
   */
  readonly cascadeDelete: boolean;
}

export interface EntityDef {
  readonly logicalName: string;
  readonly entitySet: string;
  readonly primaryKey: string;
  /** The attribute shown as a lookup's formatted value. */
  readonly primaryName: string | null;
  readonly attributes: Readonly<Record<string, AttributeType>>;
  readonly lookups: readonly LookupDef[];
  readonly collections: Readonly<Record<string, CollectionNavDef>>;
  /** Email address attributes (indexed; `COLLATE NOCASE`). */
  readonly emailAttributes: readonly string[];
  /** `ownerid` defaults to the caller on create. */
  readonly owned: boolean;
  /** `fullname` is computed from firstname and lastname. */
  readonly computedFullName: boolean;
  /** Default statuscode for each statecode, and the allowed pairs. */
  readonly states?: Readonly<
    Record<number, { readonly default: number; readonly allowed: readonly number[] }>
  >;
  /** Dataverse's ObjectTypeCode for the table (EntityDefinitions reports it). */
  readonly objectTypeCode: number;
  /**
   * MaxLength of every string and memo column, as Dataverse's table definitions give it: a longer
   * value is refused with 0x80044331, and `EntityDefinitions(...)/Attributes` reports it.
   */
  readonly maxLength: Readonly<Record<string, number>>;
  /** Labels of choice columns (picklist, statecode, statuscode), read as formatted values and OptionSets. */
  readonly choices?: Readonly<Record<string, Readonly<Record<number, string>>>>;
  /** Labels of boolean columns whose options are not Yes/No: `[false label, true label]`. */
  readonly booleanLabels?: Readonly<Record<string, readonly [string, string]>>;
  /** SchemaName when it is not the logical name with a capital first letter (custom tables: `new_Partner`). */
  readonly schemaName?: string;
  /** A custom table (EntityDefinitions' IsCustomEntity). */
  readonly custom?: boolean;
  /**
   * Email can be sent to its rows (IsActivityParty): an activity party binds it with
   * `partyid_<logical name>` ("Create and update a table to send email activities to rows").
   */
  readonly activityParty?: boolean;
  /** StringAttributeMetadata FormatName of string columns that are neither Text nor Email (`Phone`, `Url`). */
  readonly stringFormats?: Readonly<Record<string, string>>;
}

const owner: LookupDef = { name: 'ownerid', navigation: { ownerid: 'systemuser' } };
const common = { createdon: 'datetime', modifiedon: 'datetime', versionnumber: 'int' } as const;
const emails100 = { emailaddress1: 100, emailaddress2: 100, emailaddress3: 100 } as const;
const activeInactive = {
  0: { default: 1, allowed: [1] },
  1: { default: 2, allowed: [2] },
} as const;
/** Activities' prioritycode (appointment, task). */
const PRIORITY_LABELS = { 0: 'Low', 1: 'Normal', 2: 'High' } as const;
/** syncattributemapping's direction choices; their labels (chosen) name the side each one writes. */
const SYNC_DIRECTION_LABELS = { 0: 'None', 1: 'To Exchange', 2: 'To CRM', 3: 'Bidirectional' } as const;

const entities: EntityDef[] = [
  {
    logicalName: 'contact',
    activityParty: true,
    entitySet: 'contacts',
    primaryKey: 'contactid',
    primaryName: 'fullname',
    attributes: {
      contactid: 'guid',
      firstname: 'string',
      lastname: 'string',
      fullname: 'string',
      jobtitle: 'string',
      telephone1: 'string',
      emailaddress1: 'string',
      emailaddress2: 'string',
      emailaddress3: 'string',
      // The columns Outlook synchronization maps (src/rules/syncFieldCatalog.ts, Microsoft's table).
      salutation: 'string',
      middlename: 'string',
      suffix: 'string',
      nickname: 'string',
      department: 'string',
      telephone2: 'string',
      mobilephone: 'string',
      address1_line1: 'string',
      address1_city: 'string',
      address1_stateorprovince: 'string',
      address1_postalcode: 'string',
      address1_country: 'string',
      websiteurl: 'string',
      birthdate: 'date',
      spousesname: 'string',
      assistantname: 'string',
      description: 'memo',
      statecode: 'int',
      statuscode: 'int',
      ...common,
    },
    lookups: [
      owner,
      {
        name: 'parentcustomerid',
        navigation: { parentcustomerid_account: 'account', parentcustomerid_contact: 'contact' },
      },
    ],
    // Folder-level tracking rules regarding the contact: deleted with it (cascade Delete: Cascade).
    collections: {
      Contact_MailboxTrackingFolder: {
        target: 'mailboxtrackingfolder',
        via: 'regardingobjectid',
        cascadeDelete: true,
      },
    },
    emailAttributes: ['emailaddress1', 'emailaddress2', 'emailaddress3'],
    owned: true,
    computedFullName: true,
    objectTypeCode: 2,
    maxLength: {
      firstname: 50,
      lastname: 50,
      fullname: 160,
      jobtitle: 100,
      telephone1: 50,
      ...emails100,
      salutation: 100,
      middlename: 50,
      suffix: 10,
      nickname: 100,
      department: 100,
      telephone2: 50,
      mobilephone: 50,
      address1_line1: 250,
      address1_city: 80,
      address1_stateorprovince: 50,
      address1_postalcode: 20,
      address1_country: 80,
      websiteurl: 200,
      spousesname: 100,
      assistantname: 100,
      description: 2000,
    },
    stringFormats: { telephone1: 'Phone', telephone2: 'Phone', mobilephone: 'Phone', websiteurl: 'Url' },
    choices: { statecode: { 0: 'Active', 1: 'Inactive' }, statuscode: { 1: 'Active', 2: 'Inactive' } },
    states: activeInactive,
  },
  {
    logicalName: 'account',
    activityParty: true,
    entitySet: 'accounts',
    primaryKey: 'accountid',
    primaryName: 'name',
    attributes: {
      accountid: 'guid',
      name: 'string',
      accountnumber: 'string',
      telephone1: 'string',
      websiteurl: 'string',
      emailaddress1: 'string',
      emailaddress2: 'string',
      emailaddress3: 'string',
      statecode: 'int',
      statuscode: 'int',
      ...common,
    },
    lookups: [owner, { name: 'primarycontactid', navigation: { primarycontactid: 'contact' } }],
    collections: {
      contact_customer_accounts: { target: 'contact', via: 'parentcustomerid', cascadeDelete: false },
      // Folder-level tracking rules regarding the account: deleted with it (cascade Delete: Cascade).
      Account_MailboxTrackingFolder: {
        target: 'mailboxtrackingfolder',
        via: 'regardingobjectid',
        cascadeDelete: true,
      },
    },
    emailAttributes: ['emailaddress1', 'emailaddress2', 'emailaddress3'],
    owned: true,
    computedFullName: false,
    objectTypeCode: 1,
    maxLength: { name: 160, accountnumber: 20, telephone1: 50, websiteurl: 200, ...emails100 },
    stringFormats: { telephone1: 'Phone', websiteurl: 'Url' },
    choices: { statecode: { 0: 'Active', 1: 'Inactive' }, statuscode: { 1: 'Active', 2: 'Inactive' } },
    states: activeInactive,
  },
  {
    logicalName: 'lead',
    activityParty: true,
    entitySet: 'leads',
    primaryKey: 'leadid',
    primaryName: 'fullname',
    attributes: {
      leadid: 'guid',
      firstname: 'string',
      lastname: 'string',
      fullname: 'string',
      subject: 'string',
      companyname: 'string',
      emailaddress1: 'string',
      emailaddress2: 'string',
      emailaddress3: 'string',
      statecode: 'int',
      statuscode: 'int',
      ...common,
    },
    lookups: [owner],
    collections: {},
    emailAttributes: ['emailaddress1', 'emailaddress2', 'emailaddress3'],
    owned: true,
    computedFullName: true,
    objectTypeCode: 4,
    maxLength: { firstname: 50, lastname: 50, fullname: 160, subject: 300, companyname: 100, ...emails100 },
    choices: {
      statecode: { 0: 'Open', 1: 'Qualified', 2: 'Disqualified' },
      statuscode: {
        1: 'New',
        2: 'Contacted',
        3: 'Qualified',
        4: 'Lost',
        5: 'Cannot Contact',
        6: 'No Longer Interested',
        7: 'Canceled',
      },
    },
    states: {
      0: { default: 1, allowed: [1, 2] },
      1: { default: 3, allowed: [3] },
      2: { default: 4, allowed: [4, 5, 6, 7] },
    },
  },
  {
    logicalName: 'systemuser',
    activityParty: true,
    entitySet: 'systemusers',
    primaryKey: 'systemuserid',
    primaryName: 'fullname',
    attributes: {
      systemuserid: 'guid',
      firstname: 'string',
      lastname: 'string',
      fullname: 'string',
      domainname: 'string',
      internalemailaddress: 'string',
      isdisabled: 'bool',
      ...common,
    },
    lookups: [{ name: 'businessunitid', navigation: { businessunitid: 'businessunit' } }],
    collections: {},
    emailAttributes: ['internalemailaddress'],
    owned: false,
    computedFullName: true,
    objectTypeCode: 8,
    maxLength: { firstname: 256, lastname: 256, fullname: 200, domainname: 1024, internalemailaddress: 100 },
    booleanLabels: { isdisabled: ['Enabled', 'Disabled'] },
  },
  {
    logicalName: 'queue',
    activityParty: true,
    entitySet: 'queues',
    primaryKey: 'queueid',
    primaryName: 'name',
    attributes: {
      queueid: 'guid',
      name: 'string',
      emailaddress: 'string',
      statecode: 'int',
      statuscode: 'int',
      ...common,
    },
    lookups: [owner],
    collections: {},
    emailAttributes: ['emailaddress'],
    owned: true,
    computedFullName: false,
    objectTypeCode: 2020,
    maxLength: { name: 400, emailaddress: 100 },
    choices: { statecode: { 0: 'Active', 1: 'Inactive' }, statuscode: { 1: 'Active', 2: 'Inactive' } },
    states: activeInactive,
  },
  {
    logicalName: 'opportunity',
    entitySet: 'opportunities',
    primaryKey: 'opportunityid',
    primaryName: 'name',
    attributes: {
      opportunityid: 'guid',
      name: 'string',
      description: 'memo',
      estimatedvalue: 'money',
      statecode: 'int',
      statuscode: 'int',
      ...common,
    },
    lookups: [
      owner,
      { name: 'customerid', navigation: { customerid_account: 'account', customerid_contact: 'contact' } },
    ],
    collections: {},
    emailAttributes: [],
    owned: true,
    computedFullName: false,
    objectTypeCode: 3,
    maxLength: { name: 300, description: 2000 },
    choices: {
      statecode: { 0: 'Open', 1: 'Won', 2: 'Lost' },
      statuscode: { 1: 'In Progress', 2: 'On Hold', 3: 'Won', 4: 'Canceled', 5: 'Out-Sold' },
    },
    states: {
      0: { default: 1, allowed: [1, 2] },
      1: { default: 3, allowed: [3] },
      2: { default: 4, allowed: [4, 5] },
    },
  },
  {
    logicalName: 'incident',
    entitySet: 'incidents',
    primaryKey: 'incidentid',
    primaryName: 'title',
    attributes: {
      incidentid: 'guid',
      title: 'string',
      ticketnumber: 'string',
      description: 'memo',
      statecode: 'int',
      statuscode: 'int',
      ...common,
    },
    lookups: [
      owner,
      { name: 'customerid', navigation: { customerid_account: 'account', customerid_contact: 'contact' } },
    ],
    collections: {},
    emailAttributes: [],
    owned: true,
    computedFullName: false,
    objectTypeCode: 112,
    maxLength: { title: 200, ticketnumber: 100, description: 2000 },
    choices: {
      statecode: { 0: 'Active', 1: 'Resolved', 2: 'Cancelled' },
      statuscode: {
        1: 'In Progress',
        2: 'On Hold',
        3: 'Waiting for Details',
        4: 'Researching',
        5: 'Problem Solved',
        6: 'Cancelled',
      },
    },
    states: {
      0: { default: 1, allowed: [1, 2, 3, 4] },
      1: { default: 5, allowed: [5] },
      2: { default: 6, allowed: [6] },
    },
  },
  {
    logicalName: 'email',
    entitySet: 'emails',
    primaryKey: 'activityid',
    primaryName: 'subject',
    attributes: {
      activityid: 'guid',
      subject: 'string',
      description: 'memo',
      messageid: 'string',
      directioncode: 'bool',
      trackingtoken: 'string',
      senton: 'datetime',
      actualend: 'datetime',
      conversationindex: 'string',
      inreplyto: 'string',
      correlationmethod: 'int',
      sender: 'string',
      torecipients: 'string',
      statecode: 'int',
      statuscode: 'int',
      ...common,
    },
    lookups: [
      owner,
      {
        name: 'regardingobjectid',
        navigation: {
          regardingobjectid_contact_email: 'contact',
          regardingobjectid_account_email: 'account',
          regardingobjectid_lead_email: 'lead',
          regardingobjectid_opportunity_email: 'opportunity',
          regardingobjectid_incident_email: 'incident',
        },
      },
      // The email this one was correlated to (relationship email_email_CorrelatedActivityId).
      { name: 'correlatedactivityid', navigation: { CorrelatedActivityId_Email: 'email' } },
    ],
    collections: {
      email_activity_parties: { target: 'activityparty', via: 'activityid', cascadeDelete: true },
      email_email_CorrelatedActivityId: {
        target: 'email',
        via: 'correlatedactivityid',
        cascadeDelete: false,
      },
      // The email's attachments (relationship email_activity_mime_attachment): deleted with it.
      email_activity_mime_attachment: {
        target: 'activitymimeattachment',
        via: 'objectid',
        cascadeDelete: true,
      },
    },
    emailAttributes: [],
    owned: true,
    computedFullName: false,
    objectTypeCode: 4202,
    maxLength: {
      subject: 800,
      description: 1073741823,
      messageid: 320,
      trackingtoken: 50,
      conversationindex: 2048,
      inreplyto: 320,
      sender: 250,
      torecipients: 500,
    },
    choices: {
      statecode: { 0: 'Open', 1: 'Completed', 2: 'Canceled' },
      statuscode: {
        1: 'Draft',
        2: 'Completed',
        3: 'Sent',
        4: 'Received',
        5: 'Canceled',
        6: 'Pending Send',
        7: 'Sending',
        8: 'Failed',
      },
      correlationmethod: {
        0: 'None',
        1: 'Skipped',
        2: 'XHeader',
        3: 'InReplyTo',
        4: 'TrackingToken',
        5: 'ConversationIndex',
        6: 'SmartMatching',
        7: 'CustomCorrelation',
      },
    },
    booleanLabels: { directioncode: ['Incoming', 'Outgoing'] },
    states: {
      0: { default: 1, allowed: [1, 8] },
      1: { default: 2, allowed: [2, 3, 4, 6, 7] },
      2: { default: 5, allowed: [5] },
    },
  },
  {
    logicalName: 'activityparty',
    entitySet: 'activityparties',
    primaryKey: 'activitypartyid',
    primaryName: null,
    attributes: {
      activitypartyid: 'guid',
      participationtypemask: 'int',
      addressused: 'string',
      versionnumber: 'int',
    },
    lookups: [
      {
        name: 'activityid',
        navigation: { activityid_email: 'email', activityid_appointment: 'appointment' },
      },
      {
        name: 'partyid',
        navigation: {
          partyid_contact: 'contact',
          partyid_account: 'account',
          partyid_lead: 'lead',
          partyid_systemuser: 'systemuser',
          partyid_queue: 'queue',
          partyid_new_partner: 'new_partner',
        },
      },
    ],
    collections: {},
    emailAttributes: ['addressused'],
    owned: false,
    computedFullName: false,
    objectTypeCode: 135,
    maxLength: { addressused: 320 },
    choices: {
      participationtypemask: {
        1: 'Sender',
        2: 'To Recipient',
        3: 'CC Recipient',
        4: 'BCC Recipient',
        5: 'Required attendee',
        6: 'Optional attendee',
        7: 'Organizer',
        8: 'Regarding',
        9: 'Owner',
        10: 'Resource',
        11: 'Customer',
      },
    },
  },
  {
    // An appointment (Appointment table reference). Its attendees are activity parties, as an email's
    // recipients are (participationtypemask 5 required, 6 optional, 7 organizer), written by a deep
    // insert through appointment_activity_parties. Scheduled (3) is the state Outlook's meetings are in.
    logicalName: 'appointment',
    entitySet: 'appointments',
    primaryKey: 'activityid',
    primaryName: 'subject',
    attributes: {
      activityid: 'guid',
      subject: 'string',
      description: 'memo',
      location: 'string',
      scheduledstart: 'datetime',
      scheduledend: 'datetime',
      isalldayevent: 'bool',
      prioritycode: 'int',
      statecode: 'int',
      statuscode: 'int',
      ...common,
    },
    lookups: [
      owner,
      {
        name: 'regardingobjectid',
        navigation: {
          regardingobjectid_contact_appointment: 'contact',
          regardingobjectid_account_appointment: 'account',
          regardingobjectid_lead_appointment: 'lead',
          regardingobjectid_opportunity_appointment: 'opportunity',
          regardingobjectid_incident_appointment: 'incident',
        },
      },
    ],
    collections: {
      appointment_activity_parties: { target: 'activityparty', via: 'activityid', cascadeDelete: true },
    },
    emailAttributes: [],
    owned: true,
    computedFullName: false,
    objectTypeCode: 4201,
    maxLength: { subject: 200, description: 1048576, location: 200 },
    choices: {
      statecode: { 0: 'Open', 1: 'Completed', 2: 'Canceled', 3: 'Scheduled' },
      statuscode: { 1: 'Free', 2: 'Tentative', 3: 'Completed', 4: 'Canceled', 5: 'Busy', 6: 'Out of Office' },
      prioritycode: PRIORITY_LABELS,
    },
    states: {
      0: { default: 1, allowed: [1, 2] },
      1: { default: 3, allowed: [3] },
      2: { default: 4, allowed: [4] },
      3: { default: 5, allowed: [5, 6] },
    },
  },
  {
    // A task (Task table reference): due date in scheduledend, start date in scheduledstart.
    logicalName: 'task',
    entitySet: 'tasks',
    primaryKey: 'activityid',
    primaryName: 'subject',
    attributes: {
      activityid: 'guid',
      subject: 'string',
      description: 'memo',
      scheduledstart: 'datetime',
      scheduledend: 'datetime',
      actualend: 'datetime',
      percentcomplete: 'int',
      prioritycode: 'int',
      statecode: 'int',
      statuscode: 'int',
      ...common,
    },
    lookups: [
      owner,
      {
        name: 'regardingobjectid',
        navigation: {
          regardingobjectid_contact_task: 'contact',
          regardingobjectid_account_task: 'account',
          regardingobjectid_lead_task: 'lead',
          regardingobjectid_opportunity_task: 'opportunity',
          regardingobjectid_incident_task: 'incident',
        },
      },
    ],
    collections: {},
    emailAttributes: [],
    owned: true,
    computedFullName: false,
    objectTypeCode: 4212,
    maxLength: { subject: 200, description: 2000 },
    choices: {
      statecode: { 0: 'Open', 1: 'Completed', 2: 'Canceled' },
      statuscode: {
        2: 'Not Started',
        3: 'In Progress',
        4: 'Waiting on someone else',
        5: 'Completed',
        6: 'Canceled',
        7: 'Deferred',
      },
      prioritycode: PRIORITY_LABELS,
    },
    states: {
      0: { default: 2, allowed: [2, 3, 4, 7] },
      1: { default: 5, allowed: [5] },
      2: { default: 6, allowed: [6] },
    },
  },
  {
    // A user's saved view (UserQuery table reference). SavedQueryQueryType/UserQueryQueryType say
    // Outlook filters are querytype 256 (OutlookFilters; 128 is SMAppointmentBookView), offline filters
    // 16; the emulator stores any querytype. `returnedtypecode` is an EntityName column: a logical name.
    logicalName: 'userquery',
    schemaName: 'UserQuery',
    entitySet: 'userqueries',
    primaryKey: 'userqueryid',
    primaryName: 'name',
    attributes: {
      userqueryid: 'guid',
      name: 'string',
      description: 'memo',
      fetchxml: 'memo',
      returnedtypecode: 'string',
      querytype: 'int',
      statecode: 'int',
      statuscode: 'int',
      ...common,
    },
    lookups: [owner],
    collections: {},
    emailAttributes: [],
    owned: true,
    computedFullName: false,
    objectTypeCode: 4230,
    maxLength: { name: 200, description: 2000, fetchxml: 1073741823, returnedtypecode: 64 },
    choices: { statecode: { 0: 'Active', 1: 'Inactive' }, statuscode: { 1: 'Active', 2: 'Inactive' } },
    states: activeInactive,
  },
  {
    // An organization-owned view (SavedQuery table reference): no owner. The Outlook filter templates
    // new users' filters are copied from are the rows with querytype 131072 (OutlookTemplate).
    logicalName: 'savedquery',
    schemaName: 'SavedQuery',
    entitySet: 'savedqueries',
    primaryKey: 'savedqueryid',
    primaryName: 'name',
    attributes: {
      savedqueryid: 'guid',
      name: 'string',
      description: 'memo',
      fetchxml: 'memo',
      returnedtypecode: 'string',
      querytype: 'int',
      isdefault: 'bool',
      statecode: 'int',
      statuscode: 'int',
      ...common,
    },
    lookups: [],
    collections: {},
    emailAttributes: [],
    owned: false,
    computedFullName: false,
    objectTypeCode: 1039,
    maxLength: { name: 200, description: 2000, fetchxml: 1073741823, returnedtypecode: 64 },
    choices: { statecode: { 0: 'Active', 1: 'Inactive' }, statuscode: { 1: 'Active', 2: 'Inactive' } },
    states: activeInactive,
  },
  {
    // A set of Outlook/Exchange field mappings (SyncAttributeMappingProfile table reference).
    logicalName: 'syncattributemappingprofile',
    schemaName: 'SyncAttributeMappingProfile',
    entitySet: 'syncattributemappingprofiles',
    primaryKey: 'syncattributemappingprofileid',
    primaryName: 'name',
    attributes: {
      syncattributemappingprofileid: 'guid',
      name: 'string',
      description: 'memo',
      issystem: 'bool',
      ...common,
    },
    lookups: [],
    collections: {
      syncattributemappingprofile_syncattributemapping: {
        target: 'syncattributemapping',
        via: 'syncattributemappingprofileid',
        cascadeDelete: true,
      },
    },
    emailAttributes: [],
    owned: false,
    computedFullName: false,
    objectTypeCode: 1401,
    maxLength: { name: 200, description: 2000 },
  },
  {
    // One field mapping between a Dataverse column and an Exchange property (SyncAttributeMapping table
    // reference); syncdirection 0 None, 1 ToExchange, 2 ToCRM, 3 Bidirectional.
    logicalName: 'syncattributemapping',
    schemaName: 'SyncAttributeMapping',
    entitySet: 'syncattributemappings',
    primaryKey: 'syncattributemappingid',
    primaryName: 'mappingname',
    attributes: {
      syncattributemappingid: 'guid',
      mappingname: 'string',
      attributecrmname: 'string',
      attributeexchangename: 'string',
      entityname: 'string',
      syncdirection: 'int',
      defaultsyncdirection: 'int',
      allowedsyncdirection: 'int',
      iscomputed: 'bool',
      ...common,
    },
    lookups: [
      {
        name: 'syncattributemappingprofileid',
        navigation: { syncattributemappingprofileid: 'syncattributemappingprofile' },
      },
    ],
    collections: {},
    emailAttributes: [],
    owned: false,
    computedFullName: false,
    objectTypeCode: 1400,
    maxLength: { mappingname: 200, attributecrmname: 100, attributeexchangename: 100, entityname: 64 },
    choices: {
      syncdirection: SYNC_DIRECTION_LABELS,
      defaultsyncdirection: SYNC_DIRECTION_LABELS,
      allowedsyncdirection: SYNC_DIRECTION_LABELS,
    },
  },
  {
    // An email's attachment (Attachment (ActivityMimeAttachment) table reference): the file as base64
    // in `body`, linked to its activity by `objectid` (+ `objecttypecode`, the activity's table).
    // `filesize` is read-only: the emulator computes it from `body`, as Dataverse does. A body over
    // the organization's maxuploadfilesize, or a file name with an extension in blockedattachments,
    // is refused with 0x80043e09 (writes.ts).
    logicalName: 'activitymimeattachment',
    schemaName: 'ActivityMimeAttachment',
    entitySet: 'activitymimeattachments',
    primaryKey: 'activitymimeattachmentid',
    primaryName: 'filename',
    attributes: {
      activitymimeattachmentid: 'guid',
      filename: 'string',
      mimetype: 'string',
      subject: 'string',
      body: 'memo',
      filesize: 'int',
      objecttypecode: 'string',
      attachmentnumber: 'int',
      attachmentcontentid: 'string',
      versionnumber: 'int',
    },
    lookups: [
      {
        name: 'objectid',
        navigation: { objectid_email: 'email' },
      },
    ],
    collections: {},
    emailAttributes: [],
    owned: false,
    computedFullName: false,
    objectTypeCode: 1001,
    maxLength: {
      filename: 255,
      mimetype: 256,
      subject: 2000,
      body: 1073741823,
      objecttypecode: 64,
      attachmentcontentid: 1073741823,
    },
  },
  {
    // A custom email-enabled table (publisher prefix new_), as an organization may have: its address
    // is its Email-format column, and parties bind it as partyid_new_partner.
    logicalName: 'new_partner',
    schemaName: 'new_Partner',
    entitySet: 'new_partners',
    primaryKey: 'new_partnerid',
    primaryName: 'new_name',
    attributes: {
      new_partnerid: 'guid',
      new_name: 'string',
      new_emailaddress: 'string',
      new_website: 'string',
      statecode: 'int',
      statuscode: 'int',
      ...common,
    },
    lookups: [owner],
    // The email parties naming this row (Dataverse names a solution table's party relationship
    // <logical name>_ActivityParties; its activityparty side is partyid_<logical name>).
    collections: {
      new_partner_ActivityParties: { target: 'activityparty', via: 'partyid', cascadeDelete: false },
    },
    emailAttributes: ['new_emailaddress'],
    owned: true,
    computedFullName: false,
    objectTypeCode: 10010,
    maxLength: { new_name: 100, new_emailaddress: 100, new_website: 200 },
    choices: { statecode: { 0: 'Active', 1: 'Inactive' }, statuscode: { 1: 'Active', 2: 'Inactive' } },
    states: activeInactive,
    custom: true,
    activityParty: true,
    stringFormats: { new_website: 'Url' },
  },
  {
    logicalName: 'organization',
    entitySet: 'organizations',
    primaryKey: 'organizationid',
    primaryName: 'name',
    attributes: {
      organizationid: 'guid',
      name: 'string',
      tagpollingperiod: 'int',
      tagmaxaggressivecycles: 'int',
      allowoutlookscheduledsyncs: 'bool',
      minoutlooksyncinterval: 'int',
      allowofflinescheduledsyncs: 'bool',
      minofflinesyncinterval: 'int',
      allowaddressbooksyncs: 'bool',
      minaddressbooksyncinterval: 'int',
      emailcorrelationenabled: 'bool',
      trackingprefix: 'string',
      trackingtokeniddigits: 'int',
      trackingtokenidbase: 'int',
      maximumtrackingnumber: 'int',
      enablesmartmatching: 'bool',
      hashfilterkeywords: 'string',
      hashmaxcount: 'int',
      hashdeltasubjectcount: 'int',
      hashminaddresscount: 'int',
      ignoreinternalemail: 'bool',
      requireapprovalforuseremail: 'bool',
      unresolveemailaddressifmultiplematch: 'bool',
      isfolderbasedtrackingenabled: 'bool',
      orgdborgsettings: 'memo',
      maxuploadfilesize: 'int',
      blockedattachments: 'string',
      ...common,
    },
    lookups: [],
    collections: {},
    emailAttributes: [],
    owned: false,
    computedFullName: false,
    objectTypeCode: 1019,
    maxLength: {
      name: 160,
      trackingprefix: 256,
      hashfilterkeywords: 1000,
      orgdborgsettings: 1073741823,
      blockedattachments: 1073741823,
    },
  },
  {
    logicalName: 'usersettings',
    entitySet: 'usersettingscollection',
    primaryKey: 'systemuserid',
    primaryName: null,
    attributes: {
      systemuserid: 'guid',
      incomingemailfilteringmethod: 'int',
      autocreatecontactonpromote: 'int',
      synccontactcompany: 'bool',
      outlooksyncinterval: 'int',
      offlinesyncinterval: 'int',
      addressbooksyncinterval: 'int',
      isduplicatedetectionenabledwhengoingonline: 'bool',
      versionnumber: 'int',
    },
    lookups: [],
    collections: {},
    emailAttributes: [],
    owned: false,
    computedFullName: false,
    objectTypeCode: 150,
    maxLength: {},
    choices: {
      incomingemailfilteringmethod: {
        0: 'All email messages',
        1: 'Email messages in response to Dynamics 365 email',
        2: 'Email messages from Dynamics 365 Leads, Contacts and Accounts',
        3: 'Email messages from Dynamics 365 records that are email enabled',
        4: 'No email messages',
      },
    },
  },
  {
    logicalName: 'mailbox',
    entitySet: 'mailboxes',
    primaryKey: 'mailboxid',
    primaryName: 'name',
    attributes: {
      mailboxid: 'guid',
      name: 'string',
      emailaddress: 'string',
      emailrouteraccessapproval: 'int',
      ...common,
    },
    lookups: [
      owner,
      {
        name: 'regardingobjectid',
        navigation: { regardingobjectid: 'systemuser', regardingobjectid_queue: 'queue' },
      },
    ],
    // The mailbox's folder-level tracking rules (relationship Mailbox_MailboxTrackingFolder). Its
    // cascade is NoCascade for every action, so deleting a mailbox only clears their mailboxid.
    collections: {
      Mailbox_MailboxTrackingFolder: {
        target: 'mailboxtrackingfolder',
        via: 'mailboxid',
        cascadeDelete: false,
      },
    },
    emailAttributes: ['emailaddress'],
    owned: true,
    computedFullName: false,
    objectTypeCode: 9606,
    maxLength: { name: 256, emailaddress: 100 },
    choices: {
      emailrouteraccessapproval: { 0: 'Empty', 1: 'Approved', 2: 'Pending Approval', 3: 'Rejected' },
    },
  },
  {
    // A folder-level tracking rule (Mailbox Auto Tracking Folder table reference): an Exchange folder
    // of a mailbox mapped to a regarding record. `regardingobjecttypecode` (an EntityName column, a
    // string in the Web API) follows the regarding lookup; `folderonboardingstatus` is SystemRequired
    // and the documented create (Configure Exchange folder-level tracking rules) does not set it, so
    // it starts at 0. Its regarding navigation properties are `regardingobjectid_<table>`, with no
    // suffix (Account_MailboxTrackingFolder, Contact_MailboxTrackingFolder).
    logicalName: 'mailboxtrackingfolder',
    schemaName: 'MailboxTrackingFolder',
    entitySet: 'mailboxtrackingfolders',
    primaryKey: 'mailboxtrackingfolderid',
    primaryName: null,
    attributes: {
      mailboxtrackingfolderid: 'guid',
      exchangefolderid: 'string',
      exchangefoldername: 'string',
      folderonboardingstatus: 'int',
      regardingobjecttypecode: 'string',
      ...common,
    },
    lookups: [
      owner,
      { name: 'mailboxid', navigation: { mailboxid: 'mailbox' } },
      {
        name: 'regardingobjectid',
        navigation: {
          regardingobjectid_account: 'account',
          regardingobjectid_contact: 'contact',
          regardingobjectid_lead: 'lead',
          regardingobjectid_opportunity: 'opportunity',
          regardingobjectid_incident: 'incident',
        },
      },
    ],
    collections: {},
    emailAttributes: [],
    owned: true,
    computedFullName: false,
    objectTypeCode: 9608,
    maxLength: { exchangefolderid: 120, exchangefoldername: 256, regardingobjecttypecode: 64 },
  },
  {
    logicalName: 'environmentvariabledefinition',
    entitySet: 'environmentvariabledefinitions',
    primaryKey: 'environmentvariabledefinitionid',
    primaryName: 'schemaname',
    attributes: {
      environmentvariabledefinitionid: 'guid',
      schemaname: 'string',
      displayname: 'string',
      defaultvalue: 'memo',
      type: 'int',
      ...common,
    },
    lookups: [],
    collections: {
      environmentvariabledefinition_environmentvariablevalue: {
        target: 'environmentvariablevalue',
        via: 'environmentvariabledefinitionid',
        cascadeDelete: true,
      },
    },
    emailAttributes: [],
    owned: false,
    computedFullName: false,
    objectTypeCode: 380,
    maxLength: { schemaname: 100, displayname: 100, defaultvalue: 2000 },
  },
  {
    logicalName: 'environmentvariablevalue',
    entitySet: 'environmentvariablevalues',
    primaryKey: 'environmentvariablevalueid',
    primaryName: 'schemaname',
    attributes: {
      environmentvariablevalueid: 'guid',
      schemaname: 'string',
      value: 'memo',
      ...common,
    },
    lookups: [
      {
        name: 'environmentvariabledefinitionid',
        navigation: { EnvironmentVariableDefinitionId: 'environmentvariabledefinition' },
      },
    ],
    collections: {},
    emailAttributes: [],
    owned: false,
    computedFullName: false,
    objectTypeCode: 381,
    maxLength: { schemaname: 100, value: 2000 },
  },
  // The security model (security.ts): a Security Role (role table reference), the privileges it
  // holds and the users it is given to. `systemuserroles` and `roleprivileges` are Dataverse's
  // intersect tables: read-only here as there (a user gets a role through the N:N
  // `systemuserroles_association`, security.ts).
  {
    logicalName: 'role',
    entitySet: 'roles',
    primaryKey: 'roleid',
    primaryName: 'name',
    attributes: { roleid: 'guid', name: 'string', ...common },
    lookups: [{ name: 'businessunitid', navigation: { businessunitid: 'businessunit' } }],
    collections: {},
    emailAttributes: [],
    owned: false,
    computedFullName: false,
    objectTypeCode: 1036,
    maxLength: { name: 100 },
  },
  {
    logicalName: 'privilege',
    entitySet: 'privileges',
    primaryKey: 'privilegeid',
    primaryName: 'name',
    attributes: { privilegeid: 'guid', name: 'string', accessright: 'int', ...common },
    lookups: [],
    collections: {},
    emailAttributes: [],
    owned: false,
    computedFullName: false,
    objectTypeCode: 1023,
    maxLength: { name: 100 },
  },
  {
    logicalName: 'systemuserroles',
    schemaName: 'SystemUserRoles',
    entitySet: 'systemuserrolescollection',
    primaryKey: 'systemuserroleid',
    primaryName: null,
    attributes: { systemuserroleid: 'guid', systemuserid: 'guid', roleid: 'guid', versionnumber: 'int' },
    lookups: [],
    collections: {},
    emailAttributes: [],
    owned: false,
    computedFullName: false,
    objectTypeCode: 1116,
    maxLength: {},
  },
  {
    logicalName: 'roleprivileges',
    schemaName: 'RolePrivileges',
    entitySet: 'roleprivilegescollection',
    primaryKey: 'roleprivilegeid',
    primaryName: null,
    attributes: {
      roleprivilegeid: 'guid',
      roleid: 'guid',
      privilegeid: 'guid',
      privilegedepthmask: 'int',
      versionnumber: 'int',
    },
    lookups: [],
    collections: {},
    emailAttributes: [],
    owned: false,
    computedFullName: false,
    objectTypeCode: 12,
    maxLength: {},
  },
];

export const ENTITIES: readonly EntityDef[] = entities;
export const BY_SET = new Map(entities.map((e) => [e.entitySet, e]));
export const BY_NAME = new Map(entities.map((e) => [e.logicalName, e]));

/** Logical name of an entity the emulator knows only as a lookup target (no table). */
export const EXTERNAL_TARGETS: Readonly<Record<string, string>> = { businessunit: 'businessunits' };

export function entitySetOf(logicalName: string): string | undefined {
  return BY_NAME.get(logicalName)?.entitySet ?? EXTERNAL_TARGETS[logicalName];
}

/** `_x_value` → the lookup, or undefined. */
export function lookupByValueName(entity: EntityDef, name: string): LookupDef | undefined {
  const m = /^_(.+)_value$/.exec(name);
  return m ? entity.lookups.find((l) => l.name === m[1]) : undefined;
}

/** A navigation property (`partyid_contact`) → its lookup and target logical name. */
export function lookupByNavigation(
  entity: EntityDef,
  navigation: string,
): { lookup: LookupDef; target: string } | undefined {
  for (const lookup of entity.lookups) {
    const target = lookup.navigation[navigation];
    if (target !== undefined) return { lookup, target };
  }
  return undefined;
}
