/**
 * Associating rows through a navigation property's `$ref` (Dataverse: "Associate and disassociate
 * table rows using the Web API"):
 * - single-valued: `PUT <set>(id)/<nav>/$ref {"@odata.id": url}` sets the lookup;
 *   `DELETE <set>(id)/<nav>/$ref` clears it;
 * - collection-valued: `POST <set>(id)/<nav>/$ref {"@odata.id": url}` points the related row's lookup
 *   here; `DELETE <set>(id)/<nav>(relatedid)/$ref` (or `.../<nav>/$ref?$id=url`) removes that link;
 * - `GET .../<nav>/$ref` lists the references.
 * All writes answer 204; on a table security.ts guards they need its Write privilege (else 403).
 */
import type { EmulatorDb } from './db';
import { BY_NAME, type EntityDef, entitySetOf, lookupByNavigation } from './metadata';
import { unknownProperty } from './odata/filter';
import {
  BAD_QUERY,
  type DispatchContext,
  type EmuRequest,
  type EmuResponse,
  ODataError,
  PAYLOAD_ERROR,
  json,
  methodNotAllowed,
  noContent,
  notFound,
} from './protocol';
import { checkWritePrivilege } from './security';
import { parseBody } from './writes';
import { disassociatedRowId, resolveEntityRef } from './url';

export class Associations {
  constructor(private readonly db: EmulatorDb) {}

  /** `<set>(id)/<navigation>[(relatedKey)]/$ref` with any method. */
  handle(
    entity: EntityDef,
    id: string,
    navigation: string,
    relatedKey: string | undefined,
    req: EmuRequest,
    query: Map<string, string>,
    ctx: DispatchContext,
  ): EmuResponse {
    const method = req.method.toUpperCase();
    const single = lookupByNavigation(entity, navigation);
    const collection = entity.collections[navigation];
    if (!single && !collection) throw unknownProperty(entity, navigation);
    const row = this.db.get(entity, id);
    if (!row) throw notFound(entity, id);
    if (method !== 'GET') {
      // A link is a write of the row whose lookup it sets: this row (single-valued) or the related
      // rows (collection-valued). Both sides need Write on a guarded table (chosen: Dataverse asks
      // Append/Append To too, which the emulator does not model).
      checkWritePrivilege(this.db, entity, 'Write', ctx.caller);
      const other = BY_NAME.get(single ? single.target : (collection?.target ?? ''));
      if (other) checkWritePrivilege(this.db, other, 'Write', ctx.caller);
    }

    if (single) {
      if (relatedKey !== undefined)
        throw new ODataError(400, BAD_QUERY, `'${navigation}' is single-valued: no key.`);
      const { lookup, target } = single;
      if (method === 'GET') {
        const value = row[`_${lookup.name}_value`];
        if (value == null || row[`_${lookup.name}_type`] !== target) {
          throw new ODataError(404, BAD_QUERY, `No reference found for '${navigation}'.`);
        }
        return json(200, {
          '@odata.context': `${ctx.baseUrl}/$metadata#$ref`,
          '@odata.id': `${ctx.baseUrl}/${entitySetOf(target)}(${String(value)})`,
        });
      }
      if (method === 'PUT') {
        const relatedId = resolveEntityRef(this.db, this.odataId(req), target, ctx, '@odata.id');
        this.db.transaction(() =>
          this.db.update(entity, id, {
            [`_${lookup.name}_value`]: relatedId,
            [`_${lookup.name}_type`]: target,
          }),
        );
        return noContent();
      }
      if (method === 'DELETE') {
        this.db.transaction(() => {
          if (row[`_${lookup.name}_type`] === target) {
            this.db.update(entity, id, { [`_${lookup.name}_value`]: null, [`_${lookup.name}_type`]: null });
          }
        });
        return noContent();
      }
      throw methodNotAllowed(`Use PUT, GET or DELETE on a single-valued navigation property's $ref.`);
    }

    const nav = collection!;
    const target = BY_NAME.get(nav.target) as EntityDef;
    const linkTo = (relatedId: string, on: boolean): void => {
      this.db.transaction(() => {
        const related = this.db.get(target, relatedId);
        if (!related) throw notFound(target, relatedId);
        if (on) {
          this.db.update(target, relatedId, {
            [`_${nav.via}_value`]: id,
            [`_${nav.via}_type`]: entity.logicalName,
          });
        } else if (related[`_${nav.via}_value`] === id) {
          this.db.update(target, relatedId, { [`_${nav.via}_value`]: null, [`_${nav.via}_type`]: null });
        }
      });
    };
    if (method === 'GET') {
      const rows = this.db
        .prepare(
          `SELECT "${target.primaryKey}" AS id FROM "${target.logicalName}" WHERE "_${nav.via}_value" = ? ORDER BY 1`,
        )
        .all(id) as { id: string }[];
      return json(200, {
        '@odata.context': `${ctx.baseUrl}/$metadata#Collection($ref)`,
        value: rows.map((r) => ({ '@odata.id': `${ctx.baseUrl}/${target.entitySet}(${r.id})` })),
      });
    }
    if (method === 'POST') {
      if (relatedKey !== undefined)
        throw methodNotAllowed('POST a reference to the collection, without a key.');
      linkTo(resolveEntityRef(this.db, this.odataId(req), target.logicalName, ctx, '@odata.id'), true);
      return noContent();
    }
    if (method === 'DELETE') {
      linkTo(disassociatedRowId(this.db, target, navigation, relatedKey, query.get('$id'), ctx), false);
      return noContent();
    }
    throw methodNotAllowed(`Use POST, GET or DELETE on a collection-valued navigation property's $ref.`);
  }

  private odataId(req: EmuRequest): string {
    const value = parseBody(req)['@odata.id'];
    if (typeof value !== 'string') {
      throw new ODataError(400, PAYLOAD_ERROR, 'A $ref body must be {"@odata.id": "<entity URL>"}.');
    }
    return value;
  }
}
