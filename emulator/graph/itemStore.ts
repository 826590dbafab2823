/**
 * Storage of the mailbox's contacts, calendar events and To Do tasks (with their linked resources),
 * in the same SQLite file and under the same mailbox-wide sequence as the mail (db.ts): a change takes
 * the next `seq`, a removal row notes when an item left, so a delta token is "changes of this
 * collection after sequence N", as for messages.
 *
 * Items keep their Graph properties as one JSON object (`data`), as Graph writes them, minus the
 * bookkeeping columns (id, times, version); events also keep their span in `start_ms`/`end_ms` and, in
 * `item_span`, the span after each change, so a calendarView delta can tell an event that left its
 * window from one that was never in it. These tables are apart from the mail's: the workbench's mail
 * mirror (`PUT /_emulator/mailbox`) never touches them.
 */
import { randomUUID } from 'node:crypto';
import { changeKeyOf, graphId, type GraphDb } from './db';

export type ItemKind = 'contact' | 'event' | 'task';

export interface ItemRow {
  readonly id: string;
  readonly kind: ItemKind;
  /** The contact folder or To Do list; the calendar for events. */
  readonly parent_id: string;
  readonly seq: number;
  readonly created: string;
  readonly last_modified: string;
  /** JSON object: the item's own Graph properties. */
  readonly data: string;
  readonly start_ms: number | null;
  readonly end_ms: number | null;
}

