/** Email address comparison and checks shared by party resolution, internal-email and smart matching. */

/** §2.4: addresses are compared case-insensitively after trimming. */
export function addressKey(address: string): string {
  return address.trim().toLowerCase();
}

// Characters that never stand unquoted in an addr-spec; a quoted local part is rare enough in
// CRM senders that it is refused rather than half-parsed.
const ADDR_SPEC = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/;

/**
 * §2.1 step 6: is this a usable SMTP sender address? Exchange legacy DNs (`/o=ExchangeLabs/…`),
 * display names without an address and half addresses are not.
 */
export function isValidAddress(address: string | null | undefined): boolean {
  if (typeof address !== 'string') return false;
  const text = address.trim();
  if (text.length === 0 || text.length > 320 || !ADDR_SPEC.test(text)) return false;
  const domain = text.slice(text.lastIndexOf('@') + 1);
  const local = text.slice(0, text.lastIndexOf('@'));
  if (local.length > 64 || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
  return (
    !domain.startsWith('.') && !domain.endsWith('.') && !domain.includes('..') && !domain.startsWith('-')
  );
}
