/**
 * One background-check cycle performed (background-check.md §1): the folders read through Graph
 * deltas, the items not seen yet decided by the pure planner on ONE CRM lookup, then every track in
 * ONE `trackEmails` and every tag in Graph `$batch`es of 20. The scheduler is backgroundCheck.ts.
 *
 * Nothing is lost on the way: a folder Graph does not answer keeps its watermark (read again next
 * cycle); a lookup that fails saves no state (the deltas are read again from the same watermarks); a
 * failed track goes to the pending queue (the item is still seen, §1.6); a tag that cannot be written
 * leaves its item unseen and carried, so the next cycle writes it.
 */
import type { FolderMappingRow } from '../crm/folderMappingPort';
import type { EmailToTrack, ItemLookupQuery, ItemLookupResult, TrackedResult } from '../crm/port';
import { loadNameUuid, plannedIds } from '../crm/trackIds';
import { GraphConflictError, GraphError, GraphNotFoundError } from '../graph/errors';
import {
  folderName,
  type GraphFolder,
  type GraphItem,
  type ItemUpdate,
  type ItemUpdateOutcome,
  type MailboxGraphPort,
} from '../graph/port';
import {
  planCycle,
  TRACKED_CATEGORY,
  type CycleAction,
  type CycleInput,
  type CycleRunReason,
  type MailboxFolder,
  type MailboxItem,
} from '../rules/backgroundCycle';
import { normalizeMessageId } from '../rules/messageId';
import type { FolderMapping, RecordRef } from '../rules/types';
import type { ActionOutcome, BackgroundActionRecord, CycleCounts } from './backgroundStatus';
import {
  folderKey,
  type BackgroundState,
  type CarriedItem,
  type QueuedItem,
  type SeenRecord,
} from './backgroundState';
import { verboseErrors } from './diagnostics';
import { errorText, userFacingError, type UserFacingError } from './itemState';
import { lookupQueryFor } from './lookupQuery';
import { enqueuePending } from './pendingQueue';
import { regardingOf } from './pipeline';
import type { DiagnosticsLog } from './ports';
import type { Session } from './session';
import { planTrack } from './trackPlan';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Delta pages read per folder per cycle (Graph's pages are of up to 100 messages): 2,000 items. */
export const MAX_DELTA_PAGES = 20;

export interface CycleDeps {
  readonly graph: MailboxGraphPort;
  /** The user's folder mappings; the caller caches them, so a quiet cycle asks Dataverse nothing. */
  readonly folderMappings: () => Promise<readonly FolderMappingRow[]>;
  /** Outlook's (EWS) id of a Graph item, for the pending queue and the pane; null when unknown. */
  readonly outlookItemId: (graphId: string) => string | null;
  /** Adds the "Tracked to CRM" master category; the scheduler makes it run once per runner. */
  readonly ensureTrackedCategory: () => Promise<void>;
  readonly log: DiagnosticsLog;
}

/** Items a cycle has read and not finished, kept in memory between cycles (the state keeps their ids). */
export type CarriedItems = Map<string, { readonly folder: GraphFolder; readonly item: GraphItem }>;

export interface CycleOutcome {
  /** The state to keep; null when nothing may be kept (the cycle read items it could not decide). */
  readonly state: BackgroundState | null;
  readonly ran: boolean;
  readonly reason: CycleRunReason;
  /** One per action, in the planner's order. */
  readonly records: readonly BackgroundActionRecord[];
  readonly counts: CycleCounts;
  readonly nextInMinutes: number;
  /** Why part of the cycle could not be done, in the user's words; null when all of it was. */
  readonly error: string | null;
}

type Pooled = { readonly folder: GraphFolder; readonly item: GraphItem };

interface Done {
  readonly outcome: ActionOutcome;
  readonly activityId: string | null;
  readonly error: string | null;
  /** The pending queue's key of a track queued. */
  readonly queueKey?: string;
}

/**
 * What stopped parts of a cycle, as the pane says it once: one sentence per kind of failure (three
 * folders throttled by Graph are one "the mailbox is busy", not three request ids in a row).
 */
class CycleProblems {
  private readonly texts = new Map<string, string>();
  constructor(
    private readonly wording: (error: unknown) => string,
    private readonly kind: (error: unknown) => string,
  ) {}

  add(error: unknown): void {
    const kind = this.kind(error);
    if (!this.texts.has(kind)) this.texts.set(kind, this.wording(error));
  }

  text(): string | null {
    return this.texts.size ? [...this.texts.values()].join(' ') : null;
  }
}

/** A Graph failure worded like a CRM one (GraphError has the same short and verbose sentences). */
function failureOf(error: unknown): UserFacingError {
  if (error instanceof GraphError)
    return { short: error.shortMessage, verbose: error.verboseMessage, retryable: error.retryable };
  return userFacingError(error);
}

const retryAfterOf = (error: unknown): number | null => {
  const after = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof after === 'number' ? after : null;
};

/** §1.2 step 1: the inbox, sent items when AutoTrackSentFolderItems, and the mapped folders. */
export function foldersToRead(
  settings: Session['settings'],
  mappings: readonly FolderMappingRow[],
): GraphFolder[] {
  const folders: GraphFolder[] = [{ wellKnown: 'inbox' }];
  if (settings.orgDb.AutoTrackSentFolderItems) folders.push({ wellKnown: 'sentitems' });
  if (settings.organization.isfolderbasedtrackingenabled)
    for (const m of mappings) folders.push({ path: m.folderPath, id: m.folderId });
  const keys = new Set<string>();
  return folders.filter((f) => {
    const key = folderKey(f);
    if (keys.has(key)) return false;
    keys.add(key);
    return true;
  });
}

const toMailboxItem = (item: GraphItem): MailboxItem => ({
  itemId: item.itemId,
  changeKey: item.changeKey,
  isDraft: item.isDraft,
  categories: item.categories,
  tag: item.tag,
  email: item.facts,
  // An item Graph gave no time for cannot be placed in the lookback window: the planner leaves it.
  receivedAt: item.facts.receivedAt ?? '',
});

const withCategory = (categories: readonly string[]): string[] =>
  categories.some((c) => c.toLowerCase() === TRACKED_CATEGORY.toLowerCase())
    ? [...categories]
    : [...categories, TRACKED_CATEGORY];

/** False for a delta entry that carries no facts: no Message-ID, no received time, no changeKey. */
export const hasFacts = (item: GraphItem): boolean =>
  item.changeKey !== '' || item.facts.messageId !== null || item.facts.receivedAt !== null;

const uniqueById = (items: readonly CarriedItem[]): CarriedItem[] => {
  const ids = new Set<string>();
  return items.filter((c) => !ids.has(c.itemId) && ids.add(c.itemId) !== undefined);
};

const NO_LOOKUP: ItemLookupResult = { records: [], trackedEmails: [] };

export async function runCycle(
  deps: CycleDeps,
  session: Session,
  state: BackgroundState,
  carried: CarriedItems,
  now: number,
): Promise<CycleOutcome> {
  const { settings } = session;
  const verbose = verboseErrors(session);
  const wording = (error: unknown): string => errorText(failureOf(error), verbose);
  const errors = new CycleProblems(wording, (error) => failureOf(error).short);
  const base: Omit<CycleInput, 'crm' | 'mailbox'> = {
    now: new Date(now).toISOString(),
    user: session.user,
    settings,
    state: { seen: state.seen, aggressiveCyclesLeft: state.aggressiveCyclesLeft },
  };

  // §1.1 asked on no items costs nothing, and a cycle that does not run reads no folder.
  const probe = planCycle({
    ...base,
    crm: { records: [], trackedEmails: [], folderMappings: [] },
    mailbox: { folders: [] },
  });
  if (!probe.run)
    return {
      state: { ...state, aggressiveCyclesLeft: probe.next.aggressiveCyclesLeft },
      ran: false,
      reason: probe.reason,
      records: [],
      counts: countsOf([], [], 0),
      nextInMinutes: probe.next.inMinutes,
      error: null,
    };

  let mappings: readonly FolderMappingRow[] = [];
  let mappingsRead = true;
  if (settings.organization.isfolderbasedtrackingenabled) {
    try {
      mappings = await deps.folderMappings();
    } catch (error) {
      // The mapped folders wait (their watermarks stay); the inbox is still checked.
      deps.log.log('Background check: the folder mappings could not be read', error);
      errors.add(error);
      mappingsRead = false;
    }
  }
  // Without the mappings an item of a mapped folder cannot be decided: it is kept as it was.
  const waitsForMappings = (c: CarriedItem): boolean => !mappingsRead && !('wellKnown' in c.folder);
  const crmMappings: FolderMapping[] = mappings.map((m) => ({
    folder: m.folderPath,
    regarding: m.regarding,
  }));
  const left = await leftTheQueue(deps, session, state.queued);
  const waiting = left.waiting;
  const released = left.released.filter((q) => !waitsForMappings(q));
  const held = {
    deferred: state.deferred.filter(waitsForMappings),
    retry: state.retry.filter(waitsForMappings),
    released: left.released.filter(waitsForMappings),
  };
  const tagOnly = new Set(released.map((q) => q.itemId));
  // Released items are looked at again though seen: the planner gets the seen list without them.
  const planBase = {
    ...base,
    state: { ...base.state, seen: state.seen.filter((s) => !tagOnly.has(s.itemId)) },
  };

  const lookbackMs = Math.max(1, Math.floor(settings.organization.backgroundLookbackDays)) * DAY_MS;
  const since = new Date(now - lookbackMs).toISOString();
  const watermarks: Record<string, string> = { ...state.watermarks };
  const fresh = new Map<string, Pooled>();
  const removed = new Set<string>();
  let moreToRead = false;
  // A delta entry with nothing to decide on (Graph's read-state entries) never stands for the item:
  // it is taken as carried (its known facts, or read again by id), never replacing what was read.
  const factless: CarriedItem[] = [];
  for (const folder of foldersToRead(settings, mappings)) {
    const key = folderKey(folder);
    try {
      const changes = await deps.graph.folderChanges(folder, state.watermarks[key] ?? null, {
        since,
        maxPages: MAX_DELTA_PAGES,
      });
      // A round cut short by maxPages (a huge first round) goes on from its watermark a minute later.
      if (!changes.complete) moreToRead = true;
      for (const item of changes.items)
        if (hasFacts(item)) fresh.set(item.itemId, { folder, item });
        else factless.push({ itemId: item.itemId, folder });
      for (const id of changes.removed) removed.add(id);
      watermarks[key] = changes.watermark;
    } catch (error) {
      deps.log.log(`Background check: ${folderName(folder)} could not be read; read again next cycle`, error);
      errors.add(error);
    }
  }

  const maxItems = Math.max(1, Math.floor(settings.organization.backgroundMaxItems));
  const { pool, unread, notReadYet } = await carriedPool(
    deps,
    maxItems,
    uniqueById([
      ...state.deferred.filter((c) => !waitsForMappings(c)),
      ...state.retry.filter((c) => !waitsForMappings(c)),
      ...released,
      ...factless,
    ]),
    carried,
    fresh,
    removed,
    wording,
    errors,
  );
  const byFolder = new Map<string, MailboxItem[]>();
  for (const { folder, item } of pool.values()) {
    const name = folderName(folder);
    const list = byFolder.get(name);
    if (list) list.push(toMailboxItem(item));
    else byFolder.set(name, [toMailboxItem(item)]);
  }
  const mailbox = { folders: [...byFolder].map(([name, items]): MailboxFolder => ({ name, items })) };

  // Which items this cycle takes is the planner's own choice, and never depends on the CRM: asked
  // first with none, so that the lookup covers exactly the items taken (not the deferred ones).
  const selection = planCycle({
    ...planBase,
    crm: { records: [], trackedEmails: [], folderMappings: crmMappings },
    mailbox,
  });
  const queries: ItemLookupQuery[] = selection.actions
    .filter((a) => a.reason !== 'AlreadyTagged')
    .map((a) => {
      const { item } = pool.get(a.itemId) as Pooled;
      return lookupQueryFor({ ...item.facts, folder: a.folder }, settings);
    });
  let lookup = NO_LOOKUP;
  if (queries.length > 0) {
    try {
      lookup = await session.crm.lookupItems(queries);
    } catch (error) {
      // Nothing decided and nothing kept: the next cycle reads the same changes from the same watermarks.
      deps.log.log('Background check: the CRM lookup failed; the items are read again next cycle', error);
      errors.add(error);
      return {
        state: null,
        ran: true,
        reason: 'Ran',
        records: [],
        counts: countsOf([], [], 0),
        nextInMinutes: selection.next.inMinutes,
        error: errors.text(),
      };
    }
  }
  const plan = planCycle({
    ...planBase,
    crm: { records: lookup.records, trackedEmails: lookup.trackedEmails, folderMappings: crmMappings },
    mailbox,
  });

  const { done, written } = await perform({
    deps,
    session,
    actions: plan.actions,
    pool,
    lookup,
    tagOnly,
    wording,
    errors,
  });

  const retry: CarriedItem[] = [...held.retry];
  const queued: QueuedItem[] = [...waiting.filter((q) => !removed.has(q.itemId)), ...held.released];
  const seenNow = new Map<string, SeenRecord>();
  for (const entry of plan.seen) {
    const outcome = done.get(entry.itemId);
    if (outcome?.queueKey !== undefined)
      queued.push({
        itemId: entry.itemId,
        folder: (pool.get(entry.itemId) as Pooled).folder,
        key: outcome.queueKey,
      });
    if (outcome?.outcome === 'retry') {
      retry.push({ itemId: entry.itemId, folder: (pool.get(entry.itemId) as Pooled).folder });
      continue;
    }
    // Our own write's changeKey: the next delta's echo of it is then a quiet cycle.
    seenNow.set(entry.itemId, {
      itemId: entry.itemId,
      changeKey: written.get(entry.itemId) ?? entry.changeKey,
      at: now,
    });
  }
  const retryIds = new Set(retry.map((r) => r.itemId));
  // An entry seen before the lookback window began is of an item received before it: never looked at again.
  const seen = [
    ...state.seen.filter(
      (s) =>
        !seenNow.has(s.itemId) &&
        !retryIds.has(s.itemId) &&
        !removed.has(s.itemId) &&
        s.at >= now - lookbackMs,
    ),
    ...seenNow.values(),
  ];
  // A released item not taken this cycle (deferred, or unreadable now) stays released: kept with its
  // queue key, so that the next cycle again looks at it to tag only.
  const releasedById = new Map(released.map((q) => [q.itemId, q]));
  const deferred: CarriedItem[] = [...held.deferred];
  for (const c of [
    ...plan.deferred.map((itemId): CarriedItem => {
      const { folder, item } = pool.get(itemId) as Pooled;
      return item.facts.receivedAt
        ? { itemId, folder, receivedAt: item.facts.receivedAt }
        : { itemId, folder };
    }),
    ...unread,
  ]) {
    const stillReleased = releasedById.get(c.itemId);
    if (stillReleased) queued.push(stillReleased);
    else deferred.push(c);
  }
  // Kept in memory: the items the next cycle takes, no more. A tag to write again needs no body; the
  // deferred past the next cycle's share are read again by id when their turn comes.
  const kept = new Map(carried);
  carried.clear();
  const nextDeferred = [...deferred]
    .sort((a, b) => (a.receivedAt ?? '').localeCompare(b.receivedAt ?? ''))
    .slice(0, maxItems);
  for (const c of [...nextDeferred, ...held.released]) {
    const pooled = pool.get(c.itemId) ?? kept.get(c.itemId);
    if (pooled) carried.set(c.itemId, pooled);
  }
  for (const c of retry) {
    const pooled = pool.get(c.itemId) ?? kept.get(c.itemId);
    const tracked = done.get(c.itemId)?.activityId != null;
    if (pooled) carried.set(c.itemId, tracked ? { ...pooled, item: { ...pooled.item, body: null } } : pooled);
  }

  const records = plan.actions.map((a): BackgroundActionRecord => {
    const { item } = pool.get(a.itemId) as Pooled;
    const d = done.get(a.itemId) ?? { outcome: 'done', activityId: a.activityId, error: null };
    return {
      at: now,
      itemId: a.itemId,
      outlookItemId: deps.outlookItemId(a.itemId),
      subject: item.facts.subject,
      from: item.facts.from ? item.facts.from.name?.trim() || item.facts.from.address : null,
      folder: a.folder,
      do: a.do,
      reason: a.reason,
      code: a.code,
      activityId: d.activityId,
      outcome: d.outcome,
      error: d.error,
      decision: a.decision,
    };
  });
  return {
    state: {
      watermarks,
      seen,
      aggressiveCyclesLeft: plan.next.aggressiveCyclesLeft,
      deferred,
      retry,
      queued,
    },
    ran: true,
    reason: plan.reason,
    records,
    counts: countsOf(plan.actions, records, plan.deferred.length),
    nextInMinutes: moreToRead || notReadYet > 0 ? Math.min(1, plan.next.inMinutes) : plan.next.inMinutes,
    error: errors.text(),
  };
}

/**
 * The queued items whose entry has left the pending queue (delivered by the pane's queue, or
 * discarded by the user), and those still waiting. The queue lives in roaming settings: no request.
 */
async function leftTheQueue(
  deps: CycleDeps,
  session: Session,
  queued: readonly QueuedItem[],
): Promise<{ waiting: QueuedItem[]; released: QueuedItem[] }> {
  if (queued.length === 0) return { waiting: [], released: [] };
  let keys: Set<string>;
  try {
    keys = new Set((await session.pending.load()).map((p) => p.key));
  } catch (error) {
    deps.log.log('Background check: the pending queue could not be read; its items are checked later', error);
    return { waiting: [...queued], released: [] };
  }
  return {
    waiting: queued.filter((q) => keys.has(q.key)),
    released: queued.filter((q) => !keys.has(q.key)),
  };
}

/**
 * The items of earlier cycles still to take (deferred, or a tag to write again) joined to what the
 * deltas gave now, the newer version winning. After a restart of the pane their facts are read
 * again by id; one gone is let go, one that cannot be read now stays carried.
 */
async function carriedPool(
  deps: CycleDeps,
  maxItems: number,
  toTake: readonly CarriedItem[],
  carried: CarriedItems,
  fresh: ReadonlyMap<string, Pooled>,
  removed: ReadonlySet<string>,
  wording: (error: unknown) => string,
  errors: CycleProblems,
): Promise<{ pool: Map<string, Pooled>; unread: CarriedItem[]; notReadYet: number }> {
  const pool = new Map<string, Pooled>();
  const unread: CarriedItem[] = [];
  const toRead = new Map<string, { folder: GraphFolder; ids: string[] }>();
  // Deferred items not in memory are read again only as many as a cycle takes, oldest first (with
  // their bodies, for the tracks); the rest stay deferred, unread, for a later cycle.
  const deferredToRead = toTake
    .filter((c) => c.receivedAt !== undefined && !carried.has(c.itemId) && !fresh.has(c.itemId))
    .sort((a, b) => (a.receivedAt as string).localeCompare(b.receivedAt as string));
  const later = new Set(deferredToRead.slice(maxItems).map((c) => c.itemId));
  for (const c of toTake) {
    if (removed.has(c.itemId) || fresh.has(c.itemId)) continue;
    const known = carried.get(c.itemId);
    if (known) pool.set(c.itemId, known);
    else if (later.has(c.itemId)) unread.push(c);
    else {
      const key = folderKey(c.folder);
      const group = toRead.get(key) ?? { folder: c.folder, ids: [] };
      group.ids.push(c.itemId);
      toRead.set(key, group);
    }
  }
  for (const { folder, ids } of toRead.values()) {
    let outcomes;
    try {
      outcomes = await deps.graph.readFacts(folder, ids);
    } catch (error) {
      deps.log.log(`Background check: items carried in ${folderName(folder)} could not be read again`, error);
      errors.add(error);
      unread.push(...ids.map((itemId) => ({ itemId, folder })));
      continue;
    }
    for (const o of outcomes) {
      if (o.ok) pool.set(o.itemId, { folder, item: o.item });
      else if (!(o.error instanceof GraphNotFoundError)) unread.push({ itemId: o.itemId, folder });
    }
  }
  for (const [id, pooled] of fresh) pool.set(id, pooled);
  return { pool, unread, notReadYet: later.size };
}

/** What performing one cycle's plan works from (perform and performTracks). */
interface Performing {
  readonly deps: CycleDeps;
  readonly session: Session;
  readonly actions: readonly CycleAction[];
  readonly pool: ReadonlyMap<string, Pooled>;
  readonly lookup: ItemLookupResult;
  readonly tagOnly: ReadonlySet<string>;
  readonly wording: (error: unknown) => string;
  readonly errors: CycleProblems;
}

/**
 * The actions done: tracks in one trackEmails (failures to the pending queue), then the tags of the
 * tracks made and of the emails the CRM already held, in Graph `$batch`es. Answers each item's
 * outcome and the changeKey each successful write gave it.
 */
async function perform(
  performing: Performing,
): Promise<{ done: Map<string, Done>; written: Map<string, string> }> {
  const { deps, actions, pool, lookup, wording, errors } = performing;
  const done = new Map<string, Done>();
  const tracks = await performTracks(performing);
  for (const [itemId, t] of tracks) if (!t.ok) done.set(itemId, t.done);

  const updates: ItemUpdate[] = [];
  const tagged = new Map<string, string>();
  for (const a of actions) {
    if (a.do !== 'track' && a.do !== 'tag') continue;
    const { item } = pool.get(a.itemId) as Pooled;
    let activityId: string;
    let regarding: RecordRef | null;
    if (a.do === 'track') {
      const t = tracks.get(a.itemId);
      if (!t?.ok) continue;
      ({ activityId, regarding } = t);
    } else if (a.activityId?.startsWith('pending:')) {
      // §1.4: a Duplicate of an item tracked earlier in this cycle takes that track's real id.
      const t = tracks.get(a.activityId.slice('pending:'.length));
      if (!t?.ok) {
        done.set(a.itemId, {
          outcome: 'retry',
          activityId: null,
          error: 'Waits for the track of the same email, which did not reach the CRM.',
        });
        continue;
      }
      ({ activityId, regarding } = t);
    } else {
      activityId = a.activityId as string;
      regarding = regardingOf(lookup, activityId);
    }
    tagged.set(a.itemId, activityId);
    updates.push({
      itemId: a.itemId,
      ...(item.changeKey ? { changeKey: item.changeKey } : {}),
      categories: withCategory(item.categories),
      tag: { activityId, regarding },
      // Read with the delta: the draft mark and any other property are kept without a read.
      customProperties: item.customProperties,
    });
  }

  const written = new Map<string, string>();
  if (updates.length > 0) {
    await deps.ensureTrackedCategory();
    let outcomes: ItemUpdateOutcome[];
    try {
      outcomes = await deps.graph.updateItems(updates);
    } catch (error) {
      deps.log.log('Background check: the tags could not be written; written next cycle', error);
      errors.add(error);
      outcomes = updates.map((u) => ({ itemId: u.itemId, ok: false, error: error as GraphError }));
    }
    for (const o of outcomes) {
      const activityId = tagged.get(o.itemId) ?? null;
      if (o.ok) {
        written.set(o.itemId, o.changeKey);
        done.set(o.itemId, { outcome: 'done', activityId, error: null });
      } else if (o.error instanceof GraphConflictError) {
        // The item changed since it was read (the pane or the ribbon tagged it, the user categorized
        // it): not a failure; the next cycle reads its new version and decides again.
        done.set(o.itemId, { outcome: 'retry', activityId, error: null });
      } else if (tagRetryable(o.error)) {
        deps.log.log(
          `Background check: the tag of ${o.itemId} could not be written; written next cycle`,
          o.error,
        );
        done.set(o.itemId, { outcome: 'retry', activityId, error: wording(o.error) });
      } else {
        // Refused for good (400, 403, properties too long): written again it would fail a minute
        // apart forever. The item is seen; the pane shows why it has no tag.
        deps.log.log(`Background check: the tag of ${o.itemId} was refused; not written again`, o.error);
        errors.add(o.error);
        done.set(o.itemId, { outcome: 'done', activityId, error: wording(o.error) });
      }
    }
  }
  return { done, written };
}

/** A tag write worth trying again: a stale changeKey (re-read next cycle), throttling, 5xx, network. */
const tagRetryable = (error: unknown): boolean =>
  error instanceof GraphConflictError || failureOf(error).retryable;

type TrackOutcome =
  | { readonly ok: true; readonly activityId: string; readonly regarding: RecordRef | null }
  | { readonly ok: false; readonly done: Done };

/**
 * Every `track` action in ONE trackEmails. The lookup of this very cycle asked for each Message-ID,
 * so those it found untracked by the user go as `checkedAbsent` (no second check); the derived
 * activity keys (crm/trackIds.ts) still make two clients' concurrent creates meet on one key.
 * Attachments are not carried by background tracks: reading them is one Graph request per file, and
 * the check must stay within its request budget; the pane's own Track carries them.
 */
async function performTracks(performing: Performing): Promise<Map<string, TrackOutcome>> {
  const { deps, session, actions, pool, lookup, tagOnly, wording, errors } = performing;
  const out = new Map<string, TrackOutcome>();
  for (const a of actions)
    if (a.do === 'track' && tagOnly.has(a.itemId))
      out.set(a.itemId, {
        ok: false,
        done: {
          outcome: 'done',
          activityId: null,
          error: 'Not tracked again: its waiting track left the queue without reaching the CRM.',
        },
      });
  const toTrack = actions.filter((a) => a.do === 'track' && a.decision && !tagOnly.has(a.itemId));
  if (toTrack.length === 0) return out;
  const userId = session.user.id;
  const nameUuid = await loadNameUuid();
  // §1.4 records `new:<address>`: a later item's parties name the record an earlier track creates,
  // under the key that track's changeset gives it (created first in the same $batch). A reply to an
  // email tracked in this cycle is correlated to `pending:<itemId>`: that track's planned activity key.
  const plannedKeys = new Map<string, string>();
  const plans = new Map<string, EmailToTrack>();
  const planOf = new Map<string, string>();
  for (const a of toTrack) {
    const { item } = pool.get(a.itemId) as Pooled;
    const facts = { ...item.facts, folder: a.folder };
    if (!facts.messageId) {
      out.set(a.itemId, {
        ok: false,
        done: { outcome: 'done', activityId: null, error: 'Not tracked: the email has no Message-ID.' },
      });
      continue;
    }
    const key = normalizeMessageId(facts.messageId);
    planOf.set(a.itemId, key);
    const known = plans.get(key);
    if (known) {
      plannedKeys.set(`pending:${a.itemId}`, plannedIds(nameUuid, userId, known).activity);
      continue;
    }
    const plan = withPlannedKeys(
      planTrack(facts, a.decision as NonNullable<CycleAction['decision']>, session.settings, {
        body: item.body,
      }),
      plannedKeys,
    );
    const ids = plannedIds(nameUuid, userId, plan);
    plannedKeys.set(`pending:${a.itemId}`, ids.activity);
    plan.create.forEach((c, k) => {
      const newId = `new:${c.address.toLowerCase()}`;
      if (!plannedKeys.has(newId)) plannedKeys.set(newId, ids.records[k] as string);
    });
    plans.set(key, plan);
  }
  const list = [...plans.values()];
  const mine = new Set(
    lookup.trackedEmails.flatMap((t) =>
      t.trackedBy === userId && t.messageId !== null ? [normalizeMessageId(t.messageId)] : [],
    ),
  );
  const absent = (p: EmailToTrack): boolean => !mine.has(normalizeMessageId(p.messageId));
  const byKey = new Map<string, TrackedResult>();
  const failures = new Map<string, unknown>();
  const track = async (some: readonly EmailToTrack[]): Promise<void> => {
    const results = await session.crm.trackEmails(userId, some, {
      checkedAbsent: some.filter(absent).map((p) => p.messageId),
    });
    some.forEach((p, i) => byKey.set(normalizeMessageId(p.messageId), results[i] as TrackedResult));
  };
  if (list.length > 0) {
    try {
      await track(list);
    } catch (error) {
      if (list.length > 1 && !failureOf(error).retryable) {
        // One email the CRM refuses fails the whole call: each is sent alone, so only that one is
        // queued with its own error (the derived keys and the check make those made come back `existed`).
        deps.log.log(`Background check: ${list.length} tracks failed together; tried one by one`, error);
        for (const p of list) {
          try {
            await track([p]);
          } catch (one) {
            failures.set(normalizeMessageId(p.messageId), one);
          }
        }
      } else for (const p of list) failures.set(normalizeMessageId(p.messageId), error);
    }
  }
  for (const failure of failures.values()) errors.add(failure);
  if (failures.size > 0)
    deps.log.log(`Background check: ${failures.size} track(s) failed`, [...failures.values()][0]);

  const queue = {
    pending: session.pending,
    clock: session.clock,
    verboseErrors: verboseErrors(session),
    log: deps.log,
  };
  for (const a of toTrack) {
    const key = planOf.get(a.itemId);
    if (key === undefined) continue;
    const plan = plans.get(key) as EmailToTrack;
    const result = byKey.get(key);
    if (result) {
      out.set(a.itemId, { ok: true, activityId: result.activityId, regarding: plan.regarding });
      continue;
    }
    const failure = failures.get(key);
    if (failureOf(failure).retryable) {
      // The CRM is away: as for a failed lookup, nothing is queued (32 KB of roaming settings would
      // fill, blocking the user's own Track); the item stays unseen and is tried again next cycle.
      out.set(a.itemId, { ok: false, done: { outcome: 'retry', activityId: null, error: wording(failure) } });
      continue;
    }
    const { item } = pool.get(a.itemId) as Pooled;
    try {
      const stored = await enqueuePending(
        queue,
        {
          itemId: deps.outlookItemId(a.itemId),
          facts: { ...item.facts, folder: a.folder },
          // Kept as decided: a regarding from a folder mapping is not found again by the queue's lookup.
          // One this cycle was to create (`new:`) is not kept: the queue's lookup finds it again.
          regarding:
            a.decision?.regarding && !isPlannedId(a.decision.regarding.id) ? a.decision.regarding : null,
          messageId: plan.messageId,
          action: 'incoming',
        },
        failureOf(failure),
        retryAfterOf(failure),
      );
      out.set(a.itemId, {
        ok: false,
        done: { outcome: 'queued', activityId: null, error: stored.lastError, queueKey: stored.key },
      });
    } catch (error) {
      // The queue could not keep it (roaming settings full): the item stays unseen and is tried again.
      deps.log.log(`Background check: the failed track of ${a.itemId} could not be queued`, error);
      out.set(a.itemId, { ok: false, done: { outcome: 'retry', activityId: null, error: wording(failure) } });
    }
  }
  return out;
}

/**
 * The plan with the ids of records and activities made in this cycle (`new:<address>`,
 * `pending:<itemId>`) replaced by the keys their tracks create them under. One whose track is not
 * planned (it had no Message-ID) is let go: the adapter is never sent an id that is not a GUID.
 */
const isPlannedId = (id: string): boolean => id.startsWith('new:') || id.startsWith('pending:');

function withPlannedKeys(plan: EmailToTrack, plannedKeys: ReadonlyMap<string, string>): EmailToTrack {
  const planned = isPlannedId;
  const real = (ref: RecordRef): RecordRef | null =>
    planned(ref.id)
      ? plannedKeys.has(ref.id)
        ? { ...ref, id: plannedKeys.get(ref.id) as string }
        : null
      : ref;
  const correlated = plan.correlatedActivityId ?? null;
  return {
    ...plan,
    regarding: plan.regarding ? real(plan.regarding) : null,
    correlatedActivityId:
      correlated !== null && planned(correlated) ? (plannedKeys.get(correlated) ?? null) : correlated,
    parties: plan.parties.map((p) => ({
      ...p,
      records: p.records.flatMap((r) => {
        const ref = real(r);
        return ref ? [ref] : [];
      }),
    })),
  };
}

/** §1.6 counts of one cycle. A track made whose tag failed counts as tracked and as failed. */
function countsOf(
  actions: readonly CycleAction[],
  records: readonly BackgroundActionRecord[],
  deferred: number,
): CycleCounts {
  const count = (test: (r: BackgroundActionRecord) => boolean) => records.filter(test).length;
  return {
    lookedAt: actions.length,
    tracked: count((r) => r.do === 'track' && r.activityId !== null && !r.activityId.startsWith('pending:')),
    tagged: count((r) => r.do === 'tag' && r.outcome === 'done'),
    skipped: count((r) => r.do === 'skip'),
    deferred,
    // A tag not written because the item changed meanwhile (no error) is looked at again, not failed.
    failed: count((r) => r.outcome === 'queued' || r.error !== null),
  };
}
