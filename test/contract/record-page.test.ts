/**
 * The emulator's record page (emulator/recordPage.ts): the link the pane builds for a record
 * (src/taskpane/controller/format.ts recordUrl) opens a read-only HTML page of it; values are text.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/server';
import { seedId } from '../../emulator/seed';
import { recordUrl } from '../../src/taskpane/controller/format';

let emu: Emulator;
let dir: string;
let org: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tic-record-page-'));
  emu = await startEmulator({ port: 0, dbFile: path.join(dir, 'crm.sqlite'), seed: 'demo' });
  org = `http://localhost:${emu.port}`;
});

afterAll(async () => {
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

test("the pane's link to a contact opens a page with its name and fields", async () => {
  const id = seedId('contact:sam');
  const res = await fetch(recordUrl(org, { type: 'contact', id }));
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  const html = await res.text();
  expect(html).toContain('<h1 data-testid="record-name">Sam Rivera</h1>');
  expect(html).toContain('sam.rivera@fabrikam.com');
  expect(html).toContain(id);
  expect(html).not.toMatch(/<script/i);
});

test('values are escaped as text (a quote in an address, markup in a name)', async () => {
  const quoted = await (
    await fetch(recordUrl(org, { type: 'contact', id: seedId('contact:obrien') }))
  ).text();
  expect(quoted).toContain('O&#39;Brien');
  const id = '11111111-2222-3333-4444-555555555555';
  emu.db.insert('account', { accountid: id, name: '<img src=x onerror=alert(1)> & Co' });
  const html = await (await fetch(recordUrl(org, { type: 'account', id }))).text();
  expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; Co');
  expect(html).not.toContain('<img');
});

test('an unknown record, table or id is a 404 page; other methods are refused', async () => {
  const missing = await fetch(
    recordUrl(org, { type: 'contact', id: '00000000-0000-0000-0000-000000000000' }),
  );
  expect(missing.status).toBe(404);
  expect(await missing.text()).toContain('Record not found');
  const table = await fetch(
    `${org}/main.aspx?etn=%3Cb%3Enope&id=${seedId('contact:sam')}&pagetype=entityrecord`,
  );
  expect(table.status).toBe(404);
  const text = await table.text();
  expect(text).toContain('&lt;b&gt;nope');
  expect(text).not.toContain('<b>nope');
  expect((await fetch(`${org}/main.aspx?etn=contact&id=not-a-guid&pagetype=entityrecord`)).status).toBe(404);
  expect(
    (await fetch(`${org}/main.aspx?etn=contact&id=${seedId('contact:sam')}`, { method: 'POST' })).status,
  ).toBe(405);
});
