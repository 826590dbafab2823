/**
 * The admin page's data: what was read (the snapshot), what the administrator has typed (the draft),
 * and the one change set between them. Pure apart from `loadSnapshot`, which reads the port.
 *
 * The draft holds a value for every setting of the catalog, so a setting shown on two tabs (a `tic_`
 * variable on its System Settings tab and on the Environment variables tab) is one value. A save sends
 * only what differs from what was read.
 */
import type {
  AdminAccess,
  AdminChanges,
  CrmAdminPort,
  EnvironmentVariable,
  EnvironmentVariableChange,
  OrganizationRow,
  SettingValue,
  SyncMappingChange,
  SyncMappingRow,
} from '../crm/adminPort';
import { OrgDbOrgSettingsXmlError, parseOrgDbOrgSettingsXml } from '../rules/orgDbOrgSettingsXml';
import { writeOrgDbOrgSettingsXml } from '../rules/orgDbOrgSettingsWriter';
import type { MappingDirection } from '../rules/syncTypes';
import {
  ENVIRONMENT_PREFIX,
  SETTINGS,
  settingKey,
  storedValue,
  toDraft,
  validateSetting,
  type DraftValue,
  type SettingDefinition,
  type SettingProblem,
} from './settingsCatalog';

export type OrgDbRead =
  | { readonly ok: true; readonly settings: ReadonlyMap<string, string> }
  | { readonly ok: false; readonly error: string };

export interface AdminSnapshot {
  readonly access: AdminAccess;
  readonly organization: OrganizationRow;
  readonly orgDb: OrgDbRead;
  readonly environment: readonly EnvironmentVariable[];
  readonly mappings: readonly SyncMappingRow[];
}

export interface Draft {
  /** By settingKey. */
  readonly values: Readonly<Record<string, DraftValue>>;
  /** `tic_` variables (by schema name) that have, or will have, no value row: their default applies. */
  readonly environmentDefaults: ReadonlySet<string>;
  /** By mappingKey. */
  readonly directions: Readonly<Record<string, MappingDirection>>;
}

export async function loadSnapshot(port: CrmAdminPort): Promise<AdminSnapshot> {
  const [access, organization, environment, mappings] = await Promise.all([
    port.readAccess(),
    port.readOrganization(),
    port.readEnvironmentVariables(),
    port.readSyncMappings(),
  ]);
  return { access, organization, orgDb: readOrgDb(organization.orgdborgsettings), environment, mappings };
}

function readOrgDb(xml: string): OrgDbRead {
  try {
    return { ok: true, settings: parseOrgDbOrgSettingsXml(xml) };
  } catch (error) {
    if (error instanceof OrgDbOrgSettingsXmlError) return { ok: false, error: error.message };
    throw error;
  }
}

export const mappingKey = (m: Pick<SyncMappingRow, 'entity' | 'crmAttribute' | 'exchangeProperty'>): string =>
  `${m.entity}:${m.crmAttribute}:${m.exchangeProperty}`;

export const environmentName = (definition: SettingDefinition): string =>
  `${ENVIRONMENT_PREFIX}${definition.name}`;

export function environmentVariableOf(
  snapshot: AdminSnapshot,
  definition: SettingDefinition,
): EnvironmentVariable | undefined {
  const name = environmentName(definition).toLowerCase();
  return snapshot.environment.find((v) => v.schemaName.toLowerCase() === name);
}

/** A `tic_` variable's default: its definition's, else the spec's. */
export function environmentDefault(snapshot: AdminSnapshot, definition: SettingDefinition): DraftValue {
  const variable = environmentVariableOf(snapshot, definition);
  return toDraft(definition.type, variable?.defaultValue ?? definition.defaultValue);
}

function storedDraftValue(snapshot: AdminSnapshot, definition: SettingDefinition): DraftValue {
  const read = (value: SettingValue | string | undefined): DraftValue =>
    toDraft(definition.type, value === null || value === undefined ? definition.defaultValue : value);
  switch (definition.source) {
    case 'organization':
      return read(snapshot.organization.columns[definition.name]);
    case 'orgDb':
      return read(snapshot.orgDb.ok ? snapshot.orgDb.settings.get(definition.name) : undefined);
    case 'environment': {
      const variable = environmentVariableOf(snapshot, definition);
      return variable?.value !== null && variable?.value !== undefined
        ? read(variable.value)
        : environmentDefault(snapshot, definition);
    }
  }
}

