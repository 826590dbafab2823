/**
 * A meeting seen through the email's item seams (issue 12): the pane's selection, its cache and its
 * actions know one kind of selected item, the ItemSnapshot, and one kind of state, the ItemState. The
 * mailbox gives a meeting as an ItemSnapshot that remembers the AppointmentSnapshot it stands for
 * (the port's `meetingOf`), so that the item use cases hand it to the appointment use cases, never
 * to the email rules; here an AppointmentState goes back to the card as an ItemState with the meeting's details.
 */
import type { AppointmentSnapshot } from './appointmentPorts';
import type { AppointmentState } from './appointmentUseCases';
import { refKey, type ItemState } from './itemState';

/** An appointment's state as the card's ItemState: no email decision; the meeting's details instead. */
export function meetingState(meeting: AppointmentSnapshot, state: AppointmentState): ItemState {
  const names: Record<string, string> = {};
  for (const attendee of state.attendees)
    for (const record of attendee.records) if (record.name) names[refKey(record.ref)] = record.name;
  if (state.regarding && state.regardingName) names[refKey(state.regarding)] = state.regardingName;
  return {
    itemId: state.itemId,
    status: state.status,
    activityId: state.activityId,
    regarding: state.regarding,
    decision: null,
    message: state.message,
    error: state.error,
    names,
    senderMatchCount: null,
    appointment: {
      form: meeting.form,
      start: meeting.start,
      end: meeting.end,
      isAllDayEvent: meeting.isAllDayEvent,
      location: meeting.location,
      attendees: state.attendees,
    },
  };
}
