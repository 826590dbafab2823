/**
 * Outlook contacts (Graph's `contact` resource, v1.0): list, create, get, PATCH, DELETE in the default
 * contact folder, the folder itself, and the JSON Graph writes. Every change gives a new `changeKey`;
 * `If-Match` is honoured as for messages. Extended properties are written in `POST`/`PATCH` bodies and
 * read with `$expand=singleValueExtendedProperties($filter=id eq '…')`.
 *
 * `displayName`: "You can specify the display name in a create or update operation. Note that later
 * updates to other properties may cause an automatically generated value to overwrite the displayName
 * value you have specified" (contact resource type). The generated one is Outlook's "Full name" order:
 * given, middle, surname, suffix, else the company, else the first email address (chosen); it is made
 * when a create gives none, and again when a PATCH changes a name part without giving displayName.
 */
import { nowIso, type GraphDb } from './db';
import {
  checkIfMatch,
  deleteItem,
  expectString,
  expectStrings,
  findItem,
  itemFilterSubject,
  listPage,
  parseItemQuery,
  projectItem,
  readExtendedProperties,
  readJsonObject,
  readOnlyProperty,
  unknownProperty,
} from './itemCommon';
import { CONTAINERS, itemChangeKey, itemStore, newItemId, type ItemRow } from './itemStore';
import { BadRequest, ok, type GraphResponse, type RequestContext } from './protocol';
import { MAILBOX } from './mailboxOwner';

const TEXT = [
  'displayName',
  'givenName',
  'middleName',
  'surname',
  'title',
  'generation',
  'nickName',
  'initials',
  'fileAs',
  'yomiGivenName',
  'yomiSurname',
  'yomiCompanyName',
  'jobTitle',
  'companyName',
  'department',
  'officeLocation',
  'profession',
  'businessHomePage',
  'assistantName',
  'manager',
  'mobilePhone',
  'spouseName',
  'personalNotes',
] as const;
const LISTS = ['businessPhones', 'homePhones', 'categories', 'imAddresses', 'children'] as const;
const ADDRESSES = ['businessAddress', 'homeAddress', 'otherAddress'] as const;
const ADDRESS_PARTS = ['street', 'city', 'state', 'countryOrRegion', 'postalCode'] as const;
const NAME_PARTS = new Set(['givenName', 'middleName', 'surname', 'generation']);
const READ_ONLY = new Set(['id', 'changeKey', 'createdDateTime', 'lastModifiedDateTime', 'parentFolderId']);

type ContactData = Record<string, unknown>;

const EMPTY: ContactData = {
  ...Object.fromEntries(TEXT.map((t) => [t, null])),
  ...Object.fromEntries(LISTS.map((l) => [l, []])),
  ...Object.fromEntries(ADDRESSES.map((a) => [a, {}])),
  birthday: null,
  emailAddresses: [],
};

export const CONTACT_PROPERTIES: ReadonlySet<string> = new Set([...Object.keys(EMPTY), ...READ_ONLY]);

/** Outlook's generated full name (chosen order, see the header). */
function derivedDisplayName(c: ContactData): string {
  const parts = [c.givenName, c.middleName, c.surname, c.generation].filter(
    (p): p is string => typeof p === 'string' && p.trim() !== '',
  );
  if (parts.length) return parts.join(' ');
  if (typeof c.companyName === 'string' && c.companyName) return c.companyName;
  const first = (c.emailAddresses as { address?: string }[])[0];
  return first?.address ?? '';
}

function readAddress(name: string, value: unknown): Record<string, string> {
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new BadRequest('RequestBodyRead', `The property '${name}' must be a physicalAddress object.`);
  const out: Record<string, string> = {};
  for (const [part, text] of Object.entries(value as Record<string, unknown>)) {
    if (!(ADDRESS_PARTS as readonly string[]).includes(part)) throw unknownProperty(part, 'physicalAddress');
    if (text !== null) out[part] = expectString(`${name}.${part}`, text, false) as string;
  }
  return out;
}

