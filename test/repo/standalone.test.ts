/**
 * The repository stands on its own: a clone in an empty directory builds and passes its tests, so no
 * tracked file may reach for the team's reference folder beside it. The README alone may name it, as
 * the specification the team works from; the copies the project needs are vendored (docs/,
 * vendor/manifest-schemas, test/fixtures/mail).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
// Built from parts so that this file does not name the folder itself.
const OUTSIDE = ['..', 'shared'].join('/');

function trackedFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' });
  return out.split('\0').filter((file) => file !== '');
}

function filesNaming(needle: string, files: readonly string[]): string[] {
  return files.filter((file) => {
    const full = path.join(REPO_ROOT, file);
    if (!fs.existsSync(full) || fs.statSync(full).size > 2_000_000) return false;
    return fs.readFileSync(full, 'utf8').includes(needle);
  });
}

const inGit = fs.existsSync(path.join(REPO_ROOT, '.git'));

(inGit ? describe : describe.skip)('a clone on its own', () => {
  test('no tracked file but the README refers to the folder beside the repository', () => {
    const offenders = filesNaming(OUTSIDE, trackedFiles()).filter((file) => file !== 'README.md');
    expect(offenders).toEqual([]);
  });

  test('the vendored manifest schemas and the rules the project follows are in the repository', () => {
    const files = new Set(trackedFiles());
    for (const file of [
      'vendor/manifest-schemas/OfficeAppManifestV1_1.xsd',
      'vendor/manifest-schemas/SOURCE.md',
      'docs/spec/tracking.md',
      'docs/dataverse-facts.md',
    ]) {
      expect(files.has(file)).toBe(true);
    }
  });

  test('the check finds a file that names the outside folder (it can fail)', () => {
    expect(filesNaming(OUTSIDE, ['test/repo/standalone.test.ts'])).toEqual([]);
    const probe = path.join(REPO_ROOT, 'test-output', 'standalone-probe.txt');
    fs.mkdirSync(path.dirname(probe), { recursive: true });
    fs.writeFileSync(probe, `see ${OUTSIDE}/spec`);
    try {
      expect(filesNaming(OUTSIDE, [path.relative(REPO_ROOT, probe)])).toHaveLength(1);
    } finally {
      fs.rmSync(probe);
    }
  });
});
