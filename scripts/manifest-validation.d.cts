/** Types for scripts/manifest-validation.cjs. */
export interface ManifestProblem {
  readonly fileName: string;
  /** 1-based line, or null when xmllint gave none. */
  readonly line: number | null;
  readonly message: string;
}

export interface ManifestValidationResult {
  readonly valid: boolean;
  readonly errors: readonly ManifestProblem[];
  /** Schema errors accepted as known gaps of the published schemas (see ARCHITECTURE.md). */
  readonly notes: readonly ManifestProblem[];
}

export interface ManifestValidationOptions {
  readonly fileName?: string;
  readonly schemaDir?: string;
}

export const REPO_ROOT: string;
export const SCHEMA_DIR: string;
export const KNOWN_SCHEMA_GAPS: readonly { readonly pattern: RegExp; readonly reason: string }[];
export function validateManifest(
  xml: string,
  options?: ManifestValidationOptions,
): Promise<ManifestValidationResult>;
export function validateManifestFile(
  file: string,
  options?: ManifestValidationOptions,
): Promise<ManifestValidationResult>;
export function formatErrors(errors: readonly ManifestProblem[]): string;
