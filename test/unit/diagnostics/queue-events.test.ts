/** Pending-queue moves (tracking.md §5) in the diagnostics log: queued, and given up after the last try. */
import { enqueuePending, MAX_TRIES, type QueueContext } from '../../../src/app/pendingQueue';
import type { PendingTrack } from '../../../src/app/ports';
import { createDiagnosticsRing } from '../../../src/host/diagnosticsRing';
import type { EmailFacts } from '../../../src/rules/types';

const facts: EmailFacts = {
  messageId: '<m@x>',
  subject: 'Quote',
  direction: 'incoming',
  folder: 'inbox',
  from: { address: 'ann@fabrikam.com', name: 'Ann' },
  to: [],
  cc: [],
  bcc: [],
  inReplyTo: null,
  references: [],
  threadIndex: null,
  receivedAt: null,
  composeType: null,
};

function context(stored: PendingTrack[] = []) {
  let list = stored;
  const log = createDiagnosticsRing({ console: { log: () => undefined } });
  const queue: QueueContext = {
    pending: { load: async () => list, save: async (next) => void (list = [...next]) },
    clock: { now: () => 0 },
    verboseErrors: false,
    log,
  };
  return { queue, log };
}

const entry = { itemId: 'item-1', facts, regarding: null, messageId: '<m@x>' };
const retryable = { short: 'offline', verbose: 'offline', retryable: true };

test('a failed track put in the queue is logged as queued, with its key and tries, no subject', async () => {
  const { queue, log } = context();
  await enqueuePending(queue, entry, retryable);
  expect(log.events()).toEqual([
    expect.objectContaining({ kind: 'queue', move: 'queued', key: 'item-1', attempts: 1 }),
  ]);
  expect(JSON.stringify(log.events())).not.toContain('Quote');
});

test('the last failed try is logged as given up', async () => {
  const previous = { key: 'item-1', attempts: MAX_TRIES - 1 } as PendingTrack;
  const { queue, log } = context([previous]);
  await enqueuePending(queue, entry, retryable);
  expect(log.events()[0]).toMatchObject({ move: 'given-up', attempts: MAX_TRIES });
});
