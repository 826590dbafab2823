/**
 * The admin page's CRM side (CrmAdminPort, adminPort.ts) over the Dataverse Web API:
 * - access: WhoAmI, then `RetrieveUserPrivilegeByPrivilegeName(PrivilegeName='prvWriteOrganization')`
 *   bound to the user (Microsoft Learn: the function answers the privileges the user holds through
 *   roles and teams; a non-empty `RolePrivileges` means the user may write the organization);
 * - the `organizations` row (the §1.1 columns the session reads, ORGANIZATION_ATTRIBUTES, its
 *   `@odata.etag` and `orgdborgsettings` as stored);
 * - the `tic_` environment variable definitions with their value rows;
 * - the synchronized field mappings: the `syncattributemapping` rows, with their
 *   `allowedsyncdirection`, and the catalog's Microsoft defaults (syncFieldCatalog.ts) for fields
 *   without a row;
 * - `save`: ONE `$batch` holding ONE change set, so Dataverse applies every write or none. A
 *   failure is the typed CrmError of errors.ts (403 CrmForbiddenError: `missingPrivilege` reads the
 *   privilege Dataverse names; 412 CrmConflictError: the organization changed since it was read).
 */
import { SYNC_FIELDS } from '../rules/syncFieldCatalog';
import type { MappingDirection, SyncEntity } from '../rules/syncTypes';
import type {
  AdminAccess,
  AdminChanges,
  CrmAdminPort,
  EnvironmentVariable,
  EnvironmentVariableChange,
  EnvironmentVariableType,
  OrganizationRow,
  SettingValue,
  SyncMappingChange,
  SyncMappingRow,
} from './adminPort';
import type { BatchRequest, BatchResponse } from './batch';
import { ORGANIZATION_ATTRIBUTES } from './dataverseAdapter';
import { batchPartError, type DataverseHttp } from './dataverseHttp';
import { CrmForbiddenError, protocolError } from './errors';
import { nameUuid } from './nameUuid';
import { collectionPath, entityPath, guid, literal, startsWith } from './odata';
import { DIRECTIONS } from './syncShapes';

type Row = Record<string, unknown>;

/** The privilege that lets a user change System Settings (the organizations row). */
export const WRITE_ORGANIZATION = 'prvWriteOrganization';

const ORGANIZATION_COLUMNS = ORGANIZATION_ATTRIBUTES.filter((name) => name !== 'orgdborgsettings');

const VALUES_NAV = 'environmentvariabledefinition_environmentvariablevalue';
const MAPPING_COLUMNS = [
  'syncattributemappingid',
  'entityname',
  'attributecrmname',
  'attributeexchangename',
  'syncdirection',
  'allowedsyncdirection',
  '_syncattributemappingprofileid_value',
];

/** environmentvariabledefinition.type (Microsoft's table reference: 100000000 String … 100000003 JSON). */
const VARIABLE_TYPES: Readonly<Record<number, EnvironmentVariableType>> = {
  100000000: 'string',
  100000001: 'number',
  100000002: 'boolean',
  100000003: 'json',
};
const TYPE_CODES: Readonly<Record<EnvironmentVariableType, number>> = {
  string: 100000000,
  number: 100000001,
  boolean: 100000002,
  json: 100000003,
};

const SYNC_ENTITIES: readonly SyncEntity[] = ['contact', 'appointment', 'task'];

/**
 * The namespace of the keys this adapter gives the rows it creates (nameUuid.ts): the same row (the
 * value of one definition, the mapping of one attribute) gets the same key from every admin, so
 * the second of two saves from the same read fails on the duplicate key instead of adding a twin.
 */
const ADMIN_NAMESPACE = '6d1c9a57-3e0b-4f2a-8b71-c4e5d2a90f13';
const PROFILE_KEY = nameUuid(ADMIN_NAMESPACE, 'syncattributemappingprofile');

/**
 * An update's If-Match: the etag it was read with. A change without one is refused before anything
 * is sent (never `If-Match: *`, which would overwrite what another admin saved in between).
 */
function ifMatch(etag: string | null | undefined, what: string): Record<string, string> {
  if (!etag) throw new TypeError(`${what}: the change carries no etag; read the row and pass its etag back`);
  return { 'If-Match': etag };
}

