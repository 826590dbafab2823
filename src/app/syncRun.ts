/**
 * One synchronization of one record type performed (synchronization.md §2): the Outlook items read
 * through Graph's delta into the stored items, the CRM records in scope (and the linked ones the
 * filters no longer return, and for contacts the duplicates by email) read from Dataverse, the pure
 * planner asked, then every CRM write in ONE `applyWrites` (the ids chosen for its creates saved
 * first) and the Outlook writes in one `applyWrites` per round (one round unless an item is written
 * twice, see inRounds). The scheduler is synchronization.ts.
 *
 * Nothing is lost on the way: a type whose reads fail keeps its state (the delta is read again from
 * the same watermark); a failed write leaves its pair's baseline as it was, so the next run plans the
 * same write again; the baseline of a pair changes only when both sides were written or needed no write.
 */
import { CrmError } from '../crm/errors';
import type {
  CrmSyncOutcome,
  CrmSyncPort,
  CrmSyncRecord,
  CrmSyncWrite,
  KnownRecords,
  ScopeRead,
} from '../crm/syncPort';
import type {
  OutlookSyncItem,
  OutlookSyncOutcome,
  OutlookSyncPort,
  OutlookSyncWrite,
} from '../graph/syncPort';
import type { Settings } from '../rules/settings';
import { planSync } from '../rules/synchronization';
import type {
  SyncBaseline,
  SyncCrmRecord,
  SyncEntity,
  SyncFields,
  SyncMapping,
  SyncOperation,
  SyncOperationKind,
  SyncOutlookItem,
  SyncPlan,
  SyncTrigger,
} from '../rules/syncTypes';
import { errorText, userFacingError } from './itemState';
import type { DiagnosticsLog } from './ports';
import { SYNC_FIELDS } from '../rules/syncFieldCatalog';
import type { SyncConfigValue } from './syncConfig';
import { readChanges, roundWindow, storedItemsOf, type EventWindow, type StoredItems } from './syncItems';
import type { StoredPair, SyncLogEntry, SyncProgress, SyncTypeState, SyncTypeSummary } from './syncStatus';

export interface SyncRunContext {
  readonly crm: CrmSyncPort;
  readonly outlook: OutlookSyncPort;
  /** The run's filters and mappings (read once per run, kept between runs by syncConfig.ts). */
  readonly config: () => Promise<SyncConfigValue>;
  readonly newId: () => string;
  readonly log: DiagnosticsLog;
  /** The session's settings with `isSynchronizationClient` already this device's. */
  readonly settings: Settings;
  readonly trigger: SyncTrigger;
  /** Epoch ms of the run's start. */
  readonly now: number;
  /** VerboseErrorsOnPromoteToCRM: what the summary's error says. */
  readonly verbose: boolean;
  readonly progress: (progress: SyncProgress) => void;
  /**
   * Saves the type's state before its CRM writes when the run chose new CRM ids for creates: a run
   * cut short during the writes (the pane reloaded) leaves the ids in the store, and the next run
   * looks their records up instead of creating a second one. Never throws.
   */
  readonly remember: (entity: SyncEntity, state: SyncTypeState) => Promise<void>;
}

export interface SyncTypeOutcome {
  /** The state to keep; null when the type's reads failed (its old state stays). */
  readonly state: SyncTypeState | null;
  readonly summary: SyncTypeSummary;
  /** Every operation and its outcome, in the planner's order. */
  readonly entries: readonly SyncLogEntry[];
}

type Outcome = { readonly ok: true } | { readonly ok: false; readonly error: string };

const DONE: Outcome = { ok: true };
const NO_ANSWER =
  'The service gave no answer for this change; it is tried again at the next synchronization.';

const ordinal = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const failed = (error: unknown): Outcome => ({ ok: false, error: userFacingError(error).short });

/**
 * Dataverse's answer to a create whose id a record already has (the emulator and Dataverse: 412,
 * `0x80040237` "A record with matching key values already exists"): the create of an earlier run whose
 * answer was lost went through, so it counts as done.
 */
