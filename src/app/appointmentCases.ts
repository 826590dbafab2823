/**
 * The appointment use cases as the one module the item use cases and the ribbon command load on
 * demand (itemUseCases.ts, loadAppointmentCases): a chunk of the pane and of commands.js, fetched when
 * a meeting is first handled.
 */
export {
  appointmentOpened,
  keepAppointmentWithoutSession,
  setAppointmentRegarding,
  trackAppointment,
  untrackAppointment,
} from './appointmentUseCases';
export { meetingState } from './appointmentItems';