/**
 * The directions an `allowedsyncdirection` permits. Dataverse's reference names the choice (0 None,
 * 1 ToExchange, 2 ToCRM, 3 Bidirectional) but not how it bounds `syncdirection`; read as a set of
 * sides (chosen): Bidirectional allows all four, ToExchange none and to Outlook, ToCRM none and to
 * CRM, None none only.
 */
export function directionsAllowedBy(allowed: number): MappingDirection[] {
  return DIRECTIONS.filter((_, code) => (code & ~allowed) === 0);
}

/**
 * The directions a row may be set to: what its `allowedsyncdirection` permits, narrowed to the
 * catalog's when the catalog knows the field (the code cannot say "both only": 14 catalog fields,
 * e.g. contact.firstname, allow only both, and code 3 reads as all four).
 */
export function allowedDirections(
  allowed: number,
  catalog: readonly MappingDirection[] | undefined,
): MappingDirection[] {
  const permitted = directionsAllowedBy(allowed);
  return catalog ? permitted.filter((direction) => catalog.includes(direction)) : permitted;
}

function catalogField(entity: SyncEntity, crmAttribute: string) {
  return SYNC_FIELDS[entity].find((f) => f.crm.toLowerCase() === crmAttribute.toLowerCase());
}

/** The smallest `allowedsyncdirection` that permits every direction of a list (chosen). */
function allowedCodeOf(directions: readonly MappingDirection[]): number {
  return directions.reduce((bits, direction) => bits | Math.max(0, DIRECTIONS.indexOf(direction)), 0);
}

/** The privilege a 403 names ("… is missing prvWriteOrganization privilege …"), or null. */
export function missingPrivilege(error: unknown): string | null {
  if (!(error instanceof CrmForbiddenError)) return null;
  return /is missing (prv\w+) privilege/.exec(error.message)?.[1] ?? null;
}

/**
 * A new definition's type when the change names none, from the value it is created with (chosen):
 * `true`/`false` Boolean, a number Number, an object or array JSON, anything else String.
 */
