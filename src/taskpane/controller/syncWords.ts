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
  SyncOff:
    'Did not run: synchronization is off (Options › Synchronization › “Synchronize CRM items with Outlook”, or the outlookSynchronization switch of the add-in’s diagnostics settings).',
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

/** How a run ended: ran (whole or with failures), or why it did not. */
export function syncRunText(run: SyncRunRecord): string {
  if (!run.ran && run.reason !== 'Ran') return SYNC_NOT_RUN_TEXT[run.reason];
  const stopped = run.types.filter((t) => t.error !== null).length;
  const failed = run.types.reduce((sum, t) => sum + t.failed, 0);
  if (stopped > 0) return 'Did not finish (see below)';
  if (failed > 0) return `Finished, ${failed} ${failed === 1 ? 'change' : 'changes'} failed (see the log)`;
  return 'Finished';
}

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

/** One line for a screen reader once a run the user asked for is over. */
export function summarySentence(run: SyncRunRecord): string {
  if (!run.ran) return syncRunText(run);
  const parts = run.types.map((type) => {
    if (type.error) return `${ENTITY_TEXT[type.entity]}: did not finish`;
    const counts = summaryCounts(type);
    const said = SUMMARY_COLUMNS.map((label, i) => [label, counts[i] ?? 0] as const).filter(([, n]) => n > 0);
    return `${ENTITY_TEXT[type.entity]}: ${said.length ? said.map(([l, n]) => `${n} ${l.toLowerCase()}`).join(', ') : 'no changes'}`;
  });
  return `Synchronization done. ${parts.join('; ')}.`;
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

/** What a log line says after the operation: fields written, conflicts, the reason. */
export function entryDetails(entry: SyncLogEntry): string[] {
  const details: string[] = [];
  if (entry.reason) details.push(`Why: ${OPERATION_REASON_TEXT[entry.reason]}.`);
  if (entry.fields.length)
    details.push(`Fields written: ${entry.fields.map((f) => fieldLabel(entry.entity, f)).join(', ')}.`);
  if (entry.conflicts.length)
    details.push(
      `Changed on both sides, the later change kept: ${entry.conflicts.map((f) => fieldLabel(entry.entity, f)).join(', ')}.`,
    );
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
