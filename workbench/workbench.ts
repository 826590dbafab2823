/**
 * The workbench: a plain Outlook-like page around the REAL add-in, on the Outlook simulator with the
 * demo mailbox, against the CRM emulator. One simulator lives here (window.__TIC_SIM__); the add-in's
 * pages run in iframes whose windows get this simulator's `Office` before their bundle loads:
 *
 * - workbench/pane-host.html      the task pane (taskpane.js), with window.__TIC_HOST__.folderLookup and
 *                                 .graphUrl (the Graph emulator the background check reads);
 * - workbench/commands-host.html  hidden: commands.js (the ribbon command AND the event handlers, one
 *                                 bundle, as commands.html loads it in Outlook) registers them with
 *                                 Office.actions.associate, so the button and the launch events run the
 *                                 real handlers;
 * - workbench/regarding.html      the Set Regarding dialog, in a modal, whose Office.context.ui.messageParent
 *                                 reaches the simulator's open dialog.
 *
 * Each host page is the add-in's own page (same markup) without office.js from the CDN, plus one inline
 * script that calls `parent.__TIC_WORKBENCH__.attach(window, role)` (see webpack.config.js).
 *
 * One mailbox, two views: a GraphMirror (graphMirror.ts) keeps this simulator and the Graph emulator
 * (`?graph=URL`, else the build's TIC_GRAPH_URL, else the local one; `?graph=none` mirrors nothing) in
 * step, so what the background check writes through Graph shows in the list and what happens here
 * (new mail, categories, the pane's tag) is in Graph's next delta. The header says whether it is.
 *
 * Everything the email says (subject, names, addresses, body) is untrusted: it is set as text, never HTML.
 */
import {
  CALENDAR_FOLDER,
  createOfficeSimulator,
  deliverNewMail,
  loadDemoCalendar,
  loadDemoMailbox,
  seededRandom,
  webStorage,
  type DemoItemKey,
  type FolderId,
  type NotificationRecord,
  type OfficeSimulator,
  type OpenDialog,
  type SimAddress,
  type SimItemSnapshot,
} from '../simulator';
import { ADDIN_ID } from '../src/host/addinId';
import { connectionFor, LOCAL_GRAPH_URL } from '../src/host/connection';
import { RoamingStore } from '../src/mailbox/roamingStore';
import { GraphMirror, type MirrorState } from './graphMirror';
import { mountOutlookItems, type OutlookItemsView } from './outlookItems';

type FrameRole = 'pane' | 'commands' | 'dialog';

interface WorkbenchApi {
  attach(win: Window, role: FrameRole): void;
}

declare global {
  interface Window {
    __TIC_SIM__?: OfficeSimulator;
    __TIC_DEMO_IDS__?: Record<DemoItemKey, string>;
    __TIC_WORKBENCH__?: WorkbenchApi;
    /** Resolves once the command runtime has registered its functions. */
    __TIC_WORKBENCH_READY__?: Promise<void>;
  }
}

const PANE_OPEN_KEY = 'workbench:paneOpen';
const THEME_KEY = 'workbench:theme';
/** The mailbox (simulator state + the demo item ids), kept across reloads; "Reset demo" clears it. */
export const MAILBOX_KEY = 'workbench:mailbox';
/** Version of what is under MAILBOX_KEY (the simulator's state carries its own version too). */
const SAVED_MAILBOX_VERSION = 1;
/** Characters of JSON at most (localStorage holds about 5 MB a site): a bigger mailbox is not kept. */
export const MAILBOX_LIMIT = 2_000_000;
const TRACKED_CATEGORY_PREFIX = 'Tracked to CRM';
/** The Graph change feed's sequence the mirror pulled last, so a reload misses no Graph write. */
const GRAPH_CURSOR_KEY = 'workbench:graphCursor';
/** The Graph emulator of this build (`npm start` sets TIC_GRAPH_URL from TIC_GRAPH_PORT). */
const DEFAULT_GRAPH_URL = process.env.TIC_GRAPH_URL || LOCAL_GRAPH_URL;

// ---------------------------------------------------------------------------------------------
// Tiny DOM helpers (text only)

type Attrs = Record<string, string | boolean | number | undefined | null>;
type Child = Node | string | null | undefined | false;

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') el.textContent = String(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child);
  }
  return el;
}

function button(label: string, onClick: () => void, attrs: Attrs = {}): HTMLButtonElement {
  const el = h('button', { type: 'button', ...attrs }, label);
  el.addEventListener('click', onClick);
  return el;
}

const formatAddress = (a: SimAddress | null): string =>
  !a
    ? ''
    : a.displayName && a.displayName !== a.emailAddress
      ? `${a.displayName} <${a.emailAddress}>`
      : a.emailAddress;

const formatList = (list: readonly SimAddress[]): string => list.map(formatAddress).join('; ');

