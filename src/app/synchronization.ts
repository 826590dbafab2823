/**
 * The synchronization runner while the pane is open (synchronization.md §2.1, §2.5): the first run
 * 30 s after `start()`, then every `next.inMinutes`; one run at a time ("Synchronize now" during one
 * runs one right after it); the session, and so the settings, read again at each run's start. One run
 * is the three types in order contact, appointment, task (what one type does is syncRun.ts); the
 * state is saved after each type. A run is done while holding the device's synchronization lock
 * (`exclusive`): a second pane instance (another Outlook on the web tab) skips its run and says so.
 */
import { nextSyncInMinutes, planSync } from '../rules/synchronization';
import type { SyncEntity, SyncRunReason, SyncTrigger } from '../rules/syncTypes';
import { verboseErrors } from './diagnostics';
import { eventSink, type RunOutcome } from './diagnosticsEvents';
import type { Session } from './session';
import { createSyncConfig, type SyncConfigValue } from './syncConfig';
import type { Synchronization, SynchronizationDeps } from './syncDeps';
import { runSyncType, type SyncRunContext } from './syncRun';
import {
  EMPTY_SYNC_TYPE_STATE,
  MAX_SYNC_RUNS_KEPT,
  type SyncLogEntry,
  type SyncPhase,
  type SyncRunMarker,
  type SyncRunRecord,
  type SyncState,
  type SyncStatus,
  type SyncTypeSummary,
} from './syncStatus';

/** The first scheduled run this long after the pane opens (chosen: after the pane's own start-up reads). */
export const FIRST_SYNC_DELAY_MS = 30_000;
/** With no CRM session yet (signing in, offline start), asked again this often. */
export const NO_SESSION_RETRY_MS = 60_000;
export const SYNC_ENTITIES: readonly SyncEntity[] = ['contact', 'appointment', 'task'];
/** Said for a failure no step expected; what it was goes to the diagnostics log. */
export const UNEXPECTED_SYNC_FAILURE =
  'Synchronization stopped on an unexpected error; it tries again at the next synchronization. The details are in the diagnostics log.';

/** §2.1 asked on no records and no items: whether a run does anything, before any request. */
function probe(settings: Session['settings'], trigger: SyncTrigger) {
  return planSync({
    now: null,
    entity: 'contact',
    trigger,
    settings,
    mappings: [],
    crm: { records: [] },
    outlook: { items: [] },
    state: { pairs: [], excluded: [] },
  });
}

const OFF_REASONS: readonly SyncRunReason[] = ['SyncOff', 'NotSyncClient'];

/**
 * A run the state still marks as under way was cut short (the pane closed or reloaded during it): its
 * record, with the types it finished, goes to the log as interrupted. `finishedAt` is its last save,
 * the last moment it is known to have run (chosen: the moment it stopped is not known).
 */
export function withInterruptedRun(state: SyncState): SyncState {
  const { running, ...rest } = state;
  if (!running) return state;
  const record: SyncRunRecord = {
    trigger: running.trigger,
    startedAt: running.startedAt,
    finishedAt: running.savedAt,
    ran: true,
    reason: running.reason,
    interrupted: true,
    types: running.types,
    entries: running.entries,
  };
  return { ...rest, runs: [record, ...rest.runs].slice(0, MAX_SYNC_RUNS_KEPT) };
}

