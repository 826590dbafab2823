/**
 * The composition root for Outlook: the Office.js mailbox, roaming settings and the Dataverse
 * adapter put together into a Session. Every entry point (pane, commands, events) starts here.
 */
import { requestEventsFor } from '../app/diagnosticsEvents';
import type { AppTranslate } from '../app/appWords';
import { withLog, type LoggedSession } from '../app/diagnostics';
import type { DiagnosticsLog } from '../app/ports';
import { openSession } from '../app/session';
import { DataverseAdapter, type DataverseAdapterOptions } from '../crm/dataverseAdapter';
import { DataverseHttp } from '../crm/dataverseHttp';
import {
  OutlookMailbox,
  type FolderLookup,
  type HeaderParser,
  type OutlookMailboxOptions,
} from '../mailbox/outlookMailbox';
import { RoamingStore } from '../mailbox/roamingStore';
import { connectionFor, tokenProviderFor, type Connection, type SignIn } from './connection';
import { consoleDiagnosticsLog } from './diagnostics';
import { SessionCache } from './sessionCache';

export interface OutlookSessionOptions {
  /** How to sign in to a real org: the pane passes msalSignIn; the event runtime cannot sign in (null). */
  readonly signIn: SignIn | null;
  readonly folderLookup?: FolderLookup;
  /** The header parser for read items (src/mail/headers.ts); the event runtime passes none. */
  readonly parseHeaders?: HeaderParser;
  readonly fetch?: typeof fetch;
  /** Where failures' detail goes (default: the console). */
  readonly log?: DiagnosticsLog;
  /** The words of the surface that opens the session (its display language); English without. */
  readonly t?: AppTranslate;
  /**
   * Meetings (issue 12), for the runtimes that show them (the pane, the ribbon command): the meeting
   * reader (src/mailbox/meetingReader.ts) and the CRM's appointments (src/crm/appointments.ts). The
   * event runtime passes none: its handlers see drafts only, and events.js is held to 40 KB gz.
   */
  readonly meetings?: MeetingSupport;
}

export interface MeetingSupport {
  readonly reader: NonNullable<OutlookMailboxOptions['meetings']>;
  readonly appointments: NonNullable<DataverseAdapterOptions['appointments']>;
}

export interface OutlookHost {
  readonly session: LoggedSession;
  readonly connection: Connection;
  readonly roaming: RoamingStore;
  readonly http: DataverseHttp;
}

export async function openOutlookSession(
  office: typeof Office,
  options: OutlookSessionOptions,
): Promise<OutlookHost> {
  const log = options.log ?? consoleDiagnosticsLog;
  const roaming = new RoamingStore(office.context.roamingSettings);
  const connection = connectionFor(roaming.read().crmUrl);
  const http = new DataverseHttp({
    orgUrl: connection.crmUrl,
    tokens: tokenProviderFor(connection, options.signIn),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    log: (message, error) => log.log(message, error),
    ...requestEventsFor(log),
  });
  const session = await openSession({
    crm: new DataverseAdapter(http, {
      log: (message, error) => log.log(message, error),
      ...(options.meetings ? { appointments: options.meetings.appointments } : {}),
    }),
    mailbox: new OutlookMailbox(office.context.mailbox, {
      folderLookup: options.folderLookup ?? null,
      parseHeaders: options.parseHeaders ?? null,
      meetings: options.meetings?.reader ?? null,
      log,
    }),
    pending: roaming.pendingStore(),
    tokens: roaming.tokenCounter(),
    localOptions: roaming.localOptions(),
    snapshots: roaming.sessionSnapshots(connection.crmUrl),
    clock: { now: () => Date.now() },
    log,
  });
  return { session: withLog(session, log, options.t), connection, roaming, http };
}

/**
 * A session cache for one runtime (src/host/sessionCache.ts): keyed on what the session is opened
 * from in roaming settings (the CRM URL and the local options), not on the pending queue or the
 * token counter, which change with every queued track.
 */
export function outlookSessionCache(
  office: typeof Office,
  /** The options, or how to get them when a session is opened (a parser loaded on first use). */
  options: OutlookSessionOptions | (() => Promise<OutlookSessionOptions>),
  cache: { ttlMs?: number; now?: () => number } = {},
): SessionCache {
  return new SessionCache({
    open: async () => openOutlookSession(office, typeof options === 'function' ? await options() : options),
    fingerprint: () => {
      const { crmUrl, client, user } = new RoamingStore(office.context.roamingSettings).read();
      return JSON.stringify([crmUrl ?? null, client, user]);
    },
    ...cache,
  });
}
