/**
 * A minimal Dataverse security model, enough for the admin page (issue 13): security roles (`roles`),
 * the privileges each holds (`privileges`, through the intersect `roleprivileges`), and the roles each
 * user has (the intersect `systemuserroles`, written through the N:N navigation property
 * `systemuserroles_association`, as "Associate and disassociate table rows using the Web API" shows).
 *
 * What it answers:
 * - `systemusers(<id>)/Microsoft.Dynamics.CRM.RetrieveUserPrivilegeByPrivilegeName(PrivilegeName='…')`
 *   (a function bound to systemuser; its response's `RolePrivileges` is a collection of RolePrivilege:
 *   Depth, PrivilegeId, BusinessUnitId, PrivilegeName, RecordFilterId, RecordFilterUniqueName), empty
 *   when no role of the user holds it (roles only: teams are not modelled, chosen);
 * - `GET systemusers(<id>)/systemuserroles_association` (and `roles(<id>)/systemuserroles_association`),
 *   `POST`/`GET .../systemuserroles_association/$ref`, `DELETE .../systemuserroles_association(<id>)/$ref`;
 * - the privilege check on giving or taking a role (checkRoleAssignment: prvAssignRole, and no role
 *   with a privilege the caller lacks);
 * - the privilege check on writes to the GUARDED tables (also through a navigation property's `$ref`): a caller whose roles lack `prv<Verb><Table>`
 *   gets Dataverse's 403 `0x80040220` ("Principal user (Id=…, type=8, roleCount=…) is missing
 *   prv… privilege (Id=…) on OTC=… for entity '…'"), so a change set holding it is rolled back whole.
 *
 * Only the tables the admin page writes are guarded (chosen): every other table stays open to every
 * caller, as the emulator was before, so the add-in's own tests need no roles.
 */
import type { EmulatorDb, Row } from './db';
import { BY_NAME, type EntityDef } from './metadata';
import {
  BAD_QUERY,
  type DispatchContext,
  type EmuRequest,
  type EmuResponse,
  ODataError,
  PAYLOAD_ERROR,
  json,
  methodNotAllowed,
  noContent,
  notFound,
} from './protocol';
import { disassociatedRowId, resolveEntityRef } from './url';

/** Dataverse's error code for a missing privilege (PrivilegeDenied). */
export const PRIVILEGE_DENIED = '0x80040220';

export const USER_ROLES_NAVIGATION = 'systemuserroles_association';
export const PRIVILEGE_FUNCTION = 'RetrieveUserPrivilegeByPrivilegeName';

type Verb = 'Create' | 'Write' | 'Delete';

/**
 * The tables whose writes need a privilege, with the SchemaName in the privilege's name
 * (`prvWriteOrganization`). The organization row is written only (no Create or Delete privilege).
 */
const GUARDED: Readonly<Record<string, { schema: string; verbs: readonly Verb[] }>> = {
  organization: { schema: 'Organization', verbs: ['Write'] },
  environmentvariabledefinition: {
    schema: 'EnvironmentVariableDefinition',
    verbs: ['Create', 'Write', 'Delete'],
  },
  environmentvariablevalue: { schema: 'EnvironmentVariableValue', verbs: ['Create', 'Write', 'Delete'] },
  // The admin page's mapping table writes both (a profile is created when the organization has none).
  syncattributemappingprofile: {
    schema: 'SyncAttributeMappingProfile',
    verbs: ['Create', 'Write', 'Delete'],
  },
  syncattributemapping: { schema: 'SyncAttributeMapping', verbs: ['Create', 'Write', 'Delete'] },
};

/**
 * Giving a user a security role: the Security Role table's Assign privilege (Microsoft's "Create
 * administrative user and prevent elevation of security role privilege" sets Create/Read/Write/
 * Delete/Append/Append To/Assign on Security Role for a user who assigns roles; the association is
 * checked against prvAssignRole, chosen).
 */
export const ASSIGN_ROLE = 'prvAssignRole';

/** Every privilege the emulator knows: the GUARDED ones, their Read counterparts, and ASSIGN_ROLE. */
export const PRIVILEGE_NAMES: readonly string[] = [
  ...Object.values(GUARDED).flatMap(({ schema, verbs }) => [
    `prvRead${schema}`,
    ...verbs.map((verb) => `prv${verb}${schema}`),
  ]),
  ASSIGN_ROLE,
];

/**
 * The predefined roles the demo organization has, each with the privileges it holds among
 * PRIVILEGE_NAMES. System Administrator has the full set (Microsoft: "This role has the full set of
 * privileges"). System Customizer writes the organization and the environment variables (chosen:
 * after the brief of issue 13; Microsoft's per-role default privilege tables were not checked for
 * these three tables). Salesperson reads them only.
 */