const DUPLICATE_KEY = '0x80040237';
const isDuplicateKey = (error: unknown): boolean =>
  error instanceof CrmError && error.detail.code?.toLowerCase() === DUPLICATE_KEY;

/** The appointment fields an unchanged record keeps without its parties read again (the catalog's address lists). */
const ATTENDEE_FIELDS = new Set(
  SYNC_FIELDS.appointment.filter((f) => f.kind === 'addresses').map((f) => f.crm),
);

/** The record's name for the log: a contact's full name (or its parts, or its email), else the subject. */
function recordTitle(entity: SyncEntity, record: SyncCrmRecord | undefined): string | null {
  if (!record) return null;
  const text = (name: string): string | null => {
    const value = record.fields[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
  };
  if (entity !== 'contact') return text('subject');
  const parts = [text('firstname'), text('lastname')].filter((p) => p !== null);
  return text('fullname') ?? (parts.length ? parts.join(' ') : null) ?? text('emailaddress1');
}

/** Attributes asked of Dataverse: the mapped ones and those the runner itself reads. */
function attributesOf(entity: SyncEntity, mappings: readonly SyncMapping[]): string[] {
  const names = new Set(mappings.filter((m) => m.direction !== 'none').map((m) => m.crm));
  // §2.3 step 5 matches emailaddress1; the log names a record by these (chosen).
  const own = entity === 'contact' ? ['fullname', 'firstname', 'lastname', 'emailaddress1'] : ['subject'];
  for (const name of own) names.add(name);
  return [...names];
}

const pick = (fields: SyncFields, names: ReadonlySet<string>): SyncFields =>
  Object.fromEntries(Object.entries(fields).filter(([name]) => names.has(name)));

const emailKey = (value: string | undefined): string | null => {
  const key = value?.trim().toLowerCase() ?? '';
  return key === '' ? null : key;
};

interface Read {
  readonly mappings: readonly SyncMapping[];
  readonly stored: StoredItems;
  readonly watermark: string;
  /** Events: the window of the round the watermark belongs to. */
  readonly window: EventWindow | undefined;
  readonly records: Map<string, SyncCrmRecord>;
  /** The records' etags as read, for the If-Match of their updates. */
  readonly etags: Map<string, string>;
  /** Links an earlier run could not write, by item id → CRM id. */
  readonly relink: Map<string, string>;
  /** CRM ids chosen for creates not yet known done, by item id. */
  readonly pendingCreates: Map<string, string>;
  /** The filters of the type that could not be run. */
  readonly failedFilters: ScopeRead['failed'];
}

async function readBothSides(ctx: SyncRunContext, entity: SyncEntity, state: SyncTypeState): Promise<Read> {
  const { crm, outlook, settings } = ctx;
  const config = await ctx.config();
  const filters = config.filters.filter((f) => f.entity === entity);
  const mappings = config.mappings[entity];
  const attributes = attributesOf(entity, mappings);

  const stored = storedItemsOf(state);
  let watermark = state.watermark;
  let window: EventWindow | undefined;
  if (entity === 'appointment') {
    const round = roundWindow(state.window, ctx.now);
    window = round.window;
    if (round.newRound) watermark = null;
  }
  watermark = await readChanges(outlook, entity, watermark, stored, window);
  const relink = carryPendingLinks(stored, state.pendingLinks ?? []);

  const records = new Map<string, SyncCrmRecord>();
  const etags = new Map<string, string>();
  const add = (list: readonly CrmSyncRecord[], inScope: boolean): void => {
    for (const { etag, ...record } of list) {
      if (records.has(record.id)) continue;
      records.set(record.id, { ...record, inScope });
      if (etag) etags.set(record.id, etag);
    }
  };
  // A type with no filter has nothing in scope: no request (each filter is one).
  let failedFilters: ScopeRead['failed'] = [];
  if (filters.length) {
    const scope = await crm.recordsInScope(entity, filters, attributes, knownOf(entity, state));
    add(scope.records, true);
    failedFilters = scope.failed;
  }

  // An item whose create's answer was lost: its record is looked for by the id chosen then.
  const pendingCreates = new Map<string, string>();
  for (const { itemId, crmId } of state.pendingCreates ?? []) {
    const item = stored.items.get(itemId);
    if (item && item.crmId === null) pendingCreates.set(itemId, crmId);
  }
  const linked = new Set<string>();
  for (const item of [...stored.items.values(), ...stored.deleted.values()])
    if (item.crmId !== null && !records.has(item.crmId)) linked.add(item.crmId);
  for (const crmId of pendingCreates.values()) if (!records.has(crmId)) linked.add(crmId);
  // A linked id Dataverse no longer has is left out of the answer: the planner takes it as deleted.
  // While a filter of the type failed, a record it did not return may be one of its own: in scope
  // rather than unlinked as out of scope (§2.3 step 3 waits for a filter that runs).
  if (linked.size)
    add(await crm.recordsById(entity, [...linked].sort(ordinal), attributes), failedFilters.length > 0);
  // The record of a lost create answer exists: the item is linked to it, as for a link not written.
  const created: { itemId: string; crmId: string }[] = [];
  for (const [itemId, crmId] of pendingCreates)
    if (records.has(crmId)) {
      created.push({ itemId, crmId });
      pendingCreates.delete(itemId);
    }
  for (const [itemId, crmId] of carryPendingLinks(stored, created)) relink.set(itemId, crmId);

  if (entity === 'contact' && settings.user.isduplicatedetectionenabledwhengoingonline) {
    const emails = new Set<string>();
    for (const item of stored.items.values()) {
      const key = item.tracked && item.crmId === null ? emailKey(item.emails[0]) : null;
      if (key !== null) emails.add(key);
    }
    if (emails.size) add(await crm.contactsByEmail([...emails].sort(ordinal), attributes), false);
  }
  return { mappings, stored, watermark, window, records, etags, relink, pendingCreates, failedFilters };
}

/** Appointments: what the last run read of each record, so one unchanged keeps its attendees unread. */
function knownOf(entity: SyncEntity, state: SyncTypeState): KnownRecords | undefined {
  if (entity !== 'appointment') return undefined;
  return new Map((state.known ?? []).map((k) => [k.crmId, { modifiedOn: k.modifiedOn, fields: k.fields }]));
}

/** Appointments: what the next run hands back as known (the records as read, before this run's writes). */
function knownAfter(entity: SyncEntity, records: readonly SyncCrmRecord[]): SyncTypeState['known'] {
  if (entity !== 'appointment') return undefined;
  return records
    .filter((r) => r.modifiedOn !== null)
    .map((r) => ({ crmId: r.id, modifiedOn: r.modifiedOn, fields: pick(r.fields, ATTENDEE_FIELDS) }))
    .sort((a, b) => ordinal(a.crmId, b.crmId));
}

/**
 * The items whose record an earlier run created without the link written: seen as carrying it (so
 * the planner pairs them instead of creating the record again), and their links written again. One
 * gone, or linked meanwhile, is let go.
 */
function carryPendingLinks(
  stored: StoredItems,
  pending: readonly { readonly itemId: string; readonly crmId: string }[],
): Map<string, string> {
  const relink = new Map<string, string>();
  for (const { itemId, crmId } of pending) {
    const item = stored.items.get(itemId);
    // Still carrying it locally (a link that failed again, the item unchanged since) is written again too.
    if (!item || (item.crmId !== null && item.crmId !== crmId)) continue;
    stored.items.set(itemId, { ...item, crmId, tracked: true });
    relink.set(itemId, crmId);
  }
  return relink;
}

const toPlannerItem = (item: OutlookSyncItem, deleted: boolean): SyncOutlookItem => ({
  itemId: item.itemId,
  crmId: item.crmId,
  tracked: item.tracked,
  deleted,
  modifiedAt: item.modifiedAt,
  fields: item.fields,
  emails: item.emails,
});

/** Runs the writes; a call that fails as a whole fails each write with its error. */
async function apply<W, O>(
  writes: readonly W[],
  send: (writes: readonly W[]) => Promise<O[]>,
  log: DiagnosticsLog,
  what: string,
): Promise<(O | Outcome)[]> {
  if (writes.length === 0) return [];
  try {
    const outcomes = await send(writes);
    return writes.map((_, i) => outcomes[i] ?? { ok: false, error: NO_ANSWER });
  } catch (error) {
    log.log(`Synchronization: ${what} failed`, error);
    const outcome = failed(error);
    return writes.map(() => outcome);
  }
}

function outcomeOf(answer: CrmSyncOutcome | OutlookSyncOutcome | Outcome): Outcome {
  if (answer.ok) return DONE;
  return typeof answer.error === 'string' ? { ok: false, error: answer.error } : failed(answer.error);
}

/** An Outlook write, and the plan's operation it performs (null: the link of a record just created). */
interface PlannedWrite {
  readonly write: OutlookSyncWrite;
  readonly op: SyncOperation | null;
}

/**
 * The writes in rounds, each item's first write in the first round, its second in the next, …: the
 * writes of one `$batch` are run in any order (Graph's JSON batching, without `dependsOn`), and each
 * write to an item changes its changeKey, so a second write in the same round would be refused as
 * changed meanwhile (412) by the run's own first one. Most runs are one round.
 */
function inRounds(planned: readonly PlannedWrite[]): PlannedWrite[][] {
  const rounds: PlannedWrite[][] = [];
  const seen = new Map<string, number>();
  for (const p of planned) {
    const itemId = p.write.kind === 'create' ? null : p.write.itemId;
    const at = itemId === null ? 0 : (seen.get(itemId) ?? 0);
    if (itemId !== null) seen.set(itemId, at + 1);
    (rounds[at] ??= []).push(p);
  }
  return rounds;
}

/**
 * An update of an item the run already wrote: If-Match the changeKey that write answered, not the one
 * read before it (which the run's own write made stale). Answered without the item, it is sent
 * without If-Match (chosen: the run's write is the only change known since the read).
 */
function afterEarlierWrite(
  write: OutlookSyncWrite,
  written: ReadonlyMap<string, string | null>,
): OutlookSyncWrite {
  if (write.kind !== 'update' || !written.has(write.itemId)) return write;
  const { changeKey: _stale, ...rest } = write;
  const changeKey = written.get(write.itemId);
  return changeKey ? { ...rest, changeKey } : rest;
}

/** The run's view of a type while it performs the plan. */
class Performing {
  readonly outcomes = new Map<SyncOperation, Outcome>();
  /** CRM ids and item ids with a failed write: their pairs keep the baseline they had. */
  readonly touchedByFailure = new Set<string>();
  /** Links to write for the items whose createCrm succeeded (or an earlier run's), by item id → CRM id. */
  readonly created: Map<string, string>;
  readonly followUpFailures: SyncLogEntry[] = [];
  /** Links still to write after this run. */
  readonly pendingLinks: { itemId: string; crmId: string }[] = [];
  /** CRM ids chosen for creates not known done, by item id: the next run sends the same id again. */
  readonly pendingCreates: Map<string, string>;
  /**
   * Each item's Outlook baseline (§2.2): its fields as the planner read them, with what this run
   * wrote over them. Never the read-back after the writes: an Outlook edit made meanwhile would become
   * the baseline while the CRM's stays old, and the next run would write the CRM value over it.
   */
  readonly outlookBaselines = new Map<string, SyncFields>();
  /** Items created without Graph answering the item: their baseline as written, by CRM id. */
  readonly createdBaselines = new Map<string, SyncFields>();
  /** Every item the run read, deleted ones too: the log names an item even once it is gone. */
  private readonly seen = new Map<string, OutlookSyncItem>();
  done = 0;

  constructor(
    private readonly ctx: SyncRunContext,
    readonly entity: SyncEntity,
    readonly plan: SyncPlan,
    readonly stored: StoredItems,
    readonly records: Map<string, SyncCrmRecord>,
    private readonly read: Pick<Read, 'relink' | 'pendingCreates' | 'etags'>,
  ) {
    this.created = new Map(read.relink);
    this.pendingCreates = new Map(read.pendingCreates);
    for (const item of [...stored.items.values(), ...stored.deleted.values()])
      this.seen.set(item.itemId, item);
    for (const item of stored.items.values()) this.outlookBaselines.set(item.itemId, item.fields);
  }

  private report(step: SyncProgress['step'], answered = 0): void {
    this.ctx.progress({
      entity: this.entity,
      step,
      done: this.done + answered,
      total: this.plan.operations.length,
    });
  }

  /**
   * What a port's `onProgress` reports while `ops` are being written: the writes answered so far
   * count before they are settled ("Contacts 120/340"); writes past `ops` (links of created records)
   * are not operations of the plan, so they do not count.
   */
  private writing(ops: number): (answered: number) => void {
    return (answered) => this.report('writing', Math.min(answered, ops));
  }

  private settle(op: SyncOperation, outcome: Outcome): void {
    this.outcomes.set(op, outcome);
    this.done += 1;
    if (outcome.ok) return;
    if (op.crmId !== null) this.touchedByFailure.add(op.crmId);
    if (op.itemId !== null) this.touchedByFailure.add(op.itemId);
  }

  /** `remember` saves the pending creates (those of earlier runs and the ids chosen now) before any is sent. */
  async crmWrites(remember: (pendingCreates: ReadonlyMap<string, string>) => Promise<void>): Promise<void> {
    const ops = this.plan.operations.filter((op) => op.op === 'updateCrm' || op.op === 'createCrm');
    let chosen = false;
    const ids = ops.map((op) => {
      if (op.op !== 'createCrm') return op.crmId as string;
      const itemId = op.itemId as string;
      // The id an earlier run chose for this item, if its create was not known done (chosen: kept in
      // the state until it is, so a create whose answer was lost is never made twice).
      const earlier = this.pendingCreates.get(itemId);
      const id = earlier ?? this.ctx.newId();
      if (earlier === undefined) chosen = true;
      this.pendingCreates.set(itemId, id);
      return id;
    });
    // Stored before the creates are sent, not with the type's state after the run: a run cut short
    // while Dataverse creates (a reload) would otherwise leave records no later run knows it made.
    if (chosen) await remember(this.pendingCreates);
    const writes: CrmSyncWrite[] = ops.map((op, i): CrmSyncWrite => {
      const id = ids[i] as string;
      if (op.op === 'createCrm') return { kind: 'create', id, fields: op.fields };
      const etag = this.read.etags.get(id);
      // If-Match the etag read: a record changed since fails (412) and is planned again next run.
      return etag
        ? { kind: 'update', id, fields: op.fields, etag }
        : { kind: 'update', id, fields: op.fields };
    });
    this.report('writing');
    const answers = await apply(
      writes,
      (w) => this.ctx.crm.applyWrites(this.entity, w, this.writing(ops.length)),
      this.ctx.log,
      'CRM writes',
    );
    ops.forEach((op, i) => {
      const answer = answers[i] as CrmSyncOutcome | Outcome;
      const outcome =
        op.op === 'createCrm' && !answer.ok && isDuplicateKey(answer.error) ? DONE : outcomeOf(answer);
      if (op.op === 'createCrm' && outcome.ok) this.pendingCreates.delete(op.itemId as string);
      this.settle(op, outcome);
      if (!outcome.ok) return;
      const id = ids[i] as string;
      const record = this.records.get(id);
      if (op.op === 'updateCrm' && record)
        this.records.set(id, { ...record, fields: { ...record.fields, ...op.fields } });
      if (op.op === 'createCrm') {
        this.records.set(id, {
          id,
          inScope: false,
          active: true,
          createdOn: null,
          modifiedOn: null,
          fields: op.fields,
          parentAccountName: null,
        });
        this.created.set(op.itemId as string, id);
      }
    });
    this.report('writing');
  }

  /** Unlinks of items already deleted in Outlook need no request: the link went with the item. */
  private localUnlink(op: SyncOperation): boolean {
    if (op.op !== 'unlink' || op.itemId === null) return false;
    if (!this.stored.deleted.has(op.itemId)) return false;
    this.stored.deleted.delete(op.itemId);
    this.settle(op, DONE);
    return true;
  }

  async outlookWrites(): Promise<boolean> {
    const planned: PlannedWrite[] = [];
    for (const op of this.plan.operations) {
      if (op.op === 'updateCrm' || op.op === 'createCrm' || this.localUnlink(op)) continue;
      planned.push({ write: this.outlookWrite(op), op });
    }
    const links = [...this.created].sort(([a], [b]) => ordinal(a, b));
    for (const [itemId, crmId] of links)
      planned.push({ write: { kind: 'link', itemId, crmId, tracked: true }, op: null });
    this.report('writing');
    /** Per item written in an earlier round: its changeKey after that write (null: not answered). */
    const written = new Map<string, string | null>();
    for (const round of inRounds(planned)) {
      const writes = round.map(({ write }) => afterEarlierWrite(write, written));
      const ops = round.filter((p) => p.op !== null).length;
      const answers = await apply(
        writes,
        (w) => this.ctx.outlook.applyWrites(this.entity, w, this.writing(ops)),
        this.ctx.log,
        'Outlook writes',
      );
      writes.forEach((write, i) => {
        const answer = answers[i] as OutlookSyncOutcome | Outcome;
        const outcome = outcomeOf(answer);
        const op = round[i]?.op;
        if (op) this.settle(op, outcome);
        else if (!outcome.ok && write.kind === 'link')
          this.followUpFailed(write.itemId, write.crmId, outcome.error);
        if (!outcome.ok) return;
        const answered = 'item' in answer ? answer : null;
        if (write.kind !== 'create') written.set(write.itemId, answered?.item?.changeKey ?? null);
        this.storeWritten(write, answered);
      });
    }
    this.report('writing');
    return planned.length > 0;
  }

  private outlookWrite(op: SyncOperation): OutlookSyncWrite {
    const itemId = op.itemId as string;
    const crmId = op.crmId as string;
    switch (op.op) {
      case 'unlink':
        return { kind: 'unlink', itemId };
      case 'deleteOutlook':
        return { kind: 'delete', itemId };
      case 'link':
        // §2.3 step 5 links only items the user tracked.
        return { kind: 'link', itemId, crmId, tracked: true };
      case 'updateOutlook': {
        // If-Match the changeKey read: an item changed since fails (412) and is planned again next run.
        const changeKey = this.stored.items.get(itemId)?.changeKey;
        return changeKey
          ? { kind: 'update', itemId, fields: op.fields, changeKey }
          : { kind: 'update', itemId, fields: op.fields };
      }
      default:
        return { kind: 'create', ref: crmId, crmId, fields: op.fields };
    }
  }

  /** The CRM record exists, its item does not carry it: said, and the link tried again next run. */
  private followUpFailed(itemId: string, crmId: string, error: string): void {
    this.touchedByFailure.add(itemId);
    this.touchedByFailure.add(crmId);
    this.pendingLinks.push({ itemId, crmId });
    const item = this.stored.items.get(itemId);
    this.followUpFailures.push({
      entity: this.entity,
      op: 'link',
      crmId,
      itemId,
      title: item?.title ?? itemId,
      fields: [],
      conflicts: [],
      reason: null,
      outcome: 'failed',
      error,
    });
  }

  private storeWritten(
    write: OutlookSyncWrite,
    answer: { item: OutlookSyncItem | null; itemId: string } | null,
  ) {
    const { items } = this.stored;
    if (write.kind === 'delete') {
      items.delete(write.itemId);
      this.outlookBaselines.delete(write.itemId);
      return;
    }
    if (write.kind === 'update') {
      const planned = this.outlookBaselines.get(write.itemId) ?? {};
      this.outlookBaselines.set(write.itemId, { ...planned, ...write.fields });
    }
    // A new item: as Graph answered it right after the write, else as written (found by its CRM id).
    if (write.kind === 'create') {
      if (answer?.item) this.outlookBaselines.set(answer.item.itemId, answer.item.fields);
      else this.createdBaselines.set(write.crmId, write.fields);
    }
    if (answer?.item) {
      items.set(answer.item.itemId, answer.item);
      return;
    }
    if (write.kind === 'create') return; // Read whole by the echo's delta.
    const old = items.get(write.itemId);
    if (!old) return;
    if (write.kind === 'unlink') items.set(old.itemId, { ...old, crmId: null, tracked: false });
    else if (write.kind === 'link')
      items.set(old.itemId, { ...old, crmId: write.crmId, tracked: write.tracked });
    else if (write.kind === 'update')
      items.set(old.itemId, { ...old, fields: { ...old.fields, ...write.fields } });
  }

  entries(): SyncLogEntry[] {
    const entries = this.plan.operations.map((op): SyncLogEntry => {
      const outcome = this.outcomes.get(op) ?? DONE;
      const item =
        op.itemId === null ? undefined : (this.stored.items.get(op.itemId) ?? this.seen.get(op.itemId));
      return {
        entity: this.entity,
        op: op.op,
        crmId: op.crmId,
        itemId: op.itemId,
        title:
          item?.title ??
          recordTitle(this.entity, this.records.get(op.crmId ?? '')) ??
          op.itemId ??
          op.crmId ??
          '',
        fields: Object.keys(op.fields),
        conflicts: op.conflicts,
        reason: op.reason,
        outcome: outcome.ok ? 'done' : 'failed',
        error: outcome.ok ? null : outcome.error,
      };
    });
    return [...entries, ...this.followUpFailures];
  }
}

/**
 * The pairs after the run (§2.2), one per CRM id: the item carrying it that is not deleted, smallest
 * id first, while its record is there, active and in scope (or the item tracked). A pair with a
 * failed write keeps its old baseline (or none); the others take the values both sides now have.
 */
function pairsAfter(
  performing: Performing,
  mappings: readonly SyncMapping[],
  oldPairs: readonly StoredPair[],
): StoredPair[] {
  const crmNames = new Set(mappings.map((m) => m.crm));
  const outlookNames = new Set(mappings.map((m) => m.outlook));
  const linked = new Map<string, OutlookSyncItem>();
  for (const item of performing.stored.items.values()) {
    if (item.crmId === null) continue;
    const best = linked.get(item.crmId);
    if (!best || ordinal(item.itemId, best.itemId) < 0) linked.set(item.crmId, item);
  }
  const old = new Map(oldPairs.map((p) => [`${p.crmId}\n${p.itemId}`, p]));
  const pairs: StoredPair[] = [];
  for (const [crmId, item] of [...linked].sort(([a], [b]) => ordinal(a, b))) {
    const record = performing.records.get(crmId);
    if (!record || !record.active || !(record.inScope || item.tracked)) continue;
    const baseline = performing.outlookBaselines.get(item.itemId) ?? performing.createdBaselines.get(crmId);
    // An item first seen in the read-back (made during the run) has no baseline of this run.
    if (
      baseline === undefined ||
      performing.touchedByFailure.has(crmId) ||
      performing.touchedByFailure.has(item.itemId)
    ) {
      const kept = old.get(`${crmId}\n${item.itemId}`);
      if (kept) pairs.push(kept);
      continue;
    }
    pairs.push({
      crmId,
      itemId: item.itemId,
      crm: pick(record.fields, crmNames),
      outlook: pick(baseline, outlookNames),
    });
  }
  return pairs;
}

/** The filters that could not be run, said in the type's summary; the details go to the diagnostics log. */
function failedFiltersText(
  ctx: SyncRunContext,
  entity: SyncEntity,
  failures: ScopeRead['failed'],
): string | null {
  if (failures.length === 0) return null;
  for (const { filter, error } of failures)
    ctx.log.log(`Synchronization: the ${entity} filter "${filter.name}" could not be run`, error);
  const names = failures.map((f) => `"${f.filter.name}"`).join(', ');
  const first = failures[0] as ScopeRead['failed'][number];
  return (
    `The synchronization filter ${names} could not be run (${errorText(userFacingError(first.error), ctx.verbose)}); ` +
    'its records were kept as they were and are synchronized again once it runs.'
  );
}

const pendingList = (pending: ReadonlyMap<string, string>): { itemId: string; crmId: string }[] =>
  [...pending].map(([itemId, crmId]) => ({ itemId, crmId })).sort((a, b) => ordinal(a.itemId, b.itemId));

function countDone(entries: readonly SyncLogEntry[]): Partial<Record<SyncOperationKind, number>> {
  const done: Partial<Record<SyncOperationKind, number>> = {};
  for (const entry of entries) if (entry.outcome === 'done') done[entry.op] = (done[entry.op] ?? 0) + 1;
  return done;
}

/** One synchronization of one type; never throws (a failure is the summary's error). */
export async function runSyncType(
  ctx: SyncRunContext,
  entity: SyncEntity,
  state: SyncTypeState,
): Promise<SyncTypeOutcome> {
  const stopped = (error: unknown): SyncTypeOutcome => {
    ctx.log.log(`Synchronization: the ${entity}s could not be read`, error);
    return {
      state: null,
      summary: {
        entity,
        ran: false,
        crmRecords: 0,
        outlookItems: 0,
        done: {},
        failed: 0,
        error: errorText(userFacingError(error), ctx.verbose),
      },
      entries: [],
    };
  };

  ctx.progress({ entity, step: 'reading', done: 0, total: 0 });
  let read: Read;
  try {
    read = await readBothSides(ctx, entity, state);
  } catch (error) {
    return stopped(error);
  }
  const { mappings, stored, records } = read;
  const items = [
    ...[...stored.items.values()].map((item) => toPlannerItem(item, false)),
    ...[...stored.deleted.values()].map((item) => toPlannerItem(item, true)),
  ];
  const baselines: SyncBaseline[] = [...state.pairs];
  const plan = planSync({
    now: new Date(ctx.now).toISOString(),
    entity,
    trigger: ctx.trigger,
    settings: ctx.settings,
    mappings,
    crm: { records: [...records.values()] },
    outlook: { items },
    state: { pairs: baselines, excluded: state.excluded },
  });
  const crmRecords = [...records.values()].filter((r) => r.inScope).length;
  const outlookItems = stored.items.size;
  if (!plan.run)
    return {
      state: null,
      summary: { entity, ran: false, crmRecords, outlookItems, done: {}, failed: 0, error: null },
      entries: [],
    };

  const known = knownAfter(entity, [...records.values()]);
  const performing = new Performing(ctx, entity, plan, stored, records, read);
  await performing.crmWrites((pending) => {
    // The type's state as the run found it, with the creates not known done (earlier runs' too).
    const pendingCreates = new Map((state.pendingCreates ?? []).map((p) => [p.itemId, p.crmId]));
    for (const [itemId, crmId] of pending) pendingCreates.set(itemId, crmId);
    return ctx.remember(entity, { ...state, pendingCreates: pendingList(pendingCreates) });
  });
  const wroteOutlook = await performing.outlookWrites();

  let watermark = read.watermark;
  if (wroteOutlook) {
    // The items written come back in the delta: read them now, so the next quiet run asks once.
    try {
      watermark = await readChanges(ctx.outlook, entity, watermark, stored, read.window);
    } catch (error) {
      // The next run reads them instead; nothing is lost.
      ctx.log.log(`Synchronization: the ${entity}s written could not be read back`, error);
    }
  }

  const entries = performing.entries();
  const excluded = new Set([...state.excluded, ...plan.exclude]);
  return {
    state: {
      watermark,
      items: [...stored.items.values()],
      deleted: [...stored.deleted.values()],
      pairs: pairsAfter(performing, mappings, state.pairs),
      excluded: [...excluded].sort(ordinal),
      pendingLinks: performing.pendingLinks,
      pendingCreates: pendingList(performing.pendingCreates),
      ...(read.window ? { window: read.window } : {}),
      ...(known ? { known } : {}),
    },
    summary: {
      entity,
      ran: true,
      crmRecords,
      outlookItems,
      done: countDone(entries),
      failed: entries.filter((e) => e.outcome === 'failed').length,
      error: failedFiltersText(ctx, entity, read.failedFilters),
    },
    entries,
  };
}
