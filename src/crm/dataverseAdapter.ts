/**
 * The CrmPort over the Dataverse Web API v9.2. Every read an item needs is one `$batch`; tracking
 * is idempotent per Message-ID and user (checked before every create, so a retry after a lost
 * response finds the first activity instead of making a second).
 */
import { normalizeMessageId } from '../rules/messageId';
import type { RawSettings } from '../rules/settingsInput';
import type { CrmRecord, RecordRef, TrackedEmail } from '../rules/types';
import type { BatchItem, BatchRequest, BatchResponse } from './batch';
import { fit, MAX_LENGTH, storedMessageId } from './columns';
import { batchPartError, type DataverseHttp } from './dataverseHttp';
import { EMAIL_ENABLED_TYPES, entity, ENTITIES, idFromEntityUrl, PARTICIPATION } from './entities';
import { CrmError, CrmRequestError, CrmUnavailableError, protocolError } from './errors';
import { loadPart } from './lazyPart';
import {
  and,
  collectionPath,
  contains,
  entityPath,
  equalsCurrentUser,
  guid,
  isIn,
  literal,
  or,
  startsWith,
} from './odata';
import type {
  CreatedRecord,
  CrmAppointmentPort,
  CrmPort,
  CrmSessionStart,
  EmailEnabledTable,
  EmailTablesFound,
  EmailToTrack,
  FindRecordsOptions,
  FoundRecords,
  ItemLookupQuery,
  ItemLookupResult,
  PersonalOptionsPatch,
  RecordSearchHit,
  RecordToCreate,
  TrackedResult,
  TrackOptions,
} from './port';
import { backoffDelay, DEFAULT_RETRY_POLICY } from './retryPolicy';
import { loadNameUuid, plannedIds, type PlannedIds } from './trackIds';

/** The record search: a chunk loaded on the first search (lazyPart.ts). */
const loadRecordSearch = () =>
  loadPart(() => import(/* webpackChunkName: "record-search" */ './recordSearch'));

/** §1.1 attributes read from the organizations row (the admin page edits them too: adminAdapter.ts). */
export const ORGANIZATION_ATTRIBUTES = [
  'tagpollingperiod',
  'tagmaxaggressivecycles',
  'allowoutlookscheduledsyncs',
  'minoutlooksyncinterval',
  'allowofflinescheduledsyncs',
  'minofflinesyncinterval',
  'allowaddressbooksyncs',
  'minaddressbooksyncinterval',
  'emailcorrelationenabled',
  'trackingprefix',
  'trackingtokeniddigits',
  'trackingtokenidbase',
  'maximumtrackingnumber',
  'enablesmartmatching',
  'hashfilterkeywords',
  'hashmaxcount',
  'hashdeltasubjectcount',
  'hashminaddresscount',
  'ignoreinternalemail',
  'requireapprovalforuseremail',
  'unresolveemailaddressifmultiplematch',
  'isfolderbasedtrackingenabled',
  'orgdborgsettings',
  // Attachments: the largest file (bytes) and the refused extensions, checked before a file is read.
  'maxuploadfilesize',
  'blockedattachments',
];
/** §1.4 attributes of the usersettings row. */
const USER_SETTING_ATTRIBUTES = [
  'incomingemailfilteringmethod',
  'autocreatecontactonpromote',
  'synccontactcompany',
  'outlooksyncinterval',
  'offlinesyncinterval',
  'addressbooksyncinterval',
  'isduplicatedetectionenabledwhengoingonline',
];
const EMAIL_SELECT = [
  'activityid',
  'messageid',
  'subject',
  'trackingtoken',
  'conversationindex',
  '_regardingobjectid_value',
  '_ownerid_value',
  'actualend',
  'createdon',
];
const PARTIES_EXPAND = 'email_activity_parties($select=addressused,participationtypemask)';
/** Dataverse answers at most this many values in one In(...) comfortably inside a URL. */
const IN_CHUNK = 100;
/** Requests in one $batch (Dataverse allows 1,000). */
const BATCH_LIMIT = 1000;
/** Correlation candidates fetched per item for smart matching. */
const SMART_CANDIDATES = 50;

export type Row = Record<string, unknown>;

export const str = (row: Row, name: string): string | null =>
  typeof row[name] === 'string' ? (row[name] as string) : null;

const unique = <T>(list: readonly T[]): T[] => [...new Set(list)];

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * Outlook gives `<id@host>`; Dataverse rows may hold it with or without the brackets. An id too
 * long for the column is stored (and so asked for) in its one shortened form (columns.ts).
 */
function messageIdVariants(id: string): string[] {
  const stored = storedMessageId(id);
  if (stored !== id.trim()) return [stored];
  const bare = id.trim().replace(/^<(.*)>$/, '$1');
  return bare ? [`<${bare}>`, bare] : [];
}

/**
 * This add-in's environment variables (`tic_`), each definition with its current value expanded: only
 * ours are read (an unfiltered read of every value of the organization would also stop at its first
 * page), and the value pairs with its definition without matching ids.
 */
