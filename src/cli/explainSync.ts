/**
 * Plans the synchronization of an `explain` case of action `sync` (synchronization.md §3) with the
 * planner the add-in runs, and writes the plan as the spec's output line.
 */
import { planSync } from '../rules/synchronization';
import type { SyncOperation, SyncPlan } from '../rules/syncTypes';
import { caseSettings } from './caseSettings';
import type { SyncCase } from './syncInput';

/**
 * Plans one well-formed sync case. A setting of the wrong type is malformed input (tracking.md §6);
 * an unknown setting is ignored (the plan has no trace to name it in).
 */
export function explainSync(input: SyncCase): SyncPlan {
  const { settings } = caseSettings(input.settings);
  return planSync({
    now: input.now,
    entity: input.entity,
    trigger: input.trigger,
    settings,
    mappings: input.mappings,
    crm: input.crm,
    outlook: input.outlook,
    state: input.state,
  });
}

/** §3's output line: exactly its fields, in its order. */
export function syncPlanToJson(plan: SyncPlan): Record<string, unknown> {
  return {
    run: plan.run,
    reason: plan.reason,
    operations: plan.operations.map(operationToJson),
    exclude: plan.exclude,
    next: { inMinutes: plan.next.inMinutes },
  };
}

function operationToJson(operation: SyncOperation): Record<string, unknown> {
  return {
    op: operation.op,
    crmId: operation.crmId,
    itemId: operation.itemId,
    fields: operation.fields,
    conflicts: operation.conflicts,
    reason: operation.reason,
  };
}
