/**
 * Graph contact, event and To Do task JSON ↔ the catalog's flat fields (src/graph/syncShapes.ts):
 * tables of conversions, time zones, all-day events, the link, and properties: reading untrusted
 * JSON never throws, and normalized → Graph body → normalized is the identity.
 */
import fc from 'fast-check';
import { SYNC_FIELDS } from '../../../src/rules/syncFieldCatalog';
import type { SyncEntity, SyncFields } from '../../../src/rules/syncTypes';
import { customPropertiesId } from '../../../src/graph/properties';
import {
  flatFields,
  graphBody,
  LINK_APPLICATION,
  LINK_PROPERTY_ID,
  linkValue,
  needsCurrent,
  normalizeAddresses,
  readDateTimeTimeZone,
  readLink,
  readSyncItem,
  unmappedCatalogNames,
} from '../../../src/graph/syncShapes';

const TAG_ID = customPropertiesId('c7776a0d-efcc-4504-b497-f889d0bed0d9');

const CONTACT = {
  id: 'c1',
  changeKey: 'ck1',
  lastModifiedDateTime: '2026-01-10T09:00:00.1234567Z',
  displayName: 'Ann Smith',
  title: 'Dr.',
  givenName: 'Ann',
  middleName: '',
  surname: 'Smith',
  jobTitle: 'Buyer',
  companyName: 'Fabrikam',
  emailAddresses: [
    { name: 'Ann Smith', address: 'ann@fabrikam.com' },
    { name: 'Ann', address: 'ann@home.example' },
  ],
  businessPhones: ['+1 555 0100', '+1 555 0199'],
  homePhones: [],
  mobilePhone: null,
  businessAddress: {
    street: '1 Main St',
    city: 'Redmond',
    state: 'WA',
    postalCode: '98052',
    countryOrRegion: 'USA',
  },
  birthday: '1980-07-22T00:00:00Z',
  personalNotes: 'Met at the fair',
};

describe('a Graph contact read as flat fields', () => {
  const fields = flatFields('contact', CONTACT);

  test.each([
    ['title', 'Dr.'],
    ['givenName', 'Ann'],
    ['surname', 'Smith'],
    ['jobTitle', 'Buyer'],
    ['companyName', 'Fabrikam'],
    ['email1Address', 'ann@fabrikam.com'],
    ['email2Address', 'ann@home.example'],
    ['businessPhone', '+1 555 0100'],
    ['businessStreet', '1 Main St'],
    ['businessCity', 'Redmond'],
    ['businessCountryOrRegion', 'USA'],
    ['birthday', '1980-07-22'],
    ['personalNotes', 'Met at the fair'],
  ])('%s is read from its Graph property', (name, value) => {
    expect(fields[name]).toBe(value);
  });

  test.each([['middleName'], ['email3Address'], ['homePhone'], ['mobilePhone'], ['nickName']])(
    'an empty or missing %s is null',
    (name) => {
      expect(fields[name]).toBeNull();
    },
  );

  test('the item carries its addresses in Outlook order, its display name as title and its modified instant to the second', () => {
    const reading = readSyncItem('contact', CONTACT);
    expect(reading.ok && reading.item).toMatchObject({
      itemId: 'c1',
      changeKey: 'ck1',
      emails: ['ann@fabrikam.com', 'ann@home.example'],
      title: 'Ann Smith',
      modifiedAt: '2026-01-10T09:00:00Z',
    });
  });

  test('a contact without a display name is titled by its names', () => {
    const reading = readSyncItem('contact', { id: 'c2', givenName: 'Bo', surname: 'Li' });
    expect(reading.ok && reading.item.title).toBe('Bo Li');
  });

  test('an item without an id is not an item', () => {
    expect(readSyncItem('contact', { givenName: 'Bo' })).toMatchObject({ ok: false, itemId: null });
  });
});

