/** A message row → Graph's message JSON (with `$select` and expanded extended properties). */
import { changeKeyOf, type Header, type MessageRow, type Recipient } from './db';
import { extendedPropertyValue } from './extendedProperties';
import type { Comparable, FilterSubject } from './query';
import { BadRequest } from './protocol';

function recipient(r: Recipient): { emailAddress: { name: string; address: string } } {
  return { emailAddress: { name: r.name || r.address, address: r.address } };
}

/** Every property of the default projection, in Graph's order. */
function fullMessage(m: MessageRow, baseUrl: string): Record<string, unknown> {
  const from = m.from_json ? (JSON.parse(m.from_json) as Recipient) : null;
  const changeKey = changeKeyOf(m.id, m.seq);
  return {
    '@odata.etag': `W/"${changeKey}"`,
    id: m.id,
    createdDateTime: m.created,
    lastModifiedDateTime: m.last_modified,
    changeKey,
    categories: JSON.parse(m.categories_json) as string[],
    receivedDateTime: m.received,
    sentDateTime: m.sent,
    hasAttachments: false,
    internetMessageId: m.internet_message_id,
    subject: m.subject,
    bodyPreview: m.body.replace(/\s+/g, ' ').trim().slice(0, 255),
    importance: m.importance,
    parentFolderId: m.folder_id,
    conversationId: m.conversation_id,
    conversationIndex: m.conversation_index,
    isDeliveryReceiptRequested: false,
    isReadReceiptRequested: false,
    isRead: m.is_read === 1,
    isDraft: m.is_draft === 1,
    webLink: `${baseUrl.replace(/\/v1\.0$/, '')}/owa/?ItemID=${encodeURIComponent(m.id)}&exvsurl=1&viewmodel=ReadMessageItem`,
    inferenceClassification: 'focused',
    body: { contentType: 'text', content: m.body },
    sender: from ? recipient(from) : null,
    from: from ? recipient(from) : null,
    toRecipients: (JSON.parse(m.to_json) as Recipient[]).map(recipient),
    ccRecipients: (JSON.parse(m.cc_json) as Recipient[]).map(recipient),
    bccRecipients: [],
    replyTo: [],
    flag: { flagStatus: 'notFlagged' },
  };
}

/** Properties Graph returns only when `$select`ed. */
const SELECT_ONLY: Readonly<Record<string, (m: MessageRow) => unknown>> = {
  internetMessageHeaders: (m) => {
    const headers = JSON.parse(m.headers_json) as Header[];
    // Graph leaves the property out for an item that never went through SMTP (a draft, a sent copy).
    return headers.length ? headers : undefined;
  },
  uniqueBody: (m) => ({ contentType: 'text', content: m.body }),
};

const KNOWN = new Set([
  ...Object.keys(fullMessage(sampleRow(), 'http://x/v1.0')),
  ...Object.keys(SELECT_ONLY),
]);

function sampleRow(): MessageRow {
  return {
    id: 'x',
    folder_id: 'x',
    seq: 0,
    created: '',
    last_modified: '',
    received: '',
    sent: null,
    subject: '',
    body: '',
    internet_message_id: null,
    in_reply_to: null,
    references_ids: null,
    conversation_id: '',
    conversation_index: null,
    is_draft: 0,
    is_read: 0,
    importance: 'normal',
    from_json: null,
    to_json: '[]',
    cc_json: '[]',
    categories_json: '[]',
    headers_json: '[]',
  };
}

/** Rejects a `$select` naming a property a message does not have, as Graph does (400). */
export function checkSelect(select: readonly string[] | null): void {
  for (const name of select ?? []) {
    if (!KNOWN.has(name)) {
      throw new BadRequest(
        'RequestBroker--ParseUri',
        `Could not find a property named '${name}' on type 'microsoft.graph.message'.`,
      );
    }
  }
}

export interface RenderOptions {
  readonly select: readonly string[] | null;
  readonly expandIds: readonly string[] | null;
  readonly baseUrl: string;
}

export function messageJson(
  m: MessageRow,
  stored: ReadonlyMap<string, string>,
  options: RenderOptions,
): Record<string, unknown> {
  const full = fullMessage(m, options.baseUrl);
  let out: Record<string, unknown>;
  if (options.select) {
    // `id` and the etag always come back, whatever `$select` names.
    out = { '@odata.etag': full['@odata.etag'], id: m.id };
    for (const name of options.select) {
      if (name in SELECT_ONLY) {
        const value = SELECT_ONLY[name]?.(m);
        if (value !== undefined) out[name] = value;
      } else out[name] = full[name];
    }
  } else out = full;
  if (options.expandIds) {
    const props = options.expandIds.flatMap((id) => {
      const value = extendedPropertyValue(m, stored, id);
      return value === undefined ? [] : [{ id, value }];
    });
    // A message with none of the properties has no singleValueExtendedProperties at all.
    if (props.length) {
      out['singleValueExtendedProperties@odata.context'] =
        `${options.baseUrl}/$metadata#users('me')/messages('${m.id}')/singleValueExtendedProperties`;
      out.singleValueExtendedProperties = props;
    }
  }
  return out;
}

/** The message as `$filter` reads it. */
export function filterSubject(m: MessageRow, stored: ReadonlyMap<string, string>): FilterSubject {
  const values: Record<string, Comparable> = {
    receivedDateTime: m.received,
    sentDateTime: m.sent,
    createdDateTime: m.created,
    lastModifiedDateTime: m.last_modified,
    subject: m.subject,
    internetMessageId: m.internet_message_id,
    conversationId: m.conversation_id,
    parentFolderId: m.folder_id,
    importance: m.importance,
    isDraft: m.is_draft === 1,
    isRead: m.is_read === 1,
  };
  return {
    value: (p) => values[p],
    categories: () => JSON.parse(m.categories_json) as string[],
    extendedProperty: (id) => extendedPropertyValue(m, stored, id),
  };
}
