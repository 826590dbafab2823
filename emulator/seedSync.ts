/**
 * The demo organization's synchronization data (issue 12): the Outlook filter templates a new user's
 * filters are copied from (`savedquery`, querytype 131072 OutlookTemplate, in the spirit of Dynamics'
 * default "My …" Outlook filters), NO `userquery` rows for the demo user (so the add-in's first
 * synchronization copies the templates), no `syncattributemapping` rows (so the default mappings
 * apply), and records owned by the demo user: contacts with phones and addresses, appointments in the
 * coming days with attendees, tasks.
 *
 * Appointment and task dates are counted from the day the database is seeded (chosen), not from the
 * seed's fixed 2024 dates: the templates select appointments from the last 30 days on and open tasks,
 * so a demo started today shows them. Their ids are stable (seedId).
 */
import type { EmulatorDb, Row } from './db';
import { nowIso } from './db';

/** Dataverse's SavedQueryQueryType.OutlookTemplate. */
export const OUTLOOK_TEMPLATE = 131072;

export interface SyncSeedIds {
  readonly contacts: readonly string[];
  readonly appointments: readonly string[];
  readonly tasks: readonly string[];
  readonly templates: { readonly contact: string; readonly appointment: string; readonly task: string };
}

/** The ids the synchronization seed uses (tests name them from here). */
export function syncSeedIds(seedId: (name: string) => string): SyncSeedIds {
  return {
    contacts: [0, 1, 2, 3, 4, 5].map((i) => seedId(`sync:contact:${i}`)),
    appointments: [0, 1, 2].map((i) => seedId(`sync:appointment:${i}`)),
    tasks: [0, 1, 2].map((i) => seedId(`sync:task:${i}`)),
    templates: {
      contact: seedId('savedquery:my-contacts'),
      appointment: seedId('savedquery:my-appointments'),
      task: seedId('savedquery:my-tasks'),
    },
  };
}

/** The templates' FetchXML (each returns the caller's own rows: `ownerid eq-userid`). */
export const TEMPLATE_FETCHXML = {
  contact:
    '<fetch version="1.0" mapping="logical"><entity name="contact"><attribute name="fullname" />' +
    '<attribute name="contactid" /><filter type="and"><condition attribute="ownerid" operator="eq-userid" />' +
    '<condition attribute="statecode" operator="eq" value="0" /></filter></entity></fetch>',
  // From the last 30 days on: the last 30 days or any day ahead (chosen: ten years ahead).
  appointment:
    '<fetch version="1.0" mapping="logical"><entity name="appointment"><attribute name="subject" />' +
    '<attribute name="activityid" /><filter type="and"><condition attribute="ownerid" operator="eq-userid" />' +
    '<filter type="or"><condition attribute="scheduledstart" operator="last-x-days" value="30" />' +
    '<condition attribute="scheduledstart" operator="next-x-days" value="3650" /></filter></filter>' +
    '</entity></fetch>',
  // Open and completed, not canceled (statecode 0 open, 1 completed, 2 canceled): a task completed in
  // the CRM must still reach To Do as completed (§2.3 step 3 would otherwise unlink it as out of scope
  // before its status is copied; chosen).
  task:
    '<fetch version="1.0" mapping="logical"><entity name="task"><attribute name="subject" />' +
    '<attribute name="activityid" /><filter type="and"><condition attribute="ownerid" operator="eq-userid" />' +
    '<condition attribute="statecode" operator="ne" value="2" /></filter></entity></fetch>',
} as const;

const CONTACTS = [
  {
    first: 'Nora',
    last: 'Quinn',
    email: 'nora.quinn@fabrikam.com',
    account: 'fabrikam.com',
    job: 'Purchasing manager',
    phone: '+1 425 555 0142',
    mobile: '+1 425 555 0143',
    street: '1 Microsoft Way',
    city: 'Redmond',
    state: 'WA',
    zip: '98052',
    country: 'United States',
    birthdate: '1984-03-21',
  },
  {
    first: 'Omar',
    last: 'Haddad',
    email: 'omar.haddad@litware.com',
    account: 'litware.com',
    job: 'CTO',
    phone: '+44 20 7946 0011',
    mobile: null,
    street: '10 Fleet Street',
    city: 'London',
    state: null,
    zip: 'EC4Y 1AA',
    country: 'United Kingdom',
    birthdate: null,
  },
  {
    first: 'Priya',
    last: 'Raman',
    email: 'priya.raman@adatum.com',
    account: 'adatum.com',
    job: 'Project lead',
    phone: '+1 206 555 0190',
    mobile: '+1 206 555 0191',
    street: null,
    city: 'Seattle',
    state: 'WA',
    zip: null,
    country: 'United States',
    birthdate: '1990-11-02',
  },
  {
    first: 'Lukas',
    last: 'Becker',
    email: 'lukas.becker@contoso-partner.example',
    account: null,
    job: 'Consultant',
    phone: null,
    mobile: '+49 30 5555 0100',
    street: 'Friedrichstraße 1',
    city: 'Berlin',
    state: null,
    zip: '10117',
    country: 'Germany',
    birthdate: null,
  },
  {
    first: 'Mei',
    last: 'Tanaka',
    email: 'mei.tanaka@northwind.com',
    account: 'northwind.com',
    job: 'Buyer',
    phone: '+81 3 5555 0123',
    mobile: null,
    street: null,
    city: 'Tokyo',
    state: null,
    zip: null,
    country: 'Japan',
    birthdate: null,
  },
  {
    first: 'Diego',
    last: 'Alvarez',
    email: 'diego.alvarez@freelance.example',
    account: null,
    job: null,
    phone: '+34 91 555 0177',
    mobile: null,
    street: null,
    city: 'Madrid',
    state: null,
    zip: null,
    country: 'Spain',
    birthdate: null,
  },
] as const;

