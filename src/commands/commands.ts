/**
 * Ribbon function commands (FunctionFile commands.html), in the web runtime of every Outlook.
 * "Track in CRM" tracks the selected email (§2.2); when the organization requires a regarding
 * record (OverrideTrackInCrmBehaviour), it opens the Set Regarding dialog first. event.completed()
 * is called on every path; every outcome reaches the user as a notification on the item.
 */
import { queueItemTrack, trackItem } from '../app/itemUseCases';
import { CrmError } from '../crm/errors';
import { RoamingStore } from '../mailbox/roamingStore';
import { userFacingError } from '../app/itemState';
import type { RecordRef } from '../rules/types';
import { openOutlookSession } from '../host/outlookSession';
import { msalSignIn } from '../host/signIn';
import { parseHeaderBlock } from '../mail/headers';
import { OutlookMailbox } from '../mailbox/outlookMailbox';
import { chooseRegarding } from './regardingDialog';

/** The "Track in CRM" button (ExecuteFunction `trackInCrm`). */
export async function trackInCrm(event: Office.AddinCommands.Event): Promise<void> {
  const mailbox = new OutlookMailbox(Office.context.mailbox, { parseHeaders: parseHeaderBlock });
  let itemId: string | null = null;
  try {
    const host = await openOutlookSession(Office, { signIn: msalSignIn, parseHeaders: parseHeaderBlock });
    const item = await host.session.mailbox.currentItem();
    if (!item) {
      await mailbox.notify(null, {
        kind: 'info',
        text: 'Open a received or sent email to track it. Drafts are tracked when sent.',
      });
      return;
    }
    itemId = item.itemId;
    let regarding: RecordRef | null = null;
    if (host.session.settings.orgDb.OverrideTrackInCrmBehaviour === 1) {
      regarding = await chooseRegarding(Office, host.connection.crmUrl);
      if (!regarding) {
        await mailbox.notify(item.itemId, {
          kind: 'info',
          text: 'Not tracked: no regarding record was chosen.',
        });
        return;
      }
    }
    const state = await trackItem(host.session, item, regarding);
    // Tracked, queued and failed tracks were announced by the use case; the rest is said here.
    if (state.status === 'needs-regarding' || state.status === 'not-tracked') {
      await mailbox.notify(item.itemId, { kind: 'info', text: state.message });
    }
  } catch (error) {
    const failure = userFacingError(error);
    console.error('Track in CRM: trackInCrm failed.', failure.verbose);
    // The CRM could not even be asked (no session): the user's track is queued, never dropped.
    const item =
      error instanceof CrmError && error.retryable ? await mailbox.currentItem().catch(() => null) : null;
    if (item?.facts.messageId) {
      const roaming = new RoamingStore(Office.context.roamingSettings);
      await queueItemTrack(
        { mailbox, pending: roaming.pendingStore(), clock: { now: () => Date.now() }, verboseErrors: false },
        item,
        error as CrmError,
        null,
      ).catch((queueError: unknown) => console.error('Track in CRM: could not queue the track.', queueError));
    } else {
      await mailbox
        .notify(itemId, { kind: 'failed', text: `Not tracked: ${failure.short}` })
        .catch(() => undefined);
    }
  } finally {
    event.completed();
  }
}

Office.onReady(() => {
  // Nothing to initialise: the command registers below, before Office is ready, as Outlook requires.
});

Office.actions.associate('trackInCrm', trackInCrm);
