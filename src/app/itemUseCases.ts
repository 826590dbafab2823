/**
 * The use cases on a read item: opened (the pinned pane's automatic check, §2.1 and §5), tracked at
 * the user's request (§2.2), untracked, and given a regarding record. A meeting reaches them as an
 * item too (the pane has one kind of selected item): each hands it to its appointment use case
 * (appointmentUseCases.ts, issue 12) before any email rule is asked.
 */
import { CrmError, CrmForbiddenError, CrmNotFoundError, CrmUnavailableError } from '../crm/errors';
import type { ItemLookupResult } from '../crm/port';
import { TRACKED_CATEGORY, UNDELIVERABLE_CATEGORY } from '../mailbox/categories';
import type { Decision } from '../rules/decide';
import type { Settings } from '../rules/settings';
import type { RecordRef } from '../rules/types';
import { loadPart } from '../crm/lazyPart';
import type { AppointmentMailboxPort, AppointmentSnapshot } from './appointmentPorts';
import type { AppointmentDeps, AppointmentState } from './appointmentUseCases';
import { verboseErrors, type LoggedSession } from './diagnostics';
import { wordsOf, type Worded } from './appWords';
import { paneWordsOf } from './appPaneWords';
import {
  namesOf,
  reasonMessage,
  reportFailure,
  senderMatchCountOf,
  userFacingError,
  type ItemState,
  type ItemStatus,
} from './itemState';
import {
  enqueuePending,
  findPending,
  holdPending,
  isHeld,
  pendingFailedAgain,
  provisionalMessageId,
  queueContext,
  removePending,
  type Delivered,
  type QueueContext,
} from './pendingQueue';
import { decideOn, lookUpAndDecide, regardingOf, trackDecided, type Decided } from './pipeline';
import { ATTACHMENT_REFUSED_CODE, readAttachments, skippedAttachmentsMessage } from './trackPlan';
import type { DiagnosticsLog, ItemSnapshot, MailboxPort, Notice, PendingTrack } from './ports';

type Session = LoggedSession;

export { provisionalMessageId };

function state(
  item: ItemSnapshot,
  status: ItemStatus,
  parts: {
    /** Names known to the caller (the record the user just chose). */
    names?: Readonly<Record<string, string>>;
    decision?: Decision | null;
    activityId?: string | null;
    regarding?: RecordRef | null;
    message: string;
    error?: ItemState['error'];
    /** The lookup behind the decision, and the settings it was decided under. */
    looked?: { readonly lookup: ItemLookupResult; readonly settings: Settings };
  },
): ItemState {
  const looked = parts.looked;
  return {
    itemId: item.itemId,
    status,
    activityId: parts.activityId ?? null,
    regarding: parts.regarding ?? null,
    decision: parts.decision ?? null,
    message: parts.message,
    error: parts.error ?? null,
    names: { ...(looked ? namesOf(looked.lookup) : {}), ...parts.names },
    senderMatchCount: looked ? senderMatchCountOf(item.facts, looked.settings, looked.lookup) : null,
  };
}

export type AppointmentCases = typeof import('./appointmentCases');

/**
 * The appointment use cases, a chunk loaded when a meeting is first handled, by the pane and by the
 * ribbon command alike: their initial JavaScript is held to budgets, and most panes and clicks only
 * ever see mail. A chunk that cannot load is a retryable network error (lazyPart.ts).
 */
export const loadAppointmentCases = (): Promise<AppointmentCases> =>
  loadPart(() => import(/* webpackChunkName: "meeting-use-cases" */ './appointmentCases'));

/** The session's mailbox, when it can also show meetings (the Office.js one can; a mail-only fake cannot). */
function meetingMailbox(mailbox: MailboxPort): (MailboxPort & AppointmentMailboxPort) | null {
  const candidate = mailbox as MailboxPort & Partial<AppointmentMailboxPort>;
  return typeof candidate.currentAppointment === 'function' &&
    typeof candidate.appointmentRetries === 'function'
    ? (candidate as MailboxPort & AppointmentMailboxPort)
    : null;
}

/**
 * A meeting given to an item use case (the pane knows one kind of selected item): handled by the
 * appointment use case `run`, its state given back as the card's; null for an email.
 */
