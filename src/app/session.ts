/**
 * One signed-in session: who the user is and the settings that apply, loaded once (ONE CRM round
 * trip at start: a single $batch, see CrmPort.openSession) and reused by every use case.
 *
 * Offline start (§1.4: personal options are "mirrored in roaming settings for offline start"):
 * every session opened online leaves a snapshot (identity and raw CRM settings, no tokens) in
 * roaming settings; when the CRM cannot be reached at start (offline, timeout, 429/5xx), the session
 * opens from that snapshot, marked `offline`, so the pane can say so and tracks are queued.
 */
import { CrmError } from '../crm/errors';
import type { CrmIdentity, CrmPort, EmailTablesFound } from '../crm/port';
import { effectivePersonalOptions, type EffectivePersonalOptions } from '../rules/effectiveSettings';
import type { Settings } from '../rules/settings';
import { resolveSettings, type RawSettings, type SettingsIssue } from '../rules/settingsInput';
import type { UserContext } from '../rules/types';
import type { Clock, DiagnosticsLog, MailboxPort, PendingStore, TokenCounterStore } from './ports';

/** The last settings a session opened online with: what an offline start opens from. */
export interface SessionSnapshot {
  /** When it was taken (ISO 8601). */
  readonly savedAt: string;
  readonly identity: CrmIdentity;
  readonly raw: RawSettings;
  /** The custom email-enabled tables found, so the next start need not ask for their columns again. */
  readonly emailTables?: EmailTablesFound;
}

/**
 * How long the address columns of custom email-enabled tables are trusted from the snapshot. Within
 * it, a start whose organization lists the same tables costs one round trip, not two; past it they
 * are asked again (an Email column added to a table already known is found within a day).
 */
export const EMAIL_TABLES_TRUSTED_MS = 24 * 60 * 60 * 1000;
/** A snapshot unchanged this long is written again, so that its `savedAt` says how fresh it is. */
const SNAPSHOT_REFRESH_MS = EMAIL_TABLES_TRUSTED_MS / 2;

export interface SessionSnapshotStore {
  load(): Promise<SessionSnapshot | null>;
  save(snapshot: SessionSnapshot): Promise<void>;
}

/** A session opened from the snapshot because the CRM could not be reached. */
export interface OfflineStart {
  /** When the settings it runs on were taken. */
  readonly settingsSavedAt: string;
  /** Why the CRM could not be asked (for the pane and the diagnostics log). */
  readonly reason: CrmError;
}

/** Options the user keeps in roaming settings: §1.3 switches and the personal options with no Dataverse home. */
export interface LocalOptions {
  readonly client: Readonly<Record<string, unknown>>;
  readonly user: Readonly<Record<string, unknown>>;
}

export interface LocalOptionsStore {
  load(): Promise<LocalOptions>;
  save(options: LocalOptions): Promise<void>;
}

export interface Session {
  readonly crm: CrmPort;
  readonly mailbox: MailboxPort;
  readonly pending: PendingStore;
  readonly tokens: TokenCounterStore;
  readonly clock: Clock;
  readonly identity: CrmIdentity;
  readonly user: UserContext;
  readonly settings: Settings;
  readonly options: EffectivePersonalOptions;
  /** Problems found in the settings (unknown names, malformed XML): for the diagnostics log. */
  readonly settingsIssues: readonly SettingsIssue[];
  /** Set when the session opened from the roaming snapshot (stale settings); tracks must be queued. */
  readonly offline?: OfflineStart;
}

export interface SessionDeps {
  readonly crm: CrmPort;
  readonly mailbox: MailboxPort;
  readonly pending: PendingStore;
  readonly tokens: TokenCounterStore;
  readonly localOptions: LocalOptionsStore;
  readonly clock: Clock;
  /** Where the last online settings are kept for an offline start; none = no offline start. */
  readonly snapshots?: SessionSnapshotStore;
  readonly log?: DiagnosticsLog;
}

/**
 * The CRM's rows win for what they hold (organization, usersettings); roaming settings add the
 * client switches and the options Dataverse has no attribute for.
 */
export function mergeSettings(crm: RawSettings, local: LocalOptions): RawSettings {
  return {
    organization: crm.organization ?? {},
    client: { ...local.client },
    user: { ...local.user, ...crm.user },
  };
}

const sameSnapshot = (a: SessionSnapshot | null, b: SessionSnapshot): boolean =>
  !!a && JSON.stringify({ ...a, savedAt: '' }) === JSON.stringify({ ...b, savedAt: '' });

const ageOf = (snapshot: SessionSnapshot, now: number): number => now - Date.parse(snapshot.savedAt);

/**
 * Keeps the snapshot when it changed or has grown old; a failure to keep it (roaming settings full)
 * is logged, not thrown.
 */
async function keepSnapshot(
  deps: SessionDeps,
  previous: SessionSnapshot | null,
  snapshot: SessionSnapshot,
): Promise<void> {
  const store = deps.snapshots;
  if (!store) return;
  try {
    const recent = previous !== null && ageOf(previous, deps.clock.now()) < SNAPSHOT_REFRESH_MS;
    if (recent && sameSnapshot(previous, snapshot)) return;
    await store.save(snapshot);
  } catch (error) {
    deps.log?.log('The settings snapshot for an offline start could not be saved', error);
  }
}

async function loadSnapshot(deps: SessionDeps): Promise<SessionSnapshot | null> {
  if (!deps.snapshots) return null;
  return deps.snapshots.load().catch((unreadable: unknown) => {
    deps.log?.log('The settings snapshot could not be read', unreadable);
    return null;
  });
}

export async function openSession(deps: SessionDeps): Promise<Session> {
  const localLoading = deps.localOptions.load();
  // Roaming settings are in memory once Office has started: reading the snapshot costs no round trip.
  const previous = await loadSnapshot(deps);
  let identity: CrmIdentity;
  let raw: RawSettings;
  let offline: OfflineStart | undefined;
  try {
    const trusted =
      previous?.emailTables && ageOf(previous, deps.clock.now()) < EMAIL_TABLES_TRUSTED_MS
        ? previous.emailTables
        : undefined;
    const start = await deps.crm.openSession(trusted);
    identity = start.identity;
    raw = start.settings.raw;
    // Not awaited: the pane does not wait on Exchange for a copy it needs only next time offline.
    void keepSnapshot(deps, previous, {
      savedAt: new Date(deps.clock.now()).toISOString(),
      identity,
      raw,
      emailTables: start.emailTables,
    });
  } catch (error) {
    // Only a failure time can fix opens offline; a refusal (sign in again, 403) is the user's to see.
    if (!(error instanceof CrmError) || !error.retryable || !deps.snapshots) throw error;
    const snapshot = previous;
    if (!snapshot) throw error;
    deps.log?.log(
      `The CRM could not be reached; opened offline on the settings of ${snapshot.savedAt}`,
      error,
    );
    identity = snapshot.identity;
    raw = snapshot.raw;
    offline = { settingsSavedAt: snapshot.savedAt, reason: error };
  }
  const local = await localLoading;
  const { settings, issues } = resolveSettings(mergeSettings(raw, local));
  return {
    crm: deps.crm,
    mailbox: deps.mailbox,
    pending: deps.pending,
    tokens: deps.tokens,
    clock: deps.clock,
    identity,
    user: {
      id: identity.userId,
      email: deps.mailbox.userAddress(),
      mailboxApproved: identity.mailboxApproved,
    },
    settings,
    options: effectivePersonalOptions(settings),
    settingsIssues: issues,
    ...(offline ? { offline } : {}),
  };
}
