/**
 * The "Track in CRM" function command (ExecuteFunction `trackInCrm`): tracks the selected email
 * (§2.2), or on a draft being composed marks it to be tracked when sent, or tracks the selected meeting
 * (organizer or attendee form) as a CRM appointment (issue 12). The duplicate check comes first; only when the organization requires a regarding record
 * (OverrideTrackInCrmBehaviour = 1) and the email is not tracked yet does the Set Regarding dialog
 * open. event.completed() is called on every path; every outcome reaches the user as a notification
 * on the item, worded per VerboseErrorsOnPromoteToCRM, with the detail in the diagnostics log.
 */
import { trackDraft } from '../app/draftTracking';
import type { RecentRecord } from '../app/recentRecords';
import { loadAppointmentCases, queueItemTrack, trackItem } from '../app/itemUseCases';
import { englishAppWords, type AppTranslate } from '../app/appWords';
import { reportFailure } from '../app/itemState';
import type { DiagnosticsLog, ItemSnapshot } from '../app/ports';
import { CrmError, CrmNetworkError } from '../crm/errors';
import { consoleDiagnosticsLog } from '../host/diagnostics';
import { RoamingStore } from '../mailbox/roamingStore';
import { lastKnownVerbose as verboseAsLastKnown } from '../host/lastKnownVerbose';
import { outlookSessionCache, type MeetingSupport, type OutlookHost } from '../host/outlookSession';
import type { SessionCache } from '../host/sessionCache';
import { msalSignIn } from '../host/signIn';
import { surfaceWords } from '../events/surfaceWords';
import { lazyMeetings } from '../host/lazyMeetings';
import {
  outlookMailbox,
  sessionlessDeps,
  type HeaderParser,
  type OutlookMailbox,
} from '../host/withoutSession';

const log: DiagnosticsLog = consoleDiagnosticsLog;

/**
 * The ribbon tracks the selected meeting too: its reader and the CRM's appointments come with the
 * first meeting clicked (lazyMeetings.ts), given to the mailbox and the session here, as events.js,
 * which shares their modules, never sees a meeting.
 */
const meetings: MeetingSupport = lazyMeetings;

/**
 * How long one click may wait on the CRM before its track is queued and the command completed.
 * The adapter bounds each request (30 s) but retries reads, so a CRM that hangs could otherwise
 * hold the button's progress bar for minutes. Time the Set Regarding dialog is open is the user's
 * and does not count. Tests shorten it.
 */
export const ribbonLimits = { budgetMs: 60_000 };

/** The click's time budget, paused while the user has the dialog open. */
interface ClickBudget {
  /** Rejects with `timeout` when the time is up. */
  readonly expired: Promise<never>;
  /** A retryable CrmNetworkError: queued like any CRM that does not answer. */
  readonly timeout: CrmNetworkError;
  pause(): void;
  resume(): void;
  stop(): void;
}

function clickBudget(ms: number): ClickBudget {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let remaining = ms;
  let startedAt = 0;
  let expire: (error: Error) => void = () => undefined;
  const expired = new Promise<never>((_, reject) => (expire = reject));
  const timeout = new CrmNetworkError(`The CRM did not answer within ${ms / 1000} s.`, {
    status: null,
    code: null,
    requestId: null,
    request: 'Track in CRM (ribbon)',
  });
  const resume = () => {
    startedAt = Date.now();
    timer = setTimeout(() => expire(timeout), Math.max(0, remaining));
  };
  resume();
  return {
    expired,
    timeout,
    pause: () => {
      clearTimeout(timer);
      remaining -= Date.now() - startedAt;
    },
    resume,
    stop: () => clearTimeout(timer),
  };
}

let parser: Promise<HeaderParser | null> | null = null;
/**
 * The header parser (src/mail/headers.ts over postal-mime, about half of the ribbon's code) as its
 * own chunk, loaded on the first click and kept: commands.html is also the event runtime, whose
 * handlers read drafts only and should not load it. If it cannot load, the email is read from
 * Office.js's fields alone (no In-Reply-To, References or Thread-Index for correlation), and the log
 * says so; the next click tries again.
 */
