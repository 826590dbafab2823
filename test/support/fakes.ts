/** Fakes of the app's ports, for use-case tests: in memory, recording what was asked of them. */
import type { ClientSwitches } from '../../src/rules/settings';
import type {
  CrmPort,
  EmailToTrack,
  ItemLookupQuery,
  ItemLookupResult,
  RecordSearchHit,
  TrackedResult,
} from '../../src/crm/port';
import { TRACKED_CATEGORY, UNDELIVERABLE_CATEGORY } from '../../src/mailbox/categories';
import type {
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

/** A CRM in memory: records and tracked emails in lists; failures scripted per method. */
export class FakeCrm implements CrmPort {
  records: CrmRecord[] = [];
  tracked: (TrackedEmail & { subjectOnly?: boolean })[] = [];
  settings: RawSettings = { organization: {}, user: {} };
  mailboxApproved = true;
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

  async whoAmI() {
    this.record('whoAmI', []);
    return {
      userId: USER_ID,
      businessUnitId: 'bu',
      organizationId: 'org',
      mailboxApproved: this.mailboxApproved,
    };
  }
  async loadSettings(userId: string) {
    this.record('loadSettings', [userId]);
    return { raw: this.settings };
  }
  async savePersonalOptions(userId: string, options: object) {
    this.record('savePersonalOptions', [userId, options]);
  }
  async lookupItem(query: ItemLookupQuery): Promise<ItemLookupResult> {
    this.record('lookupItem', [query]);
    const ids = new Set(
      [query.messageId, ...(query.extraMessageIds ?? []), ...query.threadMessageIds].filter(Boolean),
    );
    const addresses = new Set(query.addresses.map((a) => a.toLowerCase()));
    return {
      records: this.records.filter((r) => r.emails.some((e) => addresses.has(e.toLowerCase()))),
      trackedEmails: this.tracked.filter(
        (t) =>
          (t.messageId && ids.has(t.messageId)) ||
          (t.trackingToken &&
            query.trackingTokens.some((k) => k.toLowerCase() === t.trackingToken?.toLowerCase())),
      ),
    };
  }
  async trackEmails(userId: string, emails: readonly EmailToTrack[]): Promise<TrackedResult[]> {
    this.record('trackEmails', [userId, emails]);
    return emails.map((email) => {
      const existing = this.tracked.find((t) => t.messageId === email.messageId && t.trackedBy === userId);
      if (existing) return { activityId: existing.activityId, existed: true, createdRecords: [] };
      const activityId = `act-${this.nextId++}`;
      const createdRecords = email.create.map((c) => ({ type: c.type, id: `rec-${this.nextId++}` }));
      this.tracked.push({
        activityId,
        messageId: email.messageId,
        subject: email.subject,
        trackingToken: email.trackingToken,
        threadIndex: email.threadIndex,
        regarding: email.regarding,
        addresses: email.parties.map((p) => p.address),
        trackedBy: userId,
        receivedAt: email.sentOn,
      });
      return { activityId, existed: false, createdRecords };
    });
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
    this.tracked = this.tracked.filter((t) => t.activityId !== activityId);
  }
  async searchRecords(text: string, top: number): Promise<RecordSearchHit[]> {
    this.record('searchRecords', [text, top]);
    return [];
  }
  async createRecord(record: { type: 'contact' | 'lead' }) {
    this.record('createRecord', [record]);
    return { type: record.type, id: `rec-${this.nextId++}` };
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
  async unmarkDraft() {
    if (this.draft) this.draft = { ...this.draft, mark: null, optedOut: true };
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
