/**
 * The unified manifest: Microsoft's converter run on manifest.xml, and each correction of
 * scripts/unified-manifest.cjs shown twice: the converter's own output has the defect, ours has not.
 * Then ours against Microsoft's published schema (schemas/teams-v1.17), offline.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AdmZip from 'adm-zip';
import {
  PACKAGE_ICONS,
  SCHEMA_URL,
  SHORT_DESCRIPTION_MAX,
  requestedOverrideSet,
  runConverter,
  unifiedManifest,
  writeAppPackage,
  type Converted,
  type UnifiedManifest,
} from '../../../scripts/unified-manifest.cjs';
import { validateUnifiedJson } from '../../../scripts/json-manifest-validation.cjs';
import { readPng } from './png';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const xml = fs.readFileSync(path.join(ROOT, 'manifest.xml'), 'utf8');

jest.setTimeout(60_000);

let converted: Converted;
let ours: Converted;
beforeAll(async () => {
  converted = await runConverter(xml);
  ours = await unifiedManifest(xml);
});

interface Holder {
  readonly kind: string;
  readonly requirements: {
    capabilities: { name: string; minVersion?: string; maxVersion?: string }[];
    formFactors?: string[];
  };
  readonly events?: { type: string }[];
  readonly contexts?: string[];
}

function holders(manifest: UnifiedManifest): Holder[] {
  const extension = manifest.extensions[0];
  return ['ribbons', 'runtimes', 'autoRunEvents'].flatMap((kind) =>
    ((extension[kind] ?? []) as Omit<Holder, 'kind'>[]).map((h) => ({ ...h, kind })),
  );
}
const mailboxOf = (h: Holder) => h.requirements.capabilities.find((c) => c.name === 'Mailbox');
const desktop = (h: Holder) => (h.requirements.formFactors ?? []).includes('desktop');
const mobile = (h: Holder) => (h.requirements.formFactors ?? []).includes('mobile');
interface MobileRibbon {
  readonly contexts: string[];
  readonly tabs: {
    builtInTabId?: string;
    customMobileRibbonGroups: { controls: { type: string }[] }[];
  }[];
}
const mobileRibbon = (m: UnifiedManifest): MobileRibbon => {
  const ribbons = (m.extensions[0].ribbons as (MobileRibbon & Pick<Holder, 'requirements'>)[]).filter((r) =>
    (r.requirements.formFactors ?? []).includes('mobile'),
  );
  expect(ribbons).toHaveLength(1);
  return ribbons[0]!;
};
const sendEvents = (m: UnifiedManifest) =>
  holders(m).filter(
    (h) => h.kind === 'autoRunEvents' && (h.events ?? []).some((e) => e.type === 'messageSending'),
  );

describe('the converter (office-addin-manifest-converter) on manifest.xml', () => {
  test('lowers the events of VersionOverrides 1.1 to Mailbox 1.5, below what OnMessageSend needs', () => {
    expect(requestedOverrideSet(xml)).toBe('1.12');
    expect(sendEvents(converted.manifest).map((h) => mailboxOf(h)?.minVersion)).toEqual(['1.5']);
  });

  test('writes the short description as "<TRUNCATED>…"', () => {
    expect(converted.manifest.description.short).toMatch(/^<TRUNCATED>/);
    for (const locale of Object.values(converted.locales))
      expect(locale['description.short']).toMatch(/^<TRUNCATED>/);
  });

  test("uses the XML's 64 and 128 px icons for the package's icons", () => {
    expect(converted.manifest.icons).toEqual({ outline: 'assets/icon-64.png', color: 'assets/icon-128.png' });
  });

  test('offers the VersionOverrides 1.0 ribbons to every client above 1.3, next to the 1.1 ones', () => {
    const fallback = holders(converted.manifest).filter((h) => mailboxOf(h)?.minVersion === '1.3');
    expect(fallback.length).toBeGreaterThan(0);
    expect(fallback.every((h) => mailboxOf(h)?.maxVersion === undefined)).toBe(true);
  });

  test('puts the mobile button beside a placeholder group, in the "default" context', () => {
    const ribbon = mobileRibbon(converted.manifest);
    expect(ribbon.contexts).toEqual(['default']);
    expect(JSON.stringify(ribbon.tabs)).toContain('https://placeholder');
  });

  test('declares no $schema', () => {
    expect(converted.manifest.$schema).toBe(false);
  });
});

describe('our unified manifest', () => {
  test('every desktop entry converted from VersionOverrides 1.1 requires the Mailbox set that node requests', () => {
    const fromOverride = holders(ours.manifest).filter(
      (h) => desktop(h) && mailboxOf(h)?.maxVersion === undefined,
    );
    expect(fromOverride.length).toBeGreaterThan(0);
    expect(new Set(fromOverride.map((h) => mailboxOf(h)?.minVersion))).toEqual(new Set(['1.12']));
    expect(sendEvents(ours.manifest).map((h) => mailboxOf(h)?.minVersion)).toEqual(['1.12']);
  });

  test('the mobile entries keep Mailbox 1.5, what Outlook on Android and iOS supports', () => {
    const mobileEntries = holders(ours.manifest).filter(mobile);
    expect(mobileEntries.map((h) => h.kind)).toContain('ribbons');
    expect(new Set(mobileEntries.map((h) => mailboxOf(h)?.minVersion))).toEqual(new Set(['1.5']));
  });

  test('the VersionOverrides 1.0 copies stop below the set the 1.1 node requests', () => {
    const fallback = holders(ours.manifest).filter((h) => mailboxOf(h)?.minVersion === '1.3');
    expect(fallback.length).toBeGreaterThan(0);
    expect(new Set(fallback.map((h) => mailboxOf(h)?.maxVersion))).toEqual(new Set(['1.11']));
  });

  test('the short description is the long one up to its first colon, in every language, within the limit', () => {
    const pairs = [
      [ours.manifest.description.short, ours.manifest.description.full],
      ...Object.values(ours.locales).map((l) => [l['description.short'], l['description.full']]),
    ] as [string, string][];
    expect(pairs).toHaveLength(3);
    for (const [short, full] of pairs) {
      expect(short).not.toContain('TRUNCATED');
      expect(full.startsWith(`${short}`)).toBe(true);
      expect(full.slice(short.length).trimStart().startsWith(':')).toBe(true);
      expect(short.length).toBeLessThanOrEqual(SHORT_DESCRIPTION_MAX);
    }
  });

  test('the package icons are a 192 px colour icon and a 32 px outline icon', () => {
    expect(ours.manifest.icons).toEqual({
      color: PACKAGE_ICONS.color.file,
      outline: PACKAGE_ICONS.outline.file,
    });
    const color = readPng(fs.readFileSync(path.join(ROOT, PACKAGE_ICONS.color.source)));
    const outline = readPng(fs.readFileSync(path.join(ROOT, PACKAGE_ICONS.outline.source)));
    expect([color.width, color.height]).toEqual([192, 192]);
    expect([outline.width, outline.height]).toEqual([32, 32]);
  });

  test('the outline icon is white on a transparent background', () => {
    const { rgba } = readPng(fs.readFileSync(path.join(ROOT, PACKAGE_ICONS.outline.source)));
    if (!rgba) throw new Error('the outline icon is not 8-bit RGBA');
    const pixels = Array.from({ length: rgba.length / 4 }, (_, i) =>
      Array.from(rgba.subarray(i * 4, i * 4 + 4)),
    );
    const drawn = pixels.filter(([, , , alpha]) => alpha !== 0);
    expect(drawn.length).toBeGreaterThan(0);
    expect(drawn.length).toBeLessThan(pixels.length);
    // Every drawn pixel, anti-aliased edges included, is white (at whatever opacity).
    expect(drawn.filter(([r, g, b]) => Math.min(r ?? 0, g ?? 0, b ?? 0) < 250)).toEqual([]);
  });

  test("the mobile ribbon is the documented shape: TabDefault's custom mobile group, in the read context", () => {
    const ribbon = mobileRibbon(ours.manifest);
    expect(ribbon.contexts).toEqual(['mailRead']);
    expect(ribbon.tabs).toHaveLength(1);
    expect(Object.keys(ribbon.tabs[0] ?? {}).sort()).toEqual(['builtInTabId', 'customMobileRibbonGroups']);
    expect(ribbon.tabs[0]?.builtInTabId).toBe('TabDefault');
    const controls = ribbon.tabs[0]?.customMobileRibbonGroups.flatMap((g) => g.controls) ?? [];
    expect(controls.map((c) => c.type)).toEqual(['mobileButton']);
    expect(JSON.stringify(ours.manifest)).not.toContain('placeholder');
  });

  test('names the schema of the manifest version the converter writes', () => {
    expect(ours.manifest.$schema).toBe(SCHEMA_URL);
    expect(SCHEMA_URL).toContain(`/v${ours.manifest.manifestVersion}/`);
  });

  test("validates against Microsoft's schema, and so do its language files", () => {
    expect(validateUnifiedJson(ours.manifest, 'manifest').errors).toEqual([]);
    for (const locale of Object.values(ours.locales)) {
      expect(validateUnifiedJson(locale, 'localization').errors).toEqual([]);
    }
  });

  test('the schema check rejects what the schema forbids (a short name over 30 characters)', () => {
    const broken = { ...ours.manifest, name: { ...ours.manifest.name, short: 'x'.repeat(31) } };
    const result = validateUnifiedJson(broken, 'manifest');
    expect(result.valid).toBe(false);
    expect(result.errors.join('\n')).toContain('/name/short');
  });

  test('carries the German and French strings of manifest.xml', () => {
    expect(
      ours.manifest.localizationInfo.additionalLanguages.map((l: { languageTag: string }) => l.languageTag),
    ).toEqual(['de-de', 'fr-fr']);
    expect(ours.locales['de-de.json']?.['name.short']).toBe('In CRM nachverfolgen');
    expect(ours.locales['fr-fr.json']?.['name.short']).toBe('Suivre dans CRM');
  });
});

describe('the app package', () => {
  test('holds manifest.json, the language files and the two icons, as written beside it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tic-package-'));
    try {
      const { zip } = await writeAppPackage(xml, dir);
      const entries = new AdmZip(zip)
        .getEntries()
        .map((e) => e.entryName)
        .sort();
      expect(entries).toEqual(['color.png', 'de-de.json', 'fr-fr.json', 'manifest.json', 'outline.png']);
      const packaged = JSON.parse(new AdmZip(zip).readAsText('manifest.json')) as UnifiedManifest;
      expect(packaged).toEqual(JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')));
      expect(packaged.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
