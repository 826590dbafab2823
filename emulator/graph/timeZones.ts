/**
 * Time zones as Graph takes them in `dateTimeTimeZone` ({dateTime, timeZone}) and in
 * `Prefer: outlook.timezone="…"`: Windows names (what Outlook writes) and IANA names, both accepted.
 * Windows names are mapped to the IANA zone of the same rules (CLDR's windowsZones "001" territory);
 * the list holds the zones the add-in's users meet most, the ones the task names first (chosen: the
 * rest of Windows' list is left out; an IANA name works for any zone Node knows).
 *
 * Graph writes `dateTime` without an offset and with seven fractional digits
 * (`2026-01-10T09:00:00.0000000`); it reads any ISO local date-time.
 */
import { BadRequest } from './protocol';

const WINDOWS_TO_IANA: Readonly<Record<string, string>> = {
  UTC: 'UTC',
  'Coordinated Universal Time': 'UTC',
  'Pacific Standard Time': 'America/Los_Angeles',
  'Mountain Standard Time': 'America/Denver',
  'Central Standard Time': 'America/Chicago',
  'Eastern Standard Time': 'America/New_York',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Romance Standard Time': 'Europe/Paris',
  'Central Europe Standard Time': 'Europe/Budapest',
  'E. Europe Standard Time': 'Europe/Chisinau',
  'India Standard Time': 'Asia/Kolkata',
  'China Standard Time': 'Asia/Shanghai',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'AUS Eastern Standard Time': 'Australia/Sydney',
};

/** The IANA zone a Graph time zone name means, or null when neither list knows it. */
export function ianaZone(name: string): string | null {
  const trimmed = name.trim();
  const windows = Object.keys(WINDOWS_TO_IANA).find((w) => w.toLowerCase() === trimmed.toLowerCase());
  if (windows) return WINDOWS_TO_IANA[windows] as string;
  if (!trimmed) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: trimmed }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/**
 * The zone named, or Graph's 400 for one it does not know. The code is the one Exchange's
 * TimeZoneNotSupportedException surfaces as (chosen: Graph's docs name no code).
 */
export function requireZone(name: unknown): string {
  const zone = typeof name === 'string' ? ianaZone(name) : null;
  if (!zone) {
    throw new BadRequest(
      'TimeZoneNotSupportedException',
      `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${String(name)}'.`,
    );
  }
  return zone;
}

/** Wall-clock fields of an instant in a zone. */
function wallClock(ms: number, zone: string): number[] {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? '0');
  return [get('year'), get('month'), get('day'), get('hour'), get('minute'), get('second')];
}

function offsetMs(ms: number, zone: string): number {
  const [y, mo, d, h, mi, s] = wallClock(ms, zone) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s) - Math.floor(ms / 1000) * 1000;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * `{dateTime, timeZone}` → the UTC instant (ms). A `dateTime` with its own offset is taken as that
 * instant (chosen: Graph documents local date-times only). A malformed one is 400.
 */
export function toUtcMs(dateTime: unknown, timeZone: unknown): number {
  const m = typeof dateTime === 'string' ? LOCAL.exec(dateTime.trim()) : null;
  if (!m) {
    throw new BadRequest(
      'ErrorInvalidRequest',
      `Cannot convert the literal '${String(dateTime)}' to the expected type 'Edm.String' holding a date and time.`,
    );
  }
  const zone = requireZone(timeZone);
  if (m[7]) return Date.parse((dateTime as string).trim());
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? '0')) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  // Two passes find the offset in force at the instant itself (it may differ across a DST change).
  let utc = wall - offsetMs(wall, zone);
  utc = wall - offsetMs(utc, zone);
  return utc;
}

/** An instant as Graph writes a `dateTimeTimeZone` in `zoneName` (the name as the client gave it). */
export function dateTimeTimeZone(ms: number, zoneName: string): { dateTime: string; timeZone: string } {
  const zone = ianaZone(zoneName) ?? 'UTC';
  const [y, mo, d, h, mi, s] = wallClock(ms, zone) as number[];
  const two = (n: number | undefined): string => String(n).padStart(2, '0');
  return {
    dateTime: `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}.0000000`,
    timeZone: zoneName,
  };
}

/** Whether the instant is midnight on the wall clock of `zoneName`. */
export function isMidnight(ms: number, zoneName: string): boolean {
  const [, , , h, mi, s] = wallClock(ms, ianaZone(zoneName) ?? 'UTC');
  return h === 0 && mi === 0 && s === 0;
}

/**
 * The zone of `Prefer: outlook.timezone="…"`, or `UTC` without one (Graph answers in UTC then). An
 * unknown name is 400, as Graph refuses it.
 */
export function preferredZone(headers: Readonly<Record<string, string>>): string {
  const m = /outlook\.timezone\s*=\s*"([^"]*)"/i.exec(headers.prefer ?? '');
  if (!m) return 'UTC';
  requireZone(m[1]);
  return m[1] as string;
}

export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
