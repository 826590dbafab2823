/**
 * `Office.context.roamingSettings` (Mailbox 1.1): per-add-in, per-user settings stored in the mailbox.
 *
 * Limit (32 KB for all settings of the add-in): measured here as the UTF-8 byte length of
 * `JSON.stringify(allSettings)` > 32,768. Outlook does not publish how it measures; bytes of the JSON
 * is the strictest reading (never smaller than a character count), so code that fits here fits there.
 * - `set` that would go over THROWS an Error with `code: 9057` and leaves the settings unchanged
 *   (@types/office-js, RoamingSettings.set: "An error with code 9057 is thrown when that size limit
 *   is exceeded").
 * - `saveAsync` checks again (a value object mutated after `set` can grow): over the limit it fails
 *   with 9057 "Size Limit Exceeded" through the callback and the previously saved state is kept.
 * Saved settings survive a "restart" (a new simulator over the same StorageAdapter); unsaved `set`s
 * do not, as in Outlook.
 */
import { Dispatcher, fail, ok, parseCommonArgs } from './async';
import { OutlookErrors } from './errors';
import { LIMITS } from './itemFeatures';

/** Where saved roaming settings live between simulator "restarts". */
export interface StorageAdapter {
  load(): string | null;
  save(serialized: string): void;
}

export interface MemoryStorage extends StorageAdapter {
  /** The last saved JSON, or null. */
  readonly value: string | null;
}

/** In-memory storage (the default); pass the same object to a new simulator to "restart" Outlook. */
export function memoryStorage(initial: string | null = null): MemoryStorage {
  let value = initial;
  return {
    load: () => value,
    save: (serialized) => {
      value = serialized;
    },
    get value() {
      return value;
    },
  };
}

/** A Web Storage (localStorage) adapter for the workbench. */
export function webStorage(
  storage: Pick<Storage, 'getItem' | 'setItem'>,
  key = 'outlook-simulator:roamingSettings',
): StorageAdapter {
  return { load: () => storage.getItem(key), save: (serialized) => storage.setItem(key, serialized) };
}

export function roamingSettingsBytes(settings: Record<string, unknown>): number {
  return new TextEncoder().encode(JSON.stringify(settings)).length;
}

export class SizeLimitError extends Error {
  readonly code = OutlookErrors.RoamingSettingsSizeLimitExceeded.code;
  constructor() {
    super(OutlookErrors.RoamingSettingsSizeLimitExceeded.message);
    this.name = OutlookErrors.RoamingSettingsSizeLimitExceeded.name;
  }
}

export class SimRoamingSettings {
  private current: Record<string, unknown>;

  constructor(
    private readonly storage: StorageAdapter,
    private readonly dispatcher: Dispatcher,
  ) {
    this.current = SimRoamingSettings.parse(storage.load());
  }

  private static parse(serialized: string | null): Record<string, unknown> {
    if (!serialized) return {};
    try {
      const value = JSON.parse(serialized) as unknown;
      return value && typeof value === 'object' && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : {};
    } catch {
      return {};
    }
  }

  get(name: string): unknown {
    return this.current[name];
  }

  set(name: string, value: unknown): void {
    const next = { ...this.current, [name]: value };
    if (roamingSettingsBytes(next) > LIMITS.roamingSettingsBytes) throw new SizeLimitError();
    this.current = next;
  }

  remove(name: string): void {
    const next = { ...this.current };
    delete next[name];
    this.current = next;
  }

  saveAsync(...args: unknown[]): void {
    const common = parseCommonArgs<void>(args, false, true);
    const serialized = JSON.stringify(this.current);
    this.dispatcher.complete(common, () => {
      if (new TextEncoder().encode(serialized).length > LIMITS.roamingSettingsBytes) {
        return fail(OutlookErrors.RoamingSettingsSizeLimitExceeded);
      }
      this.storage.save(serialized);
      return ok(undefined);
    });
  }

  /** Control API: the settings as last saved (what a restart would load). */
  saved(): Record<string, unknown> {
    return SimRoamingSettings.parse(this.storage.load());
  }
}
