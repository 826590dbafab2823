/** One opened session per runtime (src/host/sessionCache.ts): reused, bounded, dropped when stale. */
import type { OutlookHost } from '../../src/host/outlookSession';
import { SessionCache } from '../../src/host/sessionCache';

function rig() {
  let time = 0;
  let key = 'crm-a';
  let opened = 0;
  let fail: Error | null = null;
  let offline = false;
  const cache = new SessionCache({
    open: async () => {
      opened += 1;
      if (fail) throw fail;
      return { session: { n: opened, ...(offline ? { offline: {} } : {}) } } as unknown as OutlookHost;
    },
    fingerprint: () => key,
    ttlMs: 1000,
    now: () => time,
  });
  return {
    cache,
    opened: () => opened,
    advance: (ms: number) => (time += ms),
    setKey: (k: string) => (key = k),
    failWith: (e: Error | null) => (fail = e),
    setOffline: (o: boolean) => (offline = o),
  };
}

test('reused within its time; opened again after it, or when its settings change', async () => {
  const r = rig();
  const first = await r.cache.get();
  expect(await r.cache.get()).toBe(first);
  expect(r.opened()).toBe(1);
  r.advance(999);
  expect(await r.cache.get()).toBe(first);
  r.advance(1);
  expect(await r.cache.get()).not.toBe(first);
  expect(r.opened()).toBe(2);
  r.setKey('crm-b');
  await r.cache.get();
  expect(r.opened()).toBe(3);
});

test('two clicks at once share one opening', async () => {
  const r = rig();
  const [a, b] = await Promise.all([r.cache.get(), r.cache.get()]);
  expect(a).toBe(b);
  expect(r.opened()).toBe(1);
});

test('invalidate drops it; lastKnown keeps the last one that opened', async () => {
  const r = rig();
  const first = await r.cache.get();
  r.cache.invalidate();
  expect(r.cache.lastKnown).toBe(first);
  await r.cache.get();
  expect(r.opened()).toBe(2);
});

test('a failed open is not kept: the next click tries again', async () => {
  const r = rig();
  r.failWith(new Error('CRM down'));
  await expect(r.cache.get()).rejects.toThrow('CRM down');
  await Promise.resolve();
  r.failWith(null);
  await r.cache.get();
  expect(r.opened()).toBe(2);
  expect(r.cache.lastKnown).not.toBeNull();
});

test('a session opened offline (from the roaming snapshot) serves its click, and is not kept', async () => {
  const r = rig();
  r.setOffline(true);
  await r.cache.get();
  await Promise.resolve();
  r.setOffline(false);
  await r.cache.get();
  expect(r.opened()).toBe(2);
});
