/** Types for scripts/base-url.cjs. */
export const DEV_BASE_URL: string;
export const DEV_ORIGIN: string;
export function parseBaseUrl(value: string | undefined): string | null;
export function rewriteManifest(xml: string, baseUrl: string): string;
