/** The pane's composition: the controller over the real session (MSAL sign-in, header parser, workbench folders). */
import { msalSignIn } from '../../host/signIn';
import { openOutlookSession } from '../../host/outlookSession';
import { outlookMailbox, sessionlessDeps } from '../../host/withoutSession';
import { parseHeaderBlock } from '../../mail/headers';
import { PaneController } from './paneController';

declare global {
  interface Window {
    /** Set by the workbench page: what Office.js cannot tell (the folder of an item). */
    __TIC_HOST__?: { folderLookup?: (itemId: string) => Promise<string | null> };
    /** Tests only: a short background interval, so a drain is awaited as a condition, not slept for. */
    __TIC_PANE_OPTIONS__?: { drainEveryMs?: number };
  }
}

export function createPaneController(office: typeof Office): PaneController {
  // One diagnostics log for the pane and the use cases it runs.
  const log = (message: string, error?: unknown) => console.error(`[Track in CRM] ${message}`, error ?? '');
  const testing = typeof window === 'undefined' ? undefined : window.__TIC_PANE_OPTIONS__;
  return new PaneController({
    office,
    log,
    ...(testing?.drainEveryMs ? { drainEveryMs: testing.drainEveryMs } : {}),
    // Track with no session reads the item as a session would (headers parsed), then queues it.
    sessionless: (host) =>
      sessionlessDeps(host, null, {
        log: { log },
        mailbox: outlookMailbox(host, { log: { log }, parseHeaders: parseHeaderBlock }),
      }),
    openHost: (host) => {
      const folderLookup = typeof window === 'undefined' ? undefined : window.__TIC_HOST__?.folderLookup;
      return openOutlookSession(host, {
        signIn: msalSignIn,
        parseHeaders: parseHeaderBlock,
        log: { log },
        ...(folderLookup ? { folderLookup } : {}),
      });
    },
  });
}
