/**
 * The `Prefer` header's Outlook preferences and Graph's `Preference-Applied` answer:
 * `outlook.timezone="…"` (times of events and tasks), `outlook.body-content-type="text|html"` (an
 * event's body, converted as Graph converts it: "If the header is not specified, the body is returned
 * in its original format") and `odata.maxpagesize=N` (delta pages). Applied preferences are echoed,
 * comma-separated, in one `Preference-Applied` header.
 */
import { preferredZone } from './timeZones';

export type BodyType = 'text' | 'html';

export interface ItemView {
  /** The zone times are written in: `UTC` without a preference. */
  readonly zone: string;
  /** The body type asked for, or null to keep the stored one. */
  readonly bodyType: BodyType | null;
}

export function itemView(headers: Readonly<Record<string, string>>): ItemView {
  const body = /outlook\.body-content-type\s*=\s*"?(text|html)"?/i.exec(headers.prefer ?? '');
  return {
    zone: preferredZone(headers),
    bodyType: body ? ((body[1] as string).toLowerCase() as BodyType) : null,
  };
}

/** `Preference-Applied` for the Outlook preferences sent, plus the page size when one was asked. */
export function preferenceApplied(
  headers: Readonly<Record<string, string>>,
  pageSize?: number,
): Record<string, string> {
  const prefer = headers.prefer ?? '';
  const applied: string[] = [];
  if (pageSize !== undefined && /odata\.maxpagesize/i.test(prefer))
    applied.push(`odata.maxpagesize=${pageSize}`);
  const zone = /outlook\.timezone\s*=\s*"([^"]*)"/i.exec(prefer);
  if (zone) applied.push(`outlook.timezone="${zone[1]}"`);
  const body = /outlook\.body-content-type\s*=\s*"?(text|html)"?/i.exec(prefer);
  if (body) applied.push(`outlook.body-content-type="${(body[1] as string).toLowerCase()}"`);
  return applied.length ? { 'Preference-Applied': applied.join(', ') } : {};
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  '#39': "'",
  nbsp: ' ',
};

/** A body in the type asked for: HTML to text drops the markup; text to HTML escapes it into a page. */
export function bodyAs(
  body: { contentType: BodyType; content: string },
  wanted: BodyType | null,
): { contentType: BodyType; content: string } {
  if (wanted === null || wanted === body.contentType) return body;
  if (wanted === 'text') {
    const text = body.content
      .replace(/<(br|\/p|\/div)\s*\/?>/gi, '\n')
      .replace(/<[^>]*>/g, '')
      .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => ENTITIES[e] as string)
      .trim();
    return { contentType: 'text', content: text };
  }
  const escaped = body.content.replace(
    /[&<>"]/g,
    (c) => `&${({ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' } as Record<string, string>)[c]};`,
  );
  return { contentType: 'html', content: `<html><body>${escaped.replace(/\n/g, '<br>')}</body></html>` };
}
