/**
 * The CRM side of synchronization (src/crm/syncAdapter.ts) against the Dataverse emulator: filters
 * (userquery, copied from the savedquery templates for a new user), Dataverse's field mappings, the
 * records the filters' FetchXML returns (paged by cookie), records by id and by email, and the writes
 * of one synchronization in one $batch. Fixture rows are written straight into the emulator's tables,
 * as Dataverse would hold them, not through the adapter.
 */
import type { Emulator } from '../../emulator/server';
import { DEMO, seedId } from '../../emulator/seed';
import { NO_TOKEN } from '../../src/crm/auth';
import { DataverseHttp } from '../../src/crm/dataverseHttp';
import { CrmConflictError, CrmNotFoundError, CrmRequestError } from '../../src/crm/errors';
import { DataverseSync } from '../../src/crm/syncAdapter';
import type { KnownRecords, SyncFilter } from '../../src/crm/syncPort';
import { startDemoEmulator } from '../support/demoEmulator';

let emu: Emulator;

const LEE = seedId('user:lee');
const ARI = seedId('user:ari');
const FABRIKAM = seedId('account:fabrikam.com');
const SAM = seedId('contact:sam');
const OUTLOOK_FILTER = 256;
const OUTLOOK_TEMPLATE = 131072;

/** A fresh GUID for a fixture row, stable per name within the run. */
const id = (name: string): string => seedId(`sync-test:${name}`);

function adapterFor(
  userId: string,
  options: { timeZone?: string; now?: () => number } = {},
): { http: DataverseHttp; sync: DataverseSync; logged: string[] } {
  const http = new DataverseHttp({
    orgUrl: emu.url.replace(/\/api\/data\/v9\.2\/?$/, ''),
    tokens: NO_TOKEN,
    headers: { 'X-Emulator-User': userId },
  });
  const logged: string[] = [];
  return { http, sync: new DataverseSync(http, { userId, log: (m) => logged.push(m), ...options }), logged };
}

async function counted<T>(
  http: DataverseHttp,
  run: () => Promise<T>,
): Promise<{ result: T; requests: number }> {
  const before = http.requestCount;
  const result = await run();
  return { result, requests: http.requestCount - before };
}

const contactFetch = (department: string): string =>
  `<fetch version="1.0" mapping="logical"><entity name="contact"><attribute name="fullname"/><order attribute="lastname"/><filter type="and"><condition attribute="department" operator="eq" value="${department}"/><condition attribute="statecode" operator="eq" value="0"/></filter></entity></fetch>`;

const filterOf = (entity: SyncFilter['entity'], fetchXml: string, name = 'test'): SyncFilter => ({
  id: id(`filter:${name}`),
  name,
  entity,
  fetchXml,
});

function insertContact(name: string, row: Record<string, unknown>): string {
  const contactid = id(`contact:${name}`);
  emu.db.insert('contact', {
    contactid,
    lastname: name,
    _ownerid_value: DEMO.me,
    _ownerid_type: 'systemuser',
    ...row,
  });
  return contactid;
}

beforeAll(async () => {
  emu = await startDemoEmulator('crm-sync-adapter');
});

afterAll(async () => {
  await emu?.close();
});