const ENV_VARIABLES_PATH = collectionPath('environmentvariabledefinitions', {
  select: ['schemaname', 'defaultvalue'],
  filter: startsWith('schemaname', 'tic_'),
  expand: 'environmentvariabledefinition_environmentvariablevalue($select=value)',
});
/**
 * Custom email-enabled tables: `IsActivityParty` (email can be sent to their rows) and custom (the
 * built-in five are known already). Their address is their first String column whose FormatName is
 * Email ("only the first one specified is used": Microsoft's "Create and update a table to send email
 * activities to rows"). FormatName is a StringAttributeMetadata property, which an expanded
 * `Attributes` does not carry (only AttributeMetadata's common properties: "Query table definitions
 * using the Web API"), so the columns are read per table with a cast (`emailColumnsPath`), in one
 * more $batch made only when the organization has such tables.
 */
const EMAIL_TABLES_PATH = `EntityDefinitions?${[
  '$select=LogicalName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute',
  `$filter=${encodeURIComponent('IsActivityParty eq true and IsCustomEntity eq true')}`,
].join('&')}`;
const emailColumnsPath = (logicalName: string): string =>
  `EntityDefinitions(LogicalName=${encodeURIComponent(literal(logicalName))})/Attributes/Microsoft.Dynamics.CRM.StringAttributeMetadata?$select=LogicalName,FormatName,ColumnNumber`;
/** The user's own row, for the name the pane shows, found without the user id (EqualUserId). */
const USER_NAME_PATH = collectionPath('systemusers', {
  select: ['fullname'],
  filter: equalsCurrentUser('systemuserid'),
  top: 1,
});
/** The user's mailbox row, found without the user id (Microsoft.Dynamics.CRM.EqualUserId). */
const MAILBOX_PATH = collectionPath('mailboxes', {
  select: ['emailrouteraccessapproval'],
  filter: equalsCurrentUser('regardingobjectid'),
  top: 1,
});

export function lookupRef(row: Row, attribute: string): RecordRef | null {
  const id = str(row, `_${attribute}_value`);
  const type = str(row, `_${attribute}_value@Microsoft.Dynamics.CRM.lookuplogicalname`);
  return id && type ? { type, id } : null;
}

export interface DataverseAdapterOptions {
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Tries of the check-then-create cycle of trackEmails. */
  readonly trackAttempts?: number;
  /** Where failures handled here (not thrown) are written: the DiagnosticsLog shape. */
  readonly log?: (message: string, error?: unknown) => void;
  /**
   * The CRM's appointments (issue 12), built over this adapter (src/crm/appointments.ts) by the
   * runtimes that show meetings, the pane and the ribbon command. Given, not built here, so that
   * events.js, whose handlers never see a meeting, does not carry them under its budget.
   */
  readonly appointments?: (access: DataverseAccess) => CrmAppointmentPort;
}

/** What a part of the port built beside the adapter (the appointments) uses of it. */
export interface DataverseAccess {
  readonly http: DataverseHttp;
  /** GETs in one $batch, each answer checked, lookup types and names as annotations. */
  getBatch(paths: readonly string[]): Promise<(BatchResponse | undefined)[]>;
  /** The custom email-enabled tables found when the session opened: entity set by logical name. */
  customPartySets(): ReadonlyMap<string, string>;
  log(message: string, error?: unknown): void;
}

export class DataverseAdapter implements CrmPort {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly trackAttempts: number;
  private readonly log: (message: string, error?: unknown) => void;
  /** Custom email-enabled tables found when the session opened (§2.4). */
  private customTables: readonly EmailEnabledTable[] = [];
  /** Appointments (issue 12), when this runtime was given them. */
  readonly appointments?: CrmAppointmentPort;

