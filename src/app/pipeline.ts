/** The steps every use case shares: ask the CRM once, decide by the rules, create the activity. */
import type { AttachmentToTrack, ItemLookupResult, TrackedResult } from '../crm/port';
import { normalizeMessageId } from '../rules/messageId';
import { buildCrmIndex } from '../rules/crmIndex';
import { decide, type Decision } from '../rules/decide';
import type { Action, EmailFacts, RecordRef } from '../rules/types';
import { lookupQueryFor } from './lookupQuery';
import type { Session } from './session';
import { planTrack } from './trackPlan';

export interface Decided {
  readonly decision: Decision;
  readonly lookup: ItemLookupResult;
  /** When the lookup was answered (session clock): a fresh one stands in for the duplicate check. */
  readonly lookedUpAt: number;
}

/**
 * How long a lookup's "not tracked by you" is trusted when creating: long enough for one click's
 * lookup → create, short enough that a dialog left open (another runtime may track meanwhile) means
 * the adapter checks again.
 */
export const FRESH_LOOKUP_MS = 5_000;

/** One CRM round trip, then the rules. */
export async function lookUpAndDecide(
  session: Session,
  facts: EmailFacts,
  action: Action,
  regarding: RecordRef | null,
  extraMessageIds: readonly string[] = [],
): Promise<Decided> {
  const lookup = await session.crm.lookupItem(lookupQueryFor(facts, session.settings, extraMessageIds));
  return {
    decision: decideOn(session, facts, action, regarding, lookup),
    lookup,
    lookedUpAt: session.clock.now(),
  };
}

/** The rules on a lookup already made (the regarding changes the decision, not what to ask the CRM). */
export function decideOn(
  session: Session,
  facts: EmailFacts,
  action: Action,
  regarding: RecordRef | null,
  lookup: ItemLookupResult,
): Decision {
  return decide({
    action,
    email: facts,
    regarding,
    user: session.user,
    settings: session.settings,
    index: buildCrmIndex(lookup.records, lookup.trackedEmails),
  });
}

/** Creates the activity a decision asks for (idempotent per Message-ID and user). */
export async function trackDecided(
  session: Session,
  facts: EmailFacts,
  decision: Decision,
  options: {
    body: string | null;
    messageId?: string;
    regarding?: RecordRef | null;
    attachments?: readonly AttachmentToTrack[];
    /** The lookup the decision was made on: when fresh, the adapter need not check for a duplicate again. */
    lookedUp?: Pick<Decided, 'lookup' | 'lookedUpAt'>;
  },
): Promise<TrackedResult> {
  const plan = planTrack(facts, decision, session.settings, options);
  const [result] = await session.crm.trackEmails(session.user.id, [plan], {
    checkedAbsent: freshlyAbsent(session, plan.messageId, facts, options.lookedUp) ? [plan.messageId] : [],
  });
  return result as TrackedResult;
}

/**
 * The lookup asked for this very Message-ID moments ago and found no activity of this user under it.
 * (A duplicate decision never reaches a create; with AllowPromoteDuplicates another user's activity
 * may exist, and that one does not count.)
 */
function freshlyAbsent(
  session: Session,
  messageId: string,
  facts: EmailFacts,
  lookedUp: Pick<Decided, 'lookup' | 'lookedUpAt'> | undefined,
): boolean {
  if (!lookedUp || session.clock.now() - lookedUp.lookedUpAt > FRESH_LOOKUP_MS) return false;
  const wanted = normalizeMessageId(messageId);
  if (!facts.messageId || normalizeMessageId(facts.messageId) !== wanted) return false;
  return !lookedUp.lookup.trackedEmails.some(
    (t) =>
      t.trackedBy === session.user.id && t.messageId !== null && normalizeMessageId(t.messageId) === wanted,
  );
}

/** The regarding of the tracked email with this activity id, from a lookup. */
export function regardingOf(lookup: ItemLookupResult, activityId: string): RecordRef | null {
  return lookup.trackedEmails.find((t) => t.activityId === activityId)?.regarding ?? null;
}
