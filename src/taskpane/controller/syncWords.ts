/**
 * The Synchronization tab's words (synchronization.md): the phase, why a run did not happen (naming the
 * setting to change and where), progress, a run's summary per type, each logged operation, and why
 * this pane cannot synchronize at all. Pure: the time of day comes in as a formatter.
 */
import type {
  SyncLogEntry,
  SyncPhase,
  SyncProgress,
  SyncRunRecord,
  SyncTypeSummary,
} from '../../app/syncStatus';
import type { SyncUnavailable } from '../../host/paneSync';
import type { PaneSyncStatus } from '../../host/lazySync';
import { nextRunText } from './backgroundWords';
import { unreadSwitch, type SavedSyncSwitch } from './syncSwitchNotice';
import { SYNC_FIELDS } from '../../rules/syncFieldCatalog';
import type {
  MappingDirection,
  SyncEntity,
  SyncOperationKind,
  SyncOperationReason,
  SyncRunReason,
} from '../../rules/syncTypes';

export const ENTITY_TEXT: Readonly<Record<SyncEntity, string>> = {
  contact: 'Contacts',
  appointment: 'Appointments',
  task: 'Tasks',
};

/** One item of the type, for a log line's accessible name ("Contact Ann Lee"). */
export const ENTITY_ONE_TEXT: Readonly<Record<SyncEntity, string>> = {
  contact: 'Contact',
  appointment: 'Appointment',
  task: 'Task',
};

export const SYNC_PHASE_TEXT: Readonly<Record<SyncPhase, string>> = {
  idle: 'Waiting for the next synchronization.',
  running: 'Synchronizing…',
  off: 'Not synchronizing (see why below).',
  stopped:
    'Stopped: contacts, appointments and tasks are synchronized while Track in CRM is connected and this pane is open.',
};

/** §2.1: why a run did not happen, naming the setting and where it is changed. */
export const SYNC_NOT_RUN_TEXT: Readonly<Record<Exclude<SyncRunReason, 'Ran'>, string>> = {
  // The user's option and the old Diagnostics tool's switch both say SyncOff, and the run's record does not
  // say which: both are named, in the user's words, with where each is changed (chosen).
  SyncOff:
    'Did not run: synchronization is turned off. Turn on “Synchronize CRM items with Outlook” in Options › Synchronization; if it is already on, your administrator turned synchronization off for you.',
  NotSyncClient:
    'Did not run: this device is not the synchronization client; another of your devices synchronizes (Options › Synchronization › “This device is the synchronization client”).',
  ScheduleNotAllowed:
    'Did not run on schedule: your organization does not let users schedule synchronization (setting allowoutlookscheduledsyncs, System Settings › Outlook). “Synchronize now” still runs it.',
};

/** Why this pane cannot synchronize at all (paneSync.ts); the rest of the pane works. */
export const SYNC_UNAVAILABLE_TEXT: Readonly<Record<SyncUnavailable, string>> = {
  noGraph:
    'Synchronization reads your contacts, calendar and tasks through Microsoft Graph, and this Outlook gives the add-in none to read from (in the workbench: the Graph emulator is not running). Tracking email works as before.',
  noAppRegistration:
    "Synchronization signs in to Microsoft Graph with the add-in's app registration, and this copy of the add-in was built without one (TIC_CLIENT_ID). Tracking email works as before.",
};

/** A time of day with seconds ("10:53:07"): two runs in the same minute are told apart in the log. */
export const localTimeWithSeconds = (at: number): string =>
  new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** How a run ended: ran (whole or with failures), or why it did not. */
/** A run skipped because this pane's other window held the device's lock (only one runs at a time). */
export const SKIPPED_OTHER_WINDOW_TEXT =
  'Skipped: Track in CRM is synchronizing in another window of Outlook on this device';
/** A run cut short: the pane was closed or reloaded during it; what it had not done runs next time. */
export const INTERRUPTED_TEXT =
  'Interrupted (the pane was closed or reloaded during it); the next synchronization finishes the work';

export function syncRunText(run: SyncRunRecord): string {
  if (run.skipped === 'OtherWindow') return SKIPPED_OTHER_WINDOW_TEXT;
  if (run.interrupted) return INTERRUPTED_TEXT;
  if (!run.ran && run.reason !== 'Ran') return SYNC_NOT_RUN_TEXT[run.reason];
  const stopped = run.types.filter((t) => t.error !== null).length;
  const failed = run.types.reduce((sum, t) => sum + t.failed, 0);
  if (stopped > 0) return 'Did not finish (see below)';
  if (failed > 0) return `Finished, ${failed} ${failed === 1 ? 'change' : 'changes'} failed (see the log)`;
  return 'Finished';
}

