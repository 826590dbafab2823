/** The appointment use cases on fakes: status, Track (§2.4 parties, no duplicate, retry), Set Regarding, Untrack. */
import type {
  AppointmentMailboxPort,
  AppointmentSnapshot,
  PendingAppointment,
} from '../../../src/app/appointmentPorts';
import {
  appointmentOpened,
  setAppointmentRegarding,
  trackAppointment,
  untrackAppointment,
  type AppointmentDeps,
} from '../../../src/app/appointmentUseCases';
import type { Notice, TrackTag } from '../../../src/app/ports';
import { CrmForbiddenError, CrmNetworkError, CrmRequestError } from '../../../src/crm/errors';
import type {
  AppointmentParty,
  AppointmentToTrack,
  CrmAppointmentPort,
  TrackedAppointment,
} from '../../../src/crm/port';
import { TRACKED_CATEGORY } from '../../../src/mailbox/categories';
import type { CrmRecord, RecordRef } from '../../../src/rules/types';
import { harness } from '../../support/diagnostics';
import { itemOpened, trackItem } from '../../../src/app/itemUseCases';
import { contactAnn, readItem, USER_ID, userDana } from '../../support/fakes';

const detail = { status: null, code: null, requestId: null, request: 'POST $batch' };
const leadAnn: CrmRecord = { ...contactAnn, type: 'lead', id: 'l-ann', createdOn: '2021-01-01T00:00:00Z' };
const opportunity: RecordRef = { type: 'opportunity', id: 'o-1' };

/** A CRM's appointments in memory, keyed as the adapter keys them: per user and Outlook item. */
class FakeAppointments implements CrmAppointmentPort {
  readonly rows = new Map<
    string,
    { userId: string; appointment: AppointmentToTrack; regarding: RecordRef | null }
  >();
  readonly failures: unknown[] = [];
  creates = 0;

  async trackAppointment(userId: string, appointment: AppointmentToTrack) {
    const failure = this.failures.shift();
    if (failure) throw failure;
    const key = `appt:${userId}:${appointment.itemKey}`;
    if (this.rows.has(key)) return { activityId: key, existed: true };
    this.creates += 1;
    this.rows.set(key, { userId, appointment, regarding: appointment.regarding });
    return { activityId: key, existed: false };
  }

  async findAppointment(activityId: string): Promise<TrackedAppointment | null> {
    const row = this.rows.get(activityId);
    if (!row) return null;
    return {
      activityId,
      subject: row.appointment.subject,
      regarding: row.regarding,
      regardingName: null,
      parties: row.appointment.attendees.flatMap((a): AppointmentParty[] =>
        a.records.length
          ? a.records.map((record) => ({ role: a.role, address: a.address, record, name: null }))
          : [{ role: a.role, address: a.address, record: null, name: null }],
      ),
    };
  }

  async setAppointmentRegarding(activityId: string, regarding: RecordRef | null) {
    const row = this.rows.get(activityId);
    if (row) row.regarding = regarding;
  }

  async untrackAppointment(activityId: string) {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.rows.delete(activityId);
  }
}

class FakeCalendar implements AppointmentMailboxPort {
  readonly notices: Notice[] = [];
  stored: PendingAppointment[] = [];
  constructor(public item: AppointmentSnapshot) {}
  meetingOf() {
    return null;
  }
  appointmentRetries() {
    return {
      load: async () => this.stored,
      save: async (list: readonly PendingAppointment[]) => void (this.stored = [...list]),
    };
  }
  async currentAppointment() {
    return this.item;
  }
  async appointmentBody() {
    return 'Agenda';
  }
  async tagTracked(_itemId: string, tag: TrackTag) {
    this.item = {
      ...this.item,
      tag,
      categories: [...new Set([...this.item.categories, TRACKED_CATEGORY])],
    };
  }
  async removeTags() {
    this.item = {
      ...this.item,
      tag: null,
      categories: this.item.categories.filter((c) => c !== TRACKED_CATEGORY),
    };
  }
  async notify(_itemId: string | null, notice: Notice) {
    this.notices.push(notice);
  }
}

