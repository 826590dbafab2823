/**
 * Fakes for the background check's unit tests: a mailbox behind MailboxGraphPort in memory (deltas by
 * a change counter, writes that give a new changeKey and show up in the next delta, scripted
 * failures), a timer the test fires by hand, and a runner wired to the harness's session.
 */
import { createBackgroundCheck, type BackgroundCheck, type Timer } from '../../../src/app/backgroundCheck';
import { EMPTY_BACKGROUND_STATE, type BackgroundState } from '../../../src/app/backgroundState';
import type { DiagnosticsLog } from '../../../src/app/ports';
import type { Session } from '../../../src/app/session';
import type { FolderMappingRow } from '../../../src/crm/folderMappingPort';
import { GraphNotFoundError } from '../../../src/graph/errors';
import {
  folderName,
  type FolderChanges,
  type FolderChangesOptions,
  type GraphFolder,
  type GraphItem,
  type ItemReadOutcome,
  type ItemUpdate,
  type ItemUpdateOutcome,
  type MailboxGraphPort,
  type MasterCategory,
} from '../../../src/graph/port';
import type { EmailFacts } from '../../../src/rules/types';
import { USER_EMAIL } from '../../support/fakes';

interface Stored {
  item: GraphItem;
  folder: string;
  version: number;
}

export class FakeGraph implements MailboxGraphPort {
  private readonly items = new Map<string, Stored>();
  private version = 0;
  private serial = 0;
  readonly calls: { method: string; args: unknown[] }[] = [];
  /** method → errors thrown by its next calls, in order. */
  readonly failures = new Map<string, unknown[]>();
  /** itemIds whose next write fails with this error. */
  readonly failWrites = new Map<string, unknown>();
  readonly categories: MasterCategory[] = [];
  /** Items the next delta gives as Graph gives a read-state change: id only, no facts. */
  readonly readStateOnly = new Set<string>();
  /** When set, a delta call gives at most this many items, then `complete: false` (maxPages). */
  pageItems: number | null = null;
  /** The options of each folderChanges call. */
  readonly options: unknown[] = [];
  /** Resolves the next folderChanges only when the test says (one cycle at a time). */
  hold: Promise<void> | null = null;

  private record(method: string, args: unknown[]): void {
    this.calls.push({ method, args });
    const failure = this.failures.get(method)?.shift();
    if (failure !== undefined) throw failure;
  }

  count(method: string): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  deliver(facts: Partial<EmailFacts> = {}, folder = 'inbox', extra: Partial<GraphItem> = {}): GraphItem {
    this.serial += 1;
    const itemId = `g-${this.serial}`;
    const item: GraphItem = {
      itemId,
      changeKey: `ck-${itemId}-0`,
      isDraft: false,
      categories: [],
      tag: null,
      customProperties: {},
      body: `Body of ${itemId}`,
      facts: {
        messageId: `<m-${itemId}@fabrikam.com>`,
        subject: `Quote ${this.serial}`,
        direction: 'incoming',
        folder,
        from: { address: 'ann@fabrikam.com', name: 'Ann Lee' },
        to: [{ address: USER_EMAIL, name: 'Dana Park' }],
        cc: [],
        bcc: [],
        inReplyTo: null,
        references: [],
        threadIndex: null,
        receivedAt: '2026-03-01T08:00:00.000Z',
        composeType: null,
        ...facts,
      },
      ...extra,
    };
    this.version += 1;
    this.items.set(itemId, { item, folder, version: this.version });
    return item;
  }

  /** The item's read state changed: a new version, given by the next delta as facts-less. */
  markRead(itemId: string): void {
    this.version += 1;
    (this.items.get(itemId) as Stored).version = this.version;
    this.readStateOnly.add(itemId);
  }

  item(itemId: string): GraphItem {
    return (this.items.get(itemId) as Stored).item;
  }

  async folderChanges(
    folder: GraphFolder,
    watermark: string | null,
    options?: FolderChangesOptions,
  ): Promise<FolderChanges> {
    this.record('folderChanges', [folder, watermark]);
    this.options.push(options);
    if (this.hold) await this.hold;
    const since = watermark === null ? 0 : Number(watermark);
    const name = folderName(folder).toLowerCase();
    const changed = [...this.items.values()]
      .filter((s) => s.folder.toLowerCase() === name && s.version > since)
      .sort((a, b) => a.version - b.version);
    const page = this.pageItems === null ? changed : changed.slice(0, this.pageItems);
    const complete = page.length === changed.length;
    return {
      items: page.map((s) =>
        this.readStateOnly.delete(s.item.itemId)
          ? readStateEntry(s.item.itemId, folderName(folder))
          : { ...s.item, facts: { ...s.item.facts, folder: folderName(folder) } },
      ),
      removed: [],
      watermark: complete ? String(this.version) : String((page[page.length - 1] as Stored).version),
      complete,
      restarted: false,
      unreadable: [],
    };
  }

