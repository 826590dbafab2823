/**
 * The pending queue as the pane sees it: tries the waiting tracks (one run at a time, and never
 * beside a Retry or Discard of one of them), and keeps the queue line with its next try in words.
 */
import { errorText, userFacingError } from '../../app/itemState';
import { showDelivered } from '../../app/itemUseCases';
import { drainPending, isHeld } from '../../app/pendingQueue';
import type { PendingTrack } from '../../app/ports';
import { waitWords } from './format';
import type { PaneCore } from './paneCore';

export interface QueueDeps {
  /** A delivered track's item: its cached state is stale. */
  forget(itemId: string): void;
  /**
   * Checks the selected item again, keeping what is shown until the answer is in; a tracked answer
   * says `tracked` instead of its own words.
   */
  refresh(tracked?: string): Promise<void>;
}

export class QueueModel {
  private draining: Promise<void> | null = null;
  /** The pane's first drain is behind it: held tracks wait for their hold again. */
  private started = false;
  private queueLock: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly core: PaneCore,
    private readonly deps: QueueDeps,
  ) {}

  /** Runs queue work one at a time (the background drain and Retry share it). */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queueLock.then(work, work);
    // The lock only orders the work: its failure reaches the caller through `run`, not the next in line.
    this.queueLock = run.catch(() => undefined);
    return run;
  }

  /**
   * Tries the waiting tracks that are due (all that wait, right after an outage ended; every held
   * one on the pane's first run, as a pane that starts is the one recovery needs no click for); tags
   * the selected item when its track is delivered.
   */
  drain(afterOutage = false): Promise<void> {
    if (this.draining) return this.draining;
    const core = this.core;
    const host = core.host;
    if (!host) return Promise.resolve();
    this.draining = (async () => {
      try {
        const held = !this.started;
        this.started = true;
        const result = await this.exclusive(() => drainPending(host.session, { afterOutage, held }));
        for (const failed of result.failed)
          core.log(`Waiting track ${failed.key} failed again (try ${failed.attempts}): ${failed.lastError}`);
        for (const { entry } of result.delivered) if (entry.itemId) this.deps.forget(entry.itemId);
        const current = core.currentOfficeItem();
        const mine = current && result.delivered.find((d) => d.entry.itemId === current.itemId);
        if (mine && current) {
          await showDelivered(host.session, current.itemId, mine);
          // The check finds the activity the drain just made: the card says the waiting track was
          // delivered, not a plain "Tracked in the CRM.", which reads as if nothing had been waiting.
          if (!core.state.busy) await this.deps.refresh(core.t('app.delivered'));
        }
        await this.updateQueue(null);
      } catch (error) {
        core.log('Could not try the waiting tracks again', error);
        core.set({
          queue: {
            ...core.state.queue,
            problem: core.t('background.queueNotRetried', {
              error: errorText(userFacingError(error), core.verbose),
            }),
          },
        });
      }
    })().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  async updateQueue(problem: string | null = this.core.state.queue.problem): Promise<void> {
    const core = this.core;
    // With no session the queue is read from the roaming settings directly: tracks the ribbon
    // queued while the CRM was down are shown even on a first run that could open none.
    const pending = core.host?.session.pending ?? core.roaming.pendingStore();
    try {
      const list = await pending.load();
      const undeliverable = list.filter((p) => p.undeliverable).length;
      // A held track's request is out (or its runtime stopped, and the first drain sends it): it is
      // not waiting for a try until its hold is over, so the line does not say it is.
      const now = core.host?.session.clock.now() ?? Date.now();
      const waiting = list.filter((p) => !p.undeliverable && !(isHeld(p) && p.nextAttemptAt > now));
      core.set({
        queue: {
          waiting: waiting.length,
          undeliverable,
          problem,
          nextTry: this.nextTryWords(waiting),
        },
      });
    } catch (error) {
      core.log('Could not read the waiting tracks', error);
    }
  }

  /**
   * The next try in the words of the real back-off: an entry is due at its nextAttemptAt and tried on
   * the first background run after it (every drainEveryMs), so that is what the user is told.
   */
  private nextTryWords(waiting: readonly PendingTrack[]): string | null {
    const due = waiting.map((p) => p.nextAttemptAt);
    if (due.length === 0) return null;
    const ms = Math.max(0, Math.min(...due) - Date.now()) + this.core.drainEveryMs;
    return this.core.t('background.queueNextTry', { wait: waitWords(ms, this.core.t) });
  }
}
