/**
 * Two admins saving from the same read cannot both win: every update the admin adapter sends carries
 * the etag it was read with (412 when stale), every create has the key of what it is (the value of a
 * definition, the mapping of an attribute, the organization's profile) so a second create fails on the
 * duplicate key, and a change without an etag is refused before anything is sent (never If-Match: *).
 * Each test starts its own emulator.
 */
import type { Emulator } from '../../emulator/server';
import { DEMO, seedId } from '../../emulator/seed';
import { DataverseAdmin } from '../../src/crm/adminAdapter';
import type { SyncMappingRow } from '../../src/crm/adminPort';
import { NO_TOKEN } from '../../src/crm/auth';
import { DataverseHttp } from '../../src/crm/dataverseHttp';
import { CrmConflictError } from '../../src/crm/errors';
import { startDemoEmulator } from '../support/demoEmulator';

const opened: Emulator[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((emu) => emu.close()));
});

/** Two admins (two adapters, as two browsers) on one fresh organization. */
async function twoAdmins(): Promise<{
  emu: Emulator;
  http: DataverseHttp;
  first: DataverseAdmin;
  second: DataverseAdmin;
}> {
  const emu = await startDemoEmulator('admin-concurrency');
  opened.push(emu);
  const orgUrl = emu.url.replace(/\/api\/data\/v9\.2\/?$/, '');
  const http = new DataverseHttp({ orgUrl, tokens: NO_TOKEN });
  return { emu, http, first: new DataverseAdmin(http), second: new DataverseAdmin(http) };
}

async function rows(emu: Emulator, path: string): Promise<unknown[]> {
  const res = await fetch(`${emu.url}/${path}`, { headers: { MSCRMCallerID: DEMO.me } });
  return ((await res.json()) as { value: unknown[] }).value;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const settable = (list: readonly SyncMappingRow[]): SyncMappingRow => {
  const row = list.find(
    (r) => r.mappingId === null && r.allowed.includes('toCrm') && r.direction !== 'toCrm',
  );
  if (!row) throw new Error('no default mapping with a settable direction');
  return row;
};

test('two admins creating the value of one tic_ variable from the same read: the second is a conflict, one row', async () => {
  const { emu, first, second } = await twoAdmins();
  const variable = (await first.readEnvironmentVariables()).find(
    (v) => v.schemaName === 'tic_promoteIncomingEmail',
  );
  if (!variable) throw new Error('no tic_promoteIncomingEmail');
  const change = (value: string) => ({
    environmentVariables: [
      { schemaName: variable.schemaName, definitionId: variable.definitionId, valueId: null, value },
    ],
  });
  await first.save(change('false'));
  expect(await rejection(second.save(change('true')))).toBeInstanceOf(CrmConflictError);
  const values = await rows(
    emu,
    `environmentvariablevalues?$select=value&$filter=_environmentvariabledefinitionid_value eq ${variable.definitionId}`,
  );
  expect(values).toEqual([expect.objectContaining({ value: 'false' })]);
});

test('two admins creating the row of one mapping from the same read: the second is a conflict, one row', async () => {
  const { first, second } = await twoAdmins();
  const mapping = settable(await first.readSyncMappings());
  await second.readSyncMappings();
  await first.save({ syncMappings: [{ ...mapping, direction: 'toCrm' }] });
  expect(await rejection(second.save({ syncMappings: [{ ...mapping, direction: 'none' }] }))).toBeInstanceOf(
    CrmConflictError,
  );
  const after = (await first.readSyncMappings()).filter(
    (r) => r.entity === mapping.entity && r.crmAttribute === mapping.crmAttribute,
  );
  expect(after).toEqual([expect.objectContaining({ direction: 'toCrm' })]);
});

test('a value row changed since it was read: the update is a 412 and keeps the newer value', async () => {
  const { first, second } = await twoAdmins();
  const read = (await first.readEnvironmentVariables()).find((v) => v.schemaName === 'tic_useTrackingToken');
  if (!read?.valueId) throw new Error('no tic_useTrackingToken value row');
  const update = (value: string) => ({
    environmentVariables: [
      {
        schemaName: read.schemaName,
        definitionId: read.definitionId,
        valueId: read.valueId,
        etag: read.etag,
        value,
      },
    ],
  });
  await first.save(update('false'));
  expect(await rejection(second.save(update('true')))).toBeInstanceOf(CrmConflictError);
  const after = (await first.readEnvironmentVariables()).find((v) => v.schemaName === 'tic_useTrackingToken');
  expect(after?.value).toBe('false');
});

test('a value row deleted from a stale read is a 412', async () => {
  const { first, second } = await twoAdmins();
  const read = (await first.readEnvironmentVariables()).find((v) => v.schemaName === 'tic_useTrackingToken');
  if (!read?.valueId) throw new Error('no tic_useTrackingToken value row');
  const base = {
    schemaName: read.schemaName,
    definitionId: read.definitionId,
    valueId: read.valueId,
    etag: read.etag,
  };
  await first.save({ environmentVariables: [{ ...base, value: 'false' }] });
  expect(await rejection(second.save({ environmentVariables: [{ ...base, value: null }] }))).toBeInstanceOf(
    CrmConflictError,
  );
});

test('a mapping row changed since it was read: the update is a 412 and keeps the newer direction', async () => {
  const { first, second } = await twoAdmins();
  const mapping = settable(await first.readSyncMappings());
  await first.save({ syncMappings: [{ ...mapping, direction: 'toCrm' }] });
  const row = (await first.readSyncMappings()).find(
    (r) => r.entity === mapping.entity && r.crmAttribute === mapping.crmAttribute,
  ) as SyncMappingRow;
  await first.save({ syncMappings: [{ ...row, direction: 'none' }] });
  expect(await rejection(second.save({ syncMappings: [{ ...row, direction: 'toCrm' }] }))).toBeInstanceOf(
    CrmConflictError,
  );
  const after = (await first.readSyncMappings()).find((r) => r.mappingId === row.mappingId);
  expect(after?.direction).toBe('none');
});

test('an update without the etag it was read with is refused before anything is sent', async () => {
  const { http, first } = await twoAdmins();
  const org = await first.readOrganization();
  const before = http.requestCount;
  await expect(
    first.save({
      organization: { organizationId: org.organizationId, etag: null, columns: { hashmaxcount: 9 } },
    }),
  ).rejects.toThrow(/no etag/);
  await expect(
    first.save({
      environmentVariables: [
        {
          schemaName: 'tic_useTrackingToken',
          definitionId: DEMO.organizationId,
          valueId: seedId('envvalue:token'),
          value: 'false',
        },
      ],
    }),
  ).rejects.toThrow(/no etag/);
  expect(http.requestCount).toBe(before);
});

test('a 412 rolls back a queued profile create and mapping create too', async () => {
  const { emu, first } = await twoAdmins();
  const stale = await first.readOrganization();
  await first.save({
    organization: { organizationId: stale.organizationId, etag: stale.etag, columns: { hashmaxcount: 30 } },
  });
  const mapping = settable(await first.readSyncMappings());
  await expect(
    first.save({
      organization: {
        organizationId: stale.organizationId,
        etag: stale.etag,
        columns: { trackingprefix: 'L:' },
      },
      syncMappings: [{ ...mapping, direction: 'toCrm' }],
    }),
  ).rejects.toBeInstanceOf(CrmConflictError);
  expect(await rows(emu, 'syncattributemappingprofiles?$select=name')).toEqual([]);
  expect(await rows(emu, 'syncattributemappings?$select=mappingname')).toEqual([]);
});
