/**
 * commands.js: the ONE bundle of commands.html, which is both the ribbon's FunctionFile and the event
 * runtime (WebViewRuntime.Url) of Outlook on the web, new Outlook and Mac. The ribbon command and the
 * event handlers share its code (rules, CRM adapter) once; classic Outlook on Windows loads the
 * handlers from events.js instead (src/events/events.ts).
 */
import { onMessageSendHandler, onNewMessageComposeHandler } from '../events/handlers';
import { trackInCrm } from './trackInCrm';

Office.onReady(() => {
  // Nothing to initialise: the functions register below, at load, before Office is ready, as Outlook requires.
});

// All registrations together (names match FunctionName in manifest.xml).
Office.actions.associate('trackInCrm', trackInCrm);
Office.actions.associate('onNewMessageComposeHandler', onNewMessageComposeHandler);
Office.actions.associate('onMessageSendHandler', onMessageSendHandler);
