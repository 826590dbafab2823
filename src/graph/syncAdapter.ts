/**
 * OutlookSyncPort over Microsoft Graph v1.0 (docs/graph-facts.md "Contacts, calendar and To Do"):
 * contacts, calendar events and the default To Do list, read by delta rounds and written in JSON
 * `$batch`es of 20. Budgets (issue 12): a quiet synchronization costs one delta request per type;
 * a first one of 5,000 new contacts 250 `$batch`es of 20 creates (each create carries its link and
 * answers the item, so nothing is read back) plus the delta pages of the mailbox's own contacts.
 *
 * Optimistic concurrency (review 17): an update that carries the changeKey the item was read with sends
 * it as `If-Match` (contacts and events; Graph answers 412 when the item changed since, a
 * GraphConflictError outcome the runner tries again next run, after reading the change). To Do tasks
 * have no changeKey (todoTask lists none, only `@odata.etag`, and Graph documents no If-Match for them,
 * docs/graph-facts.md): their updates send none and the last writer wins.
 *
 * Calendar: single events only (`type` singleInstance; chosen, docs/graph-facts.md). Occurrences,
 * exceptions and series masters are left out of the items, so an occurrence that inherits its
 * series' link is never read as a second item linked to the same record.
 */
import { query } from '../crm/odata';
import type { SyncEntity } from '../rules/syncTypes';
import { GraphNotFoundError, GraphRequestError, graphProtocolError, type GraphError } from './errors';
import {
  MAX_BATCH,
  partError,
  type GraphBatchRequest,
  type GraphBatchResponse,
  type GraphHttp,
} from './graphHttp';
import { deltaOnward, roundFromWatermark } from './deltaRounds';
import { customPropertiesId, expandProperties } from './properties';
import {
  createFields,
  crmIdOf,
  graphBody,
  GRAPH_SELECT,
  LINK_APPLICATION,
  LINK_PROPERTY_ID,
  linkValue,
  needsCurrent,
  ownLinkedResources,
  readLink,
  readSyncItem,
  type SyncLink,
} from './syncShapes';
import type {
  OutlookChanges,
  OutlookChangesOptions,
  OutlookSyncItem,
  OutlookSyncOutcome,
  OutlookSyncPort,
  OutlookSyncWrite,
} from './syncPort';

export interface GraphSyncOptions {
  readonly http: GraphHttp;
  /** The manifest's `<Id>`: names the `cecp-` property an appointment tracked from the ribbon carries. */
  readonly addinId: string;
  readonly log?: (message: string, error?: unknown) => void;
  /**
   * The user's IANA time zone (default 'UTC'; Office.js `mailbox.userProfile.timeZone` is Windows'
   * name, the pane gives Intl's): the days of all-day events and task due dates are this zone's.
   */
  readonly timeZone?: string;
}

/**
 * Items per delta page (chosen): 1,000. The runner reads the items it wrote back in the same
 * synchronization, so a first one of 5,000 new contacts is 1 delta request + 250 `$batch`es + the
 * echo round of 5,000 contacts: 5 or 6 pages at 1,000 (≤ 260), 25 at 200 (276). The contact delta
 * page documents no limit; a Microsoft moderator's answer (Microsoft Q&A 2052165) says Outlook caps
 * contacts at 200 whatever is asked: if it does, that budget is exceeded by the echo round alone.
 */
export const SYNC_PAGE_SIZE = 1000;

/** Calendar window of a first round (chosen): 30 days back, 365 days ahead. */
export const WINDOW_PAST_DAYS = 30;
export const WINDOW_FUTURE_DAYS = 365;
const DAY_MS = 86_400_000;

/**
 * Events are asked in UTC and with text bodies (event resource: `Prefer: outlook.timezone`; get
 * event: `outlook.body-content-type`), so timed events and descriptions normalize without zone tables;
 * only an all-day event's days need its own zone (syncShapes.ts, `eventTime`).
 */
const EVENT_PREFER = 'outlook.timezone="UTC", outlook.body-content-type="text"';

const ENTITY_LABEL: Readonly<Record<SyncEntity, string>> = {
  contact: 'contacts',
  appointment: 'calendar',
  task: 'To Do tasks',
};

