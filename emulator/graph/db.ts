/**
 * The Graph emulator's storage (better-sqlite3): one mailbox's folders, messages, their stored
 * extended properties, the master category list, and the change log delta queries read.
 *
 * Every change to a message takes the next value of one mailbox-wide sequence (`seq`): a message row
 * holds the sequence of its last change, a `removal` row the sequence at which a message left a
 * folder. A delta token is then just "changes of this folder after sequence N".
 *
 * Two tables serve the control plane (mailboxControl.ts): `api_change` notes the sequence of each change
 * a client made through Graph (a PATCH), which the workbench's mirror pulls; `mirrored` lists the
 * messages the mirror put here, the only ones a mirror sync may remove.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export interface Recipient {
  readonly name: string;
  readonly address: string;
}

export interface Header {
  readonly name: string;
  readonly value: string;
}

export interface FolderRow {
  readonly id: string;
  readonly well_known: string | null;
  readonly display_name: string;
  readonly parent_id: string | null;
  readonly is_hidden: number;
}

export interface MessageRow {
  readonly id: string;
  readonly folder_id: string;
  readonly seq: number;
  readonly created: string;
  readonly last_modified: string;
  readonly received: string;
  readonly sent: string | null;
  readonly subject: string;
  readonly body: string;
  readonly internet_message_id: string | null;
  /** PidTagInReplyToId and PidTagInternetReferences: set on received replies and on sent ones. */
  readonly in_reply_to: string | null;
  readonly references_ids: string | null;
  readonly conversation_id: string;
  /** base64 */
  readonly conversation_index: string | null;
  readonly is_draft: number;
  readonly is_read: number;
  readonly importance: string;
  /** JSON Recipient */
  readonly from_json: string | null;
  /** JSON Recipient[] */
  readonly to_json: string;
  readonly cc_json: string;
  /** JSON string[] */
  readonly categories_json: string;
  /** JSON Header[]: the SMTP header block of a received message; `[]` for drafts. */
  readonly headers_json: string;
}

/** The columns a PATCH may change. */
export type MessageChanges = {
  -readonly [K in 'categories_json' | 'is_read' | 'importance' | 'subject' | 'body']?: MessageRow[K];
};

