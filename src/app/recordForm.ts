/**
 * The short review form behind "Create contact" / "Create lead": whether it is offered for an item,
 * its first values from the sender (§2.5's split, so the form proposes what a track would create),
 * its checks, and the record it asks the CRM to create. Pure: no Office, no React, no CRM call.
 */
import { isValidAddress } from '../rules/addresses';
import type { Decision } from '../rules/decide';
import type { OrgDbOrgSettings, PersonalOptions } from '../rules/settings';
import type { Direction, MailAddress } from '../rules/types';
import { fit, MAX_LENGTH } from '../crm/columns';
import type { RecordToCreate } from '../crm/port';
import type { ItemStatus } from './itemState';

export type RecordFormType = 'contact' | 'lead';

/**
 * Column lengths the form holds the user to (Microsoft's table reference, MaxLength): contact and
 * lead firstname 50, lastname 50, emailaddress1 100 (columns.ts); lead companyname 100. Checked here
 * because Dataverse refuses a longer string with a 400 that names no field the user could fix.
 */
export const RECORD_FORM_LIMITS = {
  firstname: MAX_LENGTH.firstname,
  lastname: MAX_LENGTH.lastname,
  address: MAX_LENGTH.emailaddress1,
  companyName: 100,
} as const;

/** What the form creates: a lead's company as text, a contact's as its parent account. */
export type RecordFormRecord = RecordToCreate;

/** A contact's parent account, as the account search found it (the name is shown, never sent). */
export interface ChosenAccount {
  readonly id: string;
  readonly name: string;
}

export interface RecordFormValues {
  readonly type: RecordFormType;
  readonly firstname: string;
  readonly lastname: string;
  /** The sender's address: shown, not editable (a record for another address is another task). */
  readonly address: string;
  /** A lead's company, as text. Ignored for a contact. */
  readonly companyName: string;
  /** A contact's parent account. Ignored for a lead. */
  readonly parentAccount: ChosenAccount | null;
}

export type RecordFormField = 'firstname' | 'lastname' | 'address' | 'companyName';
export type RecordFormErrors = Partial<Readonly<Record<RecordFormField, string>>>;

/**
 * §2.5: the display name split at the last space; no name → no firstname and the address's part
 * before `@` as lastname. As the rules read a sender (decide.ts), surrounding quotes are dropped and a
 * name equal to the address counts as no name. Each part is cut to its column (whole code points),
 * as a track cuts them, so the form never starts out over a limit.
 */
export function nameFromSender(
  displayName: string | null,
  address: string,
): { firstname: string | null; lastname: string } {
  const trimmedAddress = address.trim();
  const raw = (displayName ?? '')
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .trim();
  const name = raw.toLowerCase() === trimmedAddress.toLowerCase() ? '' : raw;
  const at = trimmedAddress.lastIndexOf('@');
  if (name === '')
    return {
      firstname: null,
      lastname: fit(at < 0 ? trimmedAddress : trimmedAddress.slice(0, at), MAX_LENGTH.lastname),
    };
  const space = name.lastIndexOf(' ');
  if (space < 0) return { firstname: null, lastname: fit(name, MAX_LENGTH.lastname) };
  const first = name.slice(0, space).trim();
  return {
    firstname: first === '' ? null : fit(first, MAX_LENGTH.firstname),
    lastname: fit(name.slice(space + 1), MAX_LENGTH.lastname),
  };
}

export function initialRecordForm(type: RecordFormType, sender: MailAddress): RecordFormValues {
  const { firstname, lastname } = nameFromSender(sender.name, sender.address);
  return {
    type,
    firstname: firstname ?? '',
    lastname,
    address: sender.address.trim(),
    companyName: '',
    parentAccount: null,
  };
}

// C0 controls (line breaks and tabs included) and DEL: a display name is untrusted text, and a
// name field holding them shows as something other than what the CRM stores.
const hasControl = (text: string): boolean => {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
};

function textProblem(label: string, value: string, max: number, required: boolean): string | null {
  if (required && value === '') return `${label} is required.`;
  if (value.length > max) return `${label} can be at most ${max} characters (now ${value.length}).`;
  if (hasControl(value)) return `${label} cannot contain line breaks or control characters.`;
  return null;
}

/** Every problem of the form by field, in words to show next to it; empty when it can be sent. */
export function validateRecordForm(values: RecordFormValues): RecordFormErrors {
  const errors: Partial<Record<RecordFormField, string>> = {};
  const first = textProblem('First name', values.firstname.trim(), RECORD_FORM_LIMITS.firstname, false);
  if (first) errors.firstname = first;
  const last = textProblem('Last name', values.lastname.trim(), RECORD_FORM_LIMITS.lastname, true);
  if (last) errors.lastname = last;
  const address = values.address.trim();
  if (!isValidAddress(address)) errors.address = 'The sender has no email address a record can hold.';
  else if (address.length > RECORD_FORM_LIMITS.address)
    errors.address = `The sender's address is longer than a CRM record holds (${RECORD_FORM_LIMITS.address} characters).`;
  if (values.type === 'lead') {
    const company = textProblem('Company', values.companyName.trim(), RECORD_FORM_LIMITS.companyName, false);
    if (company) errors.companyName = company;
  }
  return errors;
}

