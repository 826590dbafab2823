/**
 * Table definitions (Dataverse: "Query table definitions using the Web API"), built from `metadata.ts`:
 * - `GET EntityDefinitions` with `$select`, `$filter` and `$expand=Attributes`;
 * - `GET EntityDefinitions(LogicalName='contact')` or `EntityDefinitions(<MetadataId>)`;
 * - `GET EntityDefinitions(...)/Attributes[/<type cast>][(LogicalName='x')]` with `$select`, `$filter`
 *   and, on a choice type cast, `$expand=OptionSet`.
 * Enough for clients that map logical names to entity sets and read column types and lengths. An
 * unknown table is an empty `value` in a `$filter`, and 404 by key, as in Dataverse.
 */
import { createHash } from 'node:crypto';
import { ENTITIES, type EntityDef } from './metadata';
import { booleanLabels, choiceLabel } from './formatted';
import { type FilterNode, type Literal, parseFilter } from './odata/filter';
import { splitTopLevel, substituteAliases } from './odata/query';
import {
  BAD_QUERY,
  type DispatchContext,
  type EmuResponse,
  NOT_FOUND,
  ODataError,
  json,
  methodNotAllowed,
  segmentNotFound,
} from './protocol';
import { segmentParts } from './url';

type Obj = Record<string, unknown>;

const NS = 'Microsoft.Dynamics.CRM.';

