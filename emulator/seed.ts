/**
 * A deterministic demo organization (the same ids and dates on every machine): an organizations row
 * with the §1.1 settings, users (one of them "me"), a queue, accounts, contacts, leads, opportunities,
 * cases, rows of a custom email-enabled table (`new_partner`) and some tracked emails — including one address shared by a contact and a lead created at
 * different times, and an inactive contact.
 */
import { createHash } from 'node:crypto';
import type { EmulatorDb, Row } from './db';
import { DEMO_FOLDERS } from './graph/seed';
import { assignRole, seedSecurity } from './security';
import { seedSynchronization, syncSeedIds } from './seedSync';

export type SeedKind = 'demo' | 'empty';

/** A stable GUID from a name. */
export function seedId(name: string): string {
  const h = createHash('sha1').update(`track-in-crm-emulator:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const BASE = Date.UTC(2024, 0, 8, 9, 0, 0);
const at = (days: number, minutes = 0): string =>
  new Date(BASE + days * 86_400_000 + minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

export const DEMO = {
  organizationId: seedId('organization'),
  businessUnitId: seedId('businessunit'),
  me: seedId('user:dana'),
  meEmail: 'dana@contoso.com',
  queueId: seedId('queue:sales'),
  /** The address deliberately shared by a contact and a lead. */
  duplicateAddress: 'sam.rivera@fabrikam.com',
  inactiveContactAddress: 'old.partner@northwind.com',
  /** Rows of the custom email-enabled table `new_partner` (entity set `new_partners`). */
  partnerId: seedId('new_partner:tailspin'),
  /** An address held by a `new_partner` row only: no contact, lead, account, user or queue has it. */
  partnerAddress: 'alliances@tailspintoys.com',
  inactivePartnerAddress: 'former@wingtiptoys.com',
} as const;

/** The synchronization seed's rows (seedSync.ts): Outlook filter templates, contacts, appointments, tasks. */
export const DEMO_SYNC = syncSeedIds(seedId);

/**
 * Dataverse's defaults for attachments: 5 MB (5,242,880 bytes) per file, and the file extensions a new
 * organization blocks (System Settings > General > "Set blocked file extensions for attachments").
 */
export const DEFAULT_MAX_UPLOAD_FILE_SIZE = 5_242_880;
export const DEFAULT_BLOCKED_ATTACHMENTS =
  'ade;adp;app;asa;ashx;asmx;asp;bas;bat;cdx;cer;chm;class;cmd;com;config;cpl;crt;csh;dll;exe;fxp;hlp;hta;htr;htw;ida;idc;idq;inf;ins;isp;its;jar;js;jse;ksh;lnk;mad;maf;mag;mam;maq;mar;mas;mat;mau;mav;maw;mda;mdb;mde;mdt;mdw;mdz;msc;msh;msh1;msh1xml;msh2;msh2xml;mshxml;msi;msp;mst;ops;pcd;pif;prf;prg;printer;pst;reg;rem;scf;scr;sct;shb;shs;shtm;shtml;soap;stm;tmp;url;vb;vbe;vbs;vsmacros;vss;vst;vsw;ws;wsc;wsf;wsh';

export const ORG_DB_ORG_SETTINGS =
  '<OrgSettings><VerboseErrorsOnPromoteToCRM>1</VerboseErrorsOnPromoteToCRM>' +
  '<AutoCreateContactOnPromote>true</AutoCreateContactOnPromote>' +
  '<AllowPromoteDuplicates>false</AllowPromoteDuplicates>' +
  '<TrackCategorizedItems>true</TrackCategorizedItems></OrgSettings>';

const owner = (id: string = DEMO.me): Row => ({ _ownerid_value: id, _ownerid_type: 'systemuser' });

/** The rows every org has: the organization, its business unit's users and "me". */
function seedCore(db: EmulatorDb): void {
  db.setMeta('organizationid', DEMO.organizationId);
  db.setMeta('businessunitid', DEMO.businessUnitId);
  db.setMeta('me', DEMO.me);
  db.insert('organization', {
    organizationid: DEMO.organizationId,
    name: 'Contoso (emulator)',
    tagpollingperiod: 10,
    tagmaxaggressivecycles: 3,
    allowoutlookscheduledsyncs: 1,
    minoutlooksyncinterval: 15,
    allowofflinescheduledsyncs: 1,
    minofflinesyncinterval: 15,
    allowaddressbooksyncs: 1,
    minaddressbooksyncinterval: 60,
    emailcorrelationenabled: 1,
    trackingprefix: 'CRM:',
    trackingtokeniddigits: 3,
    trackingtokenidbase: 0,
    maximumtrackingnumber: 999,
    enablesmartmatching: 0,
    hashfilterkeywords: '^[\\s]*([\\w]+\\s?:[\\s]*)+',
    hashmaxcount: 20,
    hashdeltasubjectcount: 0,
    hashminaddresscount: 2,
    ignoreinternalemail: 0,
    requireapprovalforuseremail: 0,
    unresolveemailaddressifmultiplematch: 0,
    isfolderbasedtrackingenabled: 0,
    orgdborgsettings: ORG_DB_ORG_SETTINGS,
    maxuploadfilesize: DEFAULT_MAX_UPLOAD_FILE_SIZE,
    blockedattachments: DEFAULT_BLOCKED_ATTACHMENTS,
    createdon: at(-400),
  });
  addUser(db, DEMO.me, 'Dana', 'Park', DEMO.meEmail, -400);
  seedRoles(db);
}

/** The security roles (security.ts), by id: seedId('role:<name>'). */
export const ROLES = {
  systemAdministrator: seedId('role:System Administrator'),
  systemCustomizer: seedId('role:System Customizer'),
  salesperson: seedId('role:Salesperson'),
} as const;

/** The predefined roles and their privileges; "me" (Dana) is the System Administrator. */
function seedRoles(db: EmulatorDb): void {
  seedSecurity(db, seedId, DEMO.businessUnitId);
  assignRole(db, DEMO.me, ROLES.systemAdministrator);
}

function addUser(db: EmulatorDb, id: string, first: string, last: string, email: string, day: number): void {
  db.insert('systemuser', {
    systemuserid: id,
    firstname: first,
    lastname: last,
    domainname: email,
    internalemailaddress: email,
    isdisabled: 0,
    _businessunitid_value: DEMO.businessUnitId,
    _businessunitid_type: 'businessunit',
    createdon: at(day),
  });
  db.insert('mailbox', {
    mailboxid: seedId(`mailbox:${email}`),
    name: `${first} ${last}`,
    emailaddress: email,
    emailrouteraccessapproval: 1,
    _regardingobjectid_value: id,
    _regardingobjectid_type: 'systemuser',
    ...owner(id),
    createdon: at(day),
  });
  db.insert('usersettings', {
    systemuserid: id,
    incomingemailfilteringmethod: 1,
    autocreatecontactonpromote: 0,
    synccontactcompany: 0,
    outlooksyncinterval: 15,
    offlinesyncinterval: 15,
    addressbooksyncinterval: 60,
    isduplicatedetectionenabledwhengoingonline: 1,
  });
}

const ACCOUNTS = [
  ['Fabrikam', 'fabrikam.com'],
  ['Northwind Traders', 'northwind.com'],
  ['Adventure Works', 'adventure-works.com'],
  ['Tailspin Toys', 'tailspintoys.com'],
  ['Wide World Importers', 'wideworldimporters.com'],
  ['Litware', 'litware.com'],
  ['Proseware', 'proseware.com'],
  ['Woodgrove Bank', 'woodgrovebank.com'],
  ['Alpine Ski House', 'alpineskihouse.com'],
  ['Coho Winery', 'cohowinery.com'],
] as const;

const FIRST = ['Alex', 'Blair', 'Casey', 'Drew', 'Emery', 'Finley', 'Gray', 'Harper', 'Indy', 'Jordan'];
const LAST = [
  'Nguyen',
  'Smith',
  'Garcia',
  'Okafor',
  'Müller',
  'Rossi',
  'Tanaka',
  'Silva',
  'Kowalski',
  'Dubois',
];

function seedDemo(db: EmulatorDb): void {
  addUser(db, seedId('user:lee'), 'Lee', 'Chen', 'lee@contoso.com', -380);
  addUser(db, seedId('user:ari'), 'Ari', 'Haddad', 'ari@contoso.com', -360);
  db.insert('queue', {
    queueid: DEMO.queueId,
    name: 'Sales',
    emailaddress: 'sales@contoso.com',
    ...owner(),
    createdon: at(-390),
  });
  // A custom email-enabled table's rows: one active (its address nowhere else), one inactive.
  db.insert('new_partner', {
    new_partnerid: DEMO.partnerId,
    new_name: 'Tailspin Toys (partner)',
    new_emailaddress: DEMO.partnerAddress,
    new_website: 'https://tailspintoys.example',
    statecode: 0,
    statuscode: 1,
    ...owner(),
    createdon: at(-200),
  });
  db.insert('new_partner', {
    new_partnerid: seedId('new_partner:wingtip'),
    new_name: 'Wingtip Toys (former partner)',
    new_emailaddress: DEMO.inactivePartnerAddress,
    statecode: 1,
    statuscode: 2,
    ...owner(),
    createdon: at(-250),
  });
  db.insert('environmentvariabledefinition', {
    environmentvariabledefinitionid: seedId('env:promote'),
    schemaname: 'tic_promoteIncomingEmail',
    displayname: 'Promote incoming email',
    defaultvalue: 'true',
    type: 100000002,
    createdon: at(-300),
  });
  db.insert('environmentvariabledefinition', {
    environmentvariabledefinitionid: seedId('env:token'),
    schemaname: 'tic_useTrackingToken',
    displayname: 'Use tracking token',
    defaultvalue: 'true',
    type: 100000002,
    createdon: at(-300),
  });
  db.insert('environmentvariablevalue', {
    environmentvariablevalueid: seedId('envvalue:token'),
    schemaname: 'tic_useTrackingToken',
    value: 'true',
    _environmentvariabledefinitionid_value: seedId('env:token'),
    _environmentvariabledefinitionid_type: 'environmentvariabledefinition',
    createdon: at(-299),
  });

  ACCOUNTS.forEach(([name, domain], i) => {
    db.insert('account', {
      accountid: seedId(`account:${domain}`),
      name,
      accountnumber: `AC-${1000 + i}`,
      emailaddress1: `info@${domain}`,
      websiteurl: `https://www.${domain}`,
      ...owner(),
      createdon: at(-300 + i),
    });
  });

  for (let i = 0; i < 30; i += 1) {
    const [, domain] = ACCOUNTS[i % ACCOUNTS.length] as readonly [string, string];
    const first = FIRST[i % FIRST.length] as string;
    const last = LAST[Math.floor(i / 3) % LAST.length] as string;
    const local = `${first}.${last}`.toLowerCase().replace('ü', 'ue');
    db.insert('contact', {
      contactid: seedId(`contact:${i}`),
      firstname: first,
      lastname: last,
      jobtitle: i % 4 === 0 ? 'Buyer' : 'Engineer',
      emailaddress1: `${local}@${domain}`,
      emailaddress2: i % 5 === 0 ? `${first.toLowerCase()}@mail.example` : null,
      _parentcustomerid_value: seedId(`account:${domain}`),
      _parentcustomerid_type: 'account',
      ...owner(),
      createdon: at(-250 + i),
    });
  }
  // Deliberate duplicates: the same address on a contact (older) and a lead (newer); a quote in an address;
  // and an inactive contact.
  db.insert('contact', {
    contactid: seedId('contact:sam'),
    firstname: 'Sam',
    lastname: 'Rivera',
    emailaddress1: DEMO.duplicateAddress,
    _parentcustomerid_value: seedId('account:fabrikam.com'),
    _parentcustomerid_type: 'account',
    ...owner(),
    createdon: at(-200),
  });
  db.insert('contact', {
    contactid: seedId('contact:obrien'),
    firstname: 'Pat',
    lastname: "O'Brien",
    emailaddress1: "pat.o'brien@litware.com",
    ...owner(),
    createdon: at(-190),
  });
  db.insert('contact', {
    contactid: seedId('contact:inactive'),
    firstname: 'Robin',
    lastname: 'Old',
    emailaddress1: DEMO.inactiveContactAddress,
    statecode: 1,
    statuscode: 2,
    ...owner(),
    createdon: at(-180),
  });

  const leads = [
    ['Sam', 'Rivera', DEMO.duplicateAddress, 'Fabrikam'],
    ['Quinn', 'Baker', 'quinn@startup.example', 'Startup'],
    ['Morgan', 'Lee', 'morgan.lee@gmail.example', null],
    ['Avery', 'Stone', 'avery@stone.example', 'Stone Ltd'],
    ['Rowan', 'Diaz', 'rowan.diaz@contractor.example', 'Diaz Consulting'],
    ['Skyler', 'Ng', 'skyler@ng.example', 'Ng & Co'],
    ['Reese', 'Patel', 'reese.patel@bigco.example', 'BigCo'],
    ['Jamie', 'Fox', 'jamie@foxes.example', 'Foxes'],
  ] as const;
  leads.forEach(([first, last, email, company], i) => {
    db.insert('lead', {
      leadid: seedId(`lead:${i}`),
      firstname: first,
      lastname: last,
      subject: `Interest from ${company ?? `${first} ${last}`}`,
      companyname: company,
      emailaddress1: email,
      ...owner(),
      createdon: at(-100 + i * 3),
    });
  });

  for (let i = 0; i < 6; i += 1) {
    const [name, domain] = ACCOUNTS[i] as readonly [string, string];
    db.insert('opportunity', {
      opportunityid: seedId(`opportunity:${i}`),
      name: `${name}: ${['renewal', 'expansion', 'pilot', 'upgrade', 'new licences', 'support plan'][i] ?? ''}`,
      estimatedvalue: 10_000 * (i + 1),
      _customerid_value: seedId(`account:${domain}`),
      _customerid_type: 'account',
      ...owner(),
      createdon: at(-90 + i),
    });
  }
  for (let i = 0; i < 4; i += 1) {
    db.insert('incident', {
      incidentid: seedId(`incident:${i}`),
      title: ['Cannot sign in', 'Invoice question', 'Shipment delayed', 'Feature request'][i] ?? null,
      ticketnumber: `CAS-0100${i}-DEMO`,
      _customerid_value: seedId(`contact:${i}`),
      _customerid_type: 'contact',
      ...owner(),
      createdon: at(-60 + i),
    });
  }

  // Tracked emails, each with parties, a Message-ID, a tracking token and a regarding record.
  const contact0 = db.get('contact', seedId('contact:0')) as Row;
  const emails = [
    {
      n: 0,
      subject: 'Renewal quote CRM:0001000',
      from: contact0,
      regarding: ['opportunity', seedId('opportunity:0')],
      incoming: true,
    },
    {
      n: 1,
      subject: 'RE: Renewal quote CRM:0001002',
      from: null,
      regarding: ['opportunity', seedId('opportunity:0')],
      incoming: false,
    },
    {
      n: 2,
      subject: 'Cannot sign in',
      from: contact0,
      regarding: ['incident', seedId('incident:0')],
      incoming: true,
    },
    {
      n: 3,
      subject: 'Hello from Sam',
      from: null,
      regarding: ['contact', seedId('contact:sam')],
      incoming: true,
    },
  ] as const;
  for (const e of emails) {
    const activityid = seedId(`email:${e.n}`);
    db.insert('email', {
      activityid,
      subject: e.subject,
      description: `<p>${e.subject}</p>`,
      messageid: `<demo-${e.n}@mail.contoso.example>`,
      inreplyto: e.n === 1 ? '<demo-0@mail.contoso.example>' : null,
      directioncode: e.incoming ? 0 : 1,
      trackingtoken: /CRM:\d+/.exec(e.subject)?.[0] ?? null,
      conversationindex: Buffer.from(`demo-conversation-${e.n === 1 ? 0 : e.n}-000000`).toString('base64'),
      senton: at(-30 + e.n),
      actualend: at(-30 + e.n),
      statecode: 1,
      statuscode: e.incoming ? 4 : 3,
      _regardingobjectid_value: e.regarding[1],
      _regardingobjectid_type: e.regarding[0],
      ...owner(),
      createdon: at(-30 + e.n),
    });
    const sender = e.incoming
      ? e.n === 3
        ? {
            _partyid_value: seedId('contact:sam'),
            _partyid_type: 'contact',
            addressused: DEMO.duplicateAddress,
          }
        : {
            _partyid_value: e.from?.contactid ?? null,
            _partyid_type: 'contact',
            addressused: e.from?.emailaddress1,
          }
      : { _partyid_value: DEMO.me, _partyid_type: 'systemuser', addressused: DEMO.meEmail };
    const recipient = e.incoming
      ? { _partyid_value: DEMO.me, _partyid_type: 'systemuser', addressused: DEMO.meEmail }
      : { _partyid_value: contact0.contactid, _partyid_type: 'contact', addressused: contact0.emailaddress1 };
    db.insert('activityparty', {
      activitypartyid: seedId(`party:${e.n}:from`),
      participationtypemask: 1,
      _activityid_value: activityid,
      _activityid_type: 'email',
      ...sender,
    } as Row);
    db.insert('activityparty', {
      activitypartyid: seedId(`party:${e.n}:to`),
      participationtypemask: 2,
      _activityid_value: activityid,
      _activityid_type: 'email',
      ...recipient,
    } as Row);
    db.insert('activityparty', {
      activitypartyid: seedId(`party:${e.n}:cc`),
      participationtypemask: 3,
      addressused: 'someone.unknown@elsewhere.example',
      _activityid_value: activityid,
      _activityid_type: 'email',
    });
  }
  seedTrackingFolder(db);
  seedWorkbench(db);
  seedSynchronization(
    db,
    seedId,
    { id: DEMO.me, email: DEMO.meEmail },
    new Set(ACCOUNTS.map(([, domain]) => seedId(`account:${domain}`))),
  );
}

