/**
 * The emulator's security model and the admin page's tables, driven by a Dataverse client we did not
 * write (DynamicsWebApi, `dynamics-web-api` v2): RetrieveUserPrivilegeByPrivilegeName, the 403 a user
 * without prvWriteOrganization gets, a change set rolled back whole by it, the N:N
 * `systemuserroles_association`, and sync mapping directions held to `allowedsyncdirection`. The client
 * acts as Sam through its `impersonate` option (the MSCRMCallerID header Dataverse documents).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamicsWebApi } from 'dynamics-web-api';
import { startEmulator, type Emulator } from '../../emulator/server';
import { DEMO, ROLES, WORKBENCH, seedId } from '../../emulator/seed';
import { dynamicsWebApiOn } from '../support/dataverseClients';
import { startDemoEmulator } from '../support/demoEmulator';

let emu: Emulator;
let dana: DynamicsWebApi;
let sam: DynamicsWebApi;

type Row = Record<string, unknown>;
interface RolePrivilege {
  readonly PrivilegeName: string;
  readonly Depth: string;
  readonly PrivilegeId: string;
}

beforeAll(async () => {
  emu = await startDemoEmulator('admin-emulator');
  dana = dynamicsWebApiOn(emu);
  sam = new DynamicsWebApi({
    serverUrl: emu.url.replace(/\/api\/data\/v9\.2$/, ''),
    dataApi: { version: '9.2' },
    onTokenRefresh: async () => 'token',
    impersonate: WORKBENCH.sam,
  });
});

afterAll(async () => {
  await emu?.close();
});

async function failure(
  promise: Promise<unknown>,
): Promise<{ status: number; code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { status: number; code: string; message: string };
  }
  throw new Error('expected the call to fail');
}

async function privileges(userId: string, name: string): Promise<RolePrivilege[]> {
  const answer = await dana.callFunction<{ RolePrivileges: RolePrivilege[] }>({
    name: 'Microsoft.Dynamics.CRM.RetrieveUserPrivilegeByPrivilegeName',
    collection: 'systemusers',
    key: userId,
    parameters: { PrivilegeName: name },
  });
  return answer.RolePrivileges;
}

async function organization(): Promise<Row> {
  const answer = await dana.retrieveMultiple<Row>({
    collection: 'organizations',
    select: ['organizationid', 'trackingprefix', 'hashmaxcount'],
  });
  return answer.value[0] as Row;
}

describe('RetrieveUserPrivilegeByPrivilegeName (bound to systemuser)', () => {
  test('a System Administrator holds prvWriteOrganization: RolePrivileges names it', async () => {
    const held = await privileges(DEMO.me, 'prvWriteOrganization');
    expect(held.map((p) => p.PrivilegeName)).toEqual(['prvWriteOrganization']);
    expect(held[0]?.Depth).toBe('Global');
  });

  test('a Salesperson does not: RolePrivileges is empty', async () => {
    expect(await privileges(WORKBENCH.sam, 'prvWriteOrganization')).toEqual([]);
  });

  test('a privilege name no role grants answers an empty collection, not an error', async () => {
    expect(await privileges(DEMO.me, 'prvNoSuchThing')).toEqual([]);
  });
});

describe('writes that need a privilege', () => {
  test('updating the organization without prvWriteOrganization is 403 0x80040220 naming the privilege', async () => {
    const before = await organization();
    const error = await failure(
      sam.update({
        collection: 'organizations',
        key: before.organizationid as string,
        data: { trackingprefix: 'SAM:' },
      }),
    );
    expect(error.status).toBe(403);
    expect(error.code).toBe('0x80040220');
    expect(error.message).toContain('is missing prvWriteOrganization privilege');
    expect((await organization()).trackingprefix).toBe(before.trackingprefix);
  });

  test('a System Administrator updates the organization', async () => {
    const before = await organization();
    await dana.update({
      collection: 'organizations',
      key: before.organizationid as string,
      data: { hashmaxcount: 21 },
    });
    expect((await organization()).hashmaxcount).toBe(21);
    await dana.update({
      collection: 'organizations',
      key: before.organizationid as string,
      data: { hashmaxcount: before.hashmaxcount },
    });
  });

  test('a Salesperson may not create an environment variable value either', async () => {
    const error = await failure(
      sam.create({
        collection: 'environmentvariablevalues',
        data: {
          schemaname: 'tic_promoteIncomingEmail',
          value: 'false',
          'EnvironmentVariableDefinitionId@odata.bind': `/environmentvariabledefinitions(${seedId('env:promote')})`,
        },
      }),
    );
    expect(error.status).toBe(403);
    expect(error.message).toContain('prvCreateEnvironmentVariableValue');
  });

  test('a change set holding a refused write is rolled back whole, its allowed parts too', async () => {
    const org = await organization();
    sam.startBatch();
    sam.create({
      collection: 'contacts',
      data: { lastname: 'AdminRollback', emailaddress1: 'admin.rollback@x.example' },
    });
    sam.update({
      collection: 'organizations',
      key: org.organizationid as string,
      data: { trackingprefix: 'X:' },
    });
    let rejected: unknown;
    try {
      await sam.executeBatch();
    } catch (error) {
      rejected = error;
    }
    expect(Array.isArray(rejected)).toBe(true);
    const statuses = (rejected as { status?: number }[])
      .filter((e) => e instanceof Error)
      .map((e) => e.status);
    expect(statuses).toEqual([403]);
    const left = await dana.retrieveMultiple<Row>({
      collection: 'contacts',
      filter: "emailaddress1 eq 'admin.rollback@x.example'",
    });
    expect(left.value).toEqual([]);
    expect((await organization()).trackingprefix).toBe(org.trackingprefix);
  });
});

describe('roles and users (the N:N systemuserroles_association)', () => {
  test("the seed makes Dana System Administrator, readable through the user's roles", async () => {
    const roles = await dana.retrieveMultiple<Row>({
      collection: `systemusers(${DEMO.me})/systemuserroles_association`,
      select: ['name'],
    });
    expect(roles.value.map((r) => r.name)).toEqual(['System Administrator']);
  });

  test('associating a role grants its privileges; disassociating takes them away', async () => {
    const association = {
      collection: 'systemusers',
      primaryKey: WORKBENCH.sam,
      relationshipName: 'systemuserroles_association',
    };
    await dana.associate({ ...association, relatedCollection: 'roles', relatedKey: ROLES.systemCustomizer });
    expect((await privileges(WORKBENCH.sam, 'prvWriteOrganization')).length).toBe(1);
    await dana.disassociate({ ...association, relatedKey: ROLES.systemCustomizer });
    expect(await privileges(WORKBENCH.sam, 'prvWriteOrganization')).toEqual([]);
  });

  test('the intersect table systemuserroles is read through its entity set', async () => {
    const links = await dana.retrieveMultiple<Row>({
      collection: 'systemuserrolescollection',
      select: ['roleid'],
      filter: `systemuserid eq ${WORKBENCH.sam}`,
    });
    expect(links.value.map((l) => l.roleid)).toEqual([ROLES.salesperson]);
  });

  test('the intersect table is not written directly: 405', async () => {
    const error = await failure(
      dana.create({
        collection: 'systemuserrolescollection',
        data: { systemuserid: DEMO.me, roleid: ROLES.salesperson },
      }),
    );
    expect(error.status).toBe(405);
  });

  test('a database seeded before the security model gets the roles when it is opened again', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tic-admin-upgrade-'));
    const dbFile = path.join(dir, 'crm.sqlite');
    try {
      const first = await startEmulator({ port: 0, dbFile, seed: 'demo' });
      for (const table of ['systemuserroles', 'roleprivileges', 'role', 'privilege']) {
        first.db.prepare(`DELETE FROM ${table}`).run();
      }
      await first.close();
      const again = await startEmulator({ port: 0, dbFile, seed: 'demo' });
      try {
        const api = dynamicsWebApiOn(again);
        const held = await api.callFunction<{ RolePrivileges: RolePrivilege[] }>({
          name: 'Microsoft.Dynamics.CRM.RetrieveUserPrivilegeByPrivilegeName',
          collection: 'systemusers',
          key: DEMO.me,
          parameters: { PrivilegeName: 'prvWriteOrganization' },
        });
        expect(held.RolePrivileges.map((p) => p.PrivilegeName)).toEqual(['prvWriteOrganization']);
      } finally {
        await again.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('syncattributemapping directions', () => {
  const mapping = (extra: Row): Promise<string | null | undefined> =>
    dana.create({
      collection: 'syncattributemappings',
      data: {
        mappingname: `admin test ${Object.values(extra).join('-')}`,
        entityname: 'contact',
        attributecrmname: 'jobtitle',
        attributeexchangename: 'JobTitle',
        ...extra,
      },
    });

  test('a direction inside allowedsyncdirection is stored', async () => {
    const id = await mapping({ allowedsyncdirection: 2, syncdirection: 2, defaultsyncdirection: 2 });
    const row = await dana.retrieve<Row>({
      collection: 'syncattributemappings',
      key: id as string,
      select: ['syncdirection'],
    });
    expect(row.syncdirection).toBe(2);
  });

  test('a direction outside allowedsyncdirection is refused with 400', async () => {
    const error = await failure(mapping({ allowedsyncdirection: 2, syncdirection: 1 }));
    expect(error.status).toBe(400);
  });

  test('an update is held to the stored allowedsyncdirection', async () => {
    const id = (await mapping({ allowedsyncdirection: 1, syncdirection: 1 })) as string;
    const error = await failure(
      dana.update({ collection: 'syncattributemappings', key: id, data: { syncdirection: 3 } }),
    );
    expect(error.status).toBe(400);
    await dana.update({ collection: 'syncattributemappings', key: id, data: { syncdirection: 0 } });
  });
});
