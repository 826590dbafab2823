/**
 * Dataverse's names for the entities the add-in touches (dataverse-facts.md): entity sets, keys,
 * the attributes that hold email addresses, and the navigation properties used to bind parties and
 * regarding records. One table, so a type name never turns into a URL by string gluing elsewhere.
 */

export interface EntityInfo {
  readonly set: string;
  readonly key: string;
  /** The attribute shown as the record's name. */
  readonly name: string;
  /** Attributes holding email addresses, primary first (§2.4). */
  readonly emails: readonly string[];
  /** Filter that keeps active rows only ("inactive records never match"). */
  readonly activeFilter: string;
  /** Party binding: `partyid_<type>` exists for this type. */
  readonly party: boolean;
  /** Regarding binding on an email: `regardingobjectid_<type>_email` exists for this type. */
  readonly regarding: boolean;
}

export const ENTITIES: Readonly<Record<string, EntityInfo>> = {
  contact: {
    set: 'contacts',
    key: 'contactid',
    name: 'fullname',
    emails: ['emailaddress1', 'emailaddress2', 'emailaddress3'],
    activeFilter: 'statecode eq 0',
    party: true,
    regarding: true,
  },
  account: {
    set: 'accounts',
    key: 'accountid',
    name: 'name',
    emails: ['emailaddress1', 'emailaddress2', 'emailaddress3'],
    activeFilter: 'statecode eq 0',
    party: true,
    regarding: true,
  },
  lead: {
    set: 'leads',
    key: 'leadid',
    name: 'fullname',
    emails: ['emailaddress1', 'emailaddress2', 'emailaddress3'],
    activeFilter: 'statecode eq 0',
    party: true,
    regarding: true,
  },
  systemuser: {
    set: 'systemusers',
    key: 'systemuserid',
    name: 'fullname',
    emails: ['internalemailaddress'],
    activeFilter: 'isdisabled eq false',
    party: true,
    regarding: false,
  },
  queue: {
    set: 'queues',
    key: 'queueid',
    name: 'name',
    emails: ['emailaddress'],
    activeFilter: 'statecode eq 0',
    party: true,
    regarding: false,
  },
  opportunity: {
    set: 'opportunities',
    key: 'opportunityid',
    name: 'name',
    emails: [],
    activeFilter: 'statecode eq 0',
    party: false,
    regarding: true,
  },
  incident: {
    set: 'incidents',
    key: 'incidentid',
    name: 'title',
    emails: [],
    activeFilter: 'statecode eq 0',
    party: false,
    regarding: true,
  },
};

/** The email-enabled types whose records an address can resolve to, in the rules' tie order. */
export const EMAIL_ENABLED_TYPES = ['systemuser', 'contact', 'account', 'lead', 'queue'] as const;

export function entity(type: string): EntityInfo {
  const info = ENTITIES[type];
  if (!info) throw new TypeError(`the add-in does not know the CRM type "${type}"`);
  return info;
}

/** The id of a created row from its `OData-EntityId` header: `…/contacts(<guid>)`. */
export function idFromEntityUrl(url: string | null | undefined): string | null {
  const match = url ? /\(([0-9a-fA-F-]{36})\)\s*$/.exec(url) : null;
  return match ? (match[1] as string).toLowerCase() : null;
}

/** participationtypemask values (dataverse-facts.md). */
export const PARTICIPATION = { from: 1, to: 2, cc: 3, bcc: 4 } as const;

/** participationtypemask of a meeting's parties (Dataverse's ActivityParty table: 5, 6, 7). */
export const APPOINTMENT_PARTICIPATION = { required: 5, optional: 6, organizer: 7 } as const;