function readEmails(value: unknown): { name: string; address: string }[] {
  if (!Array.isArray(value))
    throw new BadRequest('RequestBodyRead', "The property 'emailAddresses' must be an array.");
  return value.map((e: { name?: unknown; address?: unknown } | null) => {
    if (typeof e?.address !== 'string')
      throw new BadRequest('RequestBodyRead', 'Each email address needs an address string.');
    // A missing name is the address, as Outlook shows such an entry (chosen: the docs are silent).
    return { name: typeof e.name === 'string' && e.name ? e.name : e.address, address: e.address };
  });
}

function readBirthday(value: unknown): string | null {
  if (value === null) return null;
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(ms))
    throw new BadRequest(
      'RequestBodyRead',
      `Cannot convert the literal '${String(value)}' to the expected type 'Edm.DateTimeOffset'.`,
    );
  return nowIso(new Date(ms));
}

/** A body's properties onto `base`; the extended properties apart. */
function applyBody(
  base: ContactData,
  body: Record<string, unknown>,
): { data: ContactData; props: [string, string][] } {
  const data = { ...base };
  let props: [string, string][] = [];
  for (const [name, value] of Object.entries(body)) {
    if (name.startsWith('@odata.')) continue;
    if (READ_ONLY.has(name)) throw readOnlyProperty(name);
    if ((TEXT as readonly string[]).includes(name)) data[name] = expectString(name, value);
    else if ((LISTS as readonly string[]).includes(name))
      data[name] = value === null ? [] : expectStrings(name, value);
    else if ((ADDRESSES as readonly string[]).includes(name)) data[name] = readAddress(name, value);
    else if (name === 'emailAddresses') data[name] = readEmails(value);
    else if (name === 'birthday') data[name] = readBirthday(value);
    else if (name === 'singleValueExtendedProperties') props = readExtendedProperties(value);
    else throw unknownProperty(name, 'contact');
  }
  return { data, props };
}

/** Every property of a contact, in Graph's order. */
export function contactJson(row: ItemRow): Record<string, unknown> {
  const data = JSON.parse(row.data) as ContactData;
  const changeKey = itemChangeKey(row);
  return {
    '@odata.etag': `W/"${changeKey}"`,
    id: row.id,
    createdDateTime: row.created,
    lastModifiedDateTime: row.last_modified,
    changeKey,
    categories: data.categories,
    parentFolderId: row.parent_id,
    birthday: data.birthday,
    fileAs: data.fileAs ?? '',
    displayName: data.displayName,
    givenName: data.givenName,
    initials: data.initials,
    middleName: data.middleName,
    nickName: data.nickName,
    surname: data.surname,
    title: data.title,
    yomiGivenName: data.yomiGivenName,
    yomiSurname: data.yomiSurname,
    yomiCompanyName: data.yomiCompanyName,
    generation: data.generation,
    imAddresses: data.imAddresses,
    jobTitle: data.jobTitle,
    companyName: data.companyName,
    department: data.department,
    officeLocation: data.officeLocation,
    profession: data.profession,
    businessHomePage: data.businessHomePage,
    assistantName: data.assistantName,
    manager: data.manager,
    homePhones: data.homePhones,
    mobilePhone: data.mobilePhone,
    businessPhones: data.businessPhones,
    spouseName: data.spouseName,
    personalNotes: data.personalNotes,
    children: data.children,
    emailAddresses: data.emailAddresses,
    homeAddress: data.homeAddress,
    businessAddress: data.businessAddress,
    otherAddress: data.otherAddress,
  };
}

function contactContext(ctx: RequestContext, id: string): string {
  return `${ctx.baseUrl}/$metadata#users('${encodeURIComponent(MAILBOX.address)}')/contacts('${id}')/singleValueExtendedProperties`;
}

/** A contact as a query asks for it (also what a delta page holds). */
export function renderContact(
  db: GraphDb,
  ctx: RequestContext,
  row: ItemRow,
  query: Parameters<typeof projectItem>[1],
): Record<string, unknown> {
  return projectItem(contactJson(row), query, itemStore(db).extProps(row.id), contactContext(ctx, row.id));
}

export function findContact(db: GraphDb, id: string): ItemRow {
  return findItem(db, 'contact', id);
}

