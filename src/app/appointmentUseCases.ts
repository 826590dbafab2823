/**
 * The use cases on a calendar item (issue 12, "Tracking appointments"): its status when the pane shows
 * it, "Track in CRM" (ribbon or pane), Set Regarding and Untrack. A tracked meeting becomes a CRM
 * appointment whose activity parties are its organizer (7), required (5) and optional (6) attendees,
 * each address resolved to records by the rules of tracking.md §2.4, with the email's own code.
 *
 * What the email rules of §2.1–§2.3 decide (filtering, correlation, direction) has no meaning for a
 * meeting: a track is the user's request, as §2.2 step 3 for email, with its step 2 (a regarding record
 * the organization requires) kept. Records are never created from a meeting's addresses (§2.5 is for a
 * received email's sender).
 */
import { CrmError, CrmForbiddenError, CrmNotFoundError } from '../crm/errors';
import type { AttendeeRole, AttendeeToTrack, CrmAppointmentPort, TrackedAppointment } from '../crm/port';
import { TRACKED_CATEGORY } from '../mailbox/categories';
import { addressKey } from '../rules/addresses';
import { buildCrmIndex } from '../rules/crmIndex';
import { addressMatcher, resolveRecipients, senderMatches, type AddressMatcher } from '../rules/parties';
import type { MailAddress, RecordRef } from '../rules/types';
import type {
  AppointmentMailboxPort,
  AppointmentSnapshot,
  PendingAppointmentStore,
} from './appointmentPorts';
import { englishAppPaneWords, paneWordsOf } from './appPaneWords';
import type { AppTranslate } from './appWords';
import { verboseErrors, type LoggedSession } from './diagnostics';
import { refKey, reportFailure, userFacingError, type UserFacingError } from './itemState';
import type { Notice } from './ports';

/** One attendee as the pane shows it: the records the address resolves (or resolved) to. */
export interface ResolvedAttendee {
  readonly role: AttendeeRole;
  readonly address: string;
  readonly displayName: string | null;
  readonly records: readonly { readonly ref: RecordRef; readonly name: string | null }[];
}

export type AppointmentStatus = 'tracked' | 'not-tracked' | 'needs-regarding' | 'pending' | 'failed';

export interface AppointmentState {
  readonly itemId: string;
  readonly status: AppointmentStatus;
  readonly activityId: string | null;
  readonly regarding: RecordRef | null;
  readonly regardingName: string | null;
  /** Tracked: the parties the CRM holds; otherwise how the addresses resolve now. Empty when unknown. */
  readonly attendees: readonly ResolvedAttendee[];
  readonly message: string;
  readonly error: UserFacingError | null;
}

/** What the appointment use cases are given: the session, the calendar item's port, the retry store. */
export interface AppointmentDeps {
  readonly session: LoggedSession;
  readonly mailbox: AppointmentMailboxPort;
  readonly pending: PendingAppointmentStore;
}

export interface AppointmentTrackOptions {
  /** Asks for a regarding record (the ribbon's dialog); called only when the organization requires one. */
  readonly chooseRegarding?: () => Promise<RecordRef | null>;
}

/** The words of the session's surface (English when it has none). */
const wordsFor = (deps: { readonly session: LoggedSession }) => paneWordsOf(deps.session);

/** A port without appointments is a programming error (the dialog's CRM); said plainly, not as a CRM failure. */
export class AppointmentsUnsupportedError extends Error {
  override readonly name = 'AppointmentsUnsupportedError';
  constructor() {
    super(englishAppPaneWords('appPane.appointmentsUnsupported'));
  }
}

function appointmentsOf(session: LoggedSession): CrmAppointmentPort {
  const port = session.crm.appointments;
  if (!port) throw new AppointmentsUnsupportedError();
  return port;
}

function state(
  item: AppointmentSnapshot,
  status: AppointmentStatus,
  parts: Partial<Omit<AppointmentState, 'itemId' | 'status' | 'message'>> & { message: string },
): AppointmentState {
  return {
    itemId: item.itemId,
    status,
    activityId: parts.activityId ?? null,
    regarding: parts.regarding ?? null,
    regardingName: parts.regardingName ?? null,
    attendees: parts.attendees ?? [],
    message: parts.message,
    error: parts.error ?? null,
  };
}