type Json = Record<string, unknown>;

/** One write as requests of one `$batch` (a unit never straddles two, so `dependsOn` holds). */
interface Unit {
  readonly index: number;
  readonly requests: GraphBatchRequest[];
  /** Reads the outcome from the unit's answers, in request order. */
  readonly answer: (responses: readonly GraphBatchResponse[]) => OutlookSyncOutcome;
}

export class GraphSync implements OutlookSyncPort {
  private readonly http: GraphHttp;
  private readonly tagPropertyId: string;
  private taskListId: string | null = null;

  constructor(private readonly options: GraphSyncOptions) {
    this.http = options.http;
    this.tagPropertyId = customPropertiesId(options.addinId);
  }

  // -------------------------------------------------------------------------------------------------
  // Reading

  async changes(
    entity: SyncEntity,
    watermark: string | null,
    options: OutlookChangesOptions = {},
  ): Promise<OutlookChanges> {
    return roundFromWatermark(
      this.http,
      this.options.log,
      { name: ENTITY_LABEL[entity], pronoun: 'them' },
      watermark,
      () => this.deltaStart(entity, options),
      (first) => this.deltaRound(entity, first, options),
    );
  }

  private async deltaStart(entity: SyncEntity, options: OutlookChangesOptions): Promise<string> {
    if (entity === 'contact')
      // (chosen) `/me/contacts/delta`, the default contacts folder: Microsoft's SDK request builders
      // expose it; the documented form is `/me/contactFolders/{id}/contacts/delta`.
      return `/me/contacts/delta?${query({ select: [...GRAPH_SELECT.contact], expand: expandProperties([LINK_PROPERTY_ID]) })}`;
    if (entity === 'task')
      return `${await this.taskListPath()}/tasks/delta?${query({ select: [...GRAPH_SELECT.task], expand: 'linkedResources' })}`;
    // calendarView delta takes no $select and no $expand (event: delta, "OData query parameters"): the
    // events it gives are read again by id with the link's properties.
    const { start, end } = options.window ?? defaultWindow(Date.now());
    return `/me/calendarView/delta?startDateTime=${encodeURIComponent(instantParam(start))}&endDateTime=${encodeURIComponent(instantParam(end))}`;
  }

  private async deltaRound(
    entity: SyncEntity,
    first: string,
    options: OutlookChangesOptions,
  ): Promise<Omit<OutlookChanges, 'restarted'>> {
    const items = new Map<string, OutlookSyncItem>();
    const removed = new Set<string>();
    const reread = new Set<string>();
    const maxPages = options.maxPages ?? Number.POSITIVE_INFINITY;
    const prefer = `odata.maxpagesize=${SYNC_PAGE_SIZE}${entity === 'appointment' ? `, ${EVENT_PREFER}` : ''}`;
    const finish = async (
      watermark: string,
      complete: boolean,
    ): Promise<Omit<OutlookChanges, 'restarted'>> => {
      if (reread.size) await this.rereadEvents([...reread], items, removed);
      return { items: [...items.values()], removed: [...removed], watermark, complete };
    };
    let link = first;
    for (let pages = 1; ; pages += 1) {
      const page = await this.http.page(link, { Prefer: prefer });
      for (const entry of page.value) {
        const e = entry as { id?: unknown; '@removed'?: unknown } | null;
        if (e && typeof e.id === 'string' && e['@removed'] !== undefined) {
          items.delete(e.id);
          reread.delete(e.id);
          removed.add(e.id);
          continue;
        }
        if (entity === 'appointment' && e && typeof e.id === 'string') {
          // An occurrence, exception or series master is left out (header); not read again either.
          if (!isSingleEvent(entry)) {
            reread.delete(e.id);
            continue;
          }
          removed.delete(e.id);
          reread.add(e.id);
          continue;
        }
        const reading = this.read(entity, entry);
        if (!reading) continue;
        removed.delete(reading.itemId);
        items.set(reading.itemId, reading);
      }
      const onward = deltaOnward(this.http, page);
      if ('deltaLink' in onward) return finish(onward.deltaLink, true);
      if (pages >= maxPages) return finish(onward.nextLink, false);
      link = onward.nextLink;
    }
  }

