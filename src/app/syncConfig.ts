/**
 * The synchronization filters and field mappings a run works with, kept in memory for 30 minutes
 * (chosen: they change rarely, from the pane or the CRM's personal options; a quiet run then asks
 * Dataverse only for the records in scope). A restart of the pane reads them again. A failed read
 * is not kept: the next run asks again.
 */
import type { CrmSyncPort, SyncFilter } from '../crm/syncPort';
import { defaultMappings } from '../rules/syncFieldCatalog';
import type { SyncEntity, SyncMapping } from '../rules/syncTypes';
import type { Clock } from './ports';

export const SYNC_CONFIG_TTL_MS = 30 * 60 * 1000;

export interface SyncConfig {
  /** The user's active Outlook filters of all three types. */
  filters(): Promise<SyncFilter[]>;
  /** Dataverse's mappings of the type, or the catalog's defaults when it defines none (§1). */
  mappings(entity: SyncEntity): Promise<SyncMapping[]>;
}

interface Kept<T> {
  readonly value: T;
  readonly at: number;
}

export function createSyncConfig(crm: CrmSyncPort, clock: Clock): SyncConfig {
  let filters: Kept<SyncFilter[]> | null = null;
  const mappings = new Map<SyncEntity, Kept<SyncMapping[]>>();
  const fresh = <T>(kept: Kept<T> | null | undefined): kept is Kept<T> =>
    kept !== null && kept !== undefined && clock.now() - kept.at < SYNC_CONFIG_TTL_MS;

  return {
    async filters() {
      if (fresh(filters)) return filters.value;
      const value = await crm.synchronizationFilters();
      filters = { value, at: clock.now() };
      return value;
    },
    async mappings(entity) {
      const kept = mappings.get(entity);
      if (fresh(kept)) return kept.value;
      const value = (await crm.fieldMappings(entity)) ?? defaultMappings(entity);
      mappings.set(entity, { value, at: clock.now() });
      return value;
    },
  };
}