async function asMeeting(
  session: Session,
  item: ItemSnapshot,
  run: (
    cases: AppointmentCases,
    deps: AppointmentDeps,
    meeting: AppointmentSnapshot,
  ) => Promise<AppointmentState>,
): Promise<ItemState | null> {
  const mailbox = meetingMailbox(session.mailbox);
  const meeting = mailbox?.meetingOf(item) ?? null;
  if (!meeting || !mailbox) return null;
  const cases = await loadAppointmentCases();
  const state = await run(cases, { session, mailbox, pending: mailbox.appointmentRetries() }, meeting);
  return cases.meetingState(meeting, state);
}

/** A lookup with the settings its decision was made under: what `state` counts the sender's matches by. */
const seen = (session: Session, lookup: ItemLookupResult) => ({ lookup, settings: session.settings });

/**
 * The info bar, when Outlook still shows the item. A notice that cannot be shown (the user moved on
 * to another item) must not replace the outcome it reports: it goes to the diagnostics log and the
 * outcome stands (the pane shows it from the returned state).
 */
async function tell(
  deps: { mailbox: MailboxPort; log: DiagnosticsLog },
  itemId: string,
  notice: Notice,
): Promise<void> {
  try {
    await deps.mailbox.notify(itemId, notice);
  } catch (error) {
    deps.log.log(`Could not show "${notice.text}" on the item ${itemId}.`, error);
  }
}

/** Tags the item as tracked unless it already carries this exact tag. */
async function ensureTagged(
  session: Session,
  item: ItemSnapshot,
  activityId: string,
  regarding: RecordRef | null,
): Promise<void> {
  const same =
    item.tag?.activityId === activityId &&
    item.tag.regarding?.id === regarding?.id &&
    item.categories.includes(TRACKED_CATEGORY);
  if (!same) await session.mailbox.tagTracked(item.itemId, { activityId, regarding });
}

/**
 * A failed track: queued when time can fix it (the user is told), else shown as failed. `regarding`
 * is what the user chose (null: none), so that a queued track is decided again on delivery and a
 * correlated regarding found then is used (§2.2 step 3).
 */
async function failedTrack(
  session: Session,
  item: ItemSnapshot,
  error: unknown,
  decision: Decision,
  regarding: RecordRef | null,
): Promise<ItemState> {
  // Not a CRM failure: a bug or Outlook refusing a call; the caller reports it (typed, unchanged).
  if (!(error instanceof CrmError)) throw error;
  if (!error.retryable) {
    const t = wordsOf(session);
    const { failure, text } = reportFailure(
      session.log,
      'Track refused by the CRM',
      error,
      verboseErrors(session),
      t,
    );
    await tell(session, item.itemId, { kind: 'failed', text: t('app.notTrackedBecause', { reason: text }) });
    return state(item, 'failed', { decision, message: text, error: failure });
  }
  const queued = await queueItemTrack(
    { mailbox: session.mailbox, ...queueContext(session), t: wordsOf(session) },
    item,
    error,
    regarding,
  );
  return { ...queued, decision };
}

/** What queueing a track needs, with or without an open session (and the words to say it in). */
export interface ItemQueueDeps extends QueueContext, Worded {
  readonly mailbox: MailboxPort;
}

/**
 * A track the user asked for, or the rules decided, that the CRM could not take now: kept in the
 * pending queue, the user told. Also used when not even a session could be opened (the ribbon
 * command with the CRM down): a track the user asked for is never dropped.
 */
export async function queueItemTrack(
  deps: ItemQueueDeps,
  item: ItemSnapshot,
  error: CrmError,
  regarding: RecordRef | null,
): Promise<ItemState> {
  const t = wordsOf(deps);
  const failure = userFacingError(error, t);
  // Queued, so the user sees "will be tried again", not the failure: its detail goes to the log.
  deps.log.log(`Track queued after a failure: ${failure.verbose}`, error);
  const retryAfter = error instanceof CrmUnavailableError ? error.retryAfterMs : null;
  const pending = await enqueuePending(
    deps,
    { itemId: item.itemId, facts: item.facts, regarding, messageId: item.facts.messageId as string },
    failure,
    retryAfter,
  );
  await tell(deps, item.itemId, { kind: 'info', text: t('app.queuedForRetry') });
  return state(item, 'pending', { regarding, message: pending.lastError ?? failure.short, error: failure });
}

/**
 * Creates the activity the decision asks for, regarding `decision.regarding` (the chosen record, else
 * the correlated one, §2.2 step 3). `queueAs` is the regarding a queued retry keeps: what was chosen,
 * so that the retry correlates again rather than freezing today's answer. `said`: the words for the
 * user, on the item and the card (a held track is "delivered", not tracked anew).
 */
