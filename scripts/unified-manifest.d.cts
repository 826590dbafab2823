/** Types for scripts/unified-manifest.cjs. The manifest is Microsoft's unified manifest as parsed JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type UnifiedManifest = Record<string, any>;
export type LanguageFile = Record<string, unknown>;

export interface Converted {
  readonly manifest: UnifiedManifest;
  /** Each language file by name ("de-de.json"). */
  readonly locales: Record<string, LanguageFile>;
}

export const MANIFEST_VERSION: string;
export const SCHEMA_URL: string;
export const SHORT_DESCRIPTION_MAX: number;
export const PACKAGE_ICONS: {
  readonly color: { readonly file: string; readonly source: string; readonly size: number };
  readonly outline: { readonly file: string; readonly source: string; readonly size: number };
};
export function runConverter(xml: string): Promise<Converted>;
export function requestedOverrideSet(xml: string): string;
export function restoreOverrideRequirement(manifest: UnifiedManifest, requestedSet: string): UnifiedManifest;
export function fallbackBelowOverride(manifest: UnifiedManifest, requestedSet: string): UnifiedManifest;
export function untruncateShortDescription(
  manifest: UnifiedManifest,
  locales: Record<string, LanguageFile>,
): UnifiedManifest;
export function packageIcons(manifest: UnifiedManifest): UnifiedManifest;
export function declareSchema(manifest: UnifiedManifest): UnifiedManifest;
export function mobileRibbonAsDocumented(manifest: UnifiedManifest): UnifiedManifest;
export function unifiedManifest(xml: string): Promise<Converted>;
export function writeAppPackage(
  xml: string,
  outDir: string,
  zipName?: string,
): Promise<{ files: string[]; zip: string }>;
