import type { Decision } from '../rules/decide';

/** The §6 decision, with exactly its fields in its order (internal extras are left out). */
export function decisionToJson(decision: Decision): Record<string, unknown> {
  return {
    track: decision.track,
    reason: decision.reason,
    code: decision.code,
    existingActivityId: decision.existingActivityId,
    correlation: decision.correlation,
    regarding: decision.regarding,
    sender: decision.sender,
    senderCandidates: decision.senderCandidates,
    parties: decision.parties,
    create: decision.create,
    requiresRegarding: decision.requiresRegarding,
    trace: decision.trace,
  };
}
