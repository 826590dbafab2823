/**
 * One mailbox, two views: keeps the Outlook simulator (what Office.js shows the pane) and the Graph
 * emulator (what the background check reads through Graph) in step, over the emulator's control plane
 * (emulator/graph/controlPlane.ts). Pure TypeScript over `fetch`: the workbench runs it in the page,
 * tests run it in Node.
 *
 * - Simulator → Graph: every saved item, under the id Office's `convertToRestId(id, 'v2.0')` gives, in
 *   its folder, with its headers, threading, recipients, categories and this add-in's custom properties
 *   as the `cecp-<add-in id>` named property. The whole mailbox is sent on each push; the emulator
 *   changes only what differs, so an unchanged item keeps its changeKey and stays out of deltas.
 * - Graph → simulator: what clients changed through Graph (categories, the `cecp-` property, new master
 *   categories) is pulled from the change feed and applied to the simulator item, keeping its id.
 *   Applying it makes the simulator report a change, which is pushed, and which the emulator finds
 *   equal: nothing goes back (no ping-pong).
 *
 * Each round pulls before it pushes, and a push names the feed sequence it has applied: a Graph write
 * the mirror has not pulled yet keeps its categories and properties in the emulator (Graph wins a race
 * with the simulator) and comes to the simulator with the next pull. Moves and deletions made through
 * Graph are not mirrored (the add-in makes none). One workbench page at a time: two would each remove
 * the other's new mail.
 */
import type {
  ChangedMessage,
  ControlCategory,
  ControlHeader,
  MailboxChanges,
  MailboxSyncResult,
  MirroredMessage,
} from '../emulator/graph/controlPlane';
import { CONTROL_CHANGES_PATH, CONTROL_MAILBOX_PATH } from '../emulator/graph/controlPlane';
import type { SimMailbox } from '../simulator/mailbox';
import { ewsIdOf, restIdOf } from '../simulator/ids';
import type { SimAddress, SimItemSnapshot } from '../simulator/model';
import { customPropertiesId, samePropertyId } from '../src/graph/properties';

export type MirrorState =
  | { readonly status: 'starting' }
  | { readonly status: 'connected'; readonly at: string }
  | { readonly status: 'unreachable'; readonly reason: string };

export interface GraphMirrorOptions {
  readonly mailbox: SimMailbox;
  /** The emulator's Graph URL (`http://localhost:5556/v1.0`); the control plane is at its origin. */
  readonly graphUrl: string;
  /** The manifest's `<Id>`: names the `cecp-` property. */
  readonly addinId: string;
  /** The change feed's sequence pulled last (kept by the caller across reloads); null: start from now. */
  readonly since?: number | null;
  readonly onCursor?: (seq: number) => void;
  readonly onState?: (state: MirrorState) => void;
  readonly fetch?: typeof fetch;
  /** How often `start()` pulls; default 1.5 s. */
  readonly pollMs?: number;
  /** A push waits this long after a simulator change, so a burst of changes is one push. */
  readonly debounceMs?: number;
}

/** `name: value` fields of a raw header block, continuation lines unfolded. */
export function headerFields(block: string): ControlHeader[] {
  const fields: ControlHeader[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line === '') continue;
    const last = fields[fields.length - 1];
    if (/^[ \t]/.test(line) && last) {
      const more = line.trim();
      fields[fields.length - 1] = { name: last.name, value: last.value ? `${last.value} ${more}` : more };
      continue;
    }
    const colon = line.indexOf(':');
    if (colon > 0) fields.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  return fields;
}

const recipient = (a: SimAddress) => ({ name: a.displayName, address: a.emailAddress });

/** Office.js spells colours `Preset4` and `None`; Graph `preset4` and `none`. */
const graphColor = (office: string): string => office.toLowerCase();
const officeColor = (graph: string): string =>
  graph === 'none' ? 'None' : graph.replace(/^preset/, 'Preset');

export class GraphMirror {
  private readonly tagId: string;
  private readonly root: string;
  private readonly fetch: typeof fetch;
  private since: number | null;
  private dirty = true;
  private queue: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setInterval> | null = null;
  private debounce: ReturnType<typeof setTimeout> | null = null;
  private unsubscribe: (() => void) | null = null;
  private state: MirrorState = { status: 'starting' };

  constructor(private readonly options: GraphMirrorOptions) {
    this.tagId = customPropertiesId(options.addinId);
    this.root = new URL(options.graphUrl).origin;
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.since = options.since ?? null;
    // Changes are noted from the start, so a round run by hand (tests) pushes them too.
    this.unsubscribe = options.mailbox.onChange((change) => {
      if (change.kind === 'selection') return;
      this.dirty = true;
      if (!this.timer) return;
      if (this.debounce) clearTimeout(this.debounce);
      this.debounce = setTimeout(() => void this.sync(), this.options.debounceMs ?? 150);
    });
  }

  get current(): MirrorState {
    return this.state;
  }

  /** Mirrors from now on: a first round at once, a pull every `pollMs`, a push after each change. */
  start(): void {
    if (this.timer) return;
    const poll = this.options.pollMs ?? 1500;
    let skipped = 0;
    this.timer = setInterval(() => {
      // While the emulator is down, ask a fifth as often: each refused request is a line in the console.
      if (this.state.status === 'unreachable' && ++skipped % 5 !== 0) return;
      void this.sync();
    }, poll);
    void this.sync();
  }