function meeting(extra: Partial<AppointmentSnapshot> = {}): AppointmentSnapshot {
  return {
    itemId: 'cal-1',
    form: 'organizer',
    subject: 'Q3 pricing review',
    start: '2026-11-09T14:00:00.000Z',
    end: '2026-11-09T15:00:00.000Z',
    isAllDayEvent: false,
    location: 'Teams meeting',
    organizer: { address: 'dana@contoso.com', name: 'Dana Park' },
    requiredAttendees: [
      { address: 'ann@fabrikam.com', name: 'Ann Lee' },
      { address: 'stranger@example.org', name: 'Alex Stranger' },
    ],
    optionalAttendees: [],
    categories: [],
    tag: null,
    ...extra,
  };
}

async function setUp(
  records: CrmRecord[] = [contactAnn, userDana],
  settings: { organization?: Record<string, unknown> } = {},
) {
  const h = harness();
  h.crm.records = records;
  h.crm.settings = { organization: settings.organization ?? {}, user: {} };
  const appointments = new FakeAppointments();
  const session = { ...(await h.session()), crm: Object.assign(h.crm, { appointments }) };
  const calendar = new FakeCalendar(meeting());
  const deps: AppointmentDeps = { session, mailbox: calendar, pending: calendar.appointmentRetries() };
  return { h, appointments, calendar, deps, pending: () => calendar.stored };
}