  private read(entity: SyncEntity, json: unknown): OutlookSyncItem | null {
    const reading = readSyncItem(entity, json, {
      customPropertiesId: this.tagPropertyId,
      ...this.zone(),
    });
    if (!reading.ok) {
      this.options.log?.(`An item of ${ENTITY_LABEL[entity]} cannot be read: ${reading.reason}`);
      return null;
    }
    if (reading.warnings.length)
      this.options.log?.(`Item ${reading.item.itemId}: ${reading.warnings.join('; ')}`);
    return reading.item;
  }

  /**
   * The events a calendarView delta gave, read by id with `$select` and the link's `$expand`
   * (`$batch`es of 20). One gone meanwhile (404) is removed. Another failure of one event is that
   * event's problem (review 16): it is left out of this round's items and logged, the others are
   * given; only a failure of the whole request (the `$batch` itself) fails the call, so the runner
   * keeps its watermark and reads the same changes next time.
   */
  private async rereadEvents(
    ids: readonly string[],
    items: Map<string, OutlookSyncItem>,
    removed: Set<string>,
  ): Promise<void> {
    const requests: GraphBatchRequest[] = ids.map((id, i) =>
      this.getRequest('appointment', String(i + 1), id, undefined, '/me/events'),
    );
    const responses = await this.http.batch(requests);
    responses.forEach((response, i) => {
      const id = ids[i] as string;
      const error = partError(response, requests[i] as GraphBatchRequest);
      if (error instanceof GraphNotFoundError) {
        removed.add(id);
        return;
      }
      if (error) {
        this.options.log?.(`Event ${id} cannot be read again; left out of this round`, error);
        return;
      }
      if (!isSingleEvent(response.body)) return;
      const item = this.read('appointment', response.body);
      if (item) items.set(item.itemId, item);
    });
  }

  private zone(): { timeZone?: string } {
    return this.options.timeZone ? { timeZone: this.options.timeZone } : {};
  }

  // -------------------------------------------------------------------------------------------------
  // Paths

  private async taskListPath(): Promise<string> {
    if (this.taskListId === null) {
      const lists = await this.http.all(`/me/todo/lists?${query({ select: ['id', 'wellknownListName'] })}`);
      const list = lists.find(
        (l) => (l as Json | null)?.wellknownListName === 'defaultList' && typeof (l as Json).id === 'string',
      ) as { id: string } | undefined;
      if (!list)
        throw new GraphNotFoundError('The mailbox has no default To Do list.', {
          status: null,
          code: 'DefaultListNotFound',
          requestId: null,
          request: 'GET /me/todo/lists',
        });
      this.taskListId = list.id;
    }
    return `/me/todo/lists/${encodeURIComponent(this.taskListId)}`;
  }

  private async collectionPath(entity: SyncEntity): Promise<string> {
    if (entity === 'contact') return '/me/contacts';
    if (entity === 'appointment') return '/me/events';
    return `${await this.taskListPath()}/tasks`;
  }

  private itemQuery(entity: SyncEntity): string {
    if (entity === 'task') return query({ select: [...GRAPH_SELECT.task], expand: 'linkedResources' });
    const ids = entity === 'appointment' ? [LINK_PROPERTY_ID, this.tagPropertyId] : [LINK_PROPERTY_ID];
    return query({ select: [...GRAPH_SELECT[entity]], expand: expandProperties(ids) });
  }

  private getRequest(
    entity: SyncEntity,
    id: string,
    itemId: string,
    dependsOn?: string[],
    base?: string,
  ): GraphBatchRequest {
    return {
      id,
      method: 'GET',
      url: `${base ?? ''}/${encodeURIComponent(itemId)}?${this.itemQuery(entity)}`,
      ...(entity === 'appointment' ? { headers: { Prefer: EVENT_PREFER } } : {}),
      ...(dependsOn ? { dependsOn } : {}),
    };
  }

  // -------------------------------------------------------------------------------------------------
  // Writing

