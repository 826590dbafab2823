/**
 * The simulated mailbox: Exchange's side (folders, items, master categories, sending) plus the
 * `Office.context.mailbox` surface the add-in sees, and a control API for the workbench and tests.
 *
 * The add-in can only reach what Office.js offers: `mailbox.item` (the selected item, or null),
 * ItemChanged, masterCategories, convertToRestId… There is NO folder API in Office.js, so folders are
 * visible through the control API only (`folderOf`, `listFolder`), never through `Office`.
 */
import { Dispatcher, fail, ok, parseCommonArgs, type Outcome } from './async';
import {
  argumentError,
  argumentOutOfRangeError,
  argumentTypeError,
  OutlookErrors,
  permissionError,
  SimulatorError,
} from './errors';
import { CATEGORY_COLORS, EventType, MailboxEnums } from './enums';
import { ewsIdOf, restIdOf } from './ids';
import { createAppointmentItem } from './appointments';
import { createComposeItem, createReadItem, type ViewEnv } from './items';
import { LIMITS, Permission, validateCategoryArray, type MasterCategoryStore } from './itemFeatures';
import {
  buildHeaderBlock,
  CALENDAR_FOLDER,
  domainOf,
  FOLDER_DISPLAY_NAMES,
  sameAddress,
  snapshot,
  structuredCloneJson,
  WELL_KNOWN_FOLDERS,
  type ComposeKind,
  type FolderId,
  type MailRecord,
  type NotificationRecord,
  type SimAddress,
  type SimItemSnapshot,
} from './model';
import {
  checkMailboxState,
  MAILBOX_STATE_VERSION,
  recordFromJson,
  recordToJson,
  type MailboxState,
} from './mailboxState';
import type { Clock, Random } from './random';
import {
  base64ToBytes,
  bytesToBase64,
  childReferences,
  childThreadIndex,
  forwardSubject,
  newThreadIndex,
  normalizeSubject,
  replySubject,
  THREAD_INDEX_HEADER_BYTES,
} from './threading';

export interface SimUser {
  readonly emailAddress: string;
  readonly displayName: string;
  /** Windows time zone name, as Outlook reports it. */
  readonly timeZone?: string;
}

/** An item to put into a folder (delivered mail, a demo item, a parsed .eml). */
export interface NewMessageInput {
  readonly subject: string;
  readonly from: SimAddress;
  readonly sender?: SimAddress;
  readonly to?: readonly SimAddress[];
  readonly cc?: readonly SimAddress[];
  readonly bcc?: readonly SimAddress[];
  /** Sent/received time; the simulator's clock when absent. */
  readonly date?: Date;
  /** With angle brackets; generated when absent. */
  readonly internetMessageId?: string;
  readonly inReplyTo?: string | null;
  readonly references?: readonly string[];
  /** Base64 Thread-Index; absent means the sender's client set none. */
  readonly threadIndex?: string | null;
  readonly threadTopic?: string | null;
  readonly bodyText?: string;
  readonly bodyHtml?: string | null;
  /** The raw header block as received; built from the fields above when absent. */
  readonly rawHeaders?: string;
  /** Extra header fields for the built header block (ignored when rawHeaders is given). */
  readonly extraHeaders?: Readonly<Record<string, string>>;
  readonly categories?: readonly string[];
  readonly customProperties?: Readonly<Record<string, unknown>>;
  /** Attachments: a file's content as base64 (its size is computed), an item's as `.eml` text, a cloud one's as its URL. */
  readonly attachments?: readonly NewAttachmentInput[];
}

/** A meeting to put into the calendar (a demo item, or one a test needs). */
export interface NewAppointmentInput {
  readonly subject: string;
  readonly organizer: SimAddress;
  readonly requiredAttendees?: readonly SimAddress[];
  readonly optionalAttendees?: readonly SimAddress[];
  readonly start: Date;
  readonly end: Date;
  readonly isAllDayEvent?: boolean;
  readonly location?: string;
  readonly bodyText?: string;
  readonly categories?: readonly string[];
  readonly customProperties?: Readonly<Record<string, unknown>>;
}

export interface NewAttachmentInput {
  readonly name: string;
  readonly contentType?: string;
  readonly kind?: 'file' | 'item' | 'cloud';
  readonly isInline?: boolean;
  readonly content: string;
  /** AttachmentDetails.size when it should not be computed from the content (a cloud file's size). */
  readonly size?: number;
}

export type SimChange =
  | { readonly kind: 'selection'; readonly itemId: string | null }
  | { readonly kind: 'items'; readonly itemId?: string }
  | { readonly kind: 'item'; readonly itemId: string; readonly what: string }
  | { readonly kind: 'masterCategories' };

export interface FolderInfo {
  readonly id: FolderId;
  readonly displayName: string;
  readonly count: number;
}

