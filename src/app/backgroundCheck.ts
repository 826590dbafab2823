/**
 * The background check's runner while the pane is open (background-check.md §1.5, §1.6): the first
 * cycle 10 s after `start()`, then when the planner says; one cycle at a time (`checkNow` during a
 * cycle runs one right after it); the session, and so the settings, read again at each cycle's
 * start. What one cycle does is backgroundCycleRun.ts; what the pane shows, backgroundStatus.ts.
 */
import { TRACKED_CATEGORY } from '../rules/backgroundCycle';
import { runCycle, type CarriedItems, type CycleDeps } from './backgroundCycleRun';
import { eventSink, type RunOutcome } from './diagnosticsEvents';
import type { BackgroundStateStore } from './backgroundState';
import {
  NO_COUNTS,
  type BackgroundActionRecord,
  type BackgroundCheckControl,
  type BackgroundPhase,
  type BackgroundStatus,
  type CycleCounts,
} from './backgroundStatus';
import type { Clock } from './ports';
import type { Session } from './session';

/** §1.6: the first cycle this long after the pane opens. */
export const FIRST_CYCLE_DELAY_MS = 10_000;
/** With no CRM session yet (signing in, offline start failed), asked again this often. */
export const NO_SESSION_RETRY_MS = 60_000;
/** This session's actions kept for the pane (the counts are not capped). */
export const MAX_ACTION_RECORDS = 500;
/** Said for a failure no step expected; what it was goes to the diagnostics log, not to the user. */
export const UNEXPECTED_FAILURE =
  'The background check stopped on an unexpected error; it tries again at the next check. The details are in the diagnostics log.';
/** Graph's spelling of the colour the pane gives the category through Office.js (Preset4, green). */
export const TRACKED_CATEGORY_COLOR = 'preset4';

/** setTimeout and clearTimeout, injected so tests drive time. */
export interface Timer {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface BackgroundCheckDeps extends Omit<CycleDeps, 'ensureTrackedCategory'> {
  /** The app's session, or null while there is none (then the runner waits and asks again). */
  readonly session: () => Session | null;
  readonly store: BackgroundStateStore;
  readonly clock: Clock;
  readonly timer: Timer;
  /** The first cycle this long after `start()` (default FIRST_CYCLE_DELAY_MS; tests shorten it). */
  readonly firstCycleDelayMs?: number;
}

export type BackgroundCheck = BackgroundCheckControl & {
  start(): void;
  /** No cycle starts after this; a cycle under way finishes (its writes are not cut in half). */
  stop(): void;
  /** Resolves once no cycle is under way (the host's unload, tests). */
  settled(): Promise<void>;
};

const addCounts = (a: CycleCounts, b: CycleCounts): CycleCounts => ({
  lookedAt: a.lookedAt + b.lookedAt,
  tracked: a.tracked + b.tracked,
  tagged: a.tagged + b.tagged,
  skipped: a.skipped + b.skipped,
  deferred: a.deferred + b.deferred,
  failed: a.failed + b.failed,
});

export function createBackgroundCheck(deps: BackgroundCheckDeps): BackgroundCheck {
  let status: BackgroundStatus = {
    phase: 'stopped',
    lastCycle: null,
    nextRunAt: null,
    lastError: null,
    actions: [],
    sessionCounts: NO_COUNTS,
  };
  const listeners = new Set<(status: BackgroundStatus) => void>();
  let started = false;
  let timer: unknown = null;
  let running: Promise<void> | null = null;
  let again = false;
  let categoryReady = false;
  const carried: CarriedItems = new Map();

  const cycleDeps: CycleDeps = {
    graph: deps.graph,
    folderMappings: deps.folderMappings,
    outlookItemId: deps.outlookItemId,
    log: deps.log,
    ensureTrackedCategory: async () => {
      if (categoryReady) return;
      try {
        await deps.graph.ensureCategory(TRACKED_CATEGORY, TRACKED_CATEGORY_COLOR);
        categoryReady = true;
      } catch (error) {
        // Items still get the category (shown without its colour); the master list is tried again.
        deps.log.log(
          'Background check: the "Tracked to CRM" category could not be added to the master list',
          error,
        );
      }
    },
  };

  const set = (patch: Partial<BackgroundStatus>): void => {
    status = { ...status, ...patch };
    for (const listener of listeners) listener(status);
  };

  const clearTimer = (): void => {
    if (timer !== null) deps.timer.clearTimeout(timer);
    timer = null;
  };

  const schedule = (ms: number, phase: BackgroundPhase): void => {
    clearTimer();
    timer = deps.timer.setTimeout(() => {
      timer = null;
      run();
    }, ms);
    set({ phase, nextRunAt: deps.clock.now() + ms });
  };

  const run = (): void => {
    if (running) {
      again = true;
      return;
    }
    clearTimer();
    running = cycle().finally(() => {
      running = null;
      if (!started) set({ phase: 'stopped', nextRunAt: null });
      else if (again) {
        again = false;
        run();
      }
    });
  };

  /** One cycle, and the next one scheduled; never throws (the pane must never be blocked by it). */
  async function cycle(): Promise<void> {
    const session = deps.session();
    if (!session) {
      if (started) schedule(NO_SESSION_RETRY_MS, 'stopped');
      return;
    }
    const startedAt = deps.clock.now();
    set({ phase: 'running', nextRunAt: null });
    const logged = eventSink(deps.log);
    logged?.({ kind: 'run', run: 'background', phase: 'start' });
    let ended: RunOutcome = 'failed';
    let nextMs = Math.max(1, Math.floor(session.settings.organization.tagpollingperiod)) * 60_000;
    try {
      const outcome = await runCycle(cycleDeps, session, await deps.store.load(), carried, startedAt);
      let error = outcome.error;
      if (outcome.state) {
        try {
          await deps.store.save(outcome.state);
        } catch (saveError) {
          // The next cycle starts from the old watermarks: what was done is found done, nothing lost.
          deps.log.log('Background check: its state could not be saved', saveError);
          error =
            error ?? 'The background check could not save where it stopped; it reads the same mail again.';
        }
      }
      nextMs = outcome.nextInMinutes * 60_000;
      ended = error ? 'failed' : outcome.ran ? 'finished' : 'skipped';
      const newestFirst: BackgroundActionRecord[] = [...outcome.records].reverse();
      set({
        lastCycle: {
          startedAt,
          finishedAt: deps.clock.now(),
          ran: outcome.ran,
          reason: outcome.reason,
          counts: outcome.counts,
        },
        lastError: error,
        actions: [...newestFirst, ...status.actions].slice(0, MAX_ACTION_RECORDS),
        sessionCounts: addCounts(status.sessionCounts, outcome.counts),
      });
    } catch (error) {
      // A failure no step expected (a bug, storage unreadable): said and logged; the schedule goes on.
      deps.log.log('Background check: the cycle failed', error);
      set({ lastError: UNEXPECTED_FAILURE });
    }
    logged?.({ kind: 'run', run: 'background', phase: 'end', outcome: ended });
    if (started && !again) schedule(nextMs, 'waiting');
  }

  return {
    status: () => status,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    checkNow() {
      if (started) run();
    },
    start() {
      if (started) return;
      started = true;
      schedule(deps.firstCycleDelayMs ?? FIRST_CYCLE_DELAY_MS, 'starting');
    },
    stop() {
      started = false;
      again = false;
      clearTimer();
      set({ phase: running ? 'running' : 'stopped', nextRunAt: null });
    },
    async settled() {
      while (running) await running;
    },
  };
}
