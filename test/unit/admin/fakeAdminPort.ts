/** A CrmAdminPort in memory: what was read, and every change set the page sent. */
import type {
  AdminAccess,
  AdminChanges,
  CrmAdminPort,
  EnvironmentVariable,
  OrganizationRow,
  SyncMappingRow,
} from '../../../src/crm/adminPort';

export const STORED_XML =
  '<OrgSettings><FutureSetting>keep me</FutureSetting><AllowPromoteDuplicates>false</AllowPromoteDuplicates></OrgSettings>';

export function organizationRow(overrides: Partial<OrganizationRow> = {}): OrganizationRow {
  return {
    organizationId: 'org-1',
    etag: 'W/"1"',
    columns: {
      trackingprefix: 'CRM:',
      tagpollingperiod: 10,
      enablesmartmatching: false,
      ignoreinternalemail: false,
    },
    orgdborgsettings: STORED_XML,
    ...overrides,
  };
}

export const ENVIRONMENT: readonly EnvironmentVariable[] = [
  {
    schemaName: 'tic_promoteIncomingEmail',
    definitionId: 'def-promote',
    displayName: 'Promote incoming email',
    type: 'boolean',
    defaultValue: 'true',
    valueId: null,
    value: null,
  },
  {
    schemaName: 'tic_useTrackingToken',
    definitionId: 'def-token',
    displayName: 'Use tracking token',
    type: 'boolean',
    defaultValue: 'true',
    valueId: 'value-token',
    value: 'true',
    etag: 'W/"7"',
  },
];

export const MAPPINGS: readonly SyncMappingRow[] = [
  {
    mappingId: 'map-1',
    entity: 'contact',
    crmAttribute: 'jobtitle',
    exchangeProperty: 'jobTitle',
    direction: 'both',
    allowed: ['none', 'toOutlook', 'toCrm', 'both'],
  },
  {
    mappingId: null,
    entity: 'contact',
    crmAttribute: 'fullname',
    exchangeProperty: 'displayName',
    direction: 'toOutlook',
    allowed: ['none', 'toOutlook'],
  },
];

export class FakeAdminPort implements CrmAdminPort {
  readonly saved: AdminChanges[] = [];
  saveFailure: Error | null = null;
  access: AdminAccess = { canWriteOrganization: true };
  organization: OrganizationRow = organizationRow();
  environment: readonly EnvironmentVariable[] = ENVIRONMENT;
  mappings: readonly SyncMappingRow[] = MAPPINGS;

  readAccess = async (): Promise<AdminAccess> => this.access;
  readOrganization = async (): Promise<OrganizationRow> => this.organization;
  readEnvironmentVariables = async (): Promise<readonly EnvironmentVariable[]> => this.environment;
  readSyncMappings = async (): Promise<readonly SyncMappingRow[]> => this.mappings;
  save = async (changes: AdminChanges): Promise<void> => {
    this.saved.push(changes);
    if (this.saveFailure) throw this.saveFailure;
  };
}