/** A notice that cannot be shown (the user moved on) must not replace the outcome: it goes to the log. */
async function tell(deps: AppointmentDeps, itemId: string, notice: Notice): Promise<void> {
  try {
    await deps.mailbox.notify(itemId, notice);
  } catch (error) {
    deps.session.log.log(`Could not show "${notice.text}" on the appointment ${itemId}.`, error);
  }
}

/** Every address of the meeting once per role, the organizer first (as Dataverse lists the parties). */
function attendeesOf(item: AppointmentSnapshot): { role: AttendeeRole; address: MailAddress }[] {
  return [
    ...(item.organizer ? [{ role: 'organizer' as const, address: item.organizer }] : []),
    ...item.requiredAttendees.map((address) => ({ role: 'required' as const, address })),
    ...item.optionalAttendees.map((address) => ({ role: 'optional' as const, address })),
  ].filter((a) => a.address.address.trim() !== '');
}

/**
 * §2.4 over the meeting's addresses, in one CRM lookup (the email's lookupItem, addresses only). The
 * attendees resolve as an email's recipients do (every match; none when several match and
 * `unresolveemailaddressifmultiplematch`); the organizer as an email's sender (§2.1 step 8 without the
 * override, which asks the user to pick and has no place on a meeting (chosen)): one match, or the
 * record created first, or none with UnresolveSenderInCaseOfMultipleMatch.
 */
export async function resolveAttendees(
  session: LoggedSession,
  item: AppointmentSnapshot,
): Promise<{ attendees: AttendeeToTrack[]; names: Record<string, string> }> {
  const people = attendeesOf(item);
  const lookup = await session.crm.lookupItem({
    messageId: null,
    addresses: [...new Set(people.map((p) => p.address.address.trim()))],
    threadMessageIds: [],
    trackingTokens: [],
    threadIndexes: [],
    subjectWords: null,
  });
  const index = buildCrmIndex(lookup.records, []);
  const match: AddressMatcher = addressMatcher(index, session.options.recipientReconciliation.value);
  const names: Record<string, string> = {};
  for (const record of lookup.records) if (record.name) names[refKey(record)] = record.name;
  const attendees = people.map(({ role, address }): AttendeeToTrack => {
    if (role === 'organizer') {
      const found = senderMatches(address.address, match);
      const records =
        found.kind === 'resolved'
          ? [found.record]
          : found.kind === 'conflict' && !session.settings.orgDb.UnresolveSenderInCaseOfMultipleMatch
            ? found.candidates.slice(0, 1)
            : [];
      return {
        role,
        address: address.address.trim(),
        records: records.map((r) => ({ type: r.type, id: r.id })),
      };
    }
    const [party] = resolveRecipients(
      { ...EMPTY_FACTS, to: [address] },
      match,
      session.settings.organization.unresolveemailaddressifmultiplematch,
    );
    return { role, address: address.address.trim(), records: party?.records ?? [] };
  });
  return { attendees, names };
}

const EMPTY_FACTS = {
  messageId: null,
  subject: '',
  direction: 'incoming',
  folder: 'calendar',
  from: null,
  to: [],
  cc: [],
  bcc: [],
  inReplyTo: null,
  references: [],
  threadIndex: null,
  receivedAt: null,
  composeType: null,
} as const;

/** The resolution as the pane lists it, with the display names Outlook gave the addresses. */
function shown(
  item: AppointmentSnapshot,
  attendees: readonly AttendeeToTrack[],
  names: Readonly<Record<string, string>>,
): ResolvedAttendee[] {
  const displayNames = new Map(attendeesOf(item).map((a) => [addressKey(a.address.address), a.address.name]));
  return attendees.map((a) => ({
    role: a.role,
    address: a.address,
    displayName: displayNames.get(addressKey(a.address)) ?? null,
    records: a.records.map((ref) => ({ ref, name: names[refKey(ref)] ?? null })),
  }));
}