const DAY_MS = 86_400_000;

export function seedSynchronization(
  db: EmulatorDb,
  seedId: (name: string) => string,
  me: { readonly id: string; readonly email: string },
  accountIds: ReadonlySet<string>,
  now: Date = new Date(),
): void {
  const ids = syncSeedIds(seedId);
  const owner: Row = { _ownerid_value: me.id, _ownerid_type: 'systemuser' };
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const at = (days: number, hours: number, minutes = 0): string =>
    nowIso(new Date(today + days * DAY_MS + (hours * 60 + minutes) * 60_000));

  for (const [kind, name] of [
    ['contact', 'My contacts'],
    ['appointment', 'My appointments'],
    ['task', 'My tasks'],
  ] as const) {
    db.insert('savedquery', {
      savedqueryid: ids.templates[kind],
      name,
      description: `Outlook synchronization filter template: the ${kind} records the user owns.`,
      fetchxml: TEMPLATE_FETCHXML[kind],
      returnedtypecode: kind,
      querytype: OUTLOOK_TEMPLATE,
      isdefault: 1,
      statecode: 0,
      statuscode: 1,
    });
  }

  CONTACTS.forEach((c, i) => {
    const accountId = c.account ? seedId(`account:${c.account}`) : null;
    db.insert('contact', {
      contactid: ids.contacts[i] as string,
      firstname: c.first,
      lastname: c.last,
      emailaddress1: c.email,
      jobtitle: c.job,
      telephone1: c.phone,
      mobilephone: c.mobile,
      address1_line1: c.street,
      address1_city: c.city,
      address1_stateorprovince: c.state,
      address1_postalcode: c.zip,
      address1_country: c.country,
      birthdate: c.birthdate,
      ...(accountId && accountIds.has(accountId)
        ? { _parentcustomerid_value: accountId, _parentcustomerid_type: 'account' }
        : {}),
      ...owner,
    });
  });

  const appointments = [
    {
      subject: 'Quarterly review with Fabrikam',
      location: 'Teams meeting',
      start: at(1, 10),
      end: at(1, 10, 30),
      allDay: 0,
      state: [3, 5],
      priority: 1,
    },
    {
      subject: 'Litware architecture workshop',
      location: 'Litware, London office',
      start: at(2, 14),
      end: at(2, 16),
      allDay: 0,
      state: [0, 2],
      priority: 2,
    },
    {
      subject: 'Trade fair (all day)',
      location: 'Convention center',
      start: at(4, 0),
      end: at(5, 0),
      allDay: 1,
      state: [3, 6],
      priority: 1,
    },
  ] as const;
  appointments.forEach((a, i) => {
    const activityid = ids.appointments[i] as string;
    const contactId = ids.contacts[i] as string;
    const contact = CONTACTS[i] as (typeof CONTACTS)[number];
    db.insert('appointment', {
      activityid,
      subject: a.subject,
      description: `<p>${a.subject}</p>`,
      location: a.location,
      scheduledstart: a.start,
      scheduledend: a.end,
      isalldayevent: a.allDay,
      prioritycode: a.priority,
      statecode: a.state[0],
      statuscode: a.state[1],
      ...owner,
    });
    const party = (n: string, mask: number, row: Row): void => {
      db.insert('activityparty', {
        activitypartyid: seedId(`sync:appointment:${i}:party:${n}`),
        participationtypemask: mask,
        _activityid_value: activityid,
        _activityid_type: 'appointment',
        ...row,
      });
    };
    party('organizer', 7, { _partyid_value: me.id, _partyid_type: 'systemuser', addressused: me.email });
    party('required', 5, { _partyid_value: contactId, _partyid_type: 'contact', addressused: contact.email });
    party('optional', 6, { addressused: `guest${i + 1}@outside.example` });
  });

  const tasks = [
    { subject: 'Send the Fabrikam quote', due: at(2, 17), state: [0, 2], priority: 1, done: null },
    { subject: 'Prepare the workshop slides', due: at(1, 12), state: [0, 3], priority: 2, done: null },
    { subject: 'Book the trade fair stand', due: at(-3, 17), state: [1, 5], priority: 0, done: at(-4, 15) },
  ] as const;
  tasks.forEach((t, i) => {
    db.insert('task', {
      activityid: ids.tasks[i] as string,
      subject: t.subject,
      scheduledend: t.due,
      actualend: t.done,
      percentcomplete: t.state[0] === 1 ? 100 : 0,
      prioritycode: t.priority,
      statecode: t.state[0],
      statuscode: t.state[1],
      ...(i === 0
        ? { _regardingobjectid_value: ids.contacts[0] as string, _regardingobjectid_type: 'contact' }
        : {}),
      ...owner,
    });
  });
}
