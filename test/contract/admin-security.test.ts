/**
 * The emulator's security model holds on every way the admin page's tables can be written, not only on
 * the entity set: the sync mapping tables are guarded like the organization row, a `$ref` on a guarded
 * row needs its Write privilege, and a role is given only by someone allowed to assign roles who holds
 * every privilege the role grants (Microsoft: Dataverse prevents the elevation of security role
 * privileges). Sam (Salesperson) acts through MSCRMCallerID; each test starts its own emulator.
 */
import type { Emulator } from '../../emulator/server';
import { DEMO, ROLES, WORKBENCH, seedId } from '../../emulator/seed';
import { DataverseAdmin, missingPrivilege } from '../../src/crm/adminAdapter';
import { NO_TOKEN } from '../../src/crm/auth';
import { DataverseHttp } from '../../src/crm/dataverseHttp';
import { CrmForbiddenError } from '../../src/crm/errors';
import { startDemoEmulator } from '../support/demoEmulator';

const opened: Emulator[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((emu) => emu.close()));
});

async function organizationAs(): Promise<{
  emu: Emulator;
  dana: DataverseAdmin;
  sam: DataverseAdmin;
}> {
  const emu = await startDemoEmulator('admin-security');
  opened.push(emu);
  const orgUrl = emu.url.replace(/\/api\/data\/v9\.2\/?$/, '');
  const dana = new DataverseAdmin(new DataverseHttp({ orgUrl, tokens: NO_TOKEN }));
  const sam = new DataverseAdmin(
    new DataverseHttp({ orgUrl, tokens: NO_TOKEN, headers: { MSCRMCallerID: WORKBENCH.sam } }),
  );
  return { emu, dana, sam };
}