/** The record to create, or the problems that stop it. Text is trimmed; an empty optional is null. */
export function recordFromForm(
  values: RecordFormValues,
):
  | { readonly ok: true; readonly record: RecordFormRecord }
  | { readonly ok: false; readonly errors: RecordFormErrors } {
  const errors = validateRecordForm(values);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const firstname = values.firstname.trim();
  const base = {
    type: values.type,
    address: values.address.trim(),
    firstname: firstname === '' ? null : firstname,
    lastname: values.lastname.trim(),
  };
  if (values.type === 'lead') {
    const company = values.companyName.trim();
    return { ok: true, record: { ...base, companyName: company === '' ? null : company } };
  }
  return { ok: true, record: { ...base, parentAccountId: values.parentAccount?.id ?? null } };
}

export interface RecordFormOfferInput {
  readonly status: ItemStatus;
  readonly direction: Direction;
  readonly sender: MailAddress | null;
  /** The item's decision (null when none could be made). */
  readonly decision: Pick<Decision, 'sender' | 'senderCandidates'> | null;
  readonly settings: {
    readonly orgDb: Pick<
      OrgDbOrgSettings,
      'AutoCreateContactOnPromote' | 'UnresolveSenderInCaseOfMultipleMatch'
    >;
    readonly user: Pick<PersonalOptions, 'autocreatecontactonpromote'>;
  };
  /**
   * How many active records the sender's address matched in the item's lookup. A decision leaves a
   * sender unresolved both when nothing matched and when several did under
   * UnresolveSenderInCaseOfMultipleMatch; only the count tells them apart, so with that switch on and
   * no count (null or absent: no lookup behind the decision) the form is not offered (a second record
   * for a shared address would deepen the conflict).
   */
  readonly senderMatchCount?: number | null;
}

export type RecordFormOffer =
  | { readonly offered: true; readonly defaultType: RecordFormType }
  | { readonly offered: false; readonly reason: string };

const CHECKED: ReadonlySet<ItemStatus> = new Set(['tracked', 'not-tracked', 'needs-regarding']);

export const NOT_OFFERED = {
  // The options screen's words for the same lock (effectiveSettings.ts), so the pane says one thing.
  orgOff: 'Your organization does not create contacts or leads from email senders.',
  notChecked: "This email's sender has not been checked in the CRM yet.",
  outgoing: 'You sent this email: records are created from the senders of email you receive.',
  noAddress: 'This email has no sender address a record can be created from.',
  longAddress: `The sender's address is longer than a CRM record holds (${RECORD_FORM_LIMITS.address} characters).`,
  conflict: "The sender's address matches several CRM records.",
  resolved: 'The sender is already in the CRM.',
  unknownMatches: "It is not known whether the sender's address matches several CRM records.",
} as const;

/**
 * Whether the pane offers the form: a received email, tracked or not, checked in the CRM, whose
 * sender matched no record (not a conflict), in an organization that creates records from senders
 * (AutoCreateContactOnPromote, §1.2). The personal option (§1.4) only picks which type comes first:
 * the user asked for this record, so "none" does not hide it.
 */
export function recordFormOffer(input: RecordFormOfferInput): RecordFormOffer {
  const no = (reason: string): RecordFormOffer => ({ offered: false, reason });
  if (!input.settings.orgDb.AutoCreateContactOnPromote) return no(NOT_OFFERED.orgOff);
  const { decision, sender } = input;
  if (!CHECKED.has(input.status) || decision === null) return no(NOT_OFFERED.notChecked);
  if (input.direction !== 'incoming') return no(NOT_OFFERED.outgoing);
  if (!sender || !isValidAddress(sender.address)) return no(NOT_OFFERED.noAddress);
  if (sender.address.trim().length > RECORD_FORM_LIMITS.address) return no(NOT_OFFERED.longAddress);
  if (decision.sender !== null && decision.sender.id !== null) return no(NOT_OFFERED.resolved);
  const count = input.senderMatchCount ?? null;
  if (decision.senderCandidates.length > 0 || (count !== null && count > 1)) return no(NOT_OFFERED.conflict);
  // A sender to be created (id null) matched nothing by definition (§2.5).
  if (decision.sender === null && count === null && input.settings.orgDb.UnresolveSenderInCaseOfMultipleMatch)
    return no(NOT_OFFERED.unknownMatches);
  if (count === 1) return no(NOT_OFFERED.resolved);
  return {
    offered: true,
    defaultType: input.settings.user.autocreatecontactonpromote === 2 ? 'lead' : 'contact',
  };
}
