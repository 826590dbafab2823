/**
 * The synchronization runner's schedule, costs and status (synchronization.md §2.1, §2.5; issue 12's
 * budgets) with the in-memory CRM and Outlook: the first run 30 s after start, then every
 * `next.inMinutes`; one run at a time; a quiet run's requests; progress; the run log.
 */
import { FIRST_SYNC_DELAY_MS, NO_SESSION_RETRY_MS } from '../../../src/app/synchronization';
import { SYNC_CONFIG_TTL_MS } from '../../../src/app/syncConfig';
import { MAX_SYNC_RUNS_KEPT, type SyncProgress } from '../../../src/app/syncStatus';
import { syncHarness, syncSession } from '../../support/syncFakes';

const MINUTE = 60_000;

test('§2.5 the first run comes 30 s after start, then every outlooksyncinterval minutes', async () => {
  const h = await syncHarness({ organization: {}, user: { outlooksyncinterval: 20 } });
  h.sync.start();
  expect(h.timer.delays()).toEqual([FIRST_SYNC_DELAY_MS]);
  expect(h.outlook.count('changes')).toBe(0);
  await h.tick();
  expect(h.sync.status().runs[0]).toMatchObject({ trigger: 'scheduled', ran: true, reason: 'Ran' });
  expect(h.timer.delays()).toEqual([20 * MINUTE]);
  expect(h.sync.status()).toMatchObject({ phase: 'idle', nextRunAt: h.clock.time + 20 * MINUTE });
});

test('§2.5 the interval is raised to the organization minimum', async () => {
  const h = await syncHarness({
    organization: { minoutlooksyncinterval: 45 },
    user: { outlooksyncinterval: 20 },
  });
  h.sync.start();
  await h.tick();
  expect(h.timer.delays()).toEqual([45 * MINUTE]);
});

test('§2.1 scheduled runs not allowed: the scheduled one does nothing and no other is scheduled', async () => {
  const h = await syncHarness({ organization: { allowoutlookscheduledsyncs: false }, user: {} });
  h.crm.add('contact', { firstname: 'Ann' });
  h.sync.start();
  await h.tick();
  expect(h.sync.status().runs[0]).toMatchObject({ ran: false, reason: 'ScheduleNotAllowed' });
  expect(h.crm.requests + h.outlook.requests).toBe(0);
  expect(h.timer.delays()).toEqual([]);
  expect(h.sync.status()).toMatchObject({ phase: 'idle', nextRunAt: null });
});

test('§2.1 scheduled runs not allowed: Synchronize now still runs', async () => {
  const h = await syncHarness({ organization: { allowoutlookscheduledsyncs: false }, user: {} });
  h.crm.add('contact', { firstname: 'Ann' });
  const run = await h.run();
  expect(run).toMatchObject({ trigger: 'manual', ran: true });
  expect(h.outlook.ofType('contact')).toHaveLength(1);
});

test('§2.1 a device that is not the synchronization client runs nothing and is off', async () => {
  const h = await syncHarness();
  h.syncClient = false;
  h.crm.add('contact', { firstname: 'Ann' });
  const run = await h.run();
  expect(run).toMatchObject({ ran: false, reason: 'NotSyncClient' });
  expect(h.crm.requests + h.outlook.requests).toBe(0);
  expect(h.sync.status().phase).toBe('off');
});

test('§2.1 the device chosen as synchronization client runs from the next run on', async () => {
  const h = await syncHarness();
  h.syncClient = false;
  h.crm.add('contact', { firstname: 'Ann' });
  await h.run();
  h.syncClient = true;
  const run = await h.run();
  expect(run).toMatchObject({ ran: true, reason: 'Ran' });
  expect(h.sync.status().phase).toBe('idle');
});

test('§2.1 synchronization turned off in the personal options is off', async () => {
  const h = await syncHarness({ organization: {}, user: { syncwithoutlook: false } });
  const run = await h.run();
  expect(run).toMatchObject({ ran: false, reason: 'SyncOff' });
  expect(h.sync.status().phase).toBe('off');
});

test('budget: a quiet run costs one Dataverse request per filter and one Graph delta per type', async () => {
  const h = await syncHarness();
  h.crm.filters.push({ ...(h.crm.filters[0] as (typeof h.crm.filters)[number]), id: 'filter-contact-2' });
  h.crm.add('contact', { firstname: 'Ann', emailaddress1: 'ann@fabrikam.com' });
  h.crm.add('appointment', { subject: 'Kick-off' });
  h.outlook.userCreate('contact', { givenName: 'Bo', email1Address: 'bo@fabrikam.com' }, { tracked: true });
  h.crm.add('task', { subject: 'Call back' });
  h.sync.start();
  await h.tick();
  h.clock.time += 15 * MINUTE;
  await h.tick();
  const crmBefore = h.crm.requests;
  const outlookBefore = h.outlook.requests;
  const callsBefore = h.crm.calls.length;
  h.clock.time += 15 * MINUTE;
  await h.tick();
  expect(h.sync.status().runs[0]?.entries).toEqual([]);
  expect(h.crm.requests - crmBefore).toBe(h.crm.filters.length);
  expect(h.outlook.requests - outlookBefore).toBe(3);
  expect(h.crm.calls.slice(callsBefore).map((c) => c.method)).toEqual([
    'recordsInScope',
    'recordsInScope',
    'recordsInScope',
  ]);
});

