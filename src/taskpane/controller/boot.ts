/** The pane's composition: the controller over the real session (MSAL sign-in, header parser, workbench folders). */
import { msalSignIn } from '../../host/signIn';
import { openOutlookSession } from '../../host/outlookSession';
import { parseHeaderBlock } from '../../mail/headers';
import { PaneController } from './paneController';

declare global {
  interface Window {
    /** Set by the workbench page: what Office.js cannot tell (the folder of an item). */
    __TIC_HOST__?: { folderLookup?: (itemId: string) => Promise<string | null> };
  }
}

export function createPaneController(office: typeof Office): PaneController {
  return new PaneController({
    office,
    openHost: (host) => {
      const folderLookup = typeof window === 'undefined' ? undefined : window.__TIC_HOST__?.folderLookup;
      return openOutlookSession(host, {
        signIn: msalSignIn,
        parseHeaders: parseHeaderBlock,
        ...(folderLookup ? { folderLookup } : {}),
      });
    },
  });
}
