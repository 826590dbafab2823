/** Types for scripts/serve-dist.cjs. */
export interface DistServerOptions {
  readonly root?: string;
  /** 0 picks a free port; default 3443. */
  readonly port?: number;
  /** Origins added to connect-src (the local emulators, which are http). */
  readonly connectSrc?: readonly string[];
}
export interface DistServer {
  readonly origin: string;
  readonly port: number;
  close(): Promise<void>;
}
export const CONTENT_TYPES: Readonly<Record<string, string>>;
export function cacheControlFor(relativePath: string): string;
export function inlineScriptHashes(html: string): string[];
export function contentSecurityPolicy(options?: {
  inlineScripts?: readonly string[];
  connectSrc?: readonly string[];
}): string;
export function headersFor(
  relativePath: string,
  content: Buffer,
  options?: DistServerOptions,
): Record<string, string>;
export function startDistServer(options?: DistServerOptions): Promise<DistServer>;
export function parseArgs(argv: readonly string[]): DistServerOptions & { connectSrc: string[] };
