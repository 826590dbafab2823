/** Small pure helpers shared by the controller and the views: record labels, CRM links, words. */
import { englishPaneStrings } from '../../i18n/surfaces';
import type { RecordRef } from '../../rules/types';
import type { PaneKey } from '../strings';
import type { Translate } from '../../i18n/messages';
import type { SessionView } from './types';

type PaneTranslate = Translate<PaneKey>;

/**
 * Callers that have not moved to the user's language yet (other tabs' code) get English by default;
 * the item view always passes its `t`.
 */
const english: PaneTranslate = englishPaneStrings.t;

const TYPE_KEYS: Readonly<Record<string, PaneKey>> = {
  account: 'common.typeAccount',
  contact: 'common.typeContact',
  lead: 'common.typeLead',
  opportunity: 'common.typeOpportunity',
  incident: 'common.typeIncident',
  systemuser: 'common.typeSystemuser',
  queue: 'common.typeQueue',
};

/** A record type's display name; a type the pane does not know shows as its logical name. */
export const typeLabel = (type: string, t: PaneTranslate = english): string => {
  const key = TYPE_KEYS[type];
  return key ? t(key) : type;
};

/** The record's page in the CRM (Unified Interface deep link). */
export function recordUrl(crmUrl: string, ref: RecordRef): string {
  return `${crmUrl.replace(/\/+$/, '')}/main.aspx?etn=${encodeURIComponent(ref.type)}&id=${encodeURIComponent(ref.id)}&pagetype=entityrecord`;
}

/** Only http(s) URLs, and plain http only for this computer (the local emulator). */
export function checkCrmUrl(raw: string, t: PaneTranslate = english): { url: string } | { error: string } {
  const text = raw.trim().replace(/\/+$/, '');
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return { error: t('item.crmUrlMissing') };
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname.toLowerCase());
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && local))
    return { error: t('item.crmUrlNotHttps') };
  if (parsed.search || parsed.hash || parsed.username || parsed.password)
    return { error: t('item.crmUrlExtra') };
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
export function connectionStatusText(session: SessionView, t: PaneTranslate = english): string {
  if (session.phase === 'starting') return t('item.statusConnecting');
  if (session.phase === 'failed') return t('item.statusFailed');
  return session.offline
    ? t('item.statusOffline', { reason: parenthesized(session.offline.reason) })
    : t('item.statusConnected');
}

/** A wait in the words the pane uses for every "next try": seconds up to 90, then minutes. */
export function waitWords(ms: number, t: PaneTranslate = english): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  return seconds < 90
    ? t('common.seconds', { count: seconds })
    : t('common.minutes', { count: Math.round(seconds / 60) });
}