  constructor(
    private readonly http: DataverseHttp,
    options: DataverseAdapterOptions = {},
  ) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.trackAttempts = options.trackAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts;
    this.log = options.log ?? (() => {});
    if (options.appointments)
      this.appointments = options.appointments({
        http,
        getBatch: (paths) => this.getBatch(paths),
        customPartySets: () => this.customPartySets(),
        log: (message, error) => this.log(message, error),
      });
  }

  /**
   * ONE `$batch` (continue-on-error, so each part answers for itself): WhoAmI, the organization
   * row, the user's usersettings and mailbox (by EqualUserId: no part needs the user id first), the
   * `tic_` environment variables, and the custom email-enabled tables. WhoAmI, the organization and
   * the variables are required (their failure is thrown, typed). When the server refuses the
   * EqualUserId parts (an older emulator), they are asked again by id: one more round trip, logged.
   * An organization WITH custom email-enabled tables costs one more $batch (their address columns,
   * see EMAIL_TABLES_PATH) the first time; one without costs none, and so does a start given what an
   * earlier session found (`known`) when the organization lists the same tables. A failed table
   * discovery leaves the built-in types only, logged.
   */
  async openSession(known?: EmailTablesFound): Promise<CrmSessionStart> {
    const paths = [
      'WhoAmI',
      collectionPath('organizations', { select: ORGANIZATION_ATTRIBUTES, top: 1 }),
      collectionPath('usersettingscollection', {
        select: USER_SETTING_ATTRIBUTES,
        filter: equalsCurrentUser('systemuserid'),
      }),
      MAILBOX_PATH,
      ENV_VARIABLES_PATH,
      EMAIL_TABLES_PATH,
      USER_NAME_PATH,
    ];
    const responses = await this.http.batch(
      paths.map((path) => ({
        kind: 'request',
        request: { method: 'GET', path, headers: { Prefer: 'odata.include-annotations="*"' } },
      })),
      { continueOnError: true },
    );
    const part = (i: number): BatchResponse => {
      const response = responses[i];
      if (!response || Array.isArray(response))
        throw protocolError('the session batch answered out of shape', 'POST $batch');
      return response;
    };
    const required = (i: number): BatchResponse => {
      const response = part(i);
      const error = batchPartError(response, `GET ${(paths[i] as string).split('?')[0]}`);
      if (error) throw error;
      return response;
    };
    const who = required(0).body as {
      UserId?: unknown;
      BusinessUnitId?: unknown;
      OrganizationId?: unknown;
    } | null;
    if (typeof who?.UserId !== 'string') throw protocolError('WhoAmI returned no UserId', 'GET WhoAmI');
    const userId = guid(who.UserId);
    const org = required(1);
    const variables = required(4);

    let userRow: Row | undefined;
    let mailboxRow: Row | undefined;
    // The name is for display only: a part refused for any other reason leaves it null.
    const namePart = responses[6];
    let userName: string | null =
      namePart && !Array.isArray(namePart) && namePart.status < 300
        ? (str(rows(namePart)[0] ?? {}, 'fullname') ?? null)
        : null;
    const userPart = part(2);
    const mailboxPart = part(3);
    if (userPart.status < 300 && mailboxPart.status < 300) {
      userRow = rows(userPart)[0];
      mailboxRow = rows(mailboxPart)[0];
    } else {
      const refused = batchPartError(userPart.status >= 300 ? userPart : mailboxPart, 'GET EqualUserId');
      if (!(refused instanceof CrmRequestError)) throw refused;
      this.log(
        'EqualUserId was refused; the user settings and mailbox are asked by id (one more round trip)',
        refused,
      );
      const [user, mailbox, self] = await this.getBatch([
        `${entityPath('usersettingscollection', userId)}?$select=${USER_SETTING_ATTRIBUTES.join(',')}`,
        collectionPath('mailboxes', {
          select: ['emailrouteraccessapproval'],
          filter: `_regardingobjectid_value eq ${userId}`,
          top: 1,
        }),
        `${entityPath('systemusers', userId)}?$select=fullname`,
      ]);
      userRow = (user?.body ?? undefined) as Row | undefined;
      mailboxRow = rows(mailbox)[0];
      userName ??= str((self?.body ?? {}) as Row, 'fullname');
    }

    const emailTables = await this.discoverEmailTables(part(5), known);
    this.customTables = [...emailTables.tables];

    return {
      identity: {
        userId,
        businessUnitId: String(who.BusinessUnitId ?? ''),
        organizationId: String(who.OrganizationId ?? ''),
        mailboxApproved: mailboxRow?.emailrouteraccessapproval === 1,
        userName,
      },
      settings: { raw: rawSettings(rows(org)[0], rows(variables), userRow) },
      emailTables,
    };
  }

  async savePersonalOptions(userId: string, options: PersonalOptionsPatch): Promise<void> {
    const body = Object.fromEntries(
      Object.entries(options).filter(([k, v]) => v !== undefined && USER_SETTING_ATTRIBUTES.includes(k)),
    );
    if (Object.keys(body).length === 0) return;
    await this.http.send('PATCH', entityPath('usersettingscollection', userId), { body, idempotent: false });
  }

  async lookupItem(query: ItemLookupQuery): Promise<ItemLookupResult> {
    return this.lookupItems([query]);
  }

  /**
   * Many items' lookups in ONE `$batch` (the background check's cycle): Message-IDs, addresses and
   * correlation keys of all the queries merged into shared `In(...)` requests, and each query's own
   * smart-matching request, so every query still gets its newest SMART_CANDIDATES. One query asks
   * exactly what lookupItem always asked.
   */
  async lookupItems(queries: readonly ItemLookupQuery[]): Promise<ItemLookupResult> {
    const paths: string[] = [];
    const kinds: ('tracked' | 'records')[] = [];
    const ask = (path: string, kind: 'tracked' | 'records'): void => {
      paths.push(path);
      kinds.push(kind);
    };
    const trackedPath = (filter: string): string =>
      collectionPath('emails', { select: EMAIL_SELECT, filter, expand: PARTIES_EXPAND });
    const ownIds = (q: ItemLookupQuery): string[] =>
      [q.messageId, ...(q.extraMessageIds ?? [])].flatMap((id) => (id ? messageIdVariants(id) : []));
    const ids = unique(queries.flatMap(ownIds));
    for (const part of chunks(ids, IN_CHUNK)) ask(trackedPath(isIn('messageid', part)), 'tracked');
    const addresses = unique(queries.flatMap((q) => q.addresses.map((a) => a.trim()).filter(Boolean)));
    const tables = this.recordTables();
    for (const part of chunks(addresses, IN_CHUNK)) {
      for (const info of tables) {
        ask(
          collectionPath(info.set, {
            select: [info.key, info.name, ...info.emails, 'createdon'],
            filter: and(info.activeFilter, or(...info.emails.map((attribute) => isIn(attribute, part)))),
          }),
          'records',
        );
      }
    }
    // Each query's bound first, newest first (§3.1 walks References from last to first): when there
    // are too many, the oldest are the ones left out. The union is then asked in chunks.
    const threadIds = chunks(
      unique(
        queries.flatMap((q) => unique(q.threadMessageIds.flatMap(messageIdVariants)).slice(0, IN_CHUNK)),
      ),
      IN_CHUNK,
    );
    const tokens = chunks(
      unique(
        queries.flatMap((q) =>
          unique(q.trackingTokens.map((t) => t.trim()).filter(Boolean)).slice(0, IN_CHUNK),
        ),
      ),
      IN_CHUNK,
    );
    const threadIndexes = chunks(
      unique(queries.flatMap((q) => q.threadIndexes.slice(0, IN_CHUNK))),
      IN_CHUNK,
    );
    for (let i = 0; i < Math.max(threadIds.length, tokens.length, threadIndexes.length); i += 1) {
      const correlation: string[] = [];
      if (threadIds[i]) correlation.push(isIn('messageid', threadIds[i] as string[]));
      if (tokens[i]) correlation.push(isIn('trackingtoken', tokens[i] as string[]));
      if (threadIndexes[i]) correlation.push(isIn('conversationindex', threadIndexes[i] as string[]));
      ask(trackedPath(or(...correlation)), 'tracked');
    }
    const smart = new Set<string>();
    for (const q of queries) {
      const words = unique((q.subjectWords ?? []).filter((w) => w.trim() !== ''));
      if (words.length === 0) continue;
      const path = collectionPath('emails', {
        select: EMAIL_SELECT,
        filter: or(...words.map((word) => contains('subject', word))),
        orderby: 'createdon desc',
        top: SMART_CANDIDATES,
        expand: PARTIES_EXPAND,
      });
      // Two subjects reduced to the same words ask the same thing once.
      if (smart.has(path)) continue;
      smart.add(path);
      ask(path, 'tracked');
    }
    // A row holding a shortened Message-ID (columns.ts) is reported under the id it stands for.
    const asked = new Map<string, string>();
    for (const id of [
      ...ids,
      ...queries.flatMap((q) => [...q.threadMessageIds, q.messageId ?? '', ...(q.extraMessageIds ?? [])]),
    ])
      if (id && storedMessageId(id) !== id.trim()) asked.set(storedMessageId(id), id.trim());
    const responses = await this.getBatch(paths);
    const records = new Map<string, CrmRecord>();
    const tracked = new Map<string, TrackedEmail>();
    const regardingNames: Record<string, string> = {};
    responses.forEach((response, i) => {
      for (const row of rows(response)) {
        if (kinds[i] === 'tracked') {
          const read = toTrackedEmail(row);
          const email =
            read?.messageId && asked.has(read.messageId)
              ? { ...read, messageId: asked.get(read.messageId) as string }
              : read;
          if (email) tracked.set(email.activityId, email);
          const name = str(row, '_regardingobjectid_value@OData.Community.Display.V1.FormattedValue');
          if (email?.regarding && name)
            regardingNames[`${email.regarding.type}:${email.regarding.id}`] = name;
        } else {
          const record = toRecord(row, tables);
          if (record) records.set(`${record.type}:${record.id}`, record);
        }
      }
    });
    return { records: [...records.values()], trackedEmails: [...tracked.values()], regardingNames };
  }

  async trackEmails(
    userId: string,
    emails: readonly EmailToTrack[],
    options: TrackOptions = {},
  ): Promise<TrackedResult[]> {
    const results = new Map<string, TrackedResult>();
    const checkedAbsent = new Set(options.checkedAbsent ?? []);
    // The keys of the rows each track creates derive from the user and the Message-ID (trackIds.ts),
    // the same in every try and every runtime. A request sent twice (a browser re-sends a POST whose
    // connection dropped before the answer; our own retry after a lost response; the pane and the
    // ribbon tracking the same email at once) then fails on the duplicate key instead of making a
    // second activity, and the next try's check finds the first.
    const nameUuid = await loadNameUuid();
    const ids = new Map(emails.map((e) => [e.messageId, plannedIds(nameUuid, userId, e)]));
    // Emails whose changeset this call has sent: when a check finds one under its planned key, the
    // row is (as far as can be known) this call's own create whose answer was lost or refused as a
    // duplicate of itself, so it is reported created, with the records it planned.
    const sent = new Set<string>();
    const found = (email: EmailToTrack, activityId: string): TrackedResult => {
      const planned = ids.get(email.messageId) as PlannedIds;
      return sent.has(email.messageId) && activityId === planned.activity
        ? {
            activityId,
            existed: false,
            createdRecords: email.create.flatMap((r, k) =>
              creatable(r) ? [{ type: r.type, id: planned.records[k] as string }] : [],
            ),
          }
        : { activityId, existed: true, createdRecords: [] };
    };
    let duplicateSeen = false;
    /** Emails whose last send hit the duplicate key. */
    const duplicated = new Set<string>();
    let lastError: CrmError | null = null;
    for (let attempt = 1; attempt <= this.trackAttempts; attempt += 1) {
      const pending = emails.filter((e) => !results.has(e.messageId));
      if (pending.length === 0) break;
      // Check first, every time: after a lost response the activity may already exist. Only the first
      // try may trust a lookup the caller has just made (nothing of ours can exist before we try).
      const unchecked = pending.filter((e) => attempt > 1 || !checkedAbsent.has(e.messageId));
      const existing =
        unchecked.length === 0
          ? new Map<string, string>()
          : await this.existingActivities(userId, unchecked, ids);
      const toCreate: EmailToTrack[] = [];
      for (const email of pending) {
        const id = existing.get(email.messageId);
        if (id) results.set(email.messageId, found(email, id));
        else {
          if (duplicated.has(email.messageId)) {
            // The duplicate key is held by a row the check cannot see (a record created under its derived
            // key by an earlier track, since deactivated; a deleted row kept by the recycle bin): the
            // same keys would fail forever, so this email takes new ones.
            this.log(`trackEmails: ${email.messageId}: its keys are held by a row not found; new keys`);
            ids.set(email.messageId, plannedIds(nameUuid, userId, email, String(this.random()).slice(2)));
          }
          toCreate.push(email);
        }
      }
      duplicated.clear();
      lastError = null;
      for (const group of groupChangesets(
        toCreate.map((email) => ({
          email,
          changeset: trackChangeset(email, ids.get(email.messageId) as PlannedIds, this.customPartySets()),
        })),
      )) {
        let responses: (BatchResponse | BatchResponse[])[];
        for (const { email } of group) sent.add(email.messageId);
        try {
          // Each changeset stands alone: one email's failure must not stop (or hide) the others.
          responses = await this.http.batch(
            group.map((g) => ({ kind: 'changeset', requests: g.changeset.requests }) satisfies BatchItem),
            { continueOnError: true },
          );
        } catch (error) {
          if (!(error instanceof CrmError) || !error.retryable) throw error;
          this.log(
            `trackEmails: try ${attempt} failed; the next try re-checks what it may have created`,
            error,
          );
          lastError = error;
          continue; // the next attempt re-checks what this batch may have created
        }
        responses.forEach((response, i) => {
          const { email, changeset } = group[i] as (typeof group)[number];
          if (!Array.isArray(response)) {
            const error =
              batchPartError(response, 'POST emails') ??
              protocolError('a changeset answered with one part', 'POST $batch');
            if (error.detail.code === DUPLICATE_KEY_CODE) {
              // Our own ids already exist: an earlier send of this changeset landed. The next try's
              // check finds that activity (no wait needed).
              this.log(`trackEmails: ${email.messageId} was already created by an earlier send`, error);
              duplicateSeen = true;
              duplicated.add(email.messageId);
              return;
            }
            if (!error.retryable) throw error;
            this.log(`trackEmails: ${email.messageId} failed on try ${attempt}; tried again`, error);
            lastError = error;
            return;
          }
          const created = response.map((r) => idFromEntityUrl(r.headers.get('odata-entityid')));
          const activityId = created[changeset.emailIndex];
          if (!activityId)
            throw protocolError('the email create answered without OData-EntityId', 'POST emails');
          results.set(email.messageId, {
            activityId,
            existed: false,
            createdRecords: email.create.flatMap((r, k) => {
              const position = changeset.createdAt[k];
              const id = position === null || position === undefined ? null : created[position];
              return id ? [{ type: r.type, id }] : [];
            }),
          });
        });
      }
      if (lastError && attempt < this.trackAttempts) {
        // A 429's Retry-After is the server's word; a wait longer than the policy allows ends the
        // tries here and the caller queues the track.
        const after = lastError instanceof CrmUnavailableError ? lastError.retryAfterMs : null;
        if (after !== null && after > DEFAULT_RETRY_POLICY.maxRetryAfterMs) break;
        await this.sleep(after ?? backoffDelay(DEFAULT_RETRY_POLICY, attempt, this.random));
      }
    }
    if (duplicateSeen) {
      // A duplicate on the last try: its activity exists; one more check reports it.
      const late = emails.filter((e) => !results.has(e.messageId));
      if (late.length > 0) {
        const existing = await this.existingActivities(userId, late, ids);
        for (const email of late) {
          const activityId = existing.get(email.messageId);
          if (activityId) results.set(email.messageId, found(email, activityId));
        }
      }
    }
    const missing = emails.filter((e) => !results.has(e.messageId));
    if (missing.length > 0)
      throw lastError ?? protocolError('emails were neither created nor found', 'POST $batch');
    return emails.map((e) => results.get(e.messageId) as TrackedResult);
  }

  /**
   * Message-ID → activity id of emails this user already owns, or whose activity holds the key this
   * track would give it (whoever owns it now: a row reassigned since still blocks that key).
   */
  private async existingActivities(
    userId: string,
    emails: readonly EmailToTrack[],
    ids: ReadonlyMap<string, PlannedIds>,
  ): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const paths = chunks(emails, IN_CHUNK / 2).map((part) =>
      collectionPath('emails', {
        select: ['activityid', 'messageid'],
        filter: or(
          and(
            isIn(
              'messageid',
              part.flatMap((e) => messageIdVariants(e.messageId)),
            ),
            `_ownerid_value eq ${guid(userId)}`,
          ),
          ...part.map((e) => `activityid eq ${guid((ids.get(e.messageId) as PlannedIds).activity)}`),
        ),
      }),
    );
    for (const batch of chunks(paths, BATCH_LIMIT)) {
      for (const response of await this.getBatch(batch)) {
        for (const row of rows(response)) {
          const id = str(row, 'activityid')?.toLowerCase();
          const messageId = str(row, 'messageid');
          if (!id) continue;
          for (const wanted of emails) {
            const planned = (ids.get(wanted.messageId) as PlannedIds).activity;
            // Compared as the rules compare them (§2.1 step 1): brackets and white space off, case
            // kept — the server's In matches case-insensitively and may answer a row of another id.
            if (
              id === planned ||
              (messageId !== null &&
                normalizeMessageId(messageId) === normalizeMessageId(storedMessageId(wanted.messageId)))
            )
              found.set(wanted.messageId, id);
          }
        }
      }
    }
    return found;
  }

  async setRegarding(activityId: string, regarding: RecordRef | null): Promise<void> {
    const body: Row = {};
    if (regarding)
      body[`regardingobjectid_${regarding.type}_email@odata.bind`] =
        `/${entityPath(regardingSet(regarding.type), regarding.id)}`;
    else
      for (const [type, info] of Object.entries(ENTITIES))
        if (info.regarding) body[`regardingobjectid_${type}_email@odata.bind`] = null;
    await this.http.send('PATCH', entityPath('emails', activityId), { body, idempotent: false });
  }

  async updateMessageId(activityId: string, messageId: string): Promise<void> {
    await this.http.send('PATCH', entityPath('emails', activityId), {
      body: { messageid: storedMessageId(messageId) }, // the stored form, as every query asks for it
      idempotent: false,
    });
  }

  async untrack(activityId: string): Promise<void> {
    await this.http.send('DELETE', entityPath('emails', activityId), { idempotent: false });
  }

  /** The search code is a chunk loaded on the first search (recordSearch.ts). */
  async findRecords(text: string, options: FindRecordsOptions): Promise<FoundRecords> {
    return (await loadRecordSearch()).findRecords((paths) => this.getBatch(paths), text, options);
  }

  async searchRecords(text: string, top: number): Promise<RecordSearchHit[]> {
    return [...(await this.findRecords(text, { top })).hits];
  }

  async recordsByIds(refs: readonly RecordRef[]): Promise<RecordSearchHit[]> {
    return (await loadRecordSearch()).recordsByIds((paths) => this.getBatch(paths), refs);
  }

  /**
   * One POST with `Prefer: return=representation` and `$select`: Dataverse answers 201 with the row,
   * so the name it composed (`fullname`) costs no second request. A server that answers 204 anyway
   * gives the id from `OData-EntityId` and no name.
   */
  async createRecord(record: RecordToCreate): Promise<CreatedRecord> {
    const info = entity(record.type);
    const { headers, body } = await this.http.send(
      'POST',
      collectionPath(info.set, { select: [info.key, info.name] }),
      { body: recordBody(record), headers: { Prefer: 'return=representation' }, idempotent: false },
    );
    const row = (body ?? {}) as Row;
    const id = str(row, info.key)?.toLowerCase() ?? idFromEntityUrl(headers.get('odata-entityid'));
    if (!id) throw protocolError('the create answered without OData-EntityId', `POST ${info.set}`);
    return { type: record.type, id, name: str(row, info.name) };
  }

  /**
   * The custom email-enabled tables from the session batch's EntityDefinitions part, with their
   * address column: one more $batch, only when there are any and `known` (what an earlier session
   * found) lists other tables. A failure leaves the built-in types only, logged: the session still opens.
   */
  private async discoverEmailTables(
    definitions: BatchResponse,
    known: EmailTablesFound | undefined,
  ): Promise<EmailTablesFound> {
    const none: EmailTablesFound = { listed: [], tables: [] };
    const failed = batchPartError(definitions, 'GET EntityDefinitions');
    if (failed) {
      this.log(
        'custom email-enabled tables could not be listed; only the built-in types are looked up',
        failed,
      );
      return none;
    }
    const tables = rows(definitions).filter((d) => {
      const name = str(d, 'LogicalName');
      return !!name && !ENTITIES[name] && !!str(d, 'EntitySetName') && !!str(d, 'PrimaryIdAttribute');
    });
    const listed = tables.map((d) => str(d, 'LogicalName') as string).sort();
    if (tables.length === 0) return none;
    if (known && known.listed.join('\n') === listed.join('\n')) return known;
    try {
      const columns = await this.getBatch(
        tables.map((d) => emailColumnsPath(str(d, 'LogicalName') as string)),
      );
      return {
        listed,
        tables: emailEnabledTables(tables.map((d, i) => ({ ...d, Attributes: rows(columns[i]) }))),
      };
    } catch (error) {
      this.log(
        'the address columns of custom email-enabled tables could not be read; they are not looked up',
        error,
      );
      return none;
    }
  }

  private customPartySets(): Map<string, string> {
    return new Map(this.customTables.map((t) => [t.logicalName, t.entitySet]));
  }

  /** The tables an address is looked up in: the built-in five, then the custom ones found at start. */
  private recordTables(): RecordTable[] {
    return [
      ...EMAIL_ENABLED_TYPES.map((type) => ({ type, ...entity(type) })),
      ...this.customTables.map((t) => ({
        type: t.logicalName,
        set: t.entitySet,
        key: t.key,
        name: t.name,
        emails: t.emails,
        activeFilter: 'statecode eq 0',
      })),
    ];
  }

  /** GETs in one $batch, each answer checked. */
  private async getBatch(paths: readonly string[]): Promise<(BatchResponse | undefined)[]> {
    const out: (BatchResponse | undefined)[] = [];
    for (const group of chunks(paths, BATCH_LIMIT)) {
      const responses = await this.http.batch(
        group.map((path) => ({
          kind: 'request',
          // Per part: lookup types and display names (the regarding record's name) come as annotations.
          request: {
            method: 'GET',
            path,
            headers: { Prefer: 'odata.include-annotations="*"' },
          } satisfies BatchRequest,
        })),
      );
      responses.forEach((response, i) => {
        if (Array.isArray(response)) throw protocolError('a GET answered as a changeset', 'POST $batch');
        const error = batchPartError(response, `GET ${(group[i] as string).split('?')[0]}`);
        if (error) throw error;
        out.push(response);
      });
    }
    return out;
  }
}