  async applyWrites(
    entity: SyncEntity,
    writes: readonly OutlookSyncWrite[],
    onProgress?: (done: number) => void,
  ): Promise<OutlookSyncOutcome[]> {
    if (writes.length === 0) return [];
    const outcomes = new Array<OutlookSyncOutcome | undefined>(writes.length);
    const base = await this.collectionPath(entity);
    const current = await this.currentItems(entity, base, writes, outcomes);
    const units: Unit[] = [];
    writes.forEach((write, index) => {
      if (outcomes[index]) return;
      const unit = this.unitFor(entity, base, write, index, current.get(index) ?? null);
      if ('ok' in unit) outcomes[index] = unit;
      else units.push(unit);
    });
    // Writes answered without a request of their own (an item gone before it, a no-op) count as
    // answered from the first $batch on.
    let answered = writes.length - units.length;
    for (const chunk of chunksOf(units)) {
      const requests = chunk.flatMap((u) => u.requests);
      const responses = await this.http.batch(requests);
      let at = 0;
      for (const unit of chunk) {
        outcomes[unit.index] = unit.answer(responses.slice(at, at + unit.requests.length));
        at += unit.requests.length;
      }
      answered += chunk.length;
      onProgress?.(answered);
    }
    if (units.length === 0) onProgress?.(writes.length);
    return outcomes as OutlookSyncOutcome[];
  }

  /**
   * The current JSON of the items a write needs it for: an update of a property several fields share,
   * a track (keeps the link's CRM id), a task's link or unlink (its linkedResources).
   */
  private async currentItems(
    entity: SyncEntity,
    base: string,
    writes: readonly OutlookSyncWrite[],
    outcomes: (OutlookSyncOutcome | undefined)[],
  ): Promise<Map<number, Json>> {
    const wanted = writes.flatMap((w, i) => {
      const needs =
        (w.kind === 'update' && needsCurrent(entity, w.fields)) ||
        w.kind === 'track' ||
        (entity === 'task' && (w.kind === 'link' || w.kind === 'unlink'));
      return needs && 'itemId' in w ? [i] : [];
    });
    const out = new Map<number, Json>();
    if (wanted.length === 0) return out;
    const requests = wanted.map((i, k) =>
      this.getRequest(entity, String(k + 1), (writes[i] as { itemId: string }).itemId, undefined, base),
    );
    const responses = await this.http.batch(requests);
    responses.forEach((response, k) => {
      const i = wanted[k] as number;
      const itemId = (writes[i] as { itemId: string }).itemId;
      const error = partError(response, requests[k] as GraphBatchRequest);
      if (error) outcomes[i] = { itemId, ok: false, error };
      else if (typeof response.body !== 'object' || response.body === null)
        outcomes[i] = {
          itemId,
          ok: false,
          error: graphProtocolError(
            'the item answered is not a JSON object',
            `GET ${ENTITY_LABEL[entity]} (in $batch)`,
            200,
          ),
        };
      else out.set(i, response.body as Json);
    });
    return out;
  }

