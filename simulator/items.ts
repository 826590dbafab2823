/**
 * Office-shaped item views: `Office.MessageRead` (read mode) and `Office.MessageCompose` (compose
 * mode) subsets over a MailRecord. A view is made each time an item becomes current, like Outlook's
 * `mailbox.item`; async calls on a view the user has moved away from fail with
 * APICallFailedDueToItemChange (9030), as Outlook reports an item-number change.
 *
 * Members of requirement sets above the simulated client's Mailbox version are left off the object
 * (calling them is a TypeError, as on a real older client).
 *
 * Casts: the views implement the members listed here, not the full interfaces (attachments,
 * appointments, recurrence, …); they are cast to `Office.MessageRead` / `Office.MessageCompose` at the
 * end of each factory.
 */
import { fail, ok, parseCommonArgs, type Outcome } from './async';
import {
  argumentError,
  argumentOutOfRangeError,
  argumentTypeError,
  OutlookErrors,
  validateStringParam,
} from './errors';
import { MailboxEnums } from './enums';
import {
  bodyAs,
  bodyGetAsync,
  checkPermission,
  createCategories,
  createNotificationMessages,
  hostCall,
  LIMITS,
  loadCustomProperties,
  Permission,
  type ItemEnv,
} from './itemFeatures';
import type { MailRecord, SimAddress } from './model';
import { normalizeSubject } from './threading';

export interface ViewEnv extends ItemEnv {
  readonly userAddress: SimAddress;
  recipientType(address: string): string;
  /** Host: save a compose item to Drafts (gives it an item id). */
  saveDraft(record: MailRecord): string;
}

export function details(env: ViewEnv, a: SimAddress): Office.EmailAddressDetails {
  return {
    emailAddress: a.emailAddress,
    displayName: a.displayName,
    recipientType: (a.recipientType ??
      env.recipientType(a.emailAddress)) as Office.MailboxEnums.RecipientType,
  } as Office.EmailAddressDetails;
}

export function defineReadOnly(target: object, props: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(props)) {
    Object.defineProperty(target, key, { value, enumerable: true, writable: false, configurable: false });
  }
}

// ---------------------------------------------------------------------------------------------
// Read mode

export function createReadItem(env: ViewEnv, record: MailRecord): Office.MessageRead {
  const item: Record<string, unknown> = {};
  defineReadOnly(item, {
    itemType: MailboxEnums.ItemType.Message,
    itemClass: 'IPM.Note',
    itemId: record.id,
    internetMessageId: record.internetMessageId ?? '',
    conversationId: record.conversationId ?? '',
    subject: record.subject,
    normalizedSubject: normalizeSubject(record.subject),
    from: record.from ? details(env, record.from) : undefined,
    sender: record.sender ? details(env, record.sender) : record.from ? details(env, record.from) : undefined,
    to: record.to.map((a) => details(env, a)),
    cc: record.cc.map((a) => details(env, a)),
    dateTimeCreated: new Date(record.created.getTime()),
    dateTimeModified: new Date(record.modified.getTime()),
    // AttachmentDetails: attachmentType, contentType, id, isInline, name, size (no content).
    attachments: (record.attachments ?? []).map((a) =>
      Object.freeze({
        attachmentType: a.kind,
        contentType: a.contentType,
        id: a.id,
        isInline: a.isInline,
        name: a.name,
        size: a.size,
      }),
    ),
    body: { getAsync: (coercionType: unknown, ...args: unknown[]) => bodyGetAsync(env, coercionType, args) },
    loadCustomPropertiesAsync: (...args: unknown[]) => loadCustomProperties(env, args),
  });
  if (env.supports('1.3')) defineReadOnly(item, { notificationMessages: createNotificationMessages(env) });
  if (env.supports('1.8')) {
    defineReadOnly(item, {
      /**
       * AttachmentContent `{format, content}`: a file as Base64, an attached item as Eml, a cloud
       * attachment as Url. An id not on the item fails 9003 InvalidAttachmentId; a missing or empty
       * id throws, as Outlook's argument validation does.
       */
      getAttachmentContentAsync: (attachmentId: unknown, ...args: unknown[]) => {
        checkPermission(env, Permission.ReadItem, 'item.getAttachmentContentAsync');
        validateStringParam('attachmentId', attachmentId);
        hostCall<Office.AttachmentContent>(env, args, true, (r) => {
          const found = (r.attachments ?? []).find((a) => a.id === attachmentId);
          if (!found) return fail(OutlookErrors.InvalidAttachmentId);
          const format =
            found.kind === 'cloud'
              ? MailboxEnums.AttachmentContentFormat.Url
              : found.kind === 'item'
                ? MailboxEnums.AttachmentContentFormat.Eml
                : MailboxEnums.AttachmentContentFormat.Base64;
          return ok({ format, content: found.content } as unknown as Office.AttachmentContent);
        });
      },
      categories: createCategories(env),
      getAllInternetHeadersAsync: (...args: unknown[]) => {
        checkPermission(env, Permission.ReadItem, 'item.getAllInternetHeadersAsync');
        hostCall<string>(env, args, true, (r) => ok(r.rawHeaders));
      },
    });
  }
  return item as unknown as Office.MessageRead;
}