export interface OpenComposeOptions {
  /** Make the compose form the current item (fires ItemChanged). Default true. */
  readonly select?: boolean;
}

export interface SimMailboxOptions {
  readonly user: SimUser;
  readonly dispatcher: Dispatcher;
  readonly clock: Clock;
  readonly random: Random;
  readonly permission: number;
  readonly supports: (version: string) => boolean;
  readonly emptyCategoriesAsNull: boolean;
  /**
   * What `getAllInternetHeadersAsync` returns on a sent item in Sent Items. Outlook returns an empty
   * string with status Succeeded (OfficeDev/office-js#4773, #6796): default `'empty'`.
   */
  readonly sentItemHeaders: 'empty' | 'full';
  readonly masterCategories?: readonly Office.CategoryDetails[];
  readonly hostName: string;
  readonly hostVersion: string;
  readonly owaView?: string;
}

type ItemChangedHandler = (event: { type: string }) => void;

export class SimMailbox {
  readonly user: SimUser;
  private readonly records = new Map<string, MailRecord>();
  private readonly customFolders = new Set<string>();
  private master: Office.CategoryDetails[];
  private selectedId: string | null = null;
  private epoch = 0;
  private view: {
    epoch: number;
    item: Office.MessageRead | Office.MessageCompose | Office.AppointmentRead | Office.AppointmentCompose;
  } | null = null;
  private readonly handlers = new Set<ItemChangedHandler>();
  private readonly listeners = new Set<(change: SimChange) => void>();
  private readonly conversationByThreadKey = new Map<string, string>();
  private counter = 0;
  private readonly mailboxSurface: Office.Mailbox;

  constructor(private readonly options: SimMailboxOptions) {
    this.user = options.user;
    this.master = (options.masterCategories ?? []).map((c) => ({ ...c }));
    this.mailboxSurface = this.buildSurface();
  }

  // -------------------------------------------------------------------------------------------
  // Control API: reading state

  /** The `Office.context.mailbox` object the add-in sees. */
  get office(): Office.Mailbox {
    return this.mailboxSurface;
  }

  /** The id of the selected item (read or compose), or null. */
  get selectedItemId(): string | null {
    return this.selectedId;
  }

