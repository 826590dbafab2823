/**
 * The FolderMappingPort over the Dataverse Web API: the user's folder-level tracking rules, kept as
 * Dynamics 365 keeps them, in `mailboxtrackingfolders` rows of the user's own `mailboxes` row
 * (dataverse-facts.md, "Folder-level tracking"). The folder's path is stored in `exchangefoldername`,
 * since the rules name a folder by its path (background-check.md §1.2 step 1).
 */
import type { RecordRef } from '../rules/types';
import type { DataverseHttp } from './dataverseHttp';
import { entity, ENTITIES, idFromEntityUrl } from './entities';
import { CrmError, CrmNotFoundError, protocolError, type CrmErrorDetail } from './errors';
import type { FolderMappingPort, FolderMappingRow, NewFolderMapping } from './folderMappingPort';
import { collectionPath, entityPath, guid } from './odata';

/** "You can create a maximum of 25 folder-level tracking rules per mailbox." */
export const MAX_FOLDER_MAPPINGS = 25;
/** MaxLength of `exchangefolderid` and `exchangefoldername` (MailboxTrackingFolder table reference). */
const FOLDER_ID_MAX = 120;
const FOLDER_NAME_MAX = 256;

const MAPPINGS_NAV = 'Mailbox_MailboxTrackingFolder';
const MAPPING_COLUMNS = [
  'mailboxtrackingfolderid',
  'exchangefolderid',
  'exchangefoldername',
  '_regardingobjectid_value',
  'regardingobjecttypecode',
];
/**
 * "Queries which expand collection-valued navigation properties might return cached data ... use
 * If-None-Match header with value null" (Join tables using OData): a rule just added or removed must
 * show in the next list.
 */
const LIST_HEADERS = { Prefer: 'odata.include-annotations="*"', 'If-None-Match': 'null' };
const FORMATTED = '@OData.Community.Display.V1.FormattedValue';
const LOGICAL_NAME = '@Microsoft.Dynamics.CRM.lookuplogicalname';

/** The regarding types the rules allow: those a tracked email can be regarding (entities.ts). */
export const MAPPABLE_TYPES: readonly string[] = Object.keys(ENTITIES).filter(
  (type) => ENTITIES[type]?.regarding,
);

const detail = (request: string): CrmErrorDetail => ({
  status: null,
  code: null,
  requestId: null,
  request,
});

/** The folder already has a rule (by Exchange id or by path): a second would make the rules ambiguous. */
export class FolderAlreadyMappedError extends CrmError {
  override readonly name = 'FolderAlreadyMappedError';
  readonly retryable = false;
  constructor(readonly existing: FolderMappingRow) {
    super(
      `The folder ${existing.folderPath} is already tracked regarding ${existing.regardingName ?? `${existing.regarding.type} ${existing.regarding.id}`}.`,
      detail('POST mailboxtrackingfolders'),
    );
  }
  readonly shortKey = 'folderAlreadyMapped';
}

/** The mailbox already has the 25 rules Dynamics 365 allows. */
export class FolderMappingLimitError extends CrmError {
  override readonly name = 'FolderMappingLimitError';
  readonly retryable = false;
  constructor() {
    super(
      `A mailbox holds at most ${MAX_FOLDER_MAPPINGS} folder tracking rules.`,
      detail('POST mailboxtrackingfolders'),
    );
  }
  readonly shortKey = 'folderMappingLimit';
  override readonly shortParams = { max: MAX_FOLDER_MAPPINGS };
}

/** A regarding record of a type an email cannot be regarding (a user, a queue…), or a mapping too long. */
export class FolderMappingInvalidError extends CrmError {
  override readonly name = 'FolderMappingInvalidError';
  readonly retryable = false;
  constructor(message: string) {
    super(message, detail('POST mailboxtrackingfolders'));
  }
  readonly shortKey = 'folderMappingInvalid';
}

