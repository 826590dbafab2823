/**
 * "This device is the synchronization client" (synchronization.md §1): only one of the user's devices
 * synchronizes, so two never write the same contact twice. Each device has an id of its own in its
 * localStorage; the roaming settings (which every device of the mailbox reads) name the device that is
 * the synchronization client. Choosing it on one device names that one, which clears it on the others.
 *
 * The roaming value, under a key of its own (not the add-in's main key, whose reader keeps only the
 * fields it knows), is (chosen):
 * - absent: no device was chosen yet; the first device to ask claims it (the legacy client made the
 *   first computer it was installed on the synchronization client);
 * - a device id: that device;
 * - "": the user turned it off on the device that was; none synchronizes until one is chosen.
 */
import type { DiagnosticsLog } from '../app/ports';
import { officeCall } from '../mailbox/officeAsync';

export const SYNC_CLIENT_ROAMING_KEY = 'ticSyncClient';
export const DEVICE_ID_KEY = 'track-in-crm:device-id';

/** The part of the Web Storage API used (localStorage in the pane; a map in tests). */
export interface DeviceStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface SyncDevice {
  /** Whether this device synchronizes; when no device was chosen yet, this one claims it. */
  isSyncClient(): boolean;
  /** The same without claiming (what the options screen shows: a device that would claim it counts). */
  peek(): boolean;
  /** The option's save: on names this device; off (on this device) leaves none chosen. */
  choose(isClient: boolean): Promise<void>;
}

export function syncDevice(
  roaming: Office.RoamingSettings,
  storage: DeviceStorage,
  newId: () => string,
  log: DiagnosticsLog,
): SyncDevice {
  let id: string | null = null;
  const deviceId = (): string => {
    if (id) return id;
    try {
      id = storage.getItem(DEVICE_ID_KEY);
      if (!id) storage.setItem(DEVICE_ID_KEY, (id = newId()));
    } catch (error) {
      // No localStorage: this pane's id lasts while it is open (a reload is another device).
      log.log('Synchronization: this device cannot keep its id (localStorage)', error);
      id ??= newId();
    }
    return id;
  };
  const chosen = (): string | undefined => {
    const value = roaming.get(SYNC_CLIENT_ROAMING_KEY) as unknown;
    return typeof value === 'string' ? value : undefined;
  };
  const write = async (value: string): Promise<void> => {
    const before = roaming.get(SYNC_CLIENT_ROAMING_KEY) as unknown;
    roaming.set(SYNC_CLIENT_ROAMING_KEY, value);
    try {
      await officeCall<void>('Saving the synchronization client', (cb) => roaming.saveAsync(cb));
    } catch (error) {
      roaming.set(SYNC_CLIENT_ROAMING_KEY, before);
      throw error;
    }
  };
  return {
    isSyncClient() {
      const current = chosen();
      if (current !== undefined) return current === deviceId();
      write(deviceId()).catch((error: unknown) =>
        log.log('Synchronization: could not save this device as the synchronization client', error),
      );
      return true;
    },
    peek() {
      const current = chosen();
      return current === undefined || current === deviceId();
    },
    async choose(isClient) {
      if (isClient) return write(deviceId());
      if (chosen() === undefined || chosen() === deviceId()) return write('');
    },
  };
}
