/**
 * The pane's background check put together (a chunk of its own: the Graph adapter, the runner and the
 * folder-rule adapter stay out of the pane's first bundle). Graph is read with the mailbox scopes only;
 * the folder rules go through the session's own DataverseHttp, so they share its token and retries.
 */
import { createBackgroundCheck, type BackgroundCheck } from '../app/backgroundCheck';
import type { DiagnosticsLog } from '../app/ports';
import type { Session } from '../app/session';
import { networkError } from '../crm/errors';
import { DataverseFolderMappings } from '../crm/folderMappings';
import type { FolderMappingPort, FolderMappingRow, NewFolderMapping } from '../crm/folderMappingPort';
import { graphTokens } from '../graph/auth';
import type { MailFolderPort } from '../graph/folderPort';
import { GraphMailbox } from '../graph/graphAdapter';
import { GraphHttp } from '../graph/graphHttp';
import { GraphMailFolders } from '../graph/mailFolders';
import { ADDIN_ID } from './addinId';
import { localBackgroundStore, type KeyValueStorage } from './backgroundStore';
import { CLIENT_ID } from './connection';
import type { OutlookHost } from './outlookSession';

/** Folder rules are read again after this long, so one added in Dynamics or on another device is seen. */
export const FOLDER_RULES_TTL_MS = 30 * 60_000;

export interface PaneBackgroundOptions {
  readonly graphUrl: string;
  readonly userAddress: string;
  /** The pane's CRM connection as it is now (null while it has none). */
  readonly currentHost: () => OutlookHost | null;
  /** Office's convertToEwsId for a Graph id (null when it cannot convert). */
  readonly outlookItemId: (graphId: string) => string | null;
  readonly storage: KeyValueStorage;
  readonly log: DiagnosticsLog;
  readonly firstCycleDelayMs?: number;
  readonly fetch?: typeof fetch;
}

export interface PaneBackground {
  readonly check: BackgroundCheck;
  /** The pane's editor of folder rules; its changes reach the next cycle. */
  readonly folderMappings: FolderMappingPort;
  readonly mailFolders: MailFolderPort;
}

/** A session the background check can use: connected, not started from a saved snapshot. */
const liveSession = (host: OutlookHost | null): Session | null =>
  host && !host.session.offline ? host.session : null;

export function openPaneBackground(options: PaneBackgroundOptions): PaneBackground {
  const log = (message: string, error?: unknown) => options.log.log(message, error);
  const http = new GraphHttp({
    baseUrl: options.graphUrl,
    tokens: graphTokens({ baseUrl: options.graphUrl, clientId: CLIENT_ID, log }),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const graph = new GraphMailbox({ http, userAddress: options.userAddress, addinId: ADDIN_ID, log });
  const folderMappings = new CachedFolderMappings(() => {
    const host = options.currentHost();
    if (!host) throw networkError('The add-in is not connected to the CRM yet.', null);
    return new DataverseFolderMappings(host.http, { log });
  });
  const check = createBackgroundCheck({
    session: () => liveSession(options.currentHost()),
    graph,
    store: localBackgroundStore(options.storage, options.userAddress, options.log),
    folderMappings: () => {
      const session = liveSession(options.currentHost());
      if (!session) return Promise.reject(networkError('The add-in is not connected to the CRM.', null));
      return folderMappings.cached(session.user.id);
    },
    outlookItemId: options.outlookItemId,
    clock: { now: () => Date.now() },
    timer: {
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
    log: options.log,
    ...(options.firstCycleDelayMs !== undefined ? { firstCycleDelayMs: options.firstCycleDelayMs } : {}),
  });
  return { check, folderMappings, mailFolders: new GraphMailFolders({ http }) };
}

/**
 * The folder rules as the runner reads them: once per FOLDER_RULES_TTL_MS (a quiet cycle asks the CRM
 * nothing), and again right after the pane adds or removes one, so the change applies from the next
 * cycle (background-check §1.6).
 */
export class CachedFolderMappings implements FolderMappingPort {
  private entry: { userId: string; at: number; rows: Promise<FolderMappingRow[]> } | null = null;

  constructor(
    private readonly port: () => FolderMappingPort,
    private readonly now: () => number = () => Date.now(),
  ) {}

  cached(userId: string): Promise<FolderMappingRow[]> {
    const e = this.entry;
    if (e && e.userId === userId && this.now() - e.at < FOLDER_RULES_TTL_MS) return e.rows;
    return this.list(userId);
  }

  list(userId: string): Promise<FolderMappingRow[]> {
    const rows = Promise.resolve().then(() => this.port().list(userId));
    const entry = { userId, at: this.now(), rows };
    this.entry = entry;
    // A failed read is not kept: the next cycle asks again.
    rows.catch(() => {
      if (this.entry === entry) this.entry = null;
    });
    return rows;
  }

  async add(userId: string, mapping: NewFolderMapping): Promise<FolderMappingRow> {
    try {
      return await this.port().add(userId, mapping);
    } finally {
      this.entry = null;
    }
  }

  async remove(mappingId: string): Promise<void> {
    try {
      await this.port().remove(mappingId);
    } finally {
      this.entry = null;
    }
  }
}
