/**
 * One background-check cycle (background-check.md §1): which mailbox items are looked at, what is
 * done with each, and when the next cycle runs. Pure: the runner (the add-in, the `explain`
 * command) performs the actions and keeps the state.
 */
import { addressKey } from './addresses';
import { buildCrmIndex, compareCreatedFirst, type AddressMatch, type CrmIndex } from './crmIndex';
import { decide, type Decision } from './decide';
import { effectivePersonalOptions } from './effectiveSettings';
import { normalizeMessageId } from './messageId';
import type { Reason } from './reasons';
import type { OrganizationSettings, Settings } from './settings';
import { threadIndexKey } from './threadIndex';
import { findTrackingTokens, trackingTokenDigits } from './trackingToken';
import type { CrmRecord, EmailFacts, FolderMapping, RecordRef, TrackedEmail, UserContext } from './types';

/** The Outlook category of a tracked item (tracking.md §5). */
export const TRACKED_CATEGORY = 'Tracked to CRM';

/** The custom property of a tagged item. */
export interface ItemTag {
  readonly activityId: string;
  readonly regarding: RecordRef | null;
}

/** An item a cycle has given an action, at the version it had then (Graph's changeKey). */
export interface SeenEntry {
  readonly itemId: string;
  readonly changeKey: string;
}

export interface MailboxItem {
  readonly itemId: string;
  /** "" when the mailbox gives none. */
  readonly changeKey: string;
  readonly isDraft: boolean;
  readonly categories: readonly string[];
  readonly tag: ItemTag | null;
  /** The email as tracking.md §6 reads it (a raw header block already read in). */
  readonly email: EmailFacts;
  /**
   * The instant the mailbox received the item (Graph's receivedDateTime, a case's
   * `email.receivedAt`), never a Date header: §1.2 steps 4–5 sort and limit by it.
   */
  readonly receivedAt: string;
}

export interface MailboxFolder {
  /** Well-known name (`inbox`, `sentitems`, …) or the path from the mailbox root. */
  readonly name: string;
  readonly items: readonly MailboxItem[];
}

export interface CycleState {
  readonly seen: readonly SeenEntry[];
  readonly aggressiveCyclesLeft: number;
}

export interface CycleInput {
  /** ISO 8601 instant. */
  readonly now: string;
  readonly user: UserContext;
  readonly settings: Settings;
  readonly crm: {
    readonly records: readonly CrmRecord[];
    readonly trackedEmails: readonly TrackedEmail[];
    readonly folderMappings: readonly FolderMapping[];
  };
  readonly mailbox: { readonly folders: readonly MailboxFolder[] };
  readonly state: CycleState;
}

export type CycleDo = 'track' | 'tag' | 'skip' | 'none';
export type CycleRunReason = 'Ran' | 'PromotionDisabled' | 'BackgroundTrackOff' | 'MailboxNotApproved';

/** §1.3: what to do with one item, and the decision behind it. */
export interface CycleAction {
  readonly itemId: string;
  readonly messageId: string | null;
  /** The folder the item is listed under, as the mailbox names it. */
  readonly folder: string;
  readonly do: CycleDo;
  readonly reason: Reason | 'AlreadyTagged';
  readonly code: number | null;
  readonly activityId: string | null;
  /** Null for an item already tagged (§1.3 step 1). */
  readonly decision: Decision | null;
}

export interface CyclePlan {
  readonly run: boolean;
  readonly reason: CycleRunReason;
  readonly actions: readonly CycleAction[];
  /** itemIds left for a later cycle (§1.2 step 5), in the same order. */
  readonly deferred: readonly string[];
  readonly seen: readonly SeenEntry[];
  readonly next: { readonly inMinutes: number; readonly aggressiveCyclesLeft: number };
}

/**
 * The settings §1.2 and §1.5 take up to their minimum: in a cycle case a whole number below it is not
 * malformed (background-check.md §2), and the planner itself reads any lower value as the minimum.
 */