/** "Ann Lee <ann@fabrikam.com>; bob@fabrikam.com" → addresses (anything without an @ is dropped). */
export function parseAddressList(text: string): SimAddress[] {
  return text
    .split(/[;,]/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const angle = /^(.*)<([^>]+)>$/.exec(part);
      const emailAddress = (angle ? angle[2] : part)?.trim() ?? '';
      const displayName = (angle ? angle[1] : '')?.trim().replace(/^"|"$/g, '') || emailAddress;
      return { emailAddress, displayName };
    })
    .filter((a) => /^[^@\s]+@[^@\s]+$/.test(a.emailAddress));
}

const formatDate = (iso: string): string =>
  new Date(iso).toLocaleString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
  }) + ' UTC';

function categoryChips(categories: readonly string[]): HTMLElement | null {
  if (categories.length === 0) return null;
  return h(
    'ul',
    { class: 'chips', 'aria-label': 'Categories' },
    ...categories.map((c) =>
      h(
        'li',
        {
          class: `chip ${c === TRACKED_CATEGORY_PREFIX ? '' : c.startsWith(TRACKED_CATEGORY_PREFIX) ? 'warn' : 'other'}`,
          'data-testid': 'category',
        },
        c,
      ),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// The simulator and the add-in's frames

async function start(root: HTMLElement): Promise<void> {
  const params = new URL(window.location.href).searchParams;
  const theme = window.localStorage.getItem(THEME_KEY) === 'dark' ? 'dark' : 'light';
  // The whole workbench follows Outlook's theme (workbench.html's [data-theme] colours), not only the pane.
  document.documentElement.dataset.theme = theme;
  const sim = createOfficeSimulator({
    storage: webStorage(window.localStorage),
    // Outlook's theme as Office.context.officeTheme reports it; the pane follows it when it starts.
    theme,
    // ?lang=de-DE: Outlook's display language, which the pane, dialog and notifications follow.
    displayLanguage: params.get('lang') || 'en-US',
    addinOrigin: window.location.origin,
    // The commands may wait for a dialog; Outlook would give up after about 5 minutes.
    launchEventTimeoutMs: 300_000,
  });
  const restored = restoreMailbox(sim);
  const ids = restored.ids ?? loadDemoMailbox(sim.mailbox);
  // A mailbox saved before the workbench had a calendar gets the demo meetings; a saved one keeps its own.
  if (sim.mailbox.calendarItems().length === 0) loadDemoCalendar(sim.mailbox);
  // The roaming store below (src/mailbox) reads the global Office, as the add-in's pages do.
  sim.install(window);
  window.__TIC_SIM__ = sim;
  window.__TIC_DEMO_IDS__ = ids;

  // The CRM: ?crm=URL (saved in roaming settings, as the pane's Connection tab would), else what is saved,
  // else the build's default (the local emulator).
  const wantedGraph = params.get('graph');
  const graphUrl = wantedGraph === 'none' ? null : (wantedGraph || DEFAULT_GRAPH_URL).replace(/\/+$/, '');

  const roaming = new RoamingStore(sim.Office.context.roamingSettings);
  const wanted = params.get('crm');
  if (wanted && roaming.read().crmUrl !== wanted) await roaming.update((s) => ({ ...s, crmUrl: wanted }));

  const dialogOffice = {
    onReady(callback?: (info: { host: string; platform: string }) => void) {
      const info = { host: 'Outlook', platform: 'OfficeOnline' };
      return new Promise((resolve) =>
        setTimeout(() => {
          callback?.(info);
          resolve(info);
        }, 0),
      );
    },
    context: {
      ui: {
        messageParent: (message: string) => sim.dialogs.current?.messageParent(String(message)),
      },
      requirements: sim.Office.context.requirements,
      // The dialog follows Outlook's theme as the pane does.
      officeTheme: sim.Office.context.officeTheme,
      // And its display language (the admin page, opened as a dialog, reads it as the pane does).
      displayLanguage: sim.Office.context.displayLanguage,
    },
  };

  let markCommandsReady: () => void = () => undefined;
  window.__TIC_WORKBENCH_READY__ = new Promise<void>((resolve) => (markCommandsReady = resolve));

  window.__TIC_WORKBENCH__ = {
    attach(win: Window, role: FrameRole) {
      const target = win as unknown as Record<string, unknown>;
      if (role === 'dialog') {
        target.Office = dialogOffice;
        return;
      }
      target.Office = sim.Office;
      if (role === 'pane') {
        target.__TIC_HOST__ = {
          folderLookup: (itemId: string) => Promise.resolve(sim.mailbox.folderOf(itemId)),
          // null with ?graph=none: the pane then knows there is no Graph to read the mailbox from.
          graphUrl,
        };
      }
    },
  };

  const ui = new Workbench(root, sim, () => connectionFor(roaming.read().crmUrl).crmUrl);
  ui.mount();
  if (restored.problem) ui.say(restored.problem);
  keepMailbox(sim, ids, (text) => ui.say(text));
  if (graphUrl) {
    const saved = Number(window.localStorage.getItem(GRAPH_CURSOR_KEY));
    const mirror = new GraphMirror({
      mailbox: sim.mailbox,
      graphUrl,
      addinId: ADDIN_ID,
      since: Number.isInteger(saved) && saved > 0 ? saved : null,
      onCursor: (seq) => {
        if (!resetting) window.localStorage.setItem(GRAPH_CURSOR_KEY, String(seq));
      },
      onState: (state) => ui.graphState(graphUrl, state),
    });
    mirror.start();
    ui.addOutlookItems(graphUrl);
  } else ui.graphState(null, null);

  const commandsFrame = h('iframe', {
    class: 'hidden-runtime',
    title: 'Track in CRM command runtime',
    'aria-hidden': 'true',
    tabindex: '-1',
    src: 'workbench/commands-host.html',
  });
  commandsFrame.addEventListener('load', () => {
    if (sim.actions.names().includes('trackInCrm')) markCommandsReady();
    else ui.say('The add-in commands did not load (commands.js): the ribbon button cannot run.');
  });
  document.body.append(commandsFrame);
  await window.__TIC_WORKBENCH_READY__;
  ui.commandsReady();
}

// ---------------------------------------------------------------------------------------------
// The mailbox across reloads (localStorage, MAILBOX_KEY)

interface SavedMailbox {
  readonly version: number;
  readonly ids: Record<DemoItemKey, string>;
  readonly mailbox: unknown;
}

/** Set by "Reset demo": nothing may be saved again while the page unloads. */
let resetting = false;

/** The saved mailbox put back into `sim` (its demo ids), or nothing saved / unreadable (a problem to say). */
function restoreMailbox(sim: OfficeSimulator): { ids: Record<DemoItemKey, string> | null; problem?: string } {
  const text = window.localStorage.getItem(MAILBOX_KEY);
  if (!text) return { ids: null };
  try {
    const saved = JSON.parse(text) as SavedMailbox;
    if (saved?.version !== SAVED_MAILBOX_VERSION || typeof saved.ids !== 'object' || !saved.ids)
      throw new Error(
        `version ${String(saved?.version)}, this workbench keeps version ${SAVED_MAILBOX_VERSION}`,
      );
    sim.mailbox.restore(saved.mailbox);
    return { ids: saved.ids };
  } catch (error) {
    window.localStorage.removeItem(MAILBOX_KEY);
    return {
      ids: null,
      problem: `The saved mailbox could not be read (${(error as Error).message}): the demo mailbox is loaded.`,
    };
  }
}

/** Saves the mailbox shortly after each change and when the page is left; bounded by MAILBOX_LIMIT. */
function keepMailbox(
  sim: OfficeSimulator,
  ids: Record<DemoItemKey, string>,
  say: (text: string) => void,
): void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let warned = false;
  const save = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (resetting) return;
    const saved: SavedMailbox = { version: SAVED_MAILBOX_VERSION, ids, mailbox: sim.mailbox.serialize() };
    const text = JSON.stringify(saved);
    let problem: string | null = null;
    if (text.length > MAILBOX_LIMIT) {
      problem = `The mailbox is too large to keep (${Math.round(text.length / 1000)} kB of ${MAILBOX_LIMIT / 1000} kB): changes from now on are lost on reload.`;
    } else {
      try {
        window.localStorage.setItem(MAILBOX_KEY, text);
        warned = false;
      } catch (error) {
        problem = `The mailbox could not be saved in the browser (${(error as Error).message}): changes are lost on reload.`;
      }
    }
    if (problem) {
      window.localStorage.removeItem(MAILBOX_KEY);
      if (!warned) say(problem);
      warned = true;
    }
    document.body.dataset.mailboxSaved = String(Date.now());
  };
  sim.mailbox.onChange((change) => {
    if (change.kind === 'selection' || resetting) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 200);
  });
  window.addEventListener('pagehide', save);
  save();
}