/** A stable MetadataId from a name, so ids are the same on every run. */
function metadataId(name: string): string {
  const h = createHash('sha1').update(`metadata:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function label(text: string): Obj {
  const localized = { Label: text, LanguageCode: 1033 };
  return { LocalizedLabels: [localized], UserLocalizedLabel: localized };
}

const schemaName = (logicalName: string): string =>
  logicalName.charAt(0).toUpperCase() + logicalName.slice(1);
const entitySchemaName = (entity: EntityDef): string => entity.schemaName ?? schemaName(entity.logicalName);
/** Custom columns keep their publisher prefix in lower case (`new_EmailAddress`-like: `new_emailaddress`). */
const attributeSchemaName = (entity: EntityDef, name: string): string =>
  entity.custom && name.startsWith('new_') ? name : schemaName(name);

function entityMetadata(entity: EntityDef): Obj {
  return {
    MetadataId: metadataId(entity.logicalName),
    LogicalName: entity.logicalName,
    SchemaName: entitySchemaName(entity),
    EntitySetName: entity.entitySet,
    LogicalCollectionName: entity.entitySet,
    CollectionSchemaName: schemaName(entity.entitySet),
    PrimaryIdAttribute: entity.primaryKey,
    PrimaryNameAttribute: entity.primaryName,
    ObjectTypeCode: entity.objectTypeCode,
    OwnershipType: entity.owned ? 'UserOwned' : 'OrganizationOwned',
    IsActivity: entity.logicalName === 'email',
    // Rows email can be sent to (Dataverse: "Create and update a table to send email activities to rows").
    IsActivityParty: entity.activityParty === true,
    IsCustomEntity: entity.custom === true,
    IsPrivate: false,
    IsIntersect: false,
    TableType: 'Standard',
    DisplayName: label(entitySchemaName(entity)),
  };
}

/** The metadata type of a column: `[AttributeType, @odata.type without namespace]`. */
function attributeKind(entity: EntityDef, name: string): [string, string] {
  const type = entity.attributes[name];
  if (name === entity.primaryKey) return ['Uniqueidentifier', 'UniqueIdentifierAttributeMetadata'];
  switch (type) {
    case 'string':
      return ['String', 'StringAttributeMetadata'];
    case 'memo':
      return ['Memo', 'MemoAttributeMetadata'];
    case 'bool':
      return ['Boolean', 'BooleanAttributeMetadata'];
    case 'datetime':
    case 'date':
      return ['DateTime', 'DateTimeAttributeMetadata'];
    case 'money':
      return ['Money', 'MoneyAttributeMetadata'];
    case 'guid':
      return ['Uniqueidentifier', 'UniqueIdentifierAttributeMetadata'];
    default:
      if (name === 'statecode' && entity.states) return ['State', 'StateAttributeMetadata'];
      if (name === 'statuscode' && entity.states) return ['Status', 'StatusAttributeMetadata'];
      if (entity.choices?.[name]) return ['Picklist', 'PicklistAttributeMetadata'];
      if (name === 'versionnumber') return ['BigInt', 'BigIntAttributeMetadata'];
      return ['Integer', 'IntegerAttributeMetadata'];
  }
}

function optionSet(entity: EntityDef, name: string, kind: string): Obj | null {
  const base = {
    MetadataId: metadataId(`${entity.logicalName}.${name}.options`),
    Name: `${entity.logicalName}_${name}`,
    IsGlobal: false,
  };
  if (kind === 'Boolean') {
    const [no, yes] = booleanLabels(entity, name);
    return {
      ...base,
      OptionSetType: 'Boolean',
      TrueOption: { Value: 1, Label: label(yes) },
      FalseOption: { Value: 0, Label: label(no) },
    };
  }
  const values: number[] =
    kind === 'State'
      ? Object.keys(entity.states ?? {}).map(Number)
      : kind === 'Status'
        ? [...new Set(Object.values(entity.states ?? {}).flatMap((s) => s.allowed))]
        : Object.keys(entity.choices?.[name] ?? {}).map(Number);
  if (kind !== 'State' && kind !== 'Status' && kind !== 'Picklist') return null;
  return {
    ...base,
    OptionSetType: kind,
    Options: values
      .sort((a, b) => a - b)
      .map((value) => {
        const option: Obj = { Value: value, Label: label(choiceLabel(entity, name, value) ?? String(value)) };
        if (kind === 'State') option.DefaultStatus = entity.states?.[value]?.default ?? null;
        if (kind === 'Status') {
          option.State = Number(
            Object.entries(entity.states ?? {}).find(([, s]) => s.allowed.includes(value))?.[0] ?? 0,
          );
        }
        return option;
      }),
  };
}

/**
 * StringAttributeMetadata.FormatName (a StringFormatName: `{"Value": "Email"}`, Text, Phone, Url, ...)
 * and its older Format (StringFormat), per column.
 */
function stringFormat(entity: EntityDef, name: string): string {
  if (entity.emailAttributes.includes(name)) return 'Email';
  return entity.stringFormats?.[name] ?? 'Text';
}

function attributes(entity: EntityDef): Obj[] {
  // ColumnNumber (AttributeMetadata): the column's position in the table, in definition order.
  const columnNumbers = new Map(
    [...Object.keys(entity.attributes), ...entity.lookups.map((l) => l.name)].map((n, i) => [n, i + 1]),
  );
  const common = (name: string, kind: string, odataType: string): Obj => ({
    '@odata.type': `#${NS}${odataType}`,
    MetadataId: metadataId(`${entity.logicalName}.${name}`),
    LogicalName: name,
    SchemaName: attributeSchemaName(entity, name),
    ColumnNumber: columnNumbers.get(name) ?? null,
    EntityLogicalName: entity.logicalName,
    AttributeType: kind,
    AttributeTypeName: { Value: `${kind}Type` },
    AttributeOf: null,
    IsPrimaryId: name === entity.primaryKey,
    IsPrimaryName: name === entity.primaryName,
    IsValidForRead: true,
    IsValidForCreate: !['createdon', 'modifiedon', 'versionnumber'].includes(name),
    IsValidForUpdate: !['createdon', 'modifiedon', 'versionnumber', entity.primaryKey].includes(name),
    IsCustomAttribute: entity.custom === true && name.startsWith('new_'),
    DisplayName: label(attributeSchemaName(entity, name)),
  });
  const out: Obj[] = [];
  for (const name of Object.keys(entity.attributes)) {
    const [kind, odataType] = attributeKind(entity, name);
    const item = common(name, kind, odataType);
    if (kind === 'String' || kind === 'Memo') {
      item.MaxLength = entity.maxLength[name] ?? null;
      item.DatabaseLength = item.MaxLength === null ? null : (item.MaxLength as number) * 2;
      if (kind === 'String') {
        const format = stringFormat(entity, name);
        item.Format = format;
        item.FormatName = { Value: format };
      } else {
        item.Format = 'TextArea';
      }
    }
    if (kind === 'DateTime') item.Format = 'DateAndTime';
    if (kind === 'Integer') {
      item.MinValue = -2147483648;
      item.MaxValue = 2147483647;
    }
    out.push(item);
  }
  for (const lookup of entity.lookups) {
    const targets = [...new Set(Object.values(lookup.navigation))];
    const kind =
      lookup.name === 'ownerid'
        ? 'Owner'
        : targets.includes('account') && targets.includes('contact') && targets.length === 2
          ? 'Customer'
          : 'Lookup';
    const item = common(lookup.name, kind, 'LookupAttributeMetadata');
    item.Targets = targets;
    item.IsValidForCreate = true;
    item.IsValidForUpdate = true;
    out.push(item);
  }
  return out;
}

