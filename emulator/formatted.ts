/**
 * `@OData.Community.Display.V1.FormattedValue` as Dataverse writes it for an en-US user: choice and
 * state/status labels, boolean option labels, integers with thousands separators, money with the
 * currency symbol and two decimals (`$52,000.00`), dates as `5/12/2022 3:19 PM` (no comma; the emulator's
 * users all have UTC as their time zone).
 */
import type { EntityDef } from './metadata';

/** The label of a choice value, or null when the column has no choices (or the value no label). */
export function choiceLabel(entity: EntityDef, name: string, value: number): string | null {
  const label = entity.choices?.[name]?.[value];
  if (label !== undefined) return label;
  if (name === 'statecode') return value === 0 ? 'Active' : value === 1 ? 'Inactive' : null;
  if (name === 'statuscode') return value === 1 ? 'Active' : value === 2 ? 'Inactive' : null;
  return null;
}

/** `[false label, true label]` of a boolean column. */
export function booleanLabels(entity: EntityDef, name: string): readonly [string, string] {
  return entity.booleanLabels?.[name] ?? ['No', 'Yes'];
}

export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const hours = d.getUTCHours();
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  const minutes = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${hour12}:${minutes} ${hours < 12 ? 'AM' : 'PM'}`;
}

/** A DateOnly value `2026-01-10` as `1/10/2026`. */
export function formatDateOnly(day: string): string {
  const [year, month, date] = day.split('-');
  return year && month && date ? `${Number(month)}/${Number(date)}/${year}` : day;
}

export function formatInteger(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

export function formatMoney(value: number): string {
  const text = Math.abs(value).toLocaleString('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  return value < 0 ? `-$${text}` : `$${text}`;
}

/** The formatted value of a column, or null when Dataverse gives none (strings, guids, BigInt). */
export function formattedValue(entity: EntityDef, name: string, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const type = entity.attributes[name];
  if (type === 'bool') return booleanLabels(entity, name)[value === 1 || value === true ? 1 : 0];
  if (type === 'int') {
    // versionnumber is a BigInt column: Dataverse sends no formatted value for it.
    if (name === 'versionnumber') return null;
    if (entity.choices?.[name] || name === 'statecode' || name === 'statuscode') {
      return choiceLabel(entity, name, value as number);
    }
    return formatInteger(value as number);
  }
  if (type === 'money') return formatMoney(value as number);
  if (type === 'datetime') return formatDate(value as string);
  if (type === 'date') return formatDateOnly(value as string);
  return null;
}
