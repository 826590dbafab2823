/**
 * Converts plain objects shaped like Office.js read-mode item fields into EmailFacts fields.
 * No `Office` global: the mailbox adapter reads the item and passes the values in.
 *
 * Choices:
 * - Only fields given (not `undefined`) become keys, so results can be merged like HeaderFacts.
 * - `dateTimeCreated` (a Date or an ISO string) becomes `receivedAt` (ISO); an invalid date → null.
 *   `dateTimeReceived`, when given, wins over it (it is not an Office.js read-mode field, but some
 *   REST/Graph-based adapters have it).
 * - An address entry with no `emailAddress` is dropped; a blank `displayName` → name null.
 * - `conversationId` has no EmailFacts field; it is accepted and ignored here.
 * - A non-string `subject` (compose mode's Subject object) is ignored.
 */
import type { EmailFacts, MailAddress } from '../rules/types';

export interface OfficeEmailAddress {
  readonly emailAddress?: string | null;
  readonly displayName?: string | null;
}

export interface OfficeFieldsInput {
  readonly internetMessageId?: string | null;
  readonly subject?: unknown;
  readonly from?: OfficeEmailAddress | null;
  readonly to?: readonly OfficeEmailAddress[] | null;
  readonly cc?: readonly OfficeEmailAddress[] | null;
  readonly bcc?: readonly OfficeEmailAddress[] | null;
  readonly dateTimeCreated?: Date | string | null;
  readonly dateTimeReceived?: Date | string | null;
  readonly conversationId?: string | null;
}

export type OfficeFacts = Partial<
  Pick<EmailFacts, 'messageId' | 'subject' | 'from' | 'to' | 'cc' | 'bcc' | 'receivedAt'>
>;

/** One Office.js EmailAddressDetails as a MailAddress; null when it has no address. */
export function toAddress(a: OfficeEmailAddress | null | undefined): MailAddress | null {
  if (!a || typeof a !== 'object') return null;
  const address = typeof a.emailAddress === 'string' ? a.emailAddress.trim() : '';
  if (address === '') return null;
  const name = typeof a.displayName === 'string' ? a.displayName.trim() : '';
  return { address, name: name === '' ? null : name };
}

export function toAddresses(list: readonly OfficeEmailAddress[] | null | undefined): MailAddress[] {
  if (!Array.isArray(list)) return [];
  const out: MailAddress[] = [];
  for (const a of list as readonly OfficeEmailAddress[]) {
    const m = toAddress(a);
    if (m) out.push(m);
  }
  return out;
}

function toIso(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const t = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

export function factsFromOfficeFields(input: OfficeFieldsInput): OfficeFacts {
  const out: { -readonly [K in keyof OfficeFacts]: OfficeFacts[K] } = {};
  if (!input || typeof input !== 'object') return out;
  if (input.internetMessageId !== undefined) {
    const id = typeof input.internetMessageId === 'string' ? input.internetMessageId.trim() : '';
    out.messageId = id === '' ? null : id;
  }
  if (typeof input.subject === 'string') out.subject = input.subject;
  if (input.from !== undefined) out.from = toAddress(input.from);
  if (input.to !== undefined) out.to = toAddresses(input.to);
  if (input.cc !== undefined) out.cc = toAddresses(input.cc);
  if (input.bcc !== undefined) out.bcc = toAddresses(input.bcc);
  if (input.dateTimeReceived !== undefined && input.dateTimeReceived !== null)
    out.receivedAt = toIso(input.dateTimeReceived);
  else if (input.dateTimeCreated !== undefined) out.receivedAt = toIso(input.dateTimeCreated);
  return out;
}
