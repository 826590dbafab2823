/**
 * The tables synchronization reads and writes (issue 12), held to their Dataverse table references:
 * appointment (attendees as activity parties), task, userquery and savedquery (the user's Outlook
 * filters and the organization's templates), syncattributemapping and RetrievePrincipalSyncAttributeMappings,
 * and the demo seed's synchronization data. Spoken to with plain fetch and with dynamics-web-api.
 */
import type { DynamicsWebApi } from 'dynamics-web-api';
import { parse as parseEdmx } from '@sap-ux/edmx-parser';
import type { Emulator } from '../../emulator/server';
import { DEMO, DEMO_SYNC, seedId } from '../../emulator/seed';
import { OUTLOOK_TEMPLATE, TEMPLATE_FETCHXML } from '../../emulator/seedSync';
import { dataverseCall, dynamicsWebApiOn } from '../support/dataverseClients';
import { startDemoEmulator } from '../support/demoEmulator';

let emu: Emulator;
let api: DynamicsWebApi;

beforeAll(async () => {
  emu = await startDemoEmulator('sync-tables');
  api = dynamicsWebApiOn(emu);
});

afterAll(async () => {
  await emu?.close();
});

type Row = Record<string, unknown>;
interface Reply {
  status: number;
  json: Row & { value?: Row[]; error?: { code: string; message: string } };
  text: string;
}

const FORMATTED = 'OData.Community.Display.V1.FormattedValue';
const OTHER_USER = seedId('user:lee');

/** What the tests read of @sap-ux/edmx-parser's model. */
interface ParsedModel {
  schema: {
    entityTypes: { name: string }[];
    entitySets: { name: string }[];
    actions: { name: string; isBound: boolean; isFunction: boolean }[];
  };
}

function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return dataverseCall<Reply['json']>(emu, method, path, body, headers);
}

const fetchXml = (set: string, xml: string): Promise<Reply> =>
  call('GET', `${set}?fetchXml=${encodeURIComponent(xml)}`);

