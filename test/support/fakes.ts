/** Fakes of the app's ports, for use-case tests: in memory, recording what was asked of them. */
import type { ClientSwitches } from '../../src/rules/settings';
import { rankHits, SEARCH_COLUMNS, SEARCHABLE_TYPES } from '../../src/crm/recordSearch';
import { CrmNotFoundError } from '../../src/crm/errors';
import type {
  CrmPort,
  EmailTablesFound,
  EmailToTrack,
  FindRecordsOptions,
  FoundRecords,
  ItemLookupQuery,
  ItemLookupResult,
  RecordSearchHit,
  RecordToCreate,
  SearchableType,
  TrackedResult,
  TrackOptions,
} from '../../src/crm/port';
import { TRACKED_CATEGORY, UNDELIVERABLE_CATEGORY } from '../../src/mailbox/categories';
import type {
  AttachmentInfo,
  ComposeSnapshot,
  DraftMark,
  ItemSnapshot,
  MailboxPort,
  Notice,
  PendingStore,
  PendingTrack,
  TokenCounterStore,
  TrackTag,
} from '../../src/app/ports';
import { openSession, type LocalOptions, type Session } from '../../src/app/session';
import type { RawSettings } from '../../src/rules/settingsInput';
import type { CrmRecord, EmailFacts, RecordRef, TrackedEmail } from '../../src/rules/types';

export const USER_ID = 'aaaaaaaa-0000-4000-8000-000000000001';
export const USER_EMAIL = 'dana@contoso.com';

/**
 * A CRM in memory: records and tracked emails in lists; failures scripted per method. It answers
 * as the Dataverse adapter does on the emulator (test/contract/crm-port.contract.ts holds both to
 * the same cases): active records only, Message-IDs with or without brackets, tokens compared
 * without regard to case, smart-matching candidates by any shared subject word (newest 50),
 * idempotent tracks per Message-ID and user, records created from the sender.
 */
export class FakeCrm implements CrmPort {
  records: CrmRecord[] = [];
  tracked: TrackedEmail[] = [];
  settings: RawSettings = { organization: {}, user: {} };
  mailboxApproved = true;
  /** What each tracked email was created with, by activity id (for assertions). */
  readonly created = new Map<string, EmailToTrack>();
  readonly calls: { method: string; args: unknown[] }[] = [];
  /** method name → errors to throw on the next calls, in order. */
  readonly failures = new Map<string, unknown[]>();
  private nextId = 1;

  private record(method: string, args: unknown[]): void {
    this.calls.push({ method, args });
    const queue = this.failures.get(method);
    const failure = queue?.shift();
    if (failure !== undefined) throw failure;
  }

