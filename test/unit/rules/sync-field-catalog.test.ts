/**
 * The field catalog (src/rules/syncFieldCatalog.ts) against docs/sync-fields.md, Microsoft's table
 * "What fields can be synchronized with Outlook?" vendored row by row with the entry each row became.
 * The doc is read here so that a row changed there, or an entry changed in the catalog, cannot drift
 * apart unnoticed; the cases are named after Microsoft's rows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SYNC_FIELDS, defaultMappings, type SyncField } from '../../../src/rules/syncFieldCatalog';
import type { MappingDirection, SyncEntity } from '../../../src/rules/syncTypes';

const DOC = path.resolve(__dirname, '..', '..', '..', 'docs', 'sync-fields.md');
const ENTITIES: readonly SyncEntity[] = ['appointment', 'contact', 'task'];
const ENTITY_OF_HEADING: Readonly<Record<string, SyncEntity>> = {
  Appointment: 'appointment',
  Contact: 'contact',
  Task: 'task',
};
const DIRECTIONS: readonly MappingDirection[] = ['none', 'toOutlook', 'toCrm', 'both'];
const COLUMNS = 8;

interface Entry {
  readonly crm: string;
  readonly outlook: string;
}

interface DocRow {
  readonly entity: SyncEntity;
  readonly outlookField: string;
  readonly microsoftDefault: MappingDirection;
  /** Null: Microsoft shows no settable arrows ("not settable", or Attachments' "Computed"). */
  readonly microsoftSettable: readonly MappingDirection[] | null;
  readonly entries: readonly Entry[];
  readonly catalogDefault: MappingDirection | null;
  readonly catalogAllowed: readonly MappingDirection[];
  readonly why: string;
}

const codeSpans = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');

function directionsIn(cell: string, where: string): MappingDirection[] {
  return codeSpans(cell).map((code) => {
    const direction = DIRECTIONS.find((d) => d === code);
    if (direction === undefined) throw new Error(`${where}: "${code}" is not a direction`);
    return direction;
  });
}

function oneDirection(cell: string, where: string): MappingDirection | null {
  const found = directionsIn(cell, where);
  if (found.length > 1) throw new Error(`${where}: one direction expected, got ${found.join(', ')}`);
  return found[0] ?? null;
}

const entriesIn = (cell: string): Entry[] =>
  [...cell.matchAll(/`([a-z0-9_]+)` ↔ `([A-Za-z0-9]+)`/g)].map((m) => ({
    crm: m[1] ?? '',
    outlook: m[2] ?? '',
  }));

function readDocRows(): DocRow[] {
  const rows: DocRow[] = [];
  let entity: SyncEntity | null = null;
  for (const line of fs.readFileSync(DOC, 'utf8').split('\n')) {
    const heading = /^## (.+)$/.exec(line);
    if (heading) entity = ENTITY_OF_HEADING[heading[1]?.trim() ?? ''] ?? null;
    if (entity === null || !line.startsWith('|')) continue;
    const cells = line
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim());
    if (cells[0] === 'Outlook field' || /^-+$/.test(cells[0] ?? '')) continue;
    const where = `${entity} "${cells[0]}"`;
    if (cells.length !== COLUMNS) throw new Error(`${where}: ${cells.length} cells, ${COLUMNS} expected`);
    const [outlookField, msDefault, msSettable, , entries, catDefault, catAllowed, why] = cells as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const microsoftDefault = oneDirection(msDefault, where);
    if (microsoftDefault === null) throw new Error(`${where}: no Microsoft default`);
    const settable = directionsIn(msSettable, where);
    rows.push({
      entity,
      outlookField,
      microsoftDefault,
      microsoftSettable: settable.length === 0 ? null : settable,
      entries: entriesIn(entries),
      catalogDefault: oneDirection(catDefault, where),
      catalogAllowed: directionsIn(catAllowed, where),
      why,
    });
  }
  return rows;
}

const DOC_ROWS = readDocRows();
const rowName = (row: DocRow): string =>
  `${row.entity} "${row.outlookField}" (${row.entries.map((e) => `${e.crm} ↔ ${e.outlook}`).join(', ')})`;
const ROWS_WITH_ENTRIES = DOC_ROWS.filter((row) => row.entries.length > 0).map(
  (row) => [rowName(row), row] as const,
);
const ROWS_WITHOUT_ENTRIES = DOC_ROWS.filter((row) => row.entries.length === 0).map(
  (row) => [`${row.entity} "${row.outlookField}"`, row] as const,
);