describe('appointment (Appointment table reference)', () => {
  test('a deep insert creates the appointment with its attendees as activity parties', async () => {
    const contact = seedId('contact:0');
    const contactRow = await api.retrieve<Row>({
      collection: 'contacts',
      key: contact,
      select: ['emailaddress1'],
    });
    const id = (await api.create({
      collection: 'appointments',
      data: {
        subject: 'Kick-off',
        scheduledstart: '2026-03-02T09:00:00Z',
        scheduledend: '2026-03-02T10:00:00Z',
        appointment_activity_parties: [
          { participationtypemask: 7, 'partyid_systemuser@odata.bind': `/systemusers(${DEMO.me})` },
          { participationtypemask: 5, 'partyid_contact@odata.bind': `/contacts(${contact})` },
          { participationtypemask: 6, addressused: 'guest@outside.example' },
        ],
      },
    })) as string;
    const row = await api.retrieve<Row>({
      collection: 'appointments',
      key: id,
      expand: [
        {
          property: 'appointment_activity_parties',
          select: ['participationtypemask', 'addressused', '_partyid_value'],
        },
      ],
    });
    const parties = (row.appointment_activity_parties as Row[]).map((p) => [
      p.participationtypemask,
      p.addressused,
      p._partyid_value ?? null,
    ]);
    expect(parties.sort()).toEqual(
      [
        [5, contactRow.emailaddress1, contact],
        [6, 'guest@outside.example', null],
        [7, DEMO.meEmail, DEMO.me],
      ].sort(),
    );
  });

  test("a new appointment is open and free (Dataverse's default status of state Open)", async () => {
    const reply = await call(
      'POST',
      'appointments',
      { subject: 'Defaults' },
      { Prefer: 'return=representation,odata.include-annotations="*"' },
    );
    expect(reply.json).toMatchObject({
      statecode: 0,
      statuscode: 1,
      [`statuscode@${FORMATTED}`]: 'Free',
      _ownerid_value: DEMO.me,
    });
  });

  test('Scheduled (3) takes Busy or Out of Office, and refuses Free', async () => {
    const id = (await api.create({ collection: 'appointments', data: { subject: 'States' } })) as string;
    expect((await call('PATCH', `appointments(${id})`, { statecode: 3, statuscode: 6 })).status).toBe(204);
    expect((await call('PATCH', `appointments(${id})`, { statecode: 3, statuscode: 1 })).status).toBe(400);
  });

  test('every write sets modifiedon', async () => {
    const id = (await api.create({
      collection: 'appointments',
      data: { subject: 'Touch', overriddencreatedon: '2020-01-01T00:00:00Z' },
    })) as string;
    const before = await api.retrieve<Row>({
      collection: 'appointments',
      key: id,
      select: ['modifiedon', 'createdon'],
    });
    await api.update({ collection: 'appointments', key: id, data: { location: 'Room 1' } });
    const after = await api.retrieve<Row>({ collection: 'appointments', key: id, select: ['modifiedon'] });
    // dynamics-web-api reads Edm.DateTimeOffset values as Date objects.
    expect(new Date(before.createdon as string).toISOString()).toBe('2020-01-01T00:00:00.000Z');
    expect(new Date(after.modifiedon as string).getTime()).toBeGreaterThan(
      Date.parse('2020-01-01T00:00:00Z'),
    );
  });

  test('a regarding contact binds through regardingobjectid_contact_appointment', async () => {
    const contact = seedId('contact:1');
    const id = (await api.create({
      collection: 'appointments',
      data: {
        subject: 'Regarding',
        'regardingobjectid_contact_appointment@odata.bind': `/contacts(${contact})`,
      },
    })) as string;
    const row = await api.retrieve<Row>({
      collection: 'appointments',
      key: id,
      select: ['_regardingobjectid_value'],
    });
    expect(row._regardingobjectid_value).toBe(contact);
  });

  test('deleting an appointment deletes its parties', async () => {
    const id = (await api.create({
      collection: 'appointments',
      data: {
        subject: 'Gone',
        appointment_activity_parties: [{ participationtypemask: 5, addressused: 'x@outside.example' }],
      },
    })) as string;
    await api.deleteRecord({ collection: 'appointments', key: id });
    const left = await call(
      'GET',
      `activityparties?$filter=${encodeURIComponent(`_activityid_value eq ${id}`)}`,
    );
    expect(left.json.value).toEqual([]);
  });

  /** An appointment made with a required attendee and an organizer, and the owner party Dataverse keeps. */
  async function meetingWithParties(subject: string): Promise<string> {
    const id = (await api.create({
      collection: 'appointments',
      data: {
        subject,
        appointment_activity_parties: [
          { participationtypemask: 5, addressused: 'before@outside.example' },
          { participationtypemask: 7, 'partyid_systemuser@odata.bind': `/systemusers(${DEMO.me})` },
        ],
      },
    })) as string;
    emu.db.insert('activityparty', {
      activitypartyid: seedId(`sync-tables:owner:${subject}`),
      participationtypemask: 9,
      _activityid_value: id,
      _activityid_type: 'appointment',
      _partyid_value: DEMO.me,
      _partyid_type: 'systemuser',
    });
    return id;
  }

  const partiesOf = async (id: string): Promise<unknown[][]> =>
    (
      (
        await call(
          'GET',
          `appointments(${id})/appointment_activity_parties?$select=participationtypemask,addressused,_partyid_value`,
        )
      ).json.value ?? []
    )
      .map((p) => [p.participationtypemask, p.addressused ?? null, p._partyid_value ?? null])
      .sort();

  test('a PATCH with the party collection replaces the party list; the owner party stays', async () => {
    const id = await meetingWithParties('Replaced');
    const contact = seedId('contact:0');
    const reply = await call(
      'PATCH',
      `appointments(${id})`,
      {
        subject: 'Replaced, moved',
        appointment_activity_parties: [
          { participationtypemask: 5, 'partyid_contact@odata.bind': `/contacts(${contact})` },
          { participationtypemask: 6, addressused: 'after@outside.example' },
          { participationtypemask: 7, 'partyid_systemuser@odata.bind': `/systemusers(${DEMO.me})` },
        ],
      },
      { 'If-Match': '*' },
    );
    expect(reply.status).toBe(204);
    const email = emu.db.get('contact', contact)?.emailaddress1 ?? null;
    expect(await partiesOf(id)).toEqual(
      [
        [5, email, contact],
        [6, 'after@outside.example', null],
        [7, DEMO.meEmail, DEMO.me],
        [9, null, DEMO.me],
      ].sort(),
    );
  });

  test('a PATCH with an invalid party is refused as on create, and the activity keeps its parties', async () => {
    const id = await meetingWithParties('Kept');
    const before = await partiesOf(id);
    const reply = await call(
      'PATCH',
      `appointments(${id})`,
      { appointment_activity_parties: [{ participationtypemask: 5 }] },
      { 'If-Match': '*' },
    );
    expect(reply.status).toBe(400);
    expect(await partiesOf(id)).toEqual(before);
  });

  test('a PATCH with dynamics-web-api carrying the party collection is taken (empty list: no attendee left)', async () => {
    const id = await meetingWithParties('Emptied');
    await api.update({ collection: 'appointments', key: id, data: { appointment_activity_parties: [] } });
    expect((await partiesOf(id)).map((p) => p[0])).toEqual([9]);
  });
});

