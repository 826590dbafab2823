/**
 * From a decision to the email activity to create (§2.4, §2.5): the sender and every recipient as
 * parties, the records to create from the sender, the regarding record and the tracking token.
 */
import type { AttachmentToTrack, EmailToTrack, PartyToTrack } from '../crm/port';
import type { Decision } from '../rules/decide';
import type { Settings } from '../rules/settings';
import { findTrackingTokens } from '../rules/trackingToken';
import type { EmailFacts, RecordRef } from '../rules/types';
import type { AttachmentInfo, MailboxPort } from './ports';
import { englishAppWords, type AppKey, type AppTranslate } from './appWords';

/** Dataverse's description column holds more, but tracking is about the conversation, not archiving. */
export const MAX_DESCRIPTION = 100_000;

export interface PlanOptions {
  readonly body: string | null;
  /** The Message-ID to store when the real one is not known yet (send-time tracking of a draft). */
  readonly messageId?: string;
  readonly regarding?: RecordRef | null;
  /** Files read from the item, already within the organization's limits (selectAttachments). */
  readonly attachments?: readonly AttachmentToTrack[];
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
    ...(options.attachments?.length ? { attachments: options.attachments } : {}),
    parties,
    create: decision.create.map((c) => ({
      type: c.type,
      address: c.address,
      firstname: c.firstname,
      lastname: c.lastname,
    })),
  };
}

/** Why an attachment of a tracked email was not carried into the CRM. */
/** Dataverse's AttachmentBlocked: a file over maxuploadfilesize or with a blocked extension. */
export const ATTACHMENT_REFUSED_CODE = '0x80043e09';

export type AttachmentSkipReason =
  'blocked' | 'too-large' | 'cloud' | 'item' | 'unreadable' | 'track-too-large' | 'refused';

export interface SkippedAttachment {
  readonly name: string;
  readonly reason: AttachmentSkipReason;
}

/**
 * The most attachment bytes one track carries. Attachments travel in the email's own changeset
 * (atomic: a retry finds the activity with its files or nothing); Dataverse takes requests far larger,
 * but a request of tens of MB from Outlook's web view is slow and all-or-nothing, so past this the
 * remaining files are skipped and the user told.
 */
export const MAX_TRACK_ATTACHMENT_BYTES = 25 * 1024 * 1024;

/** The extension after the last dot (none for `README` or `name.`), lower case. */
export function fileExtension(name: string): string | null {
  const trimmed = name.trim();
  const dot = trimmed.lastIndexOf('.');
  if (dot < 0 || dot === trimmed.length - 1) return null;
  return trimmed.slice(dot + 1).toLowerCase();
}

/** The organization's `blockedattachments` (`exe;js;…`, dots and case ignored) holds this file's extension. */
export function isBlockedAttachment(name: string, blockedattachments: string): boolean {
  const extension = fileExtension(name);
  if (extension === null) return false;
  return blockedattachments
    .split(';')
    .map((e) => e.trim().replace(/^\./, '').toLowerCase())
    .some((e) => e !== '' && e === extension);
}

/** Bytes a base64 text decodes to. */
export function base64Size(base64: string): number {
  const text = base64.replace(/\s+/g, '');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((text.length * 3) / 4) - padding);
}

/**
 * Which attachments to read and which to skip, from their details alone (so the content of a file
 * known to be blocked or too big is never read): cloud attachments are links, not files; attached
 * Outlook items are not files either; a blocked extension or a size over `maxuploadfilesize` is what
 * Dataverse would refuse (0x80043e09); then the per-track budget. Inline images are kept, as
 * Dynamics 365's server-side synchronization keeps them as attachments of the activity.
 */
