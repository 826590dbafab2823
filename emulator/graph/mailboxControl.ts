/**
 * The control plane's two endpoints (controlPlane.ts): a mirror's sync of the whole mailbox, and the
 * feed of what clients changed through Graph. A sync that changes nothing takes no sequence, so it
 * gives no new changeKey and nothing in a delta: the mirror can sync after every change it sees,
 * including the ones it applied itself from the feed, without the two sides echoing each other.
 */
import type {
  ChangedMessage,
  ControlCategory,
  MailboxChanges,
  MailboxSync,
  MailboxSyncResult,
  MirroredMessage,
} from './controlPlane';
import { graphId, nowIso, type FolderRow, type GraphDb, type MessageRow } from './db';
import { DERIVED, normalizePropertyId } from './extendedProperties';
import { BadRequest } from './protocol';

const WELL_KNOWN_NAMES = new Set([
  'inbox',
  'sentitems',
  'drafts',
  'deleteditems',
  'junkemail',
  'outbox',
  'archive',
]);

/** The columns a mirror's message sets; read state and importance are Graph's own and are kept. */
const MIRRORED_COLUMNS = [
  'folder_id',
  'created',
  'received',
  'sent',
  'subject',
  'body',
  'internet_message_id',
  'in_reply_to',
  'references_ids',
  'conversation_id',
  'conversation_index',
  'is_draft',
  'from_json',
  'to_json',
  'cc_json',
  'categories_json',
  'headers_json',
] as const;

/**
 * A folder by well-known name or path of display names (compared case-insensitively), made along the
 * way when missing: a path's first segment is a well-known folder's name or display name, else a folder
 * under the mailbox root.
 */
export function ensureFolderPath(db: GraphDb, pathOrName: string): FolderRow {
  const segments = pathOrName
    .split('/')
    .map((s) => s.trim())
    .filter(Boolean);
  if (segments.length === 0) throw new BadRequest('BadRequest', 'A message needs a folder.');
  const root = db.resolveFolder('msgfolderroot');
  if (!root) throw new Error('the mailbox has no msgfolderroot');
  let parent = root;
  let rest = segments;
  const first = (segments[0] as string).toLowerCase();
  const wellKnown = WELL_KNOWN_NAMES.has(first) ? db.resolveFolder(first) : undefined;
  if (wellKnown) {
    parent = wellKnown;
    rest = segments.slice(1);
  }
  const names: string[] = [parent.display_name];
  for (const segment of rest) {
    names.push(segment);
    const existing = db
      .childFolders(parent.id)
      .find((f) => f.display_name.toLowerCase() === segment.toLowerCase());
    if (existing) {
      parent = existing;
      continue;
    }
    const row: FolderRow = {
      id: graphId('folder', names.join('/')),
      well_known: null,
      display_name: segment,
      parent_id: parent.id,
      is_hidden: 0,
    };
    db.insertFolder(row);
    parent = row;
  }
  return parent;
}

const recipientJson = (r: { name: string; address: string }): string =>
  JSON.stringify({ name: r.name, address: r.address });

function checkMessage(m: unknown, index: number): MirroredMessage {
  const bad = (what: string): never => {
    throw new BadRequest('BadRequest', `messages[${index}]: ${what}`);
  };
  if (typeof m !== 'object' || m === null) return bad('not an object');
  const x = m as Record<string, unknown>;
  if (typeof x.id !== 'string' || !/^[A-Za-z0-9_-]{16,}={0,2}$/.test(x.id)) bad('id is not a Graph id');
  if (typeof x.folder !== 'string') bad('folder is not a string');
  if (typeof x.subject !== 'string' || typeof x.body !== 'string') bad('subject and body must be strings');
  if (typeof x.receivedDateTime !== 'string' || Number.isNaN(Date.parse(x.receivedDateTime)))
    bad('receivedDateTime is not an instant');
  if (typeof x.conversationId !== 'string') bad('conversationId is not a string');
  for (const list of ['to', 'cc', 'references', 'categories', 'headers'] as const)
    if (!Array.isArray(x[list])) bad(`${list} is not an array`);
  if (typeof x.extendedProperties !== 'object' || x.extendedProperties === null)
    bad('extendedProperties is not an object');
  return m as MirroredMessage;
}

function rowOf(
  m: MirroredMessage,
  folderId: string,
  existing: MessageRow | undefined,
): { -readonly [K in keyof Omit<MessageRow, 'seq'>]: MessageRow[K] } {
  const received = nowIso(new Date(m.receivedDateTime));
  return {
    id: m.id,
    folder_id: folderId,
    created: received,
    last_modified: existing?.last_modified ?? received,
    received,
    sent: m.isDraft ? null : received,
    subject: m.subject,
    body: m.body,
    internet_message_id: m.internetMessageId,
    in_reply_to: m.inReplyTo,
    references_ids: m.references.length ? m.references.join(' ') : null,
    conversation_id: m.conversationId,
    conversation_index: m.threadIndex,
    is_draft: m.isDraft ? 1 : 0,
    // New mail arrives unread; what the user sent or drafted is read. After that, read state is Graph's.
    is_read: existing ? existing.is_read : m.isDraft || m.headers.length === 0 ? 1 : 0,
    importance: existing?.importance ?? 'normal',
    from_json: m.from ? recipientJson(m.from) : null,
    to_json: JSON.stringify(m.to.map((r) => ({ name: r.name, address: r.address }))),
    cc_json: JSON.stringify(m.cc.map((r) => ({ name: r.name, address: r.address }))),
    categories_json: JSON.stringify(m.categories),
    headers_json: JSON.stringify(m.headers.map((h) => ({ name: h.name, value: h.value }))),
  };
}