async function createActivity(
  session: Session,
  item: ItemSnapshot,
  decision: Decision,
  lookedUp: Pick<Decided, 'lookup' | 'lookedUpAt'>,
  queueAs: RecordRef | null,
  said: { notice: string; card: string } = {
    notice: wordsOf(session)('app.tracked'),
    card: reasonMessage(decision, wordsOf(session)),
  },
): Promise<ItemState> {
  const regarding = decision.regarding;
  const { lookup } = lookedUp;
  try {
    const body = await session.mailbox.itemBody(item.itemId).catch((error: unknown) => {
      // A body that cannot be read does not stop the track: the activity is made without a
      // description, which the user can live with; the log says why it is empty.
      session.log.log(`Could not read the body of ${item.itemId}; tracked without a description.`, error);
      return null;
    });
    const org = session.settings.organization;
    const { attachments, skipped } = await readAttachments(session, item.itemId, org);
    const track = (files: typeof attachments) =>
      trackDecided(session, item.facts, decision, { body, regarding, lookedUp, attachments: files });
    let result;
    try {
      result = await track(attachments);
    } catch (error) {
      // The CRM refused a file the session's limits let through (changed since): the changeset made
      // nothing, so the email is tracked without its files and the user told which.
      if (!(
        attachments.length &&
        error instanceof CrmError &&
        error.detail.code?.toLowerCase() === ATTACHMENT_REFUSED_CODE
      ))
        throw error;
      session.log.log('The CRM refused an attachment; the email is tracked without its files.', error);
      skipped.push(...attachments.map((a) => ({ name: a.fileName, reason: 'refused' as const })));
      result = await track([]);
    }
    // An activity found already tracked (a lost response) has its files from that try.
    const notTracked = result.existed
      ? ''
      : skippedAttachmentsMessage(skipped, org.maxuploadfilesize, wordsOf(session));
    await ensureTagged(session, item, result.activityId, regarding);
    await tell(session, item.itemId, {
      kind: 'tracked',
      text: notTracked ? `${said.notice} ${notTracked}` : said.notice,
    });
    await removePending(session, item.itemId);
    const tracked = state(item, 'tracked', {
      decision,
      activityId: result.activityId,
      regarding,
      message: notTracked ? `${said.card} ${notTracked}` : said.card,
      looked: seen(session, lookup),
    });
    return result.existed || skipped.length === 0 ? tracked : { ...tracked, skippedAttachments: skipped };
  } catch (error) {
    return failedTrack(session, item, error, decision, queueAs);
  }
}

async function pendingState(session: Session, item: ItemSnapshot, pending: PendingTrack): Promise<ItemState> {
  const t = paneWordsOf(session);
  const reason = pending.lastError ?? t('appPane.noReasonGiven');
  if (pending.undeliverable && !item.categories.includes(UNDELIVERABLE_CATEGORY)) {
    // First time the item is seen Undeliverable: the category, and the reason on the info bar.
    await session.mailbox.tagUndeliverable(item.itemId);
    await tell(session, item.itemId, {
      kind: 'undeliverable',
      text: t('appPane.undeliverableNotice', { reason }),
    });
  }
  return state(item, pending.undeliverable ? 'undeliverable' : 'pending', {
    regarding: pending.regarding,
    message: pending.undeliverable
      ? t('appPane.undeliverable', { count: pending.attempts, reason })
      : t('appPane.waiting', { attempt: pending.attempts, reason }),
  });
}

/**
 * The item's track was held (issue 10): its request was out when the runtime that sent it stopped
 * (a reload, Outlook closed), or is still out in the ribbon's runtime. Decided again as a Track on
 * the lookup the item's check made (one round trip), then found (the request landed unanswered) or
 * sent now. Sending while the other request may still be out is harmless: both plan the same
 * activity id, and the CRM answers the second with the first (`isHeld`).
 */
