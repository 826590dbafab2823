/**
 * manifest.xml's languages (a German and a French Override for every string Outlook shows) and its mobile
 * form factor (the pane as the mobile button, with the icon sizes Microsoft's Icon reference requires).
 * The schema (test/manifest) checks the shapes; these check what the schema cannot: completeness.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readPng } from './png';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const xml = fs.readFileSync(path.join(ROOT, 'manifest.xml'), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
const LOCALES = ['de-DE', 'fr-FR'];

/** Each localizable element: its label (for the failure message) and the Override locales it has. */
function localizable(): { label: string; overrides: Record<string, string> }[] {
  const elements = [
    ...xml.matchAll(/<(DisplayName|Description)\b[^>]*DefaultValue="[^"]*"\s*(\/>|>([\s\S]*?)<\/\1>)/g),
  ].map((m) => ({ label: m[1] ?? '', body: m[3] ?? '' }));
  const strings = [
    ...xml.matchAll(/<bt:String\b[^>]*\bid="([^"]+)"[^>]*?(\/>|>([\s\S]*?)<\/bt:String>)/g),
  ].map((m) => ({ label: `bt:String ${m[1]}`, body: m[3] ?? '' }));
  return [...elements, ...strings].map(({ label, body }) => ({
    label,
    overrides: Object.fromEntries(
      [...body.matchAll(/<(?:bt:)?Override\b[^>]*\bLocale="([^"]+)"[^>]*\bValue="([^"]*)"/g)].map((o) => [
        o[1],
        o[2],
      ]),
    ),
  }));
}

/** The text of the VersionOverrides 1.1 node. */
const v11 = xml.slice(xml.indexOf('xsi:type="VersionOverridesV1_1"'));

describe("manifest.xml's languages", () => {
  test('the display name, the description and every resource string have a German and a French override', () => {
    const items = localizable();
    expect(items.map((i) => i.label)).toEqual(expect.arrayContaining(['DisplayName', 'Description']));
    const missing = items.flatMap(({ label, overrides }) =>
      LOCALES.filter((locale) => !(overrides[locale] ?? '').trim()).map((locale) => `${label}: ${locale}`),
    );
    expect(missing).toEqual([]);
  });

  test('no override is left in English (each differs from the default, except the product name)', () => {
    const english = [
      ...xml.matchAll(
        /<(?:bt:String\b[^>]*\bid="[^"]+"|DisplayName|Description)[^>]*\bDefaultValue="([^"]*)"/g,
      ),
    ].map((m) => m[1]);
    const untranslated = localizable().flatMap(({ label, overrides }) =>
      Object.entries(overrides)
        .filter(([, value]) => english.includes(value) && value !== 'Track in CRM')
        .map(([locale]) => `${label}: ${locale}`),
    );
    expect(untranslated).toEqual([]);
  });
});

describe("manifest.xml's mobile form factor", () => {
  const mobile = /<MobileFormFactor>([\s\S]*?)<\/MobileFormFactor>/.exec(v11)?.[1] ?? '';

  test('is declared in VersionOverrides 1.1, for reading mail only', () => {
    expect(mobile).not.toBe('');
    expect([...mobile.matchAll(/<ExtensionPoint\b[^>]*xsi:type="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'MobileMessageReadCommandSurface',
    ]);
  });

  test('its one button is a MobileButton that opens the pane', () => {
    const controls = [...mobile.matchAll(/<Control\b[^>]*xsi:type="([^"]+)"[\s\S]*?<\/Control>/g)];
    expect(controls.map((c) => c[1])).toEqual(['MobileButton']);
    expect(controls[0]?.[0]).toMatch(
      /<Action xsi:type="ShowTaskpane">\s*<SourceLocation resid="Taskpane.Url"\/>/,
    );
  });

  test('its icons come in 25, 32 and 48 px, each at scales 1, 2 and 3, as images of size x scale pixels', () => {
    const images = [
      ...mobile.matchAll(/<bt:Image\b[^>]*\bsize="(\d+)"[^>]*\bscale="(\d)"[^>]*\bresid="([^"]+)"/g),
    ].map((m) => ({ size: Number(m[1]), scale: Number(m[2]), resid: m[3] ?? '' }));
    expect(images.map((i) => `${i.size}@${i.scale}`).sort()).toEqual(
      [25, 32, 48].flatMap((size) => [1, 2, 3].map((scale) => `${size}@${scale}`)).sort(),
    );
    for (const image of images) {
      const url = new RegExp(
        `<bt:Image\\b[^>]*\\bid="${image.resid.replace(/\./g, '\\.')}"[^>]*DefaultValue="([^"]+)"`,
      ).exec(v11)?.[1];
      expect(url).toMatch(/^https:\/\/localhost:3000\/assets\/icon-\d+\.png$/);
      const file = path.join(ROOT, new URL(url ?? '').pathname);
      const png = readPng(fs.readFileSync(file));
      expect({ resid: image.resid, width: png.width, height: png.height }).toEqual({
        resid: image.resid,
        width: image.size * image.scale,
        height: image.size * image.scale,
      });
    }
  });
});