  failNext(method: keyof CrmPort, ...errors: unknown[]): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...errors]);
  }

  count(method: keyof CrmPort): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  private id(prefix: string): string {
    return `${prefix}-${this.nextId++}`;
  }

  /** What openSession reports as found; a start given `known` records it (see the calls). */
  emailTables: EmailTablesFound = { listed: [], tables: [] };

  async openSession(known?: EmailTablesFound) {
    this.record('openSession', [known]);
    return {
      identity: {
        userId: USER_ID,
        businessUnitId: 'bu',
        organizationId: 'org',
        mailboxApproved: this.mailboxApproved,
      },
      settings: { raw: this.settings },
      emailTables: this.emailTables,
    };
  }
  async savePersonalOptions(userId: string, options: object) {
    this.record('savePersonalOptions', [userId, options]);
    this.settings = { ...this.settings, user: { ...this.settings.user, ...options } };
  }
  async lookupItem(query: ItemLookupQuery): Promise<ItemLookupResult> {
    this.record('lookupItem', [query]);
    return this.find(query);
  }
  /** As the adapter: one call, the union of what each query finds (no repeats). */
  async lookupItems(queries: readonly ItemLookupQuery[]): Promise<ItemLookupResult> {
    this.record('lookupItems', [queries]);
    const records = new Map<string, CrmRecord>();
    const tracked = new Map<string, TrackedEmail>();
    for (const query of queries) {
      const found = this.find(query);
      for (const r of found.records) records.set(`${r.type}:${r.id}`, r);
      for (const t of found.trackedEmails) tracked.set(t.activityId, t);
    }
    return { records: [...records.values()], trackedEmails: [...tracked.values()] };
  }
  private find(query: ItemLookupQuery): ItemLookupResult {
    const bare = (id: string) => id.trim().replace(/^<(.*)>$/, '$1');
    const own = new Set(
      [query.messageId, ...(query.extraMessageIds ?? [])].flatMap((id) => (id ? [bare(id)] : [])),
    );
    // The adapter asks for the newest 50 thread ids (100 forms with and without brackets).
    const thread = new Set(query.threadMessageIds.slice(0, 50).map(bare));
    const tokens = new Set(query.trackingTokens.map((t) => t.trim().toLowerCase()));
    const indexes = new Set(query.threadIndexes);
    const addresses = new Set(query.addresses.map((a) => a.trim().toLowerCase()));
    const words = (query.subjectWords ?? []).map((w) => w.toLowerCase()).filter(Boolean);
    const found = new Map<string, TrackedEmail>();
    for (const t of this.tracked) {
      const id = t.messageId ? bare(t.messageId) : null;
      if (
        (id && (own.has(id) || thread.has(id))) ||
        (t.trackingToken && tokens.has(t.trackingToken.trim().toLowerCase())) ||
        (t.threadIndex && indexes.has(t.threadIndex))
      )
        found.set(t.activityId, t);
    }
    if (words.length)
      this.tracked
        .filter((t) => words.some((w) => (t.subject ?? '').toLowerCase().includes(w)))
        .sort((a, b) => (b.receivedAt ?? '').localeCompare(a.receivedAt ?? ''))
        .slice(0, 50)
        .forEach((t) => found.set(t.activityId, t));
    return {
      records: this.records.filter(
        (r) => r.active && r.emails.some((e) => e && addresses.has(e.trim().toLowerCase())),
      ),
      trackedEmails: [...found.values()],
    };
  }
  async trackEmails(
    userId: string,
    emails: readonly EmailToTrack[],
    options: TrackOptions = {},
  ): Promise<TrackedResult[]> {
    // In memory the check costs nothing, so the fake always makes it; the options are recorded.
    this.record('trackEmails', [userId, emails, options]);
    return emails.map((email) => {
      const existing = this.tracked.find((t) => t.messageId === email.messageId && t.trackedBy === userId);
      if (existing) return { activityId: existing.activityId, existed: true, createdRecords: [] };
      const activityId = this.id('act');
      const createdRecords = email.create.map((c) => this.addRecord(c));
      this.created.set(activityId, email);
      this.tracked.push({
        activityId,
        messageId: email.messageId,
        subject: email.subject,
        trackingToken: email.trackingToken,
        // conversationindex is read-only in Dataverse: the adapter cannot write it, nor does the fake.
        threadIndex: null,
        regarding: email.regarding,
        addresses: email.parties.map((p) => p.address),
        trackedBy: userId,
        receivedAt: email.sentOn,
      });
      return { activityId, existed: false, createdRecords };
    });
  }
  private addRecord(c: RecordToCreate): RecordRef {
    const id = this.id('rec');
    this.records.push({
      type: c.type,
      id,
      emails: [c.address, '', ''],
      createdOn: new Date(Date.parse('2026-01-01T00:00:00Z') + this.nextId * 1000).toISOString(),
      active: true,
      name: [c.firstname, c.lastname].filter(Boolean).join(' '),
    });
    return { type: c.type, id };
  }
  async setRegarding(activityId: string, regarding: RecordRef | null) {
    this.record('setRegarding', [activityId, regarding]);
    const t = this.tracked.find((x) => x.activityId === activityId);
    if (t) Object.assign(t, { regarding });
  }
  async updateMessageId(activityId: string, messageId: string) {
    this.record('updateMessageId', [activityId, messageId]);
    const t = this.tracked.find((x) => x.activityId === activityId);
    if (t) Object.assign(t, { messageId });
  }
  async untrack(activityId: string) {
    this.record('untrack', [activityId]);
    if (!this.tracked.some((t) => t.activityId === activityId))
      throw new CrmNotFoundError('Email With Id = ' + activityId + ' Does Not Exist', {
        status: 404,
        code: '0x80040217',
        requestId: null,
        request: 'DELETE emails',
      });
    this.tracked = this.tracked.filter((t) => t.activityId !== activityId);
  }
  /** As the adapter: active accounts, contacts, leads (name or primary email contains the text), ranked, top N. */
  async findRecords(text: string, options: FindRecordsOptions): Promise<FoundRecords> {
    this.record('findRecords', [text, options]);
    const term = text.trim().toLowerCase();
    const top = Math.max(0, Math.floor(options.top));
    if (!term || top === 0) return { hits: [], more: false };
    const types = new Set(SEARCHABLE_TYPES.filter((t) => !options.types || options.types.includes(t)));
    const matching = this.records
      .filter((r) => r.active && types.has(r.type as SearchableType))
      .filter(
        (r) =>
          (r.name ?? '').toLowerCase().includes(term) || (r.emails[0] ?? '').toLowerCase().includes(term),
      )
      .map((r) => this.hit(r));
    return { hits: rankHits(term, matching).slice(0, top), more: matching.length > top };
  }
  async searchRecords(text: string, top: number): Promise<RecordSearchHit[]> {
    this.record('searchRecords', [text, top]);
    return [...(await this.findRecords(text, { top })).hits];
  }
  async recordsByIds(refs: readonly RecordRef[]): Promise<RecordSearchHit[]> {
    this.record('recordsByIds', [refs]);
    return refs.flatMap((ref) => {
      const r = this.records.find(
        (x) => x.active && x.type === ref.type && x.id === ref.id.toLowerCase() && ref.type in SEARCH_COLUMNS,
      );
      return r ? [this.hit(r)] : [];
    });
  }
  private hit(r: CrmRecord): RecordSearchHit {
    const type = r.type as SearchableType;
    return {
      type,
      id: r.id,
      name: r.name ?? '',
      email: SEARCH_COLUMNS[type].email ? r.emails[0] || null : null,
    };
  }
  async createRecord(record: RecordToCreate) {
    this.record('createRecord', [record]);
    const ref = this.addRecord(record);
    return { ...ref, name: this.records.find((r) => r.id === ref.id)?.name ?? null };
  }
}