  onChange(listener: (change: SimChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  folders(): FolderInfo[] {
    const ids: FolderId[] = [...WELL_KNOWN_FOLDERS, ...this.customFolders];
    return ids.map((id) => ({
      id,
      displayName: (FOLDER_DISPLAY_NAMES as Record<string, string>)[id] ?? id,
      count: [...this.records.values()].filter((r) => r.folder === id).length,
    }));
  }

  createFolder(name: string): FolderId {
    if (!name.trim()) throw new SimulatorError('A folder needs a name.');
    if (!(WELL_KNOWN_FOLDERS as readonly string[]).includes(name)) this.customFolders.add(name);
    this.emit({ kind: 'items' });
    return name;
  }

  /** Items of a folder, newest first. */
  listFolder(folder: FolderId): SimItemSnapshot[] {
    return [...this.records.values()]
      .filter((r) => r.folder === folder)
      .sort((a, b) => b.created.getTime() - a.created.getTime())
      .map(snapshot);
  }

  /**
   * Every mail item in the store (drafts being composed included). Calendar items are not mail (Graph
   * keeps them apart, and the workbench mirrors mail only): `calendarItems()` lists them.
   */
  allItems(): SimItemSnapshot[] {
    return [...this.records.values()].filter((r) => !r.appointment).map(snapshot);
  }

  /** The calendar's meetings, earliest start first. */
  calendarItems(): SimItemSnapshot[] {
    return [...this.records.values()]
      .filter((r) => r.appointment)
      .sort((a, b) => Date.parse(a.appointment?.start ?? '') - Date.parse(b.appointment?.start ?? ''))
      .map(snapshot);
  }

  getItem(itemId: string): SimItemSnapshot {
    return snapshot(this.record(itemId));
  }

  findByInternetMessageId(internetMessageId: string): SimItemSnapshot[] {
    return [...this.records.values()].filter((r) => r.internetMessageId === internetMessageId).map(snapshot);
  }

  /** The folder of an item (Office.js has no folder API: this is for the workbench and tests). */
  folderOf(itemId: string): FolderId | null {
    return this.records.get(itemId)?.folder ?? null;
  }

  notificationsOf(itemId: string): NotificationRecord[] {
    return [...this.record(itemId).notifications.values()];
  }

  masterCategoryList(): Office.CategoryDetails[] {
    return this.master.map((c) => ({ ...c }));
  }

  /**
   * The transport header block Exchange keeps for a read item (what `getAllInternetHeadersAsync`
   * answers): '' for mail the user sent (as Outlook) and for compose forms.
   */
  transportHeaders(itemId: string): string {
    const record = this.record(itemId);
    return record.mode === 'read' ? record.rawHeaders : '';
  }

  // -------------------------------------------------------------------------------------------
  // Control API: saving and restoring (the workbench keeps the mailbox across a page reload)

  /**
   * The mailbox as plain JSON (mailboxState.ts): items in their folders (categories, custom properties
   * and notifications included), custom folders, master categories. Forms being composed are left out.
   */
  serialize(): MailboxState {
    return {
      version: MAILBOX_STATE_VERSION,
      counter: this.counter,
      masterCategories: this.masterCategoryList(),
      customFolders: [...this.customFolders],
      conversations: [...this.conversationByThreadKey],
      items: [...this.records.values()].filter((r) => r.mode === 'read').map(recordToJson),
    };
  }

  /**
   * Replaces the whole mailbox with a serialized one (nothing selected); throws SimulatorError, and
   * changes nothing, when `state` is not a state of this version.
   */
  restore(state: unknown): void {
    const checked = checkMailboxState(state);
    const records = checked.items.map(recordFromJson);
    this.records.clear();
    for (const record of records) this.records.set(record.id, record);
    this.customFolders.clear();
    for (const folder of checked.customFolders) this.customFolders.add(folder);
    this.conversationByThreadKey.clear();
    for (const [key, id] of checked.conversations) this.conversationByThreadKey.set(key, id);
    this.master = checked.masterCategories.map((c) => ({ displayName: c.displayName, color: c.color }));
    this.counter = Math.max(this.counter, checked.counter);
    this.selectedId = null;
    this.epoch++;
    this.view = null;
    this.emit({ kind: 'masterCategories' });
    this.emit({ kind: 'items' });
    this.emit({ kind: 'selection', itemId: null });
  }

  // -------------------------------------------------------------------------------------------
  // Control API: user actions

  /**
   * The user selects an item (or nothing). `mailbox.item` changes at once; ItemChanged handlers run
   * on a later task. Resolves after the handlers have been called. Non-persistent notifications of
   * the item left behind are removed, as Outlook does when the user navigates away.
   */
  select(itemId: string | null): Promise<void> {
    if (itemId !== null) this.record(itemId);
    const previous = this.selectedId ? this.records.get(this.selectedId) : undefined;
    if (previous && previous.id !== itemId) this.dropTransientNotifications(previous);
    this.selectedId = itemId;
    this.epoch++;
    this.view = null;
    this.emit({ kind: 'selection', itemId });
    const handlers = [...this.handlers];
    return new Promise((resolve) => {
      this.options.dispatcher.later(() => {
        for (const handler of handlers) handler({ type: EventType.ItemChanged });
        resolve();
      });
    });
  }

  /**
   * A meeting in the user's calendar (folder `calendar`, which Office.js, like Graph's mail folders,
   * does not list among the mail folders). The user organizes it when `organizer` is the user: it then
   * opens in the organizer's compose form, else in the attendee's read form.
   */
  addAppointment(input: NewAppointmentInput): SimItemSnapshot {
    if (!(input.end.getTime() >= input.start.getTime()))
      throw new SimulatorError('A meeting cannot end before it starts.');
    const now = this.options.clock();
    const record: MailRecord = {
      id: this.newItemId(),
      mode: 'read',
      folder: CALENDAR_FOLDER,
      saved: true,
      internetMessageId: null,
      conversationId: null,
      subject: input.subject,
      from: input.organizer,
      sender: input.organizer,
      to: [...(input.requiredAttendees ?? [])],
      cc: [...(input.optionalAttendees ?? [])],
      bcc: [],
      created: now,
      modified: now,
      bodyText: input.bodyText ?? '',
      bodyHtml: null,
      rawHeaders: '',
      inReplyTo: null,
      references: [],
      threadIndex: null,
      threadTopic: null,
      categories: [...(input.categories ?? [])],
      customProperties: structuredCloneJson({ ...(input.customProperties ?? {}) }),
      internetHeaders: new Map(),
      sessionData: new Map(),
      composeKind: null,
      parentId: null,
      notifications: new Map(),
      openedFrom: null,
      appointment: {
        start: input.start.toISOString(),
        end: input.end.toISOString(),
        isAllDayEvent: input.isAllDayEvent ?? false,
        location: input.location ?? '',
      },
    };
    this.records.set(record.id, record);
    this.emit({ kind: 'items', itemId: record.id });
    return snapshot(record);
  }

  /** A new message arrives in a folder (Inbox by default). Returns its snapshot. */
  deliver(input: NewMessageInput, folder: FolderId = 'inbox'): SimItemSnapshot {
    this.ensureFolder(folder);
    const date = input.date ?? this.options.clock();
    const record: MailRecord = {
      id: this.newItemId(),
      mode: 'read',
      folder,
      saved: true,
      internetMessageId: input.internetMessageId ?? this.newInternetMessageId(input.from.emailAddress),
      conversationId: null,
      subject: input.subject,
      from: input.from,
      sender: input.sender ?? input.from,
      to: [...(input.to ?? [])],
      cc: [...(input.cc ?? [])],
      bcc: [...(input.bcc ?? [])],
      created: date,
      modified: date,
      bodyText: input.bodyText ?? '',
      bodyHtml: input.bodyHtml ?? null,
      rawHeaders: '',
      inReplyTo: input.inReplyTo ?? null,
      references: [...(input.references ?? [])],
      threadIndex: input.threadIndex ?? null,
      threadTopic: input.threadTopic === undefined ? normalizeSubject(input.subject) : input.threadTopic,
      categories: [...(input.categories ?? [])],
      customProperties: { ...(input.customProperties ?? {}) },
      internetHeaders: new Map(),
      sessionData: new Map(),
      composeKind: null,
      parentId: null,
      notifications: new Map(),
      openedFrom: null,
    };
    if (input.attachments?.length)
      record.attachments = input.attachments.map((a, i) => ({
        // Attachment ids are EWS-style like item ids: the item's id and the attachment's position.
        id: `${record.id.slice(0, -1)}BEgAQA${String(i).padStart(3, '0')}=`,
        name: a.name,
        contentType: a.contentType ?? 'application/octet-stream',
        kind: a.kind ?? 'file',
        isInline: a.isInline ?? false,
        size: a.size ?? attachmentSize(a),
        content: a.content,
      }));
    record.conversationId = this.conversationFor(record);
    const sentByUser = sameAddress(input.from.emailAddress, this.user.emailAddress);
    record.rawHeaders =
      input.rawHeaders ??
      (folder === 'sentitems' && sentByUser && this.options.sentItemHeaders === 'empty'
        ? ''
        : buildHeaderBlock(record, Object.entries(input.extraHeaders ?? {})));
    this.records.set(record.id, record);
    this.emit({ kind: 'items', itemId: record.id });
    return snapshot(record);
  }

  /**
   * The user starts a new message, or a reply / reply all / forward of a read item. The form gets
   * the threading Outlook gives it (subject prefix, recipients, In-Reply-To, References, the parent's
   * Thread-Index plus one child block, the parent's conversation). Selected by default.
   */
  async openCompose(
    kind: ComposeKind,
    parentId?: string,
    options: OpenComposeOptions = {},
  ): Promise<SimItemSnapshot> {
    const now = this.options.clock();
    const parent = parentId ? this.record(parentId) : null;
    if (kind !== 'newMail' && !parent) throw new SimulatorError(`A ${kind} needs the item it answers.`);
    if (parent && parent.mode !== 'read')
      throw new SimulatorError('Only a read item can be replied to or forwarded.');
    const me = this.userAddress();
    const notMe = (a: SimAddress) => !sameAddress(a.emailAddress, this.user.emailAddress);
    let to: SimAddress[] = [];
    let cc: SimAddress[] = [];
    let subject = '';
    if (parent && (kind === 'reply' || kind === 'replyAll')) {
      const parentFromMe = parent.from ? !notMe(parent.from) : false;
      // Replying to your own sent message goes to its recipients, as Outlook does.
      to = parentFromMe ? [...parent.to] : parent.from ? [parent.from] : [];
      if (kind === 'replyAll') {
        to = dedupe([...to, ...parent.to.filter(notMe)]);
        cc = dedupe(parent.cc.filter(notMe)).filter(
          (a) => !to.some((t) => sameAddress(t.emailAddress, a.emailAddress)),
        );
      }
      subject = replySubject(parent.subject);
    } else if (parent && kind === 'forward') {
      subject = forwardSubject(parent.subject);
    }
    const record: MailRecord = {
      id: this.newItemId(),
      mode: 'compose',
      folder: null,
      saved: false,
      internetMessageId: null,
      conversationId: parent ? parent.conversationId : null,
      subject,
      from: me,
      sender: me,
      to,
      cc,
      bcc: [],
      created: now,
      modified: now,
      bodyText: parent ? quoteBody(parent) : '',
      bodyHtml: null,
      rawHeaders: '',
      inReplyTo: parent ? parent.internetMessageId : null,
      references: parent ? childReferences(parent) : [],
      threadIndex: parent
        ? childThreadIndex(parent.threadIndex, now, this.options.random)
        : newThreadIndex(now, this.options.random),
      threadTopic: parent ? (parent.threadTopic ?? normalizeSubject(parent.subject)) : null,
      categories: [],
      customProperties: {},
      internetHeaders: new Map(),
      sessionData: new Map(),
      composeKind: kind,
      parentId: parent ? parent.id : null,
      notifications: new Map(),
      openedFrom: this.selectedId,
    };
    this.records.set(record.id, record);
    this.emit({ kind: 'items', itemId: record.id });
    if (options.select ?? true) await this.select(record.id);
    return snapshot(record);
  }

  /** The user edits a compose form (typing in the workbench); no Office validation applies. */
  updateCompose(
    itemId: string,
    patch: { subject?: string; to?: SimAddress[]; cc?: SimAddress[]; bcc?: SimAddress[]; bodyText?: string },
  ): SimItemSnapshot {
    const record = this.composeRecord(itemId);
    if (patch.subject !== undefined) record.subject = patch.subject;
    if (patch.to) record.to = [...patch.to];
    if (patch.cc) record.cc = [...patch.cc];
    if (patch.bcc) record.bcc = [...patch.bcc];
    if (patch.bodyText !== undefined) {
      record.bodyText = patch.bodyText;
      record.bodyHtml = null;
    }
    record.modified = this.options.clock();
    this.emit({ kind: 'item', itemId, what: 'compose' });
    return snapshot(record);
  }

  /**
   * Send a compose item WITHOUT launch events (see `OfficeSimulator.trySend` for OnMessageSend).
   * The draft becomes a read item in Sent Items with a NEW item id, a new Message-ID, and the
   * threading fields it was given when opened. Its custom properties and categories stay with it;
   * session data and notifications do not. A copy sent to the user's own address is delivered to
   * the Inbox with the full header block (custom internet headers included). Selection returns to
   * the item the form was opened from when the form was selected.
   */
  async send(itemId: string): Promise<SimItemSnapshot> {
    const draft = this.composeRecord(itemId);
    const recipients = [...draft.to, ...draft.cc, ...draft.bcc];
    if (recipients.length === 0)
      throw new SimulatorError('Outlook does not send a message without recipients.');
    const now = this.options.clock();
    const sent: MailRecord = {
      ...draft,
      id: this.newItemId(),
      mode: 'read',
      folder: 'sentitems',
      saved: true,
      internetMessageId: this.newInternetMessageId(this.user.emailAddress),
      created: now,
      modified: now,
      threadTopic: draft.threadTopic ?? normalizeSubject(draft.subject),
      internetHeaders: new Map(draft.internetHeaders),
      sessionData: new Map(),
      notifications: new Map(),
      categories: [...draft.categories],
      customProperties: { ...draft.customProperties },
      openedFrom: null,
    };
    sent.conversationId = draft.conversationId ?? this.conversationFor(sent);
    const fullHeaders = buildHeaderBlock(sent, sent.internetHeaders);
    sent.rawHeaders = this.options.sentItemHeaders === 'full' ? fullHeaders : '';
    this.records.delete(draft.id);
    this.records.set(sent.id, sent);
    if (recipients.some((r) => sameAddress(r.emailAddress, this.user.emailAddress))) {
      this.deliver({
        subject: sent.subject,
        from: sent.from ?? this.userAddress(),
        to: sent.to,
        cc: sent.cc,
        date: now,
        internetMessageId: sent.internetMessageId ?? undefined,
        inReplyTo: sent.inReplyTo,
        references: sent.references,
        threadIndex: sent.threadIndex,
        threadTopic: sent.threadTopic,
        bodyText: sent.bodyText,
        bodyHtml: sent.bodyHtml,
        rawHeaders: fullHeaders,
      });
    }
    this.emit({ kind: 'items', itemId: sent.id });
    if (this.selectedId === draft.id) {
      const back = draft.openedFrom && this.records.has(draft.openedFrom) ? draft.openedFrom : null;
      await this.select(back);
    }
    return snapshot(sent);
  }

  /** The user discards a compose form. */
  async discard(itemId: string): Promise<void> {
    const draft = this.composeRecord(itemId);
    this.records.delete(itemId);
    this.emit({ kind: 'items' });
    if (this.selectedId === itemId)
      await this.select(draft.openedFrom && this.records.has(draft.openedFrom) ? draft.openedFrom : null);
  }

  /**
   * Move an item to another folder. Like Exchange, the item gets a NEW EWS item id (ids are not
   * stable across moves); the new snapshot is returned. A selected item is deselected.
   */
  async move(itemId: string, folder: FolderId): Promise<SimItemSnapshot> {
    const record = this.record(itemId);
    if (record.mode !== 'read') throw new SimulatorError('Only saved read items can be moved.');
    this.ensureFolder(folder);
    const wasSelected = this.selectedId === itemId;
    this.records.delete(itemId);
    record.id = this.newItemId();
    record.folder = folder;
    this.records.set(record.id, record);
    this.emit({ kind: 'items', itemId: record.id });
    if (wasSelected) await this.select(null);
    return snapshot(record);
  }

  /** Delete = move to Deleted Items. */
  delete(itemId: string): Promise<SimItemSnapshot> {
    return this.move(itemId, 'deleteditems');
  }

  /** The user dismisses a notification in the info bar. */
  dismissNotification(itemId: string, key: string): void {
    const record = this.record(itemId);
    if (record.notifications.delete(key)) this.emit({ kind: 'item', itemId, what: 'notifications' });
  }

  /** The user (or an admin) edits the master category list directly. */
  setMasterCategories(categories: readonly Office.CategoryDetails[]): void {
    this.master = categories.map((c) => ({ ...c }));
    this.emit({ kind: 'masterCategories' });
  }

  /**
   * The user categorizes an item in Outlook's UI, or another client of the mailbox does (Graph): the
   * item keeps its id, and nothing happens when the categories are already these.
   */
  setItemCategories(itemId: string, categories: readonly string[]): void {
    const record = this.record(itemId);
    if (sameList(record.categories, categories)) return;
    record.categories = [...categories];
    this.emit({ kind: 'item', itemId, what: 'categories' });
  }

  /**
   * Another client of the mailbox (Graph, through the `cecp-` named property) replaces this add-in's
   * saved custom properties. Like Outlook, a CustomProperties object the add-in loaded earlier keeps
   * its copy; the next `loadCustomPropertiesAsync` reads these. Nothing happens when they are equal.
   * Throws SimulatorError for a compose form that was never saved (Exchange holds nothing for it yet).
   */
  setCustomProperties(itemId: string, properties: Readonly<Record<string, unknown>>): void {
    const record = this.record(itemId);
    if (record.mode === 'compose' && !record.saved)
      throw new SimulatorError(`Item ${itemId} is an unsaved compose form.`);
    const next = JSON.parse(JSON.stringify(properties)) as Record<string, unknown>;
    if (JSON.stringify(next) === JSON.stringify(record.customProperties)) return;
    record.customProperties = next;
    this.emit({ kind: 'item', itemId, what: 'customProperties' });
  }

  // -------------------------------------------------------------------------------------------
  // Internals

  private record(itemId: string): MailRecord {
    const record = this.records.get(itemId);
    if (!record) throw new SimulatorError(`No item with id ${itemId}.`);
    return record;
  }

  private composeRecord(itemId: string): MailRecord {
    const record = this.record(itemId);
    if (record.mode !== 'compose') throw new SimulatorError(`Item ${itemId} is not a compose item.`);
    return record;
  }

  private ensureFolder(folder: FolderId): void {
    if (!(WELL_KNOWN_FOLDERS as readonly string[]).includes(folder)) this.customFolders.add(folder);
  }

  private emit(change: SimChange): void {
    for (const listener of this.listeners) listener(change);
  }

  private userAddress(): SimAddress {
    return {
      emailAddress: this.user.emailAddress,
      displayName: this.user.displayName,
      recipientType: 'user',
    };
  }

  private recipientType(address: string): string {
    return domainOf(address) === domainOf(this.user.emailAddress)
      ? MailboxEnums.RecipientType.User
      : MailboxEnums.RecipientType.ExternalUser;
  }

  private dropTransientNotifications(record: MailRecord): void {
    let changed = false;
    for (const [key, n] of record.notifications) {
      if (!(n.type === MailboxEnums.ItemNotificationMessageType.InformationalMessage && n.persistent)) {
        record.notifications.delete(key);
        changed = true;
      }
    }
    if (changed) this.emit({ kind: 'item', itemId: record.id, what: 'notifications' });
  }

  /** An EWS-format id: base64 that contains `+` and `/`, so forgetting convertToRestId shows. */
  private newItemId(): string {
    const bytes = new Uint8Array(36);
    const n = ++this.counter;
    bytes[0] = (n >> 16) & 0xff;
    bytes[1] = (n >> 8) & 0xff;
    bytes[2] = n & 0xff;
    bytes.set([0xfb, 0xef, 0xbf], 3);
    for (let i = 6; i < bytes.length; i++) bytes[i] = this.options.random.byte();
    return `AAMkAGI2${bytesToBase64(bytes)}AAA=`;
  }

  private newConversationId(): string {
    const bytes = new Uint8Array(24);
    bytes.set([0xfb, 0xef, 0xbf]);
    for (let i = 3; i < bytes.length; i++) bytes[i] = this.options.random.byte();
    return `AAQkAGI2${bytesToBase64(bytes)}`;
  }

  private newInternetMessageId(fromAddress: string): string {
    const own = domainOf(fromAddress) === domainOf(this.user.emailAddress);
    const host = own
      ? `${this.options.random.hex(4).toUpperCase()}PR11MB${this.options.random.hex(4).toUpperCase()}.namprd11.prod.outlook.com`
      : domainOf(fromAddress) || 'example.com';
    return `<${this.options.random.hex(32).toUpperCase()}@${host}>`;
  }

  /**
   * Exchange's conversation grouping: the same Thread-Index header (first 22 bytes), else a known
   * message this one answers (In-Reply-To/References), else a new conversation.
   */
  private conversationFor(record: MailRecord): string {
    let threadKey: string | null = null;
    if (record.threadIndex) {
      try {
        const bytes = base64ToBytes(record.threadIndex);
        if (bytes.length >= THREAD_INDEX_HEADER_BYTES)
          threadKey = bytesToBase64(bytes.subarray(0, THREAD_INDEX_HEADER_BYTES));
      } catch {
        threadKey = null;
      }
    }
    let id = threadKey ? this.conversationByThreadKey.get(threadKey) : undefined;
    if (!id) {
      const ancestors = new Set([...(record.inReplyTo ? [record.inReplyTo] : []), ...record.references]);
      for (const other of this.records.values()) {
        if (other.conversationId && other.internetMessageId && ancestors.has(other.internetMessageId)) {
          id = other.conversationId;
          break;
        }
      }
    }
    id ??= this.newConversationId();
    if (threadKey && !this.conversationByThreadKey.has(threadKey))
      this.conversationByThreadKey.set(threadKey, id);
    return id;
  }

  private viewEnv(recordId: string, epoch: number): ViewEnv {
    const masterStore: MasterCategoryStore = {
      list: () => this.masterCategoryList(),
      find: (name) => this.master.find((c) => c.displayName.toLowerCase() === name.toLowerCase()),
    };
    return {
      dispatcher: this.options.dispatcher,
      permission: this.options.permission,
      masterCategories: masterStore,
      emptyCategoriesAsNull: this.options.emptyCategoriesAsNull,
      supports: this.options.supports,
      userAddress: this.userAddress(),
      recipientType: (address) => this.recipientType(address),
      resolve: (): Outcome<MailRecord> => {
        const record = this.records.get(recordId);
        if (this.epoch !== epoch || !record) return fail(OutlookErrors.APICallFailedDueToItemChange);
        return ok(record);
      },
      changed: (record, what) => {
        record.modified = record.mode === 'compose' ? this.options.clock() : record.modified;
        this.emit({ kind: 'item', itemId: record.id, what });
      },
      saveDraft: (record) => {
        record.saved = true;
        record.folder = 'drafts';
        this.emit({ kind: 'items', itemId: record.id });
        return record.id;
      },
    };
  }

  private currentItem():
    Office.MessageRead | Office.MessageCompose | Office.AppointmentRead | Office.AppointmentCompose | null {
    if (this.selectedId === null) return null;
    const record = this.records.get(this.selectedId);
    if (!record) return null;
    if (this.view && this.view.epoch === this.epoch) return this.view.item;
    const env = this.viewEnv(record.id, this.epoch);
    const item = record.appointment
      ? createAppointmentItem(env, record)
      : record.mode === 'compose'
        ? createComposeItem(env, record)
        : createReadItem(env, record);
    this.view = { epoch: this.epoch, item };
    return item;
  }

  private buildSurface(): Office.Mailbox {
    const o = this.options;
    const surface: Record<string, unknown> = {
      userProfile: Object.freeze({
        emailAddress: this.user.emailAddress,
        displayName: this.user.displayName,
        timeZone: this.user.timeZone ?? 'Pacific Standard Time',
        accountType: MailboxEnums.UserProfileType.Enterprise,
      }),
      diagnostics: Object.freeze({ hostName: o.hostName, hostVersion: o.hostVersion, OWAView: o.owaView }),
      ewsUrl: 'https://outlook.office365.com/EWS/Exchange.asmx',
      restUrl: 'https://outlook.office.com/api',
    };
    Object.defineProperty(surface, 'item', { get: () => this.currentItem(), enumerable: true });
    if (o.supports('1.3')) {
      surface.convertToRestId = (id: string, restVersion: string) => {
        if (typeof id !== 'string') throw argumentTypeError('itemId', typeof id, 'string');
        if (restVersion !== 'v1.0' && restVersion !== 'v2.0' && restVersion !== 'beta')
          throw argumentError('restVersion');
        return restIdOf(id);
      };
      surface.convertToEwsId = (id: string, restVersion: string) => {
        if (typeof id !== 'string') throw argumentTypeError('itemId', typeof id, 'string');
        if (restVersion !== 'v1.0' && restVersion !== 'v2.0' && restVersion !== 'beta')
          throw argumentError('restVersion');
        return ewsIdOf(id);
      };
    }
    if (o.supports('1.5')) {
      surface.addHandlerAsync = (eventType: unknown, handler: unknown, ...args: unknown[]) => {
        const common = parseCommonArgs<void>(args, false);
        if (typeof handler !== 'function') throw argumentTypeError('handler', typeof handler, 'function');
        o.dispatcher.complete(common, () => {
          if (eventType !== EventType.ItemChanged) return fail(OutlookErrors.EventRegistrationError);
          this.handlers.add(handler as ItemChangedHandler);
          return ok(undefined);
        });
      };
      surface.removeHandlerAsync = (eventType: unknown, ...args: unknown[]) => {
        const common = parseCommonArgs<void>(args, false);
        o.dispatcher.complete(common, () => {
          if (eventType !== EventType.ItemChanged) return fail(OutlookErrors.EventRegistrationError);
          this.handlers.clear();
          return ok(undefined);
        });
      };
    }
    if (o.supports('1.8')) surface.masterCategories = this.masterCategoriesSurface();
    return surface as unknown as Office.Mailbox;
  }

  private masterCategoriesSurface(): Office.MasterCategories {
    const o = this.options;
    const check = (namespace: string) => {
      if (o.permission < Permission.ReadWriteMailbox) throw permissionError(namespace);
    };
    return {
      getAsync: (...args: unknown[]) => {
        check('masterCategories.getAsync');
        const common = parseCommonArgs<Office.CategoryDetails[]>(args, true);
        o.dispatcher.complete(common, () => ok(this.masterCategoryList()));
      },
      addAsync: (categories: unknown, ...args: unknown[]) => {
        check('masterCategories.addAsync');
        const common = parseCommonArgs<void>(args, false);
        const wanted = validateCategoryDetailsArray(categories);
        o.dispatcher.complete(common, () => {
          const names = new Set<string>();
          for (const c of wanted) {
            const key = c.displayName.toLowerCase();
            if (names.has(key) || this.master.some((m) => m.displayName.toLowerCase() === key)) {
              return fail(OutlookErrors.DuplicateCategory);
            }
            names.add(key);
          }
          this.master.push(...wanted.map((c) => ({ displayName: c.displayName, color: c.color })));
          this.emit({ kind: 'masterCategories' });
          return ok(undefined);
        });
      },
      removeAsync: (categories: unknown, ...args: unknown[]) => {
        check('masterCategories.removeAsync');
        const common = parseCommonArgs<void>(args, false);
        validateCategoryArray(categories);
        const names = categories.map((c) => c.toLowerCase());
        o.dispatcher.complete(common, () => {
          this.master = this.master.filter((m) => !names.includes(m.displayName.toLowerCase()));
          this.emit({ kind: 'masterCategories' });
          return ok(undefined);
        });
      },
    } as unknown as Office.MasterCategories;
  }
}

/** Outlook's validateCategoryDetailsArray (throws on bad input). */
function validateCategoryDetailsArray(value: unknown): Office.CategoryDetails[] {
  if (!value) throw argumentError('categoryDetails');
  if (!Array.isArray(value)) throw argumentTypeError('categoryDetails', typeof value, 'object');
  if (value.length === 0) throw argumentError('categoryDetails');
  for (const details of value as { color?: unknown; displayName?: unknown }[]) {
    if (!details || !details.color || !details.displayName) throw argumentError('categoryDetails');
    if (typeof details.color !== 'string')
      throw argumentTypeError('categoryDetails.color', typeof details.color, 'string');
    if (typeof details.displayName !== 'string') {
      throw argumentTypeError('categoryDetails.displayName', typeof details.displayName, 'string');
    }
    if (details.displayName.length > LIMITS.categoryNameLength) {
      throw argumentOutOfRangeError('categoryDetails.displayName', details.displayName.length);
    }
    if (!CATEGORY_COLORS.includes(details.color)) throw argumentError('categoryDetails.color');
  }
  return value as Office.CategoryDetails[];
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function dedupe(list: SimAddress[]): SimAddress[] {
  const out: SimAddress[] = [];
  for (const a of list) if (!out.some((b) => sameAddress(a.emailAddress, b.emailAddress))) out.push(a);
  return out;
}

function quoteBody(parent: MailRecord): string {
  const from = parent.from ? `${parent.from.displayName} <${parent.from.emailAddress}>` : '';
  const original = parent.bodyText || '';
  return `\n\n________________________________\nFrom: ${from}\nSent: ${parent.created.toUTCString()}\nSubject: ${parent.subject}\n\n${original}`;
}

/** Bytes of an attachment: base64 decoded for a file, UTF-8 for an item's `.eml`, 0 for a link. */
function attachmentSize(a: NewAttachmentInput): number {
  const kind = a.kind ?? 'file';
  if (kind === 'cloud') return 0;
  if (kind === 'item') return new TextEncoder().encode(a.content).length;
  const text = a.content.replace(/\s+/g, '');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.floor((text.length * 3) / 4) - padding;
}