describe('task (Task table reference)', () => {
  test('a new task is open and Not Started', async () => {
    const reply = await call(
      'POST',
      'tasks',
      { subject: 'Call back', scheduledend: '2026-03-05T17:00:00Z', prioritycode: 2 },
      { Prefer: 'return=representation,odata.include-annotations="*"' },
    );
    expect(reply.json).toMatchObject({
      statecode: 0,
      statuscode: 2,
      [`statuscode@${FORMATTED}`]: 'Not Started',
      [`prioritycode@${FORMATTED}`]: 'High',
    });
  });

  test('completing a task moves it to Completed (5)', async () => {
    const id = (await api.create({ collection: 'tasks', data: { subject: 'Finish' } })) as string;
    await api.update({ collection: 'tasks', key: id, data: { statecode: 1 } });
    const row = await api.retrieve<Row>({
      collection: 'tasks',
      key: id,
      select: ['statecode', 'statuscode'],
    });
    expect([row.statecode, row.statuscode]).toEqual([1, 5]);
  });

  test('an open status on a completed task is refused', async () => {
    const id = (await api.create({ collection: 'tasks', data: { subject: 'Mixed' } })) as string;
    expect((await call('PATCH', `tasks(${id})`, { statecode: 1, statuscode: 3 })).status).toBe(400);
  });
});

describe('userquery and savedquery', () => {
  test("a user's filter is created and read back, owned by the caller", async () => {
    // Made by another user than the demo one, whose having no filters the seed tests check.
    const created = await call(
      'POST',
      'userqueries',
      {
        name: 'My contacts',
        returnedtypecode: 'contact',
        querytype: 256,
        fetchxml: TEMPLATE_FETCHXML.contact,
      },
      { 'X-Emulator-User': OTHER_USER, Prefer: 'return=representation' },
    );
    expect(created.status).toBe(201);
    const row = await api.retrieve<Row>({
      collection: 'userqueries',
      key: created.json.userqueryid as string,
      select: ['name', 'fetchxml', 'returnedtypecode', 'querytype', 'statecode', '_ownerid_value'],
    });
    expect(row).toMatchObject({
      name: 'My contacts',
      fetchxml: TEMPLATE_FETCHXML.contact,
      returnedtypecode: 'contact',
      querytype: 256,
      statecode: 0,
      _ownerid_value: OTHER_USER,
    });
  });

  test('a savedquery has no owner', async () => {
    const reply = await call('GET', `savedqueries(${DEMO_SYNC.templates.contact})?$select=name`);
    expect(reply.status).toBe(200);
    expect(reply.json._ownerid_value).toBeUndefined();
  });
});

