/**
 * One signed-in session: who the user is and the settings that apply, loaded once (one CRM round
 * trip at start, dataverse-facts: WhoAmI, then one $batch for settings) and reused by every use case.
 */
import type { CrmIdentity, CrmPort } from '../crm/port';
import { effectivePersonalOptions, type EffectivePersonalOptions } from '../rules/effectiveSettings';
import type { Settings } from '../rules/settings';
import { resolveSettings, type RawSettings, type SettingsIssue } from '../rules/settingsInput';
import type { UserContext } from '../rules/types';
import type { Clock, MailboxPort, PendingStore, TokenCounterStore } from './ports';

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
}

export interface SessionDeps {
  readonly crm: CrmPort;
  readonly mailbox: MailboxPort;
  readonly pending: PendingStore;
  readonly tokens: TokenCounterStore;
  readonly localOptions: LocalOptionsStore;
  readonly clock: Clock;
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

export async function openSession(deps: SessionDeps): Promise<Session> {
  const identity = await deps.crm.whoAmI();
  const [snapshot, local] = await Promise.all([
    deps.crm.loadSettings(identity.userId),
    deps.localOptions.load(),
  ]);
  const { settings, issues } = resolveSettings(mergeSettings(snapshot.raw, local));
  return {
    ...deps,
    identity,
    user: {
      id: identity.userId,
      email: deps.mailbox.userAddress(),
      mailboxApproved: identity.mailboxApproved,
    },
    settings,
    options: effectivePersonalOptions(settings),
    settingsIssues: issues,
  };
}
