/**
 * A meeting as the ItemSnapshot the pane's item seams carry (src/app/appointmentItems.ts says why; OutlookMailbox.meetingOf reads it back),
 * remembering the AppointmentSnapshot it stands for.
 */
import type { AppointmentSnapshot } from '../app/appointmentPorts';
import type { ItemSnapshot } from '../app/ports';

const meetings = new WeakMap<ItemSnapshot, AppointmentSnapshot>();

/**
 * The meeting as an ItemSnapshot: its subject, organizer (as From) and attendees (as To and Cc), no
 * Message-ID (so no email rule could track it: they need one), in the folder `calendar`.
 */
export function meetingAsItem(meeting: AppointmentSnapshot): ItemSnapshot {
  const item: ItemSnapshot = {
    itemId: meeting.itemId,
    conversationId: null,
    facts: {
      messageId: null,
      subject: meeting.subject,
      direction: meeting.form === 'organizer' ? 'outgoing' : 'incoming',
      folder: 'calendar',
      from: meeting.organizer,
      to: meeting.requiredAttendees,
      cc: meeting.optionalAttendees,
      bcc: [],
      inReplyTo: null,
      references: [],
      threadIndex: null,
      receivedAt: null,
      composeType: null,
    },
    categories: meeting.categories,
    tag: meeting.tag,
    draftMark: null,
  };
  meetings.set(item, meeting);
  return item;
}

/** The meeting an ItemSnapshot stands for; null for an email. */
export function meetingBehind(item: ItemSnapshot): AppointmentSnapshot | null {
  return meetings.get(item) ?? null;
}
