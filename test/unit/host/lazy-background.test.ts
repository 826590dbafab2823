/** The pane's stand-in for the background check until its chunk arrives (src/host/lazyBackground.ts). */
import type { BackgroundCheck } from '../../../src/app/backgroundCheck';
import { NO_COUNTS, type BackgroundStatus } from '../../../src/app/backgroundStatus';
import type { FolderMappingPort } from '../../../src/crm/folderMappingPort';
import { CrmNetworkError } from '../../../src/crm/errors';
import type { PaneBackground } from '../../../src/host/backgroundHost';
import { CHUNK_FAILED, lazyPaneBackground } from '../../../src/host/lazyBackground';

function fakeCheck(): BackgroundCheck & { calls: string[]; emit(s: Partial<BackgroundStatus>): void } {
  const listeners = new Set<(s: BackgroundStatus) => void>();
  let status: BackgroundStatus = {
    phase: 'stopped',
    lastCycle: null,
    nextRunAt: null,
    lastError: null,
    actions: [],
    sessionCounts: NO_COUNTS,
  };
  const calls: string[] = [];
  return {
    calls,
    emit(patch) {
      status = { ...status, ...patch };
      for (const l of listeners) l(status);
    },
    status: () => status,
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    checkNow: () => calls.push('checkNow'),
    start() {
      calls.push('start');
      status = { ...status, phase: 'starting', nextRunAt: 10_000 };
    },
    stop: () => calls.push('stop'),
    settled: async () => undefined,
  };
}

const mappings = (): FolderMappingPort & { calls: string[] } => {
  const calls: string[] = [];
  return {
    calls,
    list: async (userId) => (calls.push(`list ${userId}`), []),
    add: async () => {
      throw new Error('not used');
    },
    remove: async (id) => void calls.push(`remove ${id}`),
  };
};

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

test('before the chunk arrives the status says starting; once started, the real status and its changes reach listeners', async () => {
  const check = fakeCheck();
  const bg = lazyPaneBackground(
    async () =>
      ({ check, folderMappings: mappings(), mailFolders: { listFolders: async () => [] } }) as PaneBackground,
  );
  expect(bg.control.status().phase).toBe('starting');
  const seen: string[] = [];
  bg.control.subscribe((s) => seen.push(s.phase));
  bg.start();
  await flush();
  expect(check.calls).toEqual(['start']);
  expect(bg.control.status().nextRunAt).toBe(10_000);
  check.emit({ phase: 'running' });
  expect(seen).toEqual(['starting', 'running']);
});

test('"Check now" pressed before the chunk arrives runs once it has', async () => {
  const check = fakeCheck();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const bg = lazyPaneBackground(async () => {
    await gate;
    return {
      check,
      folderMappings: mappings(),
      mailFolders: { listFolders: async () => [] },
    } as PaneBackground;
  });
  bg.start();
  bg.control.checkNow();
  expect(check.calls).toEqual([]);
  release();
  await flush();
  await flush();
  expect(check.calls).toEqual(['start', 'checkNow']);
});

test('a chunk that cannot load is said in the status (not thrown at the pane), and "Check now" tries again', async () => {
  const check = fakeCheck();
  let fail = true;
  const logged: unknown[] = [];
  const bg = lazyPaneBackground(
    async () => {
      if (fail) throw new Error('Loading chunk background failed');
      return {
        check,
        folderMappings: mappings(),
        mailFolders: { listFolders: async () => [] },
      } as PaneBackground;
    },
    { log: (_message, detail) => logged.push(detail) },
  );
  bg.start();
  await flush();
  await flush();
  expect(bg.control.status()).toMatchObject({ phase: 'stopped' });
  // The browser's words stay in the log: the user reads a sentence of the add-in's own.
  expect(bg.control.status().lastError).toBe(CHUNK_FAILED);
  expect(String(logged[0])).toMatch(/Loading chunk background failed/);
  fail = false;
  bg.control.checkNow();
  await flush();
  await flush();
  expect(check.calls).toEqual(['start', 'checkNow']);
});

test('the folder editor calls wait for the chunk; a failed load is a retryable CRM network error', async () => {
  const port = mappings();
  const bg = lazyPaneBackground(
    async () =>
      ({
        check: fakeCheck(),
        folderMappings: port,
        mailFolders: { listFolders: async () => [] },
      }) as PaneBackground,
  );
  await bg.folderMappings.remove('m1');
  expect(port.calls).toEqual(['remove m1']);
  const broken = lazyPaneBackground(async () => {
    throw new Error('offline');
  });
  await expect(broken.mailFolders.listFolders()).rejects.toBeInstanceOf(CrmNetworkError);
});

test('stop after start stops the runner; a start after stop starts it again', async () => {
  const check = fakeCheck();
  const bg = lazyPaneBackground(
    async () =>
      ({ check, folderMappings: mappings(), mailFolders: { listFolders: async () => [] } }) as PaneBackground,
  );
  bg.start();
  await flush();
  bg.stop();
  expect(check.calls).toEqual(['start', 'stop']);
});
