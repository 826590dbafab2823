/**
 * RFC 5322 §3.3 date-time parsing (with the §4.3 obsolete forms), independent of the host's time
 * zone. `Date.parse` is not used for these strings because it reads a date without a zone (e.g.
 * `Wed, 01 May 2019 12:20`) in the LOCAL zone, so the result would depend on the machine.
 *
 * Accepted (case-insensitive, comments in parentheses ignored):
 *   [day-name[,]] day month-name year hh:mm[:ss] [zone]
 *   day-name month-name day hh:mm[:ss] [zone] year                  (asctime-style)
 *   YYYY-MM-DDThh:mm[:ss[.fff]](Z|±hh:mm)                             (ISO 8601 with a zone)
 * Two-digit years: 00-49 → 20xx, 50-99 → 19xx; three-digit years + 1900 (RFC 5322 §4.3).
 * Zones: ±hhmm, UT/UTC/GMT/Z, EST/EDT/CST/CDT/MST/MDT/PST/PDT; other single military letters mean
 * "unknown" (RFC 5322 §4.3) and read as +0000. (chosen) A missing or unknown zone reads as UTC and
 * adds a warning.
 */

export interface ParsedDate {
  /** ISO 8601 (`toISOString`), or null when the value is not a date. */
  readonly iso: string | null;
  readonly warning: string | null;
}

const MONTHS: Readonly<Record<string, number>> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

const ZONES: Readonly<Record<string, number>> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
};

function stripComments(value: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && depth > 0) {
      i++;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if (depth === 0) out += c;
  }
  return out;
}

function year4(text: string): number {
  const y = Number(text);
  if (text.length === 2) return y < 50 ? 2000 + y : 1900 + y;
  if (text.length === 3) return 1900 + y;
  return y;
}

function zoneMinutes(zone: string | undefined): { minutes: number; warning: string | null } {
  if (zone === undefined || zone === '') return { minutes: 0, warning: 'Date has no time zone; UTC assumed' };
  const m = /^([+-])(\d{2})(\d{2})$/.exec(zone);
  if (m) {
    const mins = Number(m[2]) * 60 + Number(m[3]);
    if (Number(m[3]) > 59) return { minutes: NaN, warning: null };
    return { minutes: m[1] === '-' ? -mins : mins, warning: null };
  }
  const named = ZONES[zone.toLowerCase()];
  if (named !== undefined) return { minutes: named, warning: null };
  if (/^[a-z]$/i.test(zone))
    return { minutes: 0, warning: `Date has the military zone "${zone}"; UTC assumed` };
  return { minutes: 0, warning: `Date has the unknown time zone "${zone}"; UTC assumed` };
}

function build(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  zoneOffset: number,
): string | null {
  if (!Number.isFinite(zoneOffset)) return null;
  if (month < 0 || month > 11 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  if (year < 1000 || year > 9999) return null;
  const base = Date.UTC(year, month, day);
  const check = new Date(base);
  if (check.getUTCMonth() !== month || check.getUTCDate() !== day) return null; // e.g. 31 Feb
  const ms = base + ((hour * 60 + minute) * 60 + second) * 1000 - zoneOffset * 60000;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

const RFC_RE =
  /^(?:[a-z]{3,}\s*,?\s*)?(\d{1,2})\s*[-\s]\s*([a-z]{3,})\.?\s*[-\s]\s*(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([+-]\d{4}|[a-z]{1,5})?$/i;
const ASCTIME_RE =
  /^[a-z]{3,}\s*,?\s+([a-z]{3,})\s+(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|[a-z]{1,5})?\s+(\d{4})$/i;
const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

export function parseMailDate(value: string): ParsedDate {
  const text = stripComments(value).replace(/\s+/g, ' ').trim();
  if (text === '') return { iso: null, warning: 'Date is empty' };

  let m = RFC_RE.exec(text);
  if (m) {
    const month = MONTHS[(m[2] ?? '').slice(0, 3).toLowerCase()];
    if (month === undefined) return { iso: null, warning: `Date is not an RFC 5322 date: "${value.trim()}"` };
    const zone = zoneMinutes(m[7]);
    const iso = build(
      year4(m[3] ?? ''),
      month,
      Number(m[1]),
      Number(m[4]),
      Number(m[5]),
      Number(m[6] ?? 0),
      zone.minutes,
    );
    return iso === null
      ? { iso: null, warning: `Date is out of range: "${value.trim()}"` }
      : { iso, warning: zone.warning };
  }
  m = ASCTIME_RE.exec(text);
  if (m) {
    const month = MONTHS[(m[1] ?? '').slice(0, 3).toLowerCase()];
    if (month === undefined) return { iso: null, warning: `Date is not an RFC 5322 date: "${value.trim()}"` };
    const zone = zoneMinutes(m[6]);
    const iso = build(
      Number(m[7]),
      month,
      Number(m[2]),
      Number(m[3]),
      Number(m[4]),
      Number(m[5] ?? 0),
      zone.minutes,
    );
    return iso === null
      ? { iso: null, warning: `Date is out of range: "${value.trim()}"` }
      : { iso, warning: zone.warning };
  }
  if (ISO_RE.test(text)) {
    const t = Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (!Number.isNaN(t)) return { iso: new Date(t).toISOString(), warning: null };
  }
  return { iso: null, warning: `Date is not an RFC 5322 date: "${value.trim().slice(0, 100)}"` };
}