const catalogField = (entity: SyncEntity, entry: Entry): SyncField | undefined =>
  SYNC_FIELDS[entity].find((f) => f.crm === entry.crm && f.outlook === entry.outlook);

const sorted = (directions: readonly MappingDirection[]): MappingDirection[] =>
  [...directions].sort((a, b) => DIRECTIONS.indexOf(a) - DIRECTIONS.indexOf(b));

const duplicates = (names: readonly string[]): string[] =>
  names.filter((name, i) => names.indexOf(name) !== i);

const ALL_ENTRIES = ENTITIES.flatMap((entity) =>
  SYNC_FIELDS[entity].map((f) => [`${entity} ${f.crm} ↔ ${f.outlook}`, f] as const),
);

describe("docs/sync-fields.md: Microsoft's table, row by row", () => {
  test('the doc has rows for each record type the catalog holds', () => {
    const entitiesInDoc = [...new Set(DOC_ROWS.map((row) => row.entity))].sort();
    expect(entitiesInDoc).toEqual([...ENTITIES].sort());
  });

  test.each(ROWS_WITH_ENTRIES)('%s: each entry defaults to the direction the doc gives', (_name, row) => {
    for (const entry of row.entries) {
      expect({ ...entry, direction: catalogField(row.entity, entry)?.direction }).toEqual({
        ...entry,
        direction: row.catalogDefault,
      });
    }
  });

  test.each(ROWS_WITH_ENTRIES)('%s: each entry allows the directions the doc gives', (_name, row) => {
    for (const entry of row.entries) {
      const allowed = catalogField(row.entity, entry)?.allowed ?? [];
      expect({ ...entry, allowed: sorted(allowed) }).toEqual({
        ...entry,
        allowed: sorted(row.catalogAllowed),
      });
    }
  });

  test('a row whose catalog default or allowed set departs from Microsoft says "(chosen)"', () => {
    const departing = DOC_ROWS.filter((row) => {
      if (row.entries.length === 0) return false;
      const microsoftAllowed = row.microsoftSettable ?? [row.microsoftDefault];
      const sameAllowed = sorted(microsoftAllowed).join() === sorted(row.catalogAllowed).join();
      return row.catalogDefault !== row.microsoftDefault || !sameAllowed;
    });
    expect(departing.filter((row) => !row.why.includes('(chosen)')).map(rowName)).toEqual([]);
  });

  test.each(ROWS_WITHOUT_ENTRIES)(
    '%s: a row without a catalog entry has no catalog directions and says why',
    (_name, row) => {
      expect({
        default: row.catalogDefault,
        allowed: row.catalogAllowed,
        hasWhy: row.why.length > 0,
      }).toEqual({
        default: null,
        allowed: [],
        hasWhy: true,
      });
    },
  );

  test.each(ENTITIES)('%s: every catalog entry is in exactly one row of the doc', (entity) => {
    const inDoc = DOC_ROWS.filter((row) => row.entity === entity).flatMap((row) =>
      row.entries.map((e) => `${e.crm} ↔ ${e.outlook}`),
    );
    const inCatalog = SYNC_FIELDS[entity].map((f) => `${f.crm} ↔ ${f.outlook}`);
    expect(inDoc.sort()).toEqual(inCatalog.sort());
  });
});

describe('the field catalog', () => {
  test.each(ALL_ENTRIES)('%s: its default direction is one it allows', (_name, field) => {
    expect(field.allowed).toContain(field.direction);
  });

  test.each(ENTITIES)('%s: no two entries share a CRM attribute', (entity) => {
    expect(duplicates(SYNC_FIELDS[entity].map((f) => f.crm))).toEqual([]);
  });

  test.each(ENTITIES)('%s: no two entries share an Outlook name', (entity) => {
    expect(duplicates(SYNC_FIELDS[entity].map((f) => f.outlook))).toEqual([]);
  });

  test.each(ENTITIES)(
    "%s: defaultMappings lists the catalog's entries in its order, as crm/outlook/direction",
    (entity) => {
      const expected = SYNC_FIELDS[entity].map((f) => ({
        crm: f.crm,
        outlook: f.outlook,
        direction: f.direction,
      }));
      expect(defaultMappings(entity)).toEqual(expected);
    },
  );
});