/** What the Synchronization tab says for "Next synchronization" while nothing will run on this device. */
export const NO_NEXT_RUN_TEXT: Readonly<Record<'SyncOff' | 'NotSyncClient', string>> = {
  SyncOff: 'None while synchronization is turned off',
  NotSyncClient: 'None on this device: another of your devices synchronizes',
};

/**
 * Said after the user saved "Synchronize CRM items with Outlook" and before a run has read it: the runner
 * reads the options at each run's start, so until then its phase is the old one.
 */
export const SWITCH_SAVED_OFF_TEXT =
  'Turned off: no synchronization runs until you turn it on again in Options › Synchronization.';
export const SWITCH_SAVED_ON_UNSCHEDULED_TEXT =
  'Turned on: your organization does not schedule synchronization, so it runs when you press “Synchronize now”.';
export const switchSavedOnText = (next: string): string =>
  `Turned on: the next synchronization runs ${next.charAt(0).toLowerCase()}${next.slice(1)}. “Synchronize now” runs it at once.`;

/**
 * The phase and "Next synchronization" as the tab shows them: no next time while nothing will run on
 * this device, and a switch saved in Options said at once rather than after the next run.
 */
export function phaseAndNextText(
  status: PaneSyncStatus,
  savedSwitch: SavedSyncSwitch | null,
  now: number,
  timeOfDay: (at: number) => string,
): { readonly phase: string; readonly next: string } {
  if (status.phase === 'running') return { phase: SYNC_PHASE_TEXT.running, next: 'Once this one is over' };
  const next = nextRunText(status.nextRunAt, now, timeOfDay);
  const unread = unreadSwitch(savedSwitch, status);
  const offReason = status.runs[0]?.reason;
  if (unread && !unread.on) return { phase: SWITCH_SAVED_OFF_TEXT, next: NO_NEXT_RUN_TEXT.SyncOff };
  if (unread?.on && status.phase === 'off' && offReason === 'SyncOff')
    return status.nextRunAt === null
      ? { phase: SWITCH_SAVED_ON_UNSCHEDULED_TEXT, next }
      : { phase: switchSavedOnText(next), next };
  if (status.phase === 'off' && (offReason === 'SyncOff' || offReason === 'NotSyncClient'))
    return { phase: SYNC_PHASE_TEXT.off, next: NO_NEXT_RUN_TEXT[offReason] };
  return { phase: SYNC_PHASE_TEXT[status.phase], next };
}

/** Types that stopped short with the same error, said once ("Contacts, appointments and tasks"). */
export interface StoppedGroup {
  readonly entities: readonly SyncEntity[];
  readonly error: string;
}

export function stoppedGroups(run: SyncRunRecord): StoppedGroup[] {
  const groups: { entities: SyncEntity[]; error: string }[] = [];
  for (const type of run.types) {
    if (type.error === null) continue;
    const same = groups.find((g) => g.error === type.error);
    if (same) same.entities.push(type.entity);
    else groups.push({ entities: [type.entity], error: type.error });
  }
  return groups;
}

