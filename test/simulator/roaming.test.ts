/** Roaming settings: 32 KB, saveAsync, persistence across restarts through a storage adapter. */
import {
  createOfficeSimulator,
  memoryStorage,
  roamingSettingsBytes,
  webStorage,
  LIMITS,
} from '../../simulator';
import { call, value } from './helpers';

describe('roamingSettings', () => {
  test('set over 32 KB (UTF-8 bytes of the settings JSON) throws code 9057 and changes nothing', () => {
    const sim = createOfficeSimulator();
    const rs = sim.Office.context.roamingSettings;
    // {"big":"…"} has 10 bytes of JSON around the value.
    rs.set('big', 'x'.repeat(LIMITS.roamingSettingsBytes - 10));
    expect(roamingSettingsBytes({ big: rs.get('big') })).toBe(32768);
    expect(() => rs.set('one-more', 1)).toThrow(
      expect.objectContaining({ code: 9057, name: 'Size Limit Exceeded' }),
    );
    expect(rs.get('one-more')).toBeUndefined();
    // Non-ASCII counts in bytes: 'é' is 2 bytes.
    const sim2 = createOfficeSimulator();
    expect(() => sim2.Office.context.roamingSettings.set('big', 'é'.repeat(16380))).toThrow(
      expect.objectContaining({ code: 9057 }),
    );
  });

  test('saved settings survive a restart over the same storage; unsaved changes do not', async () => {
    const storage = memoryStorage();
    const first = createOfficeSimulator({ storage });
    const rs = first.Office.context.roamingSettings;
    rs.set('options', { v: 1, trackSent: true });
    const saved = await call<void>((cb) => rs.saveAsync(cb));
    expect(saved.status).toBe('succeeded');
    rs.set('unsaved', 'lost');

    const second = createOfficeSimulator({ storage });
    expect(second.Office.context.roamingSettings.get('options')).toEqual({ v: 1, trackSent: true });
    expect(second.Office.context.roamingSettings.get('unsaved')).toBeUndefined();
    expect(JSON.parse(storage.value ?? '{}')).toEqual({ options: { v: 1, trackSent: true } });
  });

  test('a save over the limit (a value grown after set) fails with 9057 and keeps the previous saved state', async () => {
    const storage = memoryStorage();
    const sim = createOfficeSimulator({ storage });
    const rs = sim.Office.context.roamingSettings;
    const list: string[] = ['a'];
    rs.set('list', list);
    await value<void>((cb) => rs.saveAsync(cb));
    list.push('y'.repeat(40000));
    const r = await call<void>((cb) => rs.saveAsync(cb));
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({
      name: 'Size Limit Exceeded',
      message: 'A maximum of 32KB is available for the settings of each add-in.',
      code: 9057,
    });
    expect(sim.roamingSettings.saved()).toEqual({ list: ['a'] });
    expect(createOfficeSimulator({ storage }).Office.context.roamingSettings.get('list')).toEqual(['a']);
  });

  test('remove, and the web storage adapter (localStorage in the workbench)', async () => {
    const backing = new Map<string, string>();
    const fakeLocalStorage = {
      getItem: (k: string) => backing.get(k) ?? null,
      setItem: (k: string, v: string) => void backing.set(k, v),
    };
    const storage = webStorage(fakeLocalStorage, 'sim:test');
    const sim = createOfficeSimulator({ storage });
    const rs = sim.Office.context.roamingSettings;
    rs.set('a', 1);
    rs.set('b', 2);
    rs.remove('a');
    await value<void>((cb) => rs.saveAsync(cb));
    expect(backing.get('sim:test')).toBe('{"b":2}');
    expect(createOfficeSimulator({ storage }).Office.context.roamingSettings.get('b')).toBe(2);
  });

  test('saveAsync without a callback is allowed and still saves', async () => {
    const storage = memoryStorage();
    const sim = createOfficeSimulator({ storage });
    sim.Office.context.roamingSettings.set('x', true);
    sim.Office.context.roamingSettings.saveAsync();
    expect(storage.value).toBeNull();
    await sim.idle();
    expect(storage.value).toBe('{"x":true}');
  });
});