export interface LinkedResourceRow {
  readonly id: string;
  readonly task_id: string;
  /** JSON {webUrl, applicationName, displayName, externalId} */
  readonly data: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS item (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, parent_id TEXT NOT NULL, seq INTEGER NOT NULL,
  created TEXT NOT NULL, last_modified TEXT NOT NULL, data TEXT NOT NULL, start_ms INTEGER, end_ms INTEGER);
CREATE INDEX IF NOT EXISTS item_parent_seq ON item(kind, parent_id, seq);
CREATE TABLE IF NOT EXISTS item_removal (
  seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, item_id TEXT NOT NULL, parent_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS item_span (
  item_id TEXT NOT NULL, seq INTEGER NOT NULL, start_ms INTEGER, end_ms INTEGER, PRIMARY KEY (item_id, seq));
CREATE TABLE IF NOT EXISTS item_extprop (
  item_id TEXT NOT NULL, prop_id TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (item_id, prop_id));
CREATE TABLE IF NOT EXISTS linked_resource (
  id TEXT PRIMARY KEY, task_id TEXT NOT NULL, position INTEGER NOT NULL, data TEXT NOT NULL);
`;

/** The fixed containers: one contact folder, one calendar, one To Do list (`defaultList`). */
export const CONTAINERS = {
  contacts: graphId('folder', 'contacts'),
  calendar: graphId('folder', 'calendar'),
  tasks: graphId('folder', 'todo:defaultList'),
} as const;

const CONTAINER_OF: Readonly<Record<ItemKind, string>> = {
  contact: CONTAINERS.contacts,
  event: CONTAINERS.calendar,
  task: CONTAINERS.tasks,
};

/** A new Graph-looking id; `key` given, the same on every machine (the seed). */
export function newItemId(kind: ItemKind | 'linkedResource', key: string = randomUUID()): string {
  if (kind === 'linkedResource') {
    const h = graphId('category', `linked:${key}`);
    return h;
  }
  return graphId('message', `${kind}:${key}`);
}

export function itemChangeKey(row: ItemRow): string {
  return changeKeyOf(row.id, row.seq);
}

const prepared = new WeakMap<GraphDb, ItemStore>();

/** The item store of a mailbox database (its tables made on first use). */
export function itemStore(db: GraphDb): ItemStore {
  let store = prepared.get(db);
  if (!store) {
    db.sqlite.exec(SCHEMA);
    store = new ItemStore(db);
    prepared.set(db, store);
  }
  return store;
}

export class ItemStore {
  constructor(readonly db: GraphDb) {}

  item(kind: ItemKind, id: string): ItemRow | undefined {
    return this.db.sqlite.prepare('SELECT * FROM item WHERE id = ? AND kind = ?').get(id, kind) as
      ItemRow | undefined;
  }

  items(kind: ItemKind, parentId: string): ItemRow[] {
    return this.db.sqlite
      .prepare('SELECT * FROM item WHERE kind = ? AND parent_id = ? ORDER BY created, id')
      .all(kind, parentId) as ItemRow[];
  }

  /** Items of a collection changed in (after, upto], in the order of their last change. */
  changedItems(kind: ItemKind, parentId: string, after: number, upto: number): ItemRow[] {
    return this.db.sqlite
      .prepare('SELECT * FROM item WHERE kind = ? AND parent_id = ? AND seq > ? AND seq <= ? ORDER BY seq')
      .all(kind, parentId, after, upto) as ItemRow[];
  }

  removals(
    kind: ItemKind,
    parentId: string,
    after: number,
    upto: number,
  ): { seq: number; item_id: string }[] {
    return this.db.sqlite
      .prepare(
        'SELECT seq, item_id FROM item_removal WHERE kind = ? AND parent_id = ? AND seq > ? AND seq <= ? ORDER BY seq',
      )
      .all(kind, parentId, after, upto) as { seq: number; item_id: string }[];
  }

  /** An event's span as it was at sequence `seq` (after its last change at or before it), or null. */
  spanAt(itemId: string, seq: number): { start_ms: number; end_ms: number } | null {
    const row = this.db.sqlite
      .prepare(
        'SELECT start_ms, end_ms FROM item_span WHERE item_id = ? AND seq <= ? ORDER BY seq DESC LIMIT 1',
      )
      .get(itemId, seq) as { start_ms: number | null; end_ms: number | null } | undefined;
    return row && row.start_ms !== null && row.end_ms !== null
      ? { start_ms: row.start_ms, end_ms: row.end_ms }
      : null;
  }

  /**
   * A new item in its kind's one container, created and last modified `now`, with the (id, value)
   * extended properties of its body; an event's span as given, none for the other kinds.
   */
  create(
    kind: ItemKind,
    id: string,
    data: unknown,
    now: string,
    span: { start_ms: number | null; end_ms: number | null } = { start_ms: null, end_ms: null },
    props: readonly [string, string][] = [],
  ): ItemRow {
    const inserted = this.insert({
      id,
      kind,
      parent_id: CONTAINER_OF[kind],
      created: now,
      last_modified: now,
      data: JSON.stringify(data),
      ...span,
    });
    for (const [propId, value] of props) this.setExtProp(inserted.id, propId, value);
    return inserted;
  }

  insert(row: Omit<ItemRow, 'seq'>): ItemRow {
    const full: ItemRow = { ...row, seq: this.db.nextSeq() };
    this.db.sqlite
      .prepare(
        `INSERT INTO item (id, kind, parent_id, seq, created, last_modified, data, start_ms, end_ms)
         VALUES (@id, @kind, @parent_id, @seq, @created, @last_modified, @data, @start_ms, @end_ms)`,
      )
      .run(full);
    this.noteSpan(full);
    return full;
  }

  /** Replaces an item's properties and stamps it with a new sequence (a new changeKey). */
  update(
    kind: ItemKind,
    id: string,
    change: { data: string; start_ms?: number | null; end_ms?: number | null },
    now: string,
  ): ItemRow {
    const before = this.item(kind, id) as ItemRow;
    const after: ItemRow = {
      ...before,
      data: change.data,
      start_ms: change.start_ms === undefined ? before.start_ms : change.start_ms,
      end_ms: change.end_ms === undefined ? before.end_ms : change.end_ms,
      seq: this.db.nextSeq(),
      last_modified: now,
    };
    this.db.sqlite
      .prepare(
        'UPDATE item SET data = @data, start_ms = @start_ms, end_ms = @end_ms, seq = @seq, last_modified = @last_modified WHERE id = @id',
      )
      .run(after);
    this.noteSpan(after);
    return after;
  }

  /** A new version with the same properties (a linked resource or an extended property changed). */
  touch(kind: ItemKind, id: string, now: string): ItemRow {
    const row = this.item(kind, id) as ItemRow;
    return this.update(kind, id, { data: row.data }, now);
  }

  remove(kind: ItemKind, id: string): void {
    const row = this.item(kind, id);
    if (!row) return;
    this.db.sqlite
      .prepare('INSERT INTO item_removal (seq, kind, item_id, parent_id) VALUES (?, ?, ?, ?)')
      .run(this.db.nextSeq(), kind, id, row.parent_id);
    this.db.sqlite.prepare('DELETE FROM item WHERE id = ?').run(id);
    this.db.sqlite.prepare('DELETE FROM item_extprop WHERE item_id = ?').run(id);
    this.db.sqlite.prepare('DELETE FROM linked_resource WHERE task_id = ?').run(id);
  }

  private noteSpan(row: ItemRow): void {
    if (row.kind !== 'event') return;
    this.db.sqlite
      .prepare('INSERT OR REPLACE INTO item_span (item_id, seq, start_ms, end_ms) VALUES (?, ?, ?, ?)')
      .run(row.id, row.seq, row.start_ms, row.end_ms);
  }

  // Extended properties (contacts and events)

  extProps(itemId: string): Map<string, string> {
    const rows = this.db.sqlite
      .prepare('SELECT prop_id, value FROM item_extprop WHERE item_id = ?')
      .all(itemId) as { prop_id: string; value: string }[];
    return new Map(rows.map((r) => [r.prop_id, r.value]));
  }

  setExtProp(itemId: string, propId: string, value: string): void {
    this.db.sqlite
      .prepare('INSERT OR REPLACE INTO item_extprop (item_id, prop_id, value) VALUES (?, ?, ?)')
      .run(itemId, propId, value);
  }

  // Linked resources (To Do tasks)

  linkedResources(taskId: string): LinkedResourceRow[] {
    return this.db.sqlite
      .prepare('SELECT id, task_id, data FROM linked_resource WHERE task_id = ? ORDER BY position, id')
      .all(taskId) as LinkedResourceRow[];
  }

  linkedResource(taskId: string, id: string): LinkedResourceRow | undefined {
    return this.db.sqlite
      .prepare('SELECT id, task_id, data FROM linked_resource WHERE task_id = ? AND id = ?')
      .get(taskId, id) as LinkedResourceRow | undefined;
  }

  insertLinkedResource(row: LinkedResourceRow): void {
    const position = (
      this.db.sqlite
        .prepare('SELECT COUNT(*) AS n FROM linked_resource WHERE task_id = ?')
        .get(row.task_id) as {
        n: number;
      }
    ).n;
    this.db.sqlite
      .prepare('INSERT INTO linked_resource (id, task_id, position, data) VALUES (?, ?, ?, ?)')
      .run(row.id, row.task_id, position, row.data);
  }

  deleteLinkedResource(id: string): void {
    this.db.sqlite.prepare('DELETE FROM linked_resource WHERE id = ?').run(id);
  }
}
