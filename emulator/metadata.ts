/**
 * The emulated part of the Dataverse schema: entity sets, their attributes, lookups and the navigation
 * properties the add-in uses. Tables, `$filter`, `$select`, binds and annotations all read from here.
 */

export type AttributeType = 'string' | 'memo' | 'int' | 'bool' | 'datetime' | 'guid';

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
}

const owner: LookupDef = { name: 'ownerid', navigation: { ownerid: 'systemuser' } };
const common = { createdon: 'datetime', modifiedon: 'datetime', versionnumber: 'int' } as const;
const activeInactive = {
  0: { default: 1, allowed: [1] },
  1: { default: 2, allowed: [2] },
} as const;

const entities: EntityDef[] = [
  {
    logicalName: 'contact',
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
    collections: {},
    emailAttributes: ['emailaddress1', 'emailaddress2', 'emailaddress3'],
    owned: true,
    computedFullName: true,
    states: activeInactive,
  },
  {
    logicalName: 'account',
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
    collections: {},
    emailAttributes: ['emailaddress1', 'emailaddress2', 'emailaddress3'],
    owned: true,
    computedFullName: false,
    states: activeInactive,
  },
  {
    logicalName: 'lead',
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
    states: {
      0: { default: 1, allowed: [1, 2] },
      1: { default: 3, allowed: [3] },
      2: { default: 4, allowed: [4, 5, 6, 7] },
    },
  },
  {
    logicalName: 'systemuser',
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
  },
  {
    logicalName: 'queue',
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
      estimatedvalue: 'int',
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
    ],
    collections: { email_activity_parties: { target: 'activityparty', via: 'activityid' } },
    emailAttributes: [],
    owned: true,
    computedFullName: false,
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
      { name: 'activityid', navigation: { activityid_email: 'email' } },
      {
        name: 'partyid',
        navigation: {
          partyid_contact: 'contact',
          partyid_account: 'account',
          partyid_lead: 'lead',
          partyid_systemuser: 'systemuser',
          partyid_queue: 'queue',
        },
      },
    ],
    collections: {},
    emailAttributes: ['addressused'],
    owned: false,
    computedFullName: false,
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
      ...common,
    },
    lookups: [],
    collections: {},
    emailAttributes: [],
    owned: false,
    computedFullName: false,
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
    collections: {},
    emailAttributes: ['emailaddress'],
    owned: true,
    computedFullName: false,
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
      },
    },
    emailAttributes: [],
    owned: false,
    computedFullName: false,
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
