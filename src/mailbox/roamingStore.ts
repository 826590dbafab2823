/**
 * The add-in's state in Outlook's roaming settings: ONE versioned key holding the personal options
 * kept in Outlook, the client switches, the pending-track queue and the token counter, and a small
 * key of its own for the recent regarding records. Roaming
 * settings hold 32 KB for the whole add-in; a write that would not fit is refused with a clear
 * error (RoamingSettingsFullError) before anything is saved, so nothing already stored is lost.
 * Tokens are never stored here (they live in memory only).
 */
import type { PendingAppointment, PendingAppointmentStore } from '../app/appointmentPorts';
import type { PendingStore, PendingTrack, TokenCounterStore } from '../app/ports';
import type { LocalOptions, LocalOptionsStore, SessionSnapshot, SessionSnapshotStore } from '../app/session';
import { nextTrackingCounter } from '../rules/trackingToken';
import { officeCall } from './officeAsync';

export const ROAMING_KEY = 'tic';
export const ROAMING_VERSION = 1;
/** Outlook's limit is 32 KB for all of an add-in's roaming settings; keep a margin for the JSON envelope. */
export const ROAMING_LIMIT = 32 * 1024;
const MARGIN = 512;
/**
 * The regarding records chosen lately (recentRecords.ts gives their stored form), under a key of
 * their own: the pane and the ribbon write them, and they must never cost the pending queue a write.
 * Bounded here too, whatever a caller hands in.
 */
export const RECENT_KEY = 'ticRecent';
/** recentRecords.ts keeps the stored form to 2,048 characters: at most three bytes each in UTF-8. */
export const RECENT_LIMIT = 3 * 2048;

/**
 * Appointment tracks the CRM could not take yet (appointmentPorts.ts), under a key of their own: the
 * email queue's entries are of another shape, and its delivery code knows only email.
 */
export const APPOINTMENTS_KEY = 'ticAppointments';

export interface RoamingState {
  readonly v: number;
  readonly crmUrl?: string;
  readonly client: Record<string, unknown>;
  readonly user: Record<string, unknown>;
  readonly pending: PendingTrack[];
  readonly counter: number;
  /**
   * The last settings a session opened online with (§1.4 offline start): identity and the raw CRM
   * settings only — a few hundred bytes plus the OrgDBOrgSettings XML; never a token — and the CRM
   * they came from, so that another CRM never starts on them.
   */
  readonly snapshot?: StoredSnapshot;
}

export interface StoredSnapshot extends SessionSnapshot {
  /** The CRM URL the snapshot was taken from. */
  readonly crm: string;
}

export class RoamingSettingsFullError extends Error {
  override readonly name = 'RoamingSettingsFullError';
  constructor(readonly bytes: number) {
    super(
      `Outlook keeps at most 32 KB of this add-in's settings; saving would need ${Math.ceil(bytes / 1024)} KB. Retry or discard the waiting tracks in Track in CRM first; nothing was changed.`,
    );
  }
}

const EMPTY: RoamingState = { v: ROAMING_VERSION, client: {}, user: {}, pending: [], counter: 0 };

