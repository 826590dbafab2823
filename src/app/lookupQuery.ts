/**
 * What to ask the CRM about one email so that the rules have every record and tracked email they
 * may need (§2.1 step 1, §2.4, §3), in one request.
 */
import type { ItemLookupQuery } from '../crm/port';
import type { Settings } from '../rules/settings';
import { parseSubject } from '../rules/subjects';
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
    threadMessageIds: correlate ? [...(facts.inReplyTo ? [facts.inReplyTo] : []), ...facts.references] : [],
    // Tokens compare by digits (§3.2) and Dataverse rows hold them with or without the prefix: ask for both.
    trackingTokens:
      correlate && org.useTrackingToken
        ? findTrackingTokens(facts.subject, org.trackingprefix).flatMap((t) => [t.token, t.digits])
        : [],
    threadIndexes: correlate ? threadIndexAncestors(facts.threadIndex) : [],
    baseSubject: smart ? parseSubject(facts.subject).base || null : null,
  };
}
