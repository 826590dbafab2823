/**
 * MailboxGraphPort over Microsoft Graph v1.0 (docs/graph-facts.md). Budgets of the background check:
 * a folder with no changes costs one GET of its delta link; 100 new messages cost one or two delta
 * pages (`odata.maxpagesize`, default 100) and 5 `$batch` writes of 20, because each item's categories
 * and tag go in one PATCH and the custom properties to keep come with the delta page, not a read.
 */
import type { TrackTag } from '../app/ports';
import { query } from '../crm/odata';
import { CUSTOM_PROPERTY, encodeTag, MAX_CUSTOM_PROPERTIES } from '../mail/marks';
import { GraphConflictError, GraphNotFoundError, GraphRequestError, graphProtocolError } from './errors';
import { deltaOnward, roundFromWatermark } from './deltaRounds';
import { partError, type GraphBatchRequest, type GraphHttp } from './graphHttp';
import {
  readCustomProperties,
  readGraphMessage,
  type CustomProperties,
  type GraphItem,
} from './messageFacts';
import {
  folderName,
  type FolderChanges,
  type FolderChangesOptions,
  type GraphFolder,
  type ItemReadOutcome,
  type ItemUpdate,
  type ItemUpdateOutcome,
  type MailboxGraphPort,
  type MasterCategory,
  type UnreadableItem,
} from './port';
import {
  customPropertiesId,
  expandProperties,
  IN_REPLY_TO_ID,
  REFERENCES_ID,
  samePropertyId,
} from './properties';

export interface GraphAdapterOptions {
  readonly http: GraphHttp;
  /** The mailbox owner's address (Office's userProfile.emailAddress): mail from it is outgoing. */
  readonly userAddress: string;
  /** The manifest's `<Id>`: names the custom property the pane writes through Office.js. */
  readonly addinId: string;
  /** Messages per delta page. */
  readonly pageSize?: number;
  /** Where what is worked around (an unreadable message, a restarted folder) is written. */
  readonly log?: (message: string, error?: unknown) => void;
}

/** The fields a decision needs (background-check §2 item and tracking.md §6 email). */
const MESSAGE_FIELDS = [
  'id',
  'changeKey',
  'isDraft',
  'categories',
  'internetMessageId',
  'subject',
  'from',
  'sender',
  'toRecipients',
  'ccRecipients',
  'bccRecipients',
  'receivedDateTime',
  'conversationIndex',
  // The activity's description: read with the delta page, so a background track costs no read.
  'body',
];

/**
 * Whether a delta entry is the message or only says that its read state changed: Graph then gives
 * `{id, isRead, parentFolderId}` whatever was `$select`ed (docs/graph-facts.md "Delta queries").
 */
function carriesMessage(entry: Readonly<Record<string, unknown>>): boolean {
  return MESSAGE_FIELDS.some((field) => field !== 'id' && entry[field] !== undefined);
}

/** Graph's well-known folder names: the only folder names put in a path as they are. */
const WELL_KNOWN = /^[a-z]{1,40}$/i;

/**
 * Graph gives a message's body as HTML unless asked for text; the activity's description is the plain
 * text the pane stores from Office.js (`body.getAsync(Text)`), so the two paths track the same words.
 */
const TEXT_BODY = 'outlook.body-content-type="text"';

export class GraphMailbox implements MailboxGraphPort {
  private readonly http: GraphHttp;
  private readonly tagPropertyId: string;
  private readonly pageSize: number;
  private readonly folderIds = new Map<string, string>();

  constructor(private readonly options: GraphAdapterOptions) {
    this.http = options.http;
    this.tagPropertyId = customPropertiesId(options.addinId);
    this.pageSize = options.pageSize ?? 100;
  }

  private messageQuery(filter?: string): string {
    return query({
      select: MESSAGE_FIELDS,
      expand: expandProperties([IN_REPLY_TO_ID, REFERENCES_ID, this.tagPropertyId]),
      filter,
    });
  }

  private read(message: unknown, folder: GraphFolder): ReturnType<typeof readGraphMessage> {
    const reading = readGraphMessage(message, {
      folder: folderName(folder),
      userAddress: this.options.userAddress,
      customPropertiesId: this.tagPropertyId,
    });
    if (reading.ok && reading.warnings.length)
      this.options.log?.(`Item ${reading.item.itemId}: ${reading.warnings.join('; ')}`);
    return reading;
  }

  async folderChanges(
    folder: GraphFolder,
    watermark: string | null,
    options: FolderChangesOptions = {},
  ): Promise<FolderChanges> {
    return roundFromWatermark(
      this.http,
      this.options.log,
      { name: folderName(folder), pronoun: 'it' },
      watermark,
      () => this.deltaStart(folder, options),
      (first) => this.deltaRound(folder, first, options),
    );
  }