/**
 * One folder-level tracking rule of "me": the folder Inbox/Projects/Fabrikam (the same Graph id in the
 * Graph emulator's demo mailbox and in the workbench's, which has the folder too) mapped to the Fabrikam
 * account. The demo organization has folder-level tracking on (a new org has it off), so the pane's
 * rules editor and the background check's mapped folders can be seen working.
 */
function seedTrackingFolder(db: EmulatorDb): void {
  db.update('organization', DEMO.organizationId, { isfolderbasedtrackingenabled: 1 });
  db.insert('mailboxtrackingfolder', {
    mailboxtrackingfolderid: seedId('trackingfolder:fabrikam'),
    exchangefolderid: DEMO_FOLDERS.fabrikam,
    exchangefoldername: 'Inbox/Projects/Fabrikam',
    folderonboardingstatus: 0,
    _mailboxid_value: seedId(`mailbox:${DEMO.meEmail}`),
    _mailboxid_type: 'mailbox',
    _regardingobjectid_value: seedId('account:fabrikam.com'),
    _regardingobjectid_type: 'account',
    regardingobjecttypecode: 'account',
    ...owner(),
    createdon: at(-30),
  });
}

/** Fills an empty database. `empty` still creates the organization and "me": every org has them. */
export function seedDatabase(db: EmulatorDb, kind: SeedKind): boolean {
  if (db.getMeta('me') !== undefined) {
    // A file seeded before the security model (or before some of its privileges): add what is
    // missing, or no one could save settings.
    db.transaction(() => upgradeSecurity(db));
    return false;
  }
  db.transaction(() => {
    seedCore(db);
    if (kind === 'demo') seedDemo(db);
  });
  return true;
}