describe('time zones', () => {
  test.each([
    ['UTC', '2026-01-10T09:00:00.0000000', '2026-01-10T09:00:00Z'],
    ['Pacific Standard Time', '2026-01-10T09:00:00.0000000', '2026-01-10T17:00:00Z'],
    ['Pacific Standard Time', '2026-07-10T09:00:00.0000000', '2026-07-10T16:00:00Z'],
    ['W. Europe Standard Time', '2026-07-01T09:00:00', '2026-07-01T07:00:00Z'],
    ['Europe/Berlin', '2026-01-15T09:30:00', '2026-01-15T08:30:00Z'],
    ['Asia/Kolkata', '2026-03-01T12:00:00', '2026-03-01T06:30:00Z'],
    ['Tokyo Standard Time', '2026-01-01T00:00:00', '2025-12-31T15:00:00Z'],
  ])('a dateTime in %s is read as the UTC instant', (timeZone, dateTime, instant) => {
    expect(readDateTimeTimeZone({ dateTime, timeZone })).toBe(instant);
  });

  test('a wall time a spring-forward skips is taken at the offset before the change', () => {
    // 02:30 does not exist in New York on 2026-03-08; before the change the offset is -05:00.
    expect(readDateTimeTimeZone({ dateTime: '2026-03-08T02:30:00', timeZone: 'America/New_York' })).toBe(
      '2026-03-08T07:30:00Z',
    );
  });

  test('an unknown time zone reads as no value, with a warning', () => {
    const warnings: string[] = [];
    expect(
      readDateTimeTimeZone({ dateTime: '2026-01-10T09:00:00', timeZone: 'Mars Standard Time' }, warnings),
    ).toBeNull();
    expect(warnings).toHaveLength(1);
  });

  test('an event read in another zone gives the same instants as in UTC', () => {
    const utc = flatFields('appointment', {
      start: { dateTime: '2026-01-10T17:00:00.0000000', timeZone: 'UTC' },
      end: { dateTime: '2026-01-10T18:00:00.0000000', timeZone: 'UTC' },
      isAllDay: false,
    });
    const pacific = flatFields('appointment', {
      start: { dateTime: '2026-01-10T09:00:00.0000000', timeZone: 'Pacific Standard Time' },
      end: { dateTime: '2026-01-10T10:00:00.0000000', timeZone: 'America/Los_Angeles' },
      isAllDay: false,
    });
    expect([pacific.start, pacific.end]).toEqual([utc.start, utc.end]);
  });

  test('event times are written in UTC', () => {
    expect(
      graphBody('appointment', {
        start: '2026-01-10T09:00:00Z',
        end: '2026-01-10T10:00:00Z',
        isAllDay: false,
      }),
    ).toEqual({
      isAllDay: false,
      start: { dateTime: '2026-01-10T09:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-01-10T10:00:00', timeZone: 'UTC' },
    });
  });
});

