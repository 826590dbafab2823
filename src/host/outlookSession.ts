/**
 * The composition root for Outlook: the Office.js mailbox, roaming settings and the Dataverse
 * adapter put together into a Session. Every entry point (pane, commands, events) starts here.
 */
import { openSession, type Session } from '../app/session';
import { DataverseAdapter } from '../crm/dataverseAdapter';
import { DataverseHttp } from '../crm/dataverseHttp';
import { OutlookMailbox, type FolderLookup, type HeaderParser } from '../mailbox/outlookMailbox';
import { RoamingStore } from '../mailbox/roamingStore';
import { connectionFor, tokenProviderFor, type Connection, type SignIn } from './connection';

export interface OutlookSessionOptions {
  /** How to sign in to a real org: the pane passes msalSignIn; the event runtime cannot sign in (null). */
  readonly signIn: SignIn | null;
  readonly folderLookup?: FolderLookup;
  /** The header parser for read items (src/mail/headers.ts); the event runtime passes none. */
  readonly parseHeaders?: HeaderParser;
  readonly fetch?: typeof fetch;
}

export interface OutlookHost {
  readonly session: Session;
  readonly connection: Connection;
  readonly roaming: RoamingStore;
  readonly http: DataverseHttp;
}

export async function openOutlookSession(
  office: typeof Office,
  options: OutlookSessionOptions,
): Promise<OutlookHost> {
  const roaming = new RoamingStore(office.context.roamingSettings);
  const connection = connectionFor(roaming.read().crmUrl);
  const http = new DataverseHttp({
    orgUrl: connection.crmUrl,
    tokens: tokenProviderFor(connection, options.signIn),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const session = await openSession({
    crm: new DataverseAdapter(http),
    mailbox: new OutlookMailbox(office.context.mailbox, {
      folderLookup: options.folderLookup ?? null,
      parseHeaders: options.parseHeaders ?? null,
    }),
    pending: roaming.pendingStore(),
    tokens: roaming.tokenCounter(),
    localOptions: roaming.localOptions(),
    clock: { now: () => Date.now() },
  });
  return { session, connection, roaming, http };
}
