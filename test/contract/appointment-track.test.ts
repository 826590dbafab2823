/**
 * The adapter's appointments held to the emulator's `appointment` table (Appointment table reference:
 * attendees as activity parties through appointment_activity_parties, 5 required, 6 optional, 7 organizer).
 */
import type { Emulator } from '../../emulator/server';
import { DEMO } from '../../emulator/seed';
import { NO_TOKEN } from '../../src/crm/auth';
import { appointmentKey, dataverseAppointments } from '../../src/crm/appointments';
import { DataverseAdapter } from '../../src/crm/dataverseAdapter';
import { DataverseHttp } from '../../src/crm/dataverseHttp';
import { nameUuid } from '../../src/crm/nameUuid';
import type { AppointmentToTrack, CrmAppointmentPort } from '../../src/crm/port';
import { startDemoEmulator } from '../support/demoEmulator';

let emu: Emulator;
let http: DataverseHttp;
let appointments: CrmAppointmentPort;

beforeAll(async () => {
  emu = await startDemoEmulator('appointment-track');
  http = new DataverseHttp({
    orgUrl: emu.url.replace(/\/api\/data\/v9\.2\/?$/, ''),
    tokens: NO_TOKEN,
    timeoutMs: 2000,
    sleep: async () => {},
    retry: { baseDelayMs: 10, maxDelayMs: 40 },
  });
  const crm = new DataverseAdapter(http, {
    sleep: async () => {},
    random: () => 0,
    appointments: dataverseAppointments,
  });
  if (!crm.appointments) throw new Error('the adapter was given its appointments');
  appointments = crm.appointments;
});

afterAll(async () => {
  await emu?.close();
});

let serial = 0;
const uniqueKey = (): string => `AAMkAGI2-appointment-${Date.now().toString(36)}-${(serial += 1)}`;

async function createContact(email: string): Promise<string> {
  const { headers } = await http.send('POST', 'contacts', {
    body: { lastname: email.split('@')[0], emailaddress1: email },
    idempotent: false,
  });
  return /\(([^)]+)\)$/.exec(headers.get('odata-entityid') ?? '')?.[1] as string;
}

function meeting(extra: Partial<AppointmentToTrack> = {}): AppointmentToTrack {
  return {
    itemKey: uniqueKey(),
    subject: 'Q3 pricing review',
    start: '2026-11-09T14:00:00Z',
    end: '2026-11-09T15:00:00Z',
    isAllDayEvent: false,
    location: 'Teams meeting',
    body: 'Agenda',
    regarding: null,
    attendees: [],
    ...extra,
  };
}

interface PartyRow {
  participationtypemask: number;
  addressused: string | null;
  _partyid_value: string | null;
}

async function partiesOf(activityId: string): Promise<PartyRow[]> {
  const { body } = await http.send(
    'GET',
    `appointments(${activityId})?$select=activityid&$expand=appointment_activity_parties($select=participationtypemask,addressused,_partyid_value)`,
    { idempotent: true },
  );
  return (body as { appointment_activity_parties: PartyRow[] }).appointment_activity_parties;
}

