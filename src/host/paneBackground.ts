/**
 * Whether this pane can run the background check, and if so its stand-in (lazyBackground.ts) over the
 * real one (backgroundHost.ts, a chunk). The reasons it cannot are said in the user's words on the
 * Background check tab; they never stop the rest of the pane.
 */
import type { DiagnosticsLog } from '../app/ports';
import { isLocalGraph } from '../graph/auth';
import { RoamingStore } from '../mailbox/roamingStore';
import { CLIENT_ID, connectionFor, graphUrlFor } from './connection';
import { lazyPaneBackground, type LazyPaneBackground } from './lazyBackground';
import type { OutlookHost } from './outlookSession';

export type PaneBackgroundSetup =
  | { readonly background: LazyPaneBackground; readonly unavailable: null }
  | { readonly background: null; readonly unavailable: string };

export interface PaneBackgroundSetupOptions {
  /** What the host page says (the workbench: its Graph emulator, or null when none runs). */
  readonly hostGraphUrl?: string | null;
  readonly currentHost: () => OutlookHost | null;
  readonly log: DiagnosticsLog;
  readonly firstCycleDelayMs?: number;
}

export function paneBackgroundFor(
  office: typeof Office,
  options: PaneBackgroundSetupOptions,
): PaneBackgroundSetup {
  const mailbox = office.context.mailbox;
  const connection = connectionFor(new RoamingStore(office.context.roamingSettings).read().crmUrl);
  const graphUrl = graphUrlFor(connection, options.hostGraphUrl);
  if (!graphUrl)
    return {
      background: null,
      unavailable:
        'The background check reads your mailbox through Microsoft Graph, and this Outlook gives the add-in none to read from (in the workbench: the Graph emulator is not running). The email you open is still checked.',
    };
  if (!isLocalGraph(graphUrl) && !CLIENT_ID)
    return {
      background: null,
      unavailable:
        "The background check signs in to Microsoft Graph with the add-in's app registration, and this copy of the add-in was built without one (TIC_CLIENT_ID). The email you open is still checked.",
    };
  if (typeof mailbox.convertToEwsId !== 'function')
    return {
      background: null,
      unavailable:
        'This version of Outlook cannot match the mailbox as Graph lists it to the items it shows (Mailbox 1.3), so the background check does not run. The email you open is still checked.',
    };
  const outlookItemId = (graphId: string): string | null => {
    try {
      return mailbox.convertToEwsId(graphId, office.MailboxEnums.RestVersion.v2_0);
    } catch (error) {
      options.log.log(`Could not convert the Graph id ${graphId} to Outlook's`, error);
      return null;
    }
  };
  return {
    unavailable: null,
    background: lazyPaneBackground(async () => {
      const { openPaneBackground } = await import(/* webpackChunkName: "background" */ './backgroundHost');
      return openPaneBackground({
        graphUrl,
        userAddress: mailbox.userProfile.emailAddress,
        currentHost: options.currentHost,
        outlookItemId,
        storage: window.localStorage,
        log: options.log,
        ...(options.firstCycleDelayMs !== undefined ? { firstCycleDelayMs: options.firstCycleDelayMs } : {}),
      });
    }, options.log),
  };
}
