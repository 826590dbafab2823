/**
 * Message-ID comparison form (spec §2.1 step 1, §3.1): "compared after trimming white space and
 * angle brackets, case-sensitive". PURE.
 *
 * (chosen) Exactly ONE pair of surrounding angle brackets is removed, and only when both are
 * there (`<a@b>` → `a@b`, `<<a@b>>` → `<a@b>`, `<a@b` stays `<a@b`); white space is trimmed
 * before and after removing them (`" < a@b > "` → `a@b`). Nothing else changes: no case folding.
 */
export function normalizeMessageId(id: string): string {
  let s = id.trim();
  if (s.length >= 2 && s.startsWith('<') && s.endsWith('>')) s = s.slice(1, -1).trim();
  return s;
}

/** True when both ids are equal after normalizeMessageId and non-empty. */
export function sameMessageId(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a == null || b == null) return false;
  const na = normalizeMessageId(a);
  return na !== '' && na === normalizeMessageId(b);
}
