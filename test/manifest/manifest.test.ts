/**
 * manifest.xml against Microsoft's MS-OWEMXML schemas (vendored in vendor/manifest-schemas), offline, plus the
 * resource cross-references the schemas cannot express. Broken copies must fail with a message that
 * names the problem.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { REPO_ROOT, formatErrors, validateManifest } from '../../scripts/manifest-validation.cjs';
import { parseBaseUrl, rewriteManifest } from '../../scripts/base-url.cjs';
import { ADDIN_ID } from '../../src/host/addinId';

const manifest = fs.readFileSync(path.join(REPO_ROOT, 'manifest.xml'), 'utf8');

/** Replace exactly one occurrence, so a test cannot silently break nothing. */
function breakOnce(xml: string, find: string | RegExp, replace: string): string {
  const count =
    typeof find === 'string' ? xml.split(find).length - 1 : (xml.match(new RegExp(find, 'g')) ?? []).length;
  if (count !== 1) throw new Error(`expected exactly one match for ${String(find)}, found ${count}`);
  return xml.replace(find, replace);
}

async function problems(xml: string): Promise<string> {
  const result = await validateManifest(xml, { fileName: 'broken.xml' });
  expect(result.valid).toBe(false);
  return formatErrors(result.errors);
}

jest.setTimeout(30_000);

describe('manifest.xml', () => {
  test('validates against the manifest schemas, with no accepted gaps', async () => {
    const result = await validateManifest(manifest);
    expect(formatErrors(result.errors)).toBe('');
    expect(result.valid).toBe(true);
    expect(result.notes).toEqual([]);
  });

  test('declares what the add-in relies on', () => {
    expect(manifest).toContain('xsi:type="MailApp"');
    expect(manifest).toContain('<Permissions>ReadWriteMailbox</Permissions>');
    expect(manifest).toMatch(/<Set Name="Mailbox" MinVersion="1\.8"\/>/);
    expect(manifest).toMatch(/<FunctionName>trackInCrm<\/FunctionName>/);
    expect(manifest).toMatch(/<SupportsPinning>true<\/SupportsPinning>/);
    expect(manifest).toContain(
      '<LaunchEvent Type="OnNewMessageCompose" FunctionName="onNewMessageComposeHandler"/>',
    );
    expect(manifest).toContain(
      '<LaunchEvent Type="OnMessageSend" FunctionName="onMessageSendHandler" SendMode="SoftBlock"/>',
    );
    expect(manifest).toContain('<Override type="javascript" resid="JSRuntime.Url"/>');
    expect(manifest).toContain('DefaultValue="https://localhost:3000/events.js"');
    for (const size of [16, 32, 64, 80, 128]) {
      expect(manifest).toContain(`https://localhost:3000/assets/icon-${size}.png`);
      expect(fs.existsSync(path.join(REPO_ROOT, 'assets', `icon-${size}.png`))).toBe(true);
    }
  });

  test('Track in CRM and the pane are on both appointment surfaces, in each VersionOverrides', () => {
    for (const surface of ['AppointmentOrganizerCommandSurface', 'AppointmentAttendeeCommandSurface']) {
      const blocks = [
        ...manifest.matchAll(
          new RegExp(`<ExtensionPoint xsi:type="${surface}">([\\s\\S]*?)</ExtensionPoint>`, 'g'),
        ),
      ].map((m) => m[1] as string);
      expect(blocks).toHaveLength(2);
      for (const block of blocks) {
        expect(block).toContain('<FunctionName>trackInCrm</FunctionName>');
        expect(block).toContain('<Action xsi:type="ShowTaskpane">');
      }
    }
    expect(manifest).toContain('<Rule xsi:type="ItemIs" ItemType="Appointment" FormType="Read"/>');
    expect(manifest).toContain('<Rule xsi:type="ItemIs" ItemType="Appointment" FormType="Edit"/>');
  });

  test("the add-in id the Graph side names custom properties by (cecp-<Id>) is the manifest's <Id>", () => {
    expect(/<Id>([^<]+)<\/Id>/.exec(manifest)?.[1]).toBe(ADDIN_ID);
  });

  test('the function names match the ones the code registers', () => {
    const registered = (file: string) =>
      [
        ...fs
          .readFileSync(path.join(REPO_ROOT, file), 'utf8')
          .matchAll(/Office\.actions\.associate\('([^']+)'/g),
      ].map((m) => m[1]);
    const names = new Set([...registered('src/commands/commands.ts'), ...registered('src/events/events.ts')]);
    const declared = [
      ...manifest.matchAll(/<FunctionName>([^<]+)<\/FunctionName>/g),
      ...manifest.matchAll(/FunctionName="([^"]+)"/g),
    ].map((m) => m[1]);
    expect(declared.length).toBeGreaterThan(0);
    for (const name of declared) expect(names).toContain(name);
  });
});

