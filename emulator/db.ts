/**
 * The emulator's storage: one SQLite table per entity (columns from `metadata.ts`), through
 * better-sqlite3. Text columns compare case-insensitively (`COLLATE NOCASE`), as Dataverse's SQL
 * collation does, so `eq` and `In(...)` on an address use the address indexes directly.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { BY_NAME, ENTITIES, type EntityDef } from './metadata';
import { TSQL_LIKE, tsqlLike } from './odata/likePattern';

export type SqlValue = string | number | null;
export type Row = Record<string, SqlValue>;

/** Column names of an entity's table: its attributes, then `_x_value` and `_x_type` for each lookup. */
export function columnsOf(entity: EntityDef): string[] {
  return [
    ...Object.keys(entity.attributes),
    ...entity.lookups.flatMap((l) => [`_${l.name}_value`, `_${l.name}_type`]),
  ];
}

function columnDdl(entity: EntityDef): string {
  const defs = Object.entries(entity.attributes).map(([name, type]) => {
    if (name === entity.primaryKey) return `"${name}" TEXT PRIMARY KEY COLLATE NOCASE`;
    if (type === 'int' || type === 'bool') return `"${name}" INTEGER`;
    if (type === 'money') return `"${name}" REAL`;
    return `"${name}" TEXT COLLATE NOCASE`;
  });
  for (const l of entity.lookups) {
    defs.push(`"_${l.name}_value" TEXT COLLATE NOCASE`, `"_${l.name}_type" TEXT`);
  }
  return defs.join(', ');
}

/** Every lookup the adapter makes has an index (issue 4). */
const EXTRA_INDEXES: readonly (readonly [string, readonly string[]])[] = [
  ['email', ['messageid']],
  ['email', ['messageid', '_ownerid_value']],
  ['email', ['trackingtoken']],
  ['email', ['conversationindex']],
  ['email', ['_regardingobjectid_value']],
  ['email', ['subject']],
  ['activityparty', ['_activityid_value']],
  ['activityparty', ['_partyid_value']],
  ['contact', ['_parentcustomerid_value']],
  ['contact', ['fullname']],
  ['account', ['name']],
  ['lead', ['fullname']],
  ['opportunity', ['name']],
  ['incident', ['title']],
  ['mailbox', ['_regardingobjectid_value']],
  ['environmentvariabledefinition', ['schemaname']],
  ['environmentvariablevalue', ['_environmentvariabledefinitionid_value']],
  // Synchronization's filters select the caller's rows (ownerid eq-userid), its templates by querytype.
  ['appointment', ['_ownerid_value']],
  ['appointment', ['scheduledstart']],
  ['task', ['_ownerid_value']],
  ['contact', ['_ownerid_value']],
  ['userquery', ['_ownerid_value', 'querytype']],
  ['savedquery', ['querytype']],
  ['syncattributemapping', ['entityname']],
];

