/**
 * Event-based activation handlers (LaunchEvent): OnNewMessageCompose and OnMessageSend.
 *
 * Bundled as ONE self-contained file, events.js, because classic Outlook on Windows runs it in a
 * JavaScript-only runtime: no DOM, no localStorage, no Office.onReady, no chunk loading. The same file
 * is loaded by commands.html for Outlook on the web, new Outlook and Mac. Keep it free of `document`,
 * `window` and dynamic imports; scripts/bundle-sizes.mjs checks the built file.
 *
 * Every handler calls event.completed() on every path: Outlook waits for it (up to about 300 s, and
 * after 5 s shows "taking longer than expected" on send).
 */

type Completion = Parameters<Office.MailboxEvent['completed']>[0];

/**
 * Run a handler body and complete the event whatever happens. `onError` gives the completion to use
 * when the body throws (for send: still allow the send; nothing here may block mail on our failure).
 */
async function completeAlways(
  event: Office.MailboxEvent,
  name: string,
  body: () => Promise<Completion> | Completion,
  onError: Completion,
): Promise<void> {
  let completion: Completion = onError;
  try {
    completion = await body();
  } catch (error) {
    console.error(`Track in CRM: ${name} failed.`, error);
    completion = onError;
  } finally {
    event.completed(completion);
  }
}

/** A new message, reply or forward is being composed. Nothing to do until a CRM is connected. */
export function onNewMessageComposeHandler(event: Office.MailboxEvent): Promise<void> {
  return completeAlways(event, 'onNewMessageComposeHandler', () => undefined, undefined);
}

/**
 * A message is being sent (SendMode SoftBlock). With no CRM connection there is nothing to check,
 * so the send always goes ahead.
 */
export function onMessageSendHandler(event: Office.MailboxEvent): Promise<void> {
  return completeAlways(event, 'onMessageSendHandler', () => ({ allowEvent: true }), { allowEvent: true });
}

// All registrations together, at the end of the file (names match FunctionName in manifest.xml).
Office.actions.associate('onNewMessageComposeHandler', onNewMessageComposeHandler);
Office.actions.associate('onMessageSendHandler', onMessageSendHandler);
