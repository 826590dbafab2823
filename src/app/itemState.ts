/** What the pane shows for one item: the outcome of a use case, in plain data. */
import type { ResolvedAttendee } from './appointmentUseCases';
import type { SkippedAttachment } from './trackPlan';
import { ServiceError } from '../crm/retryPolicy';
import type { DiagnosticsLog } from './ports';
import type { CrmRecord, EmailFacts, RecordRef } from '../rules/types';
import type { Decision } from '../rules/decide';
import { englishAppWords, reasonKey, type AppTranslate } from './appWords';
import { isWordedFailure } from '../i18n/failureWords';
import { isValidAddress } from '../rules/addresses';
import { buildCrmIndex } from '../rules/crmIndex';
import { effectivePersonalOptions } from '../rules/effectiveSettings';
import { matchAddress } from '../rules/parties';
import type { Settings } from '../rules/settings';

export type ItemStatus =
  /** In the CRM (tracked now, earlier, or by someone else). */
  | 'tracked'
  | 'not-tracked'
  /** The organization requires a regarding record before tracking (OverrideTrackInCrmBehaviour). */
  | 'needs-regarding'
  /** The CRM could not be reached: queued, will be tried again. */
  | 'pending'
  /** Gave up after the tries of §5, or a failure trying again cannot fix. */
  | 'undeliverable'
  /** A failure the user should see now (the CRM refused; nothing was queued). */
  | 'failed';

export interface UserFacingError {
  /** What VerboseErrorsOnPromoteToCRM = 0 shows. */
  readonly short: string;
  /** Status, Dataverse code and request id: shown when verbose errors are on, logged always. */
  readonly verbose: string;
  readonly retryable: boolean;
}

export interface ItemState {
  readonly itemId: string;
  readonly status: ItemStatus;
  readonly activityId: string | null;
  readonly regarding: RecordRef | null;
  /** The decision behind the state (null when none could be made: the CRM was not reachable). */
  readonly decision: Decision | null;
  /** The reason in plain words (§4), or what happened. */
  readonly message: string;
  readonly error: UserFacingError | null;
  /** Names of the records the decision mentions (sender, parties, regarding, candidates), by `type:id`. */
  readonly names: Readonly<Record<string, string>>;
  /** Attachments of a tracked email that did not go to the CRM, and why (also named in `message`). */
  readonly skippedAttachments?: readonly SkippedAttachment[];
  /**
   * How many active records the sender's address matched in the lookup behind `decision` (null or
   * absent: no lookup). A decision leaves the sender unresolved both when nothing matched and when
   * several did under UnresolveSenderInCaseOfMultipleMatch; the review form needs to tell them apart.
   */
  readonly senderMatchCount?: number | null;
  /** Set when the item is a meeting (issue 12): what the card shows instead of a sender and parties. */
  readonly appointment?: AppointmentDetails;
}

/** A meeting on the card: when and where, and its organizer and attendees as the CRM resolves them. */
export interface AppointmentDetails {
  /** The form Outlook opened: the organizer's or an attendee's. */
  readonly form: 'organizer' | 'attendee';
  /** ISO 8601 instants. */
  readonly start: string;
  readonly end: string;
  readonly isAllDayEvent: boolean;
  readonly location: string;
  readonly attendees: readonly ResolvedAttendee[];
}

/**
 * A waiting track delivered (found in the CRM, or sent): on the card and the item's notification alike.
 * English; a surface with a language says t('app.delivered').
 */
export const DELIVERED_TEXT = englishAppWords('app.delivered');

export const refKey = (ref: RecordRef): string => `${ref.type}:${ref.id}`;

/** Names for the pane: the records the addresses matched, and the records tracked emails are regarding. */
export function namesOf(lookup: {
  records: readonly CrmRecord[];
  regardingNames?: Readonly<Record<string, string>>;
}): Record<string, string> {
  const names: Record<string, string> = { ...lookup.regardingNames };
  for (const record of lookup.records) if (record.name) names[refKey(record)] = record.name;
  return names;
}

/**
 * The sender's raw matches in a lookup, counted as the rules count them (parties.ts `senderMatches`:
 * active records only, under the user's recipient reconciliation; no valid address matches nothing).
 */
export function senderMatchCountOf(
  facts: Pick<EmailFacts, 'from'>,
  settings: Settings,
  lookup: { records: readonly CrmRecord[] },
): number {
  const from = facts.from;
  if (!from || !isValidAddress(from.address)) return 0;
  const reconciliation = effectivePersonalOptions(settings).recipientReconciliation.value;
  return matchAddress(buildCrmIndex(lookup.records, []), from.address, reconciliation).length;
}

/**
 * Any failure as the user sees it, in the words `t` gives (English by default); unknown errors are bugs
 * and say so (never "something bad happened"). The verbose text stays as the service said it: it is
 * what support reads, in any language.
 */
export function userFacingError(error: unknown, t: AppTranslate = englishAppWords): UserFacingError {
  // The CRM's errors and Graph's (the background check) alike.
  if (error instanceof ServiceError) {
    const short = isWordedFailure(error) ? t(`app.${error.shortKey}`, error.shortParams) : error.shortMessage;
    return { short, verbose: error.verboseMessage, retryable: error.retryable };
  }
  if (error instanceof RulesRefusedError) {
    const short = t('app.rulesRefused', { reason: reasonMessage(error.decision, t) });
    return { short, verbose: `${error.message} (reason ${error.reason})`, retryable: false };
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { short: t('app.unexpectedError', { detail: message }), verbose: message, retryable: false };
}

/** The error text for this user: verbose or short per VerboseErrorsOnPromoteToCRM. */
export function errorText(error: UserFacingError, verbose: boolean): string {
  return verbose ? error.verbose : error.short;
}

/**
 * A failure the user is about to be shown: the text per VerboseErrorsOnPromoteToCRM (§1.2), and the
 * detail (status, Dataverse code, request id) to the diagnostics log. Logged whatever the setting:
 * with 0 the log is the only place the detail exists, and with 1 support still needs it afterwards.
 */
export function reportFailure(
  log: DiagnosticsLog,
  what: string,
  error: unknown,
  verbose: boolean,
  t: AppTranslate = englishAppWords,
): { failure: UserFacingError; text: string } {
  const failure = userFacingError(error, t);
  log.log(`${what}: ${failure.verbose}`, error);
  return { failure, text: errorText(failure, verbose) };
}

/**
 * A queued track the rules no longer allow when it is tried again (the organization now requires a
 * regarding record, the sender is no longer in the CRM): said in the rules' words, not retried.
 */
export class RulesRefusedError extends Error {
  override readonly name = 'RulesRefusedError';
  readonly reason: Decision['reason'];
  constructor(readonly decision: Decision) {
    // English, for the log; the user reads it in their language through userFacingError.
    super(englishAppWords('app.rulesRefused', { reason: reasonMessage(decision) }));
    this.reason = decision.reason;
  }
}

/** The decision's reason in plain words (§4), in the words `t` gives (English by default). */
export function reasonMessage(decision: Decision, t: AppTranslate = englishAppWords): string {
  if (decision.reason === 'SenderConflict')
    return t('app.senderConflictCounted', { count: decision.senderCandidates.length });
  return t(reasonKey(decision.reason));
}
