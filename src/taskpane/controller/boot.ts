/** The pane's composition: the controller over the real session (MSAL sign-in, header parser, workbench folders). */
import { msalSignIn } from '../../host/signIn';
import { openOutlookSession } from '../../host/outlookSession';
import { outlookMailbox, sessionlessDeps } from '../../host/withoutSession';
import type { HeaderParser } from '../../host/withoutSession';
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
  return new PaneController({
    office,
    log,
    ...(testing?.drainEveryMs ? { drainEveryMs: testing.drainEveryMs } : {}),
    // Track with no session reads the item as a session would (headers parsed), then queues it.
    sessionless: async (host) =>
      sessionlessDeps(host, null, {
        log: { log },
        mailbox: outlookMailbox(host, { log: { log }, parseHeaders: await headerParser() }),
      }),
    openHost: async (host) => {
      const folderLookup = typeof window === 'undefined' ? undefined : window.__TIC_HOST__?.folderLookup;
      const parseHeaders = await headerParser();
      return openOutlookSession(host, {
        signIn: msalSignIn,
        ...(parseHeaders ? { parseHeaders } : {}),
        log: { log },
        ...(folderLookup ? { folderLookup } : {}),
      });
    },
  });
}
