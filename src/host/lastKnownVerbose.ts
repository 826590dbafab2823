/**
 * How a failure is worded when no session can be opened now (the CRM is down at the click or the
 * send): as the organization said the last time this runtime had a session, else as the settings
 * snapshot of the CRM in use says (roaming settings, kept by every session opened online), else short.
 * Never throws: it words a failure whose track must still be queued, so an unreadable snapshot means
 * the short wording, not a lost track.
 */
import { verboseErrors, verboseErrorsFromSnapshot } from '../app/diagnostics';
import type { DiagnosticsLog } from '../app/ports';
import { RoamingStore } from '../mailbox/roamingStore';
import { connectionFor } from './connection';
import type { OutlookHost } from './outlookSession';

export async function lastKnownVerbose(
  known: OutlookHost | null,
  office: typeof Office,
  log?: DiagnosticsLog,
): Promise<boolean> {
  try {
    if (known) return verboseErrors(known.session);
    const roaming = new RoamingStore(office.context.roamingSettings);
    const { crmUrl } = connectionFor(roaming.read().crmUrl);
    const [snapshot, local] = await Promise.all([
      roaming.sessionSnapshots(crmUrl).load(),
      roaming.localOptions().load(),
    ]);
    return verboseErrorsFromSnapshot(snapshot, local);
  } catch (error) {
    log?.log(
      'The last known VerboseErrorsOnPromoteToCRM could not be read; the short wording is used',
      error,
    );
    return false;
  }
}
