/**
 * The Background check tab's words (background-check.md §1.6): the phase, why a cycle did not run
 * (naming the setting to change), when the next one runs, the counts, and each action's line. Pure:
 * the time of day comes in as a formatter so a test reads the same in every time zone.
 */
import type {
  ActionOutcome,
  BackgroundActionRecord,
  BackgroundPhase,
  CycleCounts,
} from '../../app/backgroundStatus';
import type { CycleDo, CycleRunReason } from '../../rules/backgroundCycle';
import { TRACKED_CATEGORY } from '../../rules/backgroundCycle';
import type { Decision } from '../../rules/decide';

/** The item card's words for a decision's reason (itemState.ts `reasonMessage`), handed in by the pane. */
export type ReasonWords = (decision: Decision) => string;

export const PHASE_TEXT: Readonly<Record<BackgroundPhase, string>> = {
  starting: 'Starting: the first check runs 10 seconds after the pane opens.',
  waiting: 'Waiting for the next check.',
  running: 'Checking your mailbox…',
  stopped: 'Stopped: the mailbox is checked while Track in CRM is connected and this pane is open.',
};

/**
 * background-check.md §1.1: why a cycle did not run, in plain words, naming where the setting is
 * changed so the user (or an administrator) knows what to turn on.
 */
export const NOT_RUN_TEXT: Readonly<Record<Exclude<CycleRunReason, 'Ran'>, string>> = {
  PromotionDisabled:
    'Did not run: your organization has turned off checking incoming email in Outlook (setting tic_promoteIncomingEmail). Ask your administrator.',
  BackgroundTrackOff:
    'Did not run: checking incoming email is off in your options (Options › Email › “Check incoming email and decide whether to track it”).',
  MailboxNotApproved:
    'Did not run: your mailbox is not approved in the CRM yet, and your organization checks email only for approved mailboxes (setting requireapprovalforuseremail). Ask your administrator to approve it.',
};

/** How the last check ended: finished, stopped short (`failed`: it could not finish), or why it did not run. */
export function runText(ran: boolean, reason: CycleRunReason, failed = false): string {
  if (!(ran || reason === 'Ran')) return NOT_RUN_TEXT[reason];
  return failed ? 'Did not finish (see below)' : 'Finished';
}

/** The folders Outlook shows by name, as the user knows them; other folders by their path. */
const STANDARD_FOLDER_NAMES: Readonly<Record<string, string>> = {
  inbox: 'Inbox',
  sentitems: 'Sent Items',
  drafts: 'Drafts',
  deleteditems: 'Deleted Items',
  junkemail: 'Junk Email',
  archive: 'Archive',
  outbox: 'Outbox',
};

export const folderText = (folder: string): string =>
  STANDARD_FOLDER_NAMES[folder.trim().toLowerCase()] ?? folder;

/**
 * When the next cycle runs: a near one as a wait the user can count ("in about 40 s", rounded up
 * to 5 s so it does not tick every second), within the hour in minutes, later as a time of day.
 */
export function nextRunText(
  nextRunAt: number | null,
  now: number,
  timeOfDay: (at: number) => string,
): string {
  if (nextRunAt === null) return 'None scheduled';
  const ms = nextRunAt - now;
  if (ms <= 0) return 'Any moment now';
  const seconds = Math.ceil(ms / 5000) * 5;
  if (seconds < 60) return `In about ${seconds} s`;
  if (seconds < 60 * 60) {
    const minutes = Math.round(seconds / 60);
    return `In about ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
  }
  return `At ${timeOfDay(nextRunAt)}`;
}

/** The hour and minute in the user's locale ("10:15"). */
export const localTimeOfDay = (at: number): string =>
  new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

/** The counts §1.6 names, in its order, as label/value pairs. */
export function countRows(counts: CycleCounts): readonly (readonly [string, number])[] {
  return [
    ['Looked at', counts.lookedAt],
    ['Tracked', counts.tracked],
    ['Tagged', counts.tagged],
    ['Skipped', counts.skipped],
    ['Deferred', counts.deferred],
    ['Failed', counts.failed],
  ];
}

/** One line for a screen reader once a check the user asked for is over. */
export function countsSentence(counts: CycleCounts): string {
  return countRows(counts)
    .map(([label, value]) => `${value} ${label.toLowerCase()}`)
    .join(', ');
}

const DONE_TEXT: Readonly<Record<CycleDo, string>> = {
  track: 'Tracked',
  tag: 'Tagged',
  skip: 'Skipped',
  none: 'Nothing to do',
};

/** What was done with the item, once performed: a failed track is kept, a failed tag retried. */
export function actionText(did: CycleDo, outcome: ActionOutcome, error: string | null = ''): string {
  if (outcome === 'queued') return 'Waiting to be tracked (kept and tried again by itself)';
  if (outcome === 'retry' && error === null)
    return 'Changed in the mailbox meanwhile (looked at again at the next check)';
  if (outcome === 'retry') return 'Not tagged yet (tried again at the next check)';
  return DONE_TEXT[did];
}

export const ALREADY_TAGGED_TEXT = `Already tagged: it has the “${TRACKED_CATEGORY}” category and the CRM activity's tag.`;

/**
 * The action's reason in the words the item card uses for the same decision (the action carries the
 * decision's reason, background-check.md §1.3); an item already tagged needed no decision.
 */
export function actionReasonText(
  action: Pick<BackgroundActionRecord, 'decision'>,
  reasonWords: ReasonWords,
): string {
  return action.decision ? reasonWords(action.decision) : ALREADY_TAGGED_TEXT;
}