/** One item's Outlook-side state. */
export interface FakeItem {
  snapshot: ItemSnapshot;
  categories: string[];
  tag: TrackTag | null;
  notices: Notice[];
}

export class FakeMailbox implements MailboxPort {
  readonly items = new Map<string, FakeItem>();
  current: string | null = null;
  draft: ComposeSnapshot | null = null;
  draftSubject: string | null = null;

  add(snapshot: ItemSnapshot): ItemSnapshot {
    this.items.set(snapshot.itemId, {
      snapshot,
      categories: [...snapshot.categories],
      tag: snapshot.tag,
      notices: [],
    });
    this.current = snapshot.itemId;
    return snapshot;
  }
  /** The item as the mailbox adapter would read it now (categories and tag as they are). */
  snapshot(itemId: string): ItemSnapshot {
    const item = this.items.get(itemId) as FakeItem;
    return { ...item.snapshot, categories: [...item.categories], tag: item.tag };
  }
  userAddress() {
    return USER_EMAIL;
  }
  async currentItem() {
    return this.current ? this.snapshot(this.current) : null;
  }
  /** Attachments by item id, with their content (base64); reads of content are counted. */
  attachments = new Map<string, (AttachmentInfo & { readonly base64: string })[]>();
  attachmentReads: string[] = [];
  async itemAttachments(itemId: string): Promise<readonly AttachmentInfo[]> {
    return (this.attachments.get(itemId) ?? []).map(({ base64: _content, ...info }) => info);
  }
  async attachmentContent(itemId: string, attachmentId: string): Promise<string> {
    this.attachmentReads.push(attachmentId);
    const found = this.attachments.get(itemId)?.find((a) => a.id === attachmentId);
    if (!found) throw new Error(`no attachment ${attachmentId}`);
    return found.base64;
  }
  async itemBody(itemId: string) {
    return this.items.has(itemId) ? 'Hello Dana' : null;
  }
  async tagTracked(itemId: string, tag: TrackTag) {
    const item = this.items.get(itemId) as FakeItem;
    item.tag = tag;
    item.categories = [
      ...item.categories.filter((c) => c !== UNDELIVERABLE_CATEGORY && c !== TRACKED_CATEGORY),
      TRACKED_CATEGORY,
    ];
  }
  async tagUndeliverable(itemId: string) {
    const item = this.items.get(itemId) as FakeItem;
    if (!item.categories.includes(UNDELIVERABLE_CATEGORY)) item.categories.push(UNDELIVERABLE_CATEGORY);
  }
  async removeTags(itemId: string) {
    const item = this.items.get(itemId) as FakeItem;
    item.tag = null;
    item.categories = item.categories.filter((c) => c !== TRACKED_CATEGORY && c !== UNDELIVERABLE_CATEGORY);
  }
  readonly draftNotices: Notice[] = [];
  async notify(itemId: string | null, notice: Notice) {
    if (itemId === null) this.draftNotices.push(notice);
    else this.items.get(itemId)?.notices.push(notice);
  }
  async currentDraft() {
    return this.draft;
  }
  async markDraft(mark: DraftMark, subject: string | null) {
    if (!this.draft) throw new Error('no draft');
    this.draft = {
      ...this.draft,
      mark,
      subject: subject ?? this.draft.subject,
      facts: { ...this.draft.facts, subject: subject ?? this.draft.subject },
    };
    this.draftSubject = subject;
  }
  async unmarkDraft(subject: string | null = null) {
    if (this.draft)
      this.draft = {
        ...this.draft,
        mark: null,
        optedOut: true,
        subject: subject ?? this.draft.subject,
        facts: { ...this.draft.facts, subject: subject ?? this.draft.subject },
      };
    if (subject !== null) this.draftSubject = subject;
  }
}