/** The user has no mailbox row in the CRM, so no rule can belong to it. */
export class NoMailboxError extends CrmError {
  override readonly name = 'NoMailboxError';
  readonly retryable = false;
  constructor(userId: string) {
    super(`The CRM has no mailbox for the user ${userId}.`, detail('GET mailboxes'));
  }
  readonly shortKey = 'noMailbox';
}

type Row = Record<string, unknown>;

const text = (row: Row, name: string): string | null =>
  typeof row[name] === 'string' ? (row[name] as string) : null;

/** A rule as the port gives it, or null for a rule the rules cannot use (no folder id, no regarding). */
function toMapping(row: Row): FolderMappingRow | null {
  const id = text(row, 'mailboxtrackingfolderid');
  const folderId = text(row, 'exchangefolderid');
  const regardingId = text(row, '_regardingobjectid_value');
  const type = text(row, `_regardingobjectid_value${LOGICAL_NAME}`) ?? text(row, 'regardingobjecttypecode');
  if (!id || !folderId || !regardingId || !type) return null;
  const regarding: RecordRef = { type, id: regardingId.toLowerCase() };
  return {
    id: id.toLowerCase(),
    folderId,
    folderPath: text(row, 'exchangefoldername') ?? '',
    regarding,
    regardingName: text(row, `_regardingobjectid_value${FORMATTED}`),
  };
}

const samePath = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

interface MailboxRules {
  readonly mailboxId: string;
  /** The rules the port can give (each with a folder id and a regarding), by path. */
  readonly mappings: FolderMappingRow[];
  /** Every rule of the mailbox, and every folder id they name, those skipped included. */
  readonly ruleCount: number;
  readonly folderIds: ReadonlySet<string>;
}

export interface FolderMappingsOptions {
  /** Where rows skipped here (a rule without folder or regarding) are written. */
  readonly log?: (message: string, error?: unknown) => void;
}

export class DataverseFolderMappings implements FolderMappingPort {
  constructor(
    private readonly http: DataverseHttp,
    private readonly options: FolderMappingsOptions = {},
  ) {}

  /**
   * ONE GET: the user's mailbox row (its regarding is the systemuser) with its rules expanded, each
   * with the regarding's name from the formatted-value annotation. Only when Dataverse pages the
   * expanded collection (`…@odata.nextLink`, not expected under 25 rules) are more pages read.
   */
  private async mailbox(userId: string): Promise<MailboxRules> {
    const path = collectionPath('mailboxes', {
      select: ['mailboxid'],
      filter: `_regardingobjectid_value eq ${guid(userId)}`,
      expand: `${MAPPINGS_NAV}($select=${MAPPING_COLUMNS.join(',')})`,
      top: 1,
    });
    const { body } = await this.http.send('GET', path, { idempotent: true, headers: LIST_HEADERS });
    const value = (body as { value?: unknown } | null)?.value;
    if (!Array.isArray(value))
      throw protocolError('a collection response has no "value" array', 'GET mailboxes');
    const mailbox = value[0] as Row | undefined;
    const mailboxId = mailbox ? text(mailbox, 'mailboxid') : null;
    if (!mailbox || !mailboxId) throw new NoMailboxError(userId);
    const expanded = mailbox[MAPPINGS_NAV];
    if (!Array.isArray(expanded))
      throw protocolError(`the mailbox came without its ${MAPPINGS_NAV}`, 'GET mailboxes');
    const rows = [...(expanded as Row[])];
    const more = text(mailbox, `${MAPPINGS_NAV}@odata.nextLink`);
    if (more) rows.push(...(await this.http.getAll(more, 5000, LIST_HEADERS)));
    const mappings: FolderMappingRow[] = [];
    for (const row of rows) {
      const mapping = toMapping(row);
      if (mapping) mappings.push(mapping);
      else
        this.options.log?.(
          `The folder tracking rule ${String(row.mailboxtrackingfolderid)} has no folder or no regarding; skipped`,
        );
    }
    mappings.sort((a, b) => a.folderPath.localeCompare(b.folderPath, 'en', { sensitivity: 'base' }));
    const folderIds = new Set(rows.map((row) => text(row, 'exchangefolderid')).filter((id) => id !== null));
    return { mailboxId: mailboxId.toLowerCase(), mappings, ruleCount: rows.length, folderIds };
  }

