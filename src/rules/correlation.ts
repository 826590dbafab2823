/**
 * Correlation (§3): finding the tracked email this one answers, in the spec's order, first match
 * wins: In-Reply-To/References, tracking token, conversation index, smart matching.
 */
import { addressKey } from './addresses';
import { latestTracked, type CrmIndex } from './crmIndex';
import { normalizeMessageId } from './messageId';
import type { Settings } from './settings';
import {
  addressSet,
  compileHashFilter,
  sharedAddressCount,
  subjectWords,
  subjectsMatch,
} from './smartMatching';
import { isForward } from './subjects';
import { decodeBase64, isWellFormedThreadIndex, threadIndexAncestorKeys } from './threadIndex';
import { findTrackingTokens } from './trackingToken';
import type { EmailFacts, TrackedEmail } from './types';

export type CorrelationMethod = 'InReplyTo' | 'TrackingToken' | 'ConversationIndex' | 'SmartMatching';

/** Dataverse's `correlationmethod` values for each method. */
export const CORRELATION_METHOD_CODES: Readonly<Record<CorrelationMethod, number>> = {
  InReplyTo: 3,
  TrackingToken: 4,
  ConversationIndex: 5,
  SmartMatching: 6,
};

export interface Correlation {
  readonly method: CorrelationMethod;
  readonly tracked: TrackedEmail;
}

/** Correlates `email` against the index, writing each step it takes to `trace`. */
export function correlate(
  email: EmailFacts,
  settings: Settings,
  index: CrmIndex,
  trace: string[],
): Correlation | null {
  const { organization: org, orgDb } = settings;
  if (!org.emailcorrelationenabled) {
    trace.push('§3: correlation is off for the organization (emailcorrelationenabled = false)');
    return null;
  }
  if (orgDb.DoNotCorrelateForwardedEmailsAsReplies && isForward(email.subject, email.composeType)) {
    trace.push('§3.5: a forward is not correlated (DoNotCorrelateForwardedEmailsAsReplies)');
    return null;
  }
  const skipHeaders = orgDb.IgnoreConversationIndexAndInReplyToForCorrelation;
  if (skipHeaders) trace.push('§3.1: skipped (IgnoreConversationIndexAndInReplyToForCorrelation)');
  else {
    const found = byInReplyTo(email, index, trace);
    if (found) return found;
  }
  if (!org.useTrackingToken) trace.push('§3.2: tracking tokens are off (useTrackingToken = false)');
  else {
    const found = byTrackingToken(email, org.trackingprefix, index, trace);
    if (found) return found;
  }
  if (skipHeaders) trace.push('§3.3: skipped (IgnoreConversationIndexAndInReplyToForCorrelation)');
  else {
    const found = byConversationIndex(email, index, trace);
    if (found) return found;
  }
  if (!org.enablesmartmatching) trace.push('§3.4: smart matching is off (enablesmartmatching = false)');
  else if (orgDb.DisableSmartMatching) trace.push('§3.4: smart matching is off (DisableSmartMatching)');
  else {
    const found = bySmartMatching(email, settings, index, trace);
    if (found) return found;
  }
  return null;
}

function byInReplyTo(email: EmailFacts, index: CrmIndex, trace: string[]): Correlation | null {
  const ids: string[] = [];
  if (email.inReplyTo) ids.push(email.inReplyTo);
  for (let i = email.references.length - 1; i >= 0; i -= 1) ids.push(email.references[i] as string);
  for (const id of ids) {
    const key = normalizeMessageId(id);
    if (!key) continue;
    const tracked = latestTracked(index.trackedByMessageId.get(key) ?? []);
    if (tracked) {
      trace.push(`§3.1: ${id} is the Message-ID of tracked email ${tracked.activityId}`);
      return { method: 'InReplyTo', tracked };
    }
  }
  trace.push(
    ids.length === 0
      ? '§3.1: no In-Reply-To or References'
      : `§3.1: none of In-Reply-To/References (${ids.length}) is a tracked email's Message-ID`,
  );
  return null;
}