describe('all-day events', () => {
  test.each([
    ['midnight to midnight', '2026-01-10T00:00:00Z', '2026-01-11T00:00:00Z', '2026-01-10', '2026-01-11'],
    ['three days', '2026-01-10T00:00:00Z', '2026-01-13T00:00:00Z', '2026-01-10', '2026-01-13'],
    [
      'instants within the days: their UTC dates',
      '2026-01-10T23:30:00Z',
      '2026-01-12T01:00:00Z',
      '2026-01-10',
      '2026-01-12',
    ],
    [
      'an end on the start day: one day',
      '2026-01-10T08:00:00Z',
      '2026-01-10T17:00:00Z',
      '2026-01-10',
      '2026-01-11',
    ],
    [
      'an end before the start: one day',
      '2026-01-10T00:00:00Z',
      '2026-01-09T00:00:00Z',
      '2026-01-10',
      '2026-01-11',
    ],
  ])('%s is written as whole days at midnight in the user zone', (_case, start, end, firstDay, endDay) => {
    const body = graphBody('appointment', { start, end, isAllDay: true }, null, {
      timeZone: 'Europe/Berlin',
    });
    expect(body).toEqual({
      isAllDay: true,
      start: { dateTime: `${firstDay}T00:00:00.0000000`, timeZone: 'Europe/Berlin' },
      end: { dateTime: `${endDay}T00:00:00.0000000`, timeZone: 'Europe/Berlin' },
    });
  });

  test('without a user time zone all-day days are written in UTC', () => {
    const body = graphBody('appointment', {
      start: '2026-01-10T00:00:00Z',
      end: '2026-01-11T00:00:00Z',
      isAllDay: true,
    });
    expect([body.start, body.end]).toEqual([
      { dateTime: '2026-01-10T00:00:00.0000000', timeZone: 'UTC' },
      { dateTime: '2026-01-11T00:00:00.0000000', timeZone: 'UTC' },
    ]);
  });

  test('an all-day event answered in UTC reads as the days of its own zone', () => {
    // A Berlin all-day event on 10 January, as calendarView answers it with Prefer outlook.timezone="UTC".
    const fields = flatFields('appointment', {
      isAllDay: true,
      originalStartTimeZone: 'W. Europe Standard Time',
      originalEndTimeZone: 'W. Europe Standard Time',
      start: { dateTime: '2026-01-09T23:00:00.0000000', timeZone: 'UTC' },
      end: { dateTime: '2026-01-10T23:00:00.0000000', timeZone: 'UTC' },
    });
    expect([fields.start, fields.end]).toEqual(['2026-01-10T00:00:00Z', '2026-01-11T00:00:00Z']);
  });

  test("an all-day event without its own zone reads in the user's zone", () => {
    const fields = flatFields(
      'appointment',
      {
        isAllDay: true,
        start: { dateTime: '2026-01-09T23:00:00.0000000', timeZone: 'UTC' },
        end: { dateTime: '2026-01-10T23:00:00.0000000', timeZone: 'UTC' },
      },
      [],
      { timeZone: 'Europe/Berlin' },
    );
    expect([fields.start, fields.end]).toEqual(['2026-01-10T00:00:00Z', '2026-01-11T00:00:00Z']);
  });

  test("an all-day event written in the user's zone and answered in UTC keeps its days", () => {
    const context = { timeZone: 'America/New_York' };
    const body = graphBody(
      'appointment',
      { start: '2026-01-10T00:00:00Z', end: '2026-01-11T00:00:00Z', isAllDay: true },
      null,
      context,
    );
    const start = readDateTimeTimeZone(body.start) as string;
    const end = readDateTimeTimeZone(body.end) as string;
    const answered = {
      isAllDay: true,
      originalStartTimeZone: 'America/New_York',
      originalEndTimeZone: 'America/New_York',
      start: { dateTime: start.replace(/Z$/, '.0000000'), timeZone: 'UTC' },
      end: { dateTime: end.replace(/Z$/, '.0000000'), timeZone: 'UTC' },
    };
    const fields = flatFields('appointment', answered, [], context);
    expect([fields.start, fields.end]).toEqual(['2026-01-10T00:00:00Z', '2026-01-11T00:00:00Z']);
  });

  test('an all-day event given in another zone reads as its dates at midnight UTC', () => {
    const fields = flatFields('appointment', {
      isAllDay: true,
      start: { dateTime: '2026-01-10T00:00:00.0000000', timeZone: 'Pacific Standard Time' },
      end: { dateTime: '2026-01-11T00:00:00.0000000', timeZone: 'Pacific Standard Time' },
    });
    expect([fields.start, fields.end, fields.isAllDay]).toEqual([
      '2026-01-10T00:00:00Z',
      '2026-01-11T00:00:00Z',
      true,
    ]);
  });

  test('changing only isAllDay needs the current start and end', () => {
    expect(needsCurrent('appointment', { isAllDay: true })).toBe(true);
  });
});