// ---------------------------------------------------------------------------------------------
// The page

class Workbench {
  private folder: FolderId = 'inbox';
  private readonly els: {
    folders: HTMLElement;
    list: HTMLElement;
    reading: HTMLElement;
    drafts: HTMLElement;
    status: HTMLElement;
    graph: HTMLElement;
    pane: HTMLElement;
    paneButton: HTMLButtonElement | null;
    modal: HTMLElement;
    modalFrame: HTMLIFrameElement;
  };
  private paneFrame: HTMLIFrameElement | null = null;
  private layout: HTMLElement | null = null;
  private top: HTMLElement | null = null;
  private focusBeforeDialog: HTMLElement | null = null;
  private paneOpen: boolean;
  private trackRunning = false;
  private commandsLoaded = false;
  /** The compose form currently shown (its draft id), so typing is not re-rendered away. */
  private composeShown: string | null = null;
  private smartAlert: { itemId: string; message: string; canSendAnyway: boolean } | null = null;
  private renderQueued = false;

  constructor(
    private readonly root: HTMLElement,
    private readonly sim: OfficeSimulator,
    private readonly crmUrl: () => string,
  ) {
    this.paneOpen = window.localStorage.getItem(PANE_OPEN_KEY) !== 'false';
    const modalFrame = h('iframe', { title: 'Set Regarding' });
    this.els = {
      folders: h('nav', { class: 'folders', 'aria-label': 'Folders' }),
      list: h('section', { class: 'list', 'aria-label': 'Messages' }),
      reading: h('div', { class: 'reading-content' }),
      drafts: h('div', { class: 'drafts', hidden: true }),
      status: h('div', { class: 'status-line', role: 'status', 'aria-live': 'polite' }),
      graph: h('span', { class: 'graph-state', 'data-testid': 'graph-state' }, 'Graph: connecting…'),
      pane: h('aside', { class: 'pane', 'aria-label': 'Track in CRM pane' }),
      paneButton: null,
      modal: h('div', { class: 'modal-backdrop', hidden: true }),
      modalFrame,
    };
  }