export function listContacts(
  db: GraphDb,
  ctx: RequestContext,
  path: string,
  params: ReadonlyMap<string, string>,
): GraphResponse {
  const query = parseItemQuery(params, 'contact', CONTACT_PROPERTIES);
  const store = itemStore(db);
  const rows = store.items('contact', CONTAINERS.contacts).filter((row) => {
    if (!query.filter) return true;
    const data = JSON.parse(row.data) as ContactData;
    return query.filter(
      itemFilterSubject(
        {
          createdDateTime: row.created,
          lastModifiedDateTime: row.last_modified,
        },
        data.categories as string[],
        store.extProps(row.id),
      ),
    );
  });
  const context = `${ctx.baseUrl}/$metadata#users('${encodeURIComponent(MAILBOX.address)}')/contacts${query.select ? `(${query.select.join(',')})` : ''}`;
  return listPage(ctx, path, params, context, rows, (r) => renderContact(db, ctx, r, query), query);
}

export function getContact(
  db: GraphDb,
  ctx: RequestContext,
  id: string,
  params: ReadonlyMap<string, string>,
): GraphResponse {
  const query = parseItemQuery(params, 'contact', CONTACT_PROPERTIES);
  const row = findContact(db, id);
  return ok({
    '@odata.context': `${ctx.baseUrl}/$metadata#users('${encodeURIComponent(MAILBOX.address)}')/contacts/$entity`,
    ...renderContact(db, ctx, row, query),
  });
}

/** `POST /me/contacts`: 201 with the contact. */
export function createContact(
  db: GraphDb,
  ctx: RequestContext,
  text: string,
  id: string = newItemId('contact'),
): GraphResponse {
  const { data, props } = applyBody(EMPTY, readJsonObject(text));
  if (data.displayName === null || data.displayName === '') data.displayName = derivedDisplayName(data);
  const store = itemStore(db);
  const now = nowIso(ctx.now);
  const row = db.transaction(() => store.create('contact', id, data, now, undefined, props));
  return ok(
    {
      '@odata.context': `${ctx.baseUrl}/$metadata#users('${encodeURIComponent(MAILBOX.address)}')/contacts/$entity`,
      ...contactJson(row),
    },
    201,
  );
}

/** `PATCH /me/contacts/{id}`: 200 with the contact, a new changeKey. */
export function patchContact(
  db: GraphDb,
  ctx: RequestContext,
  id: string,
  text: string,
  ifMatch: string | undefined,
): GraphResponse {
  const row = findContact(db, id);
  checkIfMatch(ifMatch, itemChangeKey(row));
  const body = readJsonObject(text);
  const { data, props } = applyBody(JSON.parse(row.data) as ContactData, body);
  if (!('displayName' in body) && Object.keys(body).some((k) => NAME_PARTS.has(k)))
    data.displayName = derivedDisplayName(data);
  const store = itemStore(db);
  db.transaction(() => {
    for (const [propId, value] of props) store.setExtProp(id, propId, value);
    store.update('contact', id, { data: JSON.stringify(data) }, nowIso(ctx.now));
  });
  return getContact(db, ctx, id, new Map());
}

/** `DELETE /me/contacts/{id}`: 204; the contact's folder delta reports it removed. */
export function deleteContact(
  db: GraphDb,
  _ctx: RequestContext,
  id: string,
  ifMatch: string | undefined,
): GraphResponse {
  return deleteItem(db, 'contact', id, ifMatch);
}

/** The default contact folder ("Contacts"), as `GET /me/contactFolders/{id}` answers it. */
export function contactFolderJson(ctx: RequestContext): Record<string, unknown> {
  return {
    '@odata.context': `${ctx.baseUrl}/$metadata#users('${encodeURIComponent(MAILBOX.address)}')/contactFolders/$entity`,
    id: CONTAINERS.contacts,
    displayName: 'Contacts',
    parentFolderId: MAILBOX.userId,
  };
}

/**
 * `GET /me/contactFolders`: "the contact folder collection in the default Contacts folder" (List
 * contactFolders), so the child folders only: none here. A client learns the default folder's id
 * from a contact's `parentFolderId`, or asks for the well-known name `contacts` (chosen, see routes).
 */
export function listContactFolders(ctx: RequestContext): GraphResponse {
  return ok({
    '@odata.context': `${ctx.baseUrl}/$metadata#users('${encodeURIComponent(MAILBOX.address)}')/contactFolders`,
    value: [],
  });
}
