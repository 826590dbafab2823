/** Small pure helpers shared by the controller and the views: record labels, CRM links, words. */
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
 * A sentence set in parentheses inside another: its own full stop goes, or the outer sentence would
 * end "(The CRM is busy or unavailable.)." (error texts are whole sentences).
 */
export function parenthesized(sentence: string): string {
  return `(${sentence.trim().replace(/\.+$/, '')})`;
}

/**
 * The Connection tab's status word. A session that opened on the saved settings while the CRM could
 * not be reached is not "Connected": saying so hid the outage the Email tab warns about.
 */
export function connectionStatusText(session: SessionView): string {
  if (session.phase === 'starting') return 'Connecting…';
  if (session.phase === 'failed') return 'Not connected: the CRM cannot be reached. Trying again by itself.';
  return session.offline
    ? `Offline: the CRM cannot be reached ${parenthesized(session.offline.reason)}. Working on the saved settings; trying again by itself.`
    : 'Connected';
}

/** A wait in the words the pane uses for every "next try": seconds up to 90, then minutes. */
export function waitWords(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds === 1) return '1 second';
  return seconds < 90 ? `${seconds} seconds` : `${Math.round(seconds / 60)} minutes`;
}
