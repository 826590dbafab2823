/**
 * The Outlook simulator: the Office.js surface the add-in uses, for the workbench (browser, webpack)
 * and every test (Node, jest). See officeSimulator.ts for the entry point.
 */
export { createOfficeSimulator, DEMO_USER, versionAtLeast } from './officeSimulator';
export type { OfficeSimulator, OfficeSimulatorOptions, SendAttempt } from './officeSimulator';
export { SimMailbox } from './mailbox';
export type {
  FolderInfo,
  NewAppointmentInput,
  NewMessageInput,
  OpenComposeOptions,
  SimChange,
  SimUser,
} from './mailbox';
export { MAILBOX_STATE_VERSION } from './mailboxState';
export type { MailboxState } from './mailboxState';
export type {
  ComposeKind,
  FolderId,
  NotificationRecord,
  SimAddress,
  SimAppointment,
  SimItemSnapshot,
  WellKnownFolder,
} from './model';
export { CALENDAR_FOLDER, WELL_KNOWN_FOLDERS } from './model';
export {
  memoryStorage,
  webStorage,
  roamingSettingsBytes,
  SimRoamingSettings,
  SizeLimitError,
} from './roamingSettings';
export type { MemoryStorage, StorageAdapter } from './roamingSettings';
export { SimDialogs } from './dialog';
export type { OpenDialog } from './dialog';
export { ActionRegistry, DEFAULT_LAUNCH_EVENT_FUNCTIONS } from './launchEvents';
export type { CommandOutcome, LaunchEventOutcome, LaunchEventType, SendMode } from './launchEvents';
export { LIMITS, Permission, customPropertiesLength } from './itemFeatures';
export type { PermissionName } from './itemFeatures';
export { DialogErrors, DialogEventCodes, OutlookErrors, SIMULATOR_CHOSEN, SimulatorError } from './errors';
export type { OfficeErrorShape, SysError } from './errors';
export { AsyncResultStatus, CoercionType, EventType, MailboxEnums } from './enums';
export { loadEml, parseEml, rawHeaderBlock } from './eml';
export { ewsIdOf, restIdOf } from './ids';
export { deliverNewMail, NEW_MAIL_RULE_FOLDER } from './newMail';
export type { DeliveredMail, NewMailKind } from './newMail';
export {
  DEMO_MASTER_CATEGORIES,
  DEMO_PEOPLE,
  DEMO_TRACKING_TOKEN,
  loadDemoCalendar,
  loadDemoMailbox,
} from './demoMailbox';
export type { DemoAppointmentKey, DemoCrmRole, DemoItemKey, DemoPerson, DemoPersonKey } from './demoMailbox';
export {
  childThreadIndex,
  newThreadIndex,
  THREAD_INDEX_CHILD_BYTES,
  THREAD_INDEX_HEADER_BYTES,
} from './threading';
export { seededRandom, steppingClock } from './random';
export type { Clock, Random } from './random';