export function nowIso(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class EmulatorDb {
  readonly sqlite: Database.Database;
  private version = 0;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.sqlite = new Database(file);
    this.sqlite.pragma('journal_mode = WAL');
    this.sqlite.pragma('synchronous = NORMAL');
    this.sqlite.pragma('foreign_keys = OFF');
    this.sqlite.function(TSQL_LIKE, { deterministic: true }, tsqlLike);
    this.createSchema();
    for (const e of ENTITIES) {
      const row = this.sqlite.prepare(`SELECT MAX(versionnumber) AS v FROM "${e.logicalName}"`).get() as {
        v: number | null;
      };
      this.version = Math.max(this.version, row.v ?? 0);
    }
  }

  private createSchema(): void {
    const ddl: string[] = ['CREATE TABLE IF NOT EXISTS emulator_meta (key TEXT PRIMARY KEY, value TEXT)'];
    for (const e of ENTITIES) {
      ddl.push(`CREATE TABLE IF NOT EXISTS "${e.logicalName}" (${columnDdl(e)})`);
      for (const a of e.emailAttributes) {
        ddl.push(
          `CREATE INDEX IF NOT EXISTS "ix_${e.logicalName}_${a}" ON "${e.logicalName}" ("${a}" COLLATE NOCASE)`,
        );
      }
    }
    for (const [table, cols] of EXTRA_INDEXES) {
      ddl.push(
        `CREATE INDEX IF NOT EXISTS "ix_${table}_${cols.join('_')}" ON "${table}" (${cols
          .map((c) => `"${c}"`)
          .join(', ')})`,
      );
    }
    this.sqlite.exec(ddl.join(';\n'));
    // A database file written by an older emulator lacks the columns added since: add them (NULL).
    for (const e of ENTITIES) {
      const present = new Set(
        (this.sqlite.prepare(`PRAGMA table_info("${e.logicalName}")`).all() as { name: string }[]).map(
          (c) => c.name,
        ),
      );
      for (const definition of columnDdl(e).split(', ')) {
        const name = /^"([^"]+)"/.exec(definition)?.[1];
        if (name && !present.has(name))
          this.sqlite.exec(`ALTER TABLE "${e.logicalName}" ADD COLUMN ${definition}`);
      }
    }
  }

  /** A cached prepared statement. */
  prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.sqlite.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs `fn` in a transaction (a savepoint when nested): all or nothing. */
  transaction<T>(fn: () => T): T {
    return this.sqlite.transaction(fn)();
  }

  nextVersion(): number {
    this.version += 1;
    return this.version;
  }

  entity(nameOrDef: string | EntityDef): EntityDef {
    if (typeof nameOrDef !== 'string') return nameOrDef;
    const e = BY_NAME.get(nameOrDef);
    if (!e) throw new Error(`unknown entity ${nameOrDef}`);
    return e;
  }

  /** Fills what Dataverse fills on create: id, timestamps, version, default state, computed fullname. */
  withDefaults(entity: EntityDef, input: Row, now = nowIso()): Row {
    const row: Row = { ...input };
    const id = row[entity.primaryKey];
    row[entity.primaryKey] = typeof id === 'string' && id !== '' ? id.toLowerCase() : randomUUID();
    if ('createdon' in entity.attributes && row.createdon == null) row.createdon = now;
    if ('modifiedon' in entity.attributes && row.modifiedon == null) row.modifiedon = row.createdon ?? now;
    row.versionnumber = this.nextVersion();
    if (entity.states) {
      if (row.statecode == null) row.statecode = 0;
      if (row.statuscode == null) row.statuscode = entity.states[row.statecode as number]?.default ?? 1;
    }
    if (entity.computedFullName && row.fullname == null) {
      const full = [row.firstname, row.lastname].filter((p) => typeof p === 'string' && p !== '').join(' ');
      row.fullname = full === '' ? null : full;
    }
    return row;
  }

  insert(nameOrDef: string | EntityDef, input: Row): Row {
    const entity = this.entity(nameOrDef);
    const row = this.withDefaults(entity, input);
    const cols = Object.keys(row);
    this.prepare(
      `INSERT INTO "${entity.logicalName}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols
        .map(() => '?')
        .join(', ')})`,
    ).run(...cols.map((c) => row[c] ?? null));
    return row;
  }

  /** Bulk insert in one transaction (seeding, tests, benchmarks). */
  insertMany(nameOrDef: string | EntityDef, rows: readonly Row[]): void {
    const entity = this.entity(nameOrDef);
    this.transaction(() => {
      for (const row of rows) this.insert(entity, row);
    });
  }

  get(nameOrDef: string | EntityDef, id: string): Row | undefined {
    const entity = this.entity(nameOrDef);
    return this.prepare(`SELECT * FROM "${entity.logicalName}" WHERE "${entity.primaryKey}" = ?`).get(
      id.toLowerCase(),
    ) as Row | undefined;
  }

  update(nameOrDef: string | EntityDef, id: string, changes: Row): void {
    const entity = this.entity(nameOrDef);
    const row: Row = { ...changes, versionnumber: this.nextVersion() };
    if ('modifiedon' in entity.attributes) row.modifiedon = nowIso();
    const cols = Object.keys(row);
    this.prepare(
      `UPDATE "${entity.logicalName}" SET ${cols.map((c) => `"${c}" = ?`).join(', ')} WHERE "${entity.primaryKey}" = ?`,
    ).run(...cols.map((c) => row[c] ?? null), id.toLowerCase());
  }

  delete(nameOrDef: string | EntityDef, id: string): boolean {
    const entity = this.entity(nameOrDef);
    return (
      this.prepare(`DELETE FROM "${entity.logicalName}" WHERE "${entity.primaryKey}" = ?`).run(
        id.toLowerCase(),
      ).changes > 0
    );
  }

  count(nameOrDef: string | EntityDef): number {
    const entity = this.entity(nameOrDef);
    return (this.prepare(`SELECT COUNT(*) AS n FROM "${entity.logicalName}"`).get() as { n: number }).n;
  }

  getMeta(key: string): string | undefined {
    const row = this.prepare('SELECT value FROM emulator_meta WHERE key = ?').get(key) as
      { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.prepare('INSERT OR REPLACE INTO emulator_meta (key, value) VALUES (?, ?)').run(key, value);
  }

  close(): void {
    this.statements.clear();
    if (this.sqlite.open) this.sqlite.close();
  }
}

export function openDb(file: string): EmulatorDb {
  return new EmulatorDb(file);
}
