/**
 * The service's CSDL (`GET $metadata`), generated from `metadata.ts` so it always describes what the
 * emulator serves: OData 4.0 XML, namespace `Microsoft.Dynamics.CRM` (alias `mscrm`), one EntityType per
 * table (deriving from the abstract `crmbaseentity`, as in Dataverse) with its Key, its columns as
 * Edm-typed Properties, each lookup as `_x_value` (Edm.Guid) and its single-valued navigation properties
 * (with their ReferentialConstraint), the collection-valued ones (with their Partner), the `WhoAmI`
 * function and its `WhoAmIResponse` complex type, the bound actions `CreateMultiple` (with its
 * `CreateMultipleResponse`) and `UpdateMultiple`, `RetrievePrincipalSyncAttributeMappings` (bound to
 * systemuser, with its AttributeMapping types), and the EntityContainer `System` with an EntitySet per
 * table and the WhoAmI FunctionImport. ("Web API Service Documents", "Web API EntityTypes".)
 */
import {
  type AttributeType,
  ENTITIES,
  EXTERNAL_TARGETS,
  type EntityDef,
  BY_NAME,
  lookupByNavigation,
} from './metadata';

export const NAMESPACE = 'Microsoft.Dynamics.CRM';
const ALIAS = 'mscrm';

/** The Edm type of a column ("Web API types and operations": Edm.Guid, Edm.String, Edm.Int32, ...). */
export function edmType(entity: EntityDef, name: string, type: AttributeType): string {
  if (name === 'versionnumber') return 'Edm.Int64';
  switch (type) {
    case 'guid':
      return 'Edm.Guid';
    case 'string':
    case 'memo':
      return 'Edm.String';
    case 'int':
      return 'Edm.Int32';
    case 'bool':
      return 'Edm.Boolean';
    case 'datetime':
      return 'Edm.DateTimeOffset';
    case 'date':
      return 'Edm.Date';
    case 'money':
      return 'Edm.Decimal';
  }
  return entity.primaryKey === name ? 'Edm.Guid' : 'Edm.String';
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function attrs(values: Record<string, string | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(v as string)}"`)
    .join('');
}

/** The single-valued navigation property on `target` that is the other side of `entity`'s collection. */
function partnerOf(entity: EntityDef, target: EntityDef, via: string): string | undefined {
  const lookup = target.lookups.find((l) => l.name === via);
  if (!lookup) return undefined;
  return Object.entries(lookup.navigation).find(([, t]) => t === entity.logicalName)?.[0];
}

/** The collection-valued navigation property on `target` whose partner is `navigation` of `entity`. */
function collectionPartnerOf(entity: EntityDef, navigation: string, targetName: string): string | undefined {
  const target = BY_NAME.get(targetName);
  const found = lookupByNavigation(entity, navigation);
  if (!target || !found) return undefined;
  return Object.entries(target.collections).find(
    ([, c]) => c.target === entity.logicalName && c.via === found.lookup.name,
  )?.[0];
}

function entityType(entity: EntityDef): string[] {
  const out = [
    `<EntityType${attrs({ Name: entity.logicalName, BaseType: `${ALIAS}.crmbaseentity` })}>`,
    `<Key><PropertyRef${attrs({ Name: entity.primaryKey })}/></Key>`,
  ];
  for (const [name, type] of Object.entries(entity.attributes)) {
    out.push(
      `<Property${attrs({
        Name: name,
        Type: edmType(entity, name, type),
        Nullable: name === entity.primaryKey ? 'false' : undefined,
      })}/>`,
    );
  }
  for (const lookup of entity.lookups) {
    out.push(`<Property${attrs({ Name: `_${lookup.name}_value`, Type: 'Edm.Guid' })}/>`);
  }
  for (const lookup of entity.lookups) {
    for (const [navigation, targetName] of Object.entries(lookup.navigation)) {
      const target = BY_NAME.get(targetName);
      const targetKey = target?.primaryKey ?? `${targetName}id`;
      out.push(
        `<NavigationProperty${attrs({
          Name: navigation,
          Type: `${ALIAS}.${targetName}`,
          Partner: collectionPartnerOf(entity, navigation, targetName),
        })}><ReferentialConstraint${attrs({
          Property: `_${lookup.name}_value`,
          ReferencedProperty: targetKey,
        })}/></NavigationProperty>`,
      );
    }
  }
  for (const [navigation, nav] of Object.entries(entity.collections)) {
    const target = BY_NAME.get(nav.target);
    out.push(
      `<NavigationProperty${attrs({
        Name: navigation,
        Type: `Collection(${ALIAS}.${nav.target})`,
        Partner: target ? partnerOf(entity, target, nav.via) : undefined,
      })}/>`,
    );
  }
  out.push('</EntityType>');
  return out;
}

/** Targets known only as lookup targets (no table): an EntityType with its key, and no EntitySet. */
function externalType(logicalName: string): string[] {
  const key = `${logicalName}id`;
  return [
    `<EntityType${attrs({ Name: logicalName, BaseType: `${ALIAS}.crmbaseentity` })}>`,
    `<Key><PropertyRef${attrs({ Name: key })}/></Key>`,
    `<Property${attrs({ Name: key, Type: 'Edm.Guid', Nullable: 'false' })}/>`,
    '</EntityType>',
  ];
}

