/**
 * Calendar items: the attendee's AppointmentRead (plain values) and the organizer's AppointmentCompose
 * (async getters answering an AsyncResult), as @types/office-js describes them; the demo calendar.
 */
import {
  CALENDAR_FOLDER,
  loadDemoCalendar,
  loadDemoMailbox,
  type NewAppointmentInput,
} from '../../simulator';
import { ANN, BOB, DANA, FAILED, SUCCEEDED, call, simulator, value } from './helpers';

const CARLA = { emailAddress: 'carla@adventure-works.com', displayName: 'Carla Diaz' };

function meeting(overrides: Partial<NewAppointmentInput> = {}): NewAppointmentInput {
  return {
    subject: 'Pricing review',
    organizer: CARLA,
    requiredAttendees: [DANA, ANN],
    optionalAttendees: [BOB],
    start: new Date('2026-11-09T14:00:00Z'),
    end: new Date('2026-11-09T15:00:00Z'),
    location: 'Room 4',
    bodyText: 'Agenda',
    ...overrides,
  };
}

describe('an attendee sees the meeting as AppointmentRead', () => {
  test('its fields are plain values, the attendees as EmailAddressDetails', async () => {
    const sim = simulator();
    const added = sim.mailbox.addAppointment(meeting());
    await sim.mailbox.select(added.id);
    const item = sim.Office.context.mailbox.item as Office.AppointmentRead;
    expect(item.itemType).toBe('appointment');
    expect(item.itemId).toBe(added.id);
    expect(item.subject).toBe('Pricing review');
    expect(item.start.toISOString()).toBe('2026-11-09T14:00:00.000Z');
    expect(item.end.toISOString()).toBe('2026-11-09T15:00:00.000Z');
    expect(item.location).toBe('Room 4');
    expect(item.organizer.emailAddress).toBe(CARLA.emailAddress);
    expect(item.requiredAttendees.map((a) => a.emailAddress)).toEqual([DANA.emailAddress, ANN.emailAddress]);
    expect(item.optionalAttendees.map((a) => a.emailAddress)).toEqual([BOB.emailAddress]);
    expect((item as unknown as { isAllDayEvent: boolean }).isAllDayEvent).toBe(false);
    expect(await value<string>((cb) => item.body.getAsync('text', cb))).toBe('Agenda');
  });

  test('custom properties and categories are kept on the calendar item', async () => {
    const sim = simulator();
    const added = sim.mailbox.addAppointment(meeting());
    sim.mailbox.setMasterCategories([{ displayName: 'Tracked to CRM', color: 'Preset4' as never }]);
    await sim.mailbox.select(added.id);
    const item = sim.Office.context.mailbox.item as Office.AppointmentRead;
    const props = await value<Office.CustomProperties>((cb) => item.loadCustomPropertiesAsync(cb));
    props.set('crm', 'x');
    await value<void>((cb) => props.saveAsync(cb));
    await value<void>((cb) => item.categories.addAsync(['Tracked to CRM'], cb));
    const stored = sim.mailbox.getItem(added.id);
    expect(stored.customProperties).toEqual({ crm: 'x' });
    expect(stored.categories).toEqual(['Tracked to CRM']);
  });
});

describe('the organizer sees the meeting as AppointmentCompose', () => {
  test('getters are async and answer an AsyncResult', async () => {
    const sim = simulator();
    const added = sim.mailbox.addAppointment(meeting({ organizer: DANA, requiredAttendees: [ANN] }));
    await sim.mailbox.select(added.id);
    const item = sim.Office.context.mailbox.item as Office.AppointmentCompose;
    expect(item.itemType).toBe('appointment');
    expect(typeof item.subject).toBe('object');
    const subject = await call<string>((cb) => item.subject.getAsync(cb));
    expect(subject.status).toBe(SUCCEEDED);
    expect(subject.value).toBe('Pricing review');
    expect((await value<Date>((cb) => item.start.getAsync(cb))).toISOString()).toBe(
      '2026-11-09T14:00:00.000Z',
    );
    expect(await value<string>((cb) => item.location.getAsync(cb))).toBe('Room 4');
    expect((await value<Office.EmailAddressDetails>((cb) => item.organizer.getAsync(cb))).emailAddress).toBe(
      DANA.emailAddress,
    );
    const required = await value<Office.EmailAddressDetails[]>((cb) => item.requiredAttendees.getAsync(cb));
    expect(required.map((a) => a.emailAddress)).toEqual([ANN.emailAddress]);
    expect(await value<string>((cb) => item.getItemIdAsync(cb))).toBe(added.id);
  });

  test('setting the start keeps the duration, as Microsoft documents for Time.setAsync', async () => {
    const sim = simulator();
    const added = sim.mailbox.addAppointment(meeting({ organizer: DANA }));
    await sim.mailbox.select(added.id);
    const item = sim.Office.context.mailbox.item as Office.AppointmentCompose;
    await value<void>((cb) => item.start.setAsync(new Date('2026-11-10T09:00:00Z'), cb));
    expect(sim.mailbox.getItem(added.id).appointment?.end).toBe('2026-11-10T10:00:00.000Z');
  });

  test('a view of a meeting the user has left fails with 9030', async () => {
    const sim = simulator();
    const added = sim.mailbox.addAppointment(meeting({ organizer: DANA }));
    await sim.mailbox.select(added.id);
    const item = sim.Office.context.mailbox.item as Office.AppointmentCompose;
    await sim.mailbox.select(null);
    const result = await call<string>((cb) => item.subject.getAsync(cb));
    expect(result.status).toBe(FAILED);
    expect(result.error.code).toBe(9030);
  });
});

describe('the calendar', () => {
  test('is not a mail folder: its items are listed apart from mail', () => {
    const sim = simulator();
    const added = sim.mailbox.addAppointment(meeting());
    expect(sim.mailbox.allItems().map((i) => i.id)).not.toContain(added.id);
    expect(sim.mailbox.calendarItems().map((i) => i.id)).toEqual([added.id]);
    expect(sim.mailbox.folders().map((f) => f.id)).not.toContain(CALENDAR_FOLDER);
  });

  test('a meeting cannot end before it starts', () => {
    const sim = simulator();
    expect(() => sim.mailbox.addAppointment(meeting({ end: new Date('2026-11-09T13:00:00Z') }))).toThrow(
      /end before it starts/,
    );
  });

  test('survives a save and restore of the mailbox', () => {
    const sim = simulator();
    const added = sim.mailbox.addAppointment(meeting());
    const again = simulator();
    again.mailbox.restore(sim.mailbox.serialize());
    expect(again.mailbox.getItem(added.id).appointment).toEqual(sim.mailbox.getItem(added.id).appointment);
  });

  test('the demo calendar has a meeting Dana organizes with a CRM contact and an outside address, and one she attends', () => {
    const sim = simulator();
    loadDemoMailbox(sim.mailbox);
    const ids = loadDemoCalendar(sim.mailbox);
    const organized = sim.mailbox.getItem(ids.fabrikamReview);
    expect(organized.from?.emailAddress).toBe(DANA.emailAddress);
    expect(organized.to.map((a) => a.emailAddress)).toEqual(['ann@fabrikam.com', 'stranger@example.org']);
    const attended = sim.mailbox.getItem(ids.adventureWorksDemo);
    expect(attended.from?.emailAddress).not.toBe(DANA.emailAddress);
    expect(attended.to.map((a) => a.emailAddress)).toContain(DANA.emailAddress);
    expect(sim.mailbox.getItem(ids.fabrikamSiteVisit).appointment?.isAllDayEvent).toBe(true);
  });
});