describe('field mappings (RetrievePrincipalSyncAttributeMappings)', () => {
  test('the demo organization defines no mappings: the function answers an empty collection', async () => {
    const reply = await call(
      'GET',
      `systemusers(${DEMO.me})/Microsoft.Dynamics.CRM.RetrievePrincipalSyncAttributeMappings()`,
    );
    expect(reply.status).toBe(200);
    expect(reply.json.AttributeMappings).toEqual([]);
  });

  test('a syncattributemapping row is answered as an AttributeMapping', async () => {
    const fresh = await startDemoEmulator('sync-mappings');
    try {
      const created = await fetch(`${fresh.url}/syncattributemappings`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          mappingname: 'Job title',
          attributecrmname: 'jobtitle',
          attributeexchangename: 'jobTitle',
          entityname: 'contact',
          syncdirection: 1,
        }),
      });
      expect(created.status).toBe(204);
      const reply = (await (
        await fetch(
          `${fresh.url}/systemusers(${DEMO.me})/Microsoft.Dynamics.CRM.RetrievePrincipalSyncAttributeMappings()`,
        )
      ).json()) as { AttributeMappings: Row[] };
      expect(reply.AttributeMappings).toEqual([
        expect.objectContaining({
          MappingName: 'Job title',
          AttributeCrmName: 'jobtitle',
          AttributeExchangeName: 'jobTitle',
          EntityTypeCode: 2,
          SyncDirection: 1,
        }),
      ]);
    } finally {
      await fresh.close();
    }
  });

  test('dynamics-web-api calls it as a function bound to the user', async () => {
    const reply = await api.callFunction<{ AttributeMappings: unknown[] }>({
      collection: 'systemusers',
      key: DEMO.me,
      name: 'Microsoft.Dynamics.CRM.RetrievePrincipalSyncAttributeMappings',
    });
    expect(reply.AttributeMappings).toEqual([]);
  });

  test('the function is bound to a user that exists', async () => {
    const reply = await call(
      'GET',
      `systemusers(${seedId('user:nobody')})/Microsoft.Dynamics.CRM.RetrievePrincipalSyncAttributeMappings()`,
    );
    expect(reply.status).toBe(404);
  });
});

describe('$metadata describes the new tables', () => {
  test('appointment, task, userquery, savedquery and syncattributemapping are entity types with entity sets', async () => {
    const reply = await call('GET', '$metadata');
    const schema = (parseEdmx(reply.text, 'emulator') as unknown as ParsedModel).schema;
    const types = schema.entityTypes.map((t) => t.name);
    expect(types).toEqual(
      expect.arrayContaining(['appointment', 'task', 'userquery', 'savedquery', 'syncattributemapping']),
    );
    const sets = schema.entitySets.map((s) => s.name);
    expect(sets).toEqual(
      expect.arrayContaining([
        'appointments',
        'tasks',
        'userqueries',
        'savedqueries',
        'syncattributemappings',
      ]),
    );
  });

  test('RetrievePrincipalSyncAttributeMappings is a bound function', async () => {
    const reply = await call('GET', '$metadata');
    const schema = (parseEdmx(reply.text, 'emulator') as unknown as ParsedModel).schema;
    const fn = schema.actions.find((a) => a.name.endsWith('RetrievePrincipalSyncAttributeMappings'));
    expect(fn).toMatchObject({ isBound: true, isFunction: true });
  });

  test('a contact birthdate is an Edm.Date read and written as YYYY-MM-DD', async () => {
    const id = (await api.create({
      collection: 'contacts',
      data: { lastname: 'Born', birthdate: '1990-02-28' },
    })) as string;
    const row = await api.retrieve<Row>({ collection: 'contacts', key: id, select: ['birthdate'] });
    expect(row.birthdate).toBe('1990-02-28');
    expect((await call('GET', '$metadata')).text).toContain('<Property Name="birthdate" Type="Edm.Date"/>');
  });
});