describe('synchronizationFilters', () => {
  beforeAll(() => {
    for (const [name, type, state] of [
      ['My Contacts', 'contact', 0],
      ['My Appointments', 'appointment', 0],
      ['My Tasks', 'task', 0],
      ['Old Contacts', 'contact', 1],
      ['My Accounts', 'account', 0],
    ] as const) {
      emu.db.insert('savedquery', {
        savedqueryid: id(`template:${name}`),
        name,
        returnedtypecode: type,
        querytype: OUTLOOK_TEMPLATE,
        fetchxml: `<fetch><entity name="${type}"><filter><condition attribute="ownerid" operator="eq-userid"/></filter></entity></fetch>`,
        statecode: state,
        statuscode: state + 1,
      });
    }
  });

  test("a new user gets the organization's active templates of the three types as its own filters", async () => {
    const { sync } = adapterFor(LEE);
    const filters = (await sync.synchronizationFilters()).map((f) => [f.name, f.entity]);
    expect(filters).toEqual(
      expect.arrayContaining([
        ['My Contacts', 'contact'],
        ['My Appointments', 'appointment'],
        ['My Tasks', 'task'],
      ]),
    );
  });

  test('an inactive template and a template of another table are not copied', async () => {
    const { sync } = adapterFor(LEE);
    const names = (await sync.synchronizationFilters()).map((f) => f.name);
    expect(names.filter((n) => n === 'Old Contacts' || n === 'My Accounts')).toEqual([]);
  });

  test('the copies are userqueries of the user: Outlook filters (256), the same FetchXML and type', async () => {
    const { sync } = adapterFor(ARI);
    const filters = await sync.synchronizationFilters();
    for (const filter of filters) {
      const row = emu.db.get('userquery', filter.id);
      expect({
        owner: row?._ownerid_value,
        querytype: row?.querytype,
        fetchxml: row?.fetchxml,
        type: row?.returnedtypecode,
      }).toEqual({ owner: ARI, querytype: OUTLOOK_FILTER, fetchxml: filter.fetchXml, type: filter.entity });
    }
  });

  test('a user with filters gets them in one request, nothing copied again', async () => {
    const { http, sync } = adapterFor(LEE);
    const first = await sync.synchronizationFilters();
    const { result, requests } = await counted(http, () => sync.synchronizationFilters());
    expect(requests).toBe(1);
    expect(result.map((f) => f.id).sort()).toEqual(first.map((f) => f.id).sort());
  });

  test("another user's filters and an inactive filter are not the user's", async () => {
    emu.db.insert('userquery', {
      userqueryid: id('filter:inactive'),
      name: 'Switched off',
      returnedtypecode: 'contact',
      querytype: OUTLOOK_FILTER,
      fetchxml: '<fetch><entity name="contact"/></fetch>',
      statecode: 1,
      statuscode: 2,
      _ownerid_value: LEE,
      _ownerid_type: 'systemuser',
    });
    const { sync } = adapterFor(LEE);
    const ids = (await sync.synchronizationFilters()).map((f) => f.id);
    expect(ids).not.toContain(id('filter:inactive'));
    const ari = (await adapterFor(ARI).sync.synchronizationFilters()).map((f) => f.id);
    expect(ids.some((i) => ari.includes(i))).toBe(false);
  });
});

describe('fieldMappings', () => {
  test('no mapping defined for the type → null (the runner takes the defaults)', async () => {
    expect(await adapterFor(DEMO.me).sync.fieldMappings('task')).toBeNull();
  });

  test("Dataverse's mappings of the type, directions as the catalog's words, Exchange names as the catalog's", async () => {
    for (const [crm, exchange, direction] of [
      ['firstname', 'FirstName', 3],
      ['jobtitle', 'JobTitle', 1],
      ['telephone1', 'BusinessTelephoneNumber', 2],
      ['description', 'Body', 0],
    ] as const) {
      emu.db.insert('syncattributemapping', {
        syncattributemappingid: id(`mapping:${crm}`),
        mappingname: `${crm} mapping`,
        attributecrmname: crm,
        attributeexchangename: exchange,
        entityname: 'contact',
        syncdirection: direction,
      });
    }
    const mappings = await adapterFor(DEMO.me).sync.fieldMappings('contact');
    expect(mappings?.sort((a, b) => a.crm.localeCompare(b.crm))).toEqual([
      { crm: 'description', outlook: 'personalNotes', direction: 'none' },
      { crm: 'firstname', outlook: 'givenName', direction: 'both' },
      { crm: 'jobtitle', outlook: 'jobTitle', direction: 'toOutlook' },
      { crm: 'telephone1', outlook: 'businessPhone', direction: 'toCrm' },
    ]);
  });
});

