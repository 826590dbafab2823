/** What the pane shows for one item: the outcome of a use case, in plain data. */
import type { ResolvedAttendee } from './appointmentUseCases';
import type { SkippedAttachment } from './trackPlan';
import { ServiceError } from '../crm/retryPolicy';
import type { DiagnosticsLog } from './ports';
import type { CrmRecord, EmailFacts, RecordRef } from '../rules/types';
import type { Decision } from '../rules/decide';
import { REASON_TEXT } from '../rules/reasons';
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

/** A waiting track delivered (found in the CRM, or sent): on the card and the item's notification alike. */
export const DELIVERED_TEXT = 'Tracked in the CRM (the waiting track was delivered).';

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

/** Any failure as the user sees it; unknown errors are bugs and say so (never "something bad happened"). */
export function userFacingError(error: unknown): UserFacingError {
  // The CRM's errors and Graph's (the background check) alike.
  if (error instanceof ServiceError)
    return { short: error.shortMessage, verbose: error.verboseMessage, retryable: error.retryable };
  if (error instanceof RulesRefusedError)
    return { short: error.message, verbose: `${error.message} (reason ${error.reason})`, retryable: false };
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { short: `Track in CRM hit an unexpected error (${message}).`, verbose: message, retryable: false };
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
): { failure: UserFacingError; text: string } {
  const failure = userFacingError(error);
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
  constructor(decision: Decision) {
    super(`The CRM's rules no longer track this email. ${reasonMessage(decision)}`);
    this.reason = decision.reason;
  }
}

export function reasonMessage(decision: Decision): string {
  if (decision.reason === 'SenderConflict') {
    return `Not tracked automatically: the sender matches ${decision.senderCandidates.length} records and your organization does not pick one.`;
  }
  return REASON_TEXT[decision.reason];
}
