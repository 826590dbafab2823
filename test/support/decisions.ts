/** A §6 decision for view and word tests: a plain "not tracked" one, with the parts a test cares about. */
import type { Decision } from '../../src/rules/decide';

export const decisionWith = (parts: Partial<Decision> = {}): Decision => ({
  track: false,
  reason: 'SenderNotMatched',
  code: null,
  existingActivityId: null,
  correlation: null,
  regarding: null,
  sender: null,
  senderCandidates: [],
  parties: [],
  create: [],
  requiresRegarding: false,
  trace: [],
  parentTrackingToken: null,
  ...parts,
});
