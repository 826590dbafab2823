/**
 * The parts of an item shared by read and compose mode: notification messages, categories, custom
 * properties, body. Validation mirrors Outlook's office.js runtime (outlook-web-16: validateKey,
 * validateData, validateCategoryArray, saveCustomProperties_validateParameters); host-side checks
 * (limits that need the stored state) fail through the callback with Outlook's error codes.
 */
import { parseCommonArgs, fail, ok, type Dispatcher, type Outcome } from './async';
import {
  argumentError,
  argumentNullError,
  argumentOutOfRangeError,
  argumentTypeError,
  OutlookErrors,
  permissionError,
  validateStringParam,
} from './errors';
import { MailboxEnums } from './enums';
import type { MailRecord, NotificationRecord } from './model';

/** Manifest permission levels as Outlook numbers them. */
export const Permission = { Restricted: 0, ReadItem: 1, ReadWriteItem: 2, ReadWriteMailbox: 3 } as const;
export type PermissionName = keyof typeof Permission;

/** Outlook's limits (constants of Outlook's runtime; the docs give the same numbers). */
export const LIMITS = {
  notificationsPerItem: 5,
  notificationKeyLength: 32,
  notificationIconLength: 32,
  notificationMessageLength: 150,
  notificationActionTextLength: 30,
  categoryNameLength: 255,
  customPropertiesJsonLength: 2500,
  roamingSettingsBytes: 32 * 1024,
  sessionDataChars: 50000,
  internetHeaderLineChars: 998,
  internetHeadersTotalBytes: 256 * 1024,
  subjectLength: 255,
  recipientsPerCall: 100,
  displayNameLength: 255,
  smtpAddressLength: 571,
  bodyDataLength: 1000000,
  smartAlertsErrorMessageLength: 500,
} as const;

export interface MasterCategoryStore {
  list(): Office.CategoryDetails[];
  find(name: string): Office.CategoryDetails | undefined;
}

/** What an item view needs from the mailbox. */
export interface ItemEnv {
  readonly dispatcher: Dispatcher;
  readonly permission: number;
  readonly masterCategories: MasterCategoryStore;
  /** Empty category lists come back as `null` (some Outlook versions) or `[]`. */
  readonly emptyCategoriesAsNull: boolean;
  /** True when the client supports this Mailbox requirement set. */
  supports(version: string): boolean;
  /**
   * The record behind this item view, looked up when the host handles a call. Fails with
   * APICallFailedDueToItemChange when the user has moved to another item since this view was made.
   */
  resolve(): Outcome<MailRecord>;
  /** Tell listeners (the workbench) that an item's state changed. */
  changed(record: MailRecord, what: 'notifications' | 'categories' | 'customProperties' | 'compose'): void;
}

export function checkPermission(env: ItemEnv, level: number, namespace: string): void {
  if (env.permission < level) throw permissionError(namespace);
}

/** Run a host operation against the live record and deliver the result through the callback. */
export function hostCall<T>(
  env: ItemEnv,
  args: readonly unknown[],
  callbackRequired: boolean,
  op: (record: MailRecord) => Outcome<T>,
  tryLegacy = false,
): void {
  const common = parseCommonArgs<T>(args, callbackRequired, tryLegacy);
  env.dispatcher.complete(common, () => {
    const live = env.resolve();
    return live.ok ? op(live.value) : live;
  });
}

// ---------------------------------------------------------------------------------------------
// Notification messages (Mailbox 1.3)

const NOTIFICATION_TYPES: readonly string[] = Object.values(MailboxEnums.ItemNotificationMessageType);

function validateKey(key: unknown): asserts key is string {
  validateStringParam('key', key);
  if (key.length > LIMITS.notificationKeyLength) throw argumentOutOfRangeError('key', key.length);
}