describe('fieldMappings: one call for the three types', () => {
  test('the three types asked within a minute cost one request', async () => {
    const { http, sync } = adapterFor(DEMO.me);
    const { requests } = await counted(http, async () => {
      for (const entity of ['contact', 'appointment', 'task'] as const) await sync.fieldMappings(entity);
    });
    expect(requests).toBe(1);
  });

  test('a minute later the mappings are asked again', async () => {
    const clock = { time: 0 };
    const { http, sync } = adapterFor(DEMO.me, { now: () => clock.time });
    await sync.fieldMappings('contact');
    clock.time += 60_000;
    const { requests } = await counted(http, () => sync.fieldMappings('task'));
    expect(requests).toBe(1);
  });
});

describe('recordsInScope', () => {
  beforeAll(() => {
    insertContact('Scope-A', {
      firstname: 'Ann',
      department: 'Scope',
      emailaddress1: 'ann@scope.example',
      _parentcustomerid_value: FABRIKAM,
      _parentcustomerid_type: 'account',
    });
    insertContact('Scope-B', { firstname: '', department: 'Scope', jobtitle: "Buyer & 'lead'" });
    insertContact('Scope-C', { department: 'Elsewhere', emailaddress1: 'c@scope.example' });
  });

  test('the records a filter returns, with the fields asked, normalized', async () => {
    const { sync } = adapterFor(DEMO.me);
    const { records } = await sync.recordsInScope(
      'contact',
      [filterOf('contact', contactFetch('Scope'))],
      ['lastname', 'firstname', 'jobtitle', 'emailaddress1'],
    );
    const byName = new Map(records.map((r) => [r.fields.lastname, r.fields]));
    expect([byName.get('Scope-A'), byName.get('Scope-B')]).toEqual([
      { lastname: 'Scope-A', firstname: 'Ann', jobtitle: null, emailaddress1: 'ann@scope.example' },
      { lastname: 'Scope-B', firstname: null, jobtitle: "Buyer & 'lead'", emailaddress1: null },
    ]);
    expect(byName.has('Scope-C')).toBe(false);
  });

  test("a contact's parent account's name comes with it (the company rule)", async () => {
    const { sync } = adapterFor(DEMO.me);
    const { records } = await sync.recordsInScope(
      'contact',
      [filterOf('contact', contactFetch('Scope'))],
      [],
    );
    const parents = new Map(records.map((r) => [r.id, r.parentAccountName]));
    expect([parents.get(id('contact:Scope-A')), parents.get(id('contact:Scope-B'))]).toEqual([
      'Fabrikam',
      null,
    ]);
  });

  test('two filters returning the same record give it once, one request per filter', async () => {
    const { http, sync } = adapterFor(DEMO.me);
    const { result, requests } = await counted(http, () =>
      sync.recordsInScope(
        'contact',
        [filterOf('contact', contactFetch('Scope'), 'a'), filterOf('contact', contactFetch('Scope'), 'b')],
        ['firstname'],
      ),
    );
    expect(requests).toBe(2);
    expect(result.records).toHaveLength(2);
  });

  test("only the type's filters are run", async () => {
    const { http, sync } = adapterFor(DEMO.me);
    const { requests } = await counted(http, () =>
      sync.recordsInScope(
        'contact',
        [filterOf('task', '<fetch><entity name="task"/></fetch>', 'tasks')],
        ['firstname'],
      ),
    );
    expect(requests).toBe(0);
  });

  test('more than 5,000 records are read page by page with the paging cookie, each once', async () => {
    emu.db.insertMany(
      'contact',
      Array.from({ length: 5003 }, (_, i) => ({
        contactid: id(`bulk:${i}`),
        lastname: `Bulk ${String(i).padStart(5, '0')}`,
        department: 'Bulk',
        _ownerid_value: DEMO.me,
        _ownerid_type: 'systemuser',
      })),
    );
    const { http, sync } = adapterFor(DEMO.me);
    const { result, requests } = await counted(http, () =>
      sync.recordsInScope('contact', [filterOf('contact', contactFetch('Bulk'))], ['lastname']),
    );
    expect(requests).toBe(2);
    expect(new Set(result.records.map((r) => r.id)).size).toBe(5003);
  });

  test('a filter that is not well-formed XML is reported failed with a CrmRequestError, the others still run', async () => {
    const { sync, logged } = adapterFor(DEMO.me);
    const broken = filterOf('contact', '<fetch><entity name="contact">', 'broken');
    const { records, failed } = await sync.recordsInScope(
      'contact',
      [broken, filterOf('contact', contactFetch('Scope'))],
      ['firstname'],
    );
    expect(records).toHaveLength(2);
    expect(failed.map((f) => [f.filter.id, f.error instanceof CrmRequestError])).toEqual([[broken.id, true]]);
    expect(logged.some((line) => line.includes('broken'))).toBe(true);
  });

  test('a filter Dataverse refuses (400) is reported failed with its error, the others still run', async () => {
    const { sync } = adapterFor(DEMO.me);
    const refused = filterOf(
      'contact',
      '<fetch><entity name="contact"><filter><condition attribute="nosuchcolumn" operator="eq" value="1"/></filter></entity></fetch>',
      'refused',
    );
    const { records, failed } = await sync.recordsInScope(
      'contact',
      [refused, filterOf('contact', contactFetch('Scope'))],
      ['firstname'],
    );
    expect(records).toHaveLength(2);
    expect(failed.map((f) => [f.filter.name, f.error instanceof CrmRequestError])).toEqual([
      ['refused', true],
    ]);
  });

  test('every filter run is no failure', async () => {
    const { sync } = adapterFor(DEMO.me);
    const { failed } = await sync.recordsInScope('contact', [filterOf('contact', contactFetch('Scope'))], []);
    expect(failed).toEqual([]);
  });

  test("each record carries Dataverse's etag as read", async () => {
    const { sync } = adapterFor(DEMO.me);
    const { records } = await sync.recordsInScope(
      'contact',
      [filterOf('contact', contactFetch('Scope'))],
      [],
    );
    const row = emu.db.get('contact', id('contact:Scope-A'));
    expect(records.find((r) => r.id === id('contact:Scope-A'))?.etag).toBe(
      `W/"${String(row?.versionnumber)}"`,
    );
  });
});