/** The cast segment's type → which attributes it keeps. */
const CAST_KINDS: Record<string, string[]> = {
  StringAttributeMetadata: ['String'],
  MemoAttributeMetadata: ['Memo'],
  PicklistAttributeMetadata: ['Picklist'],
  StateAttributeMetadata: ['State'],
  StatusAttributeMetadata: ['Status'],
  BooleanAttributeMetadata: ['Boolean'],
  DateTimeAttributeMetadata: ['DateTime'],
  IntegerAttributeMetadata: ['Integer'],
  BigIntAttributeMetadata: ['BigInt'],
  MoneyAttributeMetadata: ['Money'],
  LookupAttributeMetadata: ['Lookup', 'Customer', 'Owner'],
  UniqueIdentifierAttributeMetadata: ['Uniqueidentifier'],
  EnumAttributeMetadata: ['Picklist', 'State', 'Status'],
  AttributeMetadata: [],
};
const OPTION_SET_CASTS = new Set([
  'PicklistAttributeMetadata',
  'StateAttributeMetadata',
  'StatusAttributeMetadata',
  'BooleanAttributeMetadata',
  'EnumAttributeMetadata',
]);

// ------------------------------------------------------------------ query options over plain objects

function literalOf(literal: Literal): unknown {
  switch (literal.kind) {
    case 'null':
      return null;
    case 'bool':
    case 'number':
    case 'string':
    case 'guid':
    case 'datetime':
      return literal.value;
  }
}

function evaluate(node: FilterNode, obj: Obj, typeName: string): boolean {
  const prop = (name: string): unknown => {
    if (!(name in obj)) {
      throw new ODataError(
        400,
        BAD_QUERY,
        `Could not find a property named '${name}' on type '${NS}${typeName}'.`,
      );
    }
    return obj[name];
  };
  switch (node.kind) {
    case 'and':
      return evaluate(node.left, obj, typeName) && evaluate(node.right, obj, typeName);
    case 'or':
      return evaluate(node.left, obj, typeName) || evaluate(node.right, obj, typeName);
    case 'not':
      return !evaluate(node.operand, obj, typeName);
    case 'text': {
      const value = prop(node.property);
      if (typeof value !== 'string') return false;
      if (node.fn === 'contains') return value.includes(node.value);
      return node.fn === 'startswith' ? value.startsWith(node.value) : value.endsWith(node.value);
    }
    case 'in': {
      const value = prop(node.property);
      const hit = node.values.some((v) => literalOf(v) === value || String(literalOf(v)) === String(value));
      return node.negate ? !hit : hit;
    }
    case 'compare': {
      const side = (o: typeof node.left): unknown =>
        o.kind === 'property' ? prop(o.name) : literalOf(o.literal);
      const a = side(node.left);
      const b = side(node.right);
      switch (node.op) {
        case 'eq':
          return a === b;
        case 'ne':
          return a !== b;
        case 'gt':
          return (a as number) > (b as number);
        case 'ge':
          return (a as number) >= (b as number);
        case 'lt':
          return (a as number) < (b as number);
        case 'le':
          return (a as number) <= (b as number);
      }
      return false;
    }
    default:
      throw new ODataError(400, BAD_QUERY, `This $filter is not supported on ${typeName}.`);
  }
}

interface MetaOptions {
  select: string[] | null;
  filter: FilterNode | null;
  expand: Map<string, MetaOptions>;
}