  async readFacts(folder: GraphFolder, itemIds: readonly string[]): Promise<ItemReadOutcome[]> {
    this.record('readFacts', [folder, itemIds]);
    return itemIds.map((itemId) => {
      const stored = this.items.get(itemId);
      return stored
        ? { itemId, ok: true, item: stored.item }
        : {
            itemId,
            ok: false,
            error: new GraphNotFoundError('gone', {
              status: 404,
              code: null,
              requestId: null,
              request: null,
            }),
          };
    });
  }

  async setCategories(): Promise<string> {
    throw new Error('the background check writes through updateItems');
  }

  async writeTag(): Promise<string> {
    throw new Error('the background check writes through updateItems');
  }

  async updateItems(updates: readonly ItemUpdate[]): Promise<ItemUpdateOutcome[]> {
    this.record('updateItems', [updates]);
    return updates.map((u): ItemUpdateOutcome => {
      const failure = this.failWrites.get(u.itemId);
      if (failure) {
        this.failWrites.delete(u.itemId);
        return { itemId: u.itemId, ok: false, error: failure as never };
      }
      const stored = this.items.get(u.itemId) as Stored;
      this.version += 1;
      const changeKey = `ck-${u.itemId}-${this.version}`;
      stored.item = {
        ...stored.item,
        changeKey,
        ...(u.categories ? { categories: [...u.categories] } : {}),
        ...(u.tag !== undefined ? { tag: u.tag } : {}),
      };
      stored.version = this.version;
      return { itemId: u.itemId, ok: true, changeKey };
    });
  }

  async masterCategories(): Promise<MasterCategory[]> {
    return [...this.categories];
  }

  async ensureCategory(name: string, color: string): Promise<void> {
    this.record('ensureCategory', [name, color]);
    if (!this.categories.some((c) => c.displayName === name))
      this.categories.push({ displayName: name, color });
  }
}

/** What Graph's delta gives for a read-state change: {id, isRead, parentFolderId}, so no facts. */
function readStateEntry(itemId: string, folder: string): GraphItem {
  return {
    itemId,
    changeKey: '',
    isDraft: false,
    categories: [],
    tag: null,
    customProperties: {},
    body: null,
    facts: {
      messageId: null,
      subject: '',
      direction: 'incoming',
      folder,
      from: null,
      to: [],
      cc: [],
      bcc: [],
      inReplyTo: null,
      references: [],
      threadIndex: null,
      receivedAt: null,
      composeType: null,
    },
  };
}

export class ManualTimer implements Timer {
  private next = 1;
  readonly timers = new Map<number, { callback: () => void; ms: number }>();
  setTimeout(callback: () => void, ms: number): number {
    const id = this.next++;
    this.timers.set(id, { callback, ms });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  /** The delays of the timers set and not yet fired or cleared. */
  delays(): number[] {
    return [...this.timers.values()].map((t) => t.ms);
  }
  fireAll(): void {
    const due = [...this.timers.entries()];
    this.timers.clear();
    for (const [, t] of due) t.callback();
  }
}

/** The session with neither tracking (promotion off) nor tagging: background-check.md §1.1 runs no cycle. */
export function withNothingToDo(session: Session | null): Session {
  const s = session as Session;
  return {
    ...s,
    settings: {
      ...s.settings,
      organization: { ...s.settings.organization, promoteIncomingEmail: false },
      client: { ...s.settings.client, automaticEmailTagging: false },
    },
  };
}

export interface Runner {
  readonly check: BackgroundCheck;
  readonly graph: FakeGraph;
  readonly timer: ManualTimer;
  readonly logged: string[];
  state: BackgroundState;
  session: Session | null;
  mappings: FolderMappingRow[];
  /** When set, reading the folder mappings fails with it. */
  mappingsFailure: unknown;
  /** Fires the timer and waits for the cycle (and any cycle asked for during it). */
  tick(): Promise<void>;
}

export function runner(
  session: Session | null,
  clock: { now(): number },
  graph = new FakeGraph(),
  state: BackgroundState = EMPTY_BACKGROUND_STATE,
  /** The log the check writes to; by default one that keeps the messages in `logged`. */
  log?: DiagnosticsLog,
): Runner {
  const timer = new ManualTimer();
  const logged: string[] = [];
  const r: Omit<Runner, 'check' | 'tick'> = {
    graph,
    timer,
    logged,
    state,
    session,
    mappings: [],
    mappingsFailure: null,
  };
  const check = createBackgroundCheck({
    session: () => r.session,
    graph,
    store: {
      load: async () => r.state,
      save: async (next) => {
        r.state = next;
      },
    },
    folderMappings: async () => {
      if (r.mappingsFailure) throw r.mappingsFailure;
      return r.mappings;
    },
    outlookItemId: (id) => `ews-${id}`,
    clock,
    timer,
    log: log ?? { log: (message) => logged.push(message) },
  });
  return Object.assign(r, {
    check,
    tick: async () => {
      timer.fireAll();
      await check.settled();
    },
  }) as Runner;
}