export function rows(response: BatchResponse | undefined): Row[] {
  const value = (response?.body as { value?: unknown } | null)?.value;
  return Array.isArray(value) ? (value as Row[]) : [];
}

export function regardingSet(type: string): string {
  const info = entity(type);
  if (!info.regarding) throw new TypeError(`an email cannot be regarding a ${type}`);
  return info.set;
}

interface RecordTable {
  readonly type: string;
  readonly set: string;
  readonly key: string;
  readonly name: string;
  readonly emails: readonly string[];
  readonly activeFilter: string;
}

/** EntityDefinitions rows (with their String columns as `Attributes`) → the tables that have an Email column, the first by ColumnNumber. */
export function emailEnabledTables(definitions: readonly Row[]): EmailEnabledTable[] {
  const out: EmailEnabledTable[] = [];
  for (const d of definitions) {
    const logicalName = str(d, 'LogicalName');
    const entitySet = str(d, 'EntitySetName');
    const key = str(d, 'PrimaryIdAttribute');
    const name = str(d, 'PrimaryNameAttribute');
    if (!logicalName || !entitySet || !key || ENTITIES[logicalName]) continue;
    const attributes = Array.isArray(d.Attributes) ? (d.Attributes as Row[]) : [];
    const order = (a: Row): number => (typeof a.ColumnNumber === 'number' ? a.ColumnNumber : Infinity);
    const email = attributes
      .filter((a) => {
        const format = a.FormatName as { Value?: unknown } | string | undefined;
        return (typeof format === 'string' ? format : format?.Value) === 'Email';
      })
      .sort((x, y) => order(x) - order(y))[0];
    const column = email ? str(email, 'LogicalName') : null;
    if (!column) continue;
    out.push({ logicalName, entitySet, key, name: name ?? key, emails: [column] });
  }
  return out;
}

