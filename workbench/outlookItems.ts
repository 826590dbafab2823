/**
 * The workbench's view of the mailbox's Outlook contacts, calendar and To Do tasks, read and changed
 * through the Graph emulator (emulator/graph, README "Contacts, events, To Do"), so a synchronization
 * can be watched and provoked by hand: which items carry a link to a CRM record, edits the sync must
 * carry over, deletions, new contacts, and "Track in CRM" on a contact (what Outlook's button does:
 * the `tic-crm-link` property with `tracked` true, src/graph/syncPort.ts).
 *
 * Two parts: `OutlookItemsClient`, plain `fetch` over Graph's own endpoints (tests run it in Node
 * against the emulator), and `mountOutlookItems`, the DOM view over it. Text from the mailbox is set
 * with textContent or as input values, never as markup. Elements carry stable `data-testid`s; a row
 * also carries `data-id` (the Graph id).
 *
 * The emulator takes any bearer token; the page sends a fixed one (chosen). Events are read in the
 * window from a week ago to 60 days ahead (chosen: what a synchronization's first round looks at is
 * the runner's business; this view shows the near calendar).
 */

/** The property the add-in links an Outlook contact or event to its CRM record with (syncPort.ts). */
export const CRM_LINK_PROPERTY_ID = 'String {00020329-0000-0000-C000-000000000046} Name tic-crm-link';
/** The linkedResource's applicationName that links a To Do task to its CRM record (syncPort.ts). */
export const CRM_LINK_APPLICATION = 'Track in CRM';

export const TASK_STATUSES = [
  'notStarted',
  'inProgress',
  'waitingOnOthers',
  'deferred',
  'completed',
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
/** What To Do shows for each status. */
const TASK_STATUS_WORDS: Readonly<Record<TaskStatus, string>> = {
  notStarted: 'Not started',
  inProgress: 'In progress',
  waitingOnOthers: 'Waiting on others',
  deferred: 'Deferred',
  completed: 'Completed',
};

export interface CrmLink {
  readonly crmId: string | null;
  readonly tracked: boolean;
}

export interface OutlookContactRow {
  readonly id: string;
  readonly displayName: string;
  readonly givenName: string;
  readonly surname: string;
  readonly jobTitle: string;
  readonly businessPhone: string;
  readonly email: string;
  readonly link: CrmLink | null;
}

export interface OutlookEventRow {
  readonly id: string;
  readonly subject: string;
  readonly location: string;
  /** UTC instants, to the second. */
  readonly start: string;
  readonly end: string;
  readonly isAllDay: boolean;
  readonly link: CrmLink | null;
}

export interface OutlookTaskRow {
  readonly id: string;
  readonly title: string;
  readonly status: TaskStatus;
  /** `YYYY-MM-DD`, or '' without a due date. */
  readonly due: string;
  /** The CRM id its linked resource names, or null. */
  readonly crmId: string | null;
}

export interface OutlookItems {
  readonly contacts: readonly OutlookContactRow[];
  readonly events: readonly OutlookEventRow[];
  readonly tasks: readonly OutlookTaskRow[];
}

/** A Graph answer other than success: its status and Graph's error code. */
export class OutlookItemsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'OutlookItemsError';
  }
}

interface GraphEntity {
  readonly id: string;
  readonly [name: string]: unknown;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The `tic-crm-link` value of an item, or null when it has none or it is not the add-in's JSON. */
export function crmLinkOf(item: GraphEntity): CrmLink | null {
  const props = item.singleValueExtendedProperties as { id: string; value: string }[] | undefined;
  const raw = props?.find((p) => p.id.toLowerCase() === CRM_LINK_PROPERTY_ID.toLowerCase())?.value;
  if (raw === undefined) return null;
  try {
    const parsed = JSON.parse(raw) as { crmId?: unknown; tracked?: unknown };
    return {
      crmId: typeof parsed.crmId === 'string' ? parsed.crmId : null,
      tracked: parsed.tracked === true,
    };
  } catch {
    return null;
  }
}

/** Graph's `dateTime` (UTC, seven fractional digits, no offset) → `YYYY-MM-DDTHH:MM:SSZ`. */
const instantOf = (value: unknown): string => {
  const dateTime = text((value as { dateTime?: unknown } | null)?.dateTime);
  return dateTime ? `${dateTime.slice(0, 19)}Z` : '';
};

const EXPAND_LINK = `singleValueExtendedProperties($filter=id eq '${CRM_LINK_PROPERTY_ID}')`;

export class OutlookItemsClient {
  private taskListId: string | null = null;