describe('appointments and their attendees', () => {
  const MEETING = id('appointment:review');
  beforeAll(() => {
    emu.db.insert('appointment', {
      activityid: MEETING,
      subject: 'Quarterly review',
      location: 'Room 1',
      scheduledstart: '2026-02-03T09:00:00Z',
      scheduledend: '2026-02-03T10:00:00Z',
      statecode: 3,
      statuscode: 5,
      prioritycode: 2,
      modifiedon: '2026-01-05T08:00:00Z',
      _ownerid_value: DEMO.me,
      _ownerid_type: 'systemuser',
    });
    const party = (n: string, mask: number, row: Record<string, unknown>): void => {
      emu.db.insert('activityparty', {
        activitypartyid: id(`party:${n}`),
        participationtypemask: mask,
        _activityid_value: MEETING,
        _activityid_type: 'appointment',
        ...row,
      });
    };
    party('sam', 5, { _partyid_value: SAM, _partyid_type: 'contact' });
    party('guest', 6, { addressused: 'Guest@Outside.example' });
    party('organizer', 7, {
      _partyid_value: DEMO.me,
      _partyid_type: 'systemuser',
      addressused: DEMO.meEmail,
    });
    party('owner', 9, { _partyid_value: DEMO.me, _partyid_type: 'systemuser' });
  });

  const meetingFilter = filterOf(
    'appointment',
    '<fetch><entity name="appointment"><filter><condition attribute="subject" operator="eq" value="Quarterly review"/></filter></entity></fetch>',
    'meetings',
  );
  const attendees = [
    'subject',
    'statuscode',
    'prioritycode',
    'requiredattendees',
    'optionalattendees',
    'organizer',
  ];

  test("the attendees are the parties' addresses by participation (a bound party's from its record)", async () => {
    const { sync } = adapterFor(DEMO.me);
    const {
      records: [meeting],
    } = await sync.recordsInScope('appointment', [meetingFilter], attendees);
    expect(meeting?.fields).toEqual({
      subject: 'Quarterly review',
      statuscode: 'busy',
      prioritycode: 'high',
      requiredattendees: [DEMO.duplicateAddress],
      optionalattendees: ['guest@outside.example'],
      organizer: [DEMO.meEmail],
    });
  });

  test('the attendees cost one more request per page, not one per appointment', async () => {
    const { http, sync } = adapterFor(DEMO.me);
    const { requests } = await counted(http, () =>
      sync.recordsInScope('appointment', [meetingFilter], attendees),
    );
    expect(requests).toBe(2);
  });

  const knownAs = (modifiedOn: string | null, fields: Record<string, unknown>): KnownRecords =>
    new Map([[MEETING, { modifiedOn, fields }]]);
  const knownAttendees = {
    requiredattendees: ['known@example.com'],
    optionalattendees: null,
    organizer: [DEMO.meEmail],
  };

  test('an appointment known with the same modifiedon keeps its known attendees, unread: one request per filter', async () => {
    const { http, sync } = adapterFor(DEMO.me);
    const modifiedOn = String(emu.db.get('appointment', MEETING)?.modifiedon);
    const { result, requests } = await counted(http, () =>
      sync.recordsInScope('appointment', [meetingFilter], attendees, knownAs(modifiedOn, knownAttendees)),
    );
    expect([requests, result.records[0]?.fields.requiredattendees]).toEqual([1, ['known@example.com']]);
  });

  test('a known id in capitals is the same appointment', async () => {
    const { http, sync } = adapterFor(DEMO.me);
    const modifiedOn = String(emu.db.get('appointment', MEETING)?.modifiedon);
    const known: KnownRecords = new Map([[MEETING.toUpperCase(), { modifiedOn, fields: knownAttendees }]]);
    const { requests } = await counted(http, () =>
      sync.recordsInScope('appointment', [meetingFilter], attendees, known),
    );
    expect(requests).toBe(1);
  });

  test('an appointment known with another modifiedon has its parties read again', async () => {
    const { sync } = adapterFor(DEMO.me);
    const {
      records: [meeting],
    } = await sync.recordsInScope(
      'appointment',
      [meetingFilter],
      attendees,
      knownAs('2020-01-01T00:00:00Z', knownAttendees),
    );
    expect(meeting?.fields.requiredattendees).toEqual([DEMO.duplicateAddress]);
  });

  test('an appointment known without every list asked has its parties read', async () => {
    const { sync } = adapterFor(DEMO.me);
    const modifiedOn = String(emu.db.get('appointment', MEETING)?.modifiedon);
    const {
      records: [meeting],
    } = await sync.recordsInScope(
      'appointment',
      [meetingFilter],
      attendees,
      knownAs(modifiedOn, { requiredattendees: ['known@example.com'] }),
    );
    expect(meeting?.fields.optionalattendees).toEqual(['guest@outside.example']);
  });

  test('no attendee asked, no party read', async () => {
    const { http, sync } = adapterFor(DEMO.me);
    const { requests } = await counted(http, () =>
      sync.recordsInScope('appointment', [meetingFilter], ['subject']),
    );
    expect(requests).toBe(1);
  });
});