export const CYCLE_SETTINGS_RAISED_TO_MINIMUM: ReadonlySet<keyof OrganizationSettings> = new Set([
  'backgroundLookbackDays',
  'backgroundMaxItems',
  'tagpollingperiod',
  'tagmaxaggressivecycles',
] as const);

const DAY_MS = 24 * 60 * 60 * 1000;

const folderKey = (name: string): string => name.trim().toLowerCase();

/** §1.1: tracking is on, or why not (the first that fails). */
function trackingOff(input: CycleInput): CycleRunReason | null {
  const { organization: org } = input.settings;
  if (!org.promoteIncomingEmail) return 'PromotionDisabled';
  // The effective value: the same one the §2.1 decisions read.
  if (!effectivePersonalOptions(input.settings).backgroundTrackEmail.value) return 'BackgroundTrackOff';
  if (org.requireapprovalforuseremail && !input.user.mailboxApproved) return 'MailboxNotApproved';
  return null;
}

interface Candidate {
  readonly item: MailboxItem;
  readonly folder: string;
  readonly at: number;
}

/** §1.2: the items looked at, oldest first. */
function itemsToLookAt(input: CycleInput, nowMs: number): Candidate[] {
  const { organization: org, orgDb } = input.settings;
  const folders = new Set<string>(['inbox']);
  if (orgDb.AutoTrackSentFolderItems) folders.add('sentitems');
  if (org.isfolderbasedtrackingenabled) {
    for (const mapping of input.crm.folderMappings) folders.add(folderKey(mapping.folder));
  }
  const seen = new Map<string, Set<string>>();
  for (const entry of input.state.seen) {
    const versions = seen.get(entry.itemId);
    if (versions) versions.add(entry.changeKey);
    else seen.set(entry.itemId, new Set([entry.changeKey]));
  }
  const lookbackDays = Math.max(1, Math.floor(org.backgroundLookbackDays));
  const oldest = nowMs - lookbackDays * DAY_MS;

  const candidates: Candidate[] = [];
  for (const folder of input.mailbox.folders) {
    if (!folders.has(folderKey(folder.name))) continue;
    for (const item of folder.items) {
      if (item.isDraft) continue;
      if (seen.get(item.itemId)?.has(item.changeKey)) continue;
      const at = Date.parse(item.receivedAt);
      // An unreadable time cannot be placed in the lookback window: not looked at.
      if (Number.isNaN(at) || at < oldest) continue;
      candidates.push({ item, folder: folder.name, at });
    }
  }
  return candidates.sort(
    (a, b) => a.at - b.at || (a.item.itemId < b.item.itemId ? -1 : a.item.itemId > b.item.itemId ? 1 : 0),
  );
}

const hasCategory = (item: MailboxItem): boolean => {
  const wanted = TRACKED_CATEGORY.toLowerCase();
  return item.categories.some((c) => c.toLowerCase() === wanted);
};

