/**
 * One synchronization of one record type (synchronization.md §2): whether it runs, which Outlook
 * item is paired with which CRM record, what is done with each, and when the next one runs. Pure:
 * the runner (the add-in, the `explain` command) performs the operations and keeps the state.
 */
import type { Settings } from './settings';
import { createCrmFields, createOutlookFields, fieldUpdates, type FieldRules } from './syncFields';
import {
  SYNC_OPERATION_KINDS,
  type SyncBaseline,
  type SyncCrmRecord,
  type SyncInput,
  type SyncOperation,
  type SyncOperationKind,
  type SyncOperationReason,
  type SyncOutlookItem,
  type SyncPlan,
  type SyncRunReason,
} from './syncTypes';

/** Ids compare by UTF-16 code units (ordinal), the same everywhere the spec says "ordinal". */
const ordinal = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const ordinalNullFirst = (a: string | null, b: string | null): number =>
  a === b ? 0 : a === null ? -1 : b === null ? 1 : ordinal(a, b);

/** §2.1: why this synchronization does not run (the first that applies), or null when it runs. */
function notRunning(input: SyncInput): SyncRunReason | null {
  const { client, user, organization } = input.settings;
  if (!client.outlookSynchronization || !user.synchronizeWithOutlook) return 'SyncOff';
  if (!user.isSynchronizationClient) return 'NotSyncClient';
  if (input.trigger === 'scheduled' && !organization.allowoutlookscheduledsyncs) return 'ScheduleNotAllowed';
  return null;
}

/** §2.5: minutes to the next scheduled synchronization, null when the organization allows none. */
export function nextSyncInMinutes(settings: Settings): number | null {
  const { organization, user } = settings;
  if (!organization.allowoutlookscheduledsyncs) return null;
  return Math.max(user.outlooksyncinterval, organization.minoutlooksyncinterval);
}

/** §2.2: of the items carrying one crmId, the one linked: not deleted, smallest itemId (ordinal). */
function linkedItem(items: readonly SyncOutlookItem[]): SyncOutlookItem {
  let best = items[0] as SyncOutlookItem;
  for (const item of items) {
    const better = best.deleted !== item.deleted ? !item.deleted : ordinal(item.itemId, best.itemId) < 0;
    if (better) best = item;
  }
  return best;
}

const createdMs = (record: SyncCrmRecord): number => {
  const ms = record.createdOn === null ? Number.NaN : Date.parse(record.createdOn);
  // A record with no readable creation time cannot claim to be the one created first.
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
};

/** §2.3 step 5: created first, ties by id (ordinal). */
const createdFirst = (a: SyncCrmRecord, b: SyncCrmRecord): number => {
  const at = createdMs(a);
  const bt = createdMs(b);
  return at !== bt ? (at < bt ? -1 : 1) : ordinal(a.id, b.id);
};

/** §2.3 step 5: addresses compare case-insensitively, trimmed; an empty one matches nothing. */
const emailKey = (value: unknown): string | null => {
  if (typeof value !== 'string') return null;
  const key = value.trim().toLowerCase();
  return key === '' ? null : key;
};

class Operations {
  readonly list: SyncOperation[] = [];

  add(
    op: SyncOperationKind,
    crmId: string | null,
    itemId: string | null,
    reason: SyncOperationReason | null,
    fields: ReadonlyMap<string, unknown> = new Map(),
    conflicts: readonly string[] = [],
  ): void {
    this.list.push({
      op,
      crmId,
      itemId,
      fields: Object.fromEntries(fields),
      conflicts: [...conflicts],
      reason,
    });
  }

  /** An update or a create with no field is not listed (§3). */
  addWrite(
    op: 'updateCrm' | 'updateOutlook' | 'createCrm' | 'createOutlook',
    crmId: string | null,
    itemId: string | null,
    fields: ReadonlyMap<string, unknown>,
    conflicts: readonly string[] = [],
  ): void {
    if (fields.size > 0) this.add(op, crmId, itemId, null, fields, conflicts);
  }

  /** §2.4 for one pair: at most one updateCrm and one updateOutlook. */
  addUpdates(
    rules: FieldRules,
    record: SyncCrmRecord,
    item: SyncOutlookItem,
    baseline: SyncBaseline | null,
  ): void {
    const writes = fieldUpdates(rules, record, item, baseline);
    this.addWrite('updateCrm', record.id, item.itemId, writes.toCrm, writes.crmConflicts);
    this.addWrite('updateOutlook', record.id, item.itemId, writes.toOutlook, writes.outlookConflicts);
  }

  /** §2.5: by kind, then crmId, then itemId (ordinal, null first). */
  sorted(): SyncOperation[] {
    const rank = (op: SyncOperation): number => SYNC_OPERATION_KINDS.indexOf(op.op);
    return this.list.sort(
      (a, b) =>
        rank(a) - rank(b) || ordinalNullFirst(a.crmId, b.crmId) || ordinalNullFirst(a.itemId, b.itemId),
    );
  }
}

