/**
 * Drafts: replies and forwards (§2.3) are marked when composed from tracked email; any draft (a new
 * email too) is marked when the user asks (`trackDraft`, §2.2 applied to a draft). A marked draft is
 * tracked when sent. Sending is never blocked by the CRM: a send-time track that fails is queued and
 * the user told.
 * Track in CRM on a draft (the user's request) is `draftTracking.ts`, a chunk of its own for the ribbon.
 */
import { CrmUnavailableError } from '../crm/errors';
import type { Decision } from '../rules/decide';
import { findTrackingTokens, makeTrackingToken } from '../rules/trackingToken';
import { verboseErrors, type LoggedSession } from './diagnostics';
import { englishAppWords, wordsOf, type AppTranslate, type Worded } from './appWords';
import { errorText, reasonMessage, userFacingError } from './itemState';
import { enqueuePending, provisionalMessageId } from './pendingQueue';
import { lookUpAndDecide, trackDecided } from './pipeline';
import type {
  Clock,
  ComposeSnapshot,
  DiagnosticsLog,
  DraftMark,
  MailboxPort,
  Notice,
  PendingStore,
} from './ports';
import type { EmailFacts } from '../rules/types';

type Session = LoggedSession;

const noDraft = (t: AppTranslate): ComposeState => ({
  marked: false,
  mark: null,
  decision: null,
  message: t('app.noDraft'),
});

export interface ComposeState {
  readonly marked: boolean;
  readonly mark: DraftMark | null;
  readonly decision: Decision | null;
  readonly message: string;
  /** The user cancelled tracking of this draft: the card offers to track it again. */
  readonly optedOut?: boolean;
}

/** A stable number for the user in tracking tokens (§3.2): Dataverse keeps no such number, so it comes from the user id. */
export function userNumberOf(userId: string, digits: number): number {
  const hex = userId.replace(/[^0-9a-f]/gi, '').slice(0, 8) || '0';
  return parseInt(hex, 16) % 10 ** digits;
}

async function newTrackingToken(session: Session): Promise<string> {
  const org = session.settings.organization;
  const counter = await session.tokens.next(org.maximumtrackingnumber);
  return makeTrackingToken({
    prefix: org.trackingprefix,
    idDigits: org.trackingtokeniddigits,
    idBase: org.trackingtokenidbase,
    userNumber: userNumberOf(session.user.id, org.trackingtokeniddigits),
    maxTrackingNumber: org.maximumtrackingnumber,
    counter,
  });
}

/** The subject with the token in it: none when one is there already, else the parent's or a new one. */
export async function subjectWithToken(
  session: Session,
  draft: ComposeSnapshot,
  parentToken: string | null,
): Promise<{ readonly subject: string; readonly token: string } | null> {
  const org = session.settings.organization;
  if (!org.useTrackingToken) return null;
  if (findTrackingTokens(draft.subject, org.trackingprefix).length > 0) return null;
  const token = parentToken ?? (await newTrackingToken(session));
  return { subject: `${draft.subject.trimEnd()} ${token}`, token };
}

/**
 * The subject without the token a mark added (the last place it appears, with the space before it),
 * or null when the subject no longer holds it (the user edited it: their subject is left alone).
 */
export function subjectWithoutToken(subject: string, token: string): string | null {
  const at = subject.lastIndexOf(token);
  if (at < 0) return null;
  const before = subject.slice(0, at).replace(/ $/, '');
  return `${before}${subject.slice(at + token.length)}`;
}

/** A draft mark's random id. */
export const randomId = (): string =>
  Array.from({ length: 4 }, () =>
    Math.floor(Math.random() * 0x1_0000_0000)
      .toString(16)
      .padStart(8, '0'),
  ).join('');

/**
 * What a draft already says about its own tracking: none open, marked, or cancelled by the user.
 * Null when it says nothing yet (a decision is needed). The one reading of a draft's state, shared
 * by composeOpened and the pane's draftTracking.
 */