/** Plans one cycle. Never mutates its input. */
export function planCycle(input: CycleInput): CyclePlan {
  const { organization: org, orgDb, client } = input.settings;
  const pollingPeriod = Math.max(1, Math.floor(org.tagpollingperiod));
  const aggressive = Math.max(0, Math.floor(org.tagmaxaggressivecycles));
  const off = trackingOff(input);
  const trackingOn = off === null;
  if (!trackingOn && !client.automaticEmailTagging) {
    return {
      run: false,
      reason: off,
      actions: [],
      deferred: [],
      seen: [],
      next: { inMinutes: pollingPeriod, aggressiveCyclesLeft: 0 },
    };
  }

  const nowMs = Date.parse(input.now);
  const candidates = itemsToLookAt(input, nowMs);
  const maxItems = Math.max(1, Math.floor(org.backgroundMaxItems));
  const taken = candidates.slice(0, maxItems);
  const deferred = candidates.slice(maxItems).map((c) => c.item.itemId);

  const crm = new GrowingCrmIndex(input.crm);
  const actions: CycleAction[] = [];
  for (const { item, folder } of taken) {
    const email: EmailFacts = { ...item.email, folder };
    const action = actionFor(
      item,
      email,
      folder,
      input,
      crm.index,
      trackingOn && orgDb.TrackCategorizedItems,
    );
    actions.push(action);
    if (action.do === 'track' && action.decision) crm.addTrack(item, email, action.decision, input);
  }

  const newMail = actions.some((a) => a.do !== 'none');
  const left = newMail ? aggressive : Math.max(0, Math.floor(input.state.aggressiveCyclesLeft) - 1);
  return {
    run: true,
    reason: 'Ran',
    actions,
    deferred,
    seen: taken.map(({ item }) => ({ itemId: item.itemId, changeKey: item.changeKey })),
    next: { inMinutes: left > 0 || deferred.length > 0 ? 1 : pollingPeriod, aggressiveCyclesLeft: left },
  };
}

/** §1.3: the first step that applies. */
function actionFor(
  item: MailboxItem,
  email: EmailFacts,
  folder: string,
  input: CycleInput,
  index: CrmIndex,
  categorizedItemsTracked: boolean,
): CycleAction {
  const base = { itemId: item.itemId, messageId: email.messageId, folder };
  const categorized = hasCategory(item);
  const tagged = item.tag !== null && item.tag.activityId !== '';
  if (tagged && categorized) {
    return {
      ...base,
      do: 'none',
      reason: 'AlreadyTagged',
      code: null,
      activityId: item.tag?.activityId ?? null,
      decision: null,
    };
  }
  const common = { regarding: null, user: input.user, settings: input.settings, index };
  const incoming = decide({ ...common, action: 'incoming', email });
  const carry = (what: CycleDo, decision: Decision, activityId: string | null = null): CycleAction => ({
    ...base,
    do: what,
    reason: decision.reason,
    code: decision.code,
    activityId,
    decision,
  });
  if (incoming.reason === 'Duplicate') {
    return input.settings.client.automaticEmailTagging
      ? carry('tag', incoming, incoming.existingActivityId)
      : carry('none', incoming);
  }
  if (incoming.track) return carry('track', incoming);
  if (categorizedItemsTracked && categorized) {
    const manual = decide({ ...common, action: 'track', email });
    return carry(manual.track ? 'track' : 'skip', manual);
  }
  return carry('skip', incoming);
}

/**
 * The CRM as the cycle's later decisions see it (§1.4): what was given, plus the tracks and the
 * records earlier actions of the cycle make. Grown in place, never rebuilt: a cycle of thousands of
 * tracks would otherwise rebuild the index once per track.
 */
class GrowingCrmIndex {
  readonly index: CrmIndex;
  private readonly recordsByAddress: Map<string, AddressMatch[]>;
  private readonly trackedByMessageId: Map<string, TrackedEmail[]>;
  private readonly trackedByThreadIndex: Map<string, TrackedEmail[]>;
  private readonly trackedByAddress: Map<string, TrackedEmail[]>;
  private readonly tracked: TrackedEmail[];
  /** By prefix in lower case, as buildCrmIndex caches them; each with the prefix as first asked. */
  private readonly byTokenPrefix = new Map<
    string,
    { readonly prefix: string; readonly map: Map<string, TrackedEmail[]> }
  >();
  private rankCount: number;

