/**
 * Ribbon function commands (FunctionFile commands.html). Runs in the web runtime of every Outlook.
 *
 * For now "Track in CRM" says honestly that nothing can be tracked: no CRM connection exists yet.
 * Later issues replace the body with the track use case; `event.completed()` stays on every path.
 */
import { showInformation } from '../mailbox/notifications';

export const STATUS_KEY = 'trackInCrmStatus';
export const NOT_CONNECTED_MESSAGE =
  'This email was not tracked: no CRM connection is configured yet. Open Track in CRM for details.';

/** The "Track in CRM" button (ExecuteFunction `trackInCrm`). */
export async function trackInCrm(event: Office.AddinCommands.Event): Promise<void> {
  try {
    await showInformation(STATUS_KEY, NOT_CONNECTED_MESSAGE);
  } catch (error) {
    // The notification bar is the only way to reach the user from a function command; when it fails
    // the diagnostics log (the console) is all that is left.
    console.error('Track in CRM: could not show the status notification.', error);
  } finally {
    event.completed();
  }
}

Office.onReady(() => {
  // Nothing to initialise yet: the command registers below, before Office is ready, as Outlook requires.
});

Office.actions.associate('trackInCrm', trackInCrm);