/** The session batch's rows → raw settings as settingsInput reads them. */
function rawSettings(
  orgRow: Row | undefined,
  variables: readonly Row[],
  userRow: Row | undefined,
): RawSettings {
  const organization: Record<string, unknown> = {};
  for (const name of ORGANIZATION_ATTRIBUTES)
    if (orgRow?.[name] !== undefined) organization[name] = orgRow[name];
  for (const definition of variables) {
    const name = str(definition, 'schemaname');
    if (!name) continue;
    // A current value overrides the definition's default, as Power Platform resolves them (a
    // definition has at most one value row).
    const values = definition.environmentvariabledefinition_environmentvariablevalue;
    const current = Array.isArray(values)
      ? (values as Row[]).find((v) => typeof v.value === 'string')
      : undefined;
    const value = current?.value ?? definition.defaultvalue;
    if (value !== undefined && value !== null) organization[name] = value;
  }
  const user: Record<string, unknown> = {};
  for (const name of USER_SETTING_ATTRIBUTES) if (userRow?.[name] !== undefined) user[name] = userRow[name];
  return { organization, user };
}

function toRecord(row: Row, tables: readonly RecordTable[]): CrmRecord | null {
  for (const info of tables) {
    const type = info.type;
    const id = str(row, info.key);
    if (!id) continue;
    return {
      type,
      id: id.toLowerCase(),
      // Keep slot positions so emails[0] stays the primary address (primary-email-only, §2.4).
      emails: info.emails.map((attribute) => str(row, attribute) ?? ''),
      createdOn: str(row, 'createdon') ?? '',
      // The query asked for active rows only; the rules check again.
      active: true,
      name: str(row, info.name),
    };
  }
  return null;
}