function entitySet(entity: EntityDef): string {
  const bindings: string[] = [];
  for (const lookup of entity.lookups) {
    for (const [navigation, targetName] of Object.entries(lookup.navigation)) {
      const set = BY_NAME.get(targetName)?.entitySet;
      if (set) bindings.push(`<NavigationPropertyBinding${attrs({ Path: navigation, Target: set })}/>`);
    }
  }
  for (const [navigation, nav] of Object.entries(entity.collections)) {
    const set = BY_NAME.get(nav.target)?.entitySet;
    if (set) bindings.push(`<NavigationPropertyBinding${attrs({ Path: navigation, Target: set })}/>`);
  }
  return `<EntitySet${attrs({ Name: entity.entitySet, EntityType: `${ALIAS}.${entity.logicalName}` })}>${bindings.join('')}</EntitySet>`;
}

/** The whole CSDL document. */
export function csdlDocument(): string {
  const schema = [
    `<Schema${attrs({ Namespace: NAMESPACE, Alias: ALIAS, xmlns: 'http://docs.oasis-open.org/odata/ns/edm' })}>`,
    `<EntityType${attrs({ Name: 'crmbaseentity', Abstract: 'true' })}/>`,
    ...ENTITIES.flatMap(entityType),
    ...Object.keys(EXTERNAL_TARGETS).flatMap(externalType),
    `<ComplexType${attrs({ Name: 'WhoAmIResponse' })}>`,
    ...['BusinessUnitId', 'UserId', 'OrganizationId'].map(
      (name) => `<Property${attrs({ Name: name, Type: 'Edm.Guid', Nullable: 'false' })}/>`,
    ),
    '</ComplexType>',
    `<Function${attrs({ Name: 'WhoAmI' })}><ReturnType${attrs({
      Type: `${ALIAS}.WhoAmIResponse`,
      Nullable: 'false',
    })}/></Function>`,
    // The bulk operation messages the emulator carries out, bound to any entity set.
    `<ComplexType${attrs({ Name: 'CreateMultipleResponse' })}>`,
    `<Property${attrs({ Name: 'Ids', Type: 'Collection(Edm.Guid)', Nullable: 'false' })}/>`,
    '</ComplexType>',
    ...['CreateMultiple', 'UpdateMultiple'].map((name) =>
      [
        `<Action${attrs({ Name: name, IsBound: 'true' })}>`,
        `<Parameter${attrs({ Name: 'entityset', Type: `Collection(${ALIAS}.crmbaseentity)`, Nullable: 'false' })}/>`,
        `<Parameter${attrs({ Name: 'Targets', Type: `Collection(${ALIAS}.crmbaseentity)`, Nullable: 'false' })}/>`,
        name === 'CreateMultiple'
          ? `<ReturnType${attrs({ Type: `${ALIAS}.CreateMultipleResponse`, Nullable: 'false' })}/>`
          : '',
        '</Action>',
      ].join(''),
    ),
    // RetrievePrincipalSyncAttributeMappings, bound to systemuser (syncMappings.ts).
    `<ComplexType${attrs({ Name: 'AttributeMapping' })}>`,
    ...(
      [
        ['AttributeMappingId', 'Edm.Guid'],
        ['MappingName', 'Edm.String'],
        ['AttributeCrmName', 'Edm.String'],
        ['AttributeExchangeName', 'Edm.String'],
        ['EntityTypeCode', 'Edm.Int32'],
        ['SyncDirection', 'Edm.Int32'],
        ['DefaultSyncDirection', 'Edm.Int32'],
        ['AllowedSyncDirection', 'Edm.Int32'],
        ['IsComputed', 'Edm.Boolean'],
        ['ComputedProperties', 'Collection(Edm.String)'],
        ['AttributeCrmDisplayName', 'Edm.String'],
        ['AttributeExchangeDisplayName', 'Edm.String'],
      ] as const
    ).map(([name, type]) => `<Property${attrs({ Name: name, Type: type })}/>`),
    '</ComplexType>',
    `<ComplexType${attrs({ Name: 'RetrievePrincipalSyncAttributeMappingsResponse' })}>`,
    `<Property${attrs({ Name: 'AttributeMappings', Type: `Collection(${ALIAS}.AttributeMapping)` })}/>`,
    '</ComplexType>',
    `<Function${attrs({ Name: 'RetrievePrincipalSyncAttributeMappings', IsBound: 'true' })}>`,
    `<Parameter${attrs({ Name: 'entity', Type: `${ALIAS}.systemuser`, Nullable: 'false' })}/>`,
    `<ReturnType${attrs({ Type: `${ALIAS}.RetrievePrincipalSyncAttributeMappingsResponse`, Nullable: 'false' })}/>`,
    '</Function>',
    `<EntityContainer${attrs({ Name: 'System' })}>`,
    ...ENTITIES.map(entitySet),
    `<FunctionImport${attrs({ Name: 'WhoAmI', Function: `${ALIAS}.WhoAmI` })}/>`,
    '</EntityContainer>',
    '</Schema>',
  ];
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<edmx:Edmx${attrs({ Version: '4.0', 'xmlns:edmx': 'http://docs.oasis-open.org/odata/ns/edmx' })}>`,
    '<edmx:DataServices>',
    ...schema,
    '</edmx:DataServices>',
    '</edmx:Edmx>',
  ].join('\n');
}
