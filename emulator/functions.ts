/** Unbound functions: `WhoAmI` (the only one the add-in calls). */
import type { EmulatorDb } from './db';
import { type DispatchContext, type EmuResponse, json, methodNotAllowed } from './protocol';

export const FUNCTION_NAMES = new Set(['WhoAmI', 'WhoAmI()']);

export function callFunction(
  db: EmulatorDb,
  name: string,
  method: string,
  extraSegments: number,
  ctx: DispatchContext,
): EmuResponse {
  if (method !== 'GET' || extraSegments > 0) throw methodNotAllowed(`${name} is a GET function.`);
  const user = db.get('systemuser', ctx.caller);
  return json(200, {
    '@odata.context': `${ctx.baseUrl}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
    BusinessUnitId: user?._businessunitid_value ?? db.getMeta('businessunitid') ?? null,
    UserId: ctx.caller,
    OrganizationId: db.getMeta('organizationid') ?? null,
  });
}
