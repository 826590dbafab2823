/**
 * The admin page's CRM adapter (src/crm/adminAdapter.ts, CrmAdminPort) against the Dataverse
 * emulator's demo organization: what it reads, a save of every part in one change set, and the
 * all-or-nothing failures (403 as Sam the Salesperson, 412 on a stale etag). Each test that writes
 * starts its own emulator, so no test depends on another's writes.
 */
import type { Emulator } from '../../emulator/server';
import { WORKBENCH, seedId } from '../../emulator/seed';
import { DataverseAdmin, missingPrivilege } from '../../src/crm/adminAdapter';
import type { AdminChanges, EnvironmentVariable, SyncMappingRow } from '../../src/crm/adminPort';
import { NO_TOKEN } from '../../src/crm/auth';
import { DataverseHttp } from '../../src/crm/dataverseHttp';
import { CrmConflictError, CrmForbiddenError } from '../../src/crm/errors';
import { SYNC_FIELDS } from '../../src/rules/syncFieldCatalog';
import { startDemoEmulator } from '../support/demoEmulator';

const opened: Emulator[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((emu) => emu.close()));
});

/** A fresh demo organization, and the adapter on it as Dana (default) or as Sam. */
async function adminOn(
  as: 'dana' | 'sam' = 'dana',
): Promise<{ admin: DataverseAdmin; dana: DataverseAdmin; http: DataverseHttp }> {
  const emu = await startDemoEmulator('admin-adapter');
  opened.push(emu);
  const orgUrl = emu.url.replace(/\/api\/data\/v9\.2\/?$/, '');
  const danaHttp = new DataverseHttp({ orgUrl, tokens: NO_TOKEN });
  const http =
    as === 'sam'
      ? new DataverseHttp({ orgUrl, tokens: NO_TOKEN, headers: { MSCRMCallerID: WORKBENCH.sam } })
      : danaHttp;
  return { admin: new DataverseAdmin(http), dana: new DataverseAdmin(danaHttp), http };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const variable = (list: readonly EnvironmentVariable[], name: string): EnvironmentVariable => {
  const found = list.find((v) => v.schemaName === name);
  if (!found) throw new Error(`no ${name}`);
  return found;
};

const firstDefault = (rows: readonly SyncMappingRow[]): SyncMappingRow => {
  const row = rows.find(
    (r) => r.mappingId === null && r.allowed.includes('toCrm') && r.direction !== 'toCrm',
  );
  if (!row) throw new Error('no default mapping with a settable direction');
  return row;
};

describe('reading', () => {
  test('access: Dana (System Administrator) may write the organization', async () => {
    const { admin } = await adminOn('dana');
    expect(await admin.readAccess()).toEqual({ canWriteOrganization: true });
  });

  test('access: Sam (Salesperson) may not', async () => {
    const { admin } = await adminOn('sam');
    expect(await admin.readAccess()).toEqual({ canWriteOrganization: false });
  });

  test('the organization row: the §1.1 columns, its etag and the OrgDBOrgSettings XML as stored', async () => {
    const { admin } = await adminOn();
    const org = await admin.readOrganization();
    expect(org.organizationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(org.etag).toMatch(/^W\/"\d+"$/);
    expect(org.columns.trackingprefix).toBe('CRM:');
    expect(org.columns.emailcorrelationenabled).toBe(true);
    expect(org.columns).not.toHaveProperty('orgdborgsettings');
    expect(org.orgdborgsettings).toContain('<VerboseErrorsOnPromoteToCRM>1</VerboseErrorsOnPromoteToCRM>');
  });

  test('the tic_ environment variables with their types, defaults and value rows', async () => {
    const { admin } = await adminOn();
    const variables = await admin.readEnvironmentVariables();
    expect(variables.map((v) => v.schemaName)).toEqual(['tic_promoteIncomingEmail', 'tic_useTrackingToken']);
    expect(variable(variables, 'tic_promoteIncomingEmail')).toMatchObject({
      type: 'boolean',
      defaultValue: 'true',
      valueId: null,
      value: null,
    });
    expect(variable(variables, 'tic_useTrackingToken')).toMatchObject({
      valueId: seedId('envvalue:token'),
      value: 'true',
    });
  });

  test('sync mappings: without rows, every catalog field as its Microsoft default', async () => {
    const { admin } = await adminOn();
    const rows = await admin.readSyncMappings();
    const catalogSize = SYNC_FIELDS.contact.length + SYNC_FIELDS.appointment.length + SYNC_FIELDS.task.length;
    expect(rows).toHaveLength(catalogSize);
    expect(rows.every((r) => r.mappingId === null)).toBe(true);
  });
});

describe('saving: one change set', () => {
  test('organization columns, XML, variables and a mapping are all written', async () => {
    const { admin } = await adminOn();
    const org = await admin.readOrganization();
    const variables = await admin.readEnvironmentVariables();
    const mapping = firstDefault(await admin.readSyncMappings());
    const xml = org.orgdborgsettings.replace(
      '<AllowPromoteDuplicates>false<',
      '<AllowPromoteDuplicates>true<',
    );
    await admin.save({
      organization: {
        organizationId: org.organizationId,
        etag: org.etag,
        columns: { trackingprefix: 'TIC:' },
        orgdborgsettings: xml,
      },
      environmentVariables: [
        {
          schemaName: 'tic_promoteIncomingEmail',
          definitionId: variable(variables, 'tic_promoteIncomingEmail').definitionId,
          valueId: null,
          value: 'false',
        },
        {
          schemaName: 'tic_useTrackingToken',
          definitionId: variable(variables, 'tic_useTrackingToken').definitionId,
          valueId: seedId('envvalue:token'),
          etag: variable(variables, 'tic_useTrackingToken').etag,
          value: null,
        },
        { schemaName: 'tic_newSetting', definitionId: null, valueId: null, value: '42' },
      ],
      syncMappings: [{ ...mapping, direction: 'toCrm' }],
    });
    const after = await admin.readOrganization();
    expect(after.columns.trackingprefix).toBe('TIC:');
    expect(after.orgdborgsettings).toBe(xml);
    const variablesAfter = await admin.readEnvironmentVariables();
    expect(variable(variablesAfter, 'tic_promoteIncomingEmail').value).toBe('false');
    expect(variable(variablesAfter, 'tic_useTrackingToken')).toMatchObject({ valueId: null, value: null });
    expect(variable(variablesAfter, 'tic_newSetting')).toMatchObject({ type: 'number', value: '42' });
    const saved = (await admin.readSyncMappings()).find(
      (r) => r.entity === mapping.entity && r.crmAttribute === mapping.crmAttribute,
    );
    expect(saved).toMatchObject({ direction: 'toCrm' });
    expect(saved?.mappingId).not.toBeNull();
  });

  test('after the reads, a save of every part is one request: one $batch', async () => {
    const { admin, http } = await adminOn();
    const org = await admin.readOrganization();
    const variables = await admin.readEnvironmentVariables();
    const mapping = firstDefault(await admin.readSyncMappings());
    const before = http.requestCount;
    await admin.save({
      organization: { organizationId: org.organizationId, etag: org.etag, columns: { hashmaxcount: 22 } },
      environmentVariables: [
        {
          schemaName: 'tic_promoteIncomingEmail',
          definitionId: variable(variables, 'tic_promoteIncomingEmail').definitionId,
          valueId: null,
          value: 'false',
        },
      ],
      syncMappings: [{ ...mapping, direction: 'toCrm' }],
    });
    expect(http.requestCount - before).toBe(1);
  });

  test('a saved mapping row is changed in place the next time', async () => {
    const { admin } = await adminOn();
    const mapping = firstDefault(await admin.readSyncMappings());
    await admin.save({ syncMappings: [{ ...mapping, direction: 'toCrm' }] });
    const row = (await admin.readSyncMappings()).find(
      (r) => r.crmAttribute === mapping.crmAttribute && r.entity === mapping.entity,
    );
    await admin.save({ syncMappings: [{ ...(row as SyncMappingRow), direction: 'none' }] });
    const again = (await admin.readSyncMappings()).filter(
      (r) => r.crmAttribute === mapping.crmAttribute && r.entity === mapping.entity,
    );
    expect(again).toEqual([expect.objectContaining({ mappingId: row?.mappingId, direction: 'none' })]);
  });

  test('names OrgDBOrgSettings does not know survive a save', async () => {
    const { admin } = await adminOn();
    const org = await admin.readOrganization();
    const xml = org.orgdborgsettings.replace(
      '</OrgSettings>',
      '<SomeFutureSetting>7</SomeFutureSetting></OrgSettings>',
    );
    await admin.save({
      organization: {
        organizationId: org.organizationId,
        etag: org.etag,
        columns: {},
        orgdborgsettings: xml,
      },
    });
    const next = await admin.readOrganization();
    await admin.save({
      organization: { organizationId: next.organizationId, etag: next.etag, columns: { hashmaxcount: 25 } },
    });
    expect((await admin.readOrganization()).orgdborgsettings).toContain(
      '<SomeFutureSetting>7</SomeFutureSetting>',
    );
  });
});

describe('saving: all or nothing', () => {
  test('as a Salesperson: 403 naming the missing privilege, and nothing is written, variables included', async () => {
    const { admin, dana } = await adminOn('sam');
    const org = await dana.readOrganization();
    const variables = await dana.readEnvironmentVariables();
    const changes: AdminChanges = {
      environmentVariables: [
        {
          schemaName: 'tic_promoteIncomingEmail',
          definitionId: variable(variables, 'tic_promoteIncomingEmail').definitionId,
          valueId: null,
          value: 'false',
        },
      ],
      organization: {
        organizationId: org.organizationId,
        etag: org.etag,
        columns: { trackingprefix: 'SAM:' },
      },
    };
    const error = await rejection(admin.save(changes));
    expect(error).toBeInstanceOf(CrmForbiddenError);
    expect(missingPrivilege(error)).toMatch(/^prv(Write|Create)/);
    expect((await dana.readOrganization()).columns.trackingprefix).toBe('CRM:');
    expect(await dana.readEnvironmentVariables()).toEqual(variables);
  });

  test('the 403 names the organization privilege when the organization is the first write', async () => {
    const { admin, dana } = await adminOn('sam');
    const org = await dana.readOrganization();
    const error = await rejection(
      admin.save({
        organization: { organizationId: org.organizationId, etag: org.etag, columns: { hashmaxcount: 3 } },
      }),
    );
    expect(missingPrivilege(error)).toBe('prvWriteOrganization');
  });

  test('a stale etag is a 412 CrmConflictError and the rest of the change set is not written', async () => {
    const { admin } = await adminOn();
    const stale = await admin.readOrganization();
    await admin.save({
      organization: { organizationId: stale.organizationId, etag: stale.etag, columns: { hashmaxcount: 30 } },
    });
    const variables = await admin.readEnvironmentVariables();
    const error = await rejection(
      admin.save({
        organization: {
          organizationId: stale.organizationId,
          etag: stale.etag,
          columns: { trackingprefix: 'LATE:' },
        },
        environmentVariables: [
          {
            schemaName: 'tic_promoteIncomingEmail',
            definitionId: variable(variables, 'tic_promoteIncomingEmail').definitionId,
            valueId: null,
            value: 'false',
          },
        ],
      }),
    );
    expect(error).toBeInstanceOf(CrmConflictError);
    expect((await admin.readOrganization()).columns.trackingprefix).toBe('CRM:');
    expect(await admin.readEnvironmentVariables()).toEqual(variables);
  });

  test('a new definition takes the type the change names, not one guessed from its value', async () => {
    const { admin } = await adminOn();
    await admin.save({
      environmentVariables: [
        { schemaName: 'tic_labelPrefix', definitionId: null, valueId: null, value: '42', type: 'string' },
      ],
    });
    const created = variable(await admin.readEnvironmentVariables(), 'tic_labelPrefix');
    expect(created).toMatchObject({ type: 'string', value: '42' });
  });

  test('the reads give the etags a save sends back: the value row, the definition, the mapping row', async () => {
    const { admin } = await adminOn();
    const token = variable(await admin.readEnvironmentVariables(), 'tic_useTrackingToken');
    expect(token).toMatchObject({
      etag: expect.stringMatching(/^W\/"\d+"$/),
      definitionEtag: expect.stringMatching(/^W\/"\d+"$/),
    });
    const mapping = firstDefault(await admin.readSyncMappings());
    await admin.save({ syncMappings: [{ ...mapping, direction: 'toCrm' }] });
    const row = (await admin.readSyncMappings()).find(
      (r) => r.entity === mapping.entity && r.crmAttribute === mapping.crmAttribute,
    );
    expect(row?.etag).toMatch(/^W\/"\d+"$/);
  });

  test('nothing to save sends nothing', async () => {
    const { admin, http } = await adminOn();
    const before = http.requestCount;
    await admin.save({});
    expect(http.requestCount).toBe(before);
  });
});