function toTrackedEmail(row: Row): TrackedEmail | null {
  const id = str(row, 'activityid');
  if (!id) return null;
  const parties = Array.isArray(row.email_activity_parties) ? (row.email_activity_parties as Row[]) : [];
  return {
    activityId: id.toLowerCase(),
    messageId: str(row, 'messageid'),
    subject: str(row, 'subject'),
    trackingToken: str(row, 'trackingtoken'),
    threadIndex: str(row, 'conversationindex'),
    regarding: lookupRef(row, 'regardingobjectid'),
    addresses: [...new Set(parties.map((p) => str(p, 'addressused')).filter((a): a is string => !!a))],
    trackedBy: str(row, '_ownerid_value')?.toLowerCase() ?? null,
    receivedAt: str(row, 'actualend') ?? str(row, 'createdon'),
  };
}

/**
 * A record's row, its names cut to the columns (columns.ts). The company goes where Dynamics shows it:
 * a lead's `companyname` text; a contact's parent account lookup ("Company Name"), a contact having
 * no company text column (dataverse-facts.md).
 */
function recordBody(record: RecordToCreate): Row {
  const row: Row = {
    ...(record.firstname ? { firstname: fit(record.firstname, MAX_LENGTH.firstname) } : {}),
    lastname: fit(record.lastname, MAX_LENGTH.lastname),
    emailaddress1: record.address,
  };
  const company = record.companyName?.trim();
  if (record.type === 'lead' && company) row.companyname = fit(company, MAX_LENGTH.companyname);
  if (record.type === 'contact' && record.parentAccountId)
    row['parentcustomerid_account@odata.bind'] = `/${entityPath('accounts', record.parentAccountId)}`;
  return row;
}

