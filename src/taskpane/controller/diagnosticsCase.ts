/**
 * "Copy as a case" for the pane's current item: the item read again, the CRM asked again with the
 * query the item's decision used (one round trip, only when the user asks: the item-open path keeps
 * no copy of the CRM's answer for this), and the session's settings, as a §6 case.
 */
import {
  actionOfDecision,
  caseOf,
  chosenRegardingOf,
  maskCase,
  type CaseJson,
} from '../../app/diagnosticsCase';
import { lookupQueryFor } from '../../app/lookupQuery';
import type { Decision } from '../../rules/decide';
import type { ItemState } from '../../app/itemState';
import type { Session } from '../../app/session';

/** Why no case could be built: no item is open (a typed outcome, not null-as-error). */
export class NoItemForCaseError extends Error {
  override readonly name = 'NoItemForCaseError';
  constructor() {
    super('No email is open.');
  }
}

export async function currentItemCase(
  session: Pick<Session, 'mailbox' | 'crm' | 'settings' | 'user'>,
  state: Pick<ItemState, 'activityId'> & { readonly decision: Decision },
  options: { mask: boolean },
): Promise<CaseJson> {
  const { decision } = state;
  const item = await session.mailbox.currentItem();
  if (!item) throw new NoItemForCaseError();
  const answer = await session.crm.lookupItem(lookupQueryFor(item.facts, session.settings));
  // The activity this decision created is in the CRM now; the decision was made before it was, so
  // the case leaves it out (else explain would answer Duplicate for a decision that tracked).
  const created = decision.track && decision.existingActivityId === null ? state.activityId : null;
  const lookup = {
    records: answer.records,
    trackedEmails: answer.trackedEmails.filter((tracked) => tracked.activityId !== created),
  };
  const built = caseOf({
    action: actionOfDecision(decision),
    facts: item.facts,
    regarding: chosenRegardingOf(decision),
    user: session.user,
    settings: session.settings,
    lookup,
  });
  return options.mask ? maskCase(built) : built;
}

/** The case as the clipboard gets it: one line, so it is also one line of a JSON Lines file. */
export const caseText = (value: CaseJson): string => JSON.stringify(value);
