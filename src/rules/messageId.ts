/**
 * Message-ID comparison form (spec §2.1 step 1, §3.1): "compared after trimming white space and
 * angle brackets, case-sensitive". PURE.
 *
 * Trimming is read as trimming characters (as .NET's `Trim(' ', '<', '>')` does): any run of white
 * space and angle brackets comes off both ends, so `<a@b>`, ` a@b `, `<a@b` and `<<a@b>>` all compare
 * as `a@b` — clients that drop one bracket (seen in the wild) still match. Nothing else changes: no
 * case folding.
 */
export function normalizeMessageId(id: string): string {
  return id.replace(/^[\s<>]+|[\s<>]+$/g, '');
}