/** The draft of what was read: nothing changed yet. */
export function storedDraft(snapshot: AdminSnapshot): Draft {
  const values: Record<string, DraftValue> = {};
  for (const definition of SETTINGS) values[settingKey(definition)] = storedDraftValue(snapshot, definition);
  const environmentDefaults = new Set(
    SETTINGS.filter((d) => d.source === 'environment')
      .filter((d) => (environmentVariableOf(snapshot, d)?.value ?? null) === null)
      .map(environmentName),
  );
  const directions: Record<string, MappingDirection> = {};
  for (const mapping of snapshot.mappings) directions[mappingKey(mapping)] = mapping.direction;
  return { values, environmentDefaults, directions };
}

export function editValue(draft: Draft, definition: SettingDefinition, value: DraftValue): Draft {
  const environmentDefaults = new Set(draft.environmentDefaults);
  if (definition.source === 'environment') environmentDefaults.delete(environmentName(definition));
  return { ...draft, values: { ...draft.values, [settingKey(definition)]: value }, environmentDefaults };
}

/** The variable goes back to its definition's default: its value row is removed on save. */
export function useEnvironmentDefault(
  draft: Draft,
  snapshot: AdminSnapshot,
  definition: SettingDefinition,
): Draft {
  const environmentDefaults = new Set(draft.environmentDefaults).add(environmentName(definition));
  const values = { ...draft.values, [settingKey(definition)]: environmentDefault(snapshot, definition) };
  return { ...draft, values, environmentDefaults };
}

/** A direction outside what the mapping allows is not taken (the page offers only those). */
export function editDirection(draft: Draft, mapping: SyncMappingRow, direction: MappingDirection): Draft {
  if (!mapping.allowed.includes(direction)) return draft;
  return { ...draft, directions: { ...draft.directions, [mappingKey(mapping)]: direction } };
}

/** The problems of the draft by settingKey; only settings that changed are checked (chosen: a stored
 * value the page would refuse, written by another tool, does not block saving something else). */
export function draftProblems(snapshot: AdminSnapshot, draft: Draft): ReadonlyMap<string, SettingProblem> {
  const stored = storedDraft(snapshot);
  const problems = new Map<string, SettingProblem>();
  for (const definition of SETTINGS) {
    const key = settingKey(definition);
    const value = draft.values[key] as DraftValue;
    if (value === stored.values[key]) continue;
    const problem = validateSetting(definition.type, value);
    if (problem) problems.set(key, problem);
  }
  return problems;
}

const changed = (draft: Draft, stored: Draft, definition: SettingDefinition): boolean =>
  draft.values[settingKey(definition)] !== stored.values[settingKey(definition)];

/** The OrgDBOrgSettings values the draft changes, as the XML writes them. */
export function orgDbChanges(snapshot: AdminSnapshot, draft: Draft): ReadonlyMap<string, string> {
  const stored = storedDraft(snapshot);
  const changes = new Map<string, string>();
  for (const definition of SETTINGS.filter((d) => d.source === 'orgDb' && changed(draft, stored, d))) {
    changes.set(
      definition.name,
      String(storedValue(definition, draft.values[settingKey(definition)] as DraftValue)),
    );
  }
  return changes;
}

/**
 * The one change set of a save: only what differs from what was read. A draft with problems has no
 * change set (the caller shows them); neither does an OrgDBOrgSettings edit over a stored XML the
 * reader refused, which the page never offers (it would overwrite settings nobody could read).
 */