/** The parties the CRM holds, for a tracked appointment's card. */
function partiesShown(item: AppointmentSnapshot, found: TrackedAppointment): ResolvedAttendee[] {
  const displayNames = new Map(attendeesOf(item).map((a) => [addressKey(a.address.address), a.address.name]));
  const byKey = new Map<
    string,
    { role: AttendeeRole; address: string; records: ResolvedAttendee['records'] }
  >();
  for (const party of found.parties) {
    const address = party.address ?? '';
    const key = `${party.role}\n${addressKey(address)}`;
    const entry = byKey.get(key) ?? { role: party.role, address, records: [] };
    byKey.set(key, {
      ...entry,
      records: party.record ? [...entry.records, { ref: party.record, name: party.name }] : entry.records,
    });
  }
  // Organizer first, then required, then optional, as Outlook lists them (the CRM keeps no order).
  const rank: Record<AttendeeRole, number> = { organizer: 0, required: 1, optional: 2 };
  return [...byKey.values()]
    .sort((a, b) => rank[a.role] - rank[b.role])
    .map((p) => ({
      ...p,
      displayName: displayNames.get(addressKey(p.address)) ?? null,
    }));
}

async function ensureTagged(
  deps: AppointmentDeps,
  item: AppointmentSnapshot,
  activityId: string,
  regarding: RecordRef | null,
) {
  const same =
    item.tag?.activityId === activityId &&
    item.tag.regarding?.id === regarding?.id &&
    item.categories.includes(TRACKED_CATEGORY);
  if (!same) await deps.mailbox.tagTracked(item.itemId, { activityId, regarding });
}

async function removePending(deps: AppointmentDeps, itemId: string): Promise<void> {
  const list = await deps.pending.load();
  if (list.some((p) => p.itemId === itemId)) await deps.pending.save(list.filter((p) => p.itemId !== itemId));
}

/** The CRM's appointment behind the item's tag; null when untagged or deleted in the CRM. */
async function trackedOf(
  deps: AppointmentDeps,
  item: AppointmentSnapshot,
): Promise<TrackedAppointment | null> {
  if (!item.tag) return null;
  return appointmentsOf(deps.session).findAppointment(item.tag.activityId);
}

function trackedState(
  item: AppointmentSnapshot,
  found: TrackedAppointment,
  message: string,
): AppointmentState {
  return state(item, 'tracked', {
    activityId: found.activityId,
    regarding: found.regarding,
    regardingName: found.regardingName,
    attendees: partiesShown(item, found),
    message,
  });
}

/**
 * The pane shows a calendar item: tracked (the CRM's appointment, its regarding and parties), waiting
 * to be tracked (a track the CRM could not take is tried again now), or not tracked (how its attendees
 * would resolve). A tag whose appointment is gone from the CRM is removed.
 */
export async function appointmentOpened(
  deps: AppointmentDeps,
  item: AppointmentSnapshot,
): Promise<AppointmentState> {
  const waiting = (await deps.pending.load()).find((p) => p.itemId === item.itemId);
  if (waiting) return trackAppointment(deps, item, waiting.regarding);
  try {
    const found = await trackedOf(deps, item);
    if (found) return trackedState(item, found, wordsFor(deps)('app.tracked'));
    if (item.tag) await deps.mailbox.removeTags(item.itemId);
    const { attendees, names } = await resolveAttendees(deps.session, item);
    return state(item, 'not-tracked', {
      attendees: shown(item, attendees, names),
      message: wordsFor(deps)('appPane.appointmentNotTracked'),
    });
  } catch (error) {
    if (!(error instanceof CrmError)) throw error;
    const t = wordsFor(deps);
    const { failure, text } = reportFailure(
      deps.session.log,
      'Could not check an appointment',
      error,
      verboseErrors(deps.session),
      t,
    );
    return state(item, 'failed', {
      message: t('appPane.couldNotCheckAppointment', { reason: text }),
      error: failure,
    });
  }
}

/**
 * "Track in CRM" on a meeting: an appointment already tracked is found (its tag, else the key the
 * adapter derives: no duplicate); else a regarding record when the organization requires one (§2.2
 * step 2), the attendees resolved (§2.4), the appointment created, the item tagged. A CRM that cannot
 * take it now keeps the track for retry; one that refuses it says why.
 */
