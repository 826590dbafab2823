/**
 * Party resolution (§2.4) and sender conflicts (§2.1 step 8, §2.2 step 3).
 */
import { addressKey } from './addresses';
import type { AddressMatch, CrmIndex } from './crmIndex';
import type { RecipientReconciliation } from './settings';
import type { CrmRecord, EmailFacts, RecordRef } from './types';

export type PartyRole = 'to' | 'cc' | 'bcc';

export interface Party {
  readonly role: PartyRole;
  readonly address: string;
  /** The records the address resolved to; empty means unresolved (kept as `addressused`). */
  readonly records: readonly RecordRef[];
}

export const ref = (record: CrmRecord): RecordRef => ({ type: record.type, id: record.id });

/**
 * Every active record an address matches under the reconciliation option, in "created first"
 * order. This is the raw match list: the internal-email and recipient tests use it as it is,
 * whether or not the party then stays unresolved (§2.1 step 7).
 */
export function matchAddress(
  index: CrmIndex,
  address: string,
  reconciliation: RecipientReconciliation,
): readonly AddressMatch[] {
  const matches = index.recordsByAddress.get(addressKey(address));
  if (!matches) return [];
  return reconciliation === 'primary-email-only' ? matches.filter((m) => m.primary) : matches;
}

/** Looks up an address's matches; decisions pass a memoized one (the same address is asked for up to four times). */
export type AddressMatcher = (address: string) => readonly AddressMatch[];

export function addressMatcher(index: CrmIndex, reconciliation: RecipientReconciliation): AddressMatcher {
  // A Map, not a list: an email may carry thousands of recipients (a list made this quadratic, 28 s
  // for 200,000 To addresses), and for a handful the two cost the same.
  const answers = new Map<string, readonly AddressMatch[]>();
  return (address) => {
    let matches = answers.get(address);
    if (matches === undefined) {
      matches = matchAddress(index, address, reconciliation);
      answers.set(address, matches);
    }
    return matches;
  };
}

/** §2.4: each To/Cc/Bcc address, resolved to every match, or to none when several match and the org says so. */
export function resolveRecipients(
  email: EmailFacts,
  match: AddressMatcher,
  unresolveIfMultipleMatch: boolean,
): Party[] {
  const parties: Party[] = [];
  const add = (role: PartyRole, list: EmailFacts['to']): void => {
    for (const recipient of list) {
      const matches = match(recipient.address);
      const unresolved = unresolveIfMultipleMatch && matches.length > 1;
      parties.push({
        role,
        address: recipient.address.trim(),
        records: unresolved ? [] : matches.map((m) => ref(m.record)),
      });
    }
  };
  add('to', email.to);
  add('cc', email.cc);
  add('bcc', email.bcc);
  return parties;
}

export type SenderResolution =
  | { readonly kind: 'none' }
  | { readonly kind: 'resolved'; readonly record: CrmRecord; readonly conflict: boolean }
  | { readonly kind: 'conflict'; readonly candidates: readonly CrmRecord[] };

/**
 * The sender's matches, before any policy: none, exactly one, or a conflict listing every candidate
 * in "created first" order (`unresolveemailaddressifmultiplematch` does not apply to the sender).
 */
export function senderMatches(address: string | null, match: AddressMatcher): SenderResolution {
  if (!address) return { kind: 'none' };
  const matches = match(address);
  const first = matches[0];
  if (!first) return { kind: 'none' };
  if (matches.length === 1) return { kind: 'resolved', record: first.record, conflict: false };
  return { kind: 'conflict', candidates: matches.map((m) => m.record) };
}
