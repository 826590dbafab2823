/**
 * Effective values (§1.4 "Effective value rules"): what actually applies to a user once the
 * organization's switches and minimums are taken into account, with the reason for every lock and
 * clamp so the options screen can show it next to the disabled control.
 */
import type { AutoCreateOption, FilteringMethod, RecipientReconciliation, Settings } from './settings';

export interface EffectiveOption<T> {
  /** What the rules use. */
  readonly value: T;
  /** What the user chose (or the default). Differs from `value` when locked or clamped. */
  readonly chosen: T;
  /** The user may not change it. */
  readonly locked: boolean;
  /** Why it is locked, in words for the options screen; null when not locked. */
  readonly lockReason: string | null;
  /** Why the value differs from the choice (a clamp), null otherwise. */
  readonly note: string | null;
}

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
const locked = <T>(value: T, chosen: T, lockReason: string): EffectiveOption<T> => ({
  value,
  chosen,
  locked: true,
  lockReason,
  note: null,
});

function interval(
  chosen: number,
  minimum: number,
  allowed: boolean,
  what: string,
  lock: string,
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
      'Your organization does not let users schedule synchronization (System Settings › Outlook).',
    ),
    recipientReconciliation: free(user.recipientReconciliation),
    addressbooksyncinterval: interval(
      user.addressbooksyncinterval,
      org.minaddressbooksyncinterval,
      org.allowaddressbooksyncs,
      'address book refresh',
      'Your organization does not let users refresh the address book on a schedule (System Settings › Outlook).',
    ),
    offlinesyncinterval: interval(
      user.offlinesyncinterval,
      org.minofflinesyncinterval,
      org.allowofflinescheduledsyncs,
      'local data updates',
      'Your organization does not let users update local data in the background (System Settings › Outlook).',
    ),
    isduplicatedetectionenabledwhengoingonline: free(user.isduplicatedetectionenabledwhengoingonline),
    backgroundSendEmail: free(client.backgroundSendEmail),
    backgroundTrackEmail: org.promoteIncomingEmail
      ? free(client.backgroundTrackEmail)
      : locked(
          false,
          client.backgroundTrackEmail,
          'Your organization has turned off email promotion: no client checks incoming email (System Settings › Outlook).',
        ),
    incomingemailfilteringmethod: orgDb.HideEmailAutoTrackOptions
      ? locked<FilteringMethod>(
          1,
          user.incomingemailfilteringmethod,
          'Your organization sets which messages are tracked: email in response to CRM email (HideEmailAutoTrackOptions).',
        )
      : free(user.incomingemailfilteringmethod),
    autocreatecontactonpromote: orgDb.AutoCreateContactOnPromote
      ? free(user.autocreatecontactonpromote)
      : locked<AutoCreateOption>(
          0,
          user.autocreatecontactonpromote,
          'Your organization does not create records from email senders (AutoCreateContactOnPromote).',
        ),
  };
}