async function deliverHeld(
  session: Session,
  item: ItemSnapshot,
  entry: PendingTrack,
  opened: Decided,
): Promise<ItemState> {
  const { lookup } = opened;
  const decision = decideOn(session, item.facts, 'track', entry.regarding, lookup);
  if (decision.reason === 'Duplicate' && decision.existingActivityId) {
    await removePending(session, entry.key);
    const regarding = regardingOf(lookup, decision.existingActivityId);
    await ensureTagged(session, item, decision.existingActivityId, regarding);
    const delivered = wordsOf(session)('app.delivered');
    await tell(session, item.itemId, { kind: 'tracked', text: delivered });
    return state(item, 'tracked', {
      decision,
      activityId: decision.existingActivityId,
      regarding,
      message: delivered,
      looked: seen(session, lookup),
    });
  }
  if (!decision.track) {
    // The rules now ask for what the held track lacks (a regarding record): shown as a Track pressed
    // now would show it, with what the user can do; nothing is left waiting that cannot be sent.
    await removePending(session, entry.key);
    session.log.log(`Held track ${entry.key} not sent: ${decision.reason}.`);
    return state(item, decision.reason === 'RegardingRequired' ? 'needs-regarding' : 'not-tracked', {
      decision,
      message: reasonMessage(decision, wordsOf(session)),
      looked: seen(session, lookup),
    });
  }
  const delivered = wordsOf(session)('app.delivered');
  const sent = await createActivity(session, item, decision, opened, entry.regarding, {
    notice: delivered,
    card: delivered,
  });
  if (sent.status !== 'pending' && sent.status !== 'undeliverable') await removePending(session, entry.key);
  return sent;
}

/**
 * A held track whose own runtime finished it (the ribbon's Track or Set Regarding, seen by the pane
 * between the item's tagging and the entry's removal): the CRM has the activity and the item already
 * carries its tag, which only a landed request writes. Nothing was waiting, so the item is said
 * tracked as any tracked item is, never "the waiting track was delivered"; the entry is taken out
 * here too (its runtime's removal after this is a no-op). A runtime that stopped before its answer
 * came back left no tag: that one is settled by `deliverHeld`.
 */
async function landedByItsRuntime(
  session: Session,
  item: ItemSnapshot,
  entry: PendingTrack,
  decision: Decision,
): Promise<boolean> {
  const landed =
    decision.reason === 'Duplicate' &&
    decision.existingActivityId !== null &&
    item.tag?.activityId === decision.existingActivityId;
  if (landed) await removePending(session, entry.key);
  return landed;
}

/**
 * §2.1 and §5: an item was opened with the pane pinned. One CRM lookup, the rules, then: track when
 * they say so; tag an item found tracked (automaticEmailTagging); track an item the user put in
 * the category (TrackCategorizedItems); give a sent item of a marked draft its real Message-ID.
 */
