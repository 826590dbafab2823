/**
 * What to ask the CRM about one email so that the rules have every record and tracked email they
 * may need (§2.1 step 1, §2.4, §3), in one request.
 */
import type { ItemLookupQuery } from '../crm/port';
import type { Settings } from '../rules/settings';
import { subjectWords } from '../rules/smartMatching';
import { decodeBase64, isWellFormedThreadIndex } from '../rules/threadIndex';
import { findTrackingTokens } from '../rules/trackingToken';
import type { EmailFacts } from '../rules/types';

/** Base64 of every proper prefix of a Thread-Index (its ancestors, §3.3), longest first. */
export function threadIndexAncestors(threadIndex: string | null): string[] {
  const bytes = threadIndex ? decodeBase64(threadIndex) : null;
  if (!bytes || !isWellFormedThreadIndex(bytes)) return [];
  const out: string[] = [];
  for (let length = bytes.length - 5; length >= 22; length -= 5)
    out.push(toBase64(bytes.subarray(0, length)));
  return out;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

// No Buffer or btoa in every Outlook runtime: twenty lines beat a dependency.
function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] as number;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += ALPHABET[(n >> 18) & 63];
    out += ALPHABET[(n >> 12) & 63];
    out += b === undefined ? '=' : ALPHABET[(n >> 6) & 63];
    out += c === undefined ? '=' : ALPHABET[n & 63];
  }
  return out;
}

/**
 * In-Reply-To, then References from last to first (§3.1): newest first, without repeats, so a
 * bounded query keeps the newest ancestors and drops the oldest.
 */
export function threadIdsNewestFirst(inReplyTo: string | null, references: readonly string[]): string[] {
  const ordered = [...(inReplyTo ? [inReplyTo] : []), ...[...references].reverse()];
  return [...new Set(ordered.map((id) => id.trim()).filter(Boolean))];
}

/**
 * Whole tokens (prefix + digits, §3.2) in the forms a row may hold them: as written in the subject,
 * and with the configured prefix as configured, upper- and lower-cased (the prefix compares in any
 * case; Dataverse's own string comparison is case-insensitive too, the others are for stores that
 * are not). Never the digits alone: the rules refuse a stored token without its prefix.
 */
export function tokenForms(subject: string, prefix: string): string[] {
  const forms = findTrackingTokens(subject, prefix).flatMap((t) => [
    t.token,
    `${prefix}${t.digits}`,
    `${prefix.toUpperCase()}${t.digits}`,
    `${prefix.toLowerCase()}${t.digits}`,
  ]);
  return [...new Set(forms)];
}

export function lookupQueryFor(
  facts: EmailFacts,
  settings: Settings,
  extraMessageIds: readonly string[] = [],
): ItemLookupQuery {
  const org = settings.organization;
  const addresses = [facts.from, ...facts.to, ...facts.cc, ...facts.bcc].flatMap((a) =>
    a?.address ? [a.address] : [],
  );
  const correlate = org.emailcorrelationenabled;
  const smart = correlate && org.enablesmartmatching && !settings.orgDb.DisableSmartMatching;
  return {
    messageId: facts.messageId,
    extraMessageIds,
    addresses,
    threadMessageIds: correlate ? threadIdsNewestFirst(facts.inReplyTo, facts.references) : [],
    trackingTokens: correlate && org.useTrackingToken ? tokenForms(facts.subject, org.trackingprefix) : [],
    threadIndexes: correlate ? threadIndexAncestors(facts.threadIndex) : [],
    // The words exactly as §3.4 reduces them (custom hashfilterkeywords, hashmaxcount): candidates
    // are emails sharing any of them, a superset the rules then filter with the same settings.
    subjectWords: smart ? subjectWords(facts.subject, org.hashfilterkeywords, org.hashmaxcount) : null,
  };
}