  private async deltaStart(folder: GraphFolder, options: FolderChangesOptions): Promise<string> {
    let filter: string | undefined;
    if (options.since) {
      const at = Date.parse(options.since);
      if (Number.isNaN(at)) throw new TypeError(`since is not an instant: ${JSON.stringify(options.since)}`);
      // DateTimeOffset literals are unquoted; an ISO string from Date holds nothing else.
      filter = `receivedDateTime ge ${new Date(at).toISOString().replace(/\.000Z$/, 'Z')}`;
    }
    return `${await this.folderPath(folder)}/messages/delta?${this.messageQuery(filter)}`;
  }

  private async deltaRound(
    folder: GraphFolder,
    first: string,
    options: FolderChangesOptions,
  ): Promise<Omit<FolderChanges, 'restarted'>> {
    const items = new Map<string, GraphItem>();
    const removed = new Set<string>();
    const unreadable: UnreadableItem[] = [];
    // Entries that are not the message (a read-state change): read again by id before the call ends.
    const reread = new Set<string>();
    const maxPages = options.maxPages ?? Number.POSITIVE_INFINITY;
    const finish = async (
      watermark: string,
      complete: boolean,
    ): Promise<Omit<FolderChanges, 'restarted'>> => {
      if (reread.size) await this.rereadInto(folder, [...reread], items, unreadable);
      return { items: [...items.values()], removed: [...removed], watermark, complete, unreadable };
    };
    let link = first;
    for (let pages = 1; ; pages += 1) {
      const page = await this.http.page(link, {
        Prefer: `odata.maxpagesize=${this.pageSize}, ${TEXT_BODY}`,
      });
      for (const entry of page.value) {
        const e = entry as { id?: unknown; '@removed'?: unknown } | null;
        if (e && typeof e.id === 'string' && e['@removed'] !== undefined) {
          items.delete(e.id);
          reread.delete(e.id);
          removed.add(e.id);
          continue;
        }
        if (e && typeof e.id === 'string' && !carriesMessage(e)) {
          items.delete(e.id);
          removed.delete(e.id);
          reread.add(e.id);
          continue;
        }
        const reading = this.read(entry, folder);
        if (!reading.ok) {
          unreadable.push({ itemId: reading.itemId, reason: reading.reason });
          this.options.log?.(`A message in ${folderName(folder)} cannot be read: ${reading.reason}`);
          continue;
        }
        removed.delete(reading.item.itemId);
        reread.delete(reading.item.itemId);
        items.set(reading.item.itemId, reading.item);
      }
      const onward = deltaOnward(this.http, page);
      if ('deltaLink' in onward) return finish(onward.deltaLink, true);
      if (pages >= maxPages) return finish(onward.nextLink, false);
      link = onward.nextLink;
    }
  }

  /**
   * Reads by id the messages a delta gave only as `{id, isRead, parentFolderId}` (JSON `$batch`es of
   * 20, as delta pages ask), so a round's items are always whole; one that cannot be read is unreadable.
   */
  private async rereadInto(
    folder: GraphFolder,
    itemIds: readonly string[],
    items: Map<string, GraphItem>,
    unreadable: UnreadableItem[],
  ): Promise<void> {
    for (const outcome of await this.readFacts(folder, itemIds)) {
      if (outcome.ok) {
        items.set(outcome.itemId, outcome.item);
        continue;
      }
      const reason = `it changed its read state and reading it again failed: ${outcome.error.message}`;
      unreadable.push({ itemId: outcome.itemId, reason });
      this.options.log?.(`A message in ${folderName(folder)} cannot be read: ${reason}`, outcome.error);
    }
  }

  /** `/me/mailFolders/<well-known name or id>`; a path is walked once per adapter, then remembered. */
  private async folderPath(folder: GraphFolder): Promise<string> {
    if ('wellKnown' in folder) {
      if (!WELL_KNOWN.test(folder.wellKnown))
        throw new TypeError(`not a well-known folder name: ${folder.wellKnown}`);
      return `/me/mailFolders/${folder.wellKnown.toLowerCase()}`;
    }
    if (folder.id !== undefined) return `/me/mailFolders/${encodeURIComponent(folder.id)}`;
    const key = folder.path.trim().toLowerCase();
    let id = this.folderIds.get(key);
    if (id === undefined) {
      id = await this.resolvePath(folder.path);
      this.folderIds.set(key, id);
    }
    return `/me/mailFolders/${encodeURIComponent(id)}`;
  }