describe('recordsById and contactsByEmail', () => {
  test('records by id, an inactive one too; an id that no longer exists is left out', async () => {
    const inactive = insertContact('ById-Inactive', { statecode: 1, statuscode: 2 });
    const active = insertContact('ById-Active', {});
    const { sync } = adapterFor(DEMO.me);
    const records = await sync.recordsById('contact', [active, inactive, id('contact:never')], ['lastname']);
    expect(records.map((r) => [r.fields.lastname, r.active]).sort()).toEqual([
      ['ById-Active', true],
      ['ById-Inactive', false],
    ]);
  });

  test('active contacts whose primary email is one of the addresses (an apostrophe is data)', async () => {
    insertContact('Mail-Active', { emailaddress1: "kim.o'hara@mail.example" });
    insertContact('Mail-Inactive', { emailaddress1: 'gone@mail.example', statecode: 1, statuscode: 2 });
    insertContact('Mail-Second', { emailaddress2: 'second@mail.example' });
    const { sync } = adapterFor(DEMO.me);
    const records = await sync.contactsByEmail(
      ["kim.o'hara@mail.example", 'gone@mail.example', 'second@mail.example'],
      ['lastname'],
    );
    expect(records.map((r) => r.fields.lastname)).toEqual(['Mail-Active']);
  });
});

