/**
 * Plans the cycle of an `explain` case of action `cycle` (background-check.md §2) with the planner
 * the add-in runs, and writes the plan as the spec's output line.
 */
import { mergeHeaderFacts } from '../mail/mergeFacts';
import {
  CYCLE_SETTINGS_RAISED_TO_MINIMUM,
  planCycle,
  type CycleAction,
  type CyclePlan,
  type MailboxItem,
} from '../rules/backgroundCycle';
import { caseSettings, headerNotes, readHeaders } from './caseSettings';
import type { CycleCase } from './cycleInput';
import { decisionToJson } from './decisionJson';

/** Plans one well-formed cycle case; a setting of the wrong type is malformed input, as in §6. */
export function explainCycle(input: CycleCase): CyclePlan {
  const { settings, notes } = caseSettings(input.settings, CYCLE_SETTINGS_RAISED_TO_MINIMUM);
  // Each decision's trace starts with what was made of the case's settings and the item's headers.
  const itemNotes = new Map<string, Map<string, string[]>>(); // by folder, then itemId
  const folders = input.folders.map((folder) => ({
    name: folder.name,
    items: folder.items.map((item): MailboxItem => {
      if (item.headers === null) return item;
      const parsed = readHeaders(item.headers, `${item.field}.email.headers`);
      const inFolder = itemNotes.get(folder.name) ?? new Map<string, string[]>();
      inFolder.set(item.itemId, headerNotes(parsed));
      itemNotes.set(folder.name, inFolder);
      return { ...item, email: mergeHeaderFacts(item.email, parsed) };
    }),
  }));
  const plan = planCycle({
    now: input.now,
    user: input.user,
    settings,
    crm: input.crm,
    mailbox: { folders },
    state: input.state,
  });
  if (notes.length === 0 && itemNotes.size === 0) return plan;
  return {
    ...plan,
    actions: plan.actions.map((action) => {
      const decision = action.decision;
      if (decision === null) return action;
      const extra = itemNotes.get(action.folder)?.get(action.itemId) ?? [];
      return { ...action, decision: { ...decision, trace: [...extra, ...notes, ...decision.trace] } };
    }),
  };
}

/** §2's output line: exactly its fields, in its order, each decision as §6 writes one. */
export function cyclePlanToJson(plan: CyclePlan): Record<string, unknown> {
  return {
    run: plan.run,
    reason: plan.reason,
    actions: plan.actions.map(actionToJson),
    deferred: plan.deferred,
    seen: plan.seen.map((s) => ({ itemId: s.itemId, changeKey: s.changeKey })),
    next: { inMinutes: plan.next.inMinutes, aggressiveCyclesLeft: plan.next.aggressiveCyclesLeft },
  };
}

function actionToJson(action: CycleAction): Record<string, unknown> {
  return {
    itemId: action.itemId,
    messageId: action.messageId,
    folder: action.folder,
    do: action.do,
    reason: action.reason,
    code: action.code,
    activityId: action.activityId,
    decision: action.decision && decisionToJson(action.decision),
  };
}
