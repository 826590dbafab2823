/** Held tracks (issue 10) as the tests set them up: a Track whose runtime stopped while its request was out. */
import { holdPending, queueContext } from '../../src/app/pendingQueue';
import type { RecordRef } from '../../src/rules/types';
import type { LoggedHarness } from './diagnostics';
import { readItem, USER_ID } from './fakes';

/** A Track whose runtime stopped while its request was out: what a reload leaves in the queue. */
export async function heldTrack(h: LoggedHarness, regarding: RecordRef | null = null) {
  const session = await h.session();
  const item = h.mailbox.add(readItem());
  await holdPending(queueContext(session), {
    itemId: item.itemId,
    facts: item.facts,
    regarding,
    messageId: item.facts.messageId as string,
  });
  return { session, item };
}

/** The request of the stopped runtime did land: the CRM has the activity, its answer reached no one. */
export function landed(h: LoggedHarness, messageId: string, regarding: RecordRef | null = null): void {
  h.crm.tracked.push({
    activityId: 'landed-1',
    messageId,
    subject: 'Quote',
    trackingToken: null,
    threadIndex: null,
    regarding,
    addresses: [],
    trackedBy: USER_ID,
    receivedAt: null,
  });
}
