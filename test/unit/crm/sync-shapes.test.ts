/**
 * Dataverse rows ↔ the catalog's normalized values (src/crm/syncShapes.ts), field kind by field kind
 * (syncFieldCatalog.ts's header), and the record's state, dates and parent account.
 */
import fc from 'fast-check';
import {
  checkTimeZone,
  normalizeAddresses,
  outlookNameOf,
  readColumns,
  recordFromRow,
  rowFromFields,
} from '../../../src/crm/syncShapes';

const ID = '6f1c2a3b-0000-4000-8000-00000000000a';
const LOOKUP = '@Microsoft.Dynamics.CRM.lookuplogicalname';
const FORMATTED = '@OData.Community.Display.V1.FormattedValue';

const contact = (row: Record<string, unknown>, attributes: string[] = Object.keys(row)) =>
  recordFromRow('contact', { contactid: ID, statecode: 0, ...row }, attributes);
const appointment = (row: Record<string, unknown>, attributes: string[] = Object.keys(row)) =>
  recordFromRow('appointment', { activityid: ID, statecode: 0, ...row }, attributes);
const task = (row: Record<string, unknown>, attributes: string[] = Object.keys(row)) =>
  recordFromRow('task', { activityid: ID, statecode: 0, ...row }, attributes);
const BERLIN = { timeZone: 'Europe/Berlin' };
const NEW_YORK = { timeZone: 'America/New_York' };
const inZone = (
  entity: 'appointment' | 'task',
  row: Record<string, unknown>,
  attributes: string[],
  context: { timeZone: string },
) => recordFromRow(entity, { activityid: ID, statecode: 0, ...row }, attributes, [], context)?.fields;

describe('reading: text', () => {
  test("an empty text is null (Dataverse keeps no empty strings; Outlook's cleared field is null too)", () => {
    expect(contact({ firstname: '' })?.fields.firstname).toBeNull();
  });

  test('a column FetchXML left out (it omits nulls) is null', () => {
    expect(contact({}, ['jobtitle'])?.fields.jobtitle).toBeNull();
  });

  test('a text is kept as it is', () => {
    expect(contact({ lastname: "O'Brien <&>" })?.fields.lastname).toBe("O'Brien <&>");
  });

  test('a body has \\n line endings and no trailing whitespace (Exchange adds \\r\\n and newlines)', () => {
    expect(task({ description: 'Call Ann\r\nabout the offer \r\n\r\n' })?.fields.description).toBe(
      'Call Ann\nabout the offer',
    );
  });

  test('a body of whitespace only is null', () => {
    expect(contact({ description: ' \r\n' })?.fields.description).toBeNull();
  });

  test('a text that is no body keeps its whitespace', () => {
    expect(contact({ jobtitle: 'Buyer ' })?.fields.jobtitle).toBe('Buyer ');
  });
});

describe('reading: instants and dates', () => {
  test('an instant is UTC to the second with Z, whatever offset or fraction it came with', () => {
    expect(appointment({ scheduledstart: '2026-01-10T10:30:15.123+01:00' })?.fields.scheduledstart).toBe(
      '2026-01-10T09:30:15Z',
    );
  });

  test("a contact's birthday (DateOnly) stays the day it is", () => {
    expect(contact({ birthdate: '1980-02-29' })?.fields.birthdate).toBe('1980-02-29');
  });

  test("a task's due date (a date and time column) is its UTC day when no time zone is given", () => {
    expect(task({ scheduledend: '2026-03-05T23:00:00Z' })?.fields.scheduledend).toBe('2026-03-05');
  });

  test("a task's due date is its date in the user's zone (a Berlin user's 10 January is 9 January 23:00 UTC)", () => {
    expect(inZone('task', { scheduledend: '2026-01-09T23:00:00Z' }, ['scheduledend'], BERLIN)).toEqual({
      scheduledend: '2026-01-10',
    });
  });

  test("a task's due date west of UTC is its date in the user's zone too", () => {
    expect(inZone('task', { scheduledend: '2026-01-10T05:00:00Z' }, ['scheduledend'], NEW_YORK)).toEqual({
      scheduledend: '2026-01-10',
    });
  });

  test("an all-day appointment's times are the user's local dates at T00:00:00Z (the floating day)", () => {
    const fields = inZone(
      'appointment',
      { isalldayevent: true, scheduledstart: '2026-01-09T23:00:00Z', scheduledend: '2026-01-10T23:00:00Z' },
      ['scheduledstart', 'scheduledend', 'isalldayevent'],
      BERLIN,
    );
    expect(fields).toEqual({
      scheduledstart: '2026-01-10T00:00:00Z',
      scheduledend: '2026-01-11T00:00:00Z',
      isalldayevent: true,
    });
  });

  test("an all-day appointment's day is read through the zone even when the flag is not a mapped field", () => {
    const fields = inZone(
      'appointment',
      { isalldayevent: true, scheduledstart: '2026-01-10T05:00:00Z' },
      ['scheduledstart'],
      NEW_YORK,
    );
    expect(fields).toEqual({ scheduledstart: '2026-01-10T00:00:00Z' });
  });

  test("a timed appointment's times stay instants whatever the user's zone", () => {
    const fields = inZone(
      'appointment',
      { isalldayevent: false, scheduledstart: '2026-01-09T23:00:00Z' },
      ['scheduledstart'],
      BERLIN,
    );
    expect(fields).toEqual({ scheduledstart: '2026-01-09T23:00:00Z' });
  });

  test('a name that is no IANA time zone is refused', () => {
    expect(() => checkTimeZone('Mars/Olympus')).toThrow(RangeError);
  });

  test('createdon and modifiedon are instants of the record, not fields', () => {
    const record = contact({ createdon: '2020-01-01T00:00:00.5Z', modifiedon: '2026-01-09T08:00:00Z' }, []);
    expect([record?.createdOn, record?.modifiedOn]).toEqual(['2020-01-01T00:00:00Z', '2026-01-09T08:00:00Z']);
  });
});