  private unitFor(
    entity: SyncEntity,
    base: string,
    write: OutlookSyncWrite,
    index: number,
    current: Json | null,
  ): Unit | OutlookSyncOutcome {
    const itemUrl = (itemId: string): string => `${base}/${encodeURIComponent(itemId)}`;
    const headers = entity === 'appointment' ? { Prefer: EVENT_PREFER } : undefined;
    switch (write.kind) {
      case 'create': {
        const body = graphBody(entity, createFields(entity, write.fields), null, this.zone());
        const link: SyncLink = { crmId: crmIdOf(write.crmId), tracked: false };
        if (entity === 'task')
          body.linkedResources = [
            {
              applicationName: LINK_APPLICATION,
              externalId: link.crmId,
              displayName: displayNameOf(write.fields),
            },
          ];
        else body.singleValueExtendedProperties = [{ id: LINK_PROPERTY_ID, value: linkValue(link) }];
        const request: GraphBatchRequest = {
          id: '1',
          method: 'POST',
          url: base,
          body,
          ...(headers ? { headers } : {}),
        };
        return this.unit(index, [request], (responses) =>
          this.answered(entity, responses[0], request, null, write.ref, link),
        );
      }
      case 'update': {
        // PATCH answers the item, but not its extended properties: the GET after it (same $batch) does.
        // With the changeKey read, If-Match (header); To Do tasks have none to send.
        const ifMatch =
          write.changeKey && entity !== 'task' ? { 'If-Match': `W/"${write.changeKey}"` } : undefined;
        const patchHeaders = headers || ifMatch ? { ...headers, ...ifMatch } : undefined;
        const patch: GraphBatchRequest = {
          id: '1',
          method: 'PATCH',
          url: itemUrl(write.itemId),
          body: graphBody(entity, write.fields, current, this.zone()),
          ...(patchHeaders ? { headers: patchHeaders } : {}),
        };
        const get = this.getRequest(entity, '2', write.itemId, ['1'], base);
        return this.unit(
          index,
          [patch, get],
          (responses) =>
            this.firstFailure(write.itemId, [patch, get], responses) ??
            this.answered(entity, responses[1], get, write.itemId),
        );
      }
      case 'link':
      case 'unlink':
      case 'track': {
        const link: SyncLink =
          write.kind === 'link'
            ? { crmId: crmIdOf(write.crmId), tracked: write.tracked }
            : write.kind === 'unlink'
              ? { crmId: null, tracked: false }
              : {
                  crmId: readLink(entity, current, { customPropertiesId: this.tagPropertyId }).crmId,
                  tracked: true,
                };
        if (entity === 'task')
          return this.taskLinkUnit(base, write.itemId, index, link, current, write.kind === 'track');
        const patch: GraphBatchRequest = {
          id: '1',
          method: 'PATCH',
          url: itemUrl(write.itemId),
          body: { singleValueExtendedProperties: [{ id: LINK_PROPERTY_ID, value: linkValue(link) }] },
          ...(headers ? { headers } : {}),
        };
        return this.unit(index, [patch], (responses) =>
          this.answered(entity, responses[0], patch, write.itemId, undefined, link),
        );
      }
      case 'delete': {
        const del: GraphBatchRequest = { id: '1', method: 'DELETE', url: itemUrl(write.itemId) };
        return this.unit(index, [del], (responses) => {
          const error = partError(responses[0] as GraphBatchResponse, del);
          // (chosen) Already gone is what a delete wants.
          return error && !(error instanceof GraphNotFoundError)
            ? { itemId: write.itemId, ok: false, error }
            : { itemId: write.itemId, ok: true, item: null };
        });
      }
    }
  }

  /**
   * A task's link is this add-in's linkedResource: link adds one (replacing ours that name another
   * record), unlink deletes ours, then the task is read back in the same `$batch` with them.
   */
  private taskLinkUnit(
    base: string,
    itemId: string,
    index: number,
    link: SyncLink,
    current: Json | null,
    track: boolean,
  ): Unit | OutlookSyncOutcome {
    if (track)
      // Tasks are never tracked from Outlook (the port's track is a contact's).
      return {
        itemId,
        ok: false,
        error: new GraphRequestError('A To Do task cannot be tracked from Outlook.', {
          status: null,
          code: 'TrackNotSupported',
          requestId: null,
          request: null,
        }),
      };
    const url = `${base}/${encodeURIComponent(itemId)}/linkedResources`;
    const own = ownLinkedResources(current).filter(
      (r): r is { id: string; externalId: string | null } => r.id !== null,
    );
    const requests: GraphBatchRequest[] = [];
    const displayName =
      typeof current?.title === 'string' && current.title ? current.title : LINK_APPLICATION;
    // Ours naming another record (or all of ours, for an unlink) are deleted and the link added
    // anew: create and delete are the linkedResource methods every To Do client has.
    const keep = own.find((r) => link.crmId !== null && r.externalId === link.crmId);
    for (const r of own)
      if (r !== keep)
        requests.push({
          id: String(requests.length + 1),
          method: 'DELETE',
          url: `${url}/${encodeURIComponent(r.id)}`,
        });
    if (link.crmId !== null && !keep)
      requests.push({
        id: String(requests.length + 1),
        method: 'POST',
        url,
        body: { applicationName: LINK_APPLICATION, externalId: link.crmId, displayName },
        // After the deletes, so the task never holds two links.
        ...(requests.length ? { dependsOn: requests.map((r) => r.id) } : {}),
      });
    const get = this.getRequest(
      'task',
      String(requests.length + 1),
      itemId,
      requests.map((r) => r.id),
      base,
    );
    const all = [...requests, get];
    return this.unit(
      index,
      all,
      (responses) =>
        this.firstFailure(itemId, all, responses) ??
        this.answered('task', responses[all.length - 1], get, itemId),
    );
  }