describe('trackAppointment', () => {
  test('the organizer and attendees resolve to records by §2.4; an unknown address stays unresolved', async () => {
    const { appointments, calendar, deps } = await setUp();
    const result = await trackAppointment(deps, calendar.item);
    expect(result.status).toBe('tracked');
    const [row] = [...appointments.rows.values()];
    expect(row?.appointment.attendees).toEqual([
      { role: 'organizer', address: 'dana@contoso.com', records: [{ type: 'systemuser', id: USER_ID }] },
      { role: 'required', address: 'ann@fabrikam.com', records: [{ type: 'contact', id: 'c-ann' }] },
      { role: 'required', address: 'stranger@example.org', records: [] },
    ]);
  });

  test('an attendee matching several records resolves to all of them', async () => {
    const { appointments, calendar, deps } = await setUp([contactAnn, leadAnn, userDana]);
    await trackAppointment(deps, calendar.item);
    const ann = [...appointments.rows.values()][0]?.appointment.attendees.find(
      (a) => a.address === 'ann@fabrikam.com',
    );
    expect(ann?.records).toEqual([
      { type: 'contact', id: 'c-ann' },
      { type: 'lead', id: 'l-ann' },
    ]);
  });

  test('with unresolveemailaddressifmultiplematch, an attendee matching several records stays unresolved', async () => {
    const { appointments, calendar, deps } = await setUp([contactAnn, leadAnn, userDana], {
      organization: { unresolveemailaddressifmultiplematch: true },
    });
    await trackAppointment(deps, calendar.item);
    const ann = [...appointments.rows.values()][0]?.appointment.attendees.find(
      (a) => a.address === 'ann@fabrikam.com',
    );
    expect(ann?.records).toEqual([]);
  });

  test('an organizer matching several records resolves to the one created first, as a sender does', async () => {
    const { appointments, calendar, deps } = await setUp([contactAnn, leadAnn]);
    calendar.item = meeting({
      organizer: { address: 'ann@fabrikam.com', name: 'Ann Lee' },
      requiredAttendees: [],
    });
    await trackAppointment(deps, calendar.item);
    const organizer = [...appointments.rows.values()][0]?.appointment.attendees[0];
    expect(organizer).toEqual({
      role: 'organizer',
      address: 'ann@fabrikam.com',
      records: [{ type: 'contact', id: 'c-ann' }],
    });
  });

  test('the appointment carries the meeting: subject, times, all-day, location, body', async () => {
    const { appointments, calendar, deps } = await setUp();
    calendar.item = meeting({
      isAllDayEvent: true,
      start: '2026-11-12T00:00:00.000Z',
      end: '2026-11-13T00:00:00.000Z',
    });
    await trackAppointment(deps, calendar.item);
    expect([...appointments.rows.values()][0]?.appointment).toMatchObject({
      itemKey: 'cal-1',
      subject: 'Q3 pricing review',
      start: '2026-11-12T00:00:00.000Z',
      end: '2026-11-13T00:00:00.000Z',
      isAllDayEvent: true,
      location: 'Teams meeting',
      body: 'Agenda',
    });
  });

  test('the item is tagged with the activity id and the Tracked to CRM category, and the user told', async () => {
    const { calendar, deps } = await setUp();
    const result = await trackAppointment(deps, calendar.item);
    expect(calendar.item.tag).toEqual({ activityId: result.activityId, regarding: null });
    expect(calendar.item.categories).toContain(TRACKED_CATEGORY);
    expect(calendar.notices.map((n) => n.kind)).toEqual(['tracked']);
  });

  test('a second track finds the first appointment: no duplicate', async () => {
    const { appointments, calendar, deps } = await setUp();
    const first = await trackAppointment(deps, calendar.item);
    const second = await trackAppointment(deps, calendar.item);
    expect(second).toMatchObject({
      status: 'tracked',
      activityId: first.activityId,
      message: 'Already tracked in the CRM.',
    });
    expect(appointments.creates).toBe(1);
  });

  test('a second track of an item whose tag was lost still finds the first (the key, not the tag)', async () => {
    const { appointments, calendar, deps } = await setUp();
    const first = await trackAppointment(deps, calendar.item);
    await calendar.removeTags();
    const second = await trackAppointment(deps, calendar.item);
    expect(second.activityId).toBe(first.activityId);
    expect(appointments.creates).toBe(1);
  });

  test('the regarding the user chose is written', async () => {
    const { appointments, calendar, deps } = await setUp();
    await trackAppointment(deps, calendar.item, opportunity);
    expect([...appointments.rows.values()][0]?.regarding).toEqual(opportunity);
  });

  test('OverrideTrackInCrmBehaviour 1 without a regarding and no dialog: needs a regarding, nothing created', async () => {
    const { appointments, calendar, deps } = await setUp([contactAnn], {
      organization: {
        orgdborgsettings:
          '<OrgSettings><OverrideTrackInCrmBehaviour>1</OverrideTrackInCrmBehaviour></OrgSettings>',
      },
    });
    const result = await trackAppointment(deps, calendar.item);
    expect(result.status).toBe('needs-regarding');
    expect(appointments.creates).toBe(0);
  });

  test('OverrideTrackInCrmBehaviour 1: the record chosen in the dialog is the regarding', async () => {
    const { appointments, calendar, deps } = await setUp([contactAnn], {
      organization: {
        orgdborgsettings:
          '<OrgSettings><OverrideTrackInCrmBehaviour>1</OverrideTrackInCrmBehaviour></OrgSettings>',
      },
    });
    const result = await trackAppointment(deps, calendar.item, null, {
      chooseRegarding: async () => opportunity,
    });
    expect(result.status).toBe('tracked');
    expect([...appointments.rows.values()][0]?.regarding).toEqual(opportunity);
  });

  test('a CRM that cannot be reached keeps the track for retry and says so', async () => {
    const { appointments, calendar, deps, pending } = await setUp();
    appointments.failures.push(new CrmNetworkError('offline', detail));
    const result = await trackAppointment(deps, calendar.item, opportunity);
    expect(result.status).toBe('pending');
    expect(pending()).toMatchObject([{ itemId: 'cal-1', regarding: opportunity, attempts: 1 }]);
    expect(calendar.notices.at(-1)?.text).toMatch(/tried again/);
  });

  test('the kept track is delivered when the appointment is opened again, and leaves the list', async () => {
    const { appointments, calendar, deps, pending } = await setUp();
    appointments.failures.push(new CrmNetworkError('offline', detail));
    await trackAppointment(deps, calendar.item, opportunity);
    const opened = await appointmentOpened(deps, calendar.item);
    expect(opened).toMatchObject({ status: 'tracked', regarding: opportunity });
    expect(pending()).toEqual([]);
  });

  test('a CRM that refuses the track says why, and keeps nothing', async () => {
    const { appointments, calendar, deps, pending } = await setUp();
    appointments.failures.push(new CrmRequestError('Bad request', { ...detail, status: 400 }));
    const result = await trackAppointment(deps, calendar.item);
    expect(result.status).toBe('failed');
    expect(pending()).toEqual([]);
    expect(calendar.notices.at(-1)?.kind).toBe('failed');
  });
});

