/**
 * The Synchronization tab's words (synchronization.md): the phase, why a run did not happen (naming the
 * setting to change and where), progress, a run's summary per type, each logged operation, and why
 * this pane cannot synchronize at all. Pure: the words come in as the pane's `t` (English when not
 * given: the constants below, for the tests and the log), the time of day as a formatter.
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
import type { Formats } from '../../i18n/format';
import type { Translate } from '../../i18n/messages';
import { englishPaneStrings, type PaneKey } from '../../i18n/surfaces';
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

type PaneTranslate = Translate<PaneKey>;

const ENGLISH: PaneTranslate = englishPaneStrings.t;

/** A table of English words, one per name, for the constants kept for tests and the log. */
const englishTable = <N extends string>(names: readonly N[], words: (name: N) => string) =>
  Object.fromEntries(names.map((name) => [name, words(name)])) as Readonly<Record<N, string>>;

const ENTITIES: readonly SyncEntity[] = ['contact', 'appointment', 'task'];

export const entityText = (entity: SyncEntity, t: PaneTranslate = ENGLISH): string =>
  t(`sync.entity.${entity}`);

export const ENTITY_TEXT = englishTable(ENTITIES, (entity) => entityText(entity));

/** One item of the type, for a log line ("contact Ann Lee"). */
export const entityOneText = (entity: SyncEntity, t: PaneTranslate = ENGLISH): string =>
  t(`sync.entityOne.${entity}`);

export const ENTITY_ONE_TEXT = englishTable(ENTITIES, (entity) => {
  const word = entityOneText(entity);
  return word.charAt(0).toUpperCase() + word.slice(1);
});

const PHASES: readonly SyncPhase[] = ['idle', 'running', 'off', 'stopped'];

export const syncPhaseText = (phase: SyncPhase, t: PaneTranslate = ENGLISH): string =>
  t(`sync.phase.${phase}`);

export const SYNC_PHASE_TEXT = englishTable(PHASES, (phase) => syncPhaseText(phase));

type NotRunReason = Exclude<SyncRunReason, 'Ran'>;

/** §2.1: why a run did not happen, naming the setting and where it is changed. */
export function syncNotRunText(reason: NotRunReason, t: PaneTranslate = ENGLISH): string {
  // The user's option and the old Diagnostics tool's switch both say SyncOff, and the run's record does not
  // say which: both are named, in the user's words, with where each is changed (chosen).
  if (reason === 'SyncOff')
    return t('sync.notRun.SyncOff', { option: t('options.setting.synchronizeWithOutlook') });
  if (reason === 'NotSyncClient') return t('sync.notRun.NotSyncClient', { option: t('sync.clientSwitch') });
  return t('sync.notRun.ScheduleNotAllowed', { synchronizeNow: t('sync.synchronizeNow') });
}

export const SYNC_NOT_RUN_TEXT = englishTable<NotRunReason>(
  ['SyncOff', 'NotSyncClient', 'ScheduleNotAllowed'],
  (reason) => syncNotRunText(reason),
);

/** Why this pane cannot synchronize at all (paneSync.ts); the rest of the pane works. */
export const syncUnavailableText = (why: SyncUnavailable, t: PaneTranslate = ENGLISH): string =>
  t(`sync.unavailable.${why}`);

export const SYNC_UNAVAILABLE_TEXT = englishTable<SyncUnavailable>(['noGraph', 'noAppRegistration'], (why) =>
  syncUnavailableText(why),
);

/** A time of day with seconds ("10:53:07"): two runs in the same minute are told apart in the log. */
export const timeWithSecondsIn =
  (formats: Formats) =>
  (at: number): string =>
    formats.time(at, { seconds: true });

/** A run skipped because this pane's other window held the device's lock (only one runs at a time). */
export const SKIPPED_OTHER_WINDOW_TEXT = ENGLISH('sync.skippedOtherWindow');
/** A run cut short: the pane was closed or reloaded during it; what it had not done runs next time. */
export const INTERRUPTED_TEXT = ENGLISH('sync.interrupted');

/** How a run ended: ran (whole or with failures), or why it did not. */
export function syncRunText(run: SyncRunRecord, t: PaneTranslate = ENGLISH): string {
  if (run.skipped === 'OtherWindow') return t('sync.skippedOtherWindow');
  if (run.interrupted) return t('sync.interrupted');
  if (!run.ran && run.reason !== 'Ran') return syncNotRunText(run.reason, t);
  const stopped = run.types.filter((type) => type.error !== null).length;
  const failed = run.types.reduce((sum, type) => sum + type.failed, 0);
  if (stopped > 0) return t('sync.run.didNotFinish');
  if (failed > 0) return t('sync.run.finishedWithFailures', { count: failed });
  return t('sync.run.finished');
}

type NoNextReason = 'SyncOff' | 'NotSyncClient';

/** What the Synchronization tab says for "Next synchronization" while nothing will run on this device. */
export const noNextRunText = (reason: NoNextReason, t: PaneTranslate = ENGLISH): string =>
  t(`sync.noNext.${reason}`);