function validateDetails(data: Office.NotificationMessageDetails | null | undefined): NotificationRecord {
  if (!data || typeof data !== 'object') throw argumentNullError('JSONmessage');
  const { type, icon, persistent, actions, message } = data as {
    type: unknown;
    icon?: unknown;
    persistent?: unknown;
    actions?: unknown;
    message: unknown;
  };
  validateStringParam('type', type);
  const T = MailboxEnums.ItemNotificationMessageType;
  if (type === T.InformationalMessage) {
    validateStringParam('icon', icon);
    if (icon.length > LIMITS.notificationIconLength) throw argumentOutOfRangeError('icon', icon.length);
    if (persistent === null || persistent === undefined) throw argumentNullError('persistent');
    if (typeof persistent !== 'boolean') throw argumentTypeError('persistent', typeof persistent, 'boolean');
    if (actions !== null && actions !== undefined) {
      throw argumentError('actions', "Actions can't be defined for this notification message type.");
    }
  } else if (type === T.InsightMessage) {
    validateStringParam('icon', icon);
    if (icon.length > LIMITS.notificationIconLength) throw argumentOutOfRangeError('icon', icon.length);
    if (persistent !== null && persistent !== undefined) throw argumentNullError('persistent');
    if (actions !== null && actions !== undefined) {
      if (!Array.isArray(actions)) throw argumentError('actions');
      if (actions.length > 1) throw argumentError('actions', 'Only a single action is currently supported.');
      const action = actions[0] as
        { actionType?: unknown; commandId?: unknown; actionText?: unknown } | undefined;
      if (action) {
        if (action.actionType === null || action.actionType === undefined)
          throw argumentNullError('actionType');
        if (action.actionType !== MailboxEnums.ActionType.ShowTaskPane) {
          throw argumentError(
            'actionType',
            'The value of the parameter \'actionType\' is invalid. The accepted value is "showTaskPane".',
          );
        }
        if (typeof action.commandId !== 'string' || action.commandId === '') {
          throw argumentError('commandId', "The value of the parameter 'commandId' is invalid.");
        }
        if (typeof action.actionText !== 'string' || action.actionText === '')
          throw argumentNullError('actionText');
        if (action.actionText.length > LIMITS.notificationActionTextLength) {
          throw argumentOutOfRangeError('actionText', action.actionText.length);
        }
      }
    }
  } else {
    // ProgressIndicator, ErrorMessage (and anything else): no icon, no persistent, no actions.
    if (icon !== null && icon !== undefined) throw argumentError('icon');
    if (persistent !== null && persistent !== undefined) throw argumentError('persistent');
    if (actions !== null && actions !== undefined) {
      throw argumentError('actions', "Actions can't be defined for this notification message type.");
    }
  }
  validateStringParam('message', message);
  if (message.length > LIMITS.notificationMessageLength)
    throw argumentOutOfRangeError('message', message.length);
  if (!NOTIFICATION_TYPES.includes(type)) throw argumentError('type');
  return {
    key: '',
    type,
    message,
    ...(typeof icon === 'string' ? { icon } : {}),
    ...(typeof persistent === 'boolean' ? { persistent } : {}),
    ...(Array.isArray(actions) ? { actions: [...(actions as unknown[])] } : {}),
  };
}

function storeNotification(
  env: ItemEnv,
  record: MailRecord,
  key: string,
  details: NotificationRecord,
  replace: boolean,
): Outcome<void> {
  const exists = record.notifications.has(key);
  if (exists && !replace) return fail(OutlookErrors.DuplicateNotificationKey);
  if (!exists && record.notifications.size >= LIMITS.notificationsPerItem) {
    return fail(OutlookErrors.NumberOfNotificationsExceeded);
  }
  if (details.persistent && record.mode === 'compose' && !record.saved) {
    return fail(OutlookErrors.CannotPersistPropertyInUnsavedDraftError);
  }
  if (details.type === MailboxEnums.ItemNotificationMessageType.InsightMessage) {
    const otherInsight = [...record.notifications.values()].some(
      (n) => n.key !== key && n.type === MailboxEnums.ItemNotificationMessageType.InsightMessage,
    );
    if (otherInsight) return fail(OutlookErrors.InvalidParameterValueError('type'));
  }
  record.notifications.set(key, { ...details, key });
  env.changed(record, 'notifications');
  return ok(undefined);
}