/** "Contacts", "Contacts and tasks", "Contacts, appointments and tasks". */
export function entitiesText(entities: readonly SyncEntity[]): string {
  const words = entities.map((entity, i) =>
    i === 0 ? ENTITY_TEXT[entity] : ENTITY_TEXT[entity].toLowerCase(),
  );
  return words.length <= 1
    ? (words[0] ?? '')
    : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** One line per error: the types it stopped, and the error (its HTTP status and request id once). */
export const stoppedGroupText = (group: StoppedGroup): string =>
  `${entitiesText(group.entities)} could not finish: ${group.error}`;

/** "Contacts 120/340" and what is under way. */
export function progressText(progress: SyncProgress): string {
  const step = progress.step === 'reading' ? 'reading' : 'writing';
  return `${ENTITY_TEXT[progress.entity]} ${progress.done}/${progress.total} (${step})`;
}

/** The summary's kinds of change (its rows), in the words of what a run did. */
export const SUMMARY_COLUMNS = ['Created', 'Updated', 'Linked', 'Unlinked', 'Deleted', 'Failed'] as const;

export function summaryCounts(summary: SyncTypeSummary): readonly number[] {
  const done = (kind: SyncOperationKind): number => summary.done[kind] ?? 0;
  return [
    done('createCrm') + done('createOutlook'),
    done('updateCrm') + done('updateOutlook'),
    done('link'),
    done('unlink'),
    done('deleteOutlook'),
    summary.failed,
  ];
}

/** One line for a screen reader once a run the user asked for is over: done only when it was. */
export function summarySentence(run: SyncRunRecord): string {
  if (!run.ran) return syncRunText(run);
  const parts = run.types.map((type) => {
    if (type.error) return `${ENTITY_TEXT[type.entity]}: did not finish`;
    const counts = summaryCounts(type);
    const said = SUMMARY_COLUMNS.map((label, i) => [label, counts[i] ?? 0] as const).filter(([, n]) => n > 0);
    return `${ENTITY_TEXT[type.entity]}: ${said.length ? said.map(([l, n]) => `${n} ${l.toLowerCase()}`).join(', ') : 'no changes'}`;
  });
  const stopped = run.types.some((t) => t.error !== null);
  const failed = run.types.reduce((sum, t) => sum + t.failed, 0);
  const opening = stopped
    ? 'Synchronization did not finish.'
    : failed > 0
      ? `Synchronization finished, ${failed} ${failed === 1 ? 'change' : 'changes'} failed.`
      : 'Synchronization done.';
  const closing = stopped ? ' The next synchronization starts where this one stopped.' : '';
  return `${opening} ${parts.join('; ')}.${closing}`;
}

export const OPERATION_TEXT: Readonly<Record<SyncOperationKind, string>> = {
  unlink: 'Unlinked',
  deleteOutlook: 'Deleted in Outlook',
  link: 'Linked',
  updateCrm: 'Updated in the CRM',
  updateOutlook: 'Updated in Outlook',
  createCrm: 'Created in the CRM',
  createOutlook: 'Created in Outlook',
};

/** A failed operation's heading: what was not done (it is tried again at the next run). */
export const FAILED_OPERATION_TEXT: Readonly<Record<SyncOperationKind, string>> = {
  unlink: 'Not unlinked',
  deleteOutlook: 'Not deleted in Outlook',
  link: 'Not linked',
  updateCrm: 'Not updated in the CRM',
  updateOutlook: 'Not updated in Outlook',
  createCrm: 'Not created in the CRM',
  createOutlook: 'Not created in Outlook',
};

/**
 * A conflict's fields are named on the operation that writes the winner (§2.4): what it writes over is
 * the other side's value. Only updates carry conflicts; a create has no other side's value (chosen).
 */
const CONFLICT_SIDES_TEXT: Partial<Record<SyncOperationKind, string>> = {
  updateOutlook: "CRM value kept, Outlook's replaced",
  updateCrm: "Outlook value kept, the CRM's replaced",
};

export const OPERATION_REASON_TEXT: Readonly<Record<SyncOperationReason, string>> = {
  DuplicateLink: 'another Outlook item is linked to the same CRM record',
  OutlookDeleted: 'deleted in Outlook; not copied to Outlook again',
  CrmDeleted: 'deleted or deactivated in the CRM',
  OutOfScope: 'no longer returned by your synchronization filters; kept in Outlook',
  DuplicateFound: 'a CRM contact with the same email address already existed',
};

/** A field as the user knows it (the catalog's label), by either side's name; the name itself otherwise. */
export function fieldLabel(entity: SyncEntity, name: string): string {
  if (entity === 'contact' && name === 'companyName') return 'Company';
  const field = SYNC_FIELDS[entity].find((f) => f.crm === name || f.outlook === name);
  return field?.label ?? name;
}

/** What a log line says after the operation: fields written (or, failed, not written), conflicts, the reason. */
export function entryDetails(entry: SyncLogEntry): string[] {
  const details: string[] = [];
  const label = (f: string) => fieldLabel(entry.entity, f);
  if (entry.reason) details.push(`Why: ${OPERATION_REASON_TEXT[entry.reason]}.`);
  if (entry.fields.length)
    details.push(
      `${entry.outcome === 'failed' ? 'Fields not written' : 'Fields written'}: ${entry.fields.map(label).join(', ')}.`,
    );
  if (entry.conflicts.length) {
    const sides = CONFLICT_SIDES_TEXT[entry.op];
    details.push(
      `Changed on both sides, the later change kept: ${entry.conflicts.map(label).join(', ')}${sides ? ` (${sides})` : ''}.`,
    );
  }
  return details;
}

/** The Field Mapping view's direction column, in words. */
export const DIRECTION_TEXT: Readonly<Record<MappingDirection, string>> = {
  toOutlook: 'CRM → Outlook',
  toCrm: 'Outlook → CRM',
  both: 'Both ways',
  none: 'Not synchronized',
};

/** A direction as a screen reader should hear it (the arrow is read as "right arrow" otherwise). */
export const DIRECTION_SPOKEN: Readonly<Record<MappingDirection, string>> = {
  toOutlook: 'from the CRM to Outlook',
  toCrm: 'from Outlook to the CRM',
  both: 'both ways',
  none: 'not synchronized',
};

/** An Outlook field's flat name (syncFieldCatalog.ts) as words: `businessCity` → "Business city". */
export function outlookFieldText(name: string): string {
  const words = name
    .replace(/([a-z])([A-Z0-9])/g, '$1 $2')
    .replace(/([0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
