/**
 * `RetrievePrincipalSyncAttributeMappings` ("For internal use only" in the Web API reference): a
 * function bound to `systemuser` (or `team`), without parameters, answering a
 * RetrievePrincipalSyncAttributeMappingsResponse whose `AttributeMappings` is a collection of
 * AttributeMapping (AttributeMappingId, MappingName, AttributeCrmName, AttributeExchangeName,
 * EntityTypeCode, SyncDirection, DefaultSyncDirection, AllowedSyncDirection, IsComputed,
 * ComputedProperties, AttributeCrmDisplayName, AttributeExchangeDisplayName).
 *
 * The emulated organization has one mapping profile shared by every principal (chosen): the answer is
 * every `syncattributemapping` row, whatever its profile. No rows (the demo seed) → an empty collection,
 * and the add-in uses its default mappings.
 */
import type { EmulatorDb, Row } from './db';
import { BY_NAME } from './metadata';
import { type DispatchContext, type EmuResponse, json, methodNotAllowed, notFound } from './protocol';

export const SYNC_MAPPINGS_FUNCTION = 'RetrievePrincipalSyncAttributeMappings';

/** `Microsoft.Dynamics.CRM.RetrievePrincipalSyncAttributeMappings` or the unqualified name, with or without `()`. */
export function isSyncMappingsFunction(segmentName: string): boolean {
  const name = segmentName.replace(/^Microsoft\.Dynamics\.CRM\./, '');
  return name === SYNC_MAPPINGS_FUNCTION;
}

function attributeMapping(row: Row): Record<string, unknown> {
  const entityName = typeof row.entityname === 'string' ? row.entityname : '';
  return {
    AttributeMappingId: row.syncattributemappingid,
    MappingName: row.mappingname ?? '',
    AttributeCrmName: row.attributecrmname ?? '',
    AttributeExchangeName: row.attributeexchangename ?? '',
    EntityTypeCode: BY_NAME.get(entityName)?.objectTypeCode ?? 0,
    SyncDirection: row.syncdirection ?? 0,
    DefaultSyncDirection: row.defaultsyncdirection ?? row.syncdirection ?? 0,
    AllowedSyncDirection: row.allowedsyncdirection ?? 3,
    IsComputed: row.iscomputed === 1,
    ComputedProperties: [],
    AttributeCrmDisplayName: row.attributecrmname ?? '',
    AttributeExchangeDisplayName: row.attributeexchangename ?? '',
  };
}

export function retrievePrincipalSyncAttributeMappings(
  db: EmulatorDb,
  userId: string,
  method: string,
  ctx: DispatchContext,
): EmuResponse {
  if (method !== 'GET') throw methodNotAllowed(`${SYNC_MAPPINGS_FUNCTION} is a GET function.`);
  const users = BY_NAME.get('systemuser');
  if (users && !db.get(users, userId)) throw notFound(users, userId);
  const rows = db
    .prepare('SELECT * FROM syncattributemapping ORDER BY entityname, mappingname, syncattributemappingid')
    .all() as Row[];
  return json(200, {
    '@odata.context': `${ctx.baseUrl}/$metadata#Microsoft.Dynamics.CRM.RetrievePrincipalSyncAttributeMappingsResponse`,
    AttributeMappings: rows.map(attributeMapping),
  });
}
