/**
 * Event-based activation handlers (LaunchEvent): OnNewMessageCompose and OnMessageSend.
 *
 * Bundled as ONE self-contained file, events.js, because classic Outlook on Windows runs it in a
 * JavaScript-only runtime: no DOM, no localStorage, no Office.onReady, no chunk loading (and no
 * sign-in: that runtime cannot show one, so a real org's tracks made here are queued for the pane).
 * The same file is loaded by commands.html for Outlook on the web, new Outlook and Mac.
 *
 * Every handler calls event.completed() on every path: Outlook waits for it (up to about 300 s, and
 * after 5 s shows "taking longer than expected" on send). Sending is never blocked by the CRM.
 */
import { composeOpened, messageSending, queueMarkedDraft, SEND_BUDGET_MS } from '../app/composeUseCases';
import { userFacingError } from '../app/itemState';
import { openOutlookSession } from '../host/outlookSession';
import { OutlookMailbox } from '../mailbox/outlookMailbox';
import { RoamingStore } from '../mailbox/roamingStore';

type Completion = Parameters<Office.MailboxEvent['completed']>[0];

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
    // The diagnostics log; the user was told what matters by the use case (a notification).
    console.error(`Track in CRM: ${name} failed.`, error);
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
      const { session } = await openOutlookSession(Office, { signIn: null });
      await composeOpened(session);
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
      const started = Date.now();
      const attempt = (async () => {
        const { session } = await openOutlookSession(Office, { signIn: null });
        await messageSending(session, Math.max(500, SEND_BUDGET_MS - (Date.now() - started)));
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
        attempt.catch(() => undefined); // still running or failed: its outcome no longer matters here
        const roaming = new RoamingStore(Office.context.roamingSettings);
        await queueMarkedDraft(
          {
            mailbox: new OutlookMailbox(Office.context.mailbox),
            pending: roaming.pendingStore(),
            clock: { now: () => Date.now() },
          },
          userFacingError(error),
        );
      } finally {
        clearTimeout(timer);
      }
      return ALLOW;
    },
    ALLOW,
  );
}

// All registrations together, at the end of the file (names match FunctionName in manifest.xml).
Office.actions.associate('onNewMessageComposeHandler', onNewMessageComposeHandler);
Office.actions.associate('onMessageSendHandler', onMessageSendHandler);
