/**
 * Item ids in the two formats Outlook knows: EWS ids (what `item.itemId` gives, base64 with `+` and
 * `/`) and REST ids (what Graph takes, URL-safe base64). The simulator's `convertToRestId` and
 * `convertToEwsId` are this transform, so the workbench's Graph mirror names an item in Graph exactly
 * as the add-in does after converting its id.
 */
export function restIdOf(ewsId: string): string {
  return ewsId.replace(/\//g, '-').replace(/\+/g, '_');
}

export function ewsIdOf(restId: string): string {
  return restId.replace(/-/g, '/').replace(/_/g, '+');
}
