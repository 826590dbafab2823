/**
 * What the background check (background-check.md §1.6) shows the user, and how the pane drives it.
 * The runner (backgroundCheck.ts) produces these; the pane's "Background check" view renders them and
 * calls `checkNow`. Plain data: no Office, no React, no CRM code.
 */
import type { CycleDo, CycleRunReason } from '../rules/backgroundCycle';
import type { Decision } from '../rules/decide';
import type { Reason } from '../rules/reasons';

/** §1.6: the counts the user sees, for one cycle or summed over the session. */
export interface CycleCounts {
  /** Items given an action (the deferred ones are not looked at yet). */
  readonly lookedAt: number;
  /** Tracks made (or found made by an earlier try). */
  readonly tracked: number;
  /** Items tagged with an activity the CRM already held. */
  readonly tagged: number;
  readonly skipped: number;
  readonly deferred: number;
  /** Tracks that went to the pending queue, and tags that could not be written (retried next cycle). */
  readonly failed: number;
}

export const NO_COUNTS: CycleCounts = {
  lookedAt: 0,
  tracked: 0,
  tagged: 0,
  skipped: 0,
  deferred: 0,
  failed: 0,
};

/**
 * What happened to one action once performed:
 * - `done`: tracked, or tagged, or (skip/none) nothing to do;
 * - `queued`: the track failed and waits in the pending queue (tracking.md §5), never dropped;
 * - `retry`: the tag could not be written; the item is looked at again next cycle.
 */
export type ActionOutcome = 'done' | 'queued' | 'retry';

/** One item's action in this session, as the pane lists it (newest first). */
export interface BackgroundActionRecord {
  /** Epoch ms of the cycle that took it. */
  readonly at: number;
  /** Graph's id of the item. */
  readonly itemId: string;
  /** Outlook's (EWS) id of the same item, to open its decision in the pane; null when unknown. */
  readonly outlookItemId: string | null;
  /** Untrusted text from the email: rendered as text only. */
  readonly subject: string;
  readonly from: string | null;
  readonly folder: string;
  readonly do: CycleDo;
  readonly reason: Reason | 'AlreadyTagged';
  readonly code: number | null;
  /** The activity tracked or tagged with (the real id once a track is made). */
  readonly activityId: string | null;
  readonly outcome: ActionOutcome;
  /** Why the track or tag failed, in the user's words (per VerboseErrorsOnPromoteToCRM). */
  readonly error: string | null;
  /** The full decision (tracking.md §6) behind the action; null for an item already tagged. */
  readonly decision: Decision | null;
}

export interface LastCycle {
  readonly startedAt: number;
  readonly finishedAt: number;
  /** False when the settings say no cycle runs (then `reason` says why, background-check §1.1). */
  readonly ran: boolean;
  readonly reason: CycleRunReason;
  readonly counts: CycleCounts;
}

/**
 * - `starting`: the pane opened; the first cycle runs 10 s later (§1.6);
 * - `waiting`: between cycles (`nextRunAt` says when);
 * - `running`: a cycle is under way (only one at a time);
 * - `stopped`: the pane is closing or has no CRM session yet.
 */
export type BackgroundPhase = 'starting' | 'waiting' | 'running' | 'stopped';

export interface BackgroundStatus {
  readonly phase: BackgroundPhase;
  readonly lastCycle: LastCycle | null;
  /** Epoch ms of the next cycle, null when none is scheduled. */
  readonly nextRunAt: number | null;
  /**
   * Why the last cycle could not finish (Graph or the CRM unreachable, throttled, signed out), in
   * the user's words; null after a cycle that finished. Nothing is lost: the next cycle starts from
   * the same watermark.
   */
  readonly lastError: string | null;
  /** This session's actions, newest first (capped; the counts are not). */
  readonly actions: readonly BackgroundActionRecord[];
  /** Summed over this session's cycles. */
  readonly sessionCounts: CycleCounts;
}

/** The pane's handle on the runner. */
export interface BackgroundCheckControl {
  status(): BackgroundStatus;
  /** Called with every new status; returns the unsubscribe. */
  subscribe(listener: (status: BackgroundStatus) => void): () => void;
  /** Runs a cycle now, or right after the one under way (never two at once). */
  checkNow(): void;
}
