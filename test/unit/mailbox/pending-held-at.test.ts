/**
 * Issue 10: a held track survives a restart of Outlook as held. Roaming settings are the queue's
 * store, so `heldAt` must come back from them, or a track pressed again after a failed try would
 * wait out its 5-minute hold at the next start instead of being sent.
 */
import { userFacingError } from '../../../src/app/itemState';
import { enqueuePending, holdPending, isHeld, type QueueContext } from '../../../src/app/pendingQueue';
import { CrmUnavailableError } from '../../../src/crm/errors';
import { RoamingStore } from '../../../src/mailbox/roamingStore';
import { createOfficeSimulator, memoryStorage, type MemoryStorage } from '../../../simulator';
import { FakeClock, readItem } from '../../support/fakes';

const uninstalls: (() => void)[] = [];
afterEach(() => uninstalls.splice(0).forEach((uninstall) => uninstall()));

/** Outlook started over `storage`: what was saved before is what a new start reads. */
function start(storage: MemoryStorage): { roaming: RoamingStore; context: QueueContext; clock: FakeClock } {
  const sim = createOfficeSimulator({
    user: { emailAddress: 'dana@contoso.com', displayName: 'Dana Park' },
    storage,
  });
  uninstalls.push(sim.install(globalThis));
  const roaming = new RoamingStore(sim.Office.context.roamingSettings as unknown as Office.RoamingSettings);
  const clock = new FakeClock();
  return {
    roaming,
    clock,
    context: { pending: roaming.pendingStore(), clock, verboseErrors: false, log: { log: () => undefined } },
  };
}

const item = readItem();
const entry = {
  itemId: 'item-1',
  facts: item.facts,
  regarding: null,
  messageId: item.facts.messageId as string,
};
const failure = userFacingError(
  new CrmUnavailableError('Service Unavailable', { status: 503, code: null, requestId: null, request: null }),
);

test('a track pressed again after a failed try is still held after a restart: heldAt and the counted try come back', async () => {
  const storage = memoryStorage();
  const before = start(storage);
  await holdPending(before.context, entry);
  await enqueuePending(before.context, entry, failure);
  await holdPending(before.context, entry);
  uninstalls.splice(0).forEach((uninstall) => uninstall());

  const after = start(storage);
  const [stored] = await after.roaming.pendingStore().load();

  expect(stored).toMatchObject({ key: 'item-1', attempts: 1, heldAt: before.clock.now() });
  expect(isHeld(stored!)).toBe(true);
});

test('a failed try saved over a held track leaves no heldAt in the roaming settings', async () => {
  const storage = memoryStorage();
  const { context } = start(storage);
  await holdPending(context, entry);
  await enqueuePending(context, entry, failure);

  expect(storage.value).not.toMatch(/heldAt/);
  const [stored] = await start(storage).roaming.pendingStore().load();
  expect(isHeld(stored!)).toBe(false);
});
