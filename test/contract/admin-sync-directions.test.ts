/**
 * A mapping's directions are bounded by what Dataverse stores and what Microsoft documents: the
 * emulator holds a write to the stored allowedsyncdirection (get-only in the SDK, so a PATCH cannot
 * widen it), and the admin adapter narrows a row's allowed set to the catalog's (the code cannot say
 * "both only"). Its own emulator per test.
 */
import type { Emulator } from '../../emulator/server';
import { DEMO } from '../../emulator/seed';
import { DataverseAdmin, allowedDirections } from '../../src/crm/adminAdapter';
import { NO_TOKEN } from '../../src/crm/auth';
import { DataverseHttp } from '../../src/crm/dataverseHttp';
import { DIRECTIONS } from '../../src/crm/syncShapes';
import { SYNC_FIELDS } from '../../src/rules/syncFieldCatalog';
import { startDemoEmulator } from '../support/demoEmulator';
import type { MappingDirection } from '../../src/rules/syncTypes';

const opened: Emulator[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((emu) => emu.close()));
});

async function emulator(): Promise<Emulator> {
  const emu = await startDemoEmulator('admin-sync-directions');
  opened.push(emu);
  return emu;
}

async function send(emu: Emulator, method: string, path: string, body: unknown) {
  const res = await fetch(`${emu.url}/${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', Prefer: 'return=representation', MSCRMCallerID: DEMO.me },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

/** The allowedsyncdirection code the adapter writes for a catalog set (its sides OR'ed). */
const codeOf = (allowed: readonly MappingDirection[]): number =>
  allowed.reduce((bits, d) => bits | Math.max(0, DIRECTIONS.indexOf(d)), 0);

test('a PATCH cannot widen allowedsyncdirection to pass a direction the row does not allow', async () => {
  const emu = await emulator();
  const created = await send(emu, 'POST', 'syncattributemappings', {
    mappingname: 'contact.jobtitle',
    entityname: 'contact',
    attributecrmname: 'jobtitle',
    attributeexchangename: 'JobTitle',
    allowedsyncdirection: 1,
    syncdirection: 1,
  });
  const id = created.json.syncattributemappingid as string;
  const widened = await send(emu, 'PATCH', `syncattributemappings(${id})`, {
    allowedsyncdirection: 3,
    syncdirection: 2,
  });
  expect(widened.status).toBe(400);
});

test('a PATCH within the stored allowedsyncdirection is accepted', async () => {
  const emu = await emulator();
  const created = await send(emu, 'POST', 'syncattributemappings', {
    mappingname: 'contact.jobtitle',
    entityname: 'contact',
    attributecrmname: 'jobtitle',
    attributeexchangename: 'JobTitle',
    allowedsyncdirection: 1,
    syncdirection: 1,
  });
  const id = created.json.syncattributemappingid as string;
  const narrowed = await send(emu, 'PATCH', `syncattributemappings(${id})`, { syncdirection: 0 });
  // return=representation: 200 with the row as stored.
  expect({ status: narrowed.status, direction: narrowed.json.syncdirection }).toEqual({
    status: 200,
    direction: 0,
  });
});

test('every catalog allowed set survives the allowedsyncdirection round trip', () => {
  const lossy: string[] = [];
  for (const [entity, fields] of Object.entries(SYNC_FIELDS)) {
    for (const field of fields) {
      const back = allowedDirections(codeOf(field.allowed), field.allowed);
      if ([...back].sort().join() !== [...field.allowed].sort().join()) lossy.push(`${entity}.${field.crm}`);
    }
  }
  expect(lossy).toEqual([]);
});

test('a row of a both-only field reads as both only, though its code 3 permits all four', async () => {
  const emu = await emulator();
  const bothOnly = SYNC_FIELDS.contact.find((f) => f.allowed.length === 1 && f.allowed[0] === 'both');
  if (!bothOnly) throw new Error('the catalog has no both-only contact field');
  await send(emu, 'POST', 'syncattributemappings', {
    mappingname: `contact.${bothOnly.crm}`,
    entityname: 'contact',
    attributecrmname: bothOnly.crm,
    attributeexchangename: bothOnly.outlook,
    allowedsyncdirection: 3,
    syncdirection: 3,
  });
  const orgUrl = emu.url.replace(/\/api\/data\/v9\.2\/?$/, '');
  const admin = new DataverseAdmin(new DataverseHttp({ orgUrl, tokens: NO_TOKEN }));
  const row = (await admin.readSyncMappings()).find(
    (r) => r.entity === 'contact' && r.crmAttribute === bothOnly.crm,
  );
  expect(row?.allowed).toEqual(['both']);
});