// ---------------------------------------------------------------------------------------------
// Compose mode

type RecipientInput = string | { emailAddress?: unknown; displayName?: unknown };

/** Outlook's recipient validation for setAsync/addAsync (throws on bad input). */
function toAddresses(env: ViewEnv, recipients: unknown): SimAddress[] {
  if (recipients === null || recipients === undefined) throw argumentError('recipients');
  if (!Array.isArray(recipients)) throw argumentTypeError('recipients', typeof recipients, 'Array');
  if (recipients.length > LIMITS.recipientsPerCall)
    throw argumentOutOfRangeError('recipients', recipients.length);
  return (recipients as RecipientInput[]).map((r) => {
    let address: unknown;
    let name: unknown;
    if (typeof r === 'string') {
      address = r;
      name = r;
    } else if (r && typeof r === 'object') {
      address = r.emailAddress;
      name = r.displayName ?? r.emailAddress;
    } else {
      throw argumentError('recipients');
    }
    if (typeof address !== 'string' || address === '') throw argumentError('recipients');
    if (address.length > LIMITS.smtpAddressLength) {
      throw argumentOutOfRangeError(
        'recipients',
        address.length,
        'One or more of the email addresses provided is too long.',
      );
    }
    const displayName = typeof name === 'string' ? name : address;
    if (displayName.length > LIMITS.displayNameLength) {
      throw argumentOutOfRangeError(
        'recipients',
        displayName.length,
        'One or more of the display names provided is too long.',
      );
    }
    return { emailAddress: address, displayName, recipientType: env.recipientType(address) };
  });
}

export function recipientsField(env: ViewEnv, field: 'to' | 'cc' | 'bcc'): Office.Recipients {
  return {
    getAsync: (...args: unknown[]) => {
      checkPermission(env, Permission.ReadItem, `${field}.getAsync`);
      hostCall<Office.EmailAddressDetails[]>(env, args, true, (r) =>
        ok(r[field].map((a) => details(env, a))),
      );
    },
    setAsync: (recipients: unknown, ...args: unknown[]) => {
      checkPermission(env, Permission.ReadWriteItem, `${field}.setAsync`);
      parseCommonArgs(args, false);
      const list = toAddresses(env, recipients);
      hostCall<void>(env, args, false, (r) => {
        r[field] = list;
        env.changed(r, 'compose');
        return ok(undefined);
      });
    },
    addAsync: (recipients: unknown, ...args: unknown[]) => {
      checkPermission(env, Permission.ReadWriteItem, `${field}.addAsync`);
      parseCommonArgs(args, false);
      const list = toAddresses(env, recipients);
      hostCall<void>(env, args, false, (r) => {
        r[field] = [...r[field], ...list];
        env.changed(r, 'compose');
        return ok(undefined);
      });
    },
  } as unknown as Office.Recipients;
}

function headerBytes(headers: Map<string, string>): number {
  let total = 0;
  const encoder = new TextEncoder();
  for (const [name, value] of headers) total += encoder.encode(`${name}: ${value}\r\n`).length;
  return total;
}

function validateHeaderNames(names: unknown): asserts names is string[] {
  if (names === null || names === undefined) throw argumentError('internetHeaders');
  if (!Array.isArray(names)) throw argumentTypeError('internetHeaders', typeof names, 'Array');
  if (names.length === 0) throw argumentError('internetHeaders');
  for (const name of names) validateStringParam('internetHeaders', name);
}

function findHeader(headers: Map<string, string>, name: string): string | undefined {
  for (const key of headers.keys()) if (key.toLowerCase() === name.toLowerCase()) return key;
  return undefined;
}