describe('broken manifests fail with a message naming the problem', () => {
  test('a missing required element', async () => {
    const xml = breakOnce(manifest, /\s*<ProviderName>[^<]*<\/ProviderName>/, '');
    expect(await problems(xml)).toMatch(/Expected is \( \{[^}]+\}ProviderName \)/);
  });

  test('a value outside an enumeration (SendMode)', async () => {
    const xml = breakOnce(manifest, 'SendMode="SoftBlock"', 'SendMode="Sometimes"');
    const text = await problems(xml);
    expect(text).toContain("attribute 'SendMode'");
    expect(text).toContain("'Sometimes' is not an element of the set {'PromptUser', 'SoftBlock', 'Block'}");
  });

  test('a value outside an enumeration (Permissions)', async () => {
    const xml = breakOnce(
      manifest,
      '<Permissions>ReadWriteMailbox</Permissions>',
      '<Permissions>FullAccess</Permissions>',
    );
    expect(await problems(xml)).toMatch(/Permissions.*'FullAccess' is not an element of the set/);
  });

  test('a malformed GUID', async () => {
    const xml = breakOnce(manifest, /<Id>[^<]+<\/Id>/, '<Id>not-a-guid</Id>');
    expect(await problems(xml)).toMatch(/Element '\{[^}]+\}Id'.*'not-a-guid'/);
  });

  test('an element the schema does not know', async () => {
    const xml = breakOnce(
      manifest,
      '<DisableEntityHighlighting>',
      '<Color>blue</Color>\n  <DisableEntityHighlighting>',
    );
    expect(await problems(xml)).toMatch(/Element '\{[^}]+\}Color': This element is not expected/);
  });

  test('a resid with no resource', async () => {
    const xml = breakOnce(
      manifest,
      '<Override type="javascript" resid="JSRuntime.Url"/>',
      '<Override type="javascript" resid="Events.Url"/>',
    );
    expect(await problems(xml)).toContain('VersionOverridesV1_1: resid "Events.Url" is not declared');
  });

  test('a LaunchEvent pointing at no runtime', async () => {
    const xml = breakOnce(
      manifest,
      /(<\/LaunchEvents>\s*(?:<!--[^>]*-->\s*)?)<SourceLocation resid="WebViewRuntime.Url"\/>/,
      '$1<SourceLocation resid="Commands.Url"/>',
    );
    expect(await problems(xml)).toContain('the LaunchEvent SourceLocation "Commands.Url" names no <Runtime>');
  });

  test('an event type Outlook does not have', async () => {
    const xml = breakOnce(manifest, 'Type="OnMessageSend"', 'Type="OnMessageSent"');
    expect(await problems(xml)).toContain(
      'LaunchEvent Type "OnMessageSent" is not a documented Outlook event',
    );
  });

  test('an event that needs a higher requirement set than the node requests', async () => {
    const xml = breakOnce(
      manifest,
      '<bt:Sets DefaultMinVersion="1.12">',
      '<bt:Sets DefaultMinVersion="1.10">',
    );
    expect(await problems(xml)).toContain(
      'LaunchEvent OnMessageSend needs Mailbox 1.12, but this VersionOverridesV1_1 requests Mailbox 1.10',
    );
  });

  test('`npm run validate` exits 1 and prints the problem', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manifest-'));
    const file = path.join(dir, 'broken.xml');
    fs.writeFileSync(file, breakOnce(manifest, 'SendMode="SoftBlock"', 'SendMode="Sometimes"'));
    const run = spawnSync(
      process.execPath,
      [path.join(REPO_ROOT, 'scripts', 'validate-manifest.mjs'), file],
      {
        encoding: 'utf8',
      },
    );
    fs.rmSync(dir, { recursive: true, force: true });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("'Sometimes' is not an element of the set");
  });
});

describe('production URLs from ADDIN_BASE_URL', () => {
  test('every development URL is rewritten and the result still validates', async () => {
    const base = parseBaseUrl('https://addins.contoso.com/track-in-crm');
    expect(base).toBe('https://addins.contoso.com/track-in-crm/');
    const xml = rewriteManifest(manifest, base as string);
    expect(xml).not.toContain('localhost');
    expect(xml).toContain('DefaultValue="https://addins.contoso.com/track-in-crm/events.js"');
    expect(xml).toContain('<AppDomain>https://addins.contoso.com</AppDomain>');
    const result = await validateManifest(xml, { fileName: 'dist/manifest.xml' });
    expect(formatErrors(result.errors)).toBe('');
  });

  test('an unusable base URL is refused', () => {
    expect(parseBaseUrl(undefined)).toBeNull();
    expect(parseBaseUrl('  ')).toBeNull();
    expect(() => parseBaseUrl('http://addins.contoso.com/')).toThrow(/https/);
    expect(() => parseBaseUrl('not a url')).toThrow(/not a URL/);
    expect(() => parseBaseUrl('https://addins.contoso.com/?v=1')).toThrow(/query/);
  });
});