function parseMetaOptions(query: ReadonlyMap<string, string>): MetaOptions {
  for (const key of query.keys()) {
    if (key.startsWith('$') && !['$select', '$filter', '$expand'].includes(key)) {
      throw new ODataError(
        400,
        BAD_QUERY,
        `The query parameter '${key}' is not supported on table definitions.`,
      );
    }
  }
  const select = query.get('$select');
  const filter = query.get('$filter');
  const expand = new Map<string, MetaOptions>();
  for (const item of splitTopLevel(query.get('$expand') ?? '', ',')) {
    const m = /^(\w+)(?:\((.*)\))?$/s.exec(item);
    if (!m) throw new ODataError(400, BAD_QUERY, `Syntax error in $expand: '${item}'.`);
    const nested = new Map<string, string>();
    for (const option of splitTopLevel(m[2] ?? '', ';')) {
      const eq = option.indexOf('=');
      if (eq < 0) throw new ODataError(400, BAD_QUERY, `Syntax error in $expand: '${item}'.`);
      nested.set(option.slice(0, eq).trim(), option.slice(eq + 1).trim());
    }
    expand.set(m[1] as string, parseMetaOptions(nested));
  }
  return {
    select: select === undefined ? null : splitTopLevel(select, ','),
    filter: filter === undefined ? null : parseFilter(substituteAliases(filter, query)),
    expand,
  };
}

function project(obj: Obj, select: string[] | null, typeName: string, extra: readonly string[]): Obj {
  if (select === null) {
    const out = { ...obj };
    for (const hidden of ['OptionSet', 'Attributes']) if (!extra.includes(hidden)) delete out[hidden];
    return out;
  }
  const out: Obj = {};
  if (obj['@odata.type'] !== undefined) out['@odata.type'] = obj['@odata.type'];
  for (const name of select) {
    if (!(name in obj)) {
      throw new ODataError(
        400,
        BAD_QUERY,
        `Could not find a property named '${name}' on type '${NS}${typeName}'.`,
      );
    }
    out[name] = obj[name];
  }
  out.MetadataId = obj.MetadataId;
  for (const name of extra) if (name in obj) out[name] = obj[name];
  return out;
}

// ------------------------------------------------------------------ the endpoint

function entityByKey(key: string): EntityDef {
  const named = /^LogicalName\s*=\s*'([^']*)'$/.exec(key.trim());
  const entity = ENTITIES.find((e) =>
    named ? e.logicalName === named[1] : metadataId(e.logicalName) === key.trim().toLowerCase(),
  );
  if (!entity) {
    throw new ODataError(
      404,
      NOT_FOUND,
      `Could not find entity with ${named ? `LogicalName '${named[1]}'` : `MetadataId '${key}'`}.`,
    );
  }
  return entity;
}

function attributeList(entity: EntityDef, cast: string | null, options: MetaOptions): Obj[] {
  const kinds: string[] | null = cast === null ? null : (CAST_KINDS[cast] ?? null);
  if (cast !== null && kinds === null) throw segmentNotFound(`${NS}${cast}`);
  const typeName = cast ?? 'AttributeMetadata';
  const optionSetWanted = options.expand.has('OptionSet') || options.expand.has('GlobalOptionSet');
  for (const name of options.expand.keys()) {
    if (
      (name !== 'OptionSet' && name !== 'GlobalOptionSet') ||
      cast === null ||
      !OPTION_SET_CASTS.has(cast)
    ) {
      throw new ODataError(
        400,
        BAD_QUERY,
        `Could not find a property named '${name}' on type '${NS}${typeName}'.`,
      );
    }
  }
  return attributes(entity)
    .filter((a) => kinds === null || kinds.length === 0 || kinds.includes(a.AttributeType as string))
    .map((a) => {
      if (optionSetWanted) {
        a.OptionSet = optionSet(entity, a.LogicalName as string, a.AttributeType as string);
        if (options.expand.has('GlobalOptionSet')) a.GlobalOptionSet = null;
      }
      return a;
    })
    .filter((a) => options.filter === null || evaluate(options.filter, a, typeName))
    .map((a) =>
      project(a, options.select, typeName, optionSetWanted ? ['OptionSet', 'GlobalOptionSet'] : []),
    );
}