export class MemoryPendingStore implements PendingStore {
  list: PendingTrack[] = [];
  async load() {
    return [...this.list];
  }
  async save(list: readonly PendingTrack[]) {
    this.list = [...list];
  }
}

export class MemoryTokenCounter implements TokenCounterStore {
  value = 0;
  async next(max: number) {
    const current = this.value;
    this.value = current >= max ? 0 : current + 1;
    return current;
  }
}

export class FakeClock {
  time = Date.parse('2026-03-01T09:00:00Z');
  now() {
    return this.time;
  }
}

export interface Harness {
  crm: FakeCrm;
  mailbox: FakeMailbox;
  pending: MemoryPendingStore;
  tokens: MemoryTokenCounter;
  clock: FakeClock;
  session(local?: Partial<LocalOptions> & { client?: Partial<ClientSwitches> }): Promise<Session>;
}

export function harness(): Harness {
  const h = {
    crm: new FakeCrm(),
    mailbox: new FakeMailbox(),
    pending: new MemoryPendingStore(),
    tokens: new MemoryTokenCounter(),
    clock: new FakeClock(),
  };
  return {
    ...h,
    session: (local = {}) =>
      openSession({
        ...h,
        localOptions: {
          load: async () => ({ client: local.client ?? {}, user: local.user ?? {} }),
          save: async () => {},
        },
      }),
  };
}

let itemSerial = 0;
export function readItem(facts: Partial<EmailFacts> = {}, extra: Partial<ItemSnapshot> = {}): ItemSnapshot {
  itemSerial += 1;
  return {
    itemId: `item-${itemSerial}`,
    conversationId: 'conv-1',
    facts: {
      messageId: `<m${itemSerial}@fabrikam.com>`,
      subject: 'Quote',
      direction: 'incoming',
      folder: 'inbox',
      from: { address: 'ann@fabrikam.com', name: 'Ann Lee' },
      to: [{ address: USER_EMAIL, name: 'Dana Park' }],
      cc: [],
      bcc: [],
      inReplyTo: null,
      references: [],
      threadIndex: null,
      receivedAt: '2026-03-01T08:00:00Z',
      composeType: null,
      ...facts,
    },
    categories: [],
    tag: null,
    draftMark: null,
    ...extra,
  };
}

export const contactAnn: CrmRecord = {
  type: 'contact',
  id: 'c-ann',
  emails: ['ann@fabrikam.com'],
  createdOn: '2020-01-01T00:00:00Z',
  active: true,
  name: 'Ann Lee',
};
export const userDana: CrmRecord = {
  type: 'systemuser',
  id: USER_ID,
  emails: [USER_EMAIL],
  createdOn: '2019-01-01T00:00:00Z',
  active: true,
  name: 'Dana Park',
};
