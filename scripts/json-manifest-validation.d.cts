/** Types for scripts/json-manifest-validation.cjs. */
export interface JsonValidationResult {
  readonly valid: boolean;
  /** "<JSON pointer> <message> <params>". */
  readonly errors: readonly string[];
}
export const SCHEMA_DIR: string;
export function validateUnifiedJson(json: unknown, kind?: 'manifest' | 'localization'): JsonValidationResult;
export function validateUnifiedManifestFile(
  file: string,
): (JsonValidationResult & { readonly file: string })[];
