/**
 * Synchronization runs and background check cycles in the diagnostics log (issue 13): a start and an
 * end with how it ended, so support sees what ran around a decision; nothing for a probe that did not
 * run (it comes every few minutes and would push the useful events out of the ring).
 */
import { createSynchronization } from '../../../src/app/synchronization';
import type { LoggedEvent } from '../../../src/app/diagnosticsEvents';
import { createDiagnosticsRing } from '../../../src/host/diagnosticsRing';
import { eventWords } from '../../../src/taskpane/controller/diagnosticsWords';
import { loadPaneStrings } from '../../../src/i18n/surfaces';
import { contactAnn, FakeClock, harness, userDana } from '../../support/fakes';
import { crmDown, FakeCrmSync, FakeOutlookSync, syncHarness, syncSession } from '../../support/syncFakes';
import { ManualTimer, runner, withNothingToDo } from '../app/background-fakes';

const ring = () => createDiagnosticsRing({ console: { log: () => undefined } });
const runs = (events: readonly LoggedEvent[]) =>
  events
    .filter((e) => e.kind === 'run')
    .map(({ run, phase, outcome }: LoggedEvent & { kind: 'run' }) =>
      outcome ? `${run} ${phase} ${outcome}` : `${run} ${phase}`,
    );

describe('synchronization runs', () => {
  test('a run that ran is logged as started and finished', async () => {
    const log = ring();
    const h = await syncHarness(undefined, { log });
    h.crm.add('contact', { firstname: 'Ann', emailaddress1: 'ann@x.com' });
    await h.run();
    expect(runs(log.events())).toEqual(['sync start', 'sync end finished']);
  });

  test('a run whose types stopped on CRM errors is logged as failed, as its line says "Did not finish"', async () => {
    const log = ring();
    const h = await syncHarness(undefined, { log });
    h.crm.add('contact', { firstname: 'Ann', emailaddress1: 'ann@x.com' });
    h.crm.fail('recordsInScope', crmDown(), 3);
    await h.run();
    expect(h.sync.status().runs[0]?.types.some((type) => type.error !== null)).toBe(true);
    expect(runs(log.events())).toEqual(['sync start', 'sync end failed']);
  });

  test('a run another pane instance holds the lock for is logged as skipped', async () => {
    const log = ring();
    const h = await syncHarness(undefined, { log, exclusive: async () => null });
    await h.run();
    expect(runs(log.events())).toEqual(['sync start', 'sync end skipped']);
  });

  test('a run that stopped on an unexpected error is logged as failed, after its message', async () => {
    const log = ring();
    const clock = new FakeClock();
    const session = await syncSession();
    const sync = createSynchronization({
      session: () => session,
      crm: new FakeCrmSync(clock),
      outlook: new FakeOutlookSync(clock),
      store: {
        load: () => Promise.reject(new Error('storage unreadable')),
        save: async () => undefined,
      },
      isSyncClient: () => true,
      newId: () => '10000000-0000-4000-8000-000000000001',
      clock,
      timer: new ManualTimer(),
      log,
    });
    sync.start();
    await sync.synchronizeNow();
    const lines = log.events().map((e) => (e.kind === 'message' ? e.text : e.kind));
    expect(lines.slice(-2)).toEqual(['Synchronization: the run failed', 'run']);
    expect(runs(log.events())).toEqual(['sync start', 'sync end failed']);
  });

  test('a device that is not the synchronization client logs no run', async () => {
    const log = ring();
    const h = await syncHarness(undefined, { log });
    h.syncClient = false;
    await h.run();
    expect(runs(log.events())).toEqual([]);
  });
});

describe('background check cycles', () => {
  async function setup() {
    const h = harness();
    h.crm.records = [contactAnn, userDana];
    h.crm.settings = {
      organization: { tagpollingperiod: 15, tagmaxaggressivecycles: 2 },
      user: { incomingemailfilteringmethod: 2 },
    };
    const log = ring();
    const r = runner(await h.session(), h.clock, undefined, undefined, log);
    r.check.start();
    return { r, log };
  }

  test('a cycle that ran is logged as started and finished', async () => {
    const { r, log } = await setup();
    r.graph.deliver();
    await r.tick();
    expect(runs(log.events())).toEqual(['background start', 'background end finished']);
  });

  test('a cycle that stopped on an unexpected error is logged as failed', async () => {
    const { r, log } = await setup();
    r.state = null as never;
    await r.tick();
    expect(runs(log.events())).toEqual(['background start', 'background end failed']);
  });

  test('a cycle the rules did not run is logged as skipped', async () => {
    const { r, log } = await setup();
    r.session = withNothingToDo(r.session);
    await r.tick();
    expect(runs(log.events())).toEqual(['background start', 'background end skipped']);
  });
});

describe('the log view says how a run ended in the pane’s language', () => {
  const event = (outcome: 'finished' | 'failed' | 'skipped'): LoggedEvent => ({
    kind: 'run',
    run: 'sync',
    phase: 'end',
    outcome,
    at: 0,
    seq: 0,
  });
  test.each([
    ['en', 'failed', 'Synchronization ended: stopped on an error (see the messages)'],
    ['de', 'finished', 'Synchronisierung beendet: abgeschlossen'],
    ['fr', 'skipped', 'Fin de la synchronisation : non exécutée cette fois'],
  ] as const)('%s: %s', async (language, outcome, words) => {
    expect(eventWords(event(outcome), (await loadPaneStrings(language)).t)).toBe(words);
  });
});
