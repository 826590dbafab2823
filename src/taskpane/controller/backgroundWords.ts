/**
 * The Background check tab's words (background-check.md §1.6): the phase, why a cycle did not run
 * (naming the setting to change), when the next one runs, the counts, and each action's line. Pure:
 * the words come in as the pane's `t` (English when not given: the constants below and callers not
 * yet handed the pane's strings), the time of day as a formatter so a test reads the same in every
 * time zone.
 */
import type {
  ActionOutcome,
  BackgroundActionRecord,
  BackgroundPhase,
  CycleCounts,
} from '../../app/backgroundStatus';
import type { AppTranslate } from '../../app/appWords';
import type { Formats } from '../../i18n/format';
import type { Translate } from '../../i18n/messages';
import { englishPaneStrings, type PaneKey } from '../../i18n/surfaces';
import type { CycleDo, CycleRunReason } from '../../rules/backgroundCycle';
import { TRACKED_CATEGORY } from '../../rules/backgroundCycle';
import type { Decision } from '../../rules/decide';

type PaneTranslate = Translate<PaneKey>;

const ENGLISH: PaneTranslate = englishPaneStrings.t;

/**
 * The item card's words for a decision's reason (itemState.ts `reasonMessage`), handed in by the pane;
 * given the pane's `t`, it says them in the user's language.
 */
export type ReasonWords = (decision: Decision, t?: AppTranslate) => string;

const PHASES: readonly BackgroundPhase[] = ['starting', 'waiting', 'running', 'stopped'];

export const phaseText = (phase: BackgroundPhase, t: PaneTranslate = ENGLISH): string =>
  t(`background.phase.${phase}`);

/** In English, for the tests and the log. */
export const PHASE_TEXT = Object.fromEntries(PHASES.map((phase) => [phase, phaseText(phase)])) as Readonly<
  Record<BackgroundPhase, string>
>;

type NotRunReason = Exclude<CycleRunReason, 'Ran'>;

/**
 * background-check.md §1.1: why a cycle did not run, in plain words, naming where the setting is
 * changed so the user (or an administrator) knows what to turn on.
 */
export const notRunText = (reason: NotRunReason, t: PaneTranslate = ENGLISH): string =>
  reason === 'BackgroundTrackOff'
    ? t('background.notRun.BackgroundTrackOff', { option: t('options.setting.backgroundTrackEmail') })
    : t(`background.notRun.${reason}`);

const NOT_RUN_REASONS: readonly NotRunReason[] = [
  'PromotionDisabled',
  'BackgroundTrackOff',
  'MailboxNotApproved',
];

/** In English, for the tests and the log. */
export const NOT_RUN_TEXT = Object.fromEntries(
  NOT_RUN_REASONS.map((reason) => [reason, notRunText(reason)]),
) as Readonly<Record<NotRunReason, string>>;

/** How the last check ended: finished, stopped short (`failed`: it could not finish), or why it did not run. */
export function runText(
  ran: boolean,
  reason: CycleRunReason,
  failed = false,
  t: PaneTranslate = ENGLISH,
): string {
  if (!(ran || reason === 'Ran')) return notRunText(reason, t);
  return t(failed ? 'background.run.didNotFinish' : 'background.run.finished');
}

/** The folders Outlook shows by name, as the user knows them; other folders by their path. */
const STANDARD_FOLDERS = [
  'inbox',
  'sentitems',
  'drafts',
  'deleteditems',
  'junkemail',
  'archive',
  'outbox',
] as const;
type StandardFolder = (typeof STANDARD_FOLDERS)[number];
const isStandardFolder = (name: string): name is StandardFolder =>
  (STANDARD_FOLDERS as readonly string[]).includes(name);

export const folderText = (folder: string, t: PaneTranslate = ENGLISH): string => {
  const name = folder.trim().toLowerCase();
  return isStandardFolder(name) ? t(`background.folder.${name}`) : folder;
};

/**
 * When the next cycle runs: a near one as a wait the user can count ("in about 40 s", rounded up
 * to 5 s so it does not tick every second), within the hour in minutes, later as a time of day.
 */
export function nextRunText(
  nextRunAt: number | null,
  now: number,
  timeOfDay: (at: number) => string,
  t: PaneTranslate = ENGLISH,
): string {
  if (nextRunAt === null) return t('background.next.none');
  const ms = nextRunAt - now;
  if (ms <= 0) return t('background.next.anyMoment');
  const seconds = Math.ceil(ms / 5000) * 5;
  if (seconds < 60) return t('background.next.inSeconds', { seconds });
  if (seconds < 60 * 60) return t('background.next.inMinutes', { count: Math.round(seconds / 60) });
  return t('background.next.at', { time: timeOfDay(nextRunAt) });
}

/** The hour and minute in the user's locale ("10:15"), through the pane's formats. */
export const timeOfDayIn =
  (formats: Formats) =>
  (at: number): string =>
    formats.time(at);

const COUNTS = ['lookedAt', 'tracked', 'tagged', 'skipped', 'deferred', 'failed'] as const;

/** The counts §1.6 names, in its order, as label/value pairs. */
export function countRows(
  counts: CycleCounts,
  t: PaneTranslate = ENGLISH,
): readonly (readonly [string, number])[] {
  return COUNTS.map((name) => [t(`background.count.${name}`), counts[name]] as const);
}

/** One line for a screen reader once a check the user asked for is over. */
export function countsSentence(counts: CycleCounts, t: PaneTranslate = ENGLISH): string {
  return COUNTS.map((name) => t(`background.countSentence.${name}`, { count: counts[name] })).join(', ');
}

/** What was done with the item, once performed: a failed track is kept, a failed tag retried. */
export function actionText(
  did: CycleDo,
  outcome: ActionOutcome,
  error: string | null = '',
  t: PaneTranslate = ENGLISH,
): string {
  if (outcome === 'queued') return t('background.outcome.queued');
  if (outcome === 'retry' && error === null) return t('background.outcome.changedMeanwhile');
  if (outcome === 'retry') return t('background.outcome.notTaggedYet');
  return t(`background.done.${did}`);
}

export const alreadyTaggedText = (t: PaneTranslate = ENGLISH): string =>
  t('background.alreadyTagged', { category: TRACKED_CATEGORY });

export const ALREADY_TAGGED_TEXT = alreadyTaggedText();

/**
 * The action's reason in the words the item card uses for the same decision (the action carries the
 * decision's reason, background-check.md §1.3); an item already tagged needed no decision.
 */
export function actionReasonText(
  action: Pick<BackgroundActionRecord, 'decision'>,
  reasonWords: ReasonWords,
  t?: PaneTranslate,
): string {
  if (!action.decision) return alreadyTaggedText(t);
  return t ? reasonWords(action.decision, t) : reasonWords(action.decision);
}