export async function itemOpened(session: Session, item: ItemSnapshot): Promise<ItemState> {
  const meeting = await asMeeting(session, item, (c, deps, m) => c.appointmentOpened(deps, m));
  if (meeting) return meeting;
  const pending = await findPending(session, item);
  const own = pending?.itemId === item.itemId ? pending : undefined;
  // A queued track of this item shows as such, unless it is held (its request was out when its
  // runtime stopped): that one is settled by the lookup below, not left to wait for its hold. A
  // send-time track queued under its draft's mark is checked in the CRM first: a slow try may have
  // delivered it after the send went.
  if (own && !isHeld(own)) return pendingState(session, item, own);
  if (!item.facts.messageId) {
    return state(item, 'not-tracked', { message: paneWordsOf(session)('appPane.noMessageIdYet') });
  }
  const extra = item.draftMark ? [provisionalMessageId(item.draftMark.id)] : [];
  let decided;
  try {
    decided = await lookUpAndDecide(session, item.facts, 'incoming', null, extra);
  } catch (error) {
    if (!(error instanceof CrmError)) throw error;
    // The held track's first try (its lookup) failed: it waits with the usual back-off, and says why.
    if (own) return pendingState(session, item, await pendingFailedAgain(session, own, error));
    // The automatic check could not ask the CRM. Nothing was asked of us, so nothing is queued: the
    // pane shows why and offers to try again.
    const t = paneWordsOf(session);
    const { failure, text } = reportFailure(
      session.log,
      'Could not check an email',
      error,
      verboseErrors(session),
      t,
    );
    return state(item, 'failed', {
      message: t('appPane.couldNotCheckEmail', { reason: text }),
      error: failure,
    });
  }
  const { decision, lookup } = decided;

  if (item.draftMark && item.facts.direction === 'outgoing') {
    const provisional = provisionalMessageId(item.draftMark.id);
    // Only our own send-time activity: a mark is ours (a custom property), and so must the activity be.
    const sent = lookup.trackedEmails.find(
      (t) => t.messageId === provisional && t.trackedBy === session.user.id,
    );
    if (sent) {
      // Delivered (perhaps by a slow try that outlived the send budget): no queued copy may remain.
      await removePending(session, provisional);
      if (own) await removePending(session, own.key);
      await session.crm.updateMessageId(sent.activityId, item.facts.messageId);
      await ensureTagged(session, item, sent.activityId, sent.regarding);
      return state(item, 'tracked', {
        decision,
        activityId: sent.activityId,
        regarding: sent.regarding,
        message: paneWordsOf(session)('appPane.trackedWhenSent'),
        looked: seen(session, lookup),
      });
    }
  }
  if (own && !(await landedByItsRuntime(session, item, own, decision))) {
    return deliverHeld(session, item, own, decided);
  }
  if (pending && pending !== own) return pendingState(session, item, pending);
  if (item.draftMark && item.facts.direction === 'outgoing' && decision.reason !== 'Duplicate') {
    // Our marked draft, sent, with no activity and nothing queued: the send-time track was lost
    // (queued in a runtime whose roaming settings another overwrote, or never made). The mark on
    // the sent item is the user's standing request: track it now, regarding what the mark says.
    return trackItem(session, item, item.draftMark.regarding);
  }
  if (decision.reason === 'Duplicate' && decision.existingActivityId) {
    const regarding = regardingOf(lookup, decision.existingActivityId);
    if (session.settings.client.automaticEmailTagging)
      await ensureTagged(session, item, decision.existingActivityId, regarding);
    return state(item, 'tracked', {
      decision,
      activityId: decision.existingActivityId,
      regarding,
      // Not the Duplicate reason's "Already tracked": that answers a Track pressed on an email tracked
      // before, and read after the user's own Track (the re-check finds it) it contradicts the press.
      message: wordsOf(session)('app.tracked'),
      looked: seen(session, lookup),
    });
  }
  if (item.tag) {
    // Our tag, but the CRM has no such activity any more (untracked elsewhere): the tag is stale.
    await session.mailbox.removeTags(item.itemId);
  }
  if (decision.track) return createActivity(session, item, decision, decided, decision.regarding);

  if (
    session.settings.orgDb.TrackCategorizedItems &&
    item.categories.includes(TRACKED_CATEGORY) &&
    !item.tag
  ) {
    // The user put the item in the category: that is a request to track it, as the button is.
    return trackItem(session, item, null);
  }
  return state(item, 'not-tracked', {
    decision,
    message: reasonMessage(decision, wordsOf(session)),
    looked: seen(session, lookup),
  });
}

export interface TrackOptions {
  /**
   * Asks the user for a regarding record (the ribbon's Set Regarding dialog). Called only when the
   * rules require one (§2.2 step 2), so never for an email already tracked (step 1 comes first).
   * Resolves null when the user chose none.
   */
  readonly chooseRegarding?: () => Promise<RecordRef | null>;
}

/**
 * "Track in CRM" (ribbon or pane): §2.2, with the regarding the user chose, if any. The track is in
 * the pending queue while its requests are out (holdPending): a pane or Outlook closed mid-track
 * loses nothing. It leaves the queue when it lands, or when the answer is not a track to retry.
 * It is held only once its regarding is known: while the Set Regarding dialog is open the time is
 * the user's, and a pane showing the item would send a held track at once, without the record the
 * organization requires; a dialog closed without a record leaves nothing queued.
 */
export async function trackItem(
  session: Session,
  item: ItemSnapshot,
  regarding: RecordRef | null = null,
  options: TrackOptions = {},
): Promise<ItemState> {
  const meeting = await asMeeting(session, item, (c, deps, m) =>
    c.trackAppointment(deps, m, regarding, options),
  );
  if (meeting) return meeting;
  const messageId = item.facts.messageId;
  if (!messageId) return trackNow(session, item, regarding, options);
  const context = queueContext(session);
  const hold = (chosen: RecordRef | null) =>
    holdPending(context, { itemId: item.itemId, facts: item.facts, regarding: chosen, messageId });
  const ask = options.chooseRegarding;
  // The dialog is asked exactly when the organization requires a record and none was given (trackNow).
  const regardingKnown =
    !ask || regarding !== null || session.settings.orgDb.OverrideTrackInCrmBehaviour !== 1;
  if (regardingKnown) await hold(regarding);
  let result: ItemState;
  try {
    result = await trackNow(session, item, regarding, {
      ...options,
      // Held with the record chosen in the dialog, before its request leaves: a track delivered
      // from the queue after a reload must not lack the regarding the organization requires.
      ...(ask && {
        chooseRegarding: async () => {
          const chosen = await ask();
          if (chosen) await hold(chosen);
          return chosen;
        },
      }),
    });
  } catch (error) {
    // A bug or Outlook refusing a call: the user sees the failure, so nothing waits unseen.
    await removePending(session, item.itemId);
    throw error;
  }
  if (result.status !== 'pending' && result.status !== 'undeliverable')
    await removePending(session, item.itemId);
  return result;
}