/** Plans one synchronization of one record type (§2). */
export function planSync(input: SyncInput): SyncPlan {
  const next = { inMinutes: nextSyncInMinutes(input.settings) };
  const off = notRunning(input);
  if (off !== null) return { run: false, reason: off, operations: [], exclude: [], next };

  const rules: FieldRules = {
    entity: input.entity,
    mappings: input.mappings,
    synccontactcompany: input.settings.user.synccontactcompany,
  };
  const operations = new Operations();
  const exclude = new Set<string>();

  // Each record is handled once: a second record with an id already seen is not another record.
  const records = new Map<string, SyncCrmRecord>();
  for (const record of input.crm.records) if (!records.has(record.id)) records.set(record.id, record);

  // §2.2: the items carrying each crmId, and the baselines by pair.
  const carriers = new Map<string, SyncOutlookItem[]>();
  for (const item of input.outlook.items) {
    if (item.crmId === null) continue;
    const list = carriers.get(item.crmId);
    if (list) list.push(item);
    else carriers.set(item.crmId, [item]);
  }
  const baselines = new Map<string, Map<string, SyncBaseline>>();
  for (const pair of input.state.pairs) {
    const byItem = baselines.get(pair.crmId) ?? new Map<string, SyncBaseline>();
    if (!byItem.has(pair.itemId)) byItem.set(pair.itemId, pair);
    baselines.set(pair.crmId, byItem);
  }

  // §2.3 steps 1–4, one linked item per crmId; the other carriers are unlinked and nothing else.
  for (const [crmId, items] of carriers) {
    const item = linkedItem(items);
    for (const other of items)
      if (other !== item) operations.add('unlink', crmId, other.itemId, 'DuplicateLink');
    const record = records.get(crmId);
    if (item.deleted) {
      operations.add('unlink', crmId, item.itemId, 'OutlookDeleted');
      exclude.add(crmId);
    } else if (record === undefined || !record.active) {
      operations.add(
        input.entity === 'contact' ? 'unlink' : 'deleteOutlook',
        crmId,
        item.itemId,
        'CrmDeleted',
      );
    } else if (!record.inScope && !item.tracked) {
      operations.add('unlink', crmId, item.itemId, 'OutOfScope');
    } else {
      operations.addUpdates(rules, record, item, baselines.get(crmId)?.get(item.itemId) ?? null);
    }
  }

  // §2.3 step 5: tracked, unlinked items, ascending itemId.
  const linkedByStep5 = new Set<string>();
  const duplicateDetection =
    input.entity === 'contact' && input.settings.user.isduplicatedetectionenabledwhengoingonline;
  const candidates = duplicateDetection
    ? contactsByEmail(records, carriers)
    : new Map<string, SyncCrmRecord[]>();
  const newlyTracked = input.outlook.items
    .filter((item) => item.crmId === null && item.tracked && !item.deleted)
    .sort((a, b) => ordinal(a.itemId, b.itemId));
  for (const item of newlyTracked) {
    const key = emailKey(item.emails[0]);
    // Each list is taken from its front: a contact linked here is not linked again.
    const match = key === null ? undefined : candidates.get(key)?.shift();
    if (match) {
      linkedByStep5.add(match.id);
      operations.add('link', match.id, item.itemId, 'DuplicateFound');
      operations.addUpdates(rules, match, item, null);
    } else {
      operations.addWrite('createCrm', null, item.itemId, createCrmFields(rules, item));
    }
  }

  // §2.3 step 6: active records in scope that no item carries.
  const excluded = new Set(input.state.excluded);
  for (const record of records.values()) {
    if (!record.active || !record.inScope || carriers.has(record.id)) continue;
    if (linkedByStep5.has(record.id) || excluded.has(record.id)) continue;
    operations.addWrite('createOutlook', record.id, null, createOutlookFields(rules, record));
  }

  return {
    run: true,
    reason: 'Ran',
    operations: operations.sorted(),
    exclude: [...exclude].sort(ordinal),
    next,
  };
}

/**
 * §2.3 step 5's candidates: active contacts no item of the input carries, by their primary email
 * address, each list created first.
 */
function contactsByEmail(
  records: ReadonlyMap<string, SyncCrmRecord>,
  carriers: ReadonlyMap<string, readonly SyncOutlookItem[]>,
): Map<string, SyncCrmRecord[]> {
  const byEmail = new Map<string, SyncCrmRecord[]>();
  for (const record of records.values()) {
    if (!record.active || carriers.has(record.id)) continue;
    const key = emailKey(Object.hasOwn(record.fields, 'emailaddress1') ? record.fields.emailaddress1 : null);
    if (key === null) continue;
    const list = byEmail.get(key);
    if (list) list.push(record);
    else byEmail.set(key, [record]);
  }
  for (const list of byEmail.values()) list.sort(createdFirst);
  return byEmail;
}