export function draftStateOf(
  draft: ComposeSnapshot | null,
  t: AppTranslate = englishAppWords,
): ComposeState | null {
  if (!draft) return noDraft(t);
  if (draft.mark)
    return {
      marked: true,
      mark: draft.mark,
      decision: null,
      message: t('app.willBeTrackedWhenSent'),
    };
  if (draft.optedOut)
    return {
      marked: false,
      mark: null,
      decision: null,
      optedOut: true,
      message: t('app.chosenNotToTrack'),
    };
  return null;
}

/** OnNewMessageCompose: a reply or forward of tracked email is marked to be tracked when sent. */
export async function composeOpened(session: Session, newId: () => string = randomId): Promise<ComposeState> {
  const t = wordsOf(session);
  const draft = await session.mailbox.currentDraft();
  const known = draftStateOf(draft, t);
  if (known || !draft) return known ?? noDraft(t);
  if (draft.facts.composeType !== 'reply' && draft.facts.composeType !== 'forward') {
    return {
      marked: false,
      mark: null,
      decision: null,
      message: t('app.newEmailTrackedOnRequest'),
    };
  }
  const { decision } = await lookUpAndDecide(session, draft.facts, 'compose', null);
  if (!decision.track)
    return {
      marked: false,
      mark: null,
      decision,
      message: t(
        decision.reason === 'ReplyForwardTrackingDisabled'
          ? 'app.repliesNotTracked'
          : 'app.notReplyToTracked',
      ),
    };
  if (session.settings.orgDb.OverrideTrackInCrmBehaviour === 1 && !decision.regarding) {
    // The organization requires a regarding record to track, and the parent had none: marking it
    // would promise a track the send cannot make.
    return {
      marked: false,
      mark: null,
      decision,
      message: t('app.draftNeedsRegarding'),
    };
  }
  const tokened = await subjectWithToken(session, draft, decision.parentTrackingToken);
  const mark: DraftMark = {
    id: newId(),
    regarding: decision.regarding,
    parentActivityId: decision.correlation?.activityId ?? null,
    token: tokened?.token ?? null,
  };
  await session.mailbox.markDraft(mark, tokened?.subject ?? null);
  await session.mailbox.notify(null, {
    kind: 'will-track',
    text: t('app.willBeTrackedWhenSentNotice'),
  });
  return { marked: true, mark, decision, message: t('app.willBeTrackedWhenSent') };
}

/**
 * The pane's "Cancel tracking" on a marked draft: the mark goes and the choice is remembered, so
 * composeOpened does not mark it again; only an explicit `trackDraft` does. The draft's notification
 * said it would be tracked: it is replaced, so Outlook never shows a promise the pane has withdrawn.
 */
export async function cancelDraftTracking(session: Session): Promise<void> {
  const draft = await session.mailbox.currentDraft();
  const token = draft?.mark?.token;
  await session.mailbox.unmarkDraft(draft && token ? subjectWithoutToken(draft.subject, token) : null);
  await session.mailbox.notify(null, { kind: 'info', text: wordsOf(session)('app.notTrackedWhenSent') });
}

/** The draft's and the pane's words once the user cancelled tracking of a draft (English: t('app.notTrackedWhenSent')). */
export const NOT_TRACKED_WHEN_SENT = englishAppWords('app.notTrackedWhenSent');

/** How long the send handler waits for the CRM before queueing instead (Outlook warns after 5 s). */
export const SEND_BUDGET_MS = 4_000;

export type SendOutcome = 'not-marked' | 'tracked' | 'queued' | 'not-allowed';

/** What queueing a draft needs when no session could be opened (the CRM unreachable at start). */
export interface QueueDeps extends Worded {
  readonly mailbox: MailboxPort;
  readonly pending: PendingStore;
  readonly clock: Clock;
  readonly log: DiagnosticsLog;
  /** VerboseErrorsOnPromoteToCRM (§1.2) as last known: false (short) when no settings were ever read. */
  readonly verboseErrors: boolean;
}

/**
 * A notice on the draft being sent. The send goes on whatever happens, so a notice Outlook refuses
 * (the compose window already closing) cannot stop anything: it is logged, with the text it carried.
 */