describe('events and tasks read as flat fields', () => {
  test.each([
    ['workingElsewhere', 'busy'],
    ['unknown', 'busy'],
    ['oof', 'oof'],
    ['tentative', 'tentative'],
    ['later', null],
  ])('showAs %s reads as %s', (showAs, value) => {
    expect(flatFields('appointment', { showAs }).showAs).toBe(value);
  });

  test('attendees split by type into sorted, lower-cased, de-duplicated addresses; rooms are neither', () => {
    const fields = flatFields('appointment', {
      attendees: [
        { type: 'required', emailAddress: { address: ' Bo@Contoso.com ' } },
        { type: 'required', emailAddress: { address: 'ann@fabrikam.com' } },
        { type: 'required', emailAddress: { address: 'bo@contoso.com' } },
        { type: 'optional', emailAddress: { address: 'cy@contoso.com' } },
        { type: 'resource', emailAddress: { address: 'room1@contoso.com' } },
      ],
      organizer: { emailAddress: { name: 'Me', address: 'Me@Contoso.com' } },
    });
    expect([fields.requiredAttendees, fields.optionalAttendees, fields.organizer]).toEqual([
      ['ann@fabrikam.com', 'bo@contoso.com'],
      ['cy@contoso.com'],
      ['me@contoso.com'],
    ]);
  });

  test('an HTML body is read as its text', () => {
    expect(
      flatFields('appointment', {
        body: { contentType: 'html', content: '<p>Agenda &amp; notes</p><br>Room 4' },
      }).body,
    ).toBe('Agenda & notes\n\nRoom 4');
  });

  test('a To Do due date is the day its dateTime names', () => {
    expect(
      flatFields('task', { dueDateTime: { dateTime: '2026-02-03T00:00:00.0000000', timeZone: 'UTC' } })
        .dueDate,
    ).toBe('2026-02-03');
  });

  test("a To Do due date at midnight in its own zone is that zone's date, whatever the user's zone", () => {
    const due = { dateTime: '2026-02-03T00:00:00.0000000', timeZone: 'Tokyo Standard Time' };
    expect(flatFields('task', { dueDateTime: due }, [], { timeZone: 'America/Los_Angeles' }).dueDate).toBe(
      '2026-02-03',
    );
  });

  test("a To Do due date answered shifted to UTC is read as its day in the user's zone", () => {
    // Midnight of 3 February in Berlin, as To Do answers it (in UTC).
    const due = { dateTime: '2026-02-02T23:00:00.0000000', timeZone: 'UTC' };
    expect(flatFields('task', { dueDateTime: due }, [], { timeZone: 'Europe/Berlin' }).dueDate).toBe(
      '2026-02-03',
    );
  });

  test("a due date is written as midnight of that date in the user's zone", () => {
    expect(graphBody('task', { dueDate: '2026-02-03' }, null, { timeZone: 'Asia/Tokyo' })).toEqual({
      dueDateTime: { dateTime: '2026-02-03T00:00:00.0000000', timeZone: 'Asia/Tokyo' },
    });
  });

  test('text bodies are read with \\n line endings and no trailing whitespace', () => {
    const read = [
      flatFields('appointment', { body: { contentType: 'text', content: 'Agenda\r\n- one\r\n\r\n' } }).body,
      flatFields('task', { body: { contentType: 'text', content: 'Call\rback \n' } }).body,
      flatFields('contact', { personalNotes: 'Met\r\nat the fair\r\n' }).personalNotes,
    ];
    expect(read).toEqual(['Agenda\n- one', 'Call\nback', 'Met\nat the fair']);
  });

  test('a body of whitespace only is no body', () => {
    expect(flatFields('task', { body: { contentType: 'text', content: ' \r\n' } }).body).toBeNull();
  });

  test('a birthday is read as the date part of its UTC instant', () => {
    expect(
      [
        '1980-07-22T12:00:00Z',
        '1980-07-22T00:00:00Z',
        '1980-07-23T01:00:00+02:00',
        '1980-07-22T12:00:00.0000000Z',
      ].map((birthday) => flatFields('contact', { birthday }).birthday),
    ).toEqual(['1980-07-22', '1980-07-22', '1980-07-22', '1980-07-22']);
  });

  test.each([['notStarted'], ['inProgress'], ['waitingOnOthers'], ['deferred'], ['completed']])(
    'To Do status %s is kept',
    (status) => {
      expect(flatFields('task', { status }).status).toBe(status);
    },
  );

  test("an event's title is its subject and a task's its title", () => {
    const event = readSyncItem('appointment', { id: 'e1', subject: 'Review' });
    const task = readSyncItem('task', { id: 't1', title: 'Call back' });
    expect([event.ok && event.item.title, task.ok && task.item.title]).toEqual(['Review', 'Call back']);
  });
});