export async function trackAppointment(
  deps: AppointmentDeps,
  item: AppointmentSnapshot,
  regarding: RecordRef | null = null,
  options: AppointmentTrackOptions = {},
): Promise<AppointmentState> {
  const { session } = deps;
  let chosen = regarding;
  let attendees: AttendeeToTrack[] = [];
  let names: Record<string, string> = {};
  try {
    const found = await trackedOf(deps, item);
    if (found) {
      await ensureTagged(deps, item, found.activityId, found.regarding);
      await removePending(deps, item.itemId);
      await tell(deps, item.itemId, { kind: 'tracked', text: wordsFor(deps)('app.alreadyTracked') });
      return trackedState(item, found, wordsFor(deps)('app.alreadyTracked'));
    }
    if (!chosen && session.settings.orgDb.OverrideTrackInCrmBehaviour === 1) {
      if (!options.chooseRegarding)
        return state(item, 'needs-regarding', {
          message: wordsFor(deps)('appPane.appointmentNeedsRegarding'),
        });
      chosen = await options.chooseRegarding();
      if (!chosen) return state(item, 'not-tracked', { message: wordsFor(deps)('app.noRegardingChosen') });
    }
    ({ attendees, names } = await resolveAttendees(session, item));
    const body = await deps.mailbox.appointmentBody(item.itemId).catch((error: unknown) => {
      // A body that cannot be read does not stop the track: the appointment has no description.
      session.log.log(`Could not read the body of ${item.itemId}; tracked without a description.`, error);
      return null;
    });
    const result = await appointmentsOf(session).trackAppointment(session.user.id, {
      itemKey: item.itemId,
      subject: item.subject,
      start: item.start,
      end: item.end,
      isAllDayEvent: item.isAllDayEvent,
      location: item.location || null,
      body,
      regarding: chosen,
      attendees,
    });
    const text = wordsFor(deps)(result.existed ? 'app.alreadyTracked' : 'app.tracked');
    await ensureTagged(deps, item, result.activityId, chosen);
    await removePending(deps, item.itemId);
    await tell(deps, item.itemId, { kind: 'tracked', text });
    return state(item, 'tracked', {
      activityId: result.activityId,
      regarding: chosen,
      attendees: shown(item, attendees, names),
      message: text,
    });
  } catch (error) {
    if (!(error instanceof CrmError)) throw error;
    return failedTrack(deps, item, error, chosen, shown(item, attendees, names));
  }
}

async function failedTrack(
  deps: AppointmentDeps,
  item: AppointmentSnapshot,
  error: CrmError,
  regarding: RecordRef | null,
  attendees: readonly ResolvedAttendee[],
): Promise<AppointmentState> {
  const { session } = deps;
  const t = paneWordsOf(session);
  if (!error.retryable) {
    const { failure, text } = reportFailure(
      session.log,
      'Appointment track refused by the CRM',
      error,
      verboseErrors(session),
      t,
    );
    await removePending(deps, item.itemId);
    await tell(deps, item.itemId, { kind: 'failed', text: t('app.notTrackedBecause', { reason: text }) });
    return state(item, 'failed', { regarding, attendees, message: text, error: failure });
  }
  const failure = userFacingError(error, t);
  session.log.log(`Appointment track kept for retry after a failure: ${failure.verbose}`, error);
  const list = await deps.pending.load();
  const before = list.find((p) => p.itemId === item.itemId);
  const lastError = verboseErrors(session) ? failure.verbose : failure.short;
  try {
    await deps.pending.save([
      ...list.filter((p) => p.itemId !== item.itemId),
      { itemId: item.itemId, regarding, attempts: (before?.attempts ?? 0) + 1, lastError },
    ]);
  } catch (saveError) {
    // Not kept (roaming settings full): said as a failure, so the user knows to press Track again.
    session.log.log('Could not keep the appointment track for retry.', saveError);
    await tell(deps, item.itemId, {
      kind: 'failed',
      text: t('app.notTrackedBecause', { reason: lastError }),
    });
    return state(item, 'failed', { regarding, attendees, message: lastError, error: failure });
  }
  await tell(deps, item.itemId, { kind: 'info', text: t('app.queuedForRetry') });
  return state(item, 'pending', {
    regarding,
    attendees,
    message: t('appPane.waiting', { attempt: (before?.attempts ?? 0) + 1, reason: lastError }),
    error: failure,
  });
}