describe('trackAppointment', () => {
  test('writes the organizer as 7, required attendees as 5 and optional ones as 6, unresolved by address', async () => {
    const contact = await createContact(`ann.${serial}@appointments.test`);
    const { activityId } = await appointments.trackAppointment(DEMO.me, {
      ...meeting(),
      attendees: [
        {
          role: 'organizer',
          address: 'dana@contoso.com',
          records: [{ type: 'systemuser', id: DEMO.me }],
        },
        { role: 'required', address: 'ann@appointments.test', records: [{ type: 'contact', id: contact }] },
        { role: 'required', address: 'stranger@example.org', records: [] },
        { role: 'optional', address: 'sam@contoso.com', records: [] },
      ],
    });
    const parties = await partiesOf(activityId);
    const summary = parties
      .map((p) => `${p.participationtypemask} ${p.addressused ?? ''} ${p._partyid_value ?? '-'}`)
      .sort();
    expect(summary).toEqual(
      [
        `7 dana@contoso.com ${DEMO.me}`,
        `5 ann@appointments.test ${contact}`,
        '5 stranger@example.org -',
        '6 sam@contoso.com -',
      ].sort(),
    );
  });

  test('writes the subject, the times, all-day, location, description and the regarding record', async () => {
    const account = await http.send('POST', 'accounts', {
      body: { name: 'Fabrikam appointments' },
      idempotent: false,
    });
    const accountId = /\(([^)]+)\)$/.exec(account.headers.get('odata-entityid') ?? '')?.[1] as string;
    const { activityId } = await appointments.trackAppointment(
      DEMO.me,
      meeting({
        isAllDayEvent: true,
        start: '2026-11-12T00:00:00Z',
        end: '2026-11-13T00:00:00Z',
        regarding: { type: 'account', id: accountId },
      }),
    );
    const { body } = await http.send(
      'GET',
      `appointments(${activityId})?$select=subject,scheduledstart,scheduledend,isalldayevent,location,description,_regardingobjectid_value,statecode`,
      { idempotent: true },
    );
    expect(body).toMatchObject({
      subject: 'Q3 pricing review',
      scheduledstart: '2026-11-12T00:00:00Z',
      scheduledend: '2026-11-13T00:00:00Z',
      isalldayevent: true,
      location: 'Teams meeting',
      description: 'Agenda',
      _regardingobjectid_value: accountId,
      statecode: 3,
    });
  });

  test('a second track of the same item by the same user finds the first (no duplicate)', async () => {
    const item = meeting();
    const first = await appointments.trackAppointment(DEMO.me, item);
    const second = await appointments.trackAppointment(DEMO.me, item);
    expect(first.existed).toBe(false);
    expect(second).toEqual({ activityId: first.activityId, existed: true });
  });

  test('two tracks at once (the ribbon and the pane) make one appointment: the later create meets the duplicate key', async () => {
    const item = meeting();
    const results = await Promise.all([
      appointments.trackAppointment(DEMO.me, item),
      appointments.trackAppointment(DEMO.me, item),
    ]);
    expect(new Set(results.map((r) => r.activityId)).size).toBe(1);
    expect(results.filter((r) => !r.existed)).toHaveLength(1);
  });

  test("the appointment's id is derived from the user and the item", async () => {
    const item = meeting();
    const { activityId } = await appointments.trackAppointment(DEMO.me, item);
    expect(activityId).toBe(appointmentKey(nameUuid, DEMO.me, item.itemKey));
  });
});

describe('findAppointment, setAppointmentRegarding, untrackAppointment', () => {
  test('finds the appointment with its parties resolved to records', async () => {
    const contact = await createContact(`bob.${serial}@appointments.test`);
    const { activityId } = await appointments.trackAppointment(
      DEMO.me,
      meeting({
        attendees: [
          { role: 'required', address: 'bob@appointments.test', records: [{ type: 'contact', id: contact }] },
        ],
      }),
    );
    const found = await appointments.findAppointment(activityId);
    expect(found?.parties).toEqual([
      expect.objectContaining({
        role: 'required',
        address: 'bob@appointments.test',
        record: { type: 'contact', id: contact },
      }),
    ]);
  });

  test('sets and clears the regarding record', async () => {
    const contact = await createContact(`carl.${serial}@appointments.test`);
    const { activityId } = await appointments.trackAppointment(DEMO.me, meeting());
    await appointments.setAppointmentRegarding(activityId, { type: 'contact', id: contact });
    expect((await appointments.findAppointment(activityId))?.regarding).toEqual({
      type: 'contact',
      id: contact,
    });
    await appointments.setAppointmentRegarding(activityId, null);
    expect((await appointments.findAppointment(activityId))?.regarding).toBeNull();
  });

  test('an untracked appointment is no longer found', async () => {
    const { activityId } = await appointments.trackAppointment(DEMO.me, meeting());
    await appointments.untrackAppointment(activityId);
    expect(await appointments.findAppointment(activityId)).toBeNull();
  });
});

test('an adapter given no appointments (the event runtime) offers none', () => {
  expect(new DataverseAdapter(http).appointments).toBeUndefined();
});