/**
 * Roles for a file seeded before them: the predefined ones, Dana administrator, Sam salesperson; a
 * file that has roles gets only the privileges added since (its users' roles are left as they are).
 */
function upgradeSecurity(db: EmulatorDb): void {
  if (db.count('role') > 0) {
    seedSecurity(db, seedId, DEMO.businessUnitId);
    return;
  }
  seedRoles(db);
  if (db.get('systemuser', WORKBENCH.sam)) assignRole(db, WORKBENCH.sam, ROLES.salesperson);
}

/**
 * The people and threads of the workbench's demo mailbox (simulator/demoMailbox.ts, DEMO_PEOPLE),
 * so that `npm start` shows the add-in doing what it does: Ann's replies correlate to tracked email,
 * Evan is a lead, shared@fabrikam.com is a contact and a later lead, the stranger is nobody.
 * test/contract/seed-alignment.test.ts keeps the two in step.
 */
export const WORKBENCH = {
  sam: seedId('user:sam'),
  ann: seedId('contact:ann'),
  bob: seedId('contact:bob'),
  carla: seedId('contact:carla'),
  evan: seedId('lead:evan'),
  sharedContact: seedId('contact:shared'),
  sharedLead: seedId('lead:shared'),
  /** Tracked emails of the demo mailbox: Message-ID → activity id. */
  tracked: {
    pricing: { activityId: seedId('email:pricing'), messageId: '<q3-pricing.0001@fabrikam.com>' },
    renewal: {
      activityId: seedId('email:renewal'),
      messageId: '<DM6PR11MB0002B27F3E2D1C0B9A8@DM6PR11MB0002.namprd11.prod.outlook.com>',
    },
    welcome: {
      activityId: seedId('email:welcome'),
      messageId: '<DM6PR11MB0003C37F3E2D1C0B9A8@DM6PR11MB0003.namprd11.prod.outlook.com>',
    },
  },
} as const;

