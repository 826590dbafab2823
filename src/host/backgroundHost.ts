/**
 * The pane's background check put together (a chunk of its own: the Graph adapter, the runner and the
 * folder-rule adapter stay out of the pane's first bundle). Graph is read with the mailbox scopes only;
 * the folder rules go through the session's own DataverseHttp, so they share its token and retries.
 */
import { requestEventsFor } from '../app/diagnosticsEvents';
import { createBackgroundCheck, type BackgroundCheck } from '../app/backgroundCheck';
import type { DiagnosticsLog } from '../app/ports';
import type { Session } from '../app/session';
import { networkError } from '../crm/errors';
import { DataverseFolderMappings } from '../crm/folderMappings';
import type { FolderMappingPort } from '../crm/folderMappingPort';
import { graphTokens } from '../graph/auth';
import type { MailFolderPort } from '../graph/folderPort';
import { GraphMailbox } from '../graph/graphAdapter';
import { GraphHttp } from '../graph/graphHttp';
import { GraphMailFolders } from '../graph/mailFolders';
import { ADDIN_ID } from './addinId';
import { localBackgroundStore, type KeyValueStorage } from './backgroundStore';
import { CLIENT_ID } from './connection';
import { CachedFolderMappings, FOLDER_RULES_TTL_MS } from './folderRulesCache';
import type { OutlookHost } from './outlookSession';

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
    ...requestEventsFor(options.log),
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
  // The rules are read on their own timer, never by a cycle once known (a quiet cycle asks the CRM nothing).
  let rulesTimer: ReturnType<typeof setInterval> | null = null;
  const refreshRules = (): void => {
    const session = liveSession(options.currentHost());
    if (!session?.settings.organization.isfolderbasedtrackingenabled) return;
    if (!folderMappings.stale(session.user.id)) return;
    folderMappings
      .refresh(session.user.id)
      .catch((error: unknown) =>
        options.log.log('Background check: the folder rules could not be read', error),
      );
  };
  const running: BackgroundCheck = {
    ...check,
    start() {
      rulesTimer ??= setInterval(refreshRules, Math.min(FOLDER_RULES_TTL_MS, 60_000));
      check.start();
    },
    stop() {
      if (rulesTimer !== null) clearInterval(rulesTimer);
      rulesTimer = null;
      check.stop();
    },
  };
  return { check: running, folderMappings, mailFolders: new GraphMailFolders({ http }) };
}
