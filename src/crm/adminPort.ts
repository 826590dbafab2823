/**
 * What the admin page (admin.html) asks of the CRM: the System Settings on the `organizations` row, the
 * OrgDBOrgSettings XML in it, the `tic_` environment variables, and the organization's synchronized
 * field mappings, read and written. The Dataverse adapter is adminAdapter.ts; the page's model
 * (src/admin/) depends on this file only.
 *
 * Writes are all or nothing: `save` sends every change in one `$batch` change set, so a 403 on any part
 * (the user lacks prvWriteOrganization, or the right to write environment variables) or a 412 (someone
 * saved in between) leaves the organization exactly as it was. Failures are the typed CrmErrors of
 * errors.ts (CrmForbiddenError, CrmConflictError, …), never null.
 *
 * Every update carries the etag it was read with (a change without one is refused before anything is
 * sent), and every create has a key derived from what it is (the value row of a definition, the
 * mapping of an attribute), so two admins saving from the same read cannot both win: the second save
 * is a CrmConflictError.
 */
import type { MappingDirection, SyncEntity } from '../rules/syncTypes';

/** A System Settings value as Dataverse returns it (Edm.Boolean, Edm.Int32, Edm.String), or null. */
export type SettingValue = boolean | number | string | null;

export interface OrganizationRow {
  readonly organizationId: string;
  /** The row's @odata.etag, sent back as If-Match so a concurrent save is a 412, not a lost update. */
  readonly etag: string | null;
  /** The §1.1 columns by logical name (tracking.md), orgdborgsettings excepted. */
  readonly columns: Readonly<Record<string, SettingValue>>;
  /** The OrgDBOrgSettings XML exactly as stored, names the add-in does not know included. */
  readonly orgdborgsettings: string;
}

/** Dataverse's environmentvariabledefinition.type choices the `tic_` settings use. */
export type EnvironmentVariableType = 'string' | 'number' | 'boolean' | 'json';

export interface EnvironmentVariable {
  /** e.g. tic_promoteIncomingEmail */
  readonly schemaName: string;
  readonly definitionId: string;
  readonly displayName: string;
  readonly type: EnvironmentVariableType;
  readonly defaultValue: string | null;
  /** The environmentvariablevalue row that overrides the default, when there is one. */
  readonly valueId: string | null;
  readonly value: string | null;
  /** The value row's @odata.etag (null without a value row): pass it back in the change. */
  readonly etag?: string | null;
  /** The definition row's @odata.etag. */
  readonly definitionEtag?: string | null;
}

export interface SyncMappingRow {
  /** The syncattributemapping row; null for a Microsoft default the organization has no row for. */
  readonly mappingId: string | null;
  readonly entity: SyncEntity;
  /** The CRM attribute (attributecrmname). */
  readonly crmAttribute: string;
  /** The Exchange property (attributeexchangename). */
  readonly exchangeProperty: string;
  readonly direction: MappingDirection;
  /** The directions this mapping may be set to (allowedsyncdirection, or the catalog's for a default). */
  readonly allowed: readonly MappingDirection[];
  /** The mapping row's @odata.etag (null for a default without a row): pass it back in the change. */
  readonly etag?: string | null;
}

export interface AdminAccess {
  /** The user holds prvWriteOrganization (RetrieveUserPrivilegeByPrivilegeName). */
  readonly canWriteOrganization: boolean;
}

export interface OrganizationChange {
  readonly organizationId: string;
  readonly etag: string | null;
  /** Only the columns that changed. */
  readonly columns: Readonly<Record<string, SettingValue>>;
  /** The whole new XML when any OrgDBOrgSettings value changed (unknown names kept by the caller). */
  readonly orgdborgsettings?: string;
}

export interface EnvironmentVariableChange {
  readonly schemaName: string;
  /** null: the organization has no definition yet; one is created with the value. */
  readonly definitionId: string | null;
  readonly valueId: string | null;
  /** null removes the value row, so the definition's default applies again. */
  readonly value: string | null;
  /**
   * The value row's etag as read (EnvironmentVariable.etag); required when valueId is set: the
   * update or delete is a 412 when someone changed the row since.
   */
  readonly etag?: string | null;
  /** The type of a definition created by this change (definitionId null); else the value's guess. */
  readonly type?: EnvironmentVariableType;
}

export interface SyncMappingChange {
  readonly entity: SyncEntity;
  readonly crmAttribute: string;
  readonly exchangeProperty: string;
  /** null: a Microsoft default without a row; the row is created in the organization's profile. */
  readonly mappingId: string | null;
  readonly direction: MappingDirection;
  /** The row's etag as read (SyncMappingRow.etag); required when mappingId is set (412 when stale). */
  readonly etag?: string | null;
}

export interface AdminChanges {
  readonly organization?: OrganizationChange;
  readonly environmentVariables?: readonly EnvironmentVariableChange[];
  readonly syncMappings?: readonly SyncMappingChange[];
}

export interface CrmAdminPort {
  readAccess(): Promise<AdminAccess>;
  readOrganization(): Promise<OrganizationRow>;
  readEnvironmentVariables(): Promise<readonly EnvironmentVariable[]>;
  readSyncMappings(): Promise<readonly SyncMappingRow[]>;
  /** One change set: every change or none. Resolves when Dataverse has committed it. */
  save(changes: AdminChanges): Promise<void>;
}