async function trackNow(
  session: Session,
  item: ItemSnapshot,
  regarding: RecordRef | null,
  options: TrackOptions,
): Promise<ItemState> {
  if (!item.facts.messageId) {
    return state(item, 'not-tracked', {
      message: wordsOf(session)('app.noMessageIdSendFirst'),
    });
  }
  let decided;
  try {
    decided = await lookUpAndDecide(session, item.facts, 'track', regarding);
  } catch (error) {
    // The CRM could not even be asked: the user's track is queued, never dropped.
    const placeholder: Decision = {
      track: true,
      reason: 'ManualTrack',
      code: null,
      existingActivityId: null,
      correlation: null,
      regarding,
      sender: null,
      senderCandidates: [],
      parties: [],
      create: [],
      requiresRegarding: false,
      trace: [],
      parentTrackingToken: null,
    };
    let chosen = regarding;
    if (
      error instanceof CrmError &&
      error.retryable &&
      !chosen &&
      options.chooseRegarding &&
      session.settings.orgDb.OverrideTrackInCrmBehaviour === 1
    ) {
      // The duplicate check cannot be made now, and a queued track without the regarding the
      // organization requires could never be delivered: ask for it now, check for a duplicate on delivery.
      chosen = await options.chooseRegarding();
      if (!chosen)
        return state(item, 'not-tracked', {
          decision: null,
          message: wordsOf(session)('app.noRegardingChosen'),
        });
    }
    return failedTrack(session, item, error, { ...placeholder, regarding: chosen }, chosen);
  }
  let { decision } = decided;
  const { lookup } = decided;
  const t = wordsOf(session);
  if (decision.reason === 'Duplicate' && decision.existingActivityId) {
    const existing = regardingOf(lookup, decision.existingActivityId);
    await ensureTagged(session, item, decision.existingActivityId, existing);
    // A Track pressed on an email the CRM has already (§2.2 step 1): the Duplicate reason's words.
    await tell(session, item.itemId, { kind: 'tracked', text: t('app.alreadyTracked') });
    return state(item, 'tracked', {
      decision,
      activityId: decision.existingActivityId,
      regarding: existing,
      message: t('app.alreadyTracked'),
      looked: seen(session, lookup),
    });
  }
  let chosen = regarding;
  if (decision.reason === 'RegardingRequired') {
    if (!options.chooseRegarding)
      return state(item, 'needs-regarding', {
        decision,
        message: reasonMessage(decision, t),
        looked: seen(session, lookup),
      });
    chosen = await options.chooseRegarding();
    if (!chosen)
      return state(item, 'not-tracked', {
        decision,
        message: t('app.noRegardingChosen'),
        looked: seen(session, lookup),
      });
    // Decided again on the same lookup: the records and tracked emails do not depend on the regarding.
    decision = decideOn(session, item.facts, 'track', chosen, lookup);
  }
  return createActivity(session, item, decision, decided, chosen);
}

/**
 * Untrack (§5): delete the activity (the user confirmed in the pane) and remove the tags. When the
 * user may not delete it, only the tags go and the user is told why.
 */