describe('the demo seed (synchronization)', () => {
  test('three Outlook filter templates, one per type, querytype 131072', async () => {
    const reply = await call(
      'GET',
      `savedqueries?$select=name,returnedtypecode&$filter=querytype eq ${OUTLOOK_TEMPLATE}&$orderby=name`,
    );
    expect(reply.json.value?.map((r) => [r.name, r.returnedtypecode])).toEqual([
      ['My appointments', 'appointment'],
      ['My contacts', 'contact'],
      ['My tasks', 'task'],
    ]);
  });

  test('the demo user has no filters of their own yet', async () => {
    const reply = await call(
      'GET',
      `userqueries?$filter=${encodeURIComponent(`_ownerid_value eq ${DEMO.me}`)}&$count=true`,
    );
    expect(reply.json['@odata.count']).toBe(0);
  });

  test('no field mappings are seeded (the defaults apply)', async () => {
    expect((await call('GET', 'syncattributemappings')).json.value).toEqual([]);
  });

  test("the contacts template returns the demo user's new contacts, with phones and addresses", async () => {
    const ids = ((await fetchXml('contacts', TEMPLATE_FETCHXML.contact)).json.value ?? []).map(
      (r) => r.contactid,
    );
    expect(ids).toEqual(expect.arrayContaining([...DEMO_SYNC.contacts]));
    const nora = await api.retrieve<Row>({
      collection: 'contacts',
      key: DEMO_SYNC.contacts[0] as string,
      select: ['telephone1', 'address1_city', '_parentcustomerid_value'],
    });
    expect(nora).toMatchObject({
      telephone1: expect.any(String),
      address1_city: 'Redmond',
      _parentcustomerid_value: seedId('account:fabrikam.com'),
    });
  });

  test('the appointments template returns the three seeded appointments, each with a contact and an outside attendee', async () => {
    const ids = ((await fetchXml('appointments', TEMPLATE_FETCHXML.appointment)).json.value ?? []).map(
      (r) => r.activityid,
    );
    expect(ids).toEqual(expect.arrayContaining([...DEMO_SYNC.appointments]));
    for (const id of DEMO_SYNC.appointments) {
      const parties =
        (
          await call(
            'GET',
            `appointments(${id})/appointment_activity_parties?$select=participationtypemask,_partyid_value,addressused`,
          )
        ).json.value ?? [];
      expect(parties.map((p) => p.participationtypemask).sort()).toEqual([5, 6, 7]);
    }
  });

  test('the seeded appointments are in the coming days', async () => {
    const rows = (
      (
        await call(
          'GET',
          `appointments?$select=scheduledstart&$filter=${encodeURIComponent(`_ownerid_value eq ${DEMO.me}`)}`,
        )
      ).json.value ?? []
    ).filter((r) => DEMO_SYNC.appointments.includes(r.activityid as string));
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(Date.parse(row.scheduledstart as string)).toBeGreaterThan(Date.now());
  });

  test('the tasks template returns open and completed tasks (a completion reaches To Do), not canceled ones', async () => {
    const ids = ((await fetchXml('tasks', TEMPLATE_FETCHXML.task)).json.value ?? []).map((r) => r.activityid);
    expect(ids.filter((id) => DEMO_SYNC.tasks.includes(id as string)).sort()).toEqual(
      [...DEMO_SYNC.tasks].sort(),
    );
  });
});
