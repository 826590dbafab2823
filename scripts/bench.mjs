// `npm run bench`: bundles each bench/*.bench.ts with esbuild and runs it in its own Node process,
// one after the other (never in parallel: they measure time). Prints the figures they print.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const only = process.argv.slice(2);
const benches = readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
if (benches.length === 0) {
  console.log('no benchmarks match');
  process.exit(0);
}
const out = mkdtempSync(path.join(tmpdir(), 'tic-bench-'));
let failed = false;
try {
  for (const file of benches) {
    const outfile = path.join(out, file.replace(/\.ts$/, '.cjs'));
    await build({
      absWorkingDir: root,
      entryPoints: [path.join('bench', file)],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['better-sqlite3', 'playwright-core', '@sparticuz/chromium'],
      logLevel: 'warning',
    });
    // The bundles run from a temporary folder: native modules kept external resolve from the repo.
    const env = { ...process.env, NODE_PATH: path.join(root, 'node_modules') };
    const result = spawnSync(process.execPath, [outfile], { cwd: root, stdio: 'inherit', env });
    if (result.status !== 0) failed = true;
    console.log('');
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
