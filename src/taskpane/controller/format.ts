/** Small pure helpers shared by the controller and the views: record labels, CRM links, names. */
import type { RecordRef } from '../../rules/types';
import type { SessionView } from './types';

const TYPE_LABELS: Readonly<Record<string, string>> = {
  account: 'Account',
  contact: 'Contact',
  lead: 'Lead',
  opportunity: 'Opportunity',
  incident: 'Case',
  systemuser: 'User',
  queue: 'Queue',
};

export const typeLabel = (type: string): string => TYPE_LABELS[type] ?? type;

/** The record's page in the CRM (Unified Interface deep link). */
export function recordUrl(crmUrl: string, ref: RecordRef): string {
  return `${crmUrl.replace(/\/+$/, '')}/main.aspx?etn=${encodeURIComponent(ref.type)}&id=${encodeURIComponent(ref.id)}&pagetype=entityrecord`;
}

/** A display name split for a new contact or lead; the address's local part when there is no name. */
export function splitName(
  displayName: string | null,
  address: string,
): { firstname: string | null; lastname: string } {
  const name = (displayName ?? '').replace(/["']/g, '').trim();
  const cleaned = name.includes('@') ? '' : name;
  if (!cleaned) return { firstname: null, lastname: address.split('@')[0] || address };
  if (cleaned.includes(',')) {
    const [last, first] = cleaned.split(',', 2).map((s) => s.trim());
    return { firstname: first || null, lastname: last || cleaned };
  }
  const parts = cleaned.split(/\s+/);
  if (parts.length === 1) return { firstname: null, lastname: parts[0] as string };
  return { firstname: parts.slice(0, -1).join(' '), lastname: parts[parts.length - 1] as string };
}

/** Only http(s) URLs, and plain http only for this computer (the local emulator). */
export function checkCrmUrl(raw: string): { url: string } | { error: string } {
  const text = raw.trim().replace(/\/+$/, '');
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return { error: 'Enter the address of your CRM, for example https://contoso.crm.dynamics.com.' };
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname.toLowerCase());
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && local))
    return { error: 'The CRM address must start with https:// (http:// only for a CRM on this computer).' };
  if (parsed.search || parsed.hash || parsed.username || parsed.password)
    return { error: 'Enter only the CRM address, without a query, fragment or user name.' };
  return { url: `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}` };
}

/**
 * The Connection tab's status word. A session that opened on the saved settings while the CRM could
 * not be reached is not "Connected": saying so hid the outage the Email tab warns about.
 */
export function connectionStatusText(session: SessionView): string {
  if (session.phase === 'starting') return 'Connecting…';
  if (session.phase === 'failed') return 'Not connected: the CRM cannot be reached. Trying again by itself.';
  return session.offline
    ? `Offline: the CRM cannot be reached (${session.offline.reason}). Working on the saved settings; trying again by itself.`
    : 'Connected';
}

/** A wait in the words the pane uses for every "next try": seconds up to 90, then minutes. */
export function waitWords(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds === 1) return '1 second';
  return seconds < 90 ? `${seconds} seconds` : `${Math.round(seconds / 60)} minutes`;
}