export interface CategoryRow {
  readonly id: string;
  readonly display_name: string;
  readonly color: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS folder (
  id TEXT PRIMARY KEY, well_known TEXT UNIQUE, display_name TEXT NOT NULL COLLATE NOCASE,
  parent_id TEXT, is_hidden INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS folder_parent ON folder(parent_id);
CREATE TABLE IF NOT EXISTS message (
  id TEXT PRIMARY KEY, folder_id TEXT NOT NULL, seq INTEGER NOT NULL,
  created TEXT NOT NULL, last_modified TEXT NOT NULL, received TEXT NOT NULL, sent TEXT,
  subject TEXT NOT NULL, body TEXT NOT NULL, internet_message_id TEXT, in_reply_to TEXT, references_ids TEXT, conversation_id TEXT NOT NULL,
  conversation_index TEXT, is_draft INTEGER NOT NULL, is_read INTEGER NOT NULL, importance TEXT NOT NULL,
  from_json TEXT, to_json TEXT NOT NULL, cc_json TEXT NOT NULL, categories_json TEXT NOT NULL,
  headers_json TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS message_folder_received ON message(folder_id, received);
CREATE INDEX IF NOT EXISTS message_folder_seq ON message(folder_id, seq);
CREATE INDEX IF NOT EXISTS message_imid ON message(internet_message_id);
CREATE TABLE IF NOT EXISTS removal (seq INTEGER PRIMARY KEY, message_id TEXT NOT NULL, folder_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS removal_folder_seq ON removal(folder_id, seq);
CREATE TABLE IF NOT EXISTS extprop (
  message_id TEXT NOT NULL, prop_id TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (message_id, prop_id));
CREATE TABLE IF NOT EXISTS api_change (seq INTEGER PRIMARY KEY, message_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS mirrored (message_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS category (
  id TEXT PRIMARY KEY, display_name TEXT NOT NULL UNIQUE COLLATE NOCASE, color TEXT NOT NULL, position INTEGER NOT NULL);
`;

/** A Graph-looking id (base64 of a hash, like Exchange's `AAMkAD…=` ids), the same for the same name. */
export function graphId(kind: 'folder' | 'message' | 'category', name: string): string {
  const digest = createHash('sha256').update(`track-in-crm-graph:${kind}:${name}`).digest();
  if (kind === 'category') {
    const h = digest.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  }
  const prefix = kind === 'folder' ? 'AAMkADFo' : 'AAMkADMs';
  return `${prefix}${digest.toString('base64url').slice(0, 40)}AAA=`;
}

/** The version stamp of a message at one sequence: changes with every change, as Exchange's does. */
export function changeKeyOf(id: string, seq: number): string {
  const digest = createHash('sha256').update(`${id}#${seq}`).digest('base64').slice(0, 28);
  return `CQAAABYAAAA${digest}`;
}

export function nowIso(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class GraphDb {
  readonly sqlite: Database.Database;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.sqlite = new Database(file);
    this.sqlite.pragma('journal_mode = WAL');
    this.sqlite.pragma('synchronous = NORMAL');
    this.sqlite.exec(SCHEMA);
  }

  close(): void {
    this.sqlite.close();
  }

  transaction<T>(fn: () => T): T {
    return this.sqlite.transaction(fn)();
  }

  meta(key: string): string | undefined {
    const row = this.sqlite.prepare('SELECT value FROM meta WHERE key = ?').get(key) as
      { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.sqlite.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
  }

  /** The sequence of the last change (0 in an empty mailbox). */
  currentSeq(): number {
    return Number(this.meta('seq') ?? '0');
  }

  /** Takes the next sequence number; call inside a transaction with the change it stamps. */
  nextSeq(): number {
    const seq = this.currentSeq() + 1;
    this.setMeta('seq', String(seq));
    return seq;
  }

  // Folders

  folder(id: string): FolderRow | undefined {
    return this.sqlite.prepare('SELECT * FROM folder WHERE id = ?').get(id) as FolderRow | undefined;
  }

  /** A folder by id or by well-known name (case-insensitive, as Graph takes them). */
  resolveFolder(idOrName: string): FolderRow | undefined {
    return (
      this.folder(idOrName) ??
      (this.sqlite.prepare('SELECT * FROM folder WHERE well_known = ?').get(idOrName.toLowerCase()) as
        FolderRow | undefined)
    );
  }

  childFolders(parentId: string): FolderRow[] {
    return this.sqlite
      .prepare('SELECT * FROM folder WHERE parent_id = ? ORDER BY display_name, id')
      .all(parentId) as FolderRow[];
  }

  insertFolder(row: FolderRow): void {
    this.sqlite
      .prepare(
        'INSERT INTO folder (id, well_known, display_name, parent_id, is_hidden) VALUES (@id, @well_known, @display_name, @parent_id, @is_hidden)',
      )
      .run(row);
  }

  folderCounts(folderId: string): { total: number; unread: number } {
    const row = this.sqlite
      .prepare(
        'SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN is_read = 0 THEN 1 ELSE 0 END), 0) AS unread FROM message WHERE folder_id = ?',
      )
      .get(folderId) as { total: number; unread: number };
    return row;
  }

  // Messages

  message(id: string): MessageRow | undefined {
    return this.sqlite.prepare('SELECT * FROM message WHERE id = ?').get(id) as MessageRow | undefined;
  }

  insertMessage(row: Omit<MessageRow, 'seq'>): MessageRow {
    const full: MessageRow = { ...row, seq: this.nextSeq() };
    this.sqlite
      .prepare(
        `INSERT INTO message (id, folder_id, seq, created, last_modified, received, sent, subject, body,
          internet_message_id, in_reply_to, references_ids, conversation_id, conversation_index, is_draft,
          is_read, importance, from_json, to_json, cc_json, categories_json, headers_json)
         VALUES (@id, @folder_id, @seq, @created, @last_modified, @received, @sent, @subject, @body,
          @internet_message_id, @in_reply_to, @references_ids, @conversation_id, @conversation_index, @is_draft,
          @is_read, @importance, @from_json, @to_json, @cc_json, @categories_json, @headers_json)`,
      )
      .run(full);
    return full;
  }

  /** Sets columns of a message and stamps it with a new sequence (a new changeKey). */
  touchMessage(id: string, columns: MessageChanges, now: string): void {
    const sets = Object.keys(columns).map((c) => `${c} = @${c}`);
    this.sqlite
      .prepare(
        `UPDATE message SET ${[...sets, 'seq = @seq', 'last_modified = @now'].join(', ')} WHERE id = @id`,
      )
      .run({ ...columns, seq: this.nextSeq(), now, id });
  }

  /** Replaces every column of a message (the mirror's upsert) and stamps it with a new sequence. */
  replaceMessage(row: Omit<MessageRow, 'seq'>): void {
    this.sqlite
      .prepare(
        `UPDATE message SET folder_id = @folder_id, seq = @seq, created = @created, last_modified = @last_modified,
          received = @received, sent = @sent, subject = @subject, body = @body,
          internet_message_id = @internet_message_id, in_reply_to = @in_reply_to, references_ids = @references_ids,
          conversation_id = @conversation_id, conversation_index = @conversation_index, is_draft = @is_draft,
          is_read = @is_read, importance = @importance, from_json = @from_json, to_json = @to_json,
          cc_json = @cc_json, categories_json = @categories_json, headers_json = @headers_json
         WHERE id = @id`,
      )
      .run({ ...row, seq: this.nextSeq() });
  }

  /** Notes that the last change of a message came through Graph's API (call right after it). */
  noteApiChange(messageId: string): void {
    this.sqlite
      .prepare('INSERT OR REPLACE INTO api_change (seq, message_id) VALUES (?, ?)')
      .run(this.currentSeq(), messageId);
  }

  /** Ids of the messages changed through Graph's API after sequence `since`. */
  apiChangesSince(since: number): string[] {
    const rows = this.sqlite
      .prepare('SELECT DISTINCT message_id FROM api_change WHERE seq > ? ORDER BY message_id')
      .all(since) as { message_id: string }[];
    return rows.map((r) => r.message_id);
  }

  markMirrored(messageId: string): void {
    this.sqlite.prepare('INSERT OR IGNORE INTO mirrored (message_id) VALUES (?)').run(messageId);
  }

  mirroredIds(): string[] {
    const rows = this.sqlite.prepare('SELECT message_id FROM mirrored').all() as { message_id: string }[];
    return rows.map((r) => r.message_id);
  }

  /**
   * Takes a message out of its folder (a delete or a move): the folder's next delta reports it
   * `@removed`. `to` given: it goes on in that folder under a new id, as Exchange ids change on a move.
   */
  removeMessage(id: string, to?: { folderId: string; newId: string; now: string }): void {
    const row = this.message(id);
    if (!row) return;
    // Moved or deleted, it is no longer the copy the mirror put here.
    this.sqlite.prepare('DELETE FROM mirrored WHERE message_id = ?').run(id);
    this.sqlite
      .prepare('INSERT INTO removal (seq, message_id, folder_id) VALUES (?, ?, ?)')
      .run(this.nextSeq(), id, row.folder_id);
    if (to) {
      this.sqlite
        .prepare('UPDATE message SET id = ?, folder_id = ?, seq = ?, last_modified = ? WHERE id = ?')
        .run(to.newId, to.folderId, this.nextSeq(), to.now, id);
      this.sqlite.prepare('UPDATE extprop SET message_id = ? WHERE message_id = ?').run(to.newId, id);
    } else {
      this.sqlite.prepare('DELETE FROM message WHERE id = ?').run(id);
      this.sqlite.prepare('DELETE FROM extprop WHERE message_id = ?').run(id);
    }
  }

  // Extended properties (the named ones the add-in writes; proptags are read from the message)

  extProps(messageId: string): Map<string, string> {
    const rows = this.sqlite
      .prepare('SELECT prop_id, value FROM extprop WHERE message_id = ?')
      .all(messageId) as { prop_id: string; value: string }[];
    return new Map(rows.map((r) => [r.prop_id, r.value]));
  }

  setExtProp(messageId: string, propId: string, value: string): void {
    this.sqlite
      .prepare('INSERT OR REPLACE INTO extprop (message_id, prop_id, value) VALUES (?, ?, ?)')
      .run(messageId, propId, value);
  }

  deleteExtProp(messageId: string, propId: string): void {
    this.sqlite.prepare('DELETE FROM extprop WHERE message_id = ? AND prop_id = ?').run(messageId, propId);
  }

  // Master categories

  categories(): CategoryRow[] {
    return this.sqlite
      .prepare('SELECT id, display_name, color FROM category ORDER BY position')
      .all() as CategoryRow[];
  }

  categoryByName(name: string): CategoryRow | undefined {
    return this.sqlite
      .prepare('SELECT id, display_name, color FROM category WHERE display_name = ?')
      .get(name) as CategoryRow | undefined;
  }

  insertCategory(row: CategoryRow): void {
    const position = (this.sqlite.prepare('SELECT COUNT(*) AS n FROM category').get() as { n: number }).n;
    this.sqlite
      .prepare('INSERT INTO category (id, display_name, color, position) VALUES (?, ?, ?, ?)')
      .run(row.id, row.display_name, row.color, position);
  }
}

export function openGraphDb(file: string): GraphDb {
  return new GraphDb(file);
}
