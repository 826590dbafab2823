/**
 * One workbench build for every end-to-end suite of a jest run. webpack takes about 45 s; the suites run
 * one after another on a 2-core CI machine, and building once per suite cost more than ten minutes. The
 * folder is chosen by jest's globalSetup (TIC_E2E_SHARED_BUILD); the first suite to need it builds it
 * under a lock (mkdir is atomic), the others wait for its marker. Suites only read the build (it is served
 * as static files), so sharing it cannot couple them. Without the variable (a harness started outside
 * jest, e.g. `npm run bench`), the caller builds its own.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const DONE = 'build-done';
const FAILED = 'build-failed';
const WAIT_MS = 600_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The shared build's folder, built by `build` if no suite has built it yet; null when there is none. */
export async function sharedWorkbench(build: (out: string) => Promise<void>): Promise<string | null> {
  const root = process.env.TIC_E2E_SHARED_BUILD;
  if (!root) return null;
  const out = path.join(root, 'web');
  const done = path.join(root, DONE);
  const failed = path.join(root, FAILED);
  let builder = false;
  try {
    mkdirSync(path.join(root, 'lock'));
    builder = true;
  } catch {
    // Another suite holds the lock: it is building, or has built.
  }
  if (builder) {
    try {
      await build(out);
      writeFileSync(done, new Date().toISOString());
    } catch (error) {
      writeFileSync(failed, String(error));
      throw error;
    }
    return out;
  }
  const until = Date.now() + WAIT_MS;
  while (Date.now() < until) {
    if (existsSync(done)) return out;
    if (existsSync(failed))
      throw new Error(`The shared workbench build failed:\n${readFileSync(failed, 'utf8')}`);
    await sleep(250);
  }
  throw new Error(`The shared workbench build did not finish within ${WAIT_MS / 1000} s`);
}