  constructor(
    private readonly graphUrl: string,
    private readonly fetchFn: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  async contacts(): Promise<OutlookContactRow[]> {
    const page = await this.request(
      'GET',
      `/me/contacts?$top=1000&$expand=${encodeURIComponent(EXPAND_LINK)}`,
    );
    return (page.value as GraphEntity[]).map((c) => ({
      id: c.id,
      displayName: text(c.displayName),
      givenName: text(c.givenName),
      surname: text(c.surname),
      jobTitle: text(c.jobTitle),
      businessPhone: text((c.businessPhones as unknown[] | undefined)?.[0]),
      email: text((c.emailAddresses as { address?: unknown }[] | undefined)?.[0]?.address),
      link: crmLinkOf(c),
    }));
  }

  async events(now = new Date()): Promise<OutlookEventRow[]> {
    const start = new Date(now.getTime() - 7 * 86_400_000).toISOString();
    const end = new Date(now.getTime() + 60 * 86_400_000).toISOString();
    const page = await this.request(
      'GET',
      `/me/calendarView?startDateTime=${encodeURIComponent(start)}&endDateTime=${encodeURIComponent(end)}&$top=1000&$expand=${encodeURIComponent(EXPAND_LINK)}`,
      undefined,
      { Prefer: 'outlook.timezone="UTC"' },
    );
    return (page.value as GraphEntity[]).map((e) => ({
      id: e.id,
      subject: text(e.subject),
      location: text((e.location as { displayName?: unknown } | undefined)?.displayName),
      start: instantOf(e.start),
      end: instantOf(e.end),
      isAllDay: e.isAllDay === true,
      link: crmLinkOf(e),
    }));
  }

  async tasks(): Promise<OutlookTaskRow[]> {
    const page = await this.request('GET', `${await this.tasksPath()}?$top=1000&$expand=linkedResources`);
    return (page.value as GraphEntity[]).map((t) => {
      const linked =
        (t.linkedResources as { applicationName?: unknown; externalId?: unknown }[] | undefined) ?? [];
      const crm = linked.find((l) => l.applicationName === CRM_LINK_APPLICATION);
      const status = TASK_STATUSES.find((s) => s === t.status) ?? 'notStarted';
      return {
        id: t.id,
        title: text(t.title),
        status,
        due: instantOf(t.dueDateTime).slice(0, 10),
        crmId: crm && typeof crm.externalId === 'string' ? crm.externalId : null,
      };
    });
  }

  async all(now = new Date()): Promise<OutlookItems> {
    const [contacts, events, tasks] = await Promise.all([this.contacts(), this.events(now), this.tasks()]);
    return { contacts, events, tasks };
  }

  async updateContact(
    id: string,
    change: { givenName: string; jobTitle: string; businessPhone: string },
  ): Promise<void> {
    await this.request('PATCH', `/me/contacts/${encodeURIComponent(id)}`, {
      givenName: change.givenName || null,
      jobTitle: change.jobTitle || null,
      businessPhones: change.businessPhone ? [change.businessPhone] : [],
    });
  }

  async addContact(contact: { givenName: string; surname: string; email: string }): Promise<void> {
    await this.request('POST', '/me/contacts', {
      givenName: contact.givenName || null,
      surname: contact.surname || null,
      emailAddresses: contact.email ? [{ address: contact.email }] : [],
    });
  }

  /** Outlook's "Track in CRM": the link property with `tracked` true, keeping a CRM id already there. */
  async trackContact(id: string, current: CrmLink | null): Promise<void> {
    const value = JSON.stringify({ crmId: current?.crmId ?? null, tracked: true });
    await this.request('PATCH', `/me/contacts/${encodeURIComponent(id)}`, {
      singleValueExtendedProperties: [{ id: CRM_LINK_PROPERTY_ID, value }],
    });
  }

  async updateEvent(id: string, change: { subject: string; location: string }): Promise<void> {
    await this.request('PATCH', `/me/events/${encodeURIComponent(id)}`, {
      subject: change.subject,
      location: { displayName: change.location },
    });
  }

  async updateTask(id: string, change: { title: string; status: TaskStatus }): Promise<void> {
    await this.request('PATCH', `${await this.tasksPath()}/${encodeURIComponent(id)}`, change);
  }

  async remove(kind: 'contact' | 'event' | 'task', id: string): Promise<void> {
    const base =
      kind === 'contact' ? '/me/contacts' : kind === 'event' ? '/me/events' : await this.tasksPath();
    await this.request('DELETE', `${base}/${encodeURIComponent(id)}`);
  }

  private async tasksPath(): Promise<string> {
    if (!this.taskListId) {
      const lists = await this.request('GET', '/me/todo/lists');
      const list = (lists.value as GraphEntity[]).find((l) => l.wellknownListName === 'defaultList');
      if (!list)
        throw new OutlookItemsError(404, 'ErrorItemNotFound', 'The mailbox has no default To Do list.');
      this.taskListId = list.id;
    }
    return `/me/todo/lists/${encodeURIComponent(this.taskListId)}/tasks`;
  }

  private async request(
    method: string,
    pathAndQuery: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Record<string, unknown>> {
    const res = await this.fetchFn(`${this.graphUrl}${pathAndQuery}`, {
      method,
      headers: {
        Authorization: 'Bearer workbench',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await res.text();
    const json = (answer ? JSON.parse(answer) : {}) as Record<string, unknown>;
    if (!res.ok) {
      const error = json.error as { code?: string; message?: string } | undefined;
      throw new OutlookItemsError(
        res.status,
        error?.code ?? 'Unknown',
        error?.message ?? `${method} ${pathAndQuery} answered ${res.status}.`,
      );
    }
    return json;
  }
}

// ---------------------------------------------------------------------------------------------------
// The view

type Child = Node | string | null;

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined) el.setAttribute(name, value);
  for (const child of children) if (child !== null) el.append(child);
  return el;
}

function input(testid: string, value: string, label: string): HTMLInputElement {
  const el = h('input', { type: 'text', 'data-testid': testid, 'aria-label': label, placeholder: label });
  // defaultValue is what was drawn: a field whose value differs holds an edit not saved yet.
  el.defaultValue = value;
  return el;
}

function button(testid: string, label: string, onClick: () => void): HTMLButtonElement {
  const el = h('button', { type: 'button', 'data-testid': testid }, label);
  el.addEventListener('click', onClick);
  return el;
}

function linkBadge(link: CrmLink | null, crmId: string | null = link?.crmId ?? null): HTMLElement {
  const words = crmId ? `Linked to CRM ${crmId}` : link?.tracked ? 'Tracked, not linked yet' : 'Not in CRM';
  return h('span', { class: crmId ? 'crm-link linked' : 'crm-link', 'data-testid': 'crm-link' }, words);
}

export interface OutlookItemsView {
  /** Reads the three lists again and redraws. */
  refresh(): Promise<void>;
  /** Stops the 5 s refresh. */
  stop(): void;
}

export interface OutlookItemsOptions {
  readonly fetch?: typeof fetch;
  /** Default 5 s. */
  readonly refreshMs?: number;
}

/**
 * Shows the mailbox's contacts, calendar and tasks in `container` and keeps them fresh. A refresh
 * that would redraw under the user's typing (focus in one of the view's fields, or a field changed and
 * not saved) waits (chosen: an edit in progress beats a fresher list); saving, deleting or adding
 * redraws at once.
 */
export function mountOutlookItems(
  container: HTMLElement,
  graphUrl: string,
  options: OutlookItemsOptions = {},
): OutlookItemsView {
  const client = new OutlookItemsClient(graphUrl.replace(/\/+$/, ''), options.fetch);
  const status = h('p', {
    class: 'outlook-items-status',
    'data-testid': 'outlook-items-status',
    role: 'status',
  });
  const lists = h('div', { class: 'outlook-items-lists' });
  container.replaceChildren(
    h('section', { class: 'outlook-items', 'data-testid': 'outlook-items' }, status, lists),
  );
  let shown = '';
  let stopped = false;

  const act = async (what: string, action: () => Promise<void>): Promise<void> => {
    status.textContent = `${what}…`;
    try {
      await action();
      status.textContent = `${what}: done.`;
    } catch (error) {
      status.textContent = `${what} failed: ${(error as Error).message}`;
    }
    shown = '';
    await refresh(true);
  };

  const contactRow = (c: OutlookContactRow): HTMLElement => {
    const given = input('contact-given-name', c.givenName, 'First name');
    const job = input('contact-job-title', c.jobTitle, 'Job title');
    const phone = input('contact-business-phone', c.businessPhone, 'Business phone');
    return h(
      'li',
      { 'data-testid': 'outlook-contact', 'data-id': c.id },
      h('strong', { 'data-testid': 'contact-name' }, c.displayName || '(no name)'),
      ' ',
      h('span', { 'data-testid': 'contact-email' }, c.email),
      ' ',
      linkBadge(c.link),
      h('div', { class: 'fields' }, given, job, phone),
      button(
        'save-contact',
        'Save',
        () =>
          void act(`Saving ${c.displayName}`, () =>
            client.updateContact(c.id, {
              givenName: given.value,
              jobTitle: job.value,
              businessPhone: phone.value,
            }),
          ),
      ),
      // Already the CRM's (linked) or already asked for (tracked): Outlook shows no Track button then.
      c.link?.tracked || c.link?.crmId
        ? null
        : button(
            'track-contact',
            'Track in CRM',
            () => void act(`Tracking ${c.displayName}`, () => client.trackContact(c.id, c.link)),
          ),
      button(
        'delete-contact',
        'Delete',
        () => void act(`Deleting ${c.displayName}`, () => client.remove('contact', c.id)),
      ),
    );
  };

  const addContactForm = (): HTMLElement => {
    const given = input('new-contact-given-name', '', 'First name');
    const surname = input('new-contact-surname', '', 'Last name');
    const email = input('new-contact-email', '', 'Email');
    return h(
      'div',
      { class: 'add-contact', 'data-testid': 'add-contact' },
      given,
      surname,
      email,
      button(
        'add-contact-button',
        'Add contact',
        () =>
          void act('Adding a contact', () =>
            client.addContact({ givenName: given.value, surname: surname.value, email: email.value }),
          ),
      ),
    );
  };

  const eventRow = (e: OutlookEventRow): HTMLElement => {
    const subject = input('event-subject', e.subject, 'Subject');
    const location = input('event-location', e.location, 'Location');
    const when = e.isAllDay ? `${e.start.slice(0, 10)} (all day)` : `${e.start} – ${e.end}`;
    return h(
      'li',
      { 'data-testid': 'outlook-event', 'data-id': e.id },
      h('strong', { 'data-testid': 'event-title' }, e.subject || '(no subject)'),
      ' ',
      h('span', { 'data-testid': 'event-when' }, when),
      ' ',
      linkBadge(e.link),
      h('div', { class: 'fields' }, subject, location),
      button(
        'save-event',
        'Save',
        () =>
          void act(`Saving ${e.subject}`, () =>
            client.updateEvent(e.id, { subject: subject.value, location: location.value }),
          ),
      ),
      button(
        'delete-event',
        'Delete',
        () => void act(`Deleting ${e.subject}`, () => client.remove('event', e.id)),
      ),
    );
  };

  const taskRow = (t: OutlookTaskRow): HTMLElement => {
    const title = input('task-title', t.title, 'Title');
    const statusSelect = h('select', { 'data-testid': 'task-status', 'aria-label': 'Status' });
    for (const s of TASK_STATUSES) {
      const option = h('option', { value: s }, TASK_STATUS_WORDS[s]);
      option.defaultSelected = s === t.status;
      statusSelect.append(option);
    }
    return h(
      'li',
      { 'data-testid': 'outlook-task', 'data-id': t.id },
      h('strong', { 'data-testid': 'task-name' }, t.title || '(no title)'),
      ' ',
      h('span', { 'data-testid': 'task-due' }, t.due ? `due ${t.due}` : ''),
      ' ',
      linkBadge(null, t.crmId),
      h('div', { class: 'fields' }, title, statusSelect),
      button(
        'save-task',
        'Save',
        () =>
          void act(`Saving ${t.title}`, () =>
            client.updateTask(t.id, { title: title.value, status: statusSelect.value as TaskStatus }),
          ),
      ),
      button(
        'delete-task',
        'Delete',
        () => void act(`Deleting ${t.title}`, () => client.remove('task', t.id)),
      ),
    );
  };

  const section = (
    testid: string,
    heading: string,
    rows: HTMLElement[],
    extra: HTMLElement | null = null,
  ): HTMLElement =>
    h(
      'section',
      { 'data-testid': testid },
      h('h3', {}, `${heading} (${rows.length})`),
      rows.length ? h('ul', {}, ...rows) : h('p', { class: 'empty' }, 'None.'),
      extra,
    );

  /** The user is typing in the view, or left an edit there unsaved. */
  const editing = (): boolean => {
    const active = container.ownerDocument.activeElement;
    if (
      active !== null &&
      container.contains(active) &&
      (active.tagName === 'INPUT' || active.tagName === 'SELECT')
    )
      return true;
    const unsavedInput = [...container.querySelectorAll('input')].some((el) => el.value !== el.defaultValue);
    const unsavedSelect = [...container.querySelectorAll('select')].some((el) =>
      [...el.options].some((o) => o.selected !== o.defaultSelected),
    );
    return unsavedInput || unsavedSelect;
  };

  async function refresh(force = false): Promise<void> {
    if (stopped) return;
    let items: OutlookItems;
    try {
      items = await client.all();
    } catch (error) {
      status.textContent = `Graph unreachable: ${(error as Error).message}`;
      return;
    }
    const fingerprint = JSON.stringify(items);
    if (fingerprint === shown || (!force && editing())) return;
    shown = fingerprint;
    lists.replaceChildren(
      section('outlook-contacts', 'Contacts', items.contacts.map(contactRow), addContactForm()),
      section('outlook-events', 'Calendar', items.events.map(eventRow)),
      section('outlook-tasks', 'Tasks', items.tasks.map(taskRow)),
    );
  }

  const timer = setInterval(() => void refresh(), options.refreshMs ?? 5_000);
  void refresh();
  return {
    refresh: () => refresh(),
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