async function tellDraft(deps: { mailbox: MailboxPort; log: DiagnosticsLog }, notice: Notice): Promise<void> {
  try {
    await deps.mailbox.notify(null, notice);
  } catch (error) {
    deps.log.log(`Could not show "${notice.text}" on the draft.`, error);
  }
}

/** Send-time facts of a marked draft: outgoing, in Sent Items, under its provisional Message-ID. */
function sentFacts(draft: ComposeSnapshot, mark: DraftMark): EmailFacts {
  return {
    ...draft.facts,
    direction: 'outgoing',
    folder: 'sentitems',
    messageId: provisionalMessageId(mark.id),
  };
}

/**
 * Tracking must never stop mail: a marked draft whose track could not be made now is queued
 * (idempotent per Message-ID, so a late success is found, not doubled) and the user told.
 */
export async function queueMarkedDraft(deps: QueueDeps, cause: unknown): Promise<SendOutcome> {
  const t = wordsOf(deps);
  const failure = userFacingError(cause, t);
  // The detail always goes to the log; the user sees it only with VerboseErrorsOnPromoteToCRM = 1.
  deps.log.log(`Send-time track not made, queued: ${failure.verbose}`, cause);
  const draft = await deps.mailbox.currentDraft();
  if (!draft?.mark) return 'not-marked';
  const facts = sentFacts(draft, draft.mark);
  try {
    await enqueuePending(
      deps,
      // The mark's regarding is the one the user kept on the draft; null lets delivery correlate again.
      { itemId: null, facts, regarding: draft.mark.regarding, messageId: facts.messageId as string },
      { ...failure, retryable: true },
    );
  } catch (error) {
    // Even the queue could not be written (roaming settings full): the user must know, now.
    await tellDraft(deps, {
      kind: 'failed',
      text: t('app.sentNotQueued', { reason: error instanceof Error ? error.message : String(error) }),
    });
    throw error;
  }
  await tellDraft(deps, {
    kind: 'info',
    text: t('app.sentQueued', { reason: errorText(failure, deps.verboseErrors) }),
  });
  return 'queued';
}

/**
 * OnMessageSend: a marked draft is tracked as sent email, under a provisional Message-ID that the
 * sent item's header links back to. Always resolves (the handler then allows the send).
 */
export async function messageSending(session: Session, budgetMs = SEND_BUDGET_MS): Promise<SendOutcome> {
  const draft = await session.mailbox.currentDraft();
  if (!draft?.mark) return 'not-marked';
  const mark = draft.mark;
  const facts = sentFacts(draft, mark);
  const attempt = async (): Promise<SendOutcome> => {
    const decided = await lookUpAndDecide(session, facts, 'track', mark.regarding);
    const { decision } = decided;
    if (!decision.track && decision.reason !== 'Duplicate') {
      // The user was told it would be tracked: say it was not, and why.
      await tellDraft(session, {
        kind: 'failed',
        text: wordsOf(session)('app.sentWithoutTracking', {
          reason: reasonMessage(decision, wordsOf(session)),
        }),
      });
      return 'not-allowed';
    }
    // The mark's regarding was passed as chosen, so it wins; else the correlated one (§2.2 step 3).
    if (decision.track)
      await trackDecided(session, facts, decision, {
        body: null,
        regarding: decision.regarding,
        lookedUp: decided,
      });
    return 'tracked';
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new CrmUnavailableError(`The CRM did not answer within ${budgetMs / 1000} s of sending.`, {
            status: null,
            code: null,
            requestId: null,
            request: 'send',
          }),
        ),
      budgetMs,
    );
  });
  try {
    return await Promise.race([attempt(), timeout]);
  } catch (error) {
    return queueMarkedDraft(
      {
        mailbox: session.mailbox,
        pending: session.pending,
        clock: session.clock,
        log: session.log,
        verboseErrors: verboseErrors(session),
        t: wordsOf(session),
      },
      error,
    );
  } finally {
    clearTimeout(timer);
  }
}
