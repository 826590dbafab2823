/** The folder rules as the background runner reads them (src/host/backgroundHost.ts CachedFolderMappings). */
import type { FolderMappingPort, FolderMappingRow } from '../../../src/crm/folderMappingPort';
import { CachedFolderMappings, FOLDER_RULES_TTL_MS } from '../../../src/host/backgroundHost';

const row: FolderMappingRow = {
  id: 'm1',
  folderId: 'f1',
  folderPath: 'Inbox/Projects/Fabrikam',
  regarding: { type: 'account', id: 'a1' },
  regardingName: 'Fabrikam',
};

function port(): FolderMappingPort & { lists: number; failNext: boolean } {
  return {
    lists: 0,
    failNext: false,
    async list() {
      this.lists += 1;
      if (this.failNext) {
        this.failNext = false;
        throw new Error('CRM down');
      }
      return [row];
    },
    async add() {
      return row;
    },
    async remove() {},
  };
}

test('a quiet cycle asks the CRM nothing: the rules are read once per TTL', async () => {
  let now = 0;
  const p = port();
  const cache = new CachedFolderMappings(
    () => p,
    () => now,
  );
  await cache.cached('u1');
  await cache.cached('u1');
  expect(p.lists).toBe(1);
  now = FOLDER_RULES_TTL_MS;
  await cache.cached('u1');
  expect(p.lists).toBe(2);
});

test('adding or removing a rule makes the next cycle read them again (a change applies from the next cycle)', async () => {
  const p = port();
  const cache = new CachedFolderMappings(
    () => p,
    () => 0,
  );
  await cache.cached('u1');
  await cache.add('u1', {
    folderId: 'f2',
    folderPath: 'Inbox/Other',
    regarding: { type: 'account', id: 'a2' },
  });
  await cache.cached('u1');
  await cache.remove('m1');
  await cache.cached('u1');
  expect(p.lists).toBe(3);
});

test('a failed read is not kept, and another user is never served the first user’s rules', async () => {
  const p = port();
  const cache = new CachedFolderMappings(
    () => p,
    () => 0,
  );
  p.failNext = true;
  await expect(cache.cached('u1')).rejects.toThrow('CRM down');
  await expect(cache.cached('u1')).resolves.toEqual([row]);
  await cache.cached('u2');
  expect(p.lists).toBe(3);
});
