/**
 * The background check's schedule (background-check.md §1.5, §1.6) with fakes: the first cycle 10 s
 * after start, then the planner's minutes; one cycle at a time; Check now; stop; no session; settings
 * read at each cycle's start.
 */
import {
  FIRST_CYCLE_DELAY_MS,
  NO_SESSION_RETRY_MS,
  UNEXPECTED_FAILURE,
} from '../../../src/app/backgroundCheck';
import { contactAnn, harness, userDana } from '../../support/fakes';
import { runner, withNothingToDo } from './background-fakes';

const MINUTE = 60_000;

async function setup(organization: Record<string, unknown> = {}) {
  const h = harness();
  h.crm.records = [contactAnn, userDana];
  h.crm.settings = {
    organization: { tagpollingperiod: 15, tagmaxaggressivecycles: 2, ...organization },
    user: { incomingemailfilteringmethod: 2 },
  };
  const session = await h.session();
  return { h, r: runner(session, h.clock) };
}

test('§1.6 the first cycle runs 10 s after start, not before', async () => {
  const { h, r } = await setup();
  r.check.start();
  expect(r.check.status()).toMatchObject({
    phase: 'starting',
    nextRunAt: h.clock.time + FIRST_CYCLE_DELAY_MS,
  });
  expect(r.timer.delays()).toEqual([FIRST_CYCLE_DELAY_MS]);
  expect(r.graph.count('folderChanges')).toBe(0);
  await r.tick();
  expect(r.graph.count('folderChanges')).toBe(1);
  expect(r.check.status().phase).toBe('waiting');
});

test('§1.5 new mail is followed by A checks a minute apart, then the polling period', async () => {
  const { r } = await setup();
  r.check.start();
  r.graph.deliver();
  await r.tick();
  expect(r.check.status().lastCycle?.counts.tracked).toBe(1);
  expect(r.timer.delays()).toEqual([1 * MINUTE]);
  await r.tick(); // quiet: 1 left
  expect(r.timer.delays()).toEqual([1 * MINUTE]);
  await r.tick(); // quiet: 0 left
  expect(r.timer.delays()).toEqual([15 * MINUTE]);
  expect(r.state.aggressiveCyclesLeft).toBe(0);
});

test('§1.5 deferred items bring the next cycle in 1 minute, and are taken then', async () => {
  const { r } = await setup({ backgroundMaxItems: 2, tagmaxaggressivecycles: 0 });
  r.check.start();
  const items = [1, 2, 3].map(() => r.graph.deliver());
  await r.tick();
  expect(r.check.status().lastCycle?.counts).toMatchObject({ lookedAt: 2, deferred: 1 });
  expect(r.state.deferred.map((d) => d.itemId)).toEqual([items[2]?.itemId]);
  expect(r.timer.delays()).toEqual([1 * MINUTE]);
  await r.tick();
  expect(r.check.status().lastCycle?.counts).toMatchObject({ lookedAt: 1, tracked: 1, deferred: 0 });
  expect(r.timer.delays()).toEqual([15 * MINUTE]);
});

test('§1.6 one cycle at a time: Check now during a cycle runs one right after it', async () => {
  const { r } = await setup();
  r.check.start();
  let release = () => {};
  r.graph.hold = new Promise((resolve) => (release = resolve));
  r.timer.fireAll();
  // The cycle is under way once it waits on the held delta.
  for (let i = 0; i < 100 && r.graph.count('folderChanges') === 0; i += 1) await Promise.resolve();
  expect(r.check.status().phase).toBe('running');
  r.check.checkNow();
  r.check.checkNow();
  expect(r.graph.count('folderChanges')).toBe(1);
  r.graph.hold = null;
  release();
  await r.check.settled();
  expect(r.graph.count('folderChanges')).toBe(2);
  expect(r.timer.delays()).toHaveLength(1);
});

test('§1.6 Check now between cycles runs one at once, in place of the one scheduled', async () => {
  const { r } = await setup();
  r.check.start();
  r.check.checkNow();
  await r.check.settled();
  expect(r.graph.count('folderChanges')).toBe(1);
  expect(r.timer.delays()).toEqual([15 * MINUTE]);
});

test('stop: no cycle is scheduled or run after it', async () => {
  const { r } = await setup();
  r.check.start();
  r.check.stop();
  expect(r.check.status()).toMatchObject({ phase: 'stopped', nextRunAt: null });
  expect(r.timer.delays()).toEqual([]);
  r.check.checkNow();
  await r.check.settled();
  expect(r.graph.count('folderChanges')).toBe(0);
});

test('without a session the runner waits, stopped, and asks again later', async () => {
  const { h, r } = await setup();
  const session = r.session;
  r.session = null;
  r.check.start();
  await r.tick();
  expect(r.check.status()).toMatchObject({ phase: 'stopped', nextRunAt: h.clock.time + NO_SESSION_RETRY_MS });
  expect(r.graph.count('folderChanges')).toBe(0);
  r.session = session;
  await r.tick();
  expect(r.graph.count('folderChanges')).toBe(1);
});

test('§1.6 a change of settings applies from the next cycle', async () => {
  const { h, r } = await setup();
  r.check.start();
  await r.tick();
  expect(r.graph.calls.map((c) => c.args[0])).toEqual([{ wellKnown: 'inbox' }]);
  h.crm.settings = {
    ...h.crm.settings,
    organization: {
      ...h.crm.settings.organization,
      orgdborgsettings:
        '<OrgSettings><AutoTrackSentFolderItems>true</AutoTrackSentFolderItems></OrgSettings>',
    },
  };
  r.session = await h.session();
  await r.tick();
  expect(r.graph.calls.slice(1).map((c) => c.args[0])).toEqual([
    { wellKnown: 'inbox' },
    { wellKnown: 'sentitems' },
  ]);
});

test('§1.1 a cycle that does not run reads no folder and comes back after the polling period', async () => {
  const { r } = await setup({ tagpollingperiod: 20 });
  r.session = withNothingToDo(r.session);
  r.check.start();
  await r.tick();
  expect(r.graph.count('folderChanges')).toBe(0);
  expect(r.check.status().lastCycle).toMatchObject({ ran: false, reason: 'PromotionDisabled' });
  expect(r.timer.delays()).toEqual([20 * MINUTE]);
});

test('an unexpected failure is said in a sentence of the add-in, its detail in the log, and the schedule goes on', async () => {
  const { r } = await setup();
  r.check.start();
  // A bug's own words (a TypeError reading a state that is not one) are not for the user.
  r.state = null as never;
  await r.tick();
  expect(r.check.status().lastError).toBe(UNEXPECTED_FAILURE);
  expect(r.logged).toContain('Background check: the cycle failed');
  expect(r.timer.delays()).toHaveLength(1);
});