describe('reading: email slots', () => {
  const ALL = ['emailaddress1', 'emailaddress2', 'emailaddress3'];

  test('the non-null addresses go into slots 1..3 in order, as Graph keeps its list', () => {
    expect(contact({ emailaddress2: 'b@x.com', emailaddress3: 'c@x.com' }, ALL)?.fields).toEqual({
      emailaddress1: 'b@x.com',
      emailaddress2: 'c@x.com',
      emailaddress3: null,
    });
  });

  test('a second address without a first is the first even when only the first is asked', () => {
    expect(contact({ emailaddress2: 'b@x.com' }, ['emailaddress1'])?.fields).toEqual({
      emailaddress1: 'b@x.com',
    });
  });

  test('a read of one slot selects all three, which are compacted together', () => {
    expect(readColumns('contact', ['emailaddress2'])).toEqual(expect.arrayContaining(ALL));
  });
});

describe('reading: record', () => {
  test("the record carries Dataverse's @odata.etag", () => {
    expect(contact({ '@odata.etag': 'W/"42"' }, [])?.etag).toBe('W/"42"');
  });

  test('a row without an etag has none', () => {
    expect(contact({}, [])?.etag).toBeNull();
  });

  test('the id is lowercased', () => {
    expect(recordFromRow('contact', { contactid: ID.toUpperCase(), statecode: 0 }, [])?.id).toBe(ID);
  });
});

describe('reading: choices', () => {
  test('prioritycode 0/1/2 is low/normal/high', () => {
    expect([0, 1, 2].map((code) => task({ prioritycode: code })?.fields.prioritycode)).toEqual([
      'low',
      'normal',
      'high',
    ]);
  });

  test("an appointment's statuscode 1/2/5/6 is free/tentative/busy/oof", () => {
    expect([1, 2, 5, 6].map((code) => appointment({ statuscode: code })?.fields.statuscode)).toEqual([
      'free',
      'tentative',
      'busy',
      'oof',
    ]);
  });

  test("a task's statuscode 2/3/4/7/5 is notStarted/inProgress/waitingOnOthers/deferred/completed", () => {
    expect([2, 3, 4, 7, 5].map((code) => task({ statuscode: code })?.fields.statuscode)).toEqual([
      'notStarted',
      'inProgress',
      'waitingOnOthers',
      'deferred',
      'completed',
    ]);
  });

  test('isalldayevent is a boolean', () => {
    expect(appointment({ isalldayevent: true })?.fields.isalldayevent).toBe(true);
  });

  test("a null prioritycode is Graph's default importance, normal (else it would be rewritten every run)", () => {
    expect(task({}, ['prioritycode'])?.fields.prioritycode).toBe('normal');
  });

  test("a null isalldayevent is Graph's default, false", () => {
    expect(appointment({}, ['isalldayevent'])?.fields.isalldayevent).toBe(false);
  });
});