/** Set Regarding: on a tracked appointment, change it; on one not tracked, track it with it. */
export async function setAppointmentRegarding(
  deps: AppointmentDeps,
  item: AppointmentSnapshot,
  regarding: RecordRef,
  regardingName: string | null = null,
): Promise<AppointmentState> {
  const found = await trackedOf(deps, item);
  if (!found) {
    const tracked = await trackAppointment(deps, item, regarding);
    return tracked.status === 'tracked' ? { ...tracked, regardingName } : tracked;
  }
  await appointmentsOf(deps.session).setAppointmentRegarding(found.activityId, regarding);
  await deps.mailbox.tagTracked(item.itemId, { activityId: found.activityId, regarding });
  return trackedState(item, { ...found, regarding, regardingName }, wordsFor(deps)('appPane.regardingSet'));
}

/**
 * Untrack (§5, as for email): the appointment deleted (the user confirmed in the pane) and the tags
 * removed; when the user may not delete it, only the tags go and the user is told why.
 */
export async function untrackAppointment(
  deps: AppointmentDeps,
  item: AppointmentSnapshot,
): Promise<AppointmentState> {
  const activityId = item.tag?.activityId ?? null;
  await removePending(deps, item.itemId);
  if (activityId) {
    try {
      await appointmentsOf(deps.session).untrackAppointment(activityId);
    } catch (error) {
      if (error instanceof CrmForbiddenError) {
        await deps.mailbox.removeTags(item.itemId);
        const { failure, text } = reportFailure(
          deps.session.log,
          'Untrack refused',
          error,
          verboseErrors(deps.session),
          wordsFor(deps),
        );
        return state(item, 'not-tracked', {
          activityId,
          message: wordsFor(deps)('appPane.appointmentStaysInCrm', { reason: text }),
          error: failure,
        });
      }
      if (!(error instanceof CrmNotFoundError)) throw error;
      deps.session.log.log(`Untrack: the appointment ${activityId} was already gone from the CRM.`, error);
    }
  }
  await deps.mailbox.removeTags(item.itemId);
  const message = wordsFor(deps)(
    activityId ? 'appPane.appointmentUntracked' : 'appPane.appointmentNotTrackedYet',
  );
  await tell(deps, item.itemId, { kind: 'info', text: message });
  return state(item, 'not-tracked', { message });
}

/**
 * The ribbon's track when no session could be opened (the CRM away, sign-in failing for now): a
 * track the user asked for is kept for retry when time can fix it, as an email's is; otherwise the
 * failure is said. Returns what the user was told.
 */
export async function keepAppointmentWithoutSession(
  deps: {
    readonly mailbox: AppointmentMailboxPort;
    readonly pending: PendingAppointmentStore;
    readonly log: LoggedSession['log'];
    /** The words of the surface (English when none). */
    readonly t?: AppTranslate;
  },
  item: AppointmentSnapshot,
  error: CrmError,
  verbose: boolean,
): Promise<string> {
  const t = paneWordsOf(deps);
  const retryText = t('app.queuedForRetry');
  const failure = userFacingError(error, t);
  const lastError = verbose ? failure.verbose : failure.short;
  deps.log.log(`Appointment track without a session: ${failure.verbose}`, error);
  let text = t('app.notTrackedBecause', { reason: lastError });
  if (error.retryable) {
    try {
      const list = await deps.pending.load();
      const before = list.find((p) => p.itemId === item.itemId);
      await deps.pending.save([
        ...list.filter((p) => p.itemId !== item.itemId),
        {
          itemId: item.itemId,
          regarding: before?.regarding ?? null,
          attempts: (before?.attempts ?? 0) + 1,
          lastError,
        },
      ]);
      text = retryText;
    } catch (saveError) {
      deps.log.log('Could not keep the appointment track for retry.', saveError);
    }
  }
  try {
    await deps.mailbox.notify(item.itemId, { kind: text === retryText ? 'info' : 'failed', text });
  } catch (notifyError) {
    deps.log.log(`Could not show "${text}".`, notifyError);
  }
  return text;
}
