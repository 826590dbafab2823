/** The folder rules as the background runner reads them (src/host/folderRulesCache.ts). */
import type { FolderMappingPort, FolderMappingRow } from '../../../src/crm/folderMappingPort';
import { CachedFolderMappings, FOLDER_RULES_TTL_MS } from '../../../src/host/folderRulesCache';

const row: FolderMappingRow = {
  id: 'm1',
  folderId: 'f1',
  folderPath: 'Inbox/Projects/Fabrikam',
  regarding: { type: 'account', id: 'a1' },
  regardingName: 'Fabrikam',
};
const other: FolderMappingRow = { ...row, id: 'm2', folderId: 'f2', folderPath: 'Inbox/Other' };

function port(): FolderMappingPort & { lists: number; failing: boolean; rows: FolderMappingRow[] } {
  return {
    lists: 0,
    failing: false,
    rows: [row],
    async list() {
      this.lists += 1;
      if (this.failing) throw new Error('CRM down');
      return [...this.rows];
    },
    async add() {
      this.rows.push(other);
      return other;
    },
    async remove() {
      this.rows = this.rows.filter((r) => r.id !== 'm1');
    },
  };
}

function setup() {
  const clock = { now: 0 };
  const p = port();
  const cache = new CachedFolderMappings(
    () => p,
    () => clock.now,
  );
  return { clock, p, cache };
}

test('§1.6 a quiet cycle asks the CRM nothing: once known, cycles never read the rules, the timer does', async () => {
  const { clock, p, cache } = setup();
  await cache.cached('u1');
  clock.now = 5 * FOLDER_RULES_TTL_MS;
  await expect(cache.cached('u1')).resolves.toEqual([row]);
  expect(p.lists).toBe(1);
  expect(cache.stale('u1')).toBe(true);
  await cache.refresh('u1');
  expect(p.lists).toBe(2);
  expect(cache.stale('u1')).toBe(false);
});

test('§1.6 adding or removing a rule reads them again at once; the next cycle has the change without a read of its own', async () => {
  const { p, cache } = setup();
  await cache.cached('u1');
  await cache.add('u1', { folderId: 'f2', folderPath: 'Inbox/Other', regarding: row.regarding });
  await expect(cache.cached('u1')).resolves.toEqual([row, other]);
  await cache.remove('m1');
  await expect(cache.cached('u1')).resolves.toEqual([other]);
  expect(p.lists).toBe(3);
  await cache.cached('u1');
  expect(p.lists).toBe(3);
});

test('§1.2 step 1 a failed read keeps the rules last read for cycles, and the pane is told', async () => {
  const { clock, p, cache } = setup();
  await cache.cached('u1');
  p.failing = true;
  clock.now = FOLDER_RULES_TTL_MS;
  await expect(cache.list('u1')).rejects.toThrow('CRM down');
  await expect(cache.cached('u1')).resolves.toEqual([row]);
  // Tried again only after another TTL.
  expect(cache.stale('u1')).toBe(false);
});

test('a failure with no rules read yet (no mailbox row) is kept for the TTL, not asked again every cycle', async () => {
  const { clock, p, cache } = setup();
  p.failing = true;
  await expect(cache.cached('u1')).rejects.toThrow('CRM down');
  await expect(cache.cached('u1')).rejects.toThrow('CRM down');
  expect(p.lists).toBe(1);
  p.failing = false;
  clock.now = FOLDER_RULES_TTL_MS;
  await expect(cache.cached('u1')).resolves.toEqual([row]);
  expect(p.lists).toBe(2);
});

test('another user is never served the first user’s rules', async () => {
  const { p, cache } = setup();
  await cache.cached('u1');
  await cache.cached('u2');
  expect(p.lists).toBe(2);
});