  mount(): void {
    const { sim } = this;
    const top = h(
      'header',
      { class: 'top' },
      h('h1', {}, 'Outlook workbench · Track in CRM'),
      h('span', { class: 'who', 'data-testid': 'crm-url' }, `Dana Park · CRM ${this.crmUrl()}`),
      this.els.graph,
      button('Deliver new mail', () => this.deliverNewMail(), {
        title:
          'Mail arrives as from a mail server: replies to tracked threads, an unknown sender, a known contact, and one message in two folders.',
      }),
      this.themePicker(),
      button(
        'Reset demo',
        () => {
          resetting = true;
          window.localStorage.clear();
          window.location.reload();
        },
        {
          title:
            "Clears the workbench's saved mailbox and settings and reloads the demo mailbox. The CRM emulator keeps its data (delete .data/crm.sqlite and restart npm start to reset it).",
        },
      ),
    );
    const main = h('main', { class: 'reading', 'aria-label': 'Reading pane' });
    main.append(this.els.reading, this.els.drafts);

    const paneHeader = h(
      'header',
      {},
      h('h2', {}, 'Track in CRM'),
      button('Close', () => this.togglePane(false), { 'aria-label': 'Close Track in CRM' }),
    );
    this.els.pane.append(paneHeader);

    const modalClose = button('Close', () => this.sim.dialogs.current?.closeByUser(), {
      'aria-label': 'Close the dialog',
    });
    this.els.modal.append(
      h(
        'div',
        { class: 'modal', role: 'dialog', 'aria-modal': 'true', 'aria-label': 'Track in CRM dialog' },
        h('header', {}, h('h2', {}, 'Track in CRM'), modalClose),
        this.els.modalFrame,
      ),
    );

    this.layout = h('div', { class: 'layout' }, this.els.folders, this.els.list, main, this.els.pane);
    this.top = top;
    this.root.replaceChildren(top, this.layout, this.els.modal);
    // Escape closes the dialog as its X would (the dialog's own page gets the key first when focused).
    this.els.modal.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.sim.dialogs.current?.closeByUser();
    });
    this.els.modalFrame.addEventListener('load', () => {
      if (!this.els.modal.hidden) this.els.modalFrame.contentWindow?.focus();
    });
    this.root.style.display = 'contents';

    sim.mailbox.onChange(() => this.queueRender());
    sim.dialogs.onChange((dialog) => this.showDialog(dialog));
    this.render();
    if (this.paneOpen) this.togglePane(true);
    else this.els.pane.hidden = true;
  }

  /**
   * "Contacts, calendar, tasks": the mailbox's Outlook contacts, events and To Do tasks as the Graph
   * emulator holds them (outlookItems.ts), in a dialog over the workbench, so what synchronization
   * copies, links and changes can be seen and provoked by hand. Read only while it is open.
   */
  addOutlookItems(graphUrl: string): void {
    const body = h('div', {});
    let view: OutlookItemsView | null = null;
    const dialog = h(
      'dialog',
      { class: 'outlook-items-dialog', 'aria-label': 'Outlook contacts, calendar and tasks' },
      h(
        'header',
        {},
        h('h2', {}, 'Outlook contacts, calendar and tasks (Graph)'),
        button('Close', () => dialog.close(), { 'aria-label': 'Close contacts, calendar and tasks' }),
      ),
      body,
    );
    dialog.addEventListener('close', () => {
      view?.stop();
      view = null;
    });
    const open = button(
      'Contacts, calendar, tasks',
      () => {
        dialog.showModal();
        view = mountOutlookItems(body, graphUrl);
      },
      {
        'data-testid': 'open-outlook-items',
        title: 'The Outlook contacts, calendar and To Do tasks synchronization keeps in step with the CRM.',
      },
    );
    this.top?.append(open);
    document.body.append(dialog);
  }

  private themePicker(): HTMLElement {
    const select = h('select', { 'aria-label': 'Outlook theme' });
    for (const [value, label] of [
      ['light', 'Light theme'],
      ['dark', 'Dark theme'],
    ]) {
      const option = h('option', { value: value as string }, label as string);
      option.selected = (window.localStorage.getItem(THEME_KEY) ?? 'light') === value;
      select.append(option);
    }
    // Office's theme is read when the add-in starts: changing it reloads the workbench (settings are kept).
    select.addEventListener('change', () => {
      window.localStorage.setItem(THEME_KEY, select.value);
      window.location.reload();
    });
    return select;
  }

  commandsReady(): void {
    this.commandsLoaded = true;
    document.body.dataset.workbench = 'ready';
    this.render();
  }

  say(text: string): void {
    this.els.status.textContent = text;
  }

  /** The mirror's state in plain words (null url: mirroring is off). */
  graphState(url: string | null, state: MirrorState | null): void {
    const el = this.els.graph;
    const origin = url ? new URL(url).host : '';
    el.dataset.state = state?.status ?? 'off';
    if (!url || !state) el.textContent = 'Graph: not mirrored (?graph=none)';
    else if (state.status === 'connected')
      el.textContent = `Graph emulator connected (${origin}): one mailbox`;
    else if (state.status === 'unreachable') el.textContent = `Graph emulator not running (${origin})`;
    else el.textContent = `Graph: connecting to ${origin}…`;
    el.title = state?.status === 'unreachable' ? state.reason : '';
  }

  private deliverNewMail(): void {
    const now = new Date();
    const delivered = deliverNewMail(this.sim.mailbox, now, seededRandom(now.getTime() >>> 0));
    const inbox = delivered.filter((d) => d.item.folder === 'inbox').length;
    this.say(
      `${delivered.length} new messages arrived: ${inbox} in the Inbox, ${delivered.length - inbox} in other folders.`,
    );
  }

  private queueRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    queueMicrotask(() => {
      this.renderQueued = false;
      this.render();
    });
  }

  // -------------------------------------------------------------------------------------------
  // Rendering

  private render(): void {
    this.renderFolders();
    this.renderList();
    this.renderReading();
    this.renderDrafts();
  }

  private renderFolders(): void {
    // The calendar is not a mail folder (Office.js, Graph): listed after them, as Outlook's module switch is.
    const folders = [
      ...this.sim.mailbox.folders(),
      { id: CALENDAR_FOLDER, displayName: 'Calendar', count: this.sim.mailbox.calendarItems().length },
    ];
    this.els.folders.replaceChildren(
      h('h2', {}, 'dana@contoso.com'),
      h(
        'ul',
        {},
        ...folders.map((f) => {
          const b = button(
            '',
            () => {
              this.folder = f.id;
              this.render();
            },
            { 'aria-current': f.id === this.folder ? 'true' : undefined, 'data-folder': f.id },
          );
          b.append(
            h('span', {}, f.displayName),
            h('span', { class: 'count', 'aria-label': `${f.count} items` }, String(f.count)),
          );
          return h('li', {}, b);
        }),
      ),
    );
  }

  private renderList(): void {
    const calendar = this.folder === CALENDAR_FOLDER;
    const items = calendar ? this.sim.mailbox.calendarItems() : this.sim.mailbox.listFolder(this.folder);
    const selected = this.sim.mailbox.selectedItemId;
    const folderName = calendar
      ? 'Calendar'
      : (this.sim.mailbox.folders().find((f) => f.id === this.folder)?.displayName ?? String(this.folder));
    this.els.list.replaceChildren(
      h('h2', {}, folderName),
      items.length === 0
        ? h('p', { class: 'empty' }, 'Nothing in this folder.')
        : h(
            'ul',
            {},
            ...items.map((item) => {
              const b = button('', () => void this.select(item.id), {
                class: 'message',
                'aria-current': item.id === selected ? 'true' : undefined,
                'data-item-id': item.id,
              });
              b.append(
                h('span', { class: 'from' }, item.mode === 'compose' ? '[Draft]' : listFrom(item)),
                h('span', { class: 'subject' }, item.subject || '(no subject)'),
                h('span', { class: 'date' }, item.appointment ? formatWhen(item) : formatDate(item.date)),
                categoryChips(item.categories) ?? '',
              );
              return h('li', {}, b);
            }),
          ),
    );
  }

  private currentItem(): SimItemSnapshot | null {
    const id = this.sim.mailbox.selectedItemId;
    if (!id) return null;
    try {
      return this.sim.mailbox.getItem(id);
    } catch {
      return null;
    }
  }

  private renderReading(): void {
    const item = this.currentItem();
    if (item && item.mode === 'compose' && this.composeShown === item.id) {
      this.refreshCompose(item);
      return;
    }
    this.composeShown = null;
    const ribbon = this.ribbon(item);
    const notices = item ? this.notificationBar(item) : null;
    let content: HTMLElement;
    if (!item) {
      content = h('p', { class: 'empty' }, 'Select an email to read it.');
    } else if (item.appointment) {
      content = meetingView(item, this.sim.mailbox.user.emailAddress);
    } else if (item.mode === 'compose') {
      content = this.composeForm(item);
      this.composeShown = item.id;
    } else {
      content = h(
        'article',
        { class: 'email', 'aria-label': 'Email', 'data-item-id': item.id },
        h('h2', { 'data-testid': 'subject' }, item.subject || '(no subject)'),
        h(
          'dl',
          { class: 'headers' },
          h('dt', {}, 'From'),
          h('dd', { 'data-testid': 'from' }, formatAddress(item.from)),
          h('dt', {}, 'To'),
          h('dd', { 'data-testid': 'to' }, formatList(item.to)),
          item.cc.length ? h('dt', {}, 'Cc') : null,
          item.cc.length ? h('dd', { 'data-testid': 'cc' }, formatList(item.cc)) : null,
          h('dt', {}, 'Date'),
          h('dd', {}, formatDate(item.date)),
        ),
        categoryChips(item.categories) ?? '',
        h('div', { class: 'body', 'data-testid': 'body' }, item.bodyText),
      );
    }
    this.els.reading.replaceChildren(ribbon, this.els.status, notices ?? '', content);
  }

  private ribbon(item: SimItemSnapshot | null): HTMLElement {
    // A meeting is neither replied to nor moved among mail folders here: those stay for mail.
    const read = item?.mode === 'read' && !item.appointment ? item : null;
    const compose = (kind: 'reply' | 'replyAll' | 'forward' | 'newMail') => () =>
      void this.openCompose(kind, read?.id);
    const track = button('Track in CRM', () => void this.track(), {
      class: 'addin',
      disabled: !item || this.trackRunning || !this.commandsLoaded,
      'aria-busy': this.trackRunning ? 'true' : undefined,
    });
    const open = button('Open Track in CRM', () => this.togglePane(!this.paneOpen), {
      class: 'addin',
      'aria-pressed': this.paneOpen ? 'true' : 'false',
    });
    this.els.paneButton = open;
    const move = h('select', { 'aria-label': 'Move to folder', disabled: !read });
    move.append(
      h('option', { value: '' }, 'Move to…'),
      ...this.sim.mailbox
        .folders()
        .filter((f) => f.id !== read?.folder)
        .map((f) => h('option', { value: String(f.id) }, f.displayName)),
    );
    move.addEventListener('change', () => {
      if (read && move.value) void this.run(() => this.sim.mailbox.move(read.id, move.value), 'Moved.');
    });
    return h(
      'div',
      { class: 'ribbon', role: 'toolbar', 'aria-label': 'Message ribbon' },
      button('New email', compose('newMail')),
      button('Reply', compose('reply'), { disabled: !read }),
      button('Reply all', compose('replyAll'), { disabled: !read }),
      button('Forward', compose('forward'), { disabled: !read }),
      move,
      h('span', { class: 'sep', 'aria-hidden': 'true' }),
      track,
      open,
    );
  }

  private notificationBar(item: SimItemSnapshot): HTMLElement | null {
    const list: readonly NotificationRecord[] = item.notifications;
    if (list.length === 0) return null;
    return h(
      'ul',
      { class: 'notifications', 'aria-label': 'Notifications', 'data-testid': 'notifications' },
      ...list.map((n) =>
        h(
          'li',
          {
            class: /error/i.test(n.type) ? 'error' : /progress/i.test(n.type) ? 'progress' : '',
            'data-testid': 'notification',
            'data-key': n.key,
          },
          h('span', {}, n.message),
          button('Dismiss', () => this.sim.mailbox.dismissNotification(item.id, n.key), {
            'aria-label': `Dismiss: ${n.message}`,
          }),
        ),
      ),
    );
  }

  private renderDrafts(): void {
    const drafts = this.sim.mailbox.allItems().filter((i) => i.mode === 'compose');
    const selected = this.sim.mailbox.selectedItemId;
    this.els.drafts.hidden = drafts.length === 0;
    this.els.drafts.replaceChildren(
      h('h2', {}, 'Open drafts'),
      ...drafts.map((d) =>
        button(d.subject || '(no subject)', () => void this.select(d.id), {
          'aria-current': d.id === selected ? 'true' : undefined,
          'data-draft-id': d.id,
        }),
      ),
    );
  }

  // -------------------------------------------------------------------------------------------
  // Compose

  private composeForm(item: SimItemSnapshot): HTMLElement {
    const field = (label: string, name: string, value: string) =>
      h(
        'label',
        {},
        h('span', {}, label),
        h('input', { name, value, autocomplete: 'off', 'data-field': name }),
      );
    const body = h('textarea', { name: 'body', 'aria-label': 'Message body', 'data-field': 'body' });
    body.value = item.bodyText;
    const form = h(
      'form',
      { class: 'compose', 'aria-label': 'New message', 'data-item-id': item.id },
      field('To', 'to', formatList(item.to)),
      field('Cc', 'cc', formatList(item.cc)),
      field('Subject', 'subject', item.subject),
      body,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', class: 'primary' }, 'Send'),
        button('Discard', () => void this.run(() => this.sim.mailbox.discard(item.id), 'Draft discarded.')),
      ),
    );
    form.addEventListener('input', () => this.saveCompose(form, item.id));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.saveCompose(form, item.id);
      void this.send(item.id);
    });
    const wrapper = h('div', { 'data-testid': 'compose' }, this.smartAlertBox(item.id) ?? '', form);
    return wrapper;
  }

  /** The add-in may change the subject (a tracking token) while the form is open: show it. */
  private refreshCompose(item: SimItemSnapshot): void {
    const form = this.els.reading.querySelector('form.compose');
    if (!form) return;
    const set = (name: string, value: string) => {
      const el = form.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[data-field="${name}"]`);
      if (el && document.activeElement !== el && el.value !== value) el.value = value;
    };
    set('to', formatList(item.to));
    set('cc', formatList(item.cc));
    set('subject', item.subject);
    set('body', item.bodyText);
    const bar = this.els.reading.querySelector('.notifications');
    const fresh = this.notificationBar(item);
    if (bar && fresh) bar.replaceWith(fresh);
    else if (bar) bar.remove();
    else if (fresh) this.els.status.after(fresh);
    const alert = this.els.reading.querySelector('.smart-alert');
    const freshAlert = this.smartAlertBox(item.id);
    if (alert && freshAlert) alert.replaceWith(freshAlert);
    else if (alert) alert.remove();
    else if (freshAlert) form.before(freshAlert);
    this.renderRibbonOnly(item);
  }

  private renderRibbonOnly(item: SimItemSnapshot | null): void {
    const old = this.els.reading.querySelector('.ribbon');
    if (old) old.replaceWith(this.ribbon(item));
  }

  private saveCompose(form: HTMLFormElement, itemId: string): void {
    const value = (name: string) =>
      form.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[data-field="${name}"]`)?.value ?? '';
    try {
      this.sim.mailbox.updateCompose(itemId, {
        to: parseAddressList(value('to')),
        cc: parseAddressList(value('cc')),
        subject: value('subject'),
        bodyText: value('body'),
      });
    } catch {
      // The draft is gone (sent or discarded).
    }
  }

  private smartAlertBox(itemId: string): HTMLElement | null {
    const alert = this.smartAlert;
    if (!alert || alert.itemId !== itemId) return null;
    return h(
      'div',
      { class: 'smart-alert', role: 'alert', 'data-testid': 'smart-alert' },
      h('p', {}, alert.message),
      h(
        'div',
        { class: 'actions' },
        alert.canSendAnyway
          ? button('Send anyway', () => {
              this.smartAlert = null;
              void this.run(() => this.sim.mailbox.send(itemId), 'Sent.');
            })
          : null,
        button("Don't send", () => {
          this.smartAlert = null;
          this.render();
        }),
      ),
    );
  }

  private async openCompose(kind: 'reply' | 'replyAll' | 'forward' | 'newMail', parentId?: string) {
    try {
      const draft = await this.sim.mailbox.openCompose(kind, kind === 'newMail' ? undefined : parentId);
      this.say('Track in CRM is looking at the new message…');
      const outcome = await this.sim.fireLaunchEvent('OnNewMessageCompose', draft.id);
      this.say(outcome.status === 'completed' ? '' : `OnNewMessageCompose: ${outcome.status}.`);
    } catch (error) {
      this.say(`Could not open the message: ${(error as Error).message}`);
    }
  }

  private async send(itemId: string): Promise<void> {
    this.say('Sending…');
    try {
      const { event, sent } = await this.sim.trySend(itemId);
      if (sent) {
        this.smartAlert = null;
        this.say(`Sent: "${sent.subject}" is in Sent Items.`);
      } else {
        this.smartAlert = {
          itemId,
          message: event.dialogMessage ?? 'The message was not sent.',
          canSendAnyway: event.userCanSendAnyway,
        };
        this.say('Not sent.');
      }
    } catch (error) {
      this.say(`Not sent: ${(error as Error).message}`);
    }
    this.render();
  }

  // -------------------------------------------------------------------------------------------
  // Actions

  private async select(itemId: string): Promise<void> {
    this.smartAlert = null;
    await this.sim.mailbox.select(itemId);
  }

  private async run(action: () => Promise<unknown>, done: string): Promise<void> {
    try {
      await action();
      this.say(done);
    } catch (error) {
      this.say((error as Error).message);
    }
  }

  private async track(): Promise<void> {
    if (this.trackRunning) return;
    this.trackRunning = true;
    this.say('Track in CRM is working…');
    this.renderRibbonOnly(this.currentItem());
    try {
      const outcome = await this.sim.runFunctionCommand('trackInCrm');
      this.say(outcome.status === 'completed' ? '' : `Track in CRM: ${outcome.status}.`);
    } finally {
      this.trackRunning = false;
      this.render();
    }
  }

  private togglePane(open: boolean): void {
    this.paneOpen = open;
    window.localStorage.setItem(PANE_OPEN_KEY, String(open));
    this.els.pane.hidden = !open;
    // The pane stays loaded once opened (as a pinned pane): closing hides it.
    if (open && !this.paneFrame) {
      this.paneFrame = h('iframe', {
        title: 'Track in CRM',
        src: 'workbench/pane-host.html',
        'data-testid': 'pane-frame',
      });
      this.els.pane.append(this.paneFrame);
    }
    this.els.paneButton?.setAttribute('aria-pressed', open ? 'true' : 'false');
  }

  private showDialog(dialog: OpenDialog | null): void {
    const background = [this.layout, this.top];
    if (!dialog) {
      this.els.modal.hidden = true;
      this.els.modalFrame.removeAttribute('src');
      for (const el of background) el?.removeAttribute('inert');
      this.focusBeforeDialog?.focus();
      this.focusBeforeDialog = null;
      return;
    }
    // Modal: the page behind cannot be reached until the dialog closes.
    this.focusBeforeDialog = document.activeElement as HTMLElement | null;
    for (const el of background) el?.setAttribute('inert', '');
    // The add-in asks for its own page (e.g. /workbench/regarding.html or /regarding.html): the workbench
    // serves the copy under /workbench/ that takes Office from this page.
    const url = new URL(dialog.url);
    if (!url.pathname.startsWith('/workbench/')) url.pathname = `/workbench${url.pathname}`;
    this.els.modalFrame.src = url.toString();
    this.els.modal.hidden = false;
  }
}