  constructor(crm: CycleInput['crm']) {
    const base = buildCrmIndex(crm.records, crm.trackedEmails, crm.folderMappings);
    const copy = <V>(map: ReadonlyMap<string, readonly V[]>): Map<string, V[]> =>
      new Map([...map].map(([key, list]) => [key, [...list]]));
    this.recordsByAddress = copy(base.recordsByAddress);
    this.trackedByMessageId = copy(base.trackedByMessageId);
    this.trackedByThreadIndex = copy(base.trackedByThreadIndex);
    this.trackedByAddress = copy(base.trackedByAddress);
    this.tracked = [...crm.trackedEmails];
    this.rankCount = crm.records.length;
    this.index = {
      recordsByAddress: this.recordsByAddress,
      trackedByMessageId: this.trackedByMessageId,
      trackedByThreadIndex: this.trackedByThreadIndex,
      trackedByAddress: this.trackedByAddress,
      tracked: this.tracked,
      folderMappings: crm.folderMappings,
      trackedByTokenDigits: (prefix) => this.tokenMap(prefix),
      // Smart matching memoizes per tracked email: entries stay valid as tracked emails are added.
      memo: base.memo,
    };
  }

  /** §1.4: an item given `track` is in the CRM for the rest of the cycle, with its created records. */
  addTrack(item: MailboxItem, email: EmailFacts, decision: Decision, input: CycleInput): void {
    const org = input.settings.organization;
    const token = org.useTrackingToken ? findTrackingTokens(email.subject, org.trackingprefix)[0] : undefined;
    this.addTracked({
      activityId: `pending:${item.itemId}`,
      messageId: email.messageId,
      subject: email.subject,
      trackingToken: token ? `${org.trackingprefix}${token.digits}` : null,
      threadIndex: email.threadIndex,
      regarding: decision.regarding,
      addresses: [email.from, ...email.to, ...email.cc, ...email.bcc].flatMap((a) => (a ? [a.address] : [])),
      trackedBy: input.user.id,
      receivedAt: email.receivedAt,
    });
    for (const created of decision.create) {
      this.addRecord({
        type: created.type,
        id: `new:${created.address.toLowerCase()}`,
        emails: [created.address],
        createdOn: input.now,
        active: true,
      });
    }
  }

  // The same keys buildCrmIndex files a tracked email under.
  private addTracked(tracked: TrackedEmail): void {
    this.tracked.push(tracked);
    if (tracked.messageId) {
      const id = normalizeMessageId(tracked.messageId);
      if (id) push(this.trackedByMessageId, id, tracked);
    }
    if (tracked.threadIndex) {
      const key = threadIndexKey(tracked.threadIndex);
      if (key) push(this.trackedByThreadIndex, key, tracked);
    }
    for (const key of new Set(tracked.addresses.map(addressKey))) {
      if (key) push(this.trackedByAddress, key, tracked);
    }
    for (const { prefix, map } of this.byTokenPrefix.values()) fileToken(map, tracked, prefix);
  }

  private addRecord(record: CrmRecord): void {
    const key = addressKey(record.emails[0] ?? '');
    if (!key) return;
    const match: AddressMatch = { record, primary: true, rank: this.rankCount };
    this.rankCount += 1;
    // Kept in "created first" order, as buildCrmIndex leaves every list (§2.1 step 8).
    const list = this.recordsByAddress.get(key) ?? [];
    const at = list.findIndex((m) => compareCreatedFirst(record, m.record) < 0);
    if (at < 0) list.push(match);
    else list.splice(at, 0, match);
    this.recordsByAddress.set(key, list);
  }

  private tokenMap(prefix: string): Map<string, TrackedEmail[]> {
    const cacheKey = prefix.toLowerCase();
    const cached = this.byTokenPrefix.get(cacheKey);
    if (cached) return cached.map;
    const map = new Map<string, TrackedEmail[]>();
    for (const tracked of this.tracked) fileToken(map, tracked, prefix);
    this.byTokenPrefix.set(cacheKey, { prefix, map });
    return map;
  }
}

function fileToken(map: Map<string, TrackedEmail[]>, tracked: TrackedEmail, prefix: string): void {
  const digits = tracked.trackingToken ? trackingTokenDigits(tracked.trackingToken, prefix) : null;
  if (digits) push(map, digits, tracked);
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
