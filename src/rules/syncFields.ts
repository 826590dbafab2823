/**
 * synchronization.md §2.4 (field updates of one pair) and the fields of a create (§2.3 steps 5–6):
 * which values go to which side, by mapping direction, baseline and modification times, and the
 * contact's company name, which follows its own rule whatever a mapping says.
 */
import type { SyncCrmRecord, SyncEntity, SyncFields, SyncMapping, SyncOutlookItem } from './syncTypes';

/** The Outlook contact's company name (§2.4 last rule). */
export const OUTLOOK_COMPANY_NAME = 'companyName';

/** What the settings decide about field writes. */
export interface FieldRules {
  readonly entity: SyncEntity;
  readonly mappings: readonly SyncMapping[];
  readonly synccontactcompany: boolean;
}

/** The writes to each side of one pair; each map holds the target side's names, in mapping order. */
export interface FieldWrites {
  readonly toCrm: Map<string, unknown>;
  readonly toOutlook: Map<string, unknown>;
  readonly crmConflicts: string[];
  readonly outlookConflicts: string[];
}

/**
 * A field's value: a missing one is null (§2.4). Own properties only, so a field named `constructor`
 * or `__proto__` is read as the input gave it, never from Object.prototype.
 */
export function fieldValue(fields: SyncFields, name: string): unknown {
  return Object.hasOwn(fields, name) ? (fields[name] ?? null) : null;
}

/** JSON text with object keys sorted, so two values that are the same JSON compare equal. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/** §2.4: values are compared as JSON. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  return canonical(a) === canonical(b);
}

/** The contact's company name is never written through a mapping, in either direction (§2.4). */
function mappingApplies(rules: FieldRules, mapping: SyncMapping): boolean {
  if (mapping.direction === 'none') return false;
  return !(rules.entity === 'contact' && mapping.outlook === OUTLOOK_COMPANY_NAME);
}

/** §2.4: the company name Outlook should show, or undefined when the rule writes none. */
function companyName(rules: FieldRules, record: SyncCrmRecord): string | undefined {
  if (rules.entity !== 'contact' || !rules.synccontactcompany) return undefined;
  return record.parentAccountName ?? undefined;
}

const instantMs = (text: string | null): number => (text === null ? Number.NaN : Date.parse(text));

/** §2.4 conflict: Outlook wins only when both times are known and Outlook's is later. */
function outlookModifiedLater(record: SyncCrmRecord, item: SyncOutlookItem): boolean {
  const crm = instantMs(record.modifiedOn);
  const outlook = instantMs(item.modifiedAt);
  return !Number.isNaN(crm) && !Number.isNaN(outlook) && outlook > crm;
}

type Side = 'crm' | 'outlook';

/**
 * §2.4 for one pair. `baseline` is null for a pair with none (new, or just linked). A write whose
 * value the target already holds is no change and is left out ("only the fields that change").
 */
export function fieldUpdates(
  rules: FieldRules,
  record: SyncCrmRecord,
  item: SyncOutlookItem,
  baseline: { readonly crm: SyncFields; readonly outlook: SyncFields } | null,
): FieldWrites {
  const writes: FieldWrites = {
    toCrm: new Map(),
    toOutlook: new Map(),
    crmConflicts: [],
    outlookConflicts: [],
  };
  const write = (side: Side, mapping: SyncMapping, value: unknown, conflict: boolean): void => {
    const name = side === 'crm' ? mapping.crm : mapping.outlook;
    const target = side === 'crm' ? writes.toCrm : writes.toOutlook;
    // Two mappings onto one target field: the first one listed decides it.
    if (target.has(name)) return;
    const current = fieldValue(side === 'crm' ? record.fields : item.fields, name);
    if (sameValue(current, value)) return;
    target.set(name, value);
    if (conflict) (side === 'crm' ? writes.crmConflicts : writes.outlookConflicts).push(name);
  };

  for (const mapping of rules.mappings) {
    if (!mappingApplies(rules, mapping)) continue;
    const c = fieldValue(record.fields, mapping.crm);
    const o = fieldValue(item.fields, mapping.outlook);
    if (mapping.direction === 'toOutlook') {
      write('outlook', mapping, c, false);
    } else if (mapping.direction === 'toCrm') {
      write('crm', mapping, o, false);
    } else if (baseline === null) {
      if (c === null && o !== null) write('crm', mapping, o, false);
      else if (c !== null) write('outlook', mapping, c, false);
    } else {
      const crmChanged = !sameValue(c, fieldValue(baseline.crm, mapping.crm));
      const outlookChanged = !sameValue(o, fieldValue(baseline.outlook, mapping.outlook));
      if (crmChanged && outlookChanged) {
        if (sameValue(c, o)) continue;
        if (outlookModifiedLater(record, item)) write('crm', mapping, o, true);
        else write('outlook', mapping, c, true);
      } else if (outlookChanged) {
        write('crm', mapping, o, false);
      } else {
        // CRM changed alone, or neither changed while the two sides differ: the CRM's value.
        write('outlook', mapping, c, false);
      }
    }
  }
  const company = companyName(rules, record);
  if (company !== undefined && !sameValue(fieldValue(item.fields, OUTLOOK_COMPANY_NAME), company)) {
    writes.toOutlook.set(OUTLOOK_COMPANY_NAME, company);
  }
  return writes;
}

/** §2.3 step 5: the CRM record made from a tracked item, by CRM names; a null source value is left out. */
export function createCrmFields(rules: FieldRules, item: SyncOutlookItem): Map<string, unknown> {
  const fields = new Map<string, unknown>();
  for (const mapping of rules.mappings) {
    if (!mappingApplies(rules, mapping) || fields.has(mapping.crm)) continue;
    const value = fieldValue(item.fields, mapping.outlook);
    if (value !== null) fields.set(mapping.crm, value);
  }
  return fields;
}

/** §2.3 step 6: the Outlook item made from a record, by Outlook names, the company name included (§2.4). */
export function createOutlookFields(rules: FieldRules, record: SyncCrmRecord): Map<string, unknown> {
  const fields = new Map<string, unknown>();
  for (const mapping of rules.mappings) {
    if (!mappingApplies(rules, mapping) || fields.has(mapping.outlook)) continue;
    const value = fieldValue(record.fields, mapping.crm);
    if (value !== null) fields.set(mapping.outlook, value);
  }
  const company = companyName(rules, record);
  if (company !== undefined) fields.set(OUTLOOK_COMPANY_NAME, company);
  return fields;
}