function headerParser(): Promise<HeaderParser | null> {
  parser ??= import(/* webpackChunkName: "headers" */ '../mail/headers').then(
    (headers) => headers.parseHeaderBlock,
    (error: unknown) => {
      parser = null;
      log.log('Could not load the header parser: the email is read without its internet headers.', error);
      return null;
    },
  );
  return parser;
}

let cache: SessionCache | null = null;
/**
 * The ribbon's session, reused between clicks: the command page stays alive between them, and a
 * click should cost the lookup and the track only (src/host/sessionCache.ts says when it is dropped).
 */
export function ribbonSessions(): SessionCache {
  cache ??= outlookSessionCache(Office, async () => {
    const parseHeaders = await headerParser();
    return { signIn: msalSignIn, log, meetings, ...(parseHeaders ? { parseHeaders } : {}) };
  });
  return cache;
}

/** VerboseErrorsOnPromoteToCRM as the organization last said (this runtime's session, else the snapshot). */
const lastKnownVerbose = (): Promise<boolean> => verboseAsLastKnown(ribbonSessions().lastKnown, Office);

/** A notice that cannot be shown must not hide the outcome it carried: it goes to the log. */
async function tell(mailbox: OutlookMailbox, itemId: string | null, kind: 'info' | 'failed', text: string) {
  try {
    await mailbox.notify(itemId, { kind, text });
  } catch (error) {
    log.log(`Could not show "${text}".`, error);
  }
}

/**
 * The session could not be opened: a track the user asked for is queued when time can fix it. `t`:
 * the words in the user's display language.
 */
async function withoutSession(mailbox: OutlookMailbox, error: unknown, t: AppTranslate): Promise<void> {
  if (error instanceof CrmError) {
    const appointment = await mailbox.currentAppointment().catch((readError: unknown) => {
      log.log('Could not read the selected item to keep its track.', readError);
      return null;
    });
    if (appointment) {
      const pending = new RoamingStore(Office.context.roamingSettings).appointmentPending();
      const { keepAppointmentWithoutSession } = await loadAppointmentCases();
      await keepAppointmentWithoutSession(
        { mailbox, pending, log, t },
        appointment,
        error,
        await lastKnownVerbose(),
      );
      return;
    }
  }
  let item: ItemSnapshot | null = null;
  if (error instanceof CrmError && error.retryable) {
    try {
      item = await mailbox.currentItem();
    } catch (readError) {
      // The item cannot be read, so nothing can be queued: the session's failure is reported below.
      log.log('Could not read the selected item to queue its track.', readError);
    }
  }
  if (item?.facts.messageId && error instanceof CrmError) {
    // queueItemTrack logs the failure and tells the user the track will be tried again.
    await queueItemTrack(
      { ...(await sessionlessDeps(Office, ribbonSessions().lastKnown, { log, mailbox })), t },
      item,
      error,
      null,
    );
    return;
  }
  const { text } = reportFailure(log, 'Track in CRM: no session', error, await lastKnownVerbose(), t);
  await tell(mailbox, item?.itemId ?? null, 'failed', t('app.notTrackedBecause', { reason: text }));
}