export function selectAttachments<T extends { name: string; size: number; kind: 'file' | 'item' | 'cloud' }>(
  attachments: readonly T[],
  org: { readonly maxuploadfilesize: number; readonly blockedattachments: string },
  budget = MAX_TRACK_ATTACHMENT_BYTES,
): { read: T[]; skipped: SkippedAttachment[] } {
  const read: T[] = [];
  const skipped: SkippedAttachment[] = [];
  let total = 0;
  for (const a of attachments) {
    const reason: AttachmentSkipReason | null =
      a.kind === 'cloud'
        ? 'cloud'
        : a.kind === 'item'
          ? 'item'
          : isBlockedAttachment(a.name, org.blockedattachments)
            ? 'blocked'
            : a.size > org.maxuploadfilesize
              ? 'too-large'
              : total + a.size > budget
                ? 'track-too-large'
                : null;
    if (reason) skipped.push({ name: a.name, reason });
    else {
      read.push(a);
      total += a.size;
    }
  }
  return { read, skipped };
}

const SKIP_WORDS: Readonly<Record<AttachmentSkipReason, AppKey>> = {
  blocked: 'app.skipBlocked',
  'too-large': 'app.skipTooLarge',
  cloud: 'app.skipCloud',
  item: 'app.skipItem',
  unreadable: 'app.skipUnreadable',
  'track-too-large': 'app.skipTrackTooLarge',
  refused: 'app.skipRefused',
};

/** "Attachments not tracked: a.exe (file type blocked by the CRM), b.zip (over the CRM's size limit of 5 MB)." */
export function skippedAttachmentsMessage(
  skipped: readonly SkippedAttachment[],
  maxuploadfilesize?: number,
  t: AppTranslate = englishAppWords,
): string {
  if (skipped.length === 0) return '';
  const why = (reason: AttachmentSkipReason): string =>
    reason === 'too-large' && maxuploadfilesize !== undefined
      ? t('app.skipTooLargeOf', { megabytes: Math.round((maxuploadfilesize / 1048576) * 10) / 10 })
      : t(SKIP_WORDS[reason]);
  // The list separator (chosen): a comma in all three languages.
  const list = skipped
    .map((s) => t('app.attachmentSkipped', { name: s.name, why: why(s.reason) }))
    .join(', ');
  return t('app.attachmentsNotTracked', { list });
}

/**
 * The item's attachments as the track carries them: details first, content read only for the files
 * within the limits, one at a time (never on the item-open path: only when an activity is created).
 * A list that cannot be read tracks no files (logged); a file that cannot be read is skipped and named.
 */
export async function readAttachments(
  deps: {
    readonly mailbox: Pick<MailboxPort, 'itemAttachments' | 'attachmentContent'>;
    readonly log: { log(message: string, error?: unknown): void };
  },
  itemId: string,
  org: { readonly maxuploadfilesize: number; readonly blockedattachments: string },
): Promise<{ attachments: AttachmentToTrack[]; skipped: SkippedAttachment[] }> {
  let listed: readonly AttachmentInfo[];
  try {
    listed = await deps.mailbox.itemAttachments(itemId);
  } catch (error) {
    // The email is still tracked; its files are not, and the log says why.
    deps.log.log(`Could not list the attachments of ${itemId}; tracked without them.`, error);
    return { attachments: [], skipped: [] };
  }
  const { read, skipped } = selectAttachments(listed, org);
  const attachments: AttachmentToTrack[] = [];
  for (const info of read) {
    try {
      const base64 = await deps.mailbox.attachmentContent(itemId, info.id);
      // The details' size is Outlook's word; the bytes are what Dataverse measures.
      if (base64Size(base64) > org.maxuploadfilesize) {
        skipped.push({ name: info.name, reason: 'too-large' });
        continue;
      }
      attachments.push({
        fileName: info.name,
        mimeType: info.contentType || 'application/octet-stream',
        base64,
      });
    } catch (error) {
      deps.log.log(`Could not read the attachment ${info.name} of ${itemId}; tracked without it.`, error);
      skipped.push({ name: info.name, reason: 'unreadable' });
    }
  }
  return { attachments, skipped };
}
