/**
 * The mailbox's state as plain JSON (`SimMailbox.serialize()` / `SimMailbox.restore()`): what Exchange
 * would still hold after the user closes and reopens Outlook — folders and their items (categories,
 * custom properties, headers, notifications), the master category list, conversations. No storage
 * here: the workbench keeps it in the browser, tests in memory. The simulator never needs a browser.
 *
 * Forms being composed are not kept (Outlook drops an unsaved form when it closes), nor is the
 * selection. Versioned: a state of another version (or not a state) is refused with a SimulatorError.
 */
import { SimulatorError } from './errors';
import type { MailRecord, NotificationRecord } from './model';

export const MAILBOX_STATE_VERSION = 1;

/** A MailRecord with its Dates as ISO strings and its Maps as entry lists. */
export type SerializedRecord = Omit<
  MailRecord,
  'created' | 'modified' | 'internetHeaders' | 'sessionData' | 'notifications'
> & {
  readonly created: string;
  readonly modified: string;
  readonly internetHeaders: [string, string][];
  readonly notifications: NotificationRecord[];
};

export interface MailboxState {
  readonly version: typeof MAILBOX_STATE_VERSION;
  /** The id counter, so ids made after a restore never repeat one. */
  readonly counter: number;
  readonly masterCategories: Office.CategoryDetails[];
  readonly customFolders: string[];
  readonly conversations: [string, string][];
  readonly items: SerializedRecord[];
}

export function recordToJson(record: MailRecord): SerializedRecord {
  // Fields added to MailRecord later (plain JSON data) travel with `rest`.
  const { created, modified, internetHeaders, sessionData: _session, notifications, ...rest } = record;
  return JSON.parse(
    JSON.stringify({
      ...rest,
      created: created.toISOString(),
      modified: modified.toISOString(),
      internetHeaders: [...internetHeaders],
      notifications: [...notifications.values()],
    }),
  ) as SerializedRecord;
}

export function recordFromJson(json: SerializedRecord): MailRecord {
  const { created, modified, internetHeaders, notifications, ...rest } = json;
  return {
    ...(structuredClone(rest) as Omit<
      MailRecord,
      'created' | 'modified' | 'internetHeaders' | 'sessionData' | 'notifications'
    >),
    created: new Date(created),
    modified: new Date(modified),
    internetHeaders: new Map(internetHeaders),
    sessionData: new Map(),
    notifications: new Map(notifications.map((n) => [n.key, n])),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isDate = (v: unknown): boolean => isString(v) && !Number.isNaN(Date.parse(v));
const isAddress = (v: unknown): boolean => isObject(v) && isString(v.emailAddress) && isString(v.displayName);
const isAddressList = (v: unknown): boolean => Array.isArray(v) && v.every(isAddress);

/** Checks the shape of a state read back from storage (anything may be there); throws SimulatorError. */
export function checkMailboxState(value: unknown): MailboxState {
  const bad = (what: string): never => {
    throw new SimulatorError(`Not a saved mailbox: ${what}.`);
  };
  if (!isObject(value)) return bad('not an object');
  if (value.version !== MAILBOX_STATE_VERSION)
    return bad(`version ${String(value.version)} is not ${MAILBOX_STATE_VERSION}`);
  if (typeof value.counter !== 'number' || !Number.isInteger(value.counter) || value.counter < 0)
    bad('counter');
  if (
    !Array.isArray(value.masterCategories) ||
    !value.masterCategories.every((c) => isObject(c) && isString(c.displayName) && isString(c.color))
  )
    bad('masterCategories');
  if (!Array.isArray(value.customFolders) || !value.customFolders.every(isString)) bad('customFolders');
  if (
    !Array.isArray(value.conversations) ||
    !value.conversations.every((p) => Array.isArray(p) && p.length === 2 && p.every(isString))
  )
    bad('conversations');
  if (!Array.isArray(value.items)) return bad('items');
  const ids = new Set<string>();
  (value.items as unknown[]).forEach((item, i) => {
    const at = `items[${i}]`;
    if (!isObject(item)) return bad(at);
    if (!isString(item.id) || !item.id || ids.has(item.id)) bad(`${at}.id`);
    ids.add(item.id as string);
    if (item.mode !== 'read') bad(`${at}.mode`);
    if (!isString(item.folder)) bad(`${at}.folder`);
    if (!isString(item.subject) || !isString(item.bodyText) || !isString(item.rawHeaders)) bad(`${at} text`);
    if (!isDate(item.created) || !isDate(item.modified)) bad(`${at} dates`);
    if (!isAddressList(item.to) || !isAddressList(item.cc) || !isAddressList(item.bcc))
      bad(`${at} recipients`);
    if (item.from !== null && !isAddress(item.from)) bad(`${at}.from`);
    if (!Array.isArray(item.categories) || !item.categories.every(isString)) bad(`${at}.categories`);
    if (!isObject(item.customProperties)) bad(`${at}.customProperties`);
    if (!Array.isArray(item.references) || !item.references.every(isString)) bad(`${at}.references`);
    if (!Array.isArray(item.internetHeaders)) bad(`${at}.internetHeaders`);
    if (
      !Array.isArray(item.notifications) ||
      !item.notifications.every((n) => isObject(n) && isString(n.key))
    )
      bad(`${at}.notifications`);
  });
  return value as unknown as MailboxState;
}
