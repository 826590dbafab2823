/** The steps every use case shares: ask the CRM once, decide by the rules, create the activity. */
import type { ItemLookupResult, TrackedResult } from '../crm/port';
import { buildCrmIndex } from '../rules/crmIndex';
import { decide, type Decision } from '../rules/decide';
import type { Action, EmailFacts, RecordRef } from '../rules/types';
import { lookupQueryFor } from './lookupQuery';
import type { Session } from './session';
import { planTrack } from './trackPlan';

export interface Decided {
  readonly decision: Decision;
  readonly lookup: ItemLookupResult;
}

/** One CRM round trip, then the rules. */
export async function lookUpAndDecide(
  session: Session,
  facts: EmailFacts,
  action: Action,
  regarding: RecordRef | null,
  extraMessageIds: readonly string[] = [],
): Promise<Decided> {
  const lookup = await session.crm.lookupItem(lookupQueryFor(facts, session.settings, extraMessageIds));
  return { decision: decideOn(session, facts, action, regarding, lookup), lookup };
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
  options: { body: string | null; messageId?: string; regarding?: RecordRef | null },
): Promise<TrackedResult> {
  const [result] = await session.crm.trackEmails(session.user.id, [
    planTrack(facts, decision, session.settings, options),
  ]);
  return result as TrackedResult;
}

/** The regarding of the tracked email with this activity id, from a lookup. */
export function regardingOf(lookup: ItemLookupResult, activityId: string): RecordRef | null {
  return lookup.trackedEmails.find((t) => t.activityId === activityId)?.regarding ?? null;
}