describe('reading: state', () => {
  test('a contact is active only in statecode 0', () => {
    expect([0, 1].map((statecode) => contact({ statecode }, [])?.active)).toEqual([true, false]);
  });

  test('an appointment or a task is inactive only when canceled (statecode 2); a completed one stays', () => {
    expect([0, 1, 2, 3].map((statecode) => appointment({ statecode }, [])?.active)).toEqual([
      true,
      true,
      false,
      true,
    ]);
    expect([0, 1, 2].map((statecode) => task({ statecode }, [])?.active)).toEqual([true, true, false]);
  });

  test('a row without its id is no record', () => {
    expect(recordFromRow('contact', { firstname: 'Ann' }, ['firstname'])).toBeNull();
  });
});

describe('reading: parent account', () => {
  test("the parent customer's formatted name when the lookup is an account", () => {
    const record = contact(
      {
        _parentcustomerid_value: ID,
        [`_parentcustomerid_value${LOOKUP}`]: 'account',
        [`_parentcustomerid_value${FORMATTED}`]: 'Fabrikam',
      },
      [],
    );
    expect(record?.parentAccountName).toBe('Fabrikam');
  });

  test('a parent customer that is a contact is no parent account', () => {
    const record = contact(
      {
        _parentcustomerid_value: ID,
        [`_parentcustomerid_value${LOOKUP}`]: 'contact',
        [`_parentcustomerid_value${FORMATTED}`]: 'Ann',
      },
      [],
    );
    expect(record?.parentAccountName).toBeNull();
  });
});

describe('reading: attendees', () => {
  test('required (5), optional (6) and organizer (7) parties by mask, each list normalized', () => {
    const record = recordFromRow(
      'appointment',
      { activityid: ID, statecode: 0 },
      ['requiredattendees', 'optionalattendees', 'organizer'],
      [
        { mask: 5, address: ' B@X.com' },
        { mask: 5, address: 'a@x.com' },
        { mask: 5, address: 'b@x.com' },
        { mask: 7, address: 'Me@X.com' },
      ],
    );
    expect(record?.fields).toEqual({
      requiredattendees: ['a@x.com', 'b@x.com'],
      optionalattendees: null,
      organizer: ['me@x.com'],
    });
  });

  test('addresses: trimmed, lowercased, unique, sorted; none at all is null', () => {
    expect(normalizeAddresses([' Z@x.com', 'a@X.com', 'z@x.com', null, ''])).toEqual(['a@x.com', 'z@x.com']);
    expect(normalizeAddresses([])).toBeNull();
  });

  test('party-list attributes are not columns a read selects; the all-day flag always is', () => {
    expect(readColumns('appointment', ['subject', 'requiredattendees', 'organizer'])).toEqual([
      'subject',
      'isalldayevent',
      'activityid',
      'statecode',
      'statuscode',
      'createdon',
      'modifiedon',
    ]);
  });

  test("a contact's read carries the parent customer for the company rule", () => {
    expect(readColumns('contact', ['firstname'])).toContain('parentcustomerid');
  });
});

