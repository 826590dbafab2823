/** The Office.js adapter reading meetings on the simulator: both forms, not mistaken for mail, tagged as mail is. */
import { officeMeetings } from '../../../src/mailbox/meetingReader';
import { OutlookMailbox } from '../../../src/mailbox/outlookMailbox';
import { TRACKED_CATEGORY } from '../../../src/mailbox/categories';
import { RoamingStore } from '../../../src/mailbox/roamingStore';
import {
  createOfficeSimulator,
  loadDemoCalendar,
  loadDemoMailbox,
  type OfficeSimulator,
} from '../../../simulator';
import { RecordingLog } from '../../support/diagnostics';

let sim: OfficeSimulator;
let uninstall: () => void;
let ids: ReturnType<typeof loadDemoCalendar>;
let mailbox: OutlookMailbox;

beforeEach(() => {
  sim = createOfficeSimulator({ user: { emailAddress: 'dana@contoso.com', displayName: 'Dana Park' } });
  uninstall = sim.install(globalThis);
  loadDemoMailbox(sim.mailbox);
  ids = loadDemoCalendar(sim.mailbox);
  mailbox = new OutlookMailbox(sim.Office.context.mailbox as unknown as Office.Mailbox, {
    log: new RecordingLog(),
    meetings: () => Promise.resolve(officeMeetings),
  });
});
afterEach(() => uninstall());

test('a mailbox given no meeting reader (the event runtime) reads no meeting, and gives no item for one', async () => {
  const mailOnly = new OutlookMailbox(sim.Office.context.mailbox as unknown as Office.Mailbox, {
    log: new RecordingLog(),
  });
  await sim.mailbox.select(ids.adventureWorksDemo);
  expect(await mailOnly.currentAppointment()).toBeNull();
  expect(await mailOnly.currentItem()).toBeNull();
});

test("an attendee's meeting is read from AppointmentRead", async () => {
  await sim.mailbox.select(ids.adventureWorksDemo);
  const item = await mailbox.currentAppointment();
  expect(item).toMatchObject({
    itemId: ids.adventureWorksDemo,
    form: 'attendee',
    subject: 'Adventure Works product demo',
    organizer: { address: 'carla@adventure-works.com' },
    requiredAttendees: [{ address: 'dana@contoso.com' }],
    optionalAttendees: [{ address: 'evan@wingtiptoys.com' }],
    location: 'Adventure Works, room 4',
    isAllDayEvent: false,
  });
});

test("the organizer's meeting is read through AppointmentCompose's async getters, its id from getItemIdAsync", async () => {
  await sim.mailbox.select(ids.fabrikamSiteVisit);
  const item = await mailbox.currentAppointment();
  expect(item).toMatchObject({
    itemId: ids.fabrikamSiteVisit,
    form: 'organizer',
    subject: 'Fabrikam site visit',
    organizer: { address: 'dana@contoso.com' },
    requiredAttendees: [{ address: 'bob@fabrikam.com' }],
    isAllDayEvent: true,
  });
  expect(item?.start).toBe(sim.mailbox.getItem(ids.fabrikamSiteVisit).appointment?.start);
});

test('a meeting is never read as mail: the item it gives stands for the meeting and has no Message-ID', async () => {
  await sim.mailbox.select(ids.adventureWorksDemo);
  const item = await mailbox.currentItem();
  expect(item?.facts.messageId).toBeNull();
  expect(mailbox.meetingOf(item!)?.subject).toBe('Adventure Works product demo');
});

test("the organizer's meeting form is not a draft", async () => {
  await sim.mailbox.select(ids.fabrikamReview);
  expect(await mailbox.currentDraft()).toBeNull();
});

test("the organizer's meeting is tagged as an email is: custom property and category", async () => {
  await sim.mailbox.select(ids.fabrikamReview);
  const item = await mailbox.currentAppointment();
  await mailbox.tagTracked(item?.itemId as string, { activityId: 'a-1', regarding: null });
  const stored = sim.mailbox.getItem(ids.fabrikamReview);
  expect(stored.categories).toEqual([TRACKED_CATEGORY]);
  expect((await mailbox.currentAppointment())?.tag).toEqual({ activityId: 'a-1', regarding: null });
});

test('appointment tracks kept for retry survive in roaming settings', async () => {
  const store = new RoamingStore(sim.Office.context.roamingSettings).appointmentPending();
  await store.save([{ itemId: ids.fabrikamReview, regarding: null, attempts: 1, lastError: 'away' }]);
  const again = new RoamingStore(sim.Office.context.roamingSettings).appointmentPending();
  expect(await again.load()).toEqual([
    { itemId: ids.fabrikamReview, regarding: null, attempts: 1, lastError: 'away' },
  ]);
});