describe('the link', () => {
  const linked = (value: string): Record<string, unknown> => ({
    singleValueExtendedProperties: [{ id: LINK_PROPERTY_ID.toLowerCase(), value }],
  });

  test('a contact carries the CRM id and tracked flag in tic-crm-link', () => {
    expect(readLink('contact', linked(linkValue({ crmId: 'crm-1', tracked: true })))).toEqual({
      crmId: 'crm-1',
      tracked: true,
    });
  });

  test('a tic-crm-link that is not its JSON is no link, with a warning', () => {
    const warnings: string[] = [];
    expect(readLink('contact', linked('crm-1'), {}, warnings)).toEqual({ crmId: null, tracked: false });
    expect(warnings).toHaveLength(1);
  });

  test('an event tracked from the ribbon is linked to its activity and tracked through the add-in tag', () => {
    const event = {
      singleValueExtendedProperties: [
        { id: TAG_ID, value: JSON.stringify({ tic: JSON.stringify({ a: 'act-7', r: '' }) }) },
      ],
    };
    expect(readLink('appointment', event, { customPropertiesId: TAG_ID })).toEqual({
      crmId: 'act-7',
      tracked: true,
    });
  });

  test('an event whose tic-crm-link was cleared stays unlinked whatever its tag says', () => {
    const event = {
      singleValueExtendedProperties: [
        { id: TAG_ID, value: JSON.stringify({ tic: JSON.stringify({ a: 'act-7', r: '' }) }) },
        { id: LINK_PROPERTY_ID, value: linkValue({ crmId: null, tracked: false }) },
      ],
    };
    expect(readLink('appointment', event, { customPropertiesId: TAG_ID })).toEqual({
      crmId: null,
      tracked: false,
    });
  });

  test.each([
    [
      'tic-crm-link',
      'contact',
      {
        singleValueExtendedProperties: [
          { id: LINK_PROPERTY_ID, value: '{"crmId":"AB12-CD","tracked":false}' },
        ],
      },
    ],
    [
      'the add-in tag',
      'appointment',
      {
        singleValueExtendedProperties: [
          { id: TAG_ID, value: JSON.stringify({ tic: JSON.stringify({ a: 'AB12-CD', r: '' }) }) },
        ],
      },
    ],
    [
      'a linkedResource',
      'task',
      { linkedResources: [{ id: 'lr1', applicationName: LINK_APPLICATION, externalId: 'AB12-CD' }] },
    ],
  ] as const)('a CRM id read from %s is lower-cased', (_where, entity, json) => {
    expect(readLink(entity, json, { customPropertiesId: TAG_ID }).crmId).toBe('ab12-cd');
  });

  test('a CRM id is written lower-cased in tic-crm-link', () => {
    expect(JSON.parse(linkValue({ crmId: 'AB12-CD', tracked: true }))).toEqual({
      crmId: 'ab12-cd',
      tracked: true,
    });
  });

  test("a task is linked by this add-in's linkedResource, others' are not links", () => {
    const task = {
      linkedResources: [
        { id: 'lr0', applicationName: 'Jira', externalId: 'JIRA-1' },
        { id: 'lr1', applicationName: LINK_APPLICATION, externalId: 'crm-task-1' },
      ],
    };
    expect(readLink('task', task)).toEqual({ crmId: 'crm-task-1', tracked: false });
  });
});

