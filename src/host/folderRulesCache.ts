/**
 * The folder rules as the background runner reads them (background-check §1.2 step 1, §1.6). A cycle
 * never waits on the CRM for them once they are known: they are read again on their own timer
 * (`refresh`, every FOLDER_RULES_TTL_MS) and right after the pane adds or removes one, so a quiet
 * cycle asks Dataverse nothing. A read that fails keeps the rules last read (the items of mapped
 * folders are not decided without them); with none read yet, the failure is kept for the TTL, so a
 * user with no mailbox row is not asked again every cycle.
 */
import type { FolderMappingPort, FolderMappingRow, NewFolderMapping } from '../crm/folderMappingPort';

/** Folder rules are read again after this long, so one added in Dynamics or on another device is seen. */
export const FOLDER_RULES_TTL_MS = 30 * 60_000;

type Known =
  | { readonly userId: string; readonly at: number; readonly rows: FolderMappingRow[] }
  | { readonly userId: string; readonly at: number; readonly failure: unknown };

export class CachedFolderMappings implements FolderMappingPort {
  private known: Known | null = null;
  private reading: { readonly userId: string; readonly done: Promise<FolderMappingRow[]> } | null = null;

  constructor(
    private readonly port: () => FolderMappingPort,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The cycle's read: the rules known, or the failure kept for the TTL; read only when neither. */
  cached(userId: string): Promise<FolderMappingRow[]> {
    // A read under way (the pane's edit just made) is waited for: the edit applies from this cycle.
    if (this.reading?.userId === userId) return this.reading.done.catch(() => this.cached(userId));
    const k = this.known;
    if (k && k.userId === userId) {
      if ('rows' in k) return Promise.resolve(k.rows);
      if (this.now() - k.at < FOLDER_RULES_TTL_MS) return Promise.reject(k.failure);
    }
    return this.refresh(userId);
  }

  /** True when the rules of `userId` are due to be read again (the host's timer asks). */
  stale(userId: string): boolean {
    const k = this.known;
    return !k || k.userId !== userId || this.now() - k.at >= FOLDER_RULES_TTL_MS;
  }

  /** Reads the rules now; one read at a time per user. A failure keeps the rules last read. */
  refresh(userId: string): Promise<FolderMappingRow[]> {
    if (this.reading?.userId === userId) return this.reading.done;
    const done = Promise.resolve()
      .then(() => this.port().list(userId))
      .then(
        (rows) => {
          this.known = { userId, at: this.now(), rows };
          return rows;
        },
        (failure: unknown) => {
          const k = this.known;
          // With rules read before, they stand (for cycles) until a read succeeds, tried after the TTL.
          if (k && k.userId === userId && 'rows' in k) this.known = { ...k, at: this.now() };
          else this.known = { userId, at: this.now(), failure };
          throw failure;
        },
      )
      .finally(() => {
        if (this.reading?.done === done) this.reading = null;
      });
    this.reading = { userId, done };
    return done;
  }

  /** The pane's list: read now (its view must be current; a failure is the pane's to say). */
  list(userId: string): Promise<FolderMappingRow[]> {
    return this.refresh(userId);
  }

  async add(userId: string, mapping: NewFolderMapping): Promise<FolderMappingRow> {
    try {
      return await this.port().add(userId, mapping);
    } finally {
      this.afterEdit(userId);
    }
  }

  async remove(mappingId: string): Promise<void> {
    try {
      await this.port().remove(mappingId);
    } finally {
      const userId = this.known?.userId;
      if (userId !== undefined) this.afterEdit(userId);
    }
  }

  /** An edit applies from the next cycle: the rules are read again now (the cycle waits for it). */
  private afterEdit(userId: string): void {
    const k = this.known;
    if (k && k.userId === userId && !('rows' in k)) this.known = null;
    this.refresh(userId).catch(() => undefined);
  }
}
