/**
 * Reads an `explain` case of action `sync` (synchronization.md §3): the record type, the trigger,
 * the mappings, both sides' records and the last synchronization's state. Malformed input names the
 * field, as for the other actions (tracking.md §6).
 */
import type { RawSettings } from '../rules/settingsInput';
import type {
  MappingDirection,
  SyncBaseline,
  SyncCrmRecord,
  SyncEntity,
  SyncFields,
  SyncMapping,
  SyncOutlookItem,
  SyncState,
  SyncTrigger,
} from '../rules/syncTypes';
import {
  array,
  boolean,
  CaseInputError,
  fail,
  instant,
  object,
  optionalObject,
  optionalString,
  required,
  string,
  type Json,
} from './caseInput';

export interface SyncCase {
  readonly action: 'sync';
  readonly now: string | null;
  readonly entity: SyncEntity;
  readonly trigger: SyncTrigger;
  readonly settings: RawSettings;
  readonly mappings: readonly SyncMapping[];
  readonly crm: { readonly records: readonly SyncCrmRecord[] };
  readonly outlook: { readonly items: readonly SyncOutlookItem[] };
  readonly state: SyncState;
}

const ENTITIES: readonly SyncEntity[] = ['contact', 'appointment', 'task'];
const TRIGGERS: readonly SyncTrigger[] = ['scheduled', 'manual'];
/** §1: Dataverse's numbers for the directions, by index. */
const DIRECTIONS: readonly MappingDirection[] = ['none', 'toOutlook', 'toCrm', 'both'];

function requiredChoice<T extends string>(o: Record<string, Json>, name: string, allowed: readonly T[]): T {
  const value = required(o, name, '');
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(name, allowed.map((a) => `"${a}"`).join(' or '), value);
  }
  return value as T;
}

function optionalInstant(value: Json, field: string): string | null {
  return value === undefined || value === null ? null : instant(value, field);
}

/** Field values by name: any JSON value each, the object itself required to be one. */
function fields(value: Json, field: string): SyncFields {
  return optionalObject(value, field) ?? {};
}

function direction(value: Json, field: string): MappingDirection {
  if (typeof value === 'string' && (DIRECTIONS as readonly string[]).includes(value)) {
    return value as MappingDirection;
  }
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < DIRECTIONS.length) {
    return DIRECTIONS[value] as MappingDirection;
  }
  return fail(field, `${DIRECTIONS.map((d) => `"${d}"`).join(' or ')}, or its number 0–3`, value);
}

function mapping(value: Json, field: string): SyncMapping {
  const o = object(value, field);
  return {
    crm: string(required(o, 'crm', field), `${field}.crm`),
    outlook: string(required(o, 'outlook', field), `${field}.outlook`),
    direction: direction(required(o, 'direction', field), `${field}.direction`),
  };
}

function crmRecord(value: Json, field: string): SyncCrmRecord {
  const o = object(value, field);
  return {
    id: string(required(o, 'id', field), `${field}.id`),
    // A record the runner sends is one of those concerned; without a word, it is in scope and active.
    inScope: boolean(o.inScope, `${field}.inScope`, true),
    active: boolean(o.active, `${field}.active`, true),
    createdOn: optionalInstant(o.createdOn, `${field}.createdOn`),
    modifiedOn: optionalInstant(o.modifiedOn, `${field}.modifiedOn`),
    fields: fields(o.fields, `${field}.fields`),
    parentAccountName: optionalString(o.parentAccountName, `${field}.parentAccountName`),
  };
}

function outlookItem(value: Json, field: string): SyncOutlookItem {
  const o = object(value, field);
  return {
    itemId: string(required(o, 'itemId', field), `${field}.itemId`),
    crmId: optionalString(o.crmId, `${field}.crmId`),
    tracked: boolean(o.tracked, `${field}.tracked`, false),
    deleted: boolean(o.deleted, `${field}.deleted`, false),
    modifiedAt: optionalInstant(o.modifiedAt, `${field}.modifiedAt`),
    fields: fields(o.fields, `${field}.fields`),
    // An empty slot keeps its place, so the first address stays the first (as tracking.md §6 reads emails).
    emails: array(o.emails, `${field}.emails`).map((v, i) =>
      v === null ? '' : string(v, `${field}.emails[${i}]`),
    ),
  };
}

function baseline(value: Json, field: string): SyncBaseline {
  const o = object(value, field);
  return {
    crmId: string(required(o, 'crmId', field), `${field}.crmId`),
    itemId: string(required(o, 'itemId', field), `${field}.itemId`),
    crm: fields(o.crm, `${field}.crm`),
    outlook: fields(o.outlook, `${field}.outlook`),
  };
}

/** Two records (or items) of one id describe no CRM (or mailbox): the second is named. */
function unique<T>(list: readonly T[], id: (entry: T) => string, field: (i: number) => string): void {
  const first = new Map<string, number>();
  list.forEach((entry, i) => {
    const earlier = first.get(id(entry));
    if (earlier !== undefined) {
      throw new CaseInputError(field(i), `${JSON.stringify(id(entry))} is also the id of ${field(earlier)}`);
    }
    first.set(id(entry), i);
  });
}

/** Reads a parsed case whose `action` is `sync`, or throws CaseInputError naming the field. */
export function readSyncCase(o: Record<string, Json>): SyncCase {
  const entity = requiredChoice(o, 'entity', ENTITIES);
  const trigger = requiredChoice(o, 'trigger', TRIGGERS);
  const crm = object(required(o, 'crm', ''), 'crm');
  const outlook = object(required(o, 'outlook', ''), 'outlook');
  const settings = optionalObject(o.settings, 'settings');
  const state = optionalObject(o.state, 'state');

  const records = array(crm.records, 'crm.records').map((v, i) => crmRecord(v, `crm.records[${i}]`));
  unique(
    records,
    (r) => r.id,
    (i) => `crm.records[${i}].id`,
  );
  const items = array(outlook.items, 'outlook.items').map((v, i) => outlookItem(v, `outlook.items[${i}]`));
  unique(
    items,
    (item) => item.itemId,
    (i) => `outlook.items[${i}].itemId`,
  );

  return {
    action: 'sync',
    now: optionalInstant(o.now, 'now'),
    entity,
    trigger,
    settings: {
      organization: optionalObject(settings?.organization, 'settings.organization'),
      client: optionalObject(settings?.client, 'settings.client'),
      user: optionalObject(settings?.user, 'settings.user'),
    },
    // §3: missing mappings are none; the runner, not the planner, supplies the defaults.
    mappings: array(o.mappings, 'mappings').map((v, i) => mapping(v, `mappings[${i}]`)),
    crm: { records },
    outlook: { items },
    state: {
      pairs: array(state?.pairs, 'state.pairs').map((v, i) => baseline(v, `state.pairs[${i}]`)),
      excluded: array(state?.excluded, 'state.excluded').map((v, i) => string(v, `state.excluded[${i}]`)),
    },
  };
}