/** The named properties to set or remove, ids normalised; a derived (server-set) one is refused. */
function propertyChanges(m: MirroredMessage): [string, string | null][] {
  return Object.entries(m.extendedProperties).map(([id, value]) => {
    const propId = normalizePropertyId(id);
    if (DERIVED[propId])
      throw new BadRequest(
        'BadRequest',
        `The property '${id}' is derived from the message and cannot be set.`,
      );
    if (value !== null && typeof value !== 'string')
      throw new BadRequest('BadRequest', `The property '${id}' needs a string value or null.`);
    return [propId, value];
  });
}

/** Adds the categories whose names the master list lacks (Graph's names are unique, case-insensitively). */
function addMasterCategories(db: GraphDb, categories: readonly ControlCategory[]): void {
  for (const c of categories) {
    if (typeof c?.displayName !== 'string' || !c.displayName.trim()) continue;
    if (db.categoryByName(c.displayName)) continue;
    const color = /^(none|preset([0-9]|1[0-9]|2[0-4]))$/.test(c.color) ? c.color : 'none';
    db.insertCategory({ id: graphId('category', c.displayName), display_name: c.displayName, color });
  }
}

/** `PUT /_emulator/mailbox`. */
export function syncMailbox(db: GraphDb, body: unknown): MailboxSyncResult {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as MailboxSync).messages))
    throw new BadRequest('BadRequest', 'The body must be {"messages": [...], "masterCategories"?: [...]}.');
  const sync = body as MailboxSync;
  const messages = sync.messages.map(checkMessage);
  if (sync.since !== undefined && sync.since !== null && (!Number.isInteger(sync.since) || sync.since < 0))
    throw new BadRequest('BadRequest', 'since must be a sequence number.');
  const counts = { created: 0, updated: 0, unchanged: 0, removed: 0 };
  db.transaction(() => {
    if (Array.isArray(sync.masterCategories)) addMasterCategories(db, sync.masterCategories);
    if (Array.isArray(sync.folders))
      for (const folder of sync.folders) if (typeof folder === 'string') ensureFolderPath(db, folder);
    const listed = new Set<string>();
    // Graph writes the mirror has not pulled yet win over its (older) values of the same fields.
    const unseen = new Set(typeof sync.since === 'number' ? db.apiChangesSince(sync.since) : []);
    for (const m of messages) {
      listed.add(m.id);
      const folder = ensureFolderPath(db, m.folder);
      const props = propertyChanges(m);
      const existing = db.message(m.id);
      const row = rowOf(m, folder.id, existing);
      if (!existing) {
        db.insertMessage(row);
        for (const [id, value] of props) if (value !== null) db.setExtProp(m.id, id, value);
        db.markMirrored(m.id);
        counts.created += 1;
        continue;
      }
      db.markMirrored(m.id);
      if (unseen.has(m.id)) {
        row.categories_json = existing.categories_json;
        props.length = 0;
      }
      const stored = db.extProps(m.id);
      const propsDiffer = props.some(([id, value]) => (stored.get(id) ?? null) !== value);
      const columnsDiffer = MIRRORED_COLUMNS.some((c) => existing[c] !== row[c]);
      if (!propsDiffer && !columnsDiffer) {
        counts.unchanged += 1;
        continue;
      }
      if (existing.folder_id !== row.folder_id) {
        // Same id in another folder (a draft saved elsewhere): the old folder's delta reports it removed.
        db.removeMessage(m.id, { folderId: row.folder_id, newId: m.id, now: row.last_modified });
        db.markMirrored(m.id);
      }
      for (const [id, value] of props) {
        if (value === null) db.deleteExtProp(m.id, id);
        else db.setExtProp(m.id, id, value);
      }
      db.replaceMessage({ ...row, last_modified: nowIso() });
      counts.updated += 1;
    }
    for (const id of db.mirroredIds()) {
      if (listed.has(id)) continue;
      db.removeMessage(id);
      counts.removed += 1;
    }
  });
  return { ...counts, seq: db.currentSeq() };
}

/** `GET /_emulator/mailbox/changes[?since=N]`. */
export function mailboxChanges(db: GraphDb, since: string | null): MailboxChanges {
  const masterCategories = db.categories().map((c) => ({ displayName: c.display_name, color: c.color }));
  if (since === null) return { seq: db.currentSeq(), changes: [], masterCategories };
  const from = Number(since);
  if (!Number.isInteger(from) || from < 0)
    throw new BadRequest('BadRequest', `since must be a sequence number, not '${since}'.`);
  const changes: ChangedMessage[] = db.apiChangesSince(from).flatMap((id) => {
    const m = db.message(id);
    if (!m) return [];
    return [
      {
        id,
        categories: JSON.parse(m.categories_json) as string[],
        extendedProperties: Object.fromEntries(db.extProps(id)),
      },
    ];
  });
  return { seq: db.currentSeq(), changes, masterCategories };
}
