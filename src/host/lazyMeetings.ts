/**
 * Meeting support for the pane and the ribbon, its code (the meeting reader, the CRM's appointments)
 * loaded when a meeting is first shown or clicked, in the "meetings" chunk: commands.js is held to
 * 40 KB gz, the pane's first JavaScript to its budget, and a mail item never needs it. A meeting click already
 * loads the appointment use cases' chunk, so the two loads run together. A chunk that cannot load is a retryable network error (lazyPart.ts): the
 * meeting is kept for retry as when the CRM is away.
 */
import type { DataverseAccess } from '../crm/dataverseAdapter';
import { loadPart } from '../crm/lazyPart';
import type { CrmAppointmentPort } from '../crm/port';
import type { MeetingSupport } from './outlookSession';

function lazyAppointments(access: DataverseAccess): CrmAppointmentPort {
  // Stateless over `access`: built again per call once its chunk is in (webpack keeps the module).
  const load = async () =>
    (
      await loadPart(() => import(/* webpackChunkName: "meetings" */ '../crm/appointments'))
    ).dataverseAppointments(access);
  return {
    trackAppointment: async (userId, appointment) => (await load()).trackAppointment(userId, appointment),
    findAppointment: async (activityId) => (await load()).findAppointment(activityId),
    setAppointmentRegarding: async (activityId, regarding) =>
      (await load()).setAppointmentRegarding(activityId, regarding),
    untrackAppointment: async (activityId) => (await load()).untrackAppointment(activityId),
  };
}

export const lazyMeetings: MeetingSupport = {
  reader: () =>
    import(/* webpackChunkName: "meetings" */ '../mailbox/meetingReader').then((m) => m.officeMeetings),
  appointments: lazyAppointments,
};