  private unit(index: number, requests: GraphBatchRequest[], answer: Unit['answer']): Unit {
    return { index, requests, answer };
  }

  /** The first failed part's error (a 424 after it is its consequence, not news). */
  private firstFailure(
    itemId: string,
    requests: readonly GraphBatchRequest[],
    responses: readonly GraphBatchResponse[],
  ): OutlookSyncOutcome | null {
    for (let i = 0; i < requests.length; i += 1) {
      const error = partError(responses[i] as GraphBatchResponse, requests[i] as GraphBatchRequest);
      if (error) return { itemId, ok: false, error };
    }
    return null;
  }

  /** The item a write's answer holds, with the link just written when the answer cannot show it. */
  private answered(
    entity: SyncEntity,
    response: GraphBatchResponse | undefined,
    request: GraphBatchRequest,
    itemId: string | null,
    ref?: string,
    link?: SyncLink,
  ): OutlookSyncOutcome {
    const refPart = ref === undefined ? {} : { ref };
    if (!response)
      return {
        itemId,
        ...refPart,
        ok: false,
        error: graphProtocolError('no answer for the write', request.url),
      };
    const error: GraphError | null = partError(response, request);
    if (error) return { itemId, ...refPart, ok: false, error };
    const item = this.read(entity, response.body);
    if (!item)
      return {
        itemId,
        ...refPart,
        ok: false,
        error: graphProtocolError(
          'the item answered cannot be read',
          `${request.method} ${ENTITY_LABEL[entity]} (in $batch)`,
          response.status,
        ),
      };
    const withLink = link ? { ...item, crmId: link.crmId, tracked: link.tracked } : item;
    return { itemId: item.itemId, ...refPart, ok: true, item: withLink };
  }
}

/** Units packed in order into `$batch`es of at most 20 requests. */
function chunksOf(units: readonly Unit[]): Unit[][] {
  const chunks: Unit[][] = [];
  let chunk: Unit[] = [];
  let size = 0;
  for (const unit of units) {
    if (size + unit.requests.length > MAX_BATCH && chunk.length) {
      chunks.push(chunk);
      chunk = [];
      size = 0;
    }
    // Ids are unique within a $batch: each unit's are prefixed with its write's index.
    chunk.push({ ...unit, requests: renumber(unit) });
    size += unit.requests.length;
  }
  if (chunk.length) chunks.push(chunk);
  return chunks;
}

function renumber(unit: Unit): GraphBatchRequest[] {
  const id = (local: string): string => `${unit.index + 1}.${local}`;
  return unit.requests.map((r) => ({
    ...r,
    id: id(r.id),
    ...(r.dependsOn ? { dependsOn: r.dependsOn.map(id) } : {}),
  }));
}

/**
 * Whether a calendar event is a single event (`type` singleInstance). An event without `type` counts
 * as one (chosen: a calendarView delta entry may come without it; the read by id selects it).
 */
function isSingleEvent(json: unknown): boolean {
  const type = typeof json === 'object' && json !== null ? (json as { type?: unknown }).type : undefined;
  return type === undefined || type === 'singleInstance';
}

function displayNameOf(fields: Readonly<Record<string, unknown>>): string {
  return typeof fields.title === 'string' && fields.title ? fields.title : LINK_APPLICATION;
}

function defaultWindow(now: number): { start: string; end: string } {
  return {
    start: new Date(now - WINDOW_PAST_DAYS * DAY_MS).toISOString(),
    end: new Date(now + WINDOW_FUTURE_DAYS * DAY_MS).toISOString(),
  };
}

/** calendarView's startDateTime/endDateTime: ISO 8601 in UTC to the second. */
function instantParam(value: string): string {
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new TypeError(`not an instant: ${JSON.stringify(value)}`);
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