export function createSynchronization(deps: SynchronizationDeps): Synchronization {
  let status: SyncStatus = { phase: 'stopped', progress: null, nextRunAt: null, runs: [] };
  const listeners = new Set<(status: SyncStatus) => void>();
  const config = createSyncConfig(deps.crm, deps.clock, deps.log);
  let started = false;
  let timer: unknown = null;
  let running: Promise<void> | null = null;
  /** A run asked for during a run: its trigger, and who waits for it. */
  let again: { trigger: SyncTrigger; done: Promise<void>; resolve: () => void } | null = null;

  const set = (patch: Partial<SyncStatus>): void => {
    status = { ...status, ...patch };
    for (const listener of listeners) listener(status);
  };

  const clearTimer = (): void => {
    if (timer !== null) deps.timer.clearTimeout(timer);
    timer = null;
  };

  const schedule = (ms: number, phase: SyncPhase): void => {
    clearTimer();
    timer = deps.timer.setTimeout(() => {
      timer = null;
      void run('scheduled');
    }, ms);
    set({ phase, nextRunAt: deps.clock.now() + ms });
  };

  const run = (trigger: SyncTrigger): Promise<void> => {
    if (running) {
      if (!again) {
        let resolve = (): void => {};
        const done = new Promise<void>((r) => (resolve = r));
        again = { trigger, done, resolve };
      } else if (trigger === 'manual') again.trigger = 'manual';
      return again.done;
    }
    clearTimer();
    const current = synchronize(trigger).finally(() => {
      running = null;
      const next = again;
      again = null;
      if (!started) set({ phase: 'stopped', nextRunAt: null, progress: null });
      if (next) void (started ? run(next.trigger) : Promise.resolve()).then(next.resolve);
    });
    running = current;
    return current;
  };

  const withThisDevice = (session: Session): Session['settings'] => ({
    ...session.settings,
    user: { ...session.settings.user, isSynchronizationClient: deps.isSyncClient() },
  });

  /** One run, and the next one scheduled; never throws (the pane must never be blocked by it). */
  async function synchronize(trigger: SyncTrigger): Promise<void> {
    const session = deps.session();
    if (!session) {
      if (started) schedule(NO_SESSION_RETRY_MS, 'stopped');
      return;
    }
    const settings = withThisDevice(session);
    const startedAt = deps.clock.now();
    const inMinutes = nextSyncInMinutes(settings);
    let phase: SyncPhase = 'idle';
    set({ phase: 'running', nextRunAt: null });
    // Only a run that does something is logged: a probe that says "not now" runs every few minutes.
    const logged = eventSink(deps.log);
    let ended: RunOutcome | null = null;
    try {
      const first = probe(settings, trigger);
      if (first.run) {
        logged?.({ kind: 'run', run: 'sync', phase: 'start' });
        ended = 'failed';
        const exclusive = deps.exclusive ?? (<T>(work: () => Promise<T>): Promise<T | null> => work());
        const ran = await exclusive(() => performRun(session, settings, trigger, startedAt, first.reason));
        ended = ran ?? 'skipped';
        if (ran === null) {
          // Another pane instance synchronizes: nothing of the state is saved here, its runs and
          // watermarks are the other instance's to write (a save from here would undo them).
          const skipped: SyncRunRecord = {
            trigger,
            startedAt,
            finishedAt: deps.clock.now(),
            ran: false,
            reason: first.reason,
            skipped: 'OtherWindow',
            types: [],
            entries: [],
          };
          set({ runs: [skipped, ...status.runs].slice(0, MAX_SYNC_RUNS_KEPT), progress: null });
        }
      } else {
        if (OFF_REASONS.includes(first.reason)) phase = 'off';
        const state = await deps.store.load();
        const types = SYNC_ENTITIES.map((entity): SyncTypeSummary => ({
          entity,
          ran: false,
          crmRecords: 0,
          outlookItems: 0,
          done: {},
          failed: 0,
          error: null,
        }));
        const record: SyncRunRecord = {
          trigger,
          startedAt,
          finishedAt: deps.clock.now(),
          ran: false,
          reason: first.reason,
          types,
          entries: [],
        };
        const runs = [record, ...state.runs].slice(0, MAX_SYNC_RUNS_KEPT);
        await save({ ...state, runs });
        set({ runs, progress: null });
      }
    } catch (error) {
      // A failure no step expected (a bug, storage unreadable): logged; the schedule goes on.
      deps.log.log('Synchronization: the run failed', error);
      set({ progress: null });
    }
    if (ended) logged?.({ kind: 'run', run: 'sync', phase: 'end', outcome: ended });
    if (!started || again) return;
    if (inMinutes === null) {
      clearTimer();
      set({ phase, nextRunAt: null });
    } else schedule(inMinutes * 60_000, phase);
  }

  /**
   * The three types, the state saved after each, and the run's record; inside the device's lock. The
   * run is marked in the state from its start (`running`) to its record: a run cut short (the pane
   * reloaded) is found by the next one, here, and logged as interrupted. Only inside the lock: out of
   * it, the marker may be another pane instance's run under way.
   */
  async function performRun(
    session: Session,
    settings: Session['settings'],
    trigger: SyncTrigger,
    startedAt: number,
    reason: SyncRunReason,
  ): Promise<RunOutcome> {
    const types: SyncTypeSummary[] = [];
    const entries: SyncLogEntry[] = [];
    const marker = (): SyncRunMarker => ({
      trigger,
      startedAt,
      reason,
      savedAt: deps.clock.now(),
      types: [...types],
      entries: [...entries],
    });
    let state: SyncState = { ...withInterruptedRun(await deps.store.load()), running: marker() };
    await save(state);
    // Read once per run, whichever type asks first; "Synchronize now" reads them again (syncConfig.ts).
    let read: Promise<SyncConfigValue> | null = null;
    const ctx: SyncRunContext = {
      crm: deps.crm,
      outlook: deps.outlook,
      config: () => (read ??= config.read(trigger === 'manual')),
      newId: deps.newId,
      log: deps.log,
      settings,
      trigger,
      now: startedAt,
      verbose: verboseErrors(session),
      progress: (progress) => set({ progress }),
      remember: (entity, typeState) => save({ ...state, [entity]: typeState, running: marker() }),
    };
    for (const entity of SYNC_ENTITIES) {
      const outcome = await runSyncType(ctx, entity, state[entity] ?? EMPTY_SYNC_TYPE_STATE);
      types.push(outcome.summary);
      entries.push(...outcome.entries);
      if (outcome.state) state = { ...state, [entity]: outcome.state };
      state = { ...state, running: marker() };
      await save(state);
    }
    const record: SyncRunRecord = {
      trigger,
      startedAt,
      finishedAt: deps.clock.now(),
      ran: true,
      reason,
      types,
      entries,
    };
    const { running: _done, ...rest } = state;
    const runs = [record, ...rest.runs].slice(0, MAX_SYNC_RUNS_KEPT);
    await save({ ...rest, runs });
    set({ runs, progress: null });
    // As the run's line says it: a type that stopped on an error is a run that did not finish.
    return types.some((type) => type.error !== null) ? 'failed' : 'finished';
  }

  async function save(state: SyncState): Promise<void> {
    try {
      await deps.store.save(state);
    } catch (error) {
      // The next run starts from the old watermarks and baselines: what was done is found done.
      deps.log.log('Synchronization: its state could not be saved', error);
    }
  }

  return {
    status: () => status,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    synchronizeNow() {
      if (!started) return Promise.resolve();
      return run('manual');
    },
    start() {
      if (started) return;
      started = true;
      schedule(deps.firstRunDelayMs ?? FIRST_SYNC_DELAY_MS, 'idle');
      // The pane shows the last runs at once, before the first run of this session.
      deps.store.load().then(
        (state) => {
          if (status.runs.length === 0) set({ runs: state.runs });
        },
        (error: unknown) => deps.log.log('Synchronization: its state could not be read', error),
      );
    },
    stop() {
      started = false;
      clearTimer();
      set({ phase: running ? 'running' : 'stopped', nextRunAt: null });
    },
    async settled() {
      while (running) await running;
    },
  };
}