describe('writes', () => {
  test('every catalog field has a writer', () => {
    expect(unmappedCatalogNames()).toEqual([]);
  });

  test('an update writes only the Graph properties its fields touch', () => {
    expect(graphBody('contact', { jobTitle: 'Lead buyer' })).toEqual({ jobTitle: 'Lead buyer' });
  });

  test.each([
    ['contact', { email2Address: 'x@y.z' }, true],
    ['contact', { businessCity: 'Paris' }, true],
    ['contact', { businessPhone: '1' }, true],
    ['contact', { surname: 'Li' }, false],
    ['appointment', { requiredAttendees: ['a@b.c'] }, true],
    ['appointment', { subject: 'x' }, false],
    ['task', { dueDate: '2026-01-01' }, false],
  ])('a %s update of %j needs the current item: %s', (entity, fields, expected) => {
    expect(needsCurrent(entity as SyncEntity, fields)).toBe(expected);
  });

  test('a changed city keeps the rest of the current business address', () => {
    expect(graphBody('contact', { businessCity: 'Paris' }, CONTACT)).toEqual({
      businessAddress: {
        street: '1 Main St',
        city: 'Paris',
        state: 'WA',
        postalCode: '98052',
        countryOrRegion: 'USA',
      },
    });
  });

  test('a changed second address keeps the first with its display name', () => {
    expect(graphBody('contact', { email2Address: 'ann@new.example' }, CONTACT)).toEqual({
      emailAddresses: [
        { address: 'ann@fabrikam.com', name: 'Ann Smith' },
        { address: 'ann@new.example', name: 'ann@new.example' },
      ],
    });
  });

  test('a changed business phone keeps the other business phones', () => {
    expect(graphBody('contact', { businessPhone: '+1 555 0111' }, CONTACT)).toEqual({
      businessPhones: ['+1 555 0111', '+1 555 0199'],
    });
  });

  test('a cleared business phone keeps the second in its place', () => {
    const body = graphBody('contact', { businessPhone: null }, CONTACT);
    expect(body).toEqual({ businessPhones: ['', '+1 555 0199'] });
  });

  test('a cleared business phone with the second kept reads back as cleared, the second still there', () => {
    const patched = { ...CONTACT, ...graphBody('contact', { businessPhone: null }, CONTACT) };
    expect(flatFields('contact', patched).businessPhone).toBeNull();
  });

  test('a business phone set again fills the first place', () => {
    const cleared = { ...CONTACT, businessPhones: ['', '+1 555 0199'] };
    expect(graphBody('contact', { businessPhone: '+1 555 0111' }, cleared)).toEqual({
      businessPhones: ['+1 555 0111', '+1 555 0199'],
    });
  });

  test('a cleared only home phone empties the list', () => {
    expect(graphBody('contact', { homePhone: null }, { homePhones: ['+1 555 0200'] })).toEqual({
      homePhones: [],
    });
  });

  test('a birthday is written at 12:00 UTC', () => {
    expect(graphBody('contact', { birthday: '1980-07-22' })).toEqual({ birthday: '1980-07-22T12:00:00Z' });
  });

  test('text bodies are written with \\n line endings and no trailing whitespace', () => {
    expect([
      graphBody('appointment', { body: 'Agenda\r\n- one\r\n' }),
      graphBody('task', { body: 'Call\rback  ' }),
      graphBody('contact', { personalNotes: 'Met\r\nat the fair\n\n' }),
    ]).toEqual([
      { body: { contentType: 'text', content: 'Agenda\n- one' } },
      { body: { contentType: 'text', content: 'Call\nback' } },
      { personalNotes: 'Met\nat the fair' },
    ]);
  });

  test('changed attendees keep the rooms', () => {
    const room = { type: 'resource', emailAddress: { address: 'room1@contoso.com', name: 'Room 1' } };
    const current = {
      attendees: [{ type: 'optional', emailAddress: { address: 'cy@contoso.com', name: 'Cy' } }, room],
    };
    expect(graphBody('appointment', { requiredAttendees: ['bo@contoso.com'] }, current)).toEqual({
      attendees: [
        { type: 'required', emailAddress: { address: 'bo@contoso.com' } },
        { type: 'optional', emailAddress: { address: 'cy@contoso.com', name: 'Cy' } },
        room,
      ],
    });
  });

  test('the organizer is never written', () => {
    expect(graphBody('appointment', { organizer: ['me@contoso.com'] })).toEqual({});
  });

  test('a cleared text is written as null and a cleared due date removes it', () => {
    expect([graphBody('contact', { jobTitle: null }), graphBody('task', { dueDate: null })]).toEqual([
      { jobTitle: null },
      { dueDateTime: null },
    ]);
  });
});

// -------------------------------------------------------------------------------------------------
// Properties

const junk = fc.oneof(fc.anything(), fc.string(), fc.constant(null), fc.constant(undefined));

test.each([['contact'], ['appointment'], ['task']])('reading any JSON as a %s never throws', (entity) => {
  fc.assert(
    fc.property(
      fc.oneof(
        junk,
        fc.dictionary(
          fc.constantFrom(
            'id',
            'start',
            'end',
            'attendees',
            'emailAddresses',
            'body',
            'dueDateTime',
            'linkedResources',
            'birthday',
          ),
          junk,
        ),
      ),
      (json) => {
        const reading = readSyncItem(entity as SyncEntity, json, { customPropertiesId: TAG_ID });
        expect(typeof reading.ok).toBe('boolean');
      },
    ),
  );
});