  async list(userId: string): Promise<FolderMappingRow[]> {
    return (await this.mailbox(userId)).mappings;
  }

  /**
   * One GET (the mailbox and its rules: checked before anything is written) and one POST that
   * answers the created row with the regarding's name. A folder already mapped (same Exchange id, or
   * the same path, which is what the rules compare) and a 26th rule are refused without a write.
   */
  async add(userId: string, mapping: NewFolderMapping): Promise<FolderMappingRow> {
    const { type, id } = mapping.regarding;
    if (!MAPPABLE_TYPES.includes(type))
      throw new FolderMappingInvalidError(
        `A folder can be tracked regarding ${MAPPABLE_TYPES.join(', ')}; not regarding a ${type}.`,
      );
    const folderPath = mapping.folderPath.trim();
    if (!mapping.folderId || mapping.folderId.length > FOLDER_ID_MAX)
      throw new FolderMappingInvalidError(
        `The folder id must have 1 to ${FOLDER_ID_MAX} characters (exchangefolderid).`,
      );
    if (!folderPath || folderPath.length > FOLDER_NAME_MAX)
      throw new FolderMappingInvalidError(
        `The folder path must have 1 to ${FOLDER_NAME_MAX} characters (exchangefoldername).`,
      );
    const regardingPath = `/${entityPath(entity(type).set, id)}`;

    const { mailboxId, mappings, ruleCount, folderIds } = await this.mailbox(userId);
    const existing = mappings.find(
      (m) => m.folderId === mapping.folderId || samePath(m.folderPath, folderPath),
    );
    if (existing) throw new FolderAlreadyMappedError(existing);
    // A rule the port cannot show (made elsewhere, without a regarding) still holds its folder.
    if (folderIds.has(mapping.folderId))
      throw new FolderMappingInvalidError('The folder already has a tracking rule made outside the add-in.');
    // The limit counts every rule of the mailbox, shown or not.
    if (ruleCount >= MAX_FOLDER_MAPPINGS) throw new FolderMappingLimitError();

    const created = await this.http.send(
      'POST',
      collectionPath('mailboxtrackingfolders', { select: MAPPING_COLUMNS }),
      {
        // Not repeated after a lost answer: a second try would find this rule and refuse, as it should.
        idempotent: false,
        headers: { Prefer: 'return=representation,odata.include-annotations="*"' },
        body: {
          exchangefolderid: mapping.folderId,
          exchangefoldername: folderPath,
          'mailboxid@odata.bind': `/${entityPath('mailboxes', mailboxId)}`,
          [`regardingobjectid_${type}@odata.bind`]: regardingPath,
        },
      },
    );
    const row = created.body && typeof created.body === 'object' ? (created.body as Row) : null;
    const read = row ? toMapping(row) : null;
    if (read) return read;
    // Without the representation (a proxy dropping Prefer): the id from OData-EntityId.
    const newId = idFromEntityUrl(created.headers.get('odata-entityid'));
    if (!newId)
      throw protocolError(
        'the created folder tracking rule came back without its id',
        'POST mailboxtrackingfolders',
      );
    return {
      id: newId,
      folderId: mapping.folderId,
      folderPath,
      regarding: { type, id },
      regardingName: null,
    };
  }

  /** A rule already gone counts as removed: what the user asked for holds. */
  async remove(mappingId: string): Promise<void> {
    try {
      await this.http.send('DELETE', entityPath('mailboxtrackingfolders', mappingId), { idempotent: true });
    } catch (error) {
      if (!(error instanceof CrmNotFoundError)) throw error;
    }
  }
}