/** A cut address would be another address: such a record is not created (the sender stays unresolved). */
const creatable = (record: RecordToCreate): boolean =>
  record.address.trim().length <= MAX_LENGTH.emailaddress1;

interface TrackChangeset {
  readonly requests: BatchRequest[];
  /** Position of the email create in the changeset. */
  readonly emailIndex: number;
  /** For each entry of `email.create`, its position in the changeset, or null when not created. */
  readonly createdAt: readonly (number | null)[];
}

/**
 * [create each record] → create the email with its parties → mark it received or sent, all or
 * nothing. Every string fits its column (columns.ts). `custom` maps a custom email-enabled type to
 * its entity set, for its party binding (`partyid_<logical name>`, the pattern of the built-in ones).
 */
function trackChangeset(
  email: EmailToTrack,
  ids: PlannedIds,
  custom: ReadonlyMap<string, string> = new Map(),
): TrackChangeset {
  const requests: BatchRequest[] = [];
  const createdAt = email.create.map((record, k) => {
    if (!creatable(record)) return null;
    const body = { [entity(record.type).key]: ids.records[k], ...recordBody(record) };
    requests.push({ method: 'POST', path: entity(record.type).set, body });
    return requests.length - 1;
  });
  const addressUsed = (address: string): string => fit(address, MAX_LENGTH.addressused);
  const parties: Row[] = [];
  for (const party of email.parties) {
    const mask = PARTICIPATION[party.role];
    if (party.createdIndex !== undefined) {
      const created = email.create[party.createdIndex];
      const position = createdAt[party.createdIndex];
      if (created && position !== null && position !== undefined) {
        parties.push({
          participationtypemask: mask,
          addressused: addressUsed(party.address),
          [`partyid_${created.type}@odata.bind`]: `$${position + 1}`,
        });
        continue;
      }
    }
    const setOf = (type: string): string | null =>
      ENTITIES[type]?.party ? entity(type).set : (custom.get(type) ?? null);
    const bindable = party.records.filter((r) => setOf(r.type) !== null);
    if (bindable.length === 0)
      parties.push({ participationtypemask: mask, addressused: addressUsed(party.address) });
    for (const record of bindable) {
      parties.push({
        participationtypemask: mask,
        addressused: addressUsed(party.address),
        [`partyid_${record.type}@odata.bind`]: `/${entityPath(setOf(record.type) as string, record.id)}`,
      });
    }
  }
  const body: Row = {
    activityid: ids.activity,
    subject: fit(email.subject, MAX_LENGTH.subject),
    messageid: storedMessageId(email.messageId),
    directioncode: email.direction === 'outgoing',
    email_activity_parties: parties,
  };
  if (email.body !== null) body.description = email.body;
  if (email.trackingToken) body.trackingtoken = fit(email.trackingToken, MAX_LENGTH.trackingtoken);
  // How it correlated is Dataverse's own read-only `correlationmethod`; the documented writable
  // record of a correlation is the email it correlated to.
  if (email.correlatedActivityId)
    body['CorrelatedActivityId_Email@odata.bind'] = `/${entityPath('emails', email.correlatedActivityId)}`;
  if (email.sentOn) body.senton = email.sentOn;
  if (email.regarding)
    body[`regardingobjectid_${email.regarding.type}_email@odata.bind`] =
      `/${entityPath(regardingSet(email.regarding.type), email.regarding.id)}`;
  const emailIndex = requests.length;
  requests.push({ method: 'POST', path: 'emails', body });
  // The files, in the same changeset (all or nothing, so a retry finds the activity with its files
  // or nothing), bound to the email by its Content-ID, before it is closed.
  (email.attachments ?? []).forEach((file, k) => {
    requests.push({
      method: 'POST',
      path: 'activitymimeattachments',
      body: {
        activitymimeattachmentid: ids.attachments[k],
        'objectid_email@odata.bind': `$${emailIndex + 1}`,
        objecttypecode: 'email',
        attachmentnumber: k + 1,
        filename: fit(file.fileName, MAX_LENGTH.filename),
        mimetype: fit(file.mimeType, MAX_LENGTH.mimetype),
        body: file.base64,
      },
    });
  });
  // Created open, then closed: a single-step closed create is not confirmed (dataverse-facts.md).
  requests.push({
    method: 'PATCH',
    path: `$${emailIndex + 1}`,
    body: { statecode: 1, statuscode: email.direction === 'outgoing' ? 3 : 4 },
  });
  return { requests, emailIndex, createdAt };
}