export function createComposeItem(env: ViewEnv, record: MailRecord): Office.MessageCompose {
  const item: Record<string, unknown> = {};
  const composeType =
    record.composeKind === 'forward'
      ? MailboxEnums.ComposeType.Forward
      : record.composeKind === 'reply' || record.composeKind === 'replyAll'
        ? MailboxEnums.ComposeType.Reply
        : MailboxEnums.ComposeType.NewMail;

  defineReadOnly(item, {
    itemType: MailboxEnums.ItemType.Message,
    conversationId: record.conversationId,
    seriesId: null,
    subject: {
      getAsync: (...args: unknown[]) => {
        checkPermission(env, Permission.ReadItem, 'subject.getAsync');
        hostCall<string>(env, args, true, (r) => ok(r.subject));
      },
      setAsync: (subject: unknown, ...args: unknown[]) => {
        checkPermission(env, Permission.ReadWriteItem, 'subject.setAsync');
        parseCommonArgs(args, false);
        if (typeof subject !== 'string') throw argumentTypeError('subject', typeof subject, 'string');
        if (subject.length > LIMITS.subjectLength) throw argumentOutOfRangeError('subject');
        hostCall<void>(env, args, false, (r) => {
          r.subject = subject;
          env.changed(r, 'compose');
          return ok(undefined);
        });
      },
    },
    to: recipientsField(env, 'to'),
    cc: recipientsField(env, 'cc'),
    bcc: recipientsField(env, 'bcc'),
    body: {
      getAsync: (coercionType: unknown, ...args: unknown[]) => bodyGetAsync(env, coercionType, args),
      setAsync: (data: unknown, ...args: unknown[]) => {
        checkPermission(env, Permission.ReadWriteItem, 'body.setAsync');
        const common = parseCommonArgs<void>(args, false);
        if (typeof data !== 'string') throw argumentTypeError('data', typeof data, 'string');
        if (data.length > LIMITS.bodyDataLength) throw argumentOutOfRangeError('data', data.length);
        const coercion =
          typeof common.options?.coercionType === 'string' ? common.options.coercionType : 'text';
        hostCall<void>(env, args, false, (r): Outcome<void> => {
          if (coercion === 'html') {
            r.bodyHtml = data;
            r.bodyText = '';
          } else if (coercion === 'text') {
            r.bodyText = data;
            r.bodyHtml = null;
          } else {
            return fail(OutlookErrors.InvalidCoercionType);
          }
          env.changed(r, 'compose');
          return ok(undefined);
        });
      },
      getTypeAsync: (...args: unknown[]) => {
        hostCall<string>(env, args, true, (r) => ok(r.bodyHtml !== null ? 'html' : 'text'));
      },
    },
    attachments: undefined,
    loadCustomPropertiesAsync: (...args: unknown[]) => loadCustomProperties(env, args),
    saveAsync: (...args: unknown[]) => {
      checkPermission(env, Permission.ReadWriteItem, 'item.saveAsync');
      hostCall<string>(env, args, false, (r) => ok(env.saveDraft(r)));
    },
  });
  if (env.supports('1.3')) defineReadOnly(item, { notificationMessages: createNotificationMessages(env) });
  if (env.supports('1.7')) {
    defineReadOnly(item, {
      from: {
        getAsync: (...args: unknown[]) => {
          checkPermission(env, Permission.ReadItem, 'from.getAsync');
          hostCall<Office.EmailAddressDetails>(env, args, true, (r) =>
            ok(details(env, r.from ?? env.userAddress)),
          );
        },
      },
    });
  }
  if (env.supports('1.8')) {
    defineReadOnly(item, {
      categories: createCategories(env),
      getItemIdAsync: (...args: unknown[]) => {
        checkPermission(env, Permission.ReadItem, 'item.getItemIdAsync');
        hostCall<string>(env, args, true, (r) => (r.saved ? ok(r.id) : fail(OutlookErrors.ItemNotSaved)));
      },
      internetHeaders: {
        getAsync: (names: unknown, ...args: unknown[]) => {
          checkPermission(env, Permission.ReadItem, 'internetHeaders.getAsync');
          parseCommonArgs(args, true);
          validateHeaderNames(names);
          hostCall<Record<string, string>>(env, args, true, (r) => {
            const out: Record<string, string> = {};
            for (const name of names) {
              const key = findHeader(r.internetHeaders, name);
              if (key !== undefined) out[name] = r.internetHeaders.get(key) ?? '';
            }
            return ok(out);
          });
        },
        setAsync: (pairs: unknown, ...args: unknown[]) => {
          checkPermission(env, Permission.ReadWriteItem, 'internetHeaders.setAsync');
          parseCommonArgs(args, false);
          if (pairs === null || pairs === undefined) throw argumentError('internetHeaders');
          const entries = Object.entries(pairs as Record<string, unknown>);
          if (entries.length === 0) throw argumentError('internetHeaders');
          for (const [name, value] of entries) {
            validateStringParam('internetHeaders', name);
            if (typeof value !== 'string') throw argumentTypeError('internetHeaders', typeof value, 'string');
            if (name.length + value.length > LIMITS.internetHeaderLineChars)
              throw argumentOutOfRangeError(name);
          }
          hostCall<void>(env, args, false, (r) => {
            const next = new Map(r.internetHeaders);
            for (const [name, value] of entries) next.set(findHeader(next, name) ?? name, value as string);
            if (headerBytes(next) > LIMITS.internetHeadersTotalBytes) {
              return fail(OutlookErrors.InternetHeadersSizeLimitExceeded);
            }
            r.internetHeaders = next;
            env.changed(r, 'compose');
            return ok(undefined);
          });
        },
        removeAsync: (names: unknown, ...args: unknown[]) => {
          checkPermission(env, Permission.ReadWriteItem, 'internetHeaders.removeAsync');
          parseCommonArgs(args, false);
          validateHeaderNames(names);
          hostCall<void>(env, args, false, (r) => {
            for (const name of names) {
              const key = findHeader(r.internetHeaders, name);
              if (key !== undefined) r.internetHeaders.delete(key);
            }
            env.changed(r, 'compose');
            return ok(undefined);
          });
        },
      },
    });
  }
  if (env.supports('1.10')) {
    defineReadOnly(item, {
      getComposeTypeAsync: (...args: unknown[]) => {
        checkPermission(env, Permission.ReadItem, 'item.getComposeTypeAsync');
        hostCall<{ composeType: string; coercionType: string }>(env, args, true, (r) =>
          ok({ composeType, coercionType: r.bodyHtml !== null ? 'html' : 'text' }),
        );
      },
    });
  }
  if (env.supports('1.11')) defineReadOnly(item, { sessionData: createSessionData(env) });
  if (env.supports('1.14')) {
    defineReadOnly(item, {
      inReplyTo: record.composeKind && record.composeKind !== 'newMail' ? record.inReplyTo : null,
      getConversationIndexAsync: (...args: unknown[]) => {
        checkPermission(env, Permission.ReadItem, 'item.getConversationIndexAsync');
        hostCall<string>(env, args, true, (r) => ok(r.threadIndex ?? ''));
      },
    });
  }
  return item as unknown as Office.MessageCompose;
}

