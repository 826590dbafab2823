/** The background check's state in localStorage (src/host/backgroundStore.ts): kept per mailbox, read back whole, malformed entries dropped. */
import { EMPTY_BACKGROUND_STATE, type BackgroundState } from '../../../src/app/backgroundState';
import {
  backgroundStateKey,
  localBackgroundStore,
  MAX_STATE_CHARS,
  readBackgroundState,
} from '../../../src/host/backgroundStore';

class MapStorage {
  readonly values = new Map<string, string>();
  getItem(key: string) {
    return this.values.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.values.set(key, value);
  }
}

const state: BackgroundState = {
  watermarks: { inbox: 'https://graph.microsoft.com/v1.0/me/mailFolders/inbox/messages/delta?$deltatoken=a' },
  seen: [{ itemId: 'g1', changeKey: 'ck1', at: 1000 }],
  aggressiveCyclesLeft: 2,
  deferred: [{ itemId: 'g2', folder: { wellKnown: 'inbox' }, receivedAt: '2026-03-01T08:00:00.000Z' }],
  retry: [{ itemId: 'g3', folder: { path: 'Inbox/Projects', id: 'f1' } }],
  queued: [{ itemId: 'g4', folder: { wellKnown: 'inbox' }, key: 'ews-g4' }],
};

test('a saved state reads back whole, under a key of its mailbox', async () => {
  const storage = new MapStorage();
  const logged: string[] = [];
  const store = localBackgroundStore(storage, 'Dana@Contoso.com', { log: (m) => logged.push(m) });
  expect(await store.load()).toEqual(EMPTY_BACKGROUND_STATE);
  await store.save(state);
  expect([...storage.values.keys()]).toEqual([backgroundStateKey('dana@contoso.com')]);
  expect(await store.load()).toEqual(state);
  expect(logged).toEqual([]);
});

test.each([
  ['not JSON', '{', null],
  ['not an object', '[1]', null],
  ['nothing stored', null, EMPTY_BACKGROUND_STATE],
])('%s', (_, text, expected) => {
  expect(readBackgroundState(text)).toEqual(expected);
});

test('entries of the wrong shape are dropped one by one, the rest kept', () => {
  const text = JSON.stringify({
    watermarks: { inbox: 'w', sentitems: 5 },
    seen: [{ itemId: 'g1', changeKey: 'ck1', at: 1 }, { itemId: 'g2' }, 'g3'],
    aggressiveCyclesLeft: -1,
    deferred: [
      { itemId: 'g4', folder: { wellKnown: 'inbox' } },
      { itemId: 'g5', folder: {} },
    ],
    retry: 'none',
    queued: [{ itemId: 'g6', folder: { wellKnown: 'inbox' } }],
  });
  expect(readBackgroundState(text)).toEqual({
    watermarks: { inbox: 'w' },
    seen: [{ itemId: 'g1', changeKey: 'ck1', at: 1 }],
    aggressiveCyclesLeft: 0,
    deferred: [{ itemId: 'g4', folder: { wellKnown: 'inbox' } }],
    retry: [],
    queued: [],
  });
});

test('an unreadable stored state starts over, and says so in the log', async () => {
  const storage = new MapStorage();
  storage.setItem(backgroundStateKey('dana@contoso.com'), 'not json');
  const logged: string[] = [];
  const store = localBackgroundStore(storage, 'dana@contoso.com', { log: (m) => logged.push(m) });
  expect(await store.load()).toEqual(EMPTY_BACKGROUND_STATE);
  expect(logged).toHaveLength(1);
});

test('a state over MAX_STATE_CHARS lets the oldest seen entries go first, then the newest deferred, and says so', async () => {
  const storage = new MapStorage();
  const logged: string[] = [];
  const store = localBackgroundStore(storage, 'dana@contoso.com', { log: (m) => logged.push(m) });
  const big: BackgroundState = {
    ...state,
    seen: Array.from({ length: 30_000 }, (_, i) => ({
      itemId: `AAMkAGI2TG93AAA-${String(i).padStart(8, '0')}`,
      changeKey: `CQAAABYAAAC-${i}`,
      at: i,
    })),
    deferred: Array.from({ length: 10 }, (_, i) => ({ itemId: `d${i}`, folder: { wellKnown: 'inbox' } })),
  };
  await store.save(big);
  const text = storage.getItem(backgroundStateKey('dana@contoso.com')) as string;
  expect(text.length).toBeLessThanOrEqual(MAX_STATE_CHARS);
  const saved = await store.load();
  expect(saved.seen.length).toBeGreaterThan(0);
  expect(saved.seen.length).toBeLessThan(big.seen.length);
  // The newest seen entries are kept: the oldest were let go.
  expect(saved.seen.map((s) => s.at)).toContain(29_999);
  expect(saved.seen.map((s) => s.at)).not.toContain(0);
  expect(saved.deferred).toEqual(big.deferred);
  expect(saved.watermarks).toEqual(big.watermarks);
  expect(logged).toHaveLength(1);
  expect(logged[0]).toMatch(/seen and 0 deferred items let go/);
});
