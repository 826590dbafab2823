/**
 * Whether this pane can synchronize contacts, appointments and tasks (synchronization.md), and if so
 * how to load it: syncHost.ts is a chunk of its own, loaded and started when the pane opens. Only this
 * file is in the pane's first bundle (it has about 1 KB left): the stand-in the Synchronization tab
 * follows (lazySync.ts) and the sentences for the reasons it cannot run (controller/syncWords.ts) are
 * loaded with that tab. Where it cannot run, the rest of the pane works.
 *
 * Unlike the background check, synchronization needs no Mailbox 1.3 id conversion: it reads and
 * writes contacts, events and To Do tasks by their Graph ids only, so an older Outlook still runs it.
 */
import type { DiagnosticsLog } from '../app/ports';
import { isLocalGraph } from '../graph/auth';
import { RoamingStore } from '../mailbox/roamingStore';
import { CLIENT_ID, connectionFor, graphUrlFor } from './connection';
import type { OutlookHost } from './outlookSession';
import type { PaneSyncPart } from './syncHost';

/** Why this pane cannot synchronize: no Graph to read (the workbench without its emulator), no app registration. */
export type SyncUnavailable = 'noGraph' | 'noAppRegistration';

export type PaneSyncSetup =
  | {
      /** The chunk, loaded once (again after a failure); its failure is in the diagnostics log. */
      readonly load: () => Promise<PaneSyncPart>;
      readonly log: DiagnosticsLog;
      readonly unavailable: null;
    }
  | { readonly load: null; readonly unavailable: SyncUnavailable };

export interface PaneSyncSetupOptions {
  /** What the host page says (the workbench: its Graph emulator, or null when none runs). */
  readonly hostGraphUrl?: string | null;
  readonly currentHost: () => OutlookHost | null;
  readonly log: DiagnosticsLog;
  readonly firstRunDelayMs?: number;
}

export function paneSyncFor(office: typeof Office, options: PaneSyncSetupOptions): PaneSyncSetup {
  const roaming = office.context.roamingSettings;
  const graphUrl = graphUrlFor(connectionFor(new RoamingStore(roaming).read().crmUrl), options.hostGraphUrl);
  if (!graphUrl) return { load: null, unavailable: 'noGraph' };
  if (!isLocalGraph(graphUrl) && !CLIENT_ID) return { load: null, unavailable: 'noAppRegistration' };
  let loading: Promise<PaneSyncPart> | null = null;
  const load = (): Promise<PaneSyncPart> =>
    (loading ??= import(/* webpackChunkName: "sync" */ './syncHost').then(
      ({ openPaneSync }) =>
        openPaneSync({
          graphUrl,
          userAddress: office.context.mailbox.userProfile.emailAddress,
          currentHost: options.currentHost,
          roaming,
          storage: window.localStorage,
          indexedDB: typeof indexedDB === 'undefined' ? undefined : indexedDB,
          locks: navigator.locks,
          log: options.log,
          ...(options.firstRunDelayMs !== undefined ? { firstRunDelayMs: options.firstRunDelayMs } : {}),
        }),
      (error: unknown) => {
        loading = null;
        options.log.log('Synchronization: its chunk could not be loaded', error);
        throw error;
      },
    ));
  return { load, log: options.log, unavailable: null };
}