describe('appointmentOpened', () => {
  test('not tracked: the attendees as they would resolve', async () => {
    const { calendar, deps } = await setUp();
    const result = await appointmentOpened(deps, calendar.item);
    expect(result.status).toBe('not-tracked');
    expect(result.attendees.find((a) => a.address === 'ann@fabrikam.com')?.records).toEqual([
      { ref: { type: 'contact', id: 'c-ann' }, name: 'Ann Lee' },
    ]);
  });

  test('tracked: the parties the CRM holds', async () => {
    const { calendar, deps } = await setUp();
    await trackAppointment(deps, calendar.item);
    const result = await appointmentOpened(deps, calendar.item);
    expect(result.status).toBe('tracked');
    expect(result.attendees.map((a) => `${a.role} ${a.address} ${a.records.length}`)).toEqual([
      'organizer dana@contoso.com 1',
      'required ann@fabrikam.com 1',
      'required stranger@example.org 0',
    ]);
  });

  test('a tag whose appointment is gone from the CRM is removed', async () => {
    const { calendar, deps } = await setUp();
    calendar.item = meeting({ tag: { activityId: 'gone', regarding: null }, categories: [TRACKED_CATEGORY] });
    const result = await appointmentOpened(deps, calendar.item);
    expect(result.status).toBe('not-tracked');
    expect(calendar.item.tag).toBeNull();
  });
});

describe('setAppointmentRegarding and untrackAppointment', () => {
  test('Set Regarding on a tracked appointment changes it in the CRM and on the tag', async () => {
    const { appointments, calendar, deps } = await setUp();
    const tracked = await trackAppointment(deps, calendar.item);
    const result = await setAppointmentRegarding(deps, calendar.item, opportunity, 'Q3 deal');
    expect(appointments.rows.get(tracked.activityId as string)?.regarding).toEqual(opportunity);
    expect(calendar.item.tag?.regarding).toEqual(opportunity);
    expect(result).toMatchObject({ status: 'tracked', regarding: opportunity, regardingName: 'Q3 deal' });
  });

  test('Set Regarding on an appointment not tracked tracks it with that regarding', async () => {
    const { appointments, calendar, deps } = await setUp();
    const result = await setAppointmentRegarding(deps, calendar.item, opportunity);
    expect(result.status).toBe('tracked');
    expect([...appointments.rows.values()][0]?.regarding).toEqual(opportunity);
  });

  test('Untrack deletes the appointment and removes the tags', async () => {
    const { appointments, calendar, deps } = await setUp();
    await trackAppointment(deps, calendar.item);
    const result = await untrackAppointment(deps, calendar.item);
    expect(result.status).toBe('not-tracked');
    expect(appointments.rows.size).toBe(0);
    expect(calendar.item.tag).toBeNull();
  });

  test('Untrack the user may not delete: only the tags go, and the user is told why', async () => {
    const { appointments, calendar, deps } = await setUp();
    await trackAppointment(deps, calendar.item);
    appointments.failures.push(new CrmForbiddenError('Forbidden', { ...detail, status: 403 }));
    const result = await untrackAppointment(deps, calendar.item);
    expect(appointments.rows.size).toBe(1);
    expect(calendar.item.tag).toBeNull();
    expect(result.message).toMatch(/stays in the CRM/);
  });
});

describe('a meeting given to the item use cases (the pane has one kind of selected item)', () => {
  test('itemOpened and trackItem hand it to the appointment use cases: no email is tracked', async () => {
    const { h, appointments, calendar, deps } = await setUp();
    const item = readItem({ messageId: null, folder: 'calendar' }, { itemId: calendar.item.itemId });
    const mailbox = Object.assign(h.mailbox, {
      meetingOf: (given: unknown) => (given === item ? calendar.item : null),
      appointmentRetries: () => calendar.appointmentRetries(),
      currentAppointment: () => calendar.currentAppointment(),
      appointmentBody: () => calendar.appointmentBody(),
      // The meeting's tags and notices are the calendar item's, as the Office.js adapter writes them.
      tagTracked: (itemId: string, tag: TrackTag) => calendar.tagTracked(itemId, tag),
      removeTags: () => calendar.removeTags(),
      notify: (itemId: string | null, notice: Notice) => calendar.notify(itemId, notice),
    });
    const session = { ...deps.session, mailbox };
    expect((await itemOpened(session, item)).appointment?.attendees).toHaveLength(3);
    const tracked = await trackItem(session, item);
    expect(tracked).toMatchObject({ status: 'tracked', decision: null });
    expect(appointments.creates).toBe(1);
    expect(h.crm.count('trackEmails')).toBe(0);
  });
});