/** Attachment text (base64) in one `$batch`: a batch holding more starts a new one. */
const BATCH_BODY_BUDGET = 32 * 1024 * 1024;

const changesetBytes = (changeset: TrackChangeset): number =>
  changeset.requests.reduce(
    (sum, r) =>
      sum +
      (typeof (r.body as Row | undefined)?.body === 'string' ? ((r.body as Row).body as string).length : 0),
    0,
  );

/** Dataverse's "Cannot insert duplicate key" (-2147220937): a row with this primary key exists. */
export const DUPLICATE_KEY_CODE = '0x80040237';

/** Packs changesets into batches of at most BATCH_LIMIT requests. */
function groupChangesets<T extends { changeset: TrackChangeset }>(items: readonly T[]): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let size = 0;
  let bytes = 0;
  for (const item of items) {
    const itemBytes = changesetBytes(item.changeset);
    if (
      current.length &&
      (size + item.changeset.requests.length > BATCH_LIMIT || bytes + itemBytes > BATCH_BODY_BUDGET)
    ) {
      groups.push(current);
      current = [];
      size = 0;
      bytes = 0;
    }
    current.push(item);
    size += item.changeset.requests.length;
    bytes += itemBytes;
  }
  if (current.length) groups.push(current);
  return groups;
}