async function trackSelected(mailbox: OutlookMailbox, budget: ClickBudget, t: AppTranslate): Promise<void> {
  const sessions = ribbonSessions();
  let host: OutlookHost;
  try {
    host = await sessions.get();
  } catch (error) {
    await withoutSession(mailbox, error, t);
    return;
  }
  // The use cases speak the user's language: the runtime's session is shared, its words are this click's.
  const session = { ...host.session, t };
  // The dialog's time is the user's, not the CRM's: the click's budget waits while it is open.
  const askUser = async () => {
    budget.pause();
    try {
      // The launcher is a chunk of its own, loaded when a dialog is needed: it imports nothing, so
      // splitting it off costs commands.js (held to 40 KB gz) no inlining.
      const [{ chooseRegarding }, recents] = await Promise.all([
        import(/* webpackChunkName: "regarding-launcher" */ './regardingDialog'),
        import(/* webpackChunkName: "regarding-launcher" */ '../app/recentRecords'),
      ]);
      // The records chosen lately travel in the dialog's address (it cannot read roaming settings);
      // the one chosen now goes first for the next search, here and in the pane.
      const store = host.roaming.recentRecords();
      const recent = recents.fromStoredRecent(store.load());
      const chosen = await chooseRegarding(Office, host.connection.crmUrl, log, recent);
      if (chosen) {
        // rememberRecent keeps only the searchable types, whatever the dialog answered.
        const record = { ...chosen, type: chosen.type as RecentRecord['type'], name: chosen.name ?? '' };
        await store
          .save(recents.toStoredRecent(recents.rememberRecent(recent, record)))
          .catch((error: unknown) =>
            log.log('Could not remember the chosen record among the recent ones', error),
          );
      }
      return chosen;
    } finally {
      budget.resume();
    }
  };
  const appointment = await mailbox.currentAppointment();
  if (appointment) {
    const deps = { session, mailbox, pending: host.roaming.appointmentPending() };
    let tracked;
    try {
      const { trackAppointment } = await loadAppointmentCases();
      tracked = await trackAppointment(deps, appointment, null, { chooseRegarding: askUser });
    } catch (error) {
      sessions.invalidate();
      throw error;
    }
    if (tracked.status === 'failed' || tracked.status === 'pending') sessions.invalidate();
    // Tracked, kept and refused tracks were announced by the use case; the rest is said here.
    if (tracked.status === 'needs-regarding' || tracked.status === 'not-tracked')
      await tell(mailbox, appointment.itemId, 'info', tracked.message);
    return;
  }
  const item = await session.mailbox.currentItem();
  if (!item) {
    // A draft (new email, reply, forward): marked to be tracked when sent, after Set Regarding when
    // the organization requires a record; "will be tracked" and "already marked" are said by the use case.
    // A failure goes to trackInCrm's catch; the session may be what failed, so it is not kept.
    const drafted = await trackDraft(session, { chooseRegarding: askUser }).catch((error: unknown) => {
      sessions.invalidate();
      throw error;
    });
    if (!drafted.marked) await tell(mailbox, null, 'info', drafted.message);
    return;
  }
  let state;
  try {
    state = await trackItem(session, item, null, { chooseRegarding: askUser });
  } catch (error) {
    sessions.invalidate();
    throw error;
  }
  // A refused or queued track: the session may be what failed (sign-in expired, access changed).
  // A session opened without the header parser is not kept either: the next click loads it again.
  if (state.status === 'failed' || state.status === 'pending' || !(await headerParser()))
    sessions.invalidate();
  // Tracked, queued and failed tracks were announced by the use case; the rest is said here.
  if (state.status === 'needs-regarding' || state.status === 'not-tracked')
    await tell(mailbox, item.itemId, 'info', state.message);
}

/** The "Track in CRM" button. */
export async function trackInCrm(event: Office.AddinCommands.Event): Promise<void> {
  let mailbox = outlookMailbox(Office, { log, meetings: meetings.reader });
  const budget = clickBudget(ribbonLimits.budgetMs);
  let t: AppTranslate = englishAppWords;
  try {
    const work = (async () => {
      const [parseHeaders, words] = await Promise.all([
        headerParser(),
        surfaceWords(Office.context.displayLanguage, log),
      ]);
      t = words.app;
      if (parseHeaders) mailbox = outlookMailbox(Office, { parseHeaders, log, meetings: meetings.reader });
      await trackSelected(mailbox, budget, t);
    })();
    try {
      await Promise.race([work, budget.expired]);
    } catch (error) {
      if (error !== budget.timeout) throw error;
      // Out of time: the user's track is queued (idempotent per Message-ID, so a late success of
      // the click still running is found, not doubled) and the command completes now.
      work.then(
        () => log.log('A ribbon track finished after its time was up (it had been queued too).'),
        (late: unknown) => log.log('A ribbon track failed after its time was up (it had been queued).', late),
      );
      ribbonSessions().invalidate();
      await withoutSession(mailbox, budget.timeout, t);
    }
  } catch (error) {
    // Not a CRM failure the use case handled: Outlook refused a call, the dialog failed, or a bug.
    const { text } = reportFailure(log, 'Track in CRM failed', error, await lastKnownVerbose(), t);
    // null: the item still selected
    await tell(mailbox, null, 'failed', t('app.notTrackedBecause', { reason: text }));
  } finally {
    budget.stop();
    event.completed();
  }
}
