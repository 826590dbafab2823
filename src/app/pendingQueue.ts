/**
 * Tracks that failed for a reason time can fix (429, 5xx, offline) wait here and are tried again
 * with back-off; the list survives a restart of the pane. After MAX_TRIES failed tries, or at once
 * for a failure trying again cannot fix, the item is Undeliverable and the user sees why (§5).
 * A track the user asked for is never silently dropped: it is delivered, or it stays here, visible.
 */
import { CrmError } from '../crm/errors';
import type { EmailFacts, RecordRef } from '../rules/types';
import { verboseErrors, type LoggedSession } from './diagnostics';
import { eventSink } from './diagnosticsEvents';
import { errorText, RulesRefusedError, userFacingError, type UserFacingError } from './itemState';
import { lookUpAndDecide, regardingOf, trackDecided, type Decided } from './pipeline';
import { readAttachments } from './trackPlan';
import type { Clock, DiagnosticsLog, PendingStore, PendingTrack } from './ports';

type Session = LoggedSession;

export const MAX_TRIES = 5;
/** Waits between tries: 30 s, 1 min, 2 min, 4 min (then Undeliverable). */
export const RETRY_BASE_MS = 30_000;
export const RETRY_MAX_MS = 15 * 60_000;

export function nextDelay(attempts: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

/**
 * What a queued track keeps of an email: everything the rules read, within bounds, so that a few
 * long threads cannot fill the 32 KB of roaming settings (References are cut to the latest 10 —
 * correlation reads them from the last — and names and the subject to reasonable lengths).
 */
export function compactFacts(facts: EmailFacts): EmailFacts {
  const cut = (text: string | null, max: number) => (text === null ? null : text.slice(0, max));
  const address = (a: EmailFacts['to'][number]) => ({
    address: a.address.slice(0, 320),
    name: cut(a.name, 100),
  });
  return {
    ...facts,
    subject: facts.subject.slice(0, 400),
    from: facts.from ? address(facts.from) : null,
    to: facts.to.slice(0, 50).map(address),
    cc: facts.cc.slice(0, 50).map(address),
    bcc: facts.bcc.slice(0, 50).map(address),
    references: facts.references.slice(-10),
  };
}

export interface NewPending {
  readonly itemId: string | null;
  readonly facts: EmailFacts;
  /** The regarding the user chose (null: none; a correlated one is found again on delivery). */
  readonly regarding: RecordRef | null;
  readonly messageId: string;
  /** How it is decided again (PendingTrack.action); absent: as the user's Track in CRM. */
  readonly action?: 'incoming' | 'track';
}

/** What the queue needs: its store, the time, whether errors are shown verbose, and the log. */
export interface QueueContext {
  readonly pending: PendingStore;
  readonly clock: Clock;
  readonly verboseErrors: boolean;
  readonly log: DiagnosticsLog;
}

export const queueContext = (session: Session): QueueContext => ({
  pending: session.pending,
  clock: session.clock,
  verboseErrors: verboseErrors(session),
  log: session.log,
});

/**
 * Adds (or updates) a pending track after a failed try: its request is answered, so it is no longer
 * held (no `heldAt`) and waits its back-off. Returns the entry as stored.
 */
export async function enqueuePending(
  session: QueueContext,
  entry: NewPending,
  failure: UserFacingError,
  retryAfterMs: number | null = null,
): Promise<PendingTrack> {
  const list = await session.pending.load();
  const key = entry.itemId ?? entry.messageId;
  const previous = list.find((p) => p.key === key);
  const attempts = (previous?.attempts ?? 0) + 1;
  const undeliverable = !failure.retryable || attempts >= MAX_TRIES;
  const stored: PendingTrack = {
    key,
    itemId: entry.itemId,
    facts: compactFacts(entry.facts),
    regarding: entry.regarding,
    messageId: entry.messageId,
    attempts,
    nextAttemptAt: session.clock.now() + Math.max(retryAfterMs ?? 0, nextDelay(attempts)),
    lastError: errorText(failure, session.verboseErrors),
    undeliverable,
    ...(entry.action === 'incoming' ? { action: 'incoming' as const } : {}),
  };
  await session.pending.save([...list.filter((p) => p.key !== key), stored]);
  eventSink(session.log)?.({ kind: 'queue', move: undeliverable ? 'given-up' : 'queued', key, attempts });
  return stored;
}

/**
 * How long a track in flight is held before the queue may send it: longer than one track takes
 * (the CRM's retries, the Set Regarding dialog), so a drain never races the request itself.
 */
export const HOLD_MS = 5 * 60_000;

/**
 * Writes a track to the queue BEFORE its request leaves (issue 10: nothing is ever lost): if the
 * pane or Outlook closes while the CRM has not answered, the entry is still here. The pane sends it
 * when it starts or opens the item (`isHeld`), other drains after `HOLD_MS`, each checking the
 * Message-ID first, so a request that did land is not made twice. The caller removes it when the
 * track lands or is answered without a queue. A failed try already counted is kept as it was (only
 * its hold is renewed).
 */
export async function holdPending(session: QueueContext, entry: NewPending): Promise<void> {
  const list = await session.pending.load();
  const key = entry.itemId ?? entry.messageId;
  const previous = list.find((p) => p.key === key);
  const held: PendingTrack = {
    key,
    itemId: entry.itemId,
    facts: compactFacts(entry.facts),
    regarding: entry.regarding,
    messageId: entry.messageId,
    attempts: previous?.attempts ?? 0,
    nextAttemptAt: session.clock.now() + HOLD_MS,
    lastError: previous?.lastError ?? null,
    undeliverable: false,
    heldAt: session.clock.now(),
  };
  await session.pending.save([...list.filter((p) => p.key !== key), held]);
}

/**
 * An entry written by `holdPending` and not failed since (`enqueuePending` drops `heldAt`): its
 * request was out when the runtime that sent it stopped, or is still out in another runtime. That
 * holds for a track pressed again after failed tries too, so `heldAt` decides, not `attempts`; an
 * entry stored before `heldAt` existed is held when no try has failed (a failed try counts one).
 * Sending it again early is safe: the activity id is derived from the user and the Message-ID, so a
 * second create meets the first one's key and is answered with it, never a second activity.
 */
export const isHeld = (entry: PendingTrack): boolean =>
  !entry.undeliverable && (typeof entry.heldAt === 'number' || entry.attempts === 0);

/** The provisional Message-ID of a draft tracked at send, until the sent item is seen (§2.3). */
export const provisionalMessageId = (markId: string): string => `<${markId}@track-in-crm.invalid>`;

/** The queued track of an item: by its item id, or (a sent item of a marked draft) by its provisional id. */
export async function findPending(
  session: { readonly pending: PendingStore },
  item: { itemId: string; draftMark: { id: string } | null },
): Promise<PendingTrack | undefined> {
  const provisional = item.draftMark ? provisionalMessageId(item.draftMark.id) : null;
  return (await session.pending.load()).find(
    (p) => p.itemId === item.itemId || (provisional !== null && p.key === provisional),
  );
}

export async function removePending(session: { readonly pending: PendingStore }, key: string): Promise<void> {
  const list = await session.pending.load();
  if (list.some((p) => p.key === key)) await session.pending.save(list.filter((p) => p.key !== key));
}

export interface Delivered {
  readonly entry: PendingTrack;
  readonly activityId: string;
  /** The activity's regarding: the CRM's, for one found already there; else the one it was made with. */
  readonly regarding: RecordRef | null;
}

export interface DrainResult {
  readonly delivered: readonly Delivered[];
  readonly failed: readonly PendingTrack[];
}

/**
 * One queued track on a decision taken with correlation (§2.2 step 3): found already in the CRM (a
 * request that landed unanswered), or created now. Throws when it cannot be delivered.
 */
export async function deliverPending(
  session: Session,
  entry: PendingTrack,
  decided: Decided,
): Promise<Delivered> {
  const { decision, lookup } = decided;
  if (decision.reason === 'Duplicate' && decision.existingActivityId)
    return {
      entry,
      activityId: decision.existingActivityId,
      regarding: regardingOf(lookup, decision.existingActivityId),
    };
  // The organization now requires something the queued track lacks (a regarding record).
  if (!decision.track) throw new RulesRefusedError(decision);
  // Attachment content is never queued (roaming settings hold 32 KB): read again now, when the item
  // is still the one Outlook shows; otherwise tracked without files (logged).
  const { attachments } = entry.itemId
    ? await readAttachments(session, entry.itemId, session.settings.organization)
    : { attachments: [] };
  // Nor is the body: read again likewise, so the activity has its description when it can.
  const body = entry.itemId ? await bodyIfShown(session, entry.itemId) : null;
  const result = await trackDecided(session, entry.facts, decision, {
    body,
    attachments,
    messageId: entry.messageId,
    regarding: decision.regarding,
    lookedUp: decided,
  });
  return { entry, activityId: result.activityId, regarding: decision.regarding };
}

async function bodyIfShown(session: Session, itemId: string): Promise<string | null> {
  try {
    return await session.mailbox.itemBody(itemId);
  } catch (error) {
    session.log.log(
      `The body of ${itemId} could not be read again; its queued track goes without it.`,
      error,
    );
    return null;
  }
}

/**
 * A queued track's try failed: kept in the queue with the reason the user sees (short or verbose),
 * one more try counted (Undeliverable after MAX_TRIES, or at once when trying again cannot help);
 * the detail is logged. Returns the entry as stored.
 */
export async function pendingFailedAgain(
  session: Session,
  entry: PendingTrack,
  error: unknown,
): Promise<PendingTrack> {
  const failure = userFacingError(error);
  session.log.log(
    `Queued track ${entry.key} failed again (try ${entry.attempts + 1}): ${failure.verbose}`,
    error,
  );
  const retryAfter =
    error instanceof CrmError && 'retryAfterMs' in error
      ? (error as { retryAfterMs: number | null }).retryAfterMs
      : null;
  return enqueuePending(queueContext(session), entry, failure, retryAfter);
}

/**
 * Tries every entry that is due (or every entry, with `force`, for the pane's Retry). With
 * `afterOutage` (the CRM answers again after a session that started offline) every waiting entry is
 * due at once: its back-off measured the outage, which is over. With `held` (the pane's first drain)
 * every held entry is due at once: the runtime that sent it is most likely gone, and an early second
 * send is safe (`isHeld`). Undeliverable ones still wait for a Retry. Delivered entries leave the
 * list; an item that is current is tagged by the caller from `delivered`.
 */
export async function drainPending(
  session: Session,
  options: { force?: boolean; key?: string; afterOutage?: boolean; held?: boolean } = {},
): Promise<DrainResult> {
  const now = session.clock.now();
  const due = (await session.pending.load()).filter(
    (p) =>
      (options.key === undefined || p.key === options.key) &&
      (options.force ||
        (!p.undeliverable && (options.afterOutage || (options.held && isHeld(p)) || p.nextAttemptAt <= now))),
  );
  const delivered: Delivered[] = [];
  const failed: PendingTrack[] = [];
  const moved = eventSink(session.log);
  for (const entry of due) {
    moved?.({ kind: 'queue', move: 'retried', key: entry.key, attempts: entry.attempts });
    try {
      const decided = await lookUpAndDecide(session, entry.facts, entry.action ?? 'track', entry.regarding, [
        entry.messageId,
      ]);
      delivered.push(await deliverPending(session, entry, decided));
      await removePending(session, entry.key);
      moved?.({ kind: 'queue', move: 'done', key: entry.key, attempts: entry.attempts + 1 });
    } catch (error) {
      failed.push(await pendingFailedAgain(session, entry, error));
    }
  }
  return { delivered, failed };
}