function seedWorkbench(db: EmulatorDb): void {
  addUser(db, WORKBENCH.sam, 'Sam', 'Lee', 'sam@contoso.com', -370);
  // Sam may not change the organization's settings: the admin page's "no privilege" case.
  assignRole(db, WORKBENCH.sam, ROLES.salesperson);
  const person = (
    table: 'contact' | 'lead',
    id: string,
    first: string,
    last: string,
    email: string,
    domain: string | null,
    day: number,
  ): void => {
    db.insert(table, {
      [`${table}id`]: id,
      firstname: first,
      lastname: last,
      emailaddress1: email,
      ...(table === 'contact' && domain
        ? { _parentcustomerid_value: seedId(`account:${domain}`), _parentcustomerid_type: 'account' }
        : {}),
      ...(table === 'lead' ? { companyname: domain, subject: `Interest from ${first} ${last}` } : {}),
      ...owner(),
      createdon: at(day),
    });
  };
  person('contact', WORKBENCH.ann, 'Ann', 'Lee', 'ann@fabrikam.com', 'fabrikam.com', -240);
  person('contact', WORKBENCH.bob, 'Bob', 'Kim', 'bob@fabrikam.com', 'fabrikam.com', -239);
  person(
    'contact',
    WORKBENCH.carla,
    'Carla',
    'Diaz',
    'carla@adventure-works.com',
    'adventure-works.com',
    -238,
  );
  person('lead', WORKBENCH.evan, 'Evan', 'Wright', 'evan@wingtiptoys.com', 'Wingtip Toys', -80);
  // The same address on a contact and, later, a lead: the sender conflict of spec §2.1 step 8.
  person(
    'contact',
    WORKBENCH.sharedContact,
    'Fabrikam',
    'Accounts',
    'shared@fabrikam.com',
    'fabrikam.com',
    -230,
  );
  person('lead', WORKBENCH.sharedLead, 'Fabrikam', 'Accounts', 'shared@fabrikam.com', 'Fabrikam', -70);

  const tracked = (
    key: keyof typeof WORKBENCH.tracked,
    subject: string,
    outgoing: boolean,
    other: { id: string; type: string; address: string },
    regarding: [string, string],
    day: number,
  ): void => {
    const { activityId, messageId } = WORKBENCH.tracked[key];
    db.insert('email', {
      activityid: activityId,
      subject,
      description: `<p>${subject}</p>`,
      messageid: messageId,
      directioncode: outgoing ? 1 : 0,
      trackingtoken: /CRM:\d+/.exec(subject)?.[0] ?? null,
      senton: at(day),
      actualend: at(day),
      statecode: 1,
      statuscode: outgoing ? 3 : 4,
      _regardingobjectid_value: regarding[1],
      _regardingobjectid_type: regarding[0],
      ...owner(),
      createdon: at(day),
    });
    const me = { _partyid_value: DEMO.me, _partyid_type: 'systemuser', addressused: DEMO.meEmail };
    const them = { _partyid_value: other.id, _partyid_type: other.type, addressused: other.address };
    [outgoing ? me : them, outgoing ? them : me].forEach((party, i) => {
      db.insert('activityparty', {
        activitypartyid: seedId(`party:${key}:${i}`),
        participationtypemask: i + 1,
        _activityid_value: activityId,
        _activityid_type: 'email',
        ...party,
      } as Row);
    });
  };
  const ann = { id: WORKBENCH.ann, type: 'contact', address: 'ann@fabrikam.com' };
  const carla = { id: WORKBENCH.carla, type: 'contact', address: 'carla@adventure-works.com' };
  tracked('pricing', 'Q3 pricing proposal', false, ann, ['opportunity', seedId('opportunity:0')], -2);
  tracked('renewal', 'Contract renewal CRM:0001001', true, ann, ['opportunity', seedId('opportunity:0')], -1);
  tracked(
    'welcome',
    'Welcome to Contoso',
    true,
    carla,
    ['account', seedId('account:adventure-works.com')],
    -1,
  );
}