describe('applyWrites', () => {
  test('a create makes the record under the id the runner chose', async () => {
    const { sync } = adapterFor(DEMO.me);
    const newId = id('write:create');
    const outcomes = await sync.applyWrites('contact', [
      { kind: 'create', id: newId, fields: { firstname: 'Noa', lastname: 'Write', jobtitle: null } },
    ]);
    expect(outcomes).toEqual([{ id: newId, ok: true }]);
    expect(emu.db.get('contact', newId)?.lastname).toBe('Write');
  });

  test('an update of a record deleted meanwhile is a CrmNotFoundError, and no record is made (no upsert)', async () => {
    const { sync } = adapterFor(DEMO.me);
    const gone = id('write:gone');
    const [outcome] = await sync.applyWrites('contact', [
      { kind: 'update', id: gone, fields: { firstname: 'X' } },
    ]);
    expect(outcome?.ok === false && outcome.error).toBeInstanceOf(CrmNotFoundError);
    expect(emu.db.get('contact', gone)).toBeUndefined();
  });

  test('one refused write neither stops nor undoes the others, all in one request', async () => {
    const { http, sync } = adapterFor(DEMO.me);
    const kept = insertContact('Write-Kept', {});
    const made = id('write:made');
    const { result, requests } = await counted(http, () =>
      sync.applyWrites('contact', [
        { kind: 'update', id: kept, fields: { jobtitle: 'x'.repeat(5000) } },
        { kind: 'create', id: made, fields: { lastname: 'Made' } },
        { kind: 'update', id: kept, fields: { firstname: 'Kept' } },
      ]),
    );
    expect(requests).toBe(1);
    expect(result.map((o) => o.ok)).toEqual([false, true, true]);
    expect(result[0]?.ok === false && result[0].error).toBeInstanceOf(CrmRequestError);
    expect([emu.db.get('contact', made)?.lastname, emu.db.get('contact', kept)?.firstname]).toEqual([
      'Made',
      'Kept',
    ]);
  });

  test('progress is told once per $batch with the writes answered so far, the last time all of them', async () => {
    const { http, sync } = adapterFor(DEMO.me);
    const count = 1001;
    const told: number[] = [];
    const writes = Array.from({ length: count }, (_, i) => ({
      kind: 'create' as const,
      id: id(`write:progress:${i}`),
      fields: { lastname: `Progress ${i}` },
    }));
    const { requests } = await counted(http, () =>
      sync.applyWrites('contact', writes, (done) => told.push(done)),
    );
    expect(told).toHaveLength(requests);
    expect(told.length).toBeGreaterThan(1);
    expect(told).toEqual([...told].sort((a, b) => a - b));
    expect(told[told.length - 1]).toBe(count);
  });

  test('a task marked completed is statecode 1, statuscode 5; one reopened is open with its reason', async () => {
    const { sync } = adapterFor(DEMO.me);
    const task = id('write:task');
    await sync.applyWrites('task', [
      { kind: 'create', id: task, fields: { subject: 'Call back', statuscode: 'completed' } },
    ]);
    const done = emu.db.get('task', task);
    await sync.applyWrites('task', [{ kind: 'update', id: task, fields: { statuscode: 'inProgress' } }]);
    const reopened = emu.db.get('task', task);
    expect([done?.statecode, done?.statuscode, reopened?.statecode, reopened?.statuscode]).toEqual([
      1, 5, 0, 3,
    ]);
  });

  test("a new appointment's attendees become parties: bound to the record with the address, else the address alone", async () => {
    const { http, sync } = adapterFor(DEMO.me);
    const meeting = id('write:meeting');
    const { result, requests } = await counted(http, () =>
      sync.applyWrites('appointment', [
        {
          kind: 'create',
          id: meeting,
          fields: {
            subject: 'Kick-off',
            scheduledstart: '2026-03-01T09:00:00Z',
            scheduledend: '2026-03-01T09:30:00Z',
            statuscode: 'busy',
            requiredattendees: [DEMO.duplicateAddress.toUpperCase(), 'nobody@outside.example'],
          },
        },
      ]),
    );
    expect(result).toEqual([{ id: meeting, ok: true }]);
    expect(requests).toBe(2);
    const parties = emu.db
      .prepare(
        'SELECT participationtypemask, _partyid_value, _partyid_type, addressused FROM activityparty WHERE _activityid_value = ? ORDER BY addressused',
      )
      .all(meeting) as Record<string, unknown>[];
    const required = parties.filter((p) => p.participationtypemask === 5);
    expect(required.map((p) => [p._partyid_type ?? null, p._partyid_value ?? null])).toEqual(
      expect.arrayContaining([
        ['contact', SAM],
        [null, null],
      ]),
    );
    expect(emu.db.get('appointment', meeting)?.statecode).toBe(3);
  });

  test("attendees changed in Outlook reach the CRM's parties: the new lists replace the old, the organizer and owner stay", async () => {
    const { sync } = adapterFor(DEMO.me);
    const meeting = id('write:replanned');
    await sync.applyWrites('appointment', [
      {
        kind: 'create',
        id: meeting,
        fields: {
          subject: 'Replanned',
          scheduledstart: '2026-03-04T09:00:00Z',
          scheduledend: '2026-03-04T09:30:00Z',
          requiredattendees: ['first@outside.example'],
          optionalattendees: ['maybe@outside.example'],
          organizer: [DEMO.meEmail],
        },
      },
    ]);
    emu.db.insert('activityparty', {
      activitypartyid: id('party:replanned-owner'),
      participationtypemask: 9,
      _activityid_value: meeting,
      _activityid_type: 'appointment',
      _partyid_value: DEMO.me,
      _partyid_type: 'systemuser',
    });

    const [outcome] = await sync.applyWrites('appointment', [
      {
        kind: 'update',
        id: meeting,
        fields: { requiredattendees: [DEMO.duplicateAddress, 'second@outside.example'] },
      },
    ]);

    expect(outcome).toEqual({ id: meeting, ok: true });
    const [read] = await sync.recordsById(
      'appointment',
      [meeting],
      ['requiredattendees', 'optionalattendees', 'organizer'],
    );
    expect(read?.fields).toEqual({
      requiredattendees: expect.arrayContaining([DEMO.duplicateAddress, 'second@outside.example']),
      optionalattendees: ['maybe@outside.example'],
      organizer: [DEMO.meEmail],
    });
    expect((read?.fields.requiredattendees as string[]).length).toBe(2);
    const owners = emu.db
      .prepare(
        'SELECT COUNT(*) AS n FROM activityparty WHERE _activityid_value = ? AND participationtypemask = 9',
      )
      .get(meeting) as { n: number };
    expect(owners.n).toBe(1);
  });

  test("an update carrying only an appointment's parties moves its modifiedon (what tells known attendees changed)", async () => {
    const { sync } = adapterFor(DEMO.me);
    const meeting = id('write:moved');
    emu.db.insert('appointment', {
      activityid: meeting,
      subject: 'Moved',
      modifiedon: '2026-01-05T08:00:00Z',
      _ownerid_value: DEMO.me,
      _ownerid_type: 'systemuser',
    });
    await sync.applyWrites('appointment', [
      { kind: 'update', id: meeting, fields: { requiredattendees: ['late@outside.example'] } },
    ]);
    const [read] = await sync.recordsById('appointment', [meeting], []);
    expect(read?.modifiedOn).not.toBe('2026-01-05T08:00:00Z');
  });

  test('an update with the etag it read is applied', async () => {
    const { sync } = adapterFor(DEMO.me);
    const contact = insertContact('Etag-Current', {});
    const [read] = await sync.recordsById('contact', [contact], ['firstname']);
    const [outcome] = await sync.applyWrites('contact', [
      { kind: 'update', id: contact, fields: { firstname: 'Current' }, etag: read?.etag ?? undefined },
    ]);
    expect([outcome?.ok, emu.db.get('contact', contact)?.firstname]).toEqual([true, 'Current']);
  });

  test('an update of a record changed since it was read is a CrmConflictError (412), the change kept', async () => {
    const { sync } = adapterFor(DEMO.me);
    const contact = insertContact('Etag-Stale', {});
    const [read] = await sync.recordsById('contact', [contact], ['firstname']);
    emu.db.update('contact', contact, { firstname: 'Changed in the CRM' });
    const [outcome] = await sync.applyWrites('contact', [
      { kind: 'update', id: contact, fields: { firstname: 'From Outlook' }, etag: read?.etag ?? undefined },
    ]);
    expect(outcome?.ok === false && outcome.error).toBeInstanceOf(CrmConflictError);
    expect(emu.db.get('contact', contact)?.firstname).toBe('Changed in the CRM');
  });

  test("an all-day appointment of a Berlin user is stored at the user's local midnights and read back as its day", async () => {
    const { sync } = adapterFor(DEMO.me, { timeZone: 'Europe/Berlin' });
    const meeting = id('write:all-day');
    const fields = {
      subject: 'Offsite',
      isalldayevent: true,
      scheduledstart: '2026-01-10T00:00:00Z',
      scheduledend: '2026-01-11T00:00:00Z',
    };
    await sync.applyWrites('appointment', [{ kind: 'create', id: meeting, fields }]);
    const stored = emu.db.get('appointment', meeting);
    const [read] = await sync.recordsById('appointment', [meeting], Object.keys(fields));
    expect([stored?.scheduledstart, stored?.scheduledend]).toEqual([
      expect.stringMatching(/^2026-01-09T23:00:00(\.000)?Z$/),
      expect.stringMatching(/^2026-01-10T23:00:00(\.000)?Z$/),
    ]);
    expect(read?.fields).toEqual(fields);
  });

  test("a second email without a first reads as the first, and a slot written lands over the CRM's compacted slots", async () => {
    const { sync } = adapterFor(DEMO.me);
    const contact = insertContact('Mail-Slots', { emailaddress2: 'b@slots.example' });
    const slots = ['emailaddress1', 'emailaddress2', 'emailaddress3'];
    const [read] = await sync.recordsById('contact', [contact], slots);
    await sync.applyWrites('contact', [
      { kind: 'update', id: contact, fields: { emailaddress2: 'c@slots.example' } },
    ]);
    const row = emu.db.get('contact', contact);
    expect([read?.fields.emailaddress1, row?.emailaddress1, row?.emailaddress2, row?.emailaddress3]).toEqual([
      'b@slots.example',
      'b@slots.example',
      'c@slots.example',
      null,
    ]);
  });
});
