/**
 * Effective values (§1.4 "Effective value rules"): what actually applies to a user once the
 * organization's switches and minimums are taken into account, with the reason for every lock and
 * clamp so the options screen can show it next to the disabled control.
 */
import type { AutoCreateOption, FilteringMethod, RecipientReconciliation, Settings } from './settings';

/**
 * Why the organization keeps a personal option from being changed. The sentence is for the user, who
 * does not know setting names; the setting (and where it is kept) is for whoever asks an
 * administrator to change it, so the screen shows it apart, as a detail.
 */
export interface LockReason {
  /** A plain sentence: what the organization decided, in the words of the options screen. */
  readonly text: string;
  /** The setting that locks the option and where it is kept, e.g. `HideEmailAutoTrackOptions (OrgDBOrgSettings)`. */
  readonly setting: string;
}

/** A lock always carries its reason: the options screen never shows a disabled option without one. */
export type EffectiveOption<T> = {
  /** What the rules use. */
  readonly value: T;
  /** What the user chose (or the default). Differs from `value` when locked or clamped. */
  readonly chosen: T;
  /** Why the value differs from the choice (a clamp), null otherwise. */
  readonly note: string | null;
} & (
  | { readonly locked: false; readonly lockReason: null }
  /** The user may not change it, for this reason. */
  | { readonly locked: true; readonly lockReason: LockReason }
);

/** The personal options and their two-view switches (§1.3–§1.4) as they apply. */
export interface EffectivePersonalOptions {
  readonly synchronizeWithOutlook: EffectiveOption<boolean>;
  readonly synccontactcompany: EffectiveOption<boolean>;
  readonly isSynchronizationClient: EffectiveOption<boolean>;
  readonly outlooksyncinterval: EffectiveOption<number>;
  readonly recipientReconciliation: EffectiveOption<RecipientReconciliation>;
  readonly addressbooksyncinterval: EffectiveOption<number>;
  readonly offlinesyncinterval: EffectiveOption<number>;
  readonly isduplicatedetectionenabledwhengoingonline: EffectiveOption<boolean>;
  /** "Allow sending email through this client": the same value as the client switch. */
  readonly backgroundSendEmail: EffectiveOption<boolean>;
  /** "Check incoming email and decide whether to track it": the same value as the client switch. */
  readonly backgroundTrackEmail: EffectiveOption<boolean>;
  readonly incomingemailfilteringmethod: EffectiveOption<FilteringMethod>;
  readonly autocreatecontactonpromote: EffectiveOption<AutoCreateOption>;
}

const free = <T>(value: T): EffectiveOption<T> => ({
  value,
  chosen: value,
  locked: false,
  lockReason: null,
  note: null,
});
const locked = <T>(value: T, chosen: T, lockReason: LockReason): EffectiveOption<T> => ({
  value,
  chosen,
  locked: true,
  lockReason,
  note: null,
});

// The organization columns are changed in System Settings › Outlook; the OrgDBOrgSettings names in the
// organization's orgdborgsettings XML; promoteIncomingEmail in a Dataverse environment variable (§1.1).
const LOCKS = {
  scheduledSync: {
    text: 'Your organization does not let users schedule synchronization.',
    setting: 'allowoutlookscheduledsyncs (System Settings › Outlook)',
  },
  addressBookRefresh: {
    text: 'Your organization does not let users refresh the address book on a schedule.',
    setting: 'allowaddressbooksyncs (System Settings › Outlook)',
  },
  localDataUpdates: {
    text: 'Your organization does not let users update local data in the background.',
    setting: 'allowofflinescheduledsyncs (System Settings › Outlook)',
  },
  promotion: {
    text: 'Your organization has turned off checking incoming email for everyone.',
    setting: 'tic_promoteIncomingEmail (environment variable)',
  },
  filteringMethod: {
    text: 'Your organization sets which messages are tracked (responses to CRM email).',
    setting: 'HideEmailAutoTrackOptions (OrgDBOrgSettings)',
  },
  autoCreate: {
    text: 'Your organization does not create contacts or leads from email senders.',
    setting: 'AutoCreateContactOnPromote (OrgDBOrgSettings)',
  },
} as const satisfies Record<string, LockReason>;

function interval(
  chosen: number,
  minimum: number,
  allowed: boolean,
  what: string,
  lock: LockReason,
): EffectiveOption<number> {
  const value = Math.max(chosen, minimum);
  const note =
    value !== chosen
      ? `Raised from ${chosen} to ${minimum} minutes, your organization's minimum for ${what}.`
      : null;
  return allowed
    ? { value, chosen, locked: false, lockReason: null, note }
    : { value, chosen, locked: true, lockReason: lock, note };
}

export function effectivePersonalOptions(settings: Settings): EffectivePersonalOptions {
  const { organization: org, orgDb, client, user } = settings;
  return {
    synchronizeWithOutlook: free(user.synchronizeWithOutlook),
    synccontactcompany: free(user.synccontactcompany),
    isSynchronizationClient: free(user.isSynchronizationClient),
    outlooksyncinterval: interval(
      user.outlooksyncinterval,
      org.minoutlooksyncinterval,
      org.allowoutlookscheduledsyncs,
      'scheduled synchronization',
      LOCKS.scheduledSync,
    ),
    recipientReconciliation: free(user.recipientReconciliation),
    addressbooksyncinterval: interval(
      user.addressbooksyncinterval,
      org.minaddressbooksyncinterval,
      org.allowaddressbooksyncs,
      'address book refresh',
      LOCKS.addressBookRefresh,
    ),
    offlinesyncinterval: interval(
      user.offlinesyncinterval,
      org.minofflinesyncinterval,
      org.allowofflinescheduledsyncs,
      'local data updates',
      LOCKS.localDataUpdates,
    ),
    isduplicatedetectionenabledwhengoingonline: free(user.isduplicatedetectionenabledwhengoingonline),
    backgroundSendEmail: free(client.backgroundSendEmail),
    backgroundTrackEmail: org.promoteIncomingEmail
      ? free(client.backgroundTrackEmail)
      : locked(false, client.backgroundTrackEmail, LOCKS.promotion),
    incomingemailfilteringmethod: orgDb.HideEmailAutoTrackOptions
      ? locked<FilteringMethod>(1, user.incomingemailfilteringmethod, LOCKS.filteringMethod)
      : free(user.incomingemailfilteringmethod),
    autocreatecontactonpromote: orgDb.AutoCreateContactOnPromote
      ? free(user.autocreatecontactonpromote)
      : locked<AutoCreateOption>(0, user.autocreatecontactonpromote, LOCKS.autoCreate),
  };
}
