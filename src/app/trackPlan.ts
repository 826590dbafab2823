/**
 * From a decision to the email activity to create (§2.4, §2.5): the sender and every recipient as
 * parties, the records to create from the sender, the regarding record and the tracking token.
 */
import type { EmailToTrack, PartyToTrack } from '../crm/port';
import type { Decision } from '../rules/decide';
import type { Settings } from '../rules/settings';
import { findTrackingTokens } from '../rules/trackingToken';
import type { EmailFacts, RecordRef } from '../rules/types';

/** Dataverse's description column holds more, but tracking is about the conversation, not archiving. */
export const MAX_DESCRIPTION = 100_000;

export interface PlanOptions {
  readonly body: string | null;
  /** The Message-ID to store when the real one is not known yet (send-time tracking of a draft). */
  readonly messageId?: string;
  readonly regarding?: RecordRef | null;
}

export function planTrack(
  facts: EmailFacts,
  decision: Decision,
  settings: Settings,
  options: PlanOptions,
): EmailToTrack {
  const parties: PartyToTrack[] = [];
  if (facts.from?.address) {
    const created = decision.create.length > 0 && decision.sender?.id === null;
    parties.push({
      role: 'from',
      address: facts.from.address.trim(),
      records: decision.sender?.id ? [{ type: decision.sender.type, id: decision.sender.id }] : [],
      ...(created ? { createdIndex: 0 } : {}),
    });
  }
  for (const party of decision.parties)
    parties.push({ role: party.role, address: party.address, records: party.records });
  const org = settings.organization;
  const token = org.useTrackingToken
    ? (findTrackingTokens(facts.subject, org.trackingprefix)[0]?.token ?? null)
    : null;
  return {
    messageId: options.messageId ?? (facts.messageId as string),
    subject: facts.subject,
    direction: facts.direction,
    sentOn: facts.receivedAt,
    body: options.body === null ? null : options.body.slice(0, MAX_DESCRIPTION),
    trackingToken: token,
    threadIndex: facts.threadIndex,
    regarding: options.regarding !== undefined ? options.regarding : decision.regarding,
    correlatedActivityId: decision.correlation?.activityId ?? null,
    parties,
    create: decision.create.map((c) => ({
      type: c.type,
      address: c.address,
      firstname: c.firstname,
      lastname: c.lastname,
    })),
  };
}