  /** Stops the rounds and stops listening to the simulator; the mirror is not used again. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.debounce) clearTimeout(this.debounce);
    this.unsubscribe?.();
    this.timer = null;
    this.debounce = null;
    this.unsubscribe = null;
  }

  /**
   * One round, after any round still running: pull Graph's changes into the simulator, then push the
   * simulator when it changed since the last push. Never throws: a failure is the state `unreachable`.
   */
  sync(): Promise<void> {
    this.queue = this.queue.then(async () => {
      try {
        await this.pull();
        if (this.dirty) await this.push();
        this.setState({ status: 'connected', at: new Date().toISOString() });
      } catch (error) {
        // Whatever failed is pushed whole once the emulator answers again.
        this.dirty = true;
        this.setState({ status: 'unreachable', reason: (error as Error).message });
      }
    });
    return this.queue;
  }

  /** Applies what clients changed through Graph since the last pull; answers how many items changed. */
  async pull(): Promise<number> {
    const query = this.since === null ? '' : `?since=${this.since}`;
    const feed = (await this.request('GET', `${CONTROL_CHANGES_PATH}${query}`)) as MailboxChanges;
    let applied = 0;
    if (this.since !== null && feed.seq >= this.since) {
      for (const change of feed.changes) if (this.apply(change)) applied += 1;
    }
    this.addMasterCategories(feed.masterCategories);
    // A smaller sequence is a new emulator database: start over from its present.
    this.since = feed.seq;
    this.options.onCursor?.(feed.seq);
    return applied;
  }

  /** Sends the whole mailbox; the emulator changes only what differs. */
  async push(): Promise<MailboxSyncResult> {
    this.dirty = false;
    const { mailbox } = this.options;
    const messages = mailbox
      .allItems()
      .filter((item) => item.mode === 'read' || item.folder === 'drafts')
      .map((item) => this.message(item));
    const masterCategories: ControlCategory[] = mailbox
      .masterCategoryList()
      .map((c) => ({ displayName: c.displayName, color: graphColor(String(c.color)) }));
    return (await this.request('PUT', CONTROL_MAILBOX_PATH, {
      messages,
      folders: mailbox.folders().map((f) => String(f.id)),
      masterCategories,
      since: this.since,
    })) as MailboxSyncResult;
  }

  private message(item: SimItemSnapshot): MirroredMessage {
    const custom = item.customProperties;
    return {
      id: restIdOf(item.id),
      folder: String(item.folder),
      subject: item.subject,
      body: item.bodyText,
      from: item.from ? recipient(item.from) : null,
      to: item.to.map(recipient),
      cc: item.cc.map(recipient),
      receivedDateTime: item.date,
      internetMessageId: item.internetMessageId,
      inReplyTo: item.inReplyTo,
      references: item.references,
      threadIndex: item.threadIndex,
      conversationId: item.conversationId ?? '',
      isDraft: item.mode === 'compose',
      categories: item.categories,
      headers: item.mode === 'read' ? headerFields(this.options.mailbox.transportHeaders(item.id)) : [],
      extendedProperties: { [this.tagId]: Object.keys(custom).length ? JSON.stringify(custom) : null },
    };
  }

  /** One Graph change onto the simulator item of the same id; false when the simulator has no such item. */
  private apply(change: ChangedMessage): boolean {
    const { mailbox } = this.options;
    const itemId = ewsIdOf(change.id);
    try {
      mailbox.getItem(itemId);
    } catch {
      return false;
    }
    mailbox.setItemCategories(itemId, change.categories);
    const entry = Object.entries(change.extendedProperties).find(([id]) => samePropertyId(id, this.tagId));
    if (entry) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(entry[1]);
      } catch {
        parsed = null;
      }
      // Outlook would read a value that is not a JSON object as no properties; the simulator keeps its own.
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        mailbox.setCustomProperties(itemId, parsed as Record<string, unknown>);
    }
    return true;
  }

  private addMasterCategories(graphList: readonly ControlCategory[]): void {
    const { mailbox } = this.options;
    const current = mailbox.masterCategoryList();
    const missing = graphList.filter(
      (g) => !current.some((c) => c.displayName.toLowerCase() === g.displayName.toLowerCase()),
    );
    if (missing.length === 0) return;
    mailbox.setMasterCategories([
      ...current,
      ...missing.map(
        (g) =>
          ({
            displayName: g.displayName,
            color: officeColor(g.color),
          }) as unknown as Office.CategoryDetails,
      ),
    ]);
  }

  private async request(method: 'GET' | 'PUT', path: string, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await this.fetch(`${this.root}${path}`, {
        method,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new Error(`the Graph emulator is not running at ${this.root} (${(error as Error).message})`, {
        cause: error,
      });
    }
    const text = await response.text();
    if (!response.ok) {
      let detail = text.slice(0, 200);
      try {
        detail = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? detail;
      } catch {
        // not JSON: the text as it came
      }
      throw new Error(`the Graph emulator at ${this.root} answered ${response.status}: ${detail}`);
    }
    return JSON.parse(text) as unknown;
  }

  private setState(state: MirrorState): void {
    const changed =
      state.status !== this.state.status ||
      (state.status === 'unreachable' &&
        this.state.status === 'unreachable' &&
        state.reason !== this.state.reason);
    this.state = state;
    if (changed || state.status === 'connected') this.options.onState?.(state);
  }
}