/** UTF-8 length, as the limit counts bytes. */
function byteLength(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/**
 * The user's name kept with the snapshot's identity (shown on an offline start): display text the
 * CRM gave, so bounded, whatever it answered, to keep the snapshot small.
 */
export const SNAPSHOT_USER_NAME_LIMIT = 200;

/**
 * A name as the snapshot keeps it: text within the bound; null (the CRM gave none) kept as null, so
 * that an unchanged identity compares equal and the snapshot is not written again at every start;
 * anything else dropped.
 */
function storedUserName(name: unknown): { userName?: string | null } {
  if (typeof name === 'string') return { userName: name.slice(0, SNAPSHOT_USER_NAME_LIMIT) };
  return name === null ? { userName: null } : {};
}

function isSnapshot(value: unknown): value is StoredSnapshot {
  const s = value as Partial<StoredSnapshot> | null | undefined;
  return (
    !!s &&
    typeof s === 'object' &&
    typeof s.crm === 'string' &&
    typeof s.savedAt === 'string' &&
    typeof s.identity?.userId === 'string' &&
    typeof s.raw === 'object' &&
    s.raw !== null
  );
}

/**
 * A stored snapshot whose name is text within the bound: one written by hand or by another version
 * never hands the pane anything else to show as the user's name.
 */
function readSnapshot(snapshot: StoredSnapshot): StoredSnapshot {
  const { userName, ...identity } = snapshot.identity;
  return { ...snapshot, identity: { ...identity, ...storedUserName(userName) } };
}

/** Only what a start reads: no null or undefined settings, no other keys. */
function compactSnapshot(crm: string, snapshot: SessionSnapshot): StoredSnapshot {
  const clean = (section: Readonly<Record<string, unknown>> | null | undefined): Record<string, unknown> =>
    Object.fromEntries(Object.entries(section ?? {}).filter(([, v]) => v !== null && v !== undefined));
  const { userId, businessUnitId, organizationId, mailboxApproved, userName } = snapshot.identity;
  return {
    crm,
    savedAt: snapshot.savedAt,
    identity: { userId, businessUnitId, organizationId, mailboxApproved, ...storedUserName(userName) },
    raw: { organization: clean(snapshot.raw.organization), user: clean(snapshot.raw.user) },
    ...(snapshot.emailTables ? { emailTables: snapshot.emailTables } : {}),
  };
}

/** The stored recent records as this store keeps them: plain JSON, read by recentRecords.ts. */
export interface RecentRecordsStore {
  /** What is stored (anything, as written by any version); undefined when nothing is. */
  load(): unknown;
  /** Refused (nothing changed) when over RECENT_LIMIT or when all the settings would not fit. */
  save(stored: unknown): Promise<void>;
}

export class RoamingStore {
  constructor(private readonly settings: Office.RoamingSettings) {}

  /** The UTF-8 size of one key as saved (the 32 KB are counted over every key). */
  private bytesOf(key: string, value: unknown = this.settings.get(key)): number {
    return value === undefined || value === null ? 0 : byteLength(JSON.stringify({ [key]: value }));
  }

  /** What the add-in's other keys take, for a write of `key` (the 32 KB are for all of them). */
  private othersThan(key: string): number {
    return [ROAMING_KEY, RECENT_KEY, APPOINTMENTS_KEY]
      .filter((other) => other !== key)
      .reduce((sum, other) => sum + this.bytesOf(other), 0);
  }

  read(): RoamingState {
    const raw = this.settings.get(ROAMING_KEY) as unknown;
    if (!raw || typeof raw !== 'object') return EMPTY;
    const state = raw as Partial<RoamingState>;
    // A state written by a newer version is read as far as its fields are known; an older one is upgraded here.
    return {
      v: ROAMING_VERSION,
      ...(typeof state.crmUrl === 'string' ? { crmUrl: state.crmUrl } : {}),
      client: typeof state.client === 'object' && state.client ? state.client : {},
      user: typeof state.user === 'object' && state.user ? state.user : {},
      pending: Array.isArray(state.pending) ? state.pending : [],
      counter: typeof state.counter === 'number' ? state.counter : 0,
      ...(isSnapshot(state.snapshot) ? { snapshot: readSnapshot(state.snapshot) } : {}),
    };
  }

  /** Applies `change` and saves; refuses (and changes nothing) when the result would not fit. */
  async update(change: (state: RoamingState) => RoamingState): Promise<RoamingState> {
    const next = change(this.read());
    await this.write(ROAMING_KEY, next, this.othersThan(ROAMING_KEY));
    return next;
  }

  /** Saves one key when every key together fits; on a failed save the key is as it was. */
  private async write(key: string, value: unknown, others: number): Promise<void> {
    const bytes = this.bytesOf(key, value) + others;
    if (bytes > ROAMING_LIMIT - MARGIN) throw new RoamingSettingsFullError(bytes);
    const before = this.settings.get(key) as unknown;
    this.settings.set(key, value);
    try {
      await officeCall<void>('Saving the add-in settings', (cb) => this.settings.saveAsync(cb));
    } catch (error) {
      this.settings.set(key, before);
      throw error;
    }
  }

  recentRecords(): RecentRecordsStore {
    return {
      load: () => this.settings.get(RECENT_KEY) as unknown,
      save: async (stored) => {
        const own = this.bytesOf(RECENT_KEY, stored);
        if (own > RECENT_LIMIT)
          throw new Error(`The recent records take ${own} bytes; at most ${RECENT_LIMIT}.`);
        await this.write(RECENT_KEY, stored, this.othersThan(RECENT_KEY));
      },
    };
  }

  localOptions(): LocalOptionsStore {
    return {
      load: async () => {
        const { client, user } = this.read();
        return { client, user };
      },
      save: async (options: LocalOptions) => {
        await this.update((s) => ({ ...s, client: { ...options.client }, user: { ...options.user } }));
      },
    };
  }

  /**
   * The settings snapshot of the CRM at `crmUrl` (an offline start, and the email-enabled tables a
   * start need not ask for again); a snapshot of another CRM reads as none. A write that does not fit
   * is refused like any other.
   */
  sessionSnapshots(crmUrl: string): SessionSnapshotStore {
    return {
      load: async () => {
        const snapshot = this.read().snapshot;
        if (!snapshot || snapshot.crm !== crmUrl) return null;
        const { crm: _crm, ...rest } = snapshot;
        return rest;
      },
      save: async (snapshot) => {
        await this.update((s) => ({ ...s, snapshot: compactSnapshot(crmUrl, snapshot) }));
      },
    };
  }

  pendingStore(): PendingStore {
    return {
      load: async () => this.read().pending,
      save: async (list) => {
        await this.update((s) => ({ ...s, pending: [...list] }));
      },
    };
  }

  /** Appointment tracks kept for retry; what is stored by another version and not a list reads as none. */
  appointmentPending(): PendingAppointmentStore {
    return {
      load: async () => {
        const stored = this.settings.get(APPOINTMENTS_KEY) as unknown;
        return Array.isArray(stored) ? (stored as PendingAppointment[]) : [];
      },
      save: async (list) => {
        await this.write(APPOINTMENTS_KEY, list.length ? [...list] : null, this.othersThan(APPOINTMENTS_KEY));
      },
    };
  }

  tokenCounter(): TokenCounterStore {
    return {
      next: async (max) => {
        let issued = 0;
        await this.update((s) => {
          issued = s.counter > max ? 0 : s.counter;
          return { ...s, counter: nextTrackingCounter(issued, max) };
        });
        return issued;
      },
    };
  }
}