export const PREDEFINED_ROLES: Readonly<Record<string, readonly string[]>> = {
  'System Administrator': PRIVILEGE_NAMES,
  // Customizes the system, does not manage users (chosen: no role assignment).
  'System Customizer': PRIVILEGE_NAMES.filter((name) => name !== ASSIGN_ROLE),
  Salesperson: PRIVILEGE_NAMES.filter((name) => name.startsWith('prvRead')),
};

/** PrivilegeDepth of every privilege the seed grants (chosen: Global, as an organization-wide setting has). */
const DEPTH_GLOBAL = 8;
const DEPTH_NAMES: Readonly<Record<number, string>> = { 1: 'Basic', 2: 'Local', 4: 'Deep', 8: 'Global' };

/**
 * Seeds the privileges and PREDEFINED_ROLES, ids from `idOf` (stable hashes of their names). Only
 * what is missing is inserted, so a file seeded by an older emulator gets the privileges added since.
 */
export function seedSecurity(db: EmulatorDb, idOf: (name: string) => string, businessUnitId: string): void {
  for (const name of PRIVILEGE_NAMES) {
    if (!db.get('privilege', idOf(`privilege:${name}`))) {
      db.insert('privilege', { privilegeid: idOf(`privilege:${name}`), name });
    }
  }
  for (const [role, privileges] of Object.entries(PREDEFINED_ROLES)) {
    const roleId = idOf(`role:${role}`);
    if (!db.get('role', roleId)) {
      db.insert('role', {
        roleid: roleId,
        name: role,
        _businessunitid_value: businessUnitId,
        _businessunitid_type: 'businessunit',
      });
    }
    for (const name of privileges) {
      if (db.get('roleprivileges', idOf(`roleprivilege:${role}:${name}`))) continue;
      db.insert('roleprivileges', {
        roleprivilegeid: idOf(`roleprivilege:${role}:${name}`),
        roleid: roleId,
        privilegeid: idOf(`privilege:${name}`),
        privilegedepthmask: DEPTH_GLOBAL,
      });
    }
  }
}

/** Gives a user a role (what `POST systemusers(id)/systemuserroles_association/$ref` does). */
export function assignRole(db: EmulatorDb, userId: string, roleId: string): void {
  const exists = db
    .prepare('SELECT 1 FROM systemuserroles WHERE systemuserid = ? AND roleid = ?')
    .get(userId.toLowerCase(), roleId.toLowerCase());
  if (!exists) {
    db.insert('systemuserroles', { systemuserid: userId.toLowerCase(), roleid: roleId.toLowerCase() });
  }
}

interface HeldPrivilege {
  readonly privilegeid: string;
  readonly name: string;
  readonly depth: number;
  readonly businessunitid: string | null;
}

/** The privileges a user holds by name through its roles (one entry per role that grants it). */
function heldPrivileges(db: EmulatorDb, userId: string, privilegeName: string): HeldPrivilege[] {
  return db
    .prepare(
      `SELECT p.privilegeid AS privilegeid, p.name AS name, rp.privilegedepthmask AS depth,
              r._businessunitid_value AS businessunitid
         FROM systemuserroles ur
         JOIN roleprivileges rp ON rp.roleid = ur.roleid
         JOIN privilege p ON p.privilegeid = rp.privilegeid
         JOIN role r ON r.roleid = ur.roleid
        WHERE ur.systemuserid = ? AND p.name = ?
        ORDER BY r.name`,
    )
    .all(userId.toLowerCase(), privilegeName) as HeldPrivilege[];
}

function roleCount(db: EmulatorDb, userId: string): number {
  return (
    db
      .prepare('SELECT COUNT(*) AS n FROM systemuserroles WHERE systemuserid = ?')
      .get(userId.toLowerCase()) as {
      n: number;
    }
  ).n;
}

/** The privilege a write needs, or null when the table is not guarded. */
export function privilegeForWrite(entity: EntityDef, verb: Verb): string | null {
  const guarded = GUARDED[entity.logicalName];
  if (!guarded) return null;
  // A verb the table has no privilege for (Create or Delete on the organization) needs Write (chosen).
  return `prv${guarded.verbs.includes(verb) ? verb : 'Write'}${guarded.schema}`;
}

/**
 * Throws Dataverse's 403 when the caller's roles lack the privilege the write needs. The message
 * follows the one Dataverse returns (seen in Microsoft's troubleshooting articles and its community
 * forum), with the parts the emulator has.
 */
export function checkWritePrivilege(db: EmulatorDb, entity: EntityDef, verb: Verb, caller: string): void {
  const privilege = privilegeForWrite(entity, verb);
  if (privilege !== null) requirePrivilege(db, privilege, entity, caller);
}