export function changesFrom(snapshot: AdminSnapshot, draft: Draft): AdminChanges {
  const stored = storedDraft(snapshot);
  const columns: Record<string, SettingValue> = {};
  for (const definition of SETTINGS.filter((d) => d.source === 'organization' && changed(draft, stored, d))) {
    columns[definition.name] = storedValue(definition, draft.values[settingKey(definition)] as DraftValue);
  }
  const xmlChanges = orgDbChanges(snapshot, draft);
  const orgdborgsettings =
    xmlChanges.size > 0
      ? writeOrgDbOrgSettingsXml(snapshot.organization.orgdborgsettings, xmlChanges)
      : undefined;

  const environmentVariables: EnvironmentVariableChange[] = [];
  for (const definition of SETTINGS.filter((d) => d.source === 'environment')) {
    const name = environmentName(definition);
    const variable = environmentVariableOf(snapshot, definition);
    const toDefault = draft.environmentDefaults.has(name);
    const wasDefault = stored.environmentDefaults.has(name);
    if (toDefault && wasDefault) continue;
    if (!toDefault && !wasDefault && !changed(draft, stored, definition)) continue;
    environmentVariables.push({
      schemaName: variable?.schemaName ?? name,
      definitionId: variable?.definitionId ?? null,
      valueId: variable?.valueId ?? null,
      value: toDefault
        ? null
        : String(storedValue(definition, draft.values[settingKey(definition)] as DraftValue)),
      // The row as read: a value row changed by someone else since is a 412, not overwritten.
      etag: variable?.etag ?? null,
      type:
        definition.type.kind === 'boolean'
          ? 'boolean'
          : definition.type.kind === 'integer'
            ? 'number'
            : 'string',
    });
  }

  const syncMappings: SyncMappingChange[] = snapshot.mappings
    .filter(
      (m) => draft.directions[mappingKey(m)] !== undefined && draft.directions[mappingKey(m)] !== m.direction,
    )
    .map((m) => ({
      entity: m.entity,
      crmAttribute: m.crmAttribute,
      exchangeProperty: m.exchangeProperty,
      mappingId: m.mappingId,
      direction: draft.directions[mappingKey(m)] as MappingDirection,
      etag: m.etag ?? null,
    }));

  const { organizationId, etag } = snapshot.organization;
  return {
    ...(Object.keys(columns).length > 0 || orgdborgsettings !== undefined
      ? {
          organization: {
            organizationId,
            etag,
            columns,
            ...(orgdborgsettings !== undefined ? { orgdborgsettings } : {}),
          },
        }
      : {}),
    ...(environmentVariables.length > 0 ? { environmentVariables } : {}),
    ...(syncMappings.length > 0 ? { syncMappings } : {}),
  };
}

export const hasChanges = (changes: AdminChanges): boolean =>
  changes.organization !== undefined ||
  changes.environmentVariables !== undefined ||
  changes.syncMappings !== undefined;

/** What the administrator changed and what is read now disagree on: a setting, or a mapping's direction. */
export type Difference =
  | { readonly kind: 'setting'; readonly definition: SettingDefinition }
  | { readonly kind: 'mapping'; readonly mapping: SyncMappingRow };

const sameSetting = (a: Draft, b: Draft, definition: SettingDefinition): boolean =>
  a.values[settingKey(definition)] === b.values[settingKey(definition)] &&
  (definition.source !== 'environment' ||
    a.environmentDefaults.has(environmentName(definition)) ===
      b.environmentDefaults.has(environmentName(definition)));

/** The settings and mappings the draft changes from what was read. */
function edits(snapshot: AdminSnapshot, draft: Draft): Difference[] {
  const stored = storedDraft(snapshot);
  const settings: Difference[] = SETTINGS.filter((d) => !sameSetting(draft, stored, d)).map((definition) => ({
    kind: 'setting',
    definition,
  }));
  const mappings: Difference[] = snapshot.mappings
    .filter((m) => (draft.directions[mappingKey(m)] ?? m.direction) !== m.direction)
    .map((mapping) => ({ kind: 'mapping', mapping }));
  return [...settings, ...mappings];
}

/**
 * After a save whose answer never came (or a 412 that may be our own earlier save), what was read again
 * is compared with the draft on what the administrator changed only: an edit now stored is saved,
 * whoever wrote it; a setting nobody here touched may have changed meanwhile and is not a difference.
 */
export function differencesAfterRead(
  before: AdminSnapshot,
  draft: Draft,
  after: AdminSnapshot,
): Difference[] {
  const now = storedDraft(after);
  return edits(before, draft).filter((edit) => {
    if (edit.kind === 'setting') return !sameSetting(draft, now, edit.definition);
    const key = mappingKey(edit.mapping);
    const read = after.mappings.find((m) => mappingKey(m) === key);
    return read?.direction !== draft.directions[key];
  });
}

/** What was read again, with the edits not stored yet put back on top: nothing typed is lost. */
export function draftOver(after: AdminSnapshot, differences: readonly Difference[], draft: Draft): Draft {
  const now = storedDraft(after);
  const values = { ...now.values };
  const environmentDefaults = new Set(now.environmentDefaults);
  const directions = { ...now.directions };
  for (const difference of differences) {
    if (difference.kind === 'mapping') {
      const key = mappingKey(difference.mapping);
      const direction = draft.directions[key];
      if (direction !== undefined) directions[key] = direction;
      continue;
    }
    const { definition } = difference;
    values[settingKey(definition)] = draft.values[settingKey(definition)] as DraftValue;
    const name = environmentName(definition);
    if (definition.source === 'environment') {
      if (draft.environmentDefaults.has(name)) environmentDefaults.add(name);
      else environmentDefaults.delete(name);
    }
  }
  return { values, environmentDefaults, directions };
}
