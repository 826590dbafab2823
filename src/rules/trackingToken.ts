/**
 * Tracking tokens in subjects (spec §3.2). PURE.
 *
 * Recognition: the configured prefix (compared case-insensitively; regex characters in it are
 * literal) where it is NOT preceded by a letter or digit, followed at once by one or more ASCII
 * digits; the token is the prefix and the WHOLE run of digits. (chosen) "Letter" is any Unicode
 * letter or combining mark (`\p{L}\p{M}`), "digit" any Unicode decimal digit (`\p{Nd}`); the token's
 * own digits are ASCII `0-9` only (tokens are made of ASCII digits). `token` is the text as it
 * appears in the subject (the prefix in the subject's case); equality is on `digits` only.
 *
 * Format: prefix, one `0`, (userNumber + idBase) zero-padded to idDigits, the counter zero-padded
 * to the digit count of maxTrackingNumber: prefix `CRM:`, idDigits 3, base 0, user 1, max 999,
 * counter 234 → `CRM:0001234`. (chosen) A user number wider than idDigits is written in full,
 * never truncated.
 */

export type TrackingTokenErrorCode = 'bad-prefix' | 'bad-argument' | 'bad-counter';

export class TrackingTokenError extends Error {
  readonly code: TrackingTokenErrorCode;
  constructor(code: TrackingTokenErrorCode, message: string) {
    super(message);
    this.name = 'TrackingTokenError';
    this.code = code;
  }
}

export interface FoundToken {
  /** Prefix as written in the subject + the digits. */
  readonly token: string;
  readonly digits: string;
  /** UTF-16 index of the token's first character in the subject. */
  readonly index: number;
}

export interface TrackingTokenSettings {
  readonly prefix: string;
  readonly idDigits: number;
  readonly idBase: number;
  readonly userNumber: number;
  readonly maxTrackingNumber: number;
  readonly counter: number;
}

export const MIN_PREFIX_LENGTH = 1;
export const MAX_PREFIX_LENGTH = 20;

/** Throws TrackingTokenError('bad-prefix') unless the prefix is a string of 1-20 characters (code points). */
export function validateTrackingPrefix(prefix: string): void {
  if (typeof prefix !== 'string')
    throw new TrackingTokenError('bad-prefix', 'tracking prefix must be a string');
  const length = [...prefix].length;
  if (length < MIN_PREFIX_LENGTH || length > MAX_PREFIX_LENGTH) {
    throw new TrackingTokenError('bad-prefix', `tracking prefix must be 1-20 characters, got ${length}`);
  }
}

// Only syntax characters (and '/') may be escaped in a 'u' regex; '-' needs none outside a class.
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

const patternCache = new Map<string, RegExp>();

function tokenPattern(prefix: string): RegExp {
  let re = patternCache.get(prefix);
  if (!re) {
    re = new RegExp(`(?<![\\p{L}\\p{M}\\p{Nd}])${escapeRegExp(prefix)}([0-9]+)`, 'giu');
    if (patternCache.size >= 32) patternCache.clear();
    patternCache.set(prefix, re);
  }
  return re;
}

/** Every tracking token in the subject, left to right. Throws TrackingTokenError('bad-prefix') for an invalid prefix. */
export function findTrackingTokens(subject: string, prefix: string): FoundToken[] {
  validateTrackingPrefix(prefix);
  if (typeof subject !== 'string' || subject === '') return [];
  const re = tokenPattern(prefix);
  const found: FoundToken[] = [];
  for (const m of subject.matchAll(re)) {
    found.push({ token: m[0], digits: m[1] ?? '', index: m.index ?? 0 });
  }
  return found;
}

/**
 * The digits of a stored token (e.g. a tracked email's `trackingToken`) when the whole string is
 * the prefix (any case) followed by digits; else null.
 */
export function trackingTokenDigits(token: string, prefix: string): string | null {
  validateTrackingPrefix(prefix);
  if (typeof token !== 'string') return null;
  const t = token.trim();
  const found = findTrackingTokens(t, prefix);
  const first = found[0];
  return first && first.index === 0 && first.token.length === t.length ? first.digits : null;
}

function requireInteger(name: string, value: number, min: number): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new TrackingTokenError(
      'bad-argument',
      `${name} must be an integer >= ${min}, got ${String(value)}`,
    );
  }
}

export function makeTrackingToken(settings: TrackingTokenSettings): string {
  const { prefix, idDigits, idBase, userNumber, maxTrackingNumber, counter } = settings;
  validateTrackingPrefix(prefix);
  requireInteger('idDigits', idDigits, 1);
  requireInteger('idBase', idBase, 0);
  requireInteger('userNumber', userNumber, 0);
  requireInteger('maxTrackingNumber', maxTrackingNumber, 1);
  requireInteger('idBase + userNumber', idBase + userNumber, 0);
  if (
    typeof counter !== 'number' ||
    !Number.isSafeInteger(counter) ||
    counter < 0 ||
    counter > maxTrackingNumber
  ) {
    throw new TrackingTokenError(
      'bad-counter',
      `counter must be an integer 0..${maxTrackingNumber}, got ${String(counter)}`,
    );
  }
  const counterDigits = String(maxTrackingNumber).length;
  return `${prefix}0${String(userNumber + idBase).padStart(idDigits, '0')}${String(counter).padStart(counterDigits, '0')}`;
}

/** The counter after `counter`: +1, wrapping to 0 after max (and to 0 when counter is already past max or invalid). */
export function nextTrackingCounter(counter: number, max: number): number {
  if (!Number.isSafeInteger(counter) || !Number.isSafeInteger(max) || counter < 0 || counter >= max) return 0;
  return counter + 1;
}