/** The catalog's value domains (syncFieldCatalog.ts header). */
const textValue = fc.option(fc.string({ minLength: 1, maxLength: 30 }), { nil: null });
/** A body's or note's domain: `\n` line endings, no trailing whitespace. */
const noteValue = fc.option(
  fc.string({ minLength: 1, maxLength: 30 }).filter((v) => !/\r/.test(v) && v.trimEnd() === v),
  { nil: null },
);
const dayValue = fc.option(
  fc
    .date({
      min: new Date('1900-01-01T00:00:00Z'),
      max: new Date('2099-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10)),
  { nil: null },
);
const instantAt = (from: number, to: number): fc.Arbitrary<string> =>
  fc.integer({ min: from, max: to }).map((s) => new Date(s * 1000).toISOString().replace(/\.000Z$/, 'Z'));
const addresses = fc.array(fc.emailAddress(), { maxLength: 4 }).map((list) => normalizeAddresses(list));
const oneOfOrNull = (...values: string[]): fc.Arbitrary<string | null> =>
  fc.option(fc.constantFrom(...values), { nil: null });

const T2026 = Date.parse('2026-01-01T00:00:00Z') / 1000;

const contactFields: fc.Arbitrary<SyncFields> = fc
  .record({
    ...Object.fromEntries(
      SYNC_FIELDS.contact
        .filter((f) => f.kind === 'text' && !/^email\dAddress$/.test(f.outlook))
        .map((f) => [f.outlook, f.outlook === 'personalNotes' ? noteValue : textValue]),
    ),
    companyName: textValue,
    birthday: dayValue,
    // Graph keeps a list without empty slots: a later address only after an earlier one.
    emails: fc.array(fc.emailAddress(), { maxLength: 3 }),
  })
  .map(({ emails, ...rest }) => ({
    ...rest,
    email1Address: emails[0] ?? null,
    email2Address: emails[1] ?? null,
    email3Address: emails[2] ?? null,
  }));

const timedEvent = fc
  .tuple(instantAt(T2026, T2026 + 400 * 86_400), fc.integer({ min: 0, max: 20 * 86_400 }))
  .map(([start, length]) => ({
    start,
    end: new Date(Date.parse(start) + length * 1000).toISOString().replace(/\.000Z$/, 'Z'),
    isAllDay: false,
  }));
const allDayEvent = fc
  .tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 14 }))
  .map(([day, days]) => ({
    start: new Date((T2026 + day * 86_400) * 1000).toISOString().replace(/\.000Z$/, 'Z'),
    end: new Date((T2026 + (day + days) * 86_400) * 1000).toISOString().replace(/\.000Z$/, 'Z'),
    isAllDay: true,
  }));

const eventFields: fc.Arbitrary<SyncFields> = fc
  .record({
    subject: textValue,
    location: textValue,
    body: noteValue,
    importance: fc.constantFrom('low', 'normal', 'high'),
    showAs: fc.constantFrom('free', 'tentative', 'busy', 'oof'),
    requiredAttendees: addresses,
    optionalAttendees: addresses,
    times: fc.oneof(timedEvent, allDayEvent),
  })
  .map(({ times, ...rest }) => ({ ...rest, ...times }));

const taskFields: fc.Arbitrary<SyncFields> = fc.record({
  title: textValue,
  body: noteValue,
  dueDate: dayValue,
  importance: fc.constantFrom('low', 'normal', 'high'),
  status: oneOfOrNull('notStarted', 'inProgress', 'waitingOnOthers', 'deferred', 'completed').map(
    (s) => s ?? 'notStarted',
  ),
});

/** What reading gives for the names a write covers (the organizer is read only). */
function written(entity: SyncEntity, fields: SyncFields): SyncFields {
  const read = flatFields(entity, graphBody(entity, fields));
  return Object.fromEntries(Object.keys(fields).map((name) => [name, read[name] ?? null]));
}

test.each([
  ['contact', contactFields],
  ['appointment', eventFields],
  ['task', taskFields],
] as const)('a %s written and read back gives the same normalized fields', (entity, fields) => {
  fc.assert(
    fc.property(fields, (value) => {
      expect(written(entity, value)).toEqual(value);
    }),
  );
});

test('an update written over the current item and read back changes the given fields and keeps the others', () => {
  // The address slots are left out: Graph's list has no empty slot, so clearing a first address moves the second up.
  const names = SYNC_FIELDS.contact.map((f) => f.outlook).filter((n) => !/^email\dAddress$/.test(n));
  fc.assert(
    fc.property(contactFields, contactFields, fc.subarray(names), (before, after, changedNames) => {
      const current = graphBody('contact', before);
      const changed = Object.fromEntries(changedNames.map((n) => [n, after[n] ?? null]));
      const patched = { ...current, ...graphBody('contact', changed, current) };
      expect(flatFields('contact', patched)).toEqual({ ...flatFields('contact', current), ...changed });
    }),
  );
});
