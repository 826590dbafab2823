/**
 * Event-based activation handlers (LaunchEvent): OnNewMessageCompose and OnMessageSend.
 *
 * Registered by two entries, never here: `events.ts` (events.js, classic Outlook's JavaScript-only
 * runtime: no DOM, no localStorage, no Office.onReady, no chunk loading, and no sign-in, so a real
 * org's tracks made there are queued for the pane) and `commands.ts` (the one bundle of commands.html,
 * the event runtime of Outlook on the web, new Outlook and Mac). Nothing here may touch the DOM.
 *
 * Every handler calls event.completed() on every path: Outlook waits for it (up to about 300 s, and
 * after 5 s shows "taking longer than expected" on send). Sending is never blocked by the CRM.
 */
import { composeOpened, messageSending, queueMarkedDraft, SEND_BUDGET_MS } from '../app/composeUseCases';
import { verboseErrors } from '../app/diagnostics';
import { reportFailure } from '../app/itemState';
import { CrmError } from '../crm/errors';
import { consoleDiagnosticsLog } from '../host/diagnostics';
import { outlookSessionCache } from '../host/outlookSession';
import type { SessionCache } from '../host/sessionCache';
import { sessionlessDeps } from '../host/withoutSession';
import { surfaceWords } from './surfaceWords';

type Completion = Parameters<Office.MailboxEvent['completed']>[0];

const log = consoleDiagnosticsLog;

let cache: SessionCache | null = null;
/**
 * The event runtime's session, reused between events while it is alive (the web runtime often is;
 * classic Outlook may start a new one per event). Made on first use: nothing runs at load but the
 * registrations.
 */
export function eventSessions(): SessionCache {
  cache ??= outlookSessionCache(Office, { signIn: null, log });
  return cache;
}

/** Runs a handler body and completes the event whatever happens (`fallback` when the body throws). */
async function completeAlways(
  event: Office.MailboxEvent,
  name: string,
  body: () => Promise<Completion>,
  fallback: Completion,
): Promise<void> {
  let completion: Completion = fallback;
  try {
    completion = await body();
  } catch (error) {
    // What the user must know was said by the use case (a notification on the draft); the rest is
    // for the log. A session that just failed is not reused for the next event.
    eventSessions().invalidate();
    log.log(`${name} failed.`, error);
  } finally {
    event.completed(completion);
  }
}

const ALLOW: Completion = { allowEvent: true };

/** A reply or forward of tracked email is marked to be tracked when sent (§2.3). */
export function onNewMessageComposeHandler(event: Office.MailboxEvent): Promise<void> {
  return completeAlways(
    event,
    'onNewMessageComposeHandler',
    async () => {
      const [host, words] = await Promise.all([
        eventSessions().get(),
        surfaceWords(Office.context.displayLanguage, log),
      ]);
      // The runtime's session is shared; the words are the user's display language's.
      const session = { ...host.session, t: words.app };
      try {
        await composeOpened(session);
      } catch (error) {
        if (!(error instanceof CrmError)) throw error;
        // The CRM could not say whether this reply continues tracked email: the user is told, so a
        // reply that should have been marked is not silently left untracked.
        eventSessions().invalidate();
        const { text } = reportFailure(
          log,
          'Could not check a reply',
          error,
          verboseErrors(session),
          words.app,
        );
        try {
          await session.mailbox.notify(null, {
            kind: 'info',
            text: words.notifications('notifications.replyNotChecked', { reason: text }),
          });
        } catch (notifyError) {
          log.log('Could not show that the reply was not checked.', notifyError);
        }
      }
      return undefined;
    },
    undefined,
  );
}

/**
 * SoftBlock send: a marked draft is tracked as it goes; whatever the CRM does, the send is allowed.
 * When even the session cannot be opened in time, the draft is queued from roaming settings alone.
 */
export function onMessageSendHandler(event: Office.MailboxEvent): Promise<void> {
  return completeAlways(
    event,
    'onMessageSendHandler',
    async () => {
      const sessions = eventSessions();
      const started = Date.now();
      // Loaded with the session, not after it: the send's budget counts from the start.
      const wording = surfaceWords(Office.context.displayLanguage, log);
      const attempt = (async () => {
        const [host, words] = await Promise.all([sessions.get(), wording]);
        const session = { ...host.session, t: words.app };
        const outcome = await messageSending(session, Math.max(500, SEND_BUDGET_MS - (Date.now() - started)));
        // Queued: the CRM failed this session (down, or its sign-in no longer holds); open afresh next time.
        if (outcome === 'queued') sessions.invalidate();
        return outcome;
      })();
      // The whole handler, opening the session included, has SEND_BUDGET_MS: Outlook warns the user
      // after 5 s and the mail must go. A late success is found again (tracking is idempotent).
      let timer: ReturnType<typeof setTimeout> | undefined;
      const budget = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`The CRM did not answer within ${SEND_BUDGET_MS / 1000} s of sending.`)),
          SEND_BUDGET_MS + 250,
        );
      });
      try {
        await Promise.race([attempt, budget]);
      } catch (error) {
        sessions.invalidate();
        // Still running, or failed: the send goes on and the draft is queued below either way; a
        // late outcome only reaches the log (a late success is found again when the queue delivers).
        attempt.then(
          (late) => log.log(`The send-time track ended as "${late}" after its draft was queued.`),
          (late: unknown) => log.log('The send-time track failed; its draft was queued.', late),
        );
        // No session now: the failure is worded as the organization asked the last time we knew.
        // The words are awaited only as long as the send's budget allows; English after that.
        const words = await Promise.race([
          wording,
          new Promise<null>((ok) => setTimeout(() => ok(null), 250)),
        ]);
        await queueMarkedDraft(
          {
            ...(await sessionlessDeps(Office, sessions.lastKnown, { log })),
            ...(words ? { t: words.app } : {}),
          },
          error,
        );
      } finally {
        clearTimeout(timer);
      }
      return ALLOW;
    },
    ALLOW,
  );
}
