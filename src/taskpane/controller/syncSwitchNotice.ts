/**
 * "Synchronize CRM items with Outlook" as the user last saved it, for the Synchronization tab. The runner
 * reads the options at each run's start (src/app/synchronization.ts), so between a save and the next run
 * its phase is the old one: the tab says what was saved instead ("Turned on: the next synchronization
 * runs …"). One per synchronization control (syncControl.ts), so the Options screen and the tab share it;
 * kept in memory: after a reload the runner's own status is right again at its first run.
 */
import type { PaneSyncControl, PaneSyncStatus } from './syncAccess';

export interface SavedSyncSwitch {
  readonly on: boolean;
  /** When it was saved (epoch ms): a run started at or after it has read it. */
  readonly at: number;
}

export class SyncSwitchNotice {
  private saved: SavedSyncSwitch | null = null;
  private readonly listeners = new Set<() => void>();

  get = (): SavedSyncSwitch | null => this.saved;

  record(on: boolean, at: number): void {
    this.saved = { on, at };
    for (const listener of [...this.listeners]) listener();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };
}

const notices = new WeakMap<PaneSyncControl, SyncSwitchNotice>();

export function syncSwitchNoticeOf(control: PaneSyncControl): SyncSwitchNotice {
  let notice = notices.get(control);
  if (!notice) notices.set(control, (notice = new SyncSwitchNotice()));
  return notice;
}

/** The saved switch while no run has read it yet, else null (the runner's status says it then). */
export function unreadSwitch(saved: SavedSyncSwitch | null, status: PaneSyncStatus): SavedSyncSwitch | null {
  if (!saved || status.phase === 'running') return null;
  const newest = status.runs[0];
  return newest && newest.startedAt >= saved.at ? null : saved;
}
