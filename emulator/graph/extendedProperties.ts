/**
 * Single-value extended property ids (docs/graph-facts.md "Extended properties"): the three forms
 * `{type} {guid} Name {name}`, `{type} {guid} Id 0x…`, `{type} 0x…`, normalised as Graph returns them
 * (type as Graph spells it, GUID and hex in lower case, no leading zeros; the string name as given, since
 * Graph matches it case-sensitively). The MAPI properties Exchange fills from the message itself
 * (Message-ID, In-Reply-To, References, Thread-Index, the header block) are read from the message row.
 */
import type { Header, MessageRow } from './db';
import { BadRequest } from './protocol';

const TYPES = [
  'Binary',
  'BinaryArray',
  'Boolean',
  'CLSID',
  'CLSIDArray',
  'Currency',
  'CurrencyArray',
  'Double',
  'DoubleArray',
  'Float',
  'FloatArray',
  'Integer',
  'IntegerArray',
  'Long',
  'LongArray',
  'Short',
  'ShortArray',
  'SystemTime',
  'SystemTimeArray',
  'String',
  'StringArray',
];
const TYPE_BY_LOWER = new Map(TYPES.map((t) => [t.toLowerCase(), t]));
const GUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

function hex(text: string): string | null {
  if (!/^0x[0-9a-f]{1,8}$/i.test(text)) return null;
  return `0x${parseInt(text.slice(2), 16).toString(16)}`;
}

/** The id as Graph writes it back; a malformed one is the 400 Graph gives. */
export function normalizePropertyId(id: string): string {
  const parts = id.trim().split(/\s+/);
  const type = TYPE_BY_LOWER.get((parts[0] ?? '').toLowerCase());
  const bad = (): never => {
    throw new BadRequest('ErrorInvalidProperty', `The extended property id '${id}' is not valid.`);
  };
  if (!type) return bad();
  if (parts.length === 2) {
    const tag = hex(parts[1] as string);
    return tag ? `${type} ${tag}` : bad();
  }
  const guid = GUID.exec(parts[1] ?? '');
  if (!guid) return bad();
  const namespace = `{${(guid[1] as string).toLowerCase()}}`;
  if (parts[2]?.toLowerCase() === 'name' && parts.length >= 4) {
    // The name is everything after "Name " as written (it may hold spaces).
    const name = id.trim().replace(/^\S+\s+\S+\s+\S+\s+/, '');
    return `${type} ${namespace} Name ${name}`;
  }
  if (parts[2]?.toLowerCase() === 'id' && parts.length === 4) {
    const tag = hex(parts[3] as string);
    return tag ? `${type} ${namespace} Id ${tag}` : bad();
  }
  return bad();
}

/** The add-in's Office.js custom properties as Graph sees them ([MS-OXCEXT] 2.2.5). */
export const PS_PUBLIC_STRINGS = '{00020329-0000-0000-c000-000000000046}';

/** `String {00020329-…} Name cecp-<id>` for an add-in manifest `<Id>`. */
export function customPropertiesId(addinId: string): string {
  const id = addinId
    .toLowerCase()
    .replace(/[{}]/g, '')
    .replace(/^urn:uuid:/, '');
  return `String ${PS_PUBLIC_STRINGS} Name cecp-${id}`;
}

function headerBlock(headers: readonly Header[]): string {
  return headers.map((h) => `${h.name}: ${h.value}\r\n`).join('');
}

/** MAPI properties Exchange derives from the message; they are read-only here. */
export const DERIVED: Readonly<Record<string, (m: MessageRow) => string | null>> = {
  'String 0x1035': (m) => m.internet_message_id, // PidTagInternetMessageId
  'String 0x1042': (m) => m.in_reply_to, // PidTagInReplyToId
  'String 0x1039': (m) => m.references_ids, // PidTagInternetReferences
  'Binary 0x71': (m) => m.conversation_index, // PidTagConversationIndex
  'String 0x7d': (m) => {
    // PidTagTransportMessageHeaders: only a message that came in over SMTP has one.
    const headers = JSON.parse(m.headers_json) as Header[];
    return headers.length ? headerBlock(headers) : null;
  },
};

/** The value of one (normalised) extended property of a message, or undefined when it has none. */
export function extendedPropertyValue(
  message: MessageRow,
  stored: ReadonlyMap<string, string>,
  id: string,
): string | undefined {
  const derived = DERIVED[id];
  if (derived) return derived(message) ?? undefined;
  return stored.get(id);
}