export async function untrackItem(session: Session, item: ItemSnapshot): Promise<ItemState> {
  const meeting = await asMeeting(session, item, (c, deps, m) => c.untrackAppointment(deps, m));
  if (meeting) return meeting;
  let activityId = item.tag?.activityId ?? null;
  if (!activityId && item.facts.messageId) {
    const { decision } = await lookUpAndDecide(session, item.facts, 'track', null);
    activityId = decision.existingActivityId;
  }
  if (!activityId) {
    await session.mailbox.removeTags(item.itemId);
    return untracked(session, item, { message: paneWordsOf(session)('appPane.emailNotTracked') });
  }
  try {
    await session.crm.untrack(activityId);
  } catch (error) {
    if (error instanceof CrmForbiddenError) {
      await session.mailbox.removeTags(item.itemId);
      const t = paneWordsOf(session);
      const { failure, text } = reportFailure(
        session.log,
        'Untrack refused',
        error,
        verboseErrors(session),
        t,
      );
      return untracked(session, item, {
        activityId,
        message: t('appPane.emailStaysInCrm', { reason: text }),
        error: failure,
      });
    }
    // Anything but "already gone" is for the caller to show.
    if (!(error instanceof CrmNotFoundError)) throw error;
    // Already gone from the CRM (deleted there, or by another window): untracking is done.
    session.log.log(`Untrack: the activity ${activityId} was already gone from the CRM.`, error);
  }
  await session.mailbox.removeTags(item.itemId);
  return untracked(session, item, { message: paneWordsOf(session)('appPane.emailUntracked') });
}

/**
 * The end of an Untrack: the item's notification still says "Tracked in the CRM." from its track, so
 * it is replaced (one key for all of ours) by what the pane now says, never left to contradict it.
 */
async function untracked(
  session: Session,
  item: ItemSnapshot,
  parts: { message: string; activityId?: string; error?: ItemState['error'] },
): Promise<ItemState> {
  await tell(session, item.itemId, { kind: 'info', text: parts.message });
  return state(item, 'not-tracked', parts);
}

/** Set or change regarding (§2.2): on a tracked email, change it; on an untracked one, track with it. */
export async function setRegarding(
  session: Session,
  item: ItemSnapshot,
  regarding: RecordRef,
  regardingName: string | null = null,
): Promise<ItemState> {
  const meeting = await asMeeting(session, item, (c, deps, m) =>
    c.setAppointmentRegarding(deps, m, regarding, regardingName),
  );
  if (meeting) return meeting;
  const names = regardingName ? { [`${regarding.type}:${regarding.id}`]: regardingName } : {};
  let activityId = item.tag?.activityId ?? null;
  if (!activityId && item.facts.messageId) {
    // Untagged (automaticEmailTagging off, or not seen yet): it may still be tracked in the CRM.
    const { decision } = await lookUpAndDecide(session, item.facts, 'track', regarding);
    if (decision.reason === 'Duplicate') activityId = decision.existingActivityId;
  }
  if (!activityId) {
    const tracked = await trackItem(session, item, regarding);
    return { ...tracked, names: { ...tracked.names, ...names } };
  }
  await session.crm.setRegarding(activityId, regarding);
  await session.mailbox.tagTracked(item.itemId, { activityId, regarding });
  return state(item, 'tracked', {
    activityId,
    regarding,
    message: paneWordsOf(session)('appPane.regardingSet'),
    names,
  });
}

/**
 * A waiting track the queue delivered, on its item while Outlook shows it: tagged with the activity,
 * and the item's "Not tracked yet… tried again" notification replaced, so that it never contradicts
 * the state the pane shows.
 */
export async function showDelivered(session: Session, itemId: string, delivered: Delivered): Promise<void> {
  await session.mailbox.tagTracked(itemId, {
    activityId: delivered.activityId,
    regarding: delivered.regarding,
  });
  await tell(session, itemId, { kind: 'tracked', text: wordsOf(session)('app.delivered') });
}

/**
 * The user gives up a waiting or undeliverable track (§5): the entry leaves the queue and the item's
 * Undeliverable category goes. Nothing is silent: the user chose it, and the state says so.
 */
export async function discardPendingTrack(session: Session, item: ItemSnapshot): Promise<ItemState> {
  const meeting = await asMeeting(session, item, async (c, deps, m) => {
    // A meeting's kept track leaves its own list; the meeting is then shown as it is.
    const kept = await deps.pending.load();
    await deps.pending.save(kept.filter((p) => p.itemId !== m.itemId));
    return c.appointmentOpened(deps, m);
  });
  if (meeting) return meeting;
  const pending = await findPending(session, item);
  if (pending) await removePending(session, pending.key);
  if (item.categories.includes(UNDELIVERABLE_CATEGORY) || item.tag)
    await session.mailbox.removeTags(item.itemId);
  return state(item, 'not-tracked', {
    message: paneWordsOf(session)(pending ? 'appPane.waitingDiscarded' : 'appPane.nothingWaiting'),
  });
}
