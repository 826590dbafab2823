/**
 * The production build as a tenant hosts it: built with ADDIN_BASE_URL set to the origin of
 * scripts/serve-dist.cjs (`npm run serve:dist`), served by it with a static host's headers and CSP
 * (the harness's TIC_E2E_DIST mode), the app package written beside it as `npm run build` does.
 * The pane, loaded from that server under that CSP, tracks an email against the CRM emulator; every URL
 * the two manifests name points at the server and answers 200.
 */
import https from 'node:https';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import {
  openItem,
  openWorkbench,
  paneFrame,
  paneStatus,
  startHarness,
  type Harness,
  type Workbench,
} from './support/harness';
import { validateManifest, formatErrors } from '../../scripts/manifest-validation.cjs';
import { validateUnifiedManifestFile } from '../../scripts/json-manifest-validation.cjs';

jest.setTimeout(90_000);

/**
 * The harness is started here rather than by useWorkbenchSuite: this file needs no table restore (one
 * test writes), and its build gets a longer bound than the suite's 3 minutes (a full production build
 * plus the app package, on a machine that may be building other things).
 */
const suite: { h: Harness } = { h: undefined as unknown as Harness };
const opened: Workbench[] = [];
beforeAll(async () => {
  process.env.TIC_E2E_DIST = '1';
  suite.h = await startHarness();
}, 900_000);
afterEach(async () => {
  for (const wb of opened.splice(0)) await wb.context.close().catch(() => undefined);
});
afterAll(async () => {
  delete process.env.TIC_E2E_DIST;
  await suite.h?.close();
});
const open = async (): Promise<Workbench> => {
  const wb = await openWorkbench(suite.h);
  opened.push(wb);
  return wb;
};

function head(
  url: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { rejectUnauthorized: false }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      })
      .on('error', reject);
  });
}

/** Console messages of the page and its frames that report a Content-Security-Policy refusal. */
function cspRefusals(page: Page): string[] {
  const refusals: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) refusals.push(message.text());
  });
  return refusals;
}

const emailRows = (messageId: string) =>
  suite.h.emu.db.prepare('SELECT activityid FROM email WHERE messageid = ?').all(messageId) as unknown[];

/** Every https URL in a manifest's text (XML attributes and elements, JSON strings). */
const urlsIn = (text: string): string[] => [...new Set(text.match(/https:\/\/[^"<\s]+/g) ?? [])];

test('the pane loaded from serve:dist, under its CSP, tracks an email', async () => {
  const { page, ids } = await open();
  const refusals = cspRefusals(page);
  const pane = await paneFrame(page);
  expect(new URL(pane.url()).origin).toBe(suite.h.server.origin);
  await openItem(page, ids.demoForward!);
  expect(await paneStatus(pane, ids.demoForward!)).toBe('not-tracked');
  await pane.getByRole('button', { name: 'Track', exact: true }).click();
  expect(await paneStatus(pane, ids.demoForward!, ['tracked'])).toBe('tracked');
  const messageId = await page.evaluate(
    (id) => window.__TIC_SIM__?.mailbox.getItem(id).internetMessageId ?? '',
    ids.demoForward!,
  );
  expect(emailRows(messageId)).toHaveLength(1);
  expect(refusals).toEqual([]);
});

test('the pages are served with the CSP that admits Office.js', async () => {
  const res = await head(`${suite.h.server.origin}/taskpane.html`);
  expect(res.status).toBe(200);
  expect(String(res.headers['content-security-policy'])).toMatch(
    /script-src 'self' https:\/\/appsforoffice\.microsoft\.com(;| )/,
  );
  expect(res.headers['cache-control']).toBe('no-cache');
});

test('manifest.xml and manifest.json name only the serving origin, and every URL answers 200', async () => {
  const { out, server } = suite.h;
  const xml = fs.readFileSync(path.join(out, 'manifest.xml'), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
  const json = fs.readFileSync(path.join(out, 'manifest.json'), 'utf8');
  const schemaUrls = /^https:\/\/developer\.microsoft\.com\/json-schemas\//;
  const urls = [...urlsIn(xml), ...urlsIn(json).filter((u) => !schemaUrls.test(u))];
  expect(urls.length).toBeGreaterThan(10);
  expect(urls.filter((u) => new URL(u).origin !== server.origin)).toEqual([]);
  const failing: string[] = [];
  for (const url of urls) {
    // The AppDomain and validDomains entries are origins, not files.
    if (new URL(url).pathname === '/') continue;
    const { status } = await head(url);
    if (status !== 200) failing.push(`${status} ${url}`);
  }
  expect(failing).toEqual([]);
});

test('both built manifests validate against their schemas', async () => {
  const { out } = suite.h;
  const xml = await validateManifest(fs.readFileSync(path.join(out, 'manifest.xml'), 'utf8'));
  expect(formatErrors(xml.errors)).toBe('');
  const json = validateUnifiedManifestFile(path.join(out, 'manifest.json'));
  expect(json.flatMap((r) => r.errors)).toEqual([]);
  expect(json.map((r) => path.basename(r.file))).toEqual(['manifest.json', 'de-de.json', 'fr-fr.json']);
});
