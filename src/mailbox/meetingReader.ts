/**
 * The selected meeting read through Office.js (issue 12), given to OutlookMailbox as its `meetings`
 * option by the runtimes that show meetings (the pane, the ribbon command): events.js, whose compose
 * handlers never see a meeting, does not carry it (its 40 KB gz budget), and the pane loads it as a
 * chunk when a meeting is first selected.
 */
import type { AppointmentSnapshot } from '../app/appointmentPorts';
import type { DiagnosticsLog, ItemSnapshot } from '../app/ports';
import { CUSTOM_PROPERTY, decodeTag } from '../mail/marks';
import { toAddress, toAddresses } from '../mail/officeFacts';
import { meetingAsItem, meetingBehind } from './meetingItems';
import { officeCall } from './officeAsync';
import type { CalendarItem } from './outlookMailbox';

/** What OutlookMailbox asks of the meeting code. */
export interface MeetingReader {
  /** The calendar item in the form Outlook opened it. */
  read(item: CalendarItem, log: DiagnosticsLog): Promise<AppointmentSnapshot>;
  /** The meeting as the item the pane's seams carry, and back (meetingItems.ts). */
  asItem(meeting: AppointmentSnapshot): ItemSnapshot;
  behind(item: ItemSnapshot): AppointmentSnapshot | null;
}

export const officeMeetings: MeetingReader = {
  read: readMeeting,
  asItem: meetingAsItem,
  behind: meetingBehind,
};

/** `isAllDayEvent` (Mailbox 1.13) is newer than the @types/office-js in use: a boolean when reading, an object when composing. */
type AllDay = { isAllDayEvent?: boolean | { getAsync(cb: (r: Office.AsyncResult<boolean>) => void): void } };

/**
 * The selected meeting: an attendee's AppointmentRead is read from its properties; the organizer's
 * AppointmentCompose through its async getters (and getItemIdAsync for its id). `isAllDayEvent`
 * needs Mailbox 1.13: on an older client a meeting counts as not all-day (chosen).
 */
export async function readMeeting(item: CalendarItem, log: DiagnosticsLog): Promise<AppointmentSnapshot> {
  const [categories, properties] = await Promise.all([
    officeCall<Office.CategoryDetails[] | null>('Reading the categories', (cb) =>
      item.categories.getAsync(cb),
    ),
    officeCall<Office.CustomProperties>("Reading the add-in's item data", (cb) =>
      item.loadCustomPropertiesAsync(cb),
    ),
  ]);
  const common = {
    categories: (categories ?? []).map((c) => c.displayName),
    tag: decodeTag(properties.get(CUSTOM_PROPERTY), log),
  };
  const allDay = (item as AllDay).isAllDayEvent;
  if (typeof item.subject === 'string') {
    const read = item as Office.AppointmentRead;
    return {
      itemId: read.itemId,
      form: 'attendee',
      subject: read.subject,
      start: read.start.toISOString(),
      end: read.end.toISOString(),
      isAllDayEvent: allDay === true,
      location: read.location ?? '',
      organizer: toAddress(read.organizer) ?? null,
      requiredAttendees: toAddresses(read.requiredAttendees ?? []),
      optionalAttendees: toAddresses(read.optionalAttendees ?? []),
      ...common,
    };
  }
  const compose = item as Office.AppointmentCompose;
  const [id, subject, start, end, location, organizer, required, optional, isAllDay] = await Promise.all([
    officeCall<string>('Reading the meeting id', (cb) => compose.getItemIdAsync(cb)),
    officeCall<string>('Reading the subject', (cb) => compose.subject.getAsync(cb)),
    officeCall<Date>('Reading the start', (cb) => compose.start.getAsync(cb)),
    officeCall<Date>('Reading the end', (cb) => compose.end.getAsync(cb)),
    officeCall<string>('Reading the location', (cb) => compose.location.getAsync(cb)),
    officeCall<Office.EmailAddressDetails>('Reading the organizer', (cb) => compose.organizer.getAsync(cb)),
    officeCall<Office.EmailAddressDetails[]>('Reading the required attendees', (cb) =>
      compose.requiredAttendees.getAsync(cb),
    ),
    officeCall<Office.EmailAddressDetails[]>('Reading the optional attendees', (cb) =>
      compose.optionalAttendees.getAsync(cb),
    ),
    typeof allDay === 'object' && allDay
      ? officeCall<boolean>('Reading all-day', (cb) => allDay.getAsync(cb))
      : Promise.resolve(false),
  ]);
  return {
    itemId: id,
    form: 'organizer',
    subject,
    start: start.toISOString(),
    end: end.toISOString(),
    isAllDayEvent: isAllDay,
    location: location ?? '',
    organizer: toAddress(organizer) ?? null,
    requiredAttendees: toAddresses(required),
    optionalAttendees: toAddresses(optional),
    ...common,
  };
}