function typeOfValue(value: string): EnvironmentVariableType {
  const text = value.trim();
  if (text === 'true' || text === 'false') return 'boolean';
  if (text !== '' && Number.isFinite(Number(text))) return 'number';
  if (/^[[{]/.test(text)) {
    try {
      JSON.parse(text);
      return 'json';
    } catch {
      return 'string';
    }
  }
  return 'string';
}

const text = (row: Row, name: string): string | null =>
  typeof row[name] === 'string' ? (row[name] as string) : null;

function settingValue(value: unknown): SettingValue {
  return typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string' ? value : null;
}

function collection(body: unknown, request: string): Row[] {
  const value = (body as { value?: unknown } | null)?.value;
  if (!Array.isArray(value)) throw protocolError('a collection response has no "value" array', request);
  return value as Row[];
}

export interface DataverseAdminOptions {
  /** Where rows left out here (an unknown variable type, a mapping of another table) are written. */
  readonly log?: (message: string, error?: unknown) => void;
  /** The caller's systemuserid when the caller already knows it (the pane's session): no WhoAmI then. */
  readonly userId?: string;
}

export class DataverseAdmin implements CrmAdminPort {
  private readonly log: (message: string, error?: unknown) => void;
  private readonly knownUserId: string | null;
  /**
   * The profile new mapping rows go in (the one the organization's rows are in), once read: null
   * when the organization has none, undefined before the first read.
   */
  private profileId: string | null | undefined = undefined;

  constructor(
    private readonly http: DataverseHttp,
    options: DataverseAdminOptions = {},
  ) {
    this.log = options.log ?? (() => {});
    this.knownUserId = options.userId ?? null;
  }

  private async whoAmI(): Promise<string> {
    const { body: who } = await this.http.send('GET', 'WhoAmI', { idempotent: true });
    const userId = text((who ?? {}) as Row, 'UserId');
    if (!userId) throw protocolError('WhoAmI answered without a UserId', 'GET WhoAmI');
    return userId;
  }

  /** The privilege function bound to the user; WhoAmI first only when the caller did not say who it is. */
  async readAccess(): Promise<AdminAccess> {
    const userId = this.knownUserId ?? (await this.whoAmI());
    const path =
      `${entityPath('systemusers', userId)}/Microsoft.Dynamics.CRM.RetrieveUserPrivilegeByPrivilegeName` +
      `(PrivilegeName=${literal(WRITE_ORGANIZATION)})`;
    const { body } = await this.http.send('GET', path, { idempotent: true });
    const held = (body as { RolePrivileges?: unknown } | null)?.RolePrivileges;
    if (!Array.isArray(held))
      throw protocolError(
        'the privilege answer has no RolePrivileges',
        'GET RetrieveUserPrivilegeByPrivilegeName',
      );
    return { canWriteOrganization: held.length > 0 };
  }

  async readOrganization(): Promise<OrganizationRow> {
    const path = collectionPath('organizations', {
      select: ['organizationid', ...ORGANIZATION_ATTRIBUTES],
      top: 1,
    });
    const { body } = await this.http.send('GET', path, { idempotent: true });
    const row = collection(body, 'GET organizations')[0];
    const organizationId = row ? text(row, 'organizationid') : null;
    if (!row || !organizationId) throw protocolError('the organizations row is missing', 'GET organizations');
    const columns: Record<string, SettingValue> = {};
    for (const name of ORGANIZATION_COLUMNS) columns[name] = settingValue(row[name]);
    return {
      organizationId,
      etag: text(row, '@odata.etag'),
      columns,
      orgdborgsettings: text(row, 'orgdborgsettings') ?? '',
    };
  }

  async readEnvironmentVariables(): Promise<readonly EnvironmentVariable[]> {
    const path = collectionPath('environmentvariabledefinitions', {
      select: ['environmentvariabledefinitionid', 'schemaname', 'displayname', 'type', 'defaultvalue'],
      // `_` is a wildcard in startswith (odata.ts escapes it).
      filter: startsWith('schemaname', 'tic_'),
      orderby: 'schemaname',
      expand: `${VALUES_NAV}($select=environmentvariablevalueid,value)`,
    });
    const rows = await this.http.getAll(path);
    const variables: EnvironmentVariable[] = [];
    for (const row of rows) {
      const schemaName = text(row, 'schemaname');
      const definitionId = text(row, 'environmentvariabledefinitionid');
      const type = typeof row.type === 'number' ? VARIABLE_TYPES[row.type] : undefined;
      if (!schemaName || !definitionId || !type) {
        this.log(
          `The environment variable ${String(schemaName)} has type ${String(row.type)}, not one the admin page edits; left out`,
        );
        continue;
      }
      // A definition has at most one value row (Power Platform resolves the current value from it).
      const value = Array.isArray(row[VALUES_NAV]) ? ((row[VALUES_NAV] as Row[])[0] ?? null) : null;
      variables.push({
        schemaName,
        definitionId,
        displayName: text(row, 'displayname') ?? schemaName,
        type,
        defaultValue: text(row, 'defaultvalue'),
        valueId: value ? text(value, 'environmentvariablevalueid') : null,
        value: value ? text(value, 'value') : null,
        etag: value ? text(value, '@odata.etag') : null,
        definitionEtag: text(row, '@odata.etag'),
      });
    }
    return variables;
  }

  /**
   * One `$batch` of two GETs: the mapping rows and the profiles (the first profile is where new rows
   * go when the organization has none yet, chosen). Then every catalog field without a row, as the
   * Microsoft default it is.
   */
  async readSyncMappings(): Promise<readonly SyncMappingRow[]> {
    const { rows, profileId } = await this.mappingRows();
    this.profileId = profileId;
    const mappings: SyncMappingRow[] = [];
    const covered = new Set<string>();
    for (const row of rows) {
      const entity = SYNC_ENTITIES.find((e) => e === text(row, 'entityname'));
      const mappingId = text(row, 'syncattributemappingid');
      const crmAttribute = text(row, 'attributecrmname');
      const exchangeProperty = text(row, 'attributeexchangename');
      const direction = typeof row.syncdirection === 'number' ? DIRECTIONS[row.syncdirection] : undefined;
      if (!entity || !mappingId || !crmAttribute || !exchangeProperty || !direction) {
        this.log(`The sync mapping ${String(mappingId)} is not one the admin page edits; left out`);
        continue;
      }
      covered.add(`${entity}:${crmAttribute.toLowerCase()}`);
      mappings.push({
        mappingId,
        entity,
        crmAttribute,
        exchangeProperty,
        direction,
        allowed: allowedDirections(
          typeof row.allowedsyncdirection === 'number' ? row.allowedsyncdirection : 3,
          catalogField(entity, crmAttribute)?.allowed,
        ),
        etag: text(row, '@odata.etag'),
      });
    }
    for (const entity of SYNC_ENTITIES) {
      for (const field of SYNC_FIELDS[entity]) {
        if (covered.has(`${entity}:${field.crm.toLowerCase()}`)) continue;
        mappings.push({
          mappingId: null,
          entity,
          crmAttribute: field.crm,
          exchangeProperty: field.outlook,
          direction: field.direction,
          allowed: field.allowed,
          etag: null,
        });
      }
    }
    return mappings;
  }

  async save(changes: AdminChanges): Promise<void> {
    const requests: BatchRequest[] = [];
    const mappingChanges = changes.syncMappings ?? [];
    // Found (or its create queued) first, so that the Content-IDs below count from it.
    const profile = mappingChanges.some((m) => m.mappingId === null)
      ? await this.profileForNewRows(requests)
      : null;
    const { organization } = changes;
    if (organization) {
      const body: Row = { ...organization.columns };
      if (organization.orgdborgsettings !== undefined) body.orgdborgsettings = organization.orgdborgsettings;
      if (Object.keys(body).length > 0) {
        requests.push({
          method: 'PATCH',
          path: entityPath('organizations', organization.organizationId),
          body,
          headers: ifMatch(organization.etag, 'organizations'),
        });
      }
    }
    for (const change of changes.environmentVariables ?? []) this.variableWrites(change, requests);
    for (const change of mappingChanges) this.mappingWrite(change, profile, requests);
    if (requests.length === 0) return;
    // No continue-on-error: Dataverse stops at the failing request and answers with its status,
    // which DataverseHttp throws typed; the change set was rolled back.
    const [answer] = await this.http.batch([{ kind: 'changeset', requests }]);
    if (!Array.isArray(answer)) {
      throw (
        (answer && batchPartError(answer as BatchResponse, 'POST $batch')) ??
        protocolError('the settings change set answered with one part', 'POST $batch')
      );
    }
    // A profile created by this save ($1) is found by the next read, not created twice.
    if (this.profileId === null) this.profileId = undefined;
  }

  /** The value row's create, update or delete, and the definition's create when there is none. */
  private variableWrites(change: EnvironmentVariableChange, requests: BatchRequest[]): void {
    const { schemaName, value } = change;
    let definition: string | null = change.definitionId
      ? `/${entityPath('environmentvariabledefinitions', change.definitionId)}`
      : null;
    if (!definition) {
      // Nothing to keep: no definition and no value (chosen: no definition is created empty).
      if (value === null) return;
      requests.push({
        method: 'POST',
        path: 'environmentvariabledefinitions',
        body: {
          environmentvariabledefinitionid: nameUuid(ADMIN_NAMESPACE, `definition\n${schemaName}`),
          schemaname: schemaName,
          displayname: schemaName,
          type: TYPE_CODES[change.type ?? typeOfValue(value)],
        },
      });
      // Content-IDs are 1-based positions in the change set (batch.ts).
      definition = `$${requests.length}`;
    }
    if (change.valueId) {
      const path = entityPath('environmentvariablevalues', change.valueId);
      const headers = ifMatch(change.etag, `environmentvariablevalues(${change.valueId})`);
      if (value === null) requests.push({ method: 'DELETE', path, headers });
      else requests.push({ method: 'PATCH', path, body: { value }, headers });
      return;
    }
    if (value === null) return;
    requests.push({
      method: 'POST',
      path: 'environmentvariablevalues',
      body: {
        // One value row per definition (chosen key): a second create from the same read is refused.
        environmentvariablevalueid: nameUuid(
          ADMIN_NAMESPACE,
          `value\n${change.definitionId ? guid(change.definitionId) : schemaName}`,
        ),
        schemaname: schemaName,
        value,
        'EnvironmentVariableDefinitionId@odata.bind': definition,
      },
    });
  }

  /** `profile`: the bind of the profile a new row goes in (null when no change creates a row). */
  private mappingWrite(change: SyncMappingChange, profile: string | null, requests: BatchRequest[]): void {
    const direction = DIRECTIONS.indexOf(change.direction);
    if (change.mappingId) {
      requests.push({
        method: 'PATCH',
        path: entityPath('syncattributemappings', change.mappingId),
        body: { syncdirection: direction },
        headers: ifMatch(change.etag, `syncattributemappings(${change.mappingId})`),
      });
      return;
    }
    if (profile === null) throw new TypeError('a new mapping row needs its profile');
    const field = catalogField(change.entity, change.crmAttribute);
    requests.push({
      method: 'POST',
      path: 'syncattributemappings',
      body: {
        // One row per attribute (chosen key): a second create from the same read is refused.
        syncattributemappingid: nameUuid(
          ADMIN_NAMESPACE,
          `mapping\n${change.entity}\n${change.crmAttribute.toLowerCase()}`,
        ),
        mappingname: `${change.entity}.${change.crmAttribute}`,
        entityname: change.entity,
        attributecrmname: change.crmAttribute,
        attributeexchangename: change.exchangeProperty,
        syncdirection: direction,
        defaultsyncdirection: DIRECTIONS.indexOf(field?.direction ?? change.direction),
        allowedsyncdirection: allowedCodeOf(field?.allowed ?? DIRECTIONS),
        'syncattributemappingprofileid@odata.bind': profile,
      },
    });
  }

  /**
   * The bind of the profile new rows go in: the one read last, else found now, else created by the
   * change set's first request (chosen: an organization without any profile gets one named after
   * the add-in). Called before any other request is queued, so the create is Content-ID 1.
   */
  private async profileForNewRows(requests: BatchRequest[]): Promise<string> {
    if (this.profileId === undefined) this.profileId = (await this.mappingRows()).profileId;
    if (this.profileId) return `/${entityPath('syncattributemappingprofiles', this.profileId)}`;
    requests.push({
      method: 'POST',
      path: 'syncattributemappingprofiles',
      // A fixed key (chosen): two admins creating the organization's first profile get one, and the
      // second save is refused.
      body: { syncattributemappingprofileid: PROFILE_KEY, name: 'Organization (Track in CRM)' },
    });
    return `$${requests.length}`;
  }

  private async mappingRows(): Promise<{ rows: Row[]; profileId: string | null }> {
    const responses = await this.http.batch([
      {
        kind: 'request',
        request: {
          method: 'GET',
          path: collectionPath('syncattributemappings', {
            select: MAPPING_COLUMNS,
            orderby: 'entityname,attributecrmname',
          }),
        },
      },
      {
        kind: 'request',
        request: {
          method: 'GET',
          path: collectionPath('syncattributemappingprofiles', {
            select: ['syncattributemappingprofileid'],
            orderby: 'createdon',
            top: 1,
          }),
        },
      },
    ]);
    const [mappingAnswer, profileAnswer] = responses.map((r, i) => {
      if (Array.isArray(r) || !r) throw protocolError('a GET answered as a change set', 'POST $batch');
      const error = batchPartError(
        r,
        i === 0 ? 'GET syncattributemappings' : 'GET syncattributemappingprofiles',
      );
      if (error) throw error;
      return r;
    });
    const rows = collection(mappingAnswer?.body, 'GET syncattributemappings');
    const fromRows = rows.map((row) => text(row, '_syncattributemappingprofileid_value')).find((id) => id);
    const firstProfile = collection(profileAnswer?.body, 'GET syncattributemappingprofiles')[0];
    const profileId = fromRows ?? (firstProfile ? text(firstProfile, 'syncattributemappingprofileid') : null);
    return { rows, profileId: profileId ? guid(profileId) : null };
  }
}