async function raw(emu: Emulator, method: string, path: string, as: string, body?: unknown) {
  const res = await fetch(`${emu.url}/${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', MSCRMCallerID: as },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

async function rolesOf(emu: Emulator, userId: string): Promise<string[]> {
  const answer = await raw(emu, 'GET', `systemusers(${userId})/systemuserroles_association/$ref`, DEMO.me);
  return (JSON.parse(answer.text) as { value: { '@odata.id': string }[] }).value.map((r) => r['@odata.id']);
}

test('a Salesperson cannot change the sync mappings: 403 naming the mapping privilege, nothing written', async () => {
  const { sam, dana } = await organizationAs();
  const before = await dana.readSyncMappings();
  const mapping = before.find(
    (r) => r.mappingId === null && r.allowed.includes('toCrm') && r.direction !== 'toCrm',
  );
  if (!mapping) throw new Error('no default mapping with a settable direction');
  let error: unknown = null;
  try {
    await sam.save({ syncMappings: [{ ...mapping, direction: 'toCrm' }] });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(CrmForbiddenError);
  expect(missingPrivilege(error)).toMatch(/^prvCreateSyncAttributeMapping/);
  expect(await dana.readSyncMappings()).toEqual(before);
});

test('a System Administrator can change the sync mappings', async () => {
  const { dana } = await organizationAs();
  const mapping = (await dana.readSyncMappings()).find(
    (r) => r.mappingId === null && r.allowed.includes('toCrm') && r.direction !== 'toCrm',
  );
  if (!mapping) throw new Error('no default mapping with a settable direction');
  await dana.save({ syncMappings: [{ ...mapping, direction: 'toCrm' }] });
  const saved = (await dana.readSyncMappings()).find(
    (r) => r.entity === mapping.entity && r.crmAttribute === mapping.crmAttribute,
  );
  expect(saved).toMatchObject({ direction: 'toCrm' });
});

test('a Salesperson cannot give himself a role through systemuserroles_association/$ref', async () => {
  const { emu } = await organizationAs();
  const before = await rolesOf(emu, WORKBENCH.sam);
  const answer = await raw(
    emu,
    'POST',
    `systemusers(${WORKBENCH.sam})/systemuserroles_association/$ref`,
    WORKBENCH.sam,
    {
      '@odata.id': `${emu.url}/roles(${ROLES.systemAdministrator})`,
    },
  );
  expect(answer.status).toBe(403);
  expect(answer.text).toContain('is missing prvAssignRole privilege');
  expect(await rolesOf(emu, WORKBENCH.sam)).toEqual(before);
});

test('a Salesperson cannot take a role away through systemuserroles_association(<id>)/$ref', async () => {
  const { emu } = await organizationAs();
  const answer = await raw(
    emu,
    'DELETE',
    `systemusers(${DEMO.me})/systemuserroles_association(${ROLES.systemAdministrator})/$ref`,
    WORKBENCH.sam,
  );
  expect(answer.status).toBe(403);
  expect(await rolesOf(emu, DEMO.me)).toEqual([`${emu.url}/roles(${ROLES.systemAdministrator})`]);
});

test('a user who may assign roles cannot give a role holding a privilege he lacks', async () => {
  const { emu } = await organizationAs();
  // A custom role that may assign roles and nothing else (written into the database: the emulator
  // has no AddPrivilegesRole), given to Sam next to his Salesperson role.
  const assigner = seedId('role:Role Assigner');
  emu.db.insert('role', {
    roleid: assigner,
    name: 'Role Assigner',
    _businessunitid_value: DEMO.businessUnitId,
    _businessunitid_type: 'businessunit',
  });
  emu.db.insert('roleprivileges', {
    roleprivilegeid: seedId('roleprivilege:Role Assigner'),
    roleid: assigner,
    privilegeid: seedId('privilege:prvAssignRole'),
    privilegedepthmask: 8,
  });
  emu.db.insert('systemuserroles', { systemuserid: WORKBENCH.sam, roleid: assigner });
  const toAdministrator = await raw(
    emu,
    'POST',
    `systemusers(${WORKBENCH.sam})/systemuserroles_association/$ref`,
    WORKBENCH.sam,
    {
      '@odata.id': `${emu.url}/roles(${ROLES.systemAdministrator})`,
    },
  );
  expect(toAdministrator.status).toBe(403);
  expect(toAdministrator.text).not.toContain('prvAssignRole privilege');
  expect(await rolesOf(emu, WORKBENCH.sam)).not.toContain(`${emu.url}/roles(${ROLES.systemAdministrator})`);
});

test('a user who may assign roles can give a role whose privileges he holds', async () => {
  const { emu } = await organizationAs();
  const answer = await raw(
    emu,
    'POST',
    `systemusers(${WORKBENCH.sam})/systemuserroles_association/$ref`,
    DEMO.me,
    {
      '@odata.id': `${emu.url}/roles(${ROLES.systemCustomizer})`,
    },
  );
  expect(answer.status).toBe(204);
  expect(await rolesOf(emu, WORKBENCH.sam)).toContain(`${emu.url}/roles(${ROLES.systemCustomizer})`);
});

test('a Salesperson cannot detach a tic_ value from its definition through $ref', async () => {
  const { emu, dana } = await organizationAs();
  const answer = await raw(
    emu,
    'DELETE',
    `environmentvariablevalues(${seedId('envvalue:token')})/EnvironmentVariableDefinitionId/$ref`,
    WORKBENCH.sam,
  );
  const after = (await dana.readEnvironmentVariables()).find((v) => v.schemaName === 'tic_useTrackingToken');
  expect({ status: answer.status, valueId: after?.valueId }).toEqual({
    status: 403,
    valueId: seedId('envvalue:token'),
  });
});

test('a Salesperson cannot attach a value to a definition through the collection $ref either', async () => {
  const { emu } = await organizationAs();
  const definitions = await raw(
    emu,
    'GET',
    `environmentvariabledefinitions?$select=environmentvariabledefinitionid&$filter=schemaname eq 'tic_promoteIncomingEmail'`,
    DEMO.me,
  );
  const definitionId = (
    JSON.parse(definitions.text) as { value: { environmentvariabledefinitionid: string }[] }
  ).value[0]?.environmentvariabledefinitionid;
  const answer = await raw(
    emu,
    'POST',
    `environmentvariabledefinitions(${definitionId})/environmentvariabledefinition_environmentvariablevalue/$ref`,
    WORKBENCH.sam,
    { '@odata.id': `${emu.url}/environmentvariablevalues(${seedId('envvalue:token')})` },
  );
  expect(answer.status).toBe(403);
});