/** A meeting's time: its day for an all-day event, else its start and end. */
function formatWhen(item: SimItemSnapshot): string {
  const meeting = item.appointment;
  if (!meeting) return formatDate(item.date);
  if (meeting.isAllDayEvent)
    return `${new Date(meeting.start).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' })} (all day)`;
  return `${formatDate(meeting.start)} – ${new Date(meeting.end).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' })}`;
}

/** A meeting as Outlook's reading pane shows it (the organizer's own form is read-only here: chosen). */
function meetingView(item: SimItemSnapshot, user: string): HTMLElement {
  const organizer = item.from?.emailAddress.toLowerCase() === user.toLowerCase();
  return h(
    'article',
    { class: 'email meeting', 'aria-label': 'Meeting', 'data-item-id': item.id },
    h('h2', { 'data-testid': 'subject' }, item.subject || '(no subject)'),
    h(
      'p',
      { class: 'meeting-role', 'data-testid': 'meeting-role' },
      organizer ? 'You are the organizer.' : 'You are invited.',
    ),
    h(
      'dl',
      { class: 'headers' },
      h('dt', {}, 'When'),
      h('dd', { 'data-testid': 'when' }, formatWhen(item)),
      h('dt', {}, 'Where'),
      h('dd', { 'data-testid': 'location' }, item.appointment?.location || '—'),
      h('dt', {}, 'Organizer'),
      h('dd', { 'data-testid': 'organizer' }, formatAddress(item.from)),
      h('dt', {}, 'Required'),
      h('dd', { 'data-testid': 'required' }, formatList(item.to)),
      item.cc.length ? h('dt', {}, 'Optional') : null,
      item.cc.length ? h('dd', { 'data-testid': 'optional' }, formatList(item.cc)) : null,
    ),
    categoryChips(item.categories) ?? '',
    h('div', { class: 'body', 'data-testid': 'body' }, item.bodyText),
  );
}

function listFrom(item: SimItemSnapshot): string {
  if (item.appointment) return item.from?.displayName || item.from?.emailAddress || '(no organizer)';
  if (item.folder === 'sentitems' || item.folder === 'drafts') return `To: ${formatList(item.to)}`;
  return item.from?.displayName || item.from?.emailAddress || '(unknown sender)';
}

const root = document.getElementById('app');
if (root) {
  start(root).catch((error: unknown) => {
    const p = document.createElement('p');
    p.className = 'empty';
    p.textContent = `The workbench could not start: ${error instanceof Error ? error.message : String(error)}`;
    root.replaceChildren(p);
  });
}