/** Throws Dataverse's 403 naming `privilege` unless one of the caller's roles holds it. */
function requirePrivilege(db: EmulatorDb, privilege: string, entity: EntityDef, caller: string): void {
  if (heldPrivileges(db, caller, privilege).length > 0) return;
  const privilegeRow = db.prepare('SELECT privilegeid FROM privilege WHERE name = ?').get(privilege) as
    { privilegeid: string } | undefined;
  throw new ODataError(
    403,
    PRIVILEGE_DENIED,
    `Principal user (Id=${caller}, type=8, roleCount=${roleCount(db, caller)}), is missing ${privilege} ` +
      `privilege (Id=${privilegeRow?.privilegeid ?? '00000000-0000-0000-0000-000000000000'}) on ` +
      `OTC=${entity.objectTypeCode} for entity '${entity.logicalName}'. context.Caller=${caller}. ` +
      'Consider adding missed privilege to one of the principal (user/team) roles.',
  );
}

/**
 * A role may be given or taken by a caller who holds ASSIGN_ROLE and every privilege the role holds:
 * Microsoft documents that Dataverse prevents the elevation of security role privileges (an
 * administrative user cannot assign System Administrator or a role with more privileges than his
 * own). The first privilege the caller lacks is named in the 403 (chosen: the same message as a
 * missing write privilege, so a client reads both alike).
 */
export function checkRoleAssignment(db: EmulatorDb, roleId: string, caller: string): void {
  const roles = BY_NAME.get('role') as EntityDef;
  requirePrivilege(db, ASSIGN_ROLE, roles, caller);
  const lacking = db
    .prepare(
      `SELECT p.name AS name FROM roleprivileges rp JOIN privilege p ON p.privilegeid = rp.privilegeid
        WHERE rp.roleid = ? AND p.privilegeid NOT IN (
          SELECT rp2.privilegeid FROM systemuserroles ur JOIN roleprivileges rp2 ON rp2.roleid = ur.roleid
           WHERE ur.systemuserid = ?)
        ORDER BY p.name LIMIT 1`,
    )
    .get(roleId.toLowerCase(), caller.toLowerCase()) as { name: string } | undefined;
  if (lacking) requirePrivilege(db, lacking.name, roles, caller);
}

/** The verb a write request needs, from its method (PATCH may create: still Write, chosen). */
export function verbOf(method: string, onRow: boolean): Verb | null {
  if (method === 'POST') return onRow ? 'Write' : 'Create';
  if (method === 'PATCH' || method === 'PUT') return 'Write';
  if (method === 'DELETE') return 'Delete';
  return null;
}

/** `Microsoft.Dynamics.CRM.RetrieveUserPrivilegeByPrivilegeName` or the unqualified name. */
export function isPrivilegeFunction(segmentName: string): boolean {
  return segmentName.replace(/^Microsoft\.Dynamics\.CRM\./, '') === PRIVILEGE_FUNCTION;
}

/** `PrivilegeName='x'` or `PrivilegeName=@p1` with `@p1='x'` in the query → x. */
function privilegeNameParameter(parameters: string | undefined, query: ReadonlyMap<string, string>): string {
  const match = /^\s*PrivilegeName\s*=\s*(.+?)\s*$/s.exec(parameters ?? '');
  let value = match?.[1];
  if (value?.startsWith('@')) value = query.get(value);
  const literal = value === undefined ? null : /^'((?:[^']|'')*)'$/s.exec(value.trim());
  if (!literal) {
    throw new ODataError(
      400,
      BAD_QUERY,
      `${PRIVILEGE_FUNCTION} takes one parameter, PrivilegeName, a string: PrivilegeName='prvReadAccount'.`,
    );
  }
  return (literal[1] as string).replace(/''/g, "'");
}

export function retrieveUserPrivilegeByPrivilegeName(
  db: EmulatorDb,
  userId: string,
  parameters: string | undefined,
  method: string,
  query: ReadonlyMap<string, string>,
  ctx: DispatchContext,
): EmuResponse {
  if (method !== 'GET') throw methodNotAllowed(`${PRIVILEGE_FUNCTION} is a GET function.`);
  const users = BY_NAME.get('systemuser') as EntityDef;
  if (!db.get(users, userId)) throw notFound(users, userId);
  const name = privilegeNameParameter(parameters, query);
  return json(200, {
    '@odata.context': `${ctx.baseUrl}/$metadata#Microsoft.Dynamics.CRM.RetrieveUserPrivilegeByPrivilegeNameResponse`,
    RolePrivileges: heldPrivileges(db, userId, name).map((p) => ({
      Depth: DEPTH_NAMES[p.depth] ?? 'Global',
      PrivilegeId: p.privilegeid,
      BusinessUnitId: p.businessunitid,
      PrivilegeName: p.name,
      // RolePrivilege's record filter (a privilege scoped by a record filter); the emulator has none.
      RecordFilterId: null,
      RecordFilterUniqueName: null,
    })),
  });
}

