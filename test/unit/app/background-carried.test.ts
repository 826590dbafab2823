/**
 * What a background cycle keeps of the items it carries (background-check.md §1.2, §1.5) when a read
 * gives less than it had: a delta entry with no facts (Graph's read-state entries), folder mappings
 * that cannot be read, and a delta round cut short by its page limit.
 */
import { CrmUnavailableError } from '../../../src/crm/errors';
import { GraphThrottledError } from '../../../src/graph/errors';
import { MAX_DELTA_PAGES } from '../../../src/app/backgroundCycleRun';
import { contactAnn, harness, userDana } from '../../support/fakes';
import { runner } from './background-fakes';

const MINUTE = 60_000;
const FABRIKAM = 'Inbox/Projects/Fabrikam';
const throttled = () =>
  new GraphThrottledError('Microsoft Graph asked to slow down.', {
    status: 429,
    code: 'ApplicationThrottled',
    requestId: null,
    request: 'POST /$batch',
  });

async function setup(organization: Record<string, unknown> = {}) {
  const h = harness();
  h.crm.records = [contactAnn, userDana];
  h.crm.settings = {
    organization: { tagpollingperiod: 15, tagmaxaggressivecycles: 0, ...organization },
    user: { incomingemailfilteringmethod: 2 },
  };
  const r = runner(await h.session(), h.clock);
  r.mappings = [
    {
      id: 'map-1',
      folderId: 'folder-77',
      folderPath: FABRIKAM,
      regarding: { type: 'account', id: 'acc-fabrikam' },
      regardingName: 'Fabrikam',
    },
  ];
  r.check.start();
  return { h, r };
}

test('a delta entry with no facts does not replace a carried item: its tag is written with the facts read before', async () => {
  const { h, r } = await setup();
  const item = r.graph.deliver();
  r.graph.failWrites.set(item.itemId, throttled());
  await r.tick();
  expect(r.state.retry.map((c) => c.itemId)).toEqual([item.itemId]);

  r.graph.markRead(item.itemId);
  await r.tick();
  expect(r.check.status().actions[0]).toMatchObject({ itemId: item.itemId, do: 'tag', outcome: 'done' });
  expect(r.graph.item(item.itemId).tag?.activityId).toBe(h.crm.tracked[0]?.activityId);
  expect(r.state.retry).toEqual([]);
});

test('a delta entry with no facts does not drop a deferred item: after a restart it is read again by id', async () => {
  const { h, r } = await setup({ backgroundMaxItems: 1 });
  const [, second] = [1, 2].map(() => r.graph.deliver());
  await r.tick();
  expect(r.state.deferred.map((c) => c.itemId)).toEqual([second?.itemId]);
  r.check.stop();

  const again = runner(r.session, h.clock, r.graph, r.state);
  again.check.start();
  r.graph.markRead(second?.itemId as string);
  await again.tick();
  expect(again.check.status().actions[0]).toMatchObject({ itemId: second?.itemId, do: 'track' });
  expect(h.crm.tracked).toHaveLength(2);
  expect(again.state.deferred).toEqual([]);
});

test('§1.2 step 1 folder mappings that cannot be read keep the items of mapped folders as they were', async () => {
  const { h, r } = await setup({ isfolderbasedtrackingenabled: true, backgroundMaxItems: 1 });
  const items = [1, 2].map(() => r.graph.deliver({}, FABRIKAM));
  await r.tick();
  expect(r.state.deferred.map((c) => c.itemId)).toEqual([items[1]?.itemId]);

  r.mappingsFailure = new CrmUnavailableError('The CRM is busy.', {
    status: 503,
    code: null,
    requestId: null,
    request: 'GET mailboxtrackingfolders',
  });
  await r.tick();
  expect(r.check.status().lastError).toMatch(/./);
  expect(r.state.deferred.map((c) => c.itemId)).toEqual([items[1]?.itemId]);

  r.mappingsFailure = null;
  await r.tick();
  expect(r.state.deferred).toEqual([]);
  expect(h.crm.tracked.map((t) => t.regarding)).toEqual([
    { type: 'account', id: 'acc-fabrikam' },
    { type: 'account', id: 'acc-fabrikam' },
  ]);
});

test('§1.5 a delta round cut short by its page limit is read on from its watermark a minute later', async () => {
  const { h, r } = await setup();
  r.graph.pageItems = 2;
  [1, 2, 3].map(() => r.graph.deliver());
  await r.tick();
  expect(r.graph.calls.find((c) => c.method === 'folderChanges')?.args).toEqual([
    { wellKnown: 'inbox' },
    null,
  ]);
  expect(h.crm.tracked).toHaveLength(2);
  expect(r.timer.delays()).toEqual([1 * MINUTE]);
  await r.tick();
  const watermarks = r.graph.calls.filter((c) => c.method === 'folderChanges').map((c) => c.args[1]);
  expect(watermarks[1]).toBe('2');
  expect(h.crm.tracked).toHaveLength(3);
  // The echoes of the tag writes are pages too: once a call ends the round, the polling period.
  while (r.timer.delays()[0] === 1 * MINUTE) await r.tick();
  expect(r.timer.delays()).toEqual([15 * MINUTE]);
  expect(h.crm.tracked).toHaveLength(3);
});

test('the delta is read at most MAX_DELTA_PAGES pages per folder and cycle', async () => {
  const { r } = await setup();
  await r.tick();
  expect(r.graph.options).toEqual([expect.objectContaining({ maxPages: MAX_DELTA_PAGES })]);
});

test('§1.2 step 5 after a restart only the next backgroundMaxItems deferred items are read again by id, oldest first', async () => {
  const { h, r } = await setup({ backgroundMaxItems: 2 });
  const items = [5, 1, 4, 2, 3].map((minute) =>
    r.graph.deliver({ receivedAt: `2026-03-01T08:0${minute}:00.000Z` }),
  );
  await r.tick();
  expect(r.state.deferred).toHaveLength(3);
  expect(r.state.deferred.every((c) => c.receivedAt !== undefined)).toBe(true);
  r.check.stop();

  const again = runner(r.session, h.clock, r.graph, r.state);
  again.check.start();
  await again.tick();
  const reads = r.graph.calls.filter((c) => c.method === 'readFacts').map((c) => c.args[1]);
  // Received at 08:03, 08:04 and 08:05 were deferred: the two oldest are read, the last waits.
  expect(reads).toEqual([[items[4]?.itemId, items[2]?.itemId]]);
  expect(again.state.deferred.map((c) => c.itemId)).toEqual([items[0]?.itemId]);
  expect(again.timer.delays()).toEqual([1 * MINUTE]);
  await again.tick();
  expect(h.crm.tracked).toHaveLength(5);
  expect(again.state.deferred).toEqual([]);
});