describe('writing', () => {
  test('importance is written as prioritycode', () => {
    expect(rowFromFields('task', { prioritycode: 'high' }).body).toEqual({ prioritycode: 2 });
  });

  test('a completed task is statecode 1 with statuscode 5 (state and reason written together)', () => {
    expect(rowFromFields('task', { statuscode: 'completed' }).body).toEqual({ statecode: 1, statuscode: 5 });
  });

  test('an open task status is statecode 0 with its reason', () => {
    expect(rowFromFields('task', { statuscode: 'waitingOnOthers' }).body).toEqual({
      statecode: 0,
      statuscode: 4,
    });
  });

  test("show-as busy is the appointment's Scheduled state (3) with reason Busy (5)", () => {
    expect(rowFromFields('appointment', { statuscode: 'busy' }).body).toEqual({
      statecode: 3,
      statuscode: 5,
    });
  });

  test("a task's due day is written as that day at 00:00 UTC when no zone is given", () => {
    expect(rowFromFields('task', { scheduledend: '2026-03-05' }).body).toEqual({
      scheduledend: '2026-03-05T00:00:00Z',
    });
  });

  test("a task's due day is written as the user's local midnight of that day", () => {
    expect(rowFromFields('task', { scheduledend: '2026-01-10' }, BERLIN).body).toEqual({
      scheduledend: '2026-01-09T23:00:00Z',
    });
  });

  test("a task's due day reads back as the same day in any zone", () => {
    const zones = [
      'UTC',
      'Europe/Berlin',
      'America/Los_Angeles',
      'Pacific/Kiritimati',
      'Asia/Kolkata',
      'Asia/Beirut',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2040-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        (timeZone, date) => {
          const day = date.toISOString().slice(0, 10);
          const { body } = rowFromFields('task', { scheduledend: day }, { timeZone });
          return inZone('task', body, ['scheduledend'], { timeZone })?.scheduledend === day;
        },
      ),
    );
  });

  test('where a DST change skips midnight, a day is written as its first instant (Beirut, 29 March 2026)', () => {
    expect(rowFromFields('task', { scheduledend: '2026-03-29' }, { timeZone: 'Asia/Beirut' }).body).toEqual({
      scheduledend: '2026-03-28T22:00:00Z',
    });
  });

  test("an all-day appointment's days are written as the user's local midnights", () => {
    const { body } = rowFromFields(
      'appointment',
      { isalldayevent: true, scheduledstart: '2026-01-10T00:00:00Z', scheduledend: '2026-01-11T00:00:00Z' },
      BERLIN,
    );
    expect(body).toEqual({
      isalldayevent: true,
      scheduledstart: '2026-01-09T23:00:00Z',
      scheduledend: '2026-01-10T23:00:00Z',
    });
  });

  test('an update of the times alone of an appointment read as all day writes local midnights', () => {
    const { body } = rowFromFields('appointment', { scheduledstart: '2026-01-10T00:00:00Z' }, BERLIN, {
      allDay: true,
      emails: null,
    });
    expect(body).toEqual({ scheduledstart: '2026-01-09T23:00:00Z' });
  });

  test("a timed appointment's times are written as the instants they are", () => {
    const { body } = rowFromFields('appointment', { scheduledstart: '2026-01-10T00:00:00Z' }, BERLIN, {
      allDay: false,
      emails: null,
    });
    expect(body).toEqual({ scheduledstart: '2026-01-10T00:00:00Z' });
  });

  test('a body is written with \\n line endings and no trailing whitespace', () => {
    expect(rowFromFields('appointment', { description: 'Agenda\r\n\r\n' }).body).toEqual({
      description: 'Agenda',
    });
  });

  test("an email slot written is laid over the record's compacted slots and all three written", () => {
    const { body } = rowFromFields(
      'contact',
      { emailaddress2: 'c@x.com' },
      {},
      {
        allDay: null,
        emails: ['b@x.com', null, null],
      },
    );
    expect(body).toEqual({ emailaddress1: 'b@x.com', emailaddress2: 'c@x.com', emailaddress3: null });
  });

  test('a cleared first slot moves the others up', () => {
    const { body } = rowFromFields(
      'contact',
      { emailaddress1: null },
      {},
      {
        allDay: null,
        emails: ['a@x.com', 'b@x.com', null],
      },
    );
    expect(body).toEqual({ emailaddress1: 'b@x.com', emailaddress2: null, emailaddress3: null });
  });

  test('email slots of a record not read are written as given', () => {
    expect(rowFromFields('contact', { emailaddress2: 'c@x.com' }).body).toEqual({ emailaddress2: 'c@x.com' });
  });

  test("a contact's birthday is written as the day (DateOnly)", () => {
    expect(rowFromFields('contact', { birthdate: '1980-02-29' }).body).toEqual({ birthdate: '1980-02-29' });
  });

  test('a cleared text is written as null', () => {
    expect(rowFromFields('contact', { jobtitle: null }).body).toEqual({ jobtitle: null });
  });

  test('attendees are not columns: they come apart, by mask, normalized; cleared is an empty list', () => {
    const { body, attendees } = rowFromFields('appointment', {
      subject: 'Review',
      requiredattendees: ['B@x.com', 'a@x.com'],
      optionalattendees: null,
    });
    expect(body).toEqual({ subject: 'Review' });
    expect([...attendees]).toEqual([
      [5, ['a@x.com', 'b@x.com']],
      [6, []],
    ]);
  });

  test('the organizer is written as its own party list (participation 7)', () => {
    expect([...rowFromFields('appointment', { organizer: ['Me@x.com'] }).attendees]).toEqual([
      [7, ['me@x.com']],
    ]);
  });
});

describe("Dataverse's Exchange names", () => {
  test("the Outlook object model's names map to the catalog's flat names, without case", () => {
    expect(outlookNameOf('contact', 'FirstName')).toBe('givenName');
    expect(outlookNameOf('appointment', 'BusyStatus')).toBe('showAs');
    expect(outlookNameOf('task', 'DueDate')).toBe('dueDate');
  });

  test("the catalog's own flat names are taken as they are", () => {
    expect(outlookNameOf('contact', 'businessCity')).toBe('businessCity');
  });

  test('an unknown name maps to nothing', () => {
    expect(outlookNameOf('contact', 'FavoriteColour')).toBeNull();
  });
});
