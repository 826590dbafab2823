// Bundles the `track-in-crm` command into one CommonJS file, so `npx track-in-crm` starts in
// milliseconds with no TypeScript tooling at run time. Run by `prepare` (npm install / npm ci) and by
// jest's globalSetup (test/support/globalSetup.cjs) before every test run, so no test spawns a stale
// bundle. Also importable: `buildCli()`.
import { build } from 'esbuild';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Builds dist/cli/track-in-crm.cjs (and its map). Resolves when both files are in place. */
export async function buildCli() {
  const result = await build({
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
    // Written below, each file whole: several test runs in one checkout may build at once while a
    // test of another is starting the command, which must never load a half-written bundle.
    write: false,
  });
  for (const file of result.outputFiles) {
    await mkdir(path.dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${process.pid}.tmp`;
    await writeFile(temporary, file.contents);
    await rename(temporary, file.path);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await buildCli();
}