test('scheduled runs keep the filters and mappings 4 hours, then read them again (once per type)', async () => {
  const h = await syncHarness();
  h.sync.start();
  await h.tick();
  h.clock.time += SYNC_CONFIG_TTL_MS - MINUTE;
  await h.tick();
  expect([h.crm.count('synchronizationFilters'), h.crm.count('fieldMappings')]).toEqual([1, 3]);
  h.clock.time += MINUTE;
  await h.tick();
  expect([h.crm.count('synchronizationFilters'), h.crm.count('fieldMappings')]).toEqual([2, 6]);
});

test('Synchronize now reads the filters and mappings again, once for its whole run', async () => {
  const h = await syncHarness();
  h.sync.start();
  await h.tick();
  await h.sync.synchronizeNow();
  expect([h.crm.count('synchronizationFilters'), h.crm.count('fieldMappings')]).toEqual([2, 6]);
});

test('one run at a time: Synchronize now during a run runs one right after it, and resolves then', async () => {
  const h = await syncHarness();
  h.sync.start();
  const first = h.sync.synchronizeNow();
  const second = h.sync.synchronizeNow();
  const third = h.sync.synchronizeNow();
  expect(h.sync.status().phase).toBe('running');
  await second;
  expect(h.sync.status().runs).toHaveLength(2);
  await Promise.all([first, third]);
  await h.sync.settled();
  expect(h.sync.status().runs).toHaveLength(2);
  expect(h.timer.delays()).toEqual([15 * MINUTE]);
});

test('without a session the runner waits, stopped, and asks again in a minute', async () => {
  const h = await syncHarness();
  const session = h.session;
  h.session = null;
  h.sync.start();
  await h.tick();
  expect(h.sync.status()).toMatchObject({ phase: 'stopped', nextRunAt: h.clock.time + NO_SESSION_RETRY_MS });
  expect(h.outlook.requests).toBe(0);
  h.session = session ?? (await syncSession());
  await h.tick();
  expect(h.sync.status().runs).toHaveLength(1);
});

test('stop: no run is scheduled or started after it', async () => {
  const h = await syncHarness();
  h.sync.start();
  h.sync.stop();
  expect(h.timer.delays()).toEqual([]);
  await h.sync.synchronizeNow();
  expect(h.outlook.requests).toBe(0);
  expect(h.sync.status().phase).toBe('stopped');
});

test('progress: each type is read, then its writes counted as they complete, and cleared at the end', async () => {
  const h = await syncHarness();
  for (const name of ['Ann', 'Bo', 'Cy']) h.crm.add('contact', { firstname: name });
  const seen: (SyncProgress | null)[] = [];
  h.sync.subscribe((status) => seen.push(status.progress));
  await h.run();
  const contact = seen.filter((p) => p?.entity === 'contact');
  expect(contact[0]).toEqual({ entity: 'contact', step: 'reading', done: 0, total: 0 });
  expect(contact[contact.length - 1]).toEqual({ entity: 'contact', step: 'writing', done: 3, total: 3 });
  expect(seen.filter((p) => p !== null).map((p) => p?.entity)).toEqual(
    expect.arrayContaining(['contact', 'appointment', 'task']),
  );
  expect(h.sync.status().progress).toBeNull();
});

test('progress: writes are counted batch by batch while they are written, not only once done', async () => {
  const h = await syncHarness();
  const names = Array.from({ length: 45 }, (_, i) => `Contact ${i}`);
  for (const name of names) h.crm.add('contact', { firstname: name });
  const seen: (SyncProgress | null)[] = [];
  h.sync.subscribe((status) => seen.push(status.progress));
  await h.run();
  const counts = seen.filter((p) => p?.entity === 'contact' && p.step === 'writing').map((p) => p?.done);
  // The fake answers in chunks of 20, as Graph's $batches: 20 and 40 are seen before all 45.
  expect(counts).toEqual(expect.arrayContaining([20, 40, names.length]));
  expect(counts).toEqual([...counts].sort((a, b) => (a as number) - (b as number)));
});

test('the run log keeps the last runs, newest first, and the store keeps the same', async () => {
  const h = await syncHarness();
  for (let i = 0; i < MAX_SYNC_RUNS_KEPT + 2; i += 1) {
    h.clock.time += MINUTE;
    await h.run();
  }
  const runs = h.sync.status().runs;
  expect(runs).toHaveLength(MAX_SYNC_RUNS_KEPT);
  expect(runs[0]?.startedAt).toBe(h.clock.time);
  expect(runs.map((r) => r.startedAt)).toEqual([...runs.map((r) => r.startedAt)].sort((a, b) => b - a));
  expect(h.state.runs).toEqual(runs);
});

test('the last runs are shown from the store as soon as the runner starts', async () => {
  const h = await syncHarness();
  await h.run();
  const runs = h.state.runs;
  const again = await syncHarness();
  again.state = h.state;
  again.sync.start();
  await again.sync.settled();
  await Promise.resolve();
  expect(again.sync.status().runs).toEqual(runs);
});
