/**
 * `GET /main.aspx?etn=<type>&id=<id>&pagetype=entityrecord`: the record page the pane links to
 * (src/taskpane/controller/format.ts `recordUrl`, Unified Interface's deep link), as a small read-only
 * HTML page of the row's fields, so a link from the pane against the emulator opens something useful.
 * Every value is escaped as text; the page runs no script (CSP `default-src 'none'`). An unknown table,
 * a malformed id or a missing row is a 404 page.
 */
import type { EmulatorDb, Row } from './db';
import { BY_NAME, type EntityDef } from './metadata';
import type { EmuResponse } from './protocol';

export const RECORD_PAGE_PATH = '/main.aspx';

const GUID_RE = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;
/** Long values (a body, a header block) are cut on the page: it is a glance, not an editor. */
const MAX_VALUE = 400;

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

const HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

function page(status: number, title: string, body: string): EmuResponse {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font:14px 'Segoe UI',system-ui,sans-serif;margin:24px;color:#242424;background:#fff}
h1{font-size:20px;margin:0 0 4px}p.kind{color:#424242;margin:0 0 16px}
table{border-collapse:collapse}th,td{text-align:left;vertical-align:top;padding:4px 12px 4px 0;border-bottom:1px solid #e0e0e0}
th{color:#424242;font-weight:600;white-space:nowrap}td{white-space:pre-wrap;word-break:break-word}
footer{margin-top:16px;color:#616161;font-size:12px}
</style></head><body>
${body}
<footer>Local Dataverse emulator: a read-only view of the record.</footer>
</body></html>
`;
  return { status, headers: { ...HEADERS }, body: html };
}

function notFound(message: string): EmuResponse {
  return page(
    404,
    'Record not found',
    `<h1>Record not found</h1>\n<p data-testid="message">${escapeHtml(message)}</p>`,
  );
}

function display(value: Row[string]): string {
  const text = String(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text;
}

/** The main fields: the primary name first, then every column with a value (lookups as `type id`). */
function fields(entity: EntityDef, row: Row): [string, string][] {
  const out: [string, string][] = [];
  const seen = new Set<string>();
  const add = (name: string, value: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    out.push([name, value]);
  };
  if (entity.primaryName && row[entity.primaryName] != null)
    add(entity.primaryName, display(row[entity.primaryName] ?? ''));
  for (const name of Object.keys(entity.attributes)) {
    const value = row[name];
    if (value !== null && value !== undefined && value !== '') add(name, display(value));
  }
  for (const lookup of entity.lookups) {
    const id = row[`_${lookup.name}_value`];
    if (id !== null && id !== undefined) {
      const type = row[`_${lookup.name}_type`];
      add(lookup.name, `${type ? `${String(type)} ` : ''}${String(id)}`);
    }
  }
  return out;
}

/** Answers GET/HEAD on /main.aspx (405 otherwise). `url` is the request's path and query. */
export function recordPage(db: EmulatorDb, method: string, url: string): EmuResponse {
  if (method !== 'GET' && method !== 'HEAD') {
    return {
      ...page(405, 'Method not allowed', '<h1>Method not allowed</h1>'),
      headers: { ...HEADERS, Allow: 'GET, HEAD' },
    };
  }
  const params = new URL(url, 'http://emulator.local').searchParams;
  const etn = params.get('etn') ?? '';
  const id = params.get('id') ?? '';
  const pagetype = params.get('pagetype') ?? 'entityrecord';
  if (pagetype !== 'entityrecord')
    return notFound(`Only record pages (pagetype=entityrecord) are served here.`);
  const entity = BY_NAME.get(etn);
  if (!entity) return notFound(`There is no table named "${etn}" in this CRM.`);
  const guid = GUID_RE.exec(id)?.[1];
  if (!guid) return notFound(`"${id}" is not a record id.`);
  const row = db.get(entity, guid);
  if (!row) return notFound(`No ${etn} record with id ${guid.toLowerCase()}.`);
  const name = entity.primaryName ? row[entity.primaryName] : null;
  const title = name !== null && name !== undefined && name !== '' ? String(name) : `${etn} ${guid}`;
  const rows = fields(entity, row)
    .map(
      ([k, v]) =>
        `<tr><th scope="row">${escapeHtml(k)}</th><td data-field="${escapeHtml(k)}">${escapeHtml(v)}</td></tr>`,
    )
    .join('\n');
  return page(
    200,
    title,
    `<h1 data-testid="record-name">${escapeHtml(title)}</h1>
<p class="kind" data-testid="record-type">${escapeHtml(etn)} · ${escapeHtml(guid.toLowerCase())}</p>
<table aria-label="Fields">
${rows}
</table>`,
  );
}
