// Bundles the `track-in-crm` command into one CommonJS file, so `npx track-in-crm` starts in
// milliseconds with no TypeScript tooling at run time. Run by `prepare` (npm install / npm ci).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/entry.ts'],
  outfile: 'dist/cli/track-in-crm.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Native and server-only modules stay outside the bundle and load from node_modules.
  external: ['better-sqlite3'],
  sourcemap: 'linked',
  logLevel: 'warning',
});