  /**
   * Graph has no folder by path: the path is walked one level at a time by display name, compared
   * trimmed and case-insensitively (background-check §1.2 step 1). A first segment that is a
   * well-known name (`inbox/Projects`) starts there, so a mailbox in another language works too.
   */
  private async resolvePath(path: string): Promise<string> {
    const segments = path
      .split('/')
      .map((s) => s.trim())
      .filter(Boolean);
    if (segments.length === 0) throw new TypeError('an empty folder path');
    const select = query({ select: ['id', 'displayName'], top: 100 });
    let parentId: string | null = null;
    let rest = segments;
    const first = (segments[0] as string).toLowerCase();
    if (/^(inbox|sentitems|drafts|deleteditems|junkemail|archive|outbox)$/.test(first)) {
      const { body } = await this.http.send('GET', `/me/mailFolders/${first}?$select=id`, {
        idempotent: true,
      });
      parentId =
        typeof (body as { id?: unknown } | null)?.id === 'string' ? (body as { id: string }).id : null;
      if (parentId === null)
        throw graphProtocolError('a folder answered without an id', 'GET /me/mailFolders');
      rest = segments.slice(1);
    }
    for (const segment of rest) {
      const list = await this.http.all(
        parentId === null
          ? `/me/mailFolders?${select}`
          : `/me/mailFolders/${encodeURIComponent(parentId)}/childFolders?${select}`,
      );
      const match = list.find(
        (f) =>
          typeof (f as { displayName?: unknown }).displayName === 'string' &&
          (f as { displayName: string }).displayName.trim().toLowerCase() === segment.toLowerCase() &&
          typeof (f as { id?: unknown }).id === 'string',
      ) as { id: string } | undefined;
      if (!match)
        throw new GraphNotFoundError(`The mailbox has no folder ${path}.`, {
          status: null,
          code: 'ErrorFolderNotFound',
          requestId: null,
          request: 'GET /me/mailFolders',
        });
      parentId = match.id;
    }
    return parentId as string;
  }

  async readFacts(folder: GraphFolder, itemIds: readonly string[]): Promise<ItemReadOutcome[]> {
    const requests: GraphBatchRequest[] = itemIds.map((itemId, i) => ({
      id: String(i + 1),
      method: 'GET',
      url: `/me/messages/${encodeURIComponent(itemId)}?${this.messageQuery()}`,
      headers: { Prefer: TEXT_BODY },
    }));
    const responses = await this.http.batch(requests);
    return responses.map((response, i): ItemReadOutcome => {
      const itemId = itemIds[i] as string;
      const error = partError(response, requests[i] as GraphBatchRequest);
      if (error) return { itemId, ok: false, error };
      const reading = this.read(response.body, folder);
      return reading.ok
        ? { itemId, ok: true, item: reading.item }
        : {
            itemId,
            ok: false,
            error: graphProtocolError(reading.reason, 'GET /me/messages (in $batch)', 200),
          };
    });
  }

  async setCategories(itemId: string, categories: readonly string[], changeKey?: string): Promise<string> {
    return single(await this.updateItems([{ itemId, categories, changeKey }]));
  }

  async writeTag(itemId: string, tag: TrackTag | null, changeKey?: string): Promise<string> {
    return single(await this.updateItems([{ itemId, tag, changeKey }]));
  }

  async updateItems(updates: readonly ItemUpdate[]): Promise<ItemUpdateOutcome[]> {
    const outcomes = new Array<ItemUpdateOutcome | undefined>(updates.length);
    const current = await this.customPropertiesOf(updates, outcomes);
    const requests: GraphBatchRequest[] = [];
    const indexOf: number[] = [];
    updates.forEach((u, i) => {
      if (outcomes[i]) return;
      const read = current.get(i);
      const body: Record<string, unknown> = {};
      if (u.categories !== undefined) body.categories = [...u.categories];
      if (u.tag !== undefined) {
        const value = tagValue(u.customProperties ?? read?.customProperties ?? {}, u.tag);
        if (value.length > MAX_CUSTOM_PROPERTIES) {
          outcomes[i] = {
            itemId: u.itemId,
            ok: false,
            error: new GraphRequestError(
              `The add-in's data for item ${u.itemId} would exceed Outlook's ${MAX_CUSTOM_PROPERTIES} characters.`,
              { status: null, code: 'CustomPropertiesTooLong', requestId: null, request: null },
            ),
          };
          return;
        }
        body.singleValueExtendedProperties = [{ id: this.tagPropertyId, value }];
      }
      // The changeKey read with the properties guards the read-modify-write of the custom properties.
      const changeKey = u.changeKey ?? read?.changeKey;
      requests.push({
        id: String(requests.length + 1),
        method: 'PATCH',
        url: `/me/messages/${encodeURIComponent(u.itemId)}?$select=id,changeKey`,
        body,
        headers: changeKey ? { 'If-Match': `W/"${changeKey}"` } : undefined,
      });
      indexOf.push(i);
    });
    const responses = requests.length ? await this.http.batch(requests) : [];
    responses.forEach((response, k) => {
      const i = indexOf[k] as number;
      const itemId = (updates[i] as ItemUpdate).itemId;
      const error = partError(response, requests[k] as GraphBatchRequest);
      const changeKey = (response.body as { changeKey?: unknown } | null)?.changeKey;
      outcomes[i] = error
        ? { itemId, ok: false, error }
        : { itemId, ok: true, changeKey: typeof changeKey === 'string' ? changeKey : '' };
    });
    return outcomes as ItemUpdateOutcome[];
  }