export function createNotificationMessages(env: ItemEnv): Office.NotificationMessages {
  const api = {
    addAsync(key: string, data: Office.NotificationMessageDetails, ...args: unknown[]): void {
      checkPermission(env, Permission.ReadItem, 'notificationMessages.addAsync');
      parseCommonArgs(args, false);
      validateKey(key);
      const details = validateDetails(data);
      hostCall<void>(env, args, false, (record) => storeNotification(env, record, key, details, false));
    },
    replaceAsync(key: string, data: Office.NotificationMessageDetails, ...args: unknown[]): void {
      checkPermission(env, Permission.ReadItem, 'notificationMessages.replaceAsync');
      parseCommonArgs(args, false);
      validateKey(key);
      const details = validateDetails(data);
      hostCall<void>(env, args, false, (record) => storeNotification(env, record, key, details, true));
    },
    removeAsync(key: string, ...args: unknown[]): void {
      checkPermission(env, Permission.ReadItem, 'notificationMessages.removeAsync');
      parseCommonArgs(args, false);
      validateKey(key);
      hostCall<void>(env, args, false, (record) => {
        if (!record.notifications.delete(key)) return fail(OutlookErrors.NotificationKeyNotFound);
        env.changed(record, 'notifications');
        return ok(undefined);
      });
    },
    getAllAsync(...args: unknown[]): void {
      checkPermission(env, Permission.ReadItem, 'notificationMessages.getAsync');
      hostCall<Office.NotificationMessageDetails[]>(env, args, true, (record) =>
        ok([...record.notifications.values()].map((n) => ({ ...n }) as Office.NotificationMessageDetails)),
      );
    },
  };
  return api as unknown as Office.NotificationMessages;
}

// ---------------------------------------------------------------------------------------------
// Categories (Mailbox 1.8)

export function validateCategoryArray(categories: unknown): asserts categories is string[] {
  if (!categories) throw argumentError('categories');
  if (!Array.isArray(categories)) throw argumentTypeError('categories', typeof categories, 'function');
  if (categories.length === 0) throw argumentError('categories');
  for (const category of categories) {
    if (!category) throw argumentError('categories');
    if (typeof category !== 'string') throw argumentTypeError('categories', typeof category, 'string');
    if (category.length > LIMITS.categoryNameLength)
      throw argumentOutOfRangeError('categories', category.length);
  }
}

export function createCategories(env: ItemEnv): Office.Categories {
  const api = {
    getAsync(...args: unknown[]): void {
      checkPermission(env, Permission.ReadItem, 'categories.getAsync');
      hostCall<Office.CategoryDetails[] | null>(env, args, true, (record) => {
        const details = record.categories.map((name) => {
          const master = env.masterCategories.find(name);
          return { displayName: name, color: (master?.color ?? 'None') as Office.MailboxEnums.CategoryColor };
        });
        return ok(details.length === 0 && env.emptyCategoriesAsNull ? null : details);
      });
    },
    addAsync(categories: string[], ...args: unknown[]): void {
      checkPermission(env, Permission.ReadWriteItem, 'categories.addAsync');
      parseCommonArgs(args, false);
      validateCategoryArray(categories);
      const wanted = [...categories];
      hostCall<void>(env, args, false, (record) => {
        const resolved: string[] = [];
        for (const name of wanted) {
          const master = env.masterCategories.find(name);
          if (!master) return fail(OutlookErrors.InvalidCategory);
          resolved.push(master.displayName);
        }
        for (const name of resolved) {
          if (!record.categories.some((c) => c.toLowerCase() === name.toLowerCase()))
            record.categories.push(name);
        }
        env.changed(record, 'categories');
        return ok(undefined);
      });
    },
    removeAsync(categories: string[], ...args: unknown[]): void {
      checkPermission(env, Permission.ReadWriteItem, 'categories.removeAsync');
      parseCommonArgs(args, false);
      validateCategoryArray(categories);
      const names = categories.map((c) => c.toLowerCase());
      hostCall<void>(env, args, false, (record) => {
        record.categories = record.categories.filter((c) => !names.includes(c.toLowerCase()));
        env.changed(record, 'categories');
        return ok(undefined);
      });
    },
  };
  return api as unknown as Office.Categories;
}