/** The N:N `systemuserroles_association`, on systemuser (→ roles) and on role (→ users). */
export function isUserRolesNavigation(entity: EntityDef, navigation: string): boolean {
  return (
    navigation === USER_ROLES_NAVIGATION &&
    (entity.logicalName === 'systemuser' || entity.logicalName === 'role')
  );
}

/**
 * `GET <set>(id)/systemuserroles_association` (the related rows), and on `.../$ref` POST (associate),
 * GET (the references) and DELETE (disassociate, by key or `$id`). Writes answer 204; associating
 * twice is no error (chosen: Dataverse answers a duplicate association with an error this emulator
 * does not reproduce).
 */
export function userRolesNavigation(
  db: EmulatorDb,
  entity: EntityDef,
  id: string,
  relatedKey: string | undefined,
  isRef: boolean,
  req: EmuRequest,
  query: ReadonlyMap<string, string>,
  ctx: DispatchContext,
  format: (target: EntityDef, row: Row) => Record<string, unknown>,
): EmuResponse {
  const method = req.method.toUpperCase();
  if (!db.get(entity, id)) throw notFound(entity, id);
  const fromUser = entity.logicalName === 'systemuser';
  const target = BY_NAME.get(fromUser ? 'role' : 'systemuser') as EntityDef;
  const [mine, theirs] = fromUser ? ['systemuserid', 'roleid'] : ['roleid', 'systemuserid'];
  const related = (): Row[] =>
    db
      .prepare(
        `SELECT t.* FROM systemuserroles ur JOIN "${target.logicalName}" t ON t."${target.primaryKey}" = ur.${theirs}
          WHERE ur.${mine} = ? ORDER BY t."${target.primaryKey}"`,
      )
      .all(id) as Row[];
  const link = (relatedId: string, on: boolean): void => {
    db.transaction(() => {
      if (!db.get(target, relatedId)) throw notFound(target, relatedId);
      const [userId, roleId] = fromUser ? [id, relatedId] : [relatedId, id];
      checkRoleAssignment(db, roleId, ctx.caller);
      if (on) assignRole(db, userId, roleId);
      else {
        db.prepare('DELETE FROM systemuserroles WHERE systemuserid = ? AND roleid = ?').run(userId, roleId);
      }
    });
  };

  if (!isRef) {
    if (method !== 'GET' || relatedKey !== undefined) {
      throw methodNotAllowed(`Use GET on '${USER_ROLES_NAVIGATION}', or its $ref to change it.`);
    }
    return json(200, {
      '@odata.context': `${ctx.baseUrl}/$metadata#${target.entitySet}`,
      value: related().map((row) => format(target, row)),
    });
  }
  if (method === 'GET') {
    return json(200, {
      '@odata.context': `${ctx.baseUrl}/$metadata#Collection($ref)`,
      value: related().map((row) => ({
        '@odata.id': `${ctx.baseUrl}/${target.entitySet}(${String(row[target.primaryKey])})`,
      })),
    });
  }
  if (method === 'POST') {
    if (relatedKey !== undefined)
      throw methodNotAllowed('POST a reference to the collection, without a key.');
    const body = JSON.parse(req.body || '{}') as Record<string, unknown>;
    const ref = body['@odata.id'];
    if (typeof ref !== 'string') {
      throw new ODataError(400, PAYLOAD_ERROR, 'A $ref body must be {"@odata.id": "<entity URL>"}.');
    }
    link(resolveEntityRef(db, ref, target.logicalName, ctx, '@odata.id'), true);
    return noContent();
  }
  if (method === 'DELETE') {
    link(disassociatedRowId(db, target, USER_ROLES_NAVIGATION, relatedKey, query.get('$id'), ctx), false);
    return noContent();
  }
  throw methodNotAllowed(`Use POST, GET or DELETE on a collection-valued navigation property's $ref.`);
}

/** The intersect tables are read-only through their entity sets, as in Dataverse (chosen code). */
export function refuseIntersectWrite(entity: EntityDef, method: string): void {
  if (method === 'GET') return;
  if (entity.logicalName === 'systemuserroles' || entity.logicalName === 'roleprivileges') {
    throw methodNotAllowed(
      `The intersect table '${entity.logicalName}' cannot be written directly: associate the rows instead.`,
    );
  }
}