export const NO_NEXT_RUN_TEXT = englishTable<NoNextReason>(['SyncOff', 'NotSyncClient'], (reason) =>
  noNextRunText(reason),
);

/**
 * Said after the user saved "Synchronize CRM items with Outlook" and before a run has read it: the runner
 * reads the options at each run's start, so until then its phase is the old one.
 */
export const SWITCH_SAVED_OFF_TEXT = ENGLISH('sync.savedOff');
export const SWITCH_SAVED_ON_UNSCHEDULED_TEXT = ENGLISH('sync.savedOnUnscheduled', {
  synchronizeNow: ENGLISH('sync.synchronizeNow'),
});
export const switchSavedOnText = (next: string, t: PaneTranslate = ENGLISH): string =>
  t('sync.savedOn', {
    next: `${next.charAt(0).toLowerCase()}${next.slice(1)}`,
    synchronizeNow: t('sync.synchronizeNow'),
  });

/**
 * The phase and "Next synchronization" as the tab shows them: no next time while nothing will run on
 * this device, and a switch saved in Options said at once rather than after the next run.
 */
export function phaseAndNextText(
  status: PaneSyncStatus,
  savedSwitch: SavedSyncSwitch | null,
  now: number,
  timeOfDay: (at: number) => string,
  t: PaneTranslate = ENGLISH,
): { readonly phase: string; readonly next: string } {
  if (status.phase === 'running')
    return { phase: syncPhaseText('running', t), next: t('sync.next.afterThisOne') };
  const next = nextRunText(status.nextRunAt, now, timeOfDay, t);
  const unread = unreadSwitch(savedSwitch, status);
  const offReason = status.runs[0]?.reason;
  if (unread && !unread.on) return { phase: t('sync.savedOff'), next: noNextRunText('SyncOff', t) };
  if (unread?.on && status.phase === 'off' && offReason === 'SyncOff')
    return status.nextRunAt === null
      ? { phase: t('sync.savedOnUnscheduled', { synchronizeNow: t('sync.synchronizeNow') }), next }
      : { phase: switchSavedOnText(next, t), next };
  if (status.phase === 'off' && (offReason === 'SyncOff' || offReason === 'NotSyncClient'))
    return { phase: syncPhaseText('off', t), next: noNextRunText(offReason, t) };
  return { phase: syncPhaseText(status.phase, t), next };
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
export function entitiesText(entities: readonly SyncEntity[], t: PaneTranslate = ENGLISH): string {
  const words = entities.map((entity, i) =>
    i === 0 ? t(`sync.entity.${entity}`) : t(`sync.entityLower.${entity}`),
  );
  if (words.length <= 1) return words[0] ?? '';
  if (words.length === 2) return t('sync.entities.two', { first: words[0] ?? '', second: words[1] ?? '' });
  return t('sync.entities.many', {
    list: words.slice(0, -1).join(t('sync.entities.separator')),
    last: words[words.length - 1] ?? '',
  });
}

/** One line per error: the types it stopped, and the error (its HTTP status and request id once). */
export const stoppedGroupText = (group: StoppedGroup, t: PaneTranslate = ENGLISH): string =>
  t('sync.stoppedGroup', { entities: entitiesText(group.entities, t), error: group.error });

/** "Contacts 120/340" and what is under way. */
export function progressText(progress: SyncProgress, t: PaneTranslate = ENGLISH): string {
  return t(progress.step === 'reading' ? 'sync.progress.reading' : 'sync.progress.writing', {
    entity: entityText(progress.entity, t),
    done: progress.done,
    total: progress.total,
  });
}

const SUMMARY_KINDS = ['created', 'updated', 'linked', 'unlinked', 'deleted', 'failed'] as const;

/** The summary's kinds of change (its rows), in the words of what a run did. */
export const summaryColumns = (t: PaneTranslate = ENGLISH): readonly string[] =>
  SUMMARY_KINDS.map((kind) => t(`sync.summary.${kind}`));

export const SUMMARY_COLUMNS = summaryColumns();

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
export function summarySentence(run: SyncRunRecord, t: PaneTranslate = ENGLISH): string {
  if (!run.ran) return syncRunText(run, t);
  const parts = run.types.map((type) => {
    const entity = entityText(type.entity, t);
    if (type.error) return t('sync.sentence.typeDidNotFinish', { entity });
    const counts = summaryCounts(type);
    const said = SUMMARY_KINDS.map((kind, i) => [kind, counts[i] ?? 0] as const).filter(([, n]) => n > 0);
    return t('sync.sentence.typeCounts', {
      entity,
      counts: said.length
        ? said.map(([kind, count]) => t(`sync.summaryCount.${kind}`, { count })).join(', ')
        : t('sync.sentence.noChanges'),
    });
  });
  const stopped = run.types.some((type) => type.error !== null);
  const failed = run.types.reduce((sum, type) => sum + type.failed, 0);
  const opening = stopped
    ? t('sync.sentence.didNotFinish')
    : failed > 0
      ? t('sync.sentence.finishedWithFailures', { count: failed })
      : t('sync.sentence.done');
  return t(stopped ? 'sync.sentence.wholeStopped' : 'sync.sentence.whole', {
    opening,
    parts: parts.join(t('sync.sentence.partsSeparator')),
  });
}

const OPERATIONS: readonly SyncOperationKind[] = [
  'unlink',
  'deleteOutlook',
  'link',
  'updateCrm',
  'updateOutlook',
  'createCrm',
  'createOutlook',
];

export const operationText = (op: SyncOperationKind, t: PaneTranslate = ENGLISH): string =>
  t(`sync.op.${op}`);

export const OPERATION_TEXT = englishTable(OPERATIONS, (op) => operationText(op));

/** A failed operation's heading: what was not done (it is tried again at the next run). */
export const failedOperationText = (op: SyncOperationKind, t: PaneTranslate = ENGLISH): string =>
  t(`sync.opFailed.${op}`);

export const FAILED_OPERATION_TEXT = englishTable(OPERATIONS, (op) => failedOperationText(op));

/**
 * A conflict's fields are named on the operation that writes the winner (§2.4): what it writes over is
 * the other side's value. Only updates carry conflicts; a create has no other side's value (chosen).
 */
function conflictSidesText(op: SyncOperationKind, t: PaneTranslate): string | null {
  if (op === 'updateOutlook') return t('sync.conflictSides.updateOutlook');
  if (op === 'updateCrm') return t('sync.conflictSides.updateCrm');
  return null;
}

const OPERATION_REASONS: readonly SyncOperationReason[] = [
  'DuplicateLink',
  'OutlookDeleted',
  'CrmDeleted',
  'OutOfScope',
  'DuplicateFound',
];

export const operationReasonText = (reason: SyncOperationReason, t: PaneTranslate = ENGLISH): string =>
  t(`sync.reason.${reason}`);

export const OPERATION_REASON_TEXT = englishTable(OPERATION_REASONS, (reason) => operationReasonText(reason));

/**
 * A field as the user knows it, by either side's name, in the pane's language; the name itself for a
 * field the catalog does not have (an organization's own mapping). The catalog's labels stay English
 * (rules/syncFieldCatalog.ts, shared with the explain command and the log): the pane words each
 * catalog field by its own key, `sync.field.<entity>.<crm>`.
 */
export function fieldLabel(entity: SyncEntity, name: string, t: PaneTranslate = ENGLISH): string {
  if (entity === 'contact' && name === 'companyName') return t('sync.fieldCompany');
  const field = SYNC_FIELDS[entity].find((f) => f.crm === name || f.outlook === name);
  // Every catalog field has its key (test/unit/taskpane/sync-field-words.test.ts checks en/de/fr).
  return field ? t(`sync.field.${entity}.${field.crm}` as PaneKey) : name;
}

/** What a log line says after the operation: fields written (or, failed, not written), conflicts, the reason. */
export function entryDetails(entry: SyncLogEntry, t: PaneTranslate = ENGLISH): string[] {
  const details: string[] = [];
  const label = (f: string) => fieldLabel(entry.entity, f, t);
  if (entry.reason) details.push(t('sync.detail.why', { reason: operationReasonText(entry.reason, t) }));
  if (entry.fields.length)
    details.push(
      t(entry.outcome === 'failed' ? 'sync.detail.fieldsNotWritten' : 'sync.detail.fieldsWritten', {
        fields: entry.fields.map(label).join(', '),
      }),
    );
  if (entry.conflicts.length) {
    const sides = conflictSidesText(entry.op, t);
    const fields = entry.conflicts.map(label).join(', ');
    details.push(
      sides ? t('sync.detail.conflictsWithSides', { fields, sides }) : t('sync.detail.conflicts', { fields }),
    );
  }
  return details;
}

const DIRECTIONS: readonly MappingDirection[] = ['toOutlook', 'toCrm', 'both', 'none'];

/** The Field Mapping view's direction column, in words. */
export const directionText = (direction: MappingDirection, t: PaneTranslate = ENGLISH): string =>
  t(`sync.direction.${direction}`);

export const DIRECTION_TEXT = englishTable(DIRECTIONS, (direction) => directionText(direction));

/** A direction as a screen reader should hear it (the arrow is read as "right arrow" otherwise). */
export const directionSpoken = (direction: MappingDirection, t: PaneTranslate = ENGLISH): string =>
  t(`sync.directionSpoken.${direction}`);

export const DIRECTION_SPOKEN = englishTable(DIRECTIONS, (direction) => directionSpoken(direction));

/**
 * An Outlook field as Outlook names it in the pane's language: the catalog's Outlook fields by their
 * key, `sync.outlookField.<entity>.<name>` (per record type: a contact's `title` is its salutation, a
 * task's its subject); another field's flat name as words: `businessCity` → "Business city".
 */
export function outlookFieldText(entity: SyncEntity, name: string, t: PaneTranslate = ENGLISH): string {
  if (SYNC_FIELDS[entity].some((f) => f.outlook === name))
    return t(`sync.outlookField.${entity}.${name}` as PaneKey);
  const words = name
    .replace(/([a-z])([A-Z0-9])/g, '$1 $2')
    .replace(/([0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