/** `EntityDefinitions...` below the service root; `segments[0]` is `EntityDefinitions[(key)]`. */
export function entityDefinitions(
  segments: readonly string[],
  method: string,
  query: ReadonlyMap<string, string>,
  ctx: DispatchContext,
): EmuResponse {
  if (method !== 'GET') throw methodNotAllowed('The emulator serves table definitions read-only.');
  const first = segmentParts(segments[0] as string);
  const options = parseMetaOptions(query);
  const context = `${ctx.baseUrl}/$metadata#EntityDefinitions`;
  const withAttributes = (entity: EntityDef, obj: Obj): Obj => {
    const nested = options.expand.get('Attributes');
    return nested ? { ...obj, Attributes: attributeList(entity, null, nested) } : obj;
  };
  for (const name of options.expand.keys()) {
    if (segments.length === 1 && name !== 'Attributes') {
      throw new ODataError(
        400,
        BAD_QUERY,
        `Could not find a property named '${name}' on type '${NS}EntityMetadata'.`,
      );
    }
  }
  if (first?.key === undefined) {
    if (segments.length > 1) throw segmentNotFound(segments[1] as string);
    const value = ENTITIES.map((e) => ({ entity: e, obj: entityMetadata(e) }))
      .filter(({ obj }) => options.filter === null || evaluate(options.filter, obj, 'EntityMetadata'))
      .map(({ entity, obj }) =>
        project(
          withAttributes(entity, obj),
          options.select,
          'EntityMetadata',
          options.expand.has('Attributes') ? ['Attributes'] : [],
        ),
      );
    return json(200, { '@odata.context': context, value });
  }
  const entity = entityByKey(first.key);
  if (segments.length === 1) {
    return json(200, {
      '@odata.context': `${context}/$entity`,
      ...project(
        withAttributes(entity, entityMetadata(entity)),
        options.select,
        'EntityMetadata',
        options.expand.has('Attributes') ? ['Attributes'] : [],
      ),
    });
  }
  // .../Keys: the alternate keys (EntityKeyMetadata). The emulated tables define none.
  const keys = segmentParts(segments[1] as string);
  if (keys?.name === 'Keys' && segments.length === 2) {
    if (keys.key !== undefined) {
      throw new ODataError(
        404,
        NOT_FOUND,
        `Could not find key '${keys.key}' on entity '${entity.logicalName}'.`,
      );
    }
    return json(200, { '@odata.context': `${context}('${entity.logicalName}')/Keys`, value: [] });
  }
  // .../Attributes[/cast] | .../Attributes(key)[/cast]
  const attrs = segmentParts(segments[1] as string);
  if (attrs?.name !== 'Attributes' || segments.length > 3)
    throw segmentNotFound(segments[segments.length - 1] as string);
  let cast: string | null = null;
  if (segments.length === 3) {
    const castSegment = segments[2] as string;
    if (!castSegment.startsWith(NS)) throw segmentNotFound(castSegment);
    cast = castSegment.slice(NS.length);
  }
  const list = attributeList(entity, cast, { ...options, filter: null, select: null });
  if (attrs.key === undefined) {
    const value = list
      .filter((a) => options.filter === null || evaluate(options.filter, a, cast ?? 'AttributeMetadata'))
      .map((a) =>
        project(
          a,
          options.select,
          cast ?? 'AttributeMetadata',
          options.expand.size ? ['OptionSet', 'GlobalOptionSet'] : [],
        ),
      );
    return json(200, {
      '@odata.context': `${context}('${entity.logicalName}')/Attributes${cast ? `/${NS}${cast}` : ''}`,
      value,
    });
  }
  const named = /^LogicalName\s*=\s*'([^']*)'$/.exec(attrs.key.trim());
  const attribute = list.find((a) =>
    named ? a.LogicalName === named[1] : a.MetadataId === attrs.key?.trim().toLowerCase(),
  );
  if (!attribute) {
    throw new ODataError(
      404,
      NOT_FOUND,
      `Could not find attribute '${attrs.key}' on entity '${entity.logicalName}'.`,
    );
  }
  return json(200, {
    '@odata.context': `${context}('${entity.logicalName}')/Attributes/$entity`,
    ...project(
      attribute,
      options.select,
      cast ?? 'AttributeMetadata',
      options.expand.size ? ['OptionSet', 'GlobalOptionSet'] : [],
    ),
  });
}