  /** For tag writes given no custom properties: reads them (and the changeKey) in `$batch`es. */
  private async customPropertiesOf(
    updates: readonly ItemUpdate[],
    outcomes: (ItemUpdateOutcome | undefined)[],
  ): Promise<Map<number, { customProperties: CustomProperties; changeKey: string | undefined }>> {
    const wanted = updates.flatMap((u, i) => (u.tag !== undefined && !u.customProperties ? [i] : []));
    const out = new Map<number, { customProperties: CustomProperties; changeKey: string | undefined }>();
    if (wanted.length === 0) return out;
    const requests: GraphBatchRequest[] = wanted.map((i, k) => ({
      id: String(k + 1),
      method: 'GET',
      url: `/me/messages/${encodeURIComponent((updates[i] as ItemUpdate).itemId)}?${query({
        select: ['id', 'changeKey'],
        expand: expandProperties([this.tagPropertyId]),
      })}`,
    }));
    const responses = await this.http.batch(requests);
    responses.forEach((response, k) => {
      const i = wanted[k] as number;
      const error = partError(response, requests[k] as GraphBatchRequest);
      if (error) {
        outcomes[i] = { itemId: (updates[i] as ItemUpdate).itemId, ok: false, error };
        return;
      }
      const body = response.body as { changeKey?: unknown; singleValueExtendedProperties?: unknown } | null;
      const props = Array.isArray(body?.singleValueExtendedProperties)
        ? body.singleValueExtendedProperties
        : [];
      const mine = (props as { id?: unknown; value?: unknown }[]).find(
        (p) => typeof p?.id === 'string' && samePropertyId(p.id, this.tagPropertyId),
      );
      const warnings: string[] = [];
      out.set(i, {
        customProperties: readCustomProperties(typeof mine?.value === 'string' ? mine.value : null, warnings),
        changeKey: typeof body?.changeKey === 'string' ? body.changeKey : undefined,
      });
      if (warnings.length)
        this.options.log?.(`Item ${(updates[i] as ItemUpdate).itemId}: ${warnings.join('; ')}`);
    });
    return out;
  }

  async masterCategories(): Promise<MasterCategory[]> {
    const list = await this.http.all('/me/outlook/masterCategories');
    return list.flatMap((c) => {
      const { displayName, color } = (c ?? {}) as { displayName?: unknown; color?: unknown };
      return typeof displayName === 'string'
        ? [{ displayName, color: typeof color === 'string' ? color : 'none' }]
        : [];
    });
  }

  async ensureCategory(name: string, color: string): Promise<void> {
    const graphColour = graphColor(color);
    const wanted = name.trim().toLowerCase();
    if ((await this.masterCategories()).some((c) => c.displayName.trim().toLowerCase() === wanted)) return;
    try {
      await this.http.send('POST', '/me/outlook/masterCategories', {
        body: { displayName: name, color: graphColour },
        idempotent: false,
      });
    } catch (error) {
      // Another client (the pane, a second Outlook) added it between the read and the write.
      if (!(error instanceof GraphConflictError)) throw error;
    }
  }
}

/** The custom properties' JSON with the tag set (or removed), every other property kept. */
function tagValue(properties: CustomProperties, tag: TrackTag | null): string {
  const next: Record<string, unknown> = { ...properties };
  if (tag === null) delete next[CUSTOM_PROPERTY];
  else next[CUSTOM_PROPERTY] = encodeTag(tag);
  return JSON.stringify(next);
}

/** Office.js spells colours `Preset4`, Graph `preset4`. */
function graphColor(color: string): string {
  const c = color.trim().toLowerCase();
  if (c === 'none' || /^preset([0-9]|1[0-9]|2[0-4])$/.test(c)) return c;
  throw new TypeError(`not a category colour: ${JSON.stringify(color)}`);
}

function single(outcomes: ItemUpdateOutcome[]): string {
  const outcome = outcomes[0];
  if (!outcome) throw new Error('no outcome for the update');
  if (!outcome.ok) throw outcome.error;
  return outcome.changeKey;
}