// ---------------------------------------------------------------------------------------------
// Custom properties (Mailbox 1.1)

const DATE_PREFIX = 'Date(';
const DATE_POSTFIX = ')';

/**
 * Outlook's CustomProperties: an in-memory copy; `saveAsync` sends the whole object. The limit is
 * measured exactly as Outlook does: `JSON.stringify(allProperties).length > 2500` (UTF-16 code units
 * of the JSON of every property of this add-in on the item, Dates as `"Date(<ms>)"`) THROWS
 * `Sys.ArgumentOutOfRangeException` (paramName `customProperties`) from `saveAsync`; nothing is sent,
 * the stored properties stay as they were (the in-memory copy keeps the unsaved change, as in Outlook).
 */
export class SimCustomProperties {
  private readonly rawData: Record<string, unknown>;

  constructor(
    private readonly env: ItemEnv,
    stored: Record<string, unknown>,
  ) {
    this.rawData = JSON.parse(JSON.stringify(stored)) as Record<string, unknown>;
    if (env.supports('1.9')) {
      (this as unknown as { getAll: () => Record<string, unknown> }).getAll = () => {
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(this.rawData)) out[key] = this.get(key);
        return out;
      };
    }
  }

  get(name: string): unknown {
    const value = this.rawData[name];
    if (
      typeof value === 'string' &&
      value.length > DATE_PREFIX.length + DATE_POSTFIX.length &&
      value.startsWith(DATE_PREFIX) &&
      value.endsWith(DATE_POSTFIX)
    ) {
      const ticks = parseInt(value.slice(DATE_PREFIX.length, -1), 10);
      if (!isNaN(ticks)) return new Date(ticks);
    }
    return value;
  }

  set(name: string, value: unknown): void {
    this.rawData[name] = value instanceof Date ? `${DATE_PREFIX}${value.getTime()}${DATE_POSTFIX}` : value;
  }

  remove(name: string): void {
    delete this.rawData[name];
  }

  saveAsync(...args: unknown[]): void {
    checkPermission(this.env, Permission.ReadItem, 'item.saveCustomProperties');
    parseCommonArgs(args, false, true);
    const json = JSON.stringify(this.rawData);
    if (json.length > LIMITS.customPropertiesJsonLength) throw argumentOutOfRangeError('customProperties');
    const snapshot = JSON.parse(json) as Record<string, unknown>;
    hostCall<void>(
      this.env,
      args,
      false,
      (record) => {
        record.customProperties = snapshot;
        this.env.changed(record, 'customProperties');
        return ok(undefined);
      },
      true,
    );
  }
}

/** The character count Outlook checks for custom properties (exported for tests and the workbench). */
export function customPropertiesLength(properties: Record<string, unknown>): number {
  return JSON.stringify(properties).length;
}

export function loadCustomProperties(env: ItemEnv, args: readonly unknown[]): void {
  hostCall<Office.CustomProperties>(
    env,
    args,
    true,
    (record) =>
      ok(new SimCustomProperties(env, record.customProperties) as unknown as Office.CustomProperties),
    true,
  );
}

// ---------------------------------------------------------------------------------------------
// Body

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .trim();
}

export function bodyAs(record: MailRecord, coercion: string): string {
  if (coercion === 'html') {
    return (
      record.bodyHtml ??
      `<html><body><div>${escapeHtml(record.bodyText).replace(/\n/g, '<br>')}</div></body></html>`
    );
  }
  return record.bodyHtml !== null && !record.bodyText ? htmlToText(record.bodyHtml) : record.bodyText;
}

/** Outlook's body.getAsync: coercion type must be "text" or "html" (else throws). */
export function bodyGetAsync(env: ItemEnv, coercionType: unknown, args: readonly unknown[]): void {
  checkPermission(env, Permission.ReadItem, 'body.getAsync');
  parseCommonArgs(args, true);
  if (coercionType !== 'text' && coercionType !== 'html') throw argumentError('coercionType');
  hostCall<string>(env, args, true, (record) => ok(bodyAs(record, coercionType)));
}
