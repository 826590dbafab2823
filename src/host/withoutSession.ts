/**
 * What an entry point needs when no session can be opened (the CRM down or slow at the click or the
 * send): the mailbox, the pending queue and the wording of failures, from Office.js and roaming
 * settings alone. Part of the composition root, so the ribbon command and the event handlers build
 * no adapter themselves: a track the user asked for is queued with the same stores the session uses.
 */
import type { AppTranslate, Worded } from '../app/appWords';
import type { DiagnosticsLog } from '../app/ports';
import type { QueueContext } from '../app/pendingQueue';
import { OutlookMailbox, type HeaderParser, type OutlookMailboxOptions } from '../mailbox/outlookMailbox';
import { RoamingStore } from '../mailbox/roamingStore';
import { lastKnownVerbose } from './lastKnownVerbose';
import type { OutlookHost } from './outlookSession';

export type { HeaderParser, OutlookMailbox };

/**
 * The mailbox port over Office.js, for notices before (or without) a session; `meetings` (the meeting
 * reader) where the selected item may be a meeting (the pane, the ribbon command).
 */
export function outlookMailbox(
  office: typeof Office,
  options: {
    readonly log: DiagnosticsLog;
    readonly parseHeaders?: HeaderParser | null;
    readonly meetings?: OutlookMailboxOptions['meetings'];
  },
): OutlookMailbox {
  return new OutlookMailbox(office.context.mailbox, {
    log: options.log,
    ...(options.parseHeaders ? { parseHeaders: options.parseHeaders } : {}),
    ...(options.meetings ? { meetings: options.meetings } : {}),
  });
}

export interface SessionlessDeps extends QueueContext, Worded {
  readonly mailbox: OutlookMailbox;
}

/**
 * The queue and wording without a session. `known` is this runtime's last session, if any: failures
 * are worded as the organization said then, else as the settings snapshot of the CRM in use says.
 */
export async function sessionlessDeps(
  office: typeof Office,
  known: OutlookHost | null,
  options: { readonly log: DiagnosticsLog; readonly mailbox?: OutlookMailbox; readonly t?: AppTranslate },
): Promise<SessionlessDeps> {
  const { log } = options;
  return {
    mailbox: options.mailbox ?? outlookMailbox(office, { log }),
    pending: new RoamingStore(office.context.roamingSettings).pendingStore(),
    clock: { now: () => Date.now() },
    verboseErrors: await lastKnownVerbose(known, office, log),
    log,
    ...(options.t ? { t: options.t } : {}),
  };
}
