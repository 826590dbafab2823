/**
 * The synchronization filters and field mappings a run works with, read together (the filters, then
 * the mappings of the three types: the port asks per type) and kept in memory for 4 hours for the
 * scheduled runs (chosen: they change rarely, from the pane or the CRM's personal options, and a
 * shorter time made every second quiet run of a 15-minute schedule pay four more requests); "Synchronize
 * now" reads them again, so a change the user just made applies at once. A restart of the pane reads
 * them again. A failed read is not kept: the next run asks again.
 *
 * Dataverse's mappings are held to the catalog (src/rules/syncFieldCatalog.ts): a mapping of a field
 * the catalog does not know is dropped (neither side's converter knows its values), and a direction
 * the catalog does not allow is narrowed to one it allows (an organizer set two-way would otherwise
 * write nothing to Outlook and every run, or put the user over a colleague organizer in the CRM).
 */
import type { CrmSyncPort, SyncFilter } from '../crm/syncPort';
import { defaultMappings, SYNC_FIELDS, type SyncField } from '../rules/syncFieldCatalog';
import type { MappingDirection, SyncEntity, SyncMapping } from '../rules/syncTypes';
import type { Clock, DiagnosticsLog } from './ports';

export const SYNC_CONFIG_TTL_MS = 4 * 60 * 60 * 1000;

const ENTITIES: readonly SyncEntity[] = ['contact', 'appointment', 'task'];

export interface SyncConfigValue {
  /** The user's active Outlook filters of all three types. */
  readonly filters: readonly SyncFilter[];
  /** Per type: Dataverse's mappings held to the catalog, or the catalog's defaults when it defines none (§1). */
  readonly mappings: Readonly<Record<SyncEntity, readonly SyncMapping[]>>;
}

export interface SyncConfig {
  /** The kept value while it is younger than SYNC_CONFIG_TTL_MS, unless `refresh` ("Synchronize now"). */
  read(refresh: boolean): Promise<SyncConfigValue>;
}

/** The directions a mapping's direction lets flow, narrower first where one contains the other. */
const NARROWER: Readonly<Record<MappingDirection, readonly MappingDirection[]>> = {
  both: ['both', 'toOutlook', 'toCrm', 'none'],
  toOutlook: ['toOutlook', 'none'],
  toCrm: ['toCrm', 'none'],
  none: ['none'],
};

/**
 * The direction asked if the catalog allows it; else the widest allowed one that flows no more than
 * was asked (`both` on an Outlook → CRM-only field is `toCrm`); else the catalog's default (a field
 * Microsoft shows no settable arrows for cannot be set otherwise; chosen).
 */
function allowedDirection(field: SyncField, asked: MappingDirection): MappingDirection {
  return NARROWER[asked].find((d) => field.allowed.includes(d)) ?? field.direction;
}

/** Dataverse's mappings of a type held to the catalog's fields and directions; what was dropped or narrowed is logged. */
export function mappingsWithinCatalog(
  entity: SyncEntity,
  mappings: readonly SyncMapping[],
  log: DiagnosticsLog,
): SyncMapping[] {
  const catalog = new Map(SYNC_FIELDS[entity].map((f) => [`${f.crm}\n${f.outlook}`, f]));
  const kept: SyncMapping[] = [];
  const dropped: string[] = [];
  const narrowed: string[] = [];
  for (const mapping of mappings) {
    const field = catalog.get(`${mapping.crm}\n${mapping.outlook}`);
    if (!field) {
      dropped.push(`${mapping.crm} ↔ ${mapping.outlook}`);
      continue;
    }
    const direction = allowedDirection(field, mapping.direction);
    if (direction !== mapping.direction) narrowed.push(`${mapping.crm} ${mapping.direction} → ${direction}`);
    kept.push({ ...mapping, direction });
  }
  if (dropped.length)
    log.log(
      `Synchronization: ${entity} mappings the add-in does not know were left out: ${dropped.join(', ')}`,
    );
  if (narrowed.length)
    log.log(`Synchronization: ${entity} mappings narrowed to the directions allowed: ${narrowed.join(', ')}`);
  return kept;
}

export function createSyncConfig(crm: CrmSyncPort, clock: Clock, log: DiagnosticsLog): SyncConfig {
  let kept: { readonly value: SyncConfigValue; readonly at: number } | null = null;

  async function readFresh(): Promise<SyncConfigValue> {
    const filters = await crm.synchronizationFilters();
    const mappings = {} as Record<SyncEntity, readonly SyncMapping[]>;
    for (const entity of ENTITIES) {
      const defined = await crm.fieldMappings(entity);
      mappings[entity] = defined ? mappingsWithinCatalog(entity, defined, log) : defaultMappings(entity);
    }
    return { filters, mappings };
  }

  return {
    async read(refresh) {
      if (!refresh && kept !== null && clock.now() - kept.at < SYNC_CONFIG_TTL_MS) return kept.value;
      const value = await readFresh();
      kept = { value, at: clock.now() };
      return value;
    },
  };
}
