/** The pane's composition: the controller over the real session (MSAL sign-in, header parser, workbench folders). */
import { createDiagnosticsRing } from '../../host/diagnosticsRing';
import { lazyMeetings } from '../../host/lazyMeetings';
import { msalSignIn } from '../../host/signIn';
import { openOutlookSession, type OutlookHost } from '../../host/outlookSession';
import { paneBackgroundFor } from '../../host/paneBackground';
import { paneSyncFor } from '../../host/paneSync';
import { outlookMailbox, sessionlessDeps } from '../../host/withoutSession';
import type { HeaderParser } from '../../host/withoutSession';
import type { PaneStrings } from '../strings';
import { recordPaneDecisions, type DiagnosticsCarrier } from './diagnosticsAccess';
import { PaneController } from './paneController';
import type { SyncCarrier } from './syncAccess';

declare global {
  interface Window {
    /** Set by the workbench page: what Office.js cannot tell (the folder of an item). */
    __TIC_HOST__?: {
      folderLookup?: (itemId: string) => Promise<string | null>;
      /** The workbench's Graph emulator, or null when none runs (then no background check). */
      graphUrl?: string | null;
    };
    /**
     * Tests only: a short background interval, so a drain is awaited as a condition, not slept for;
     * the background check's first cycle sooner than 10 s; synchronization's first run sooner than 30 s.
     */
    __TIC_PANE_OPTIONS__?: { drainEveryMs?: number; firstCycleMs?: number; firstSyncMs?: number };
  }
}

export function createPaneController(
  office: typeof Office,
  strings: PaneStrings,
): PaneController & SyncCarrier & DiagnosticsCarrier {
  // One diagnostics log for the pane and the use cases it runs: the console, and the events the
  // pane's Diagnostics view lists (issue 13).
  const diagnostics = createDiagnosticsRing();
  const log = (message: string, error?: unknown) => diagnostics.log(message, error);
  const testing = typeof window === 'undefined' ? undefined : window.__TIC_PANE_OPTIONS__;
  // The header parser (postal-mime, ~6 KB gz) is a chunk of its own, fetched now, while the session
  // opens, so the first paint does not wait for it and an item open stays one CRM round trip. If it
  // cannot load, the item is read from Office.js's fields alone (no In-Reply-To, References or
  // Thread-Index for correlation), the log says so, and the next session tries again.
  let parser: Promise<HeaderParser | null> | null = null;
  const headerParser = (): Promise<HeaderParser | null> => {
    parser ??= import(/* webpackChunkName: "headers" */ '../../mail/headers').then(
      (headers) => headers.parseHeaderBlock,
      (error: unknown) => {
        parser = null;
        log('Could not load the header parser: the email is read without its internet headers.', error);
        return null;
      },
    );
    return parser;
  };
  void headerParser();
  // The meeting code (reader, CRM appointments, use cases, card) is one chunk, loaded when a meeting
  // is first selected (most panes only ever show mail); a failed load fails that read, and the next
  // selection tries again.
  const meetings = lazyMeetings;
  // The background check reads the session the pane has opened last (none while there is none).
  let currentHost: OutlookHost | null = null;
  const hostPage = typeof window === 'undefined' ? undefined : window.__TIC_HOST__;
  const setup = paneBackgroundFor(office, {
    ...(hostPage && 'graphUrl' in hostPage ? { hostGraphUrl: hostPage.graphUrl ?? null } : {}),
    currentHost: () => currentHost,
    log: diagnostics,
    ...(testing?.firstCycleMs !== undefined ? { firstCycleDelayMs: testing.firstCycleMs } : {}),
  });
  if (setup.background) {
    setup.background.start();
    // A cycle under way finishes its writes; none starts while the pane is gone.
    window.addEventListener('pagehide', () => setup.background?.stop());
  }
  const synchronization = paneSyncFor(office, {
    ...(hostPage && 'graphUrl' in hostPage ? { hostGraphUrl: hostPage.graphUrl ?? null } : {}),
    currentHost: () => currentHost,
    log: diagnostics,
    ...(testing?.firstSyncMs !== undefined ? { firstRunDelayMs: testing.firstSyncMs } : {}),
  });
  if (synchronization.load) {
    const part = synchronization.load();
    // Its failure is in the diagnostics log; the Synchronization tab says it and tries again.
    part.then(
      (sync) => sync.synchronization.start(),
      () => undefined,
    );
    // A run under way finishes its writes; none starts while the pane is gone.
    window.addEventListener(
      'pagehide',
      () =>
        void part.then(
          (sync) => sync.synchronization.stop(),
          () => undefined,
        ),
    );
  }
  const controller = new PaneController({
    office,
    strings,
    log,
    ...(testing?.drainEveryMs ? { drainEveryMs: testing.drainEveryMs } : {}),
    // Track with no session reads the item as a session would (headers parsed), then queues it.
    sessionless: async (host) =>
      sessionlessDeps(host, null, {
        log: diagnostics,
        t: strings.t,
        mailbox: outlookMailbox(host, {
          log: diagnostics,
          parseHeaders: await headerParser(),
          meetings: meetings.reader,
        }),
      }),
    openHost: async (host) => {
      const folderLookup = hostPage?.folderLookup;
      const parseHeaders = await headerParser();
      const opened = await openOutlookSession(host, {
        signIn: msalSignIn,
        meetings,
        ...(parseHeaders ? { parseHeaders } : {}),
        log: diagnostics,
        // The use cases word their outcomes in the pane's language, as the ribbon's do in its.
        t: strings.t,
        ...(folderLookup ? { folderLookup } : {}),
      });
      currentHost = opened;
      return opened;
    },
    ...(setup.background
      ? {
          background: setup.background.control,
          folderMappings: setup.background.folderMappings,
          mailFolders: setup.background.mailFolders,
        }
      : { backgroundUnavailable: setup.unavailable }),
  });
  recordPaneDecisions(controller, diagnostics);
  // The pane state does not carry synchronization nor the diagnostics log: the controller hands them
  // to the views (syncAccess.ts, diagnosticsAccess.ts).
  return Object.assign(controller, { synchronization, diagnostics });
}
