/**
 * Column lengths Dataverse enforces on what the add-in writes (a longer string is a 400,
 * `0x80044331`, and with it the whole track). Values from Microsoft's table reference
 * (powerapps-docs `reference/entities/*.md`, MaxLength): email.subject 800, email.messageid 320,
 * activityparty.addressused 320; contact and lead firstname 50, lastname 50, emailaddress1 100; lead companyname 100.
 *
 * The add-in never loses a track over a length:
 * - a subject, a display name or an unresolved address is cut to the column's length (whole UTF-16
 *   code points; a surrogate pair is never split);
 * - a record is NOT created from a sender whose address does not fit emailaddress1 (a cut address
 *   would be another address): the sender stays unresolved, kept as `addressused`, and the track goes on;
 * - an over-long Message-ID is stored in a deterministic shortened form (`storedMessageId`) that
 *   every query asks for too, so duplicates are still found (§2.1 step 1) and replies still
 *   correlate (§3.1). The form: `<` + the first 300 characters of the id without its brackets +
 *   `~` + 16 hex digits of `idHash` (two FNV-1a 32-bit hashes) of the whole id without brackets + `>` — 320
 *   characters at most. An id that fits is stored as it is (without its brackets when only that
 *   fits: `storedMessageId`). The adapter maps a
 *   row's shortened id back to the id it was asked about, so the rules compare the real ids.
 */
export const MAX_LENGTH = {
  subject: 800,
  messageid: 320,
  addressused: 320,
  trackingtoken: 50,
  firstname: 50,
  lastname: 50,
  emailaddress1: 100,
  // lead
  companyname: 100,
  // activitymimeattachment
  filename: 255,
  mimetype: 256,
} as const;

/** `value` cut to at most `max` UTF-16 units, never inside a surrogate pair. */
export function fit(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = max;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1; // a high surrogate whose pair would be cut
  return value.slice(0, end);
}

function fnv1a32(text: string, basis: number): string {
  let hash = basis >>> 0;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * 16 hex digits: two 32-bit FNV-1a hashes (standard basis, and a second basis) over the UTF-16
 * code units. No BigInt or crypto API: classic Outlook's JavaScript-only runtime may lack both.
 */
export function idHash(text: string): string {
  return fnv1a32(text, 0x811c9dc5) + fnv1a32(text, 0x9e3779b9);
}

const KEEP = MAX_LENGTH.messageid - 20; // '<' + 300 + '~' + 16 hex + '>' = 319

/**
 * The Message-ID as the add-in stores and queries it (see above). One rule for `<id>` and `id`, decided
 * on the id without its brackets, so both forms of one id store alike: an id that fits with its
 * brackets is stored as written; one that fits only without them (319 or 320 characters) is stored
 * without them — what any client writing it whole must store; a longer one is shortened.
 */
export function storedMessageId(id: string): string {
  const trimmed = id.trim();
  const bare = trimmed.replace(/^<(.*)>$/s, '$1');
  if (trimmed.length <= MAX_LENGTH.messageid) return trimmed;
  if (bare.length <= MAX_LENGTH.messageid) return bare;
  return `<${fit(bare, KEEP)}~${idHash(bare)}>`;
}
