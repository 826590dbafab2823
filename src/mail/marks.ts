/**
 * The two things the add-in writes on Outlook items, as compact text:
 * - the custom property of a tracked item (activity id and regarding), which must fit Outlook's
 *   2,500 characters per add-in per item;
 * - the mark of a draft to be tracked when sent (§2.3): a custom property (kept on the sent item, and
 *   writable by this add-in only) and an `X-Track-In-CRM` header with the random id alone (it goes
 *   to every recipient, so it carries no CRM ids; it is never trusted on received mail).
 * Both are parsed defensively: a malformed value is "no mark".
 */
import type { DiagnosticsLog, DraftMark, TrackTag } from '../app/ports';
import type { RecordRef } from '../rules/types';

export const CUSTOM_PROPERTY = 'tic';
export const DRAFT_HEADER = 'X-Track-In-CRM';
/** The same mark as a custom property: Outlook keeps it on the sent item, which has no headers. */
export const DRAFT_PROPERTY = 'ticd';
/** The draft property's value once the user chose not to track the draft. */
export const DRAFT_OPTED_OUT = 'off';
export const MAX_CUSTOM_PROPERTIES = 2500;

const SAFE = /^[A-Za-z0-9_.:-]{1,100}$/;
/**
 * A tracking token as the mark keeps it: a prefix (1–20 characters of the organization's choosing)
 * and digits. `;`, `=` and white space would break the property's `k=v; …` form, so a token holding
 * them is not kept (Cancel then leaves the subject as it is).
 */
const TOKEN = /^[^;=\s\p{Cc}]{1,80}$/u;

const refText = (ref: RecordRef | null): string => (ref ? `${ref.type}:${ref.id}` : '');
function refFrom(text: unknown): RecordRef | null {
  if (typeof text !== 'string' || !text) return null;
  const colon = text.indexOf(':');
  const type = text.slice(0, colon);
  const id = text.slice(colon + 1);
  return colon > 0 && SAFE.test(type) && SAFE.test(id) ? { type, id } : null;
}

/** `{"a":"<activity>","r":"<type>:<id>"}`. */
export function encodeTag(tag: TrackTag): string {
  return JSON.stringify({ a: tag.activityId, r: refText(tag.regarding) });
}

export function decodeTag(value: unknown, log: DiagnosticsLog | null = null): TrackTag | null {
  if (typeof value !== 'string') return null;
  try {
    const parsed = JSON.parse(value) as { a?: unknown; r?: unknown };
    return typeof parsed.a === 'string' && SAFE.test(parsed.a)
      ? { activityId: parsed.a, regarding: refFrom(parsed.r) }
      : null;
  } catch (error) {
    // Not ours to fail on: the item is treated as untagged, and the next track writes a good tag.
    log?.log(
      `The item's Track in CRM data is not valid JSON (${value.slice(0, 40)}); treated as untagged.`,
      error,
    );
    return null;
  }
}

/** The header's value: the mark's random id only, since the header goes out with the email. */
export function encodeDraftHeader(mark: DraftMark): string {
  return `v1; id=${mark.id}`;
}

/** `v1; id=<id>; r=<type>:<id>; p=<parent activity>`: the custom property's value (stays in the mailbox). */
export function encodeDraftMark(mark: DraftMark): string {
  const fields = [`v1`, `id=${mark.id}`, `r=${refText(mark.regarding)}`, `p=${mark.parentActivityId ?? ''}`];
  if (mark.token && TOKEN.test(mark.token)) fields.push(`t=${mark.token}`);
  return fields.join('; ');
}

export function decodeDraftMark(value: string | null | undefined): DraftMark | null {
  if (!value) return null;
  const fields = new Map<string, string>();
  const parts = value.split(';').map((p) => p.trim());
  if (parts[0] !== 'v1') return null;
  for (const part of parts.slice(1)) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const id = fields.get('id');
  if (!id || !SAFE.test(id)) return null;
  const parent = fields.get('p');
  const token = fields.get('t');
  return {
    id,
    regarding: refFrom(fields.get('r')),
    parentActivityId: parent && SAFE.test(parent) ? parent : null,
    ...(token && TOKEN.test(token) ? { token } : {}),
  };
}