// ---------------------------------------------------------------------------------------------
// Session data (Mailbox 1.11, compose only)

function sessionDataLength(data: Map<string, string>): number {
  return JSON.stringify(Object.fromEntries(data)).length;
}

function createSessionData(env: ViewEnv): Office.SessionData {
  return {
    getAsync: (name: unknown, ...args: unknown[]) => {
      parseCommonArgs(args, true);
      validateStringParam('name', name);
      hostCall<string>(env, args, true, (r) => {
        const value = r.sessionData.get(name);
        return value === undefined ? fail(OutlookErrors.InvalidParameterValueError('name')) : ok(value);
      });
    },
    getAllAsync: (...args: unknown[]) => {
      hostCall<Record<string, string>>(env, args, true, (r) => ok(Object.fromEntries(r.sessionData)));
    },
    setAsync: (name: unknown, value: unknown, ...args: unknown[]) => {
      parseCommonArgs(args, false);
      validateStringParam('name', name);
      if (typeof value !== 'string') throw argumentTypeError('value', typeof value, 'string');
      hostCall<void>(env, args, false, (r) => {
        const next = new Map(r.sessionData);
        next.set(name, value);
        if (sessionDataLength(next) > LIMITS.sessionDataChars)
          return fail(OutlookErrors.SessionDataSizeLimitExceeded);
        r.sessionData = next;
        return ok(undefined);
      });
    },
    removeAsync: (name: unknown, ...args: unknown[]) => {
      parseCommonArgs(args, false);
      validateStringParam('name', name);
      hostCall<void>(env, args, false, (r) => {
        r.sessionData.delete(name);
        return ok(undefined);
      });
    },
    clearAsync: (...args: unknown[]) => {
      hostCall<void>(env, args, false, (r) => {
        r.sessionData.clear();
        return ok(undefined);
      });
    },
  } as unknown as Office.SessionData;
}

/** Body text of a compose record for the workbench. */
export function composeBodyText(record: MailRecord): string {
  return bodyAs(record, 'text');
}