function byTrackingToken(
  email: EmailFacts,
  prefix: string,
  index: CrmIndex,
  trace: string[],
): Correlation | null {
  const tokens = findTrackingTokens(email.subject, prefix);
  if (tokens.length === 0) {
    trace.push(`§3.2: the subject holds no tracking token with prefix ${prefix}`);
    return null;
  }
  const byDigits = index.trackedByTokenDigits(prefix);
  for (const token of tokens) {
    const tracked = latestTracked(byDigits.get(token.digits) ?? []);
    if (tracked) {
      trace.push(`§3.2: token ${token.token} is the token of tracked email ${tracked.activityId}`);
      return { method: 'TrackingToken', tracked };
    }
    trace.push(`§3.2: token ${token.token} matches no tracked email; going on`);
  }
  return null;
}

function byConversationIndex(email: EmailFacts, index: CrmIndex, trace: string[]): Correlation | null {
  if (!email.threadIndex) {
    trace.push('§3.3: no conversation index');
    return null;
  }
  const bytes = decodeBase64(email.threadIndex);
  if (!bytes || !isWellFormedThreadIndex(bytes)) {
    trace.push('§3.3: the conversation index is not a valid Thread-Index; skipped');
    return null;
  }
  for (const key of threadIndexAncestorKeys(bytes)) {
    const tracked = latestTracked(index.trackedByThreadIndex.get(key) ?? []);
    if (tracked) {
      trace.push(`§3.3: tracked email ${tracked.activityId}'s conversation index is an ancestor of this one`);
      return { method: 'ConversationIndex', tracked };
    }
  }
  trace.push('§3.3: no tracked email has an ancestor conversation index');
  return null;
}

interface Reduced {
  readonly words: readonly string[];
  readonly addresses: readonly string[];
}

function bySmartMatching(
  email: EmailFacts,
  settings: Settings,
  index: CrmIndex,
  trace: string[],
): Correlation | null {
  const org = settings.organization;
  const filter = compileHashFilter(org.hashfilterkeywords);
  if (filter.error) trace.push(`§3.4: ${filter.error}`);
  const reduceSubject = (subject: string): string[] => subjectWords(subject, filter.regex, org.hashmaxcount);
  const own: Reduced = {
    words: reduceSubject(email.subject),
    addresses: addressSet(
      [email.from, ...email.to, ...email.cc, ...email.bcc].flatMap((a) => (a ? [a.address] : [])),
      org.hashmaxcount,
    ),
  };
  const memoKey = `smart\u0000${org.hashfilterkeywords}\u0000${org.hashmaxcount}`;
  let reduced = index.memo.get(memoKey) as Map<TrackedEmail, Reduced> | undefined;
  if (!reduced) {
    reduced = new Map();
    index.memo.set(memoKey, reduced);
  }
  const candidates = smartCandidates(own.addresses, org.hashminaddresscount, index);
  const matches: TrackedEmail[] = [];
  for (const tracked of candidates) {
    let theirs = reduced.get(tracked);
    if (!theirs) {
      theirs = {
        words: reduceSubject(tracked.subject ?? ''),
        addresses: addressSet(tracked.addresses, org.hashmaxcount),
      };
      reduced.set(tracked, theirs);
    }
    if (
      subjectsMatch(own.words, theirs.words, org.hashdeltasubjectcount) &&
      sharedAddressCount(own.addresses, theirs.addresses) >= org.hashminaddresscount
    ) {
      matches.push(tracked);
    }
  }
  const best = latestTracked(matches);
  if (best) {
    trace.push(
      `§3.4: smart matching: ${matches.length} tracked email(s) share the subject words and ≥ ${org.hashminaddresscount} addresses; the latest is ${best.activityId}`,
    );
    return { method: 'SmartMatching', tracked: best };
  }
  trace.push('§3.4: smart matching found no tracked email with the same subject words and addresses');
  return null;
}

/**
 * Tracked emails that can share `minShared` of `addresses`, found without a scan. A match appears in
 * at least `minShared` of the addresses' lists, so it must appear in one of the
 * (addresses - minShared + 1) SHORTEST lists (pigeonhole): the longest lists, such as the user's own
 * address that every tracked email carries, are never walked.
 */
function smartCandidates(
  addresses: readonly string[],
  minShared: number,
  index: CrmIndex,
): Iterable<TrackedEmail> {
  if (minShared <= 0) return index.tracked;
  if (addresses.length < minShared) return [];
  const lists = addresses
    .map((a) => index.trackedByAddress.get(addressKey(a)) ?? [])
    .sort((a, b) => a.length - b.length)
    .slice(0, addresses.length - minShared + 1);
  const set = new Set<TrackedEmail>();
  for (const list of lists) for (const tracked of list) set.add(tracked);
  return set;
}
