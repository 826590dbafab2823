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
import {
  type DispatchContext,
  type EmuResponse,
  INVALID_ARGUMENT,
  ODataError,
  json,
  methodNotAllowed,
  notFound,
} from './protocol';

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

/**
 * The directions an `allowedsyncdirection` permits. Dataverse's reference names the choice (0 None,
 * 1 ToExchange, 2 ToCRM, 3 Bidirectional) but not how a single value bounds `syncdirection`; the
 * emulator reads it as a set of sides (chosen): Bidirectional allows every direction, ToExchange
 * allows None and ToExchange, ToCRM allows None and ToCRM, None allows None only.
 */
export function directionsAllowedBy(allowed: number): number[] {
  return [0, 1, 2, 3].filter((direction) => (direction & ~allowed) === 0);
}

/**
 * A syncattributemapping write whose `syncdirection` is outside the row's `allowedsyncdirection` is
 * refused with 400, as Dataverse refuses a direction the mapping does not allow. On an update the
 * stored value bounds it: AllowedSyncDirection is get-only in the SDK's SyncAttributeMapping class,
 * so a PATCH cannot widen it (the payload's value is refused when it differs, chosen code). A create
 * sets it (none means Bidirectional).
 */
export function checkSyncDirection(row: Row, current: Row | undefined): void {
  if (current && 'allowedsyncdirection' in row && row.allowedsyncdirection !== current.allowedsyncdirection) {
    throw new ODataError(
      400,
      INVALID_ARGUMENT,
      'allowedsyncdirection cannot be changed on an existing attribute mapping.',
    );
  }
  const direction = 'syncdirection' in row ? row.syncdirection : current?.syncdirection;
  const allowedValue = current ? current.allowedsyncdirection : row.allowedsyncdirection;
  if (typeof direction !== 'number') return;
  const allowed = typeof allowedValue === 'number' ? allowedValue : 3;
  if (!directionsAllowedBy(allowed).includes(direction)) {
    throw new ODataError(
      400,
      INVALID_ARGUMENT,
      `The sync direction ${direction} is not allowed for this attribute mapping (allowedsyncdirection ${allowed}).`,
    );
  }
}
