/**
 * A Graph message (untrusted JSON) → the item the background check decides on, with the same facts
 * Office.js gives the pane for the same message (src/mailbox/outlookMailbox.ts): Message-ID, From
 * (else Sender), To/Cc/Bcc with names, subject, receivedAt as an ISO instant, direction by whether the
 * user sent it, the folder it is listed under, Thread-Index from `conversationIndex`, In-Reply-To and
 * References from their MAPI properties (read as the header parser reads those headers), categories,
 * and the tag from the add-in's custom properties. Never throws: a value of the wrong type is an
 * absent fact; only a message without an id cannot be an item, and says so.
 */
import type { TrackTag } from '../app/ports';
import { factsFromOfficeFields, type OfficeEmailAddress } from '../mail/officeFacts';
import { scanMsgIds } from '../mail/msgIds';
import { CUSTOM_PROPERTY, decodeTag } from '../mail/marks';
import type { EmailFacts } from '../rules/types';
import { IN_REPLY_TO_ID, REFERENCES_ID, samePropertyId } from './properties';

/** The add-in's Office.js custom properties on an item: name → value, as `saveAsync` stored them. */
export type CustomProperties = Readonly<Record<string, unknown>>;

export interface GraphItem {
  readonly itemId: string;
  /** Graph's version stamp; "" when Graph gave none (the spec's missing changeKey). */
  readonly changeKey: string;
  readonly isDraft: boolean;
  readonly categories: readonly string[];
  readonly tag: TrackTag | null;
  /** All of the add-in's custom properties, so a tag is written without losing the draft mark. */
  readonly customProperties: CustomProperties;
  readonly facts: EmailFacts;
  /**
   * The body's content when the message was read with it (the background check selects it in the
   * delta, so a track costs no read per item); null when not selected. As Graph gives it: HTML by
   * default, which the activity's description holds as Dynamics 365's own email sync stores it.
   */
  readonly body: string | null;
}

export type ItemReading =
  | { readonly ok: true; readonly item: GraphItem; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly itemId: string | null; readonly reason: string };

export interface FactsContext {
  /** The folder's name as the item is listed under it (`inbox`, `Inbox/Projects/Fabrikam`). */
  readonly folder: string;
  /** The mailbox owner's address: mail from it is outgoing, as the pane decides. */
  readonly userAddress: string;
  /** The `cecp-` property id of this add-in (properties.ts customPropertiesId). */
  readonly customPropertiesId: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Graph's `{"emailAddress": {"name", "address"}}` in the shape officeFacts reads. */
function officeAddress(recipient: unknown): OfficeEmailAddress | null {
  if (!isObject(recipient) || !isObject(recipient.emailAddress)) return null;
  return {
    emailAddress: text(recipient.emailAddress.address),
    displayName: text(recipient.emailAddress.name),
  };
}

function officeAddresses(list: unknown): OfficeEmailAddress[] {
  if (!Array.isArray(list)) return [];
  return list.map(officeAddress).filter((a): a is OfficeEmailAddress => a !== null);
}

/** The message's extended properties by id; entries that are not `{id, value}` strings are skipped. */
function properties(message: Json): { id: string; value: string }[] {
  const list = message.singleValueExtendedProperties;
  if (!Array.isArray(list)) return [];
  return list.flatMap((p: unknown) =>
    isObject(p) && typeof p.id === 'string' && typeof p.value === 'string'
      ? [{ id: p.id, value: p.value }]
      : [],
  );
}

function propertyValue(message: Json, id: string): string | null {
  return properties(message).find((p) => samePropertyId(p.id, id))?.value ?? null;
}

/** In-Reply-To as the header parser reads it: the first msg-id, or a lone id without brackets. */
function readInReplyTo(value: string | null, warnings: string[]): string | null {
  if (value === null || value.trim() === '') return null;
  const { ids } = scanMsgIds(value);
  if (ids[0] !== undefined) return ids[0];
  const bare = value.trim();
  if (/^[^\s<>()",;:@]+@[^\s<>()",;:@]+$/.test(bare)) return bare;
  warnings.push(`in-reply-to: "${bare.slice(0, 200)}" holds no msg-id; ignored`);
  return null;
}

/**
 * The custom properties' JSON object. Outlook writes it; anything else (not JSON, not an object) is
 * read as no properties, so the item counts as untagged and the next track writes a good tag.
 */
export function readCustomProperties(value: string | null, warnings: string[] = []): CustomProperties {
  if (value === null) return {};
  try {
    const parsed: unknown = JSON.parse(value);
    if (isObject(parsed)) return parsed;
  } catch {
    // reported below
  }
  warnings.push(`the add-in's custom properties are not a JSON object (${value.slice(0, 40)}); read as none`);
  return {};
}

export function readGraphMessage(message: unknown, context: FactsContext): ItemReading {
  if (!isObject(message)) return { ok: false, itemId: null, reason: 'the message is not a JSON object' };
  const itemId = text(message.id);
  if (!itemId) return { ok: false, itemId: null, reason: 'the message has no id' };
  const warnings: string[] = [];

  const office = factsFromOfficeFields({
    internetMessageId: text(message.internetMessageId),
    subject: text(message.subject) ?? '',
    from: officeAddress(message.from) ?? officeAddress(message.sender),
    to: officeAddresses(message.toRecipients),
    cc: officeAddresses(message.ccRecipients),
    bcc: officeAddresses(message.bccRecipients),
    dateTimeReceived: text(message.receivedDateTime),
  });
  if (typeof message.receivedDateTime === 'string' && office.receivedAt === null)
    warnings.push(`receivedDateTime: "${message.receivedDateTime.slice(0, 40)}" is not an instant`);

  const references = propertyValue(message, REFERENCES_ID);
  const scanned = references === null ? { ids: [], invalid: [] } : scanMsgIds(references);
  for (const bad of scanned.invalid)
    warnings.push(`references: "${bad.slice(0, 200)}" is not a msg-id; skipped`);

  // Base64 as the Thread-Index header carries it; Graph sends no white space, a header may.
  const conversationIndex = text(message.conversationIndex)?.replace(/\s+/g, '') ?? '';
  const outgoing =
    office.from !== null &&
    office.from !== undefined &&
    office.from.address.toLowerCase() === context.userAddress.trim().toLowerCase();

  const facts: EmailFacts = {
    messageId: office.messageId ?? null,
    subject: office.subject ?? '',
    direction: outgoing ? 'outgoing' : 'incoming',
    folder: context.folder,
    from: office.from ?? null,
    to: office.to ?? [],
    cc: office.cc ?? [],
    bcc: office.bcc ?? [],
    inReplyTo: readInReplyTo(propertyValue(message, IN_REPLY_TO_ID), warnings),
    references: scanned.ids,
    threadIndex: conversationIndex === '' ? null : conversationIndex,
    receivedAt: office.receivedAt ?? null,
    composeType: null,
  };

  const customProperties = readCustomProperties(propertyValue(message, context.customPropertiesId), warnings);
  const categories = Array.isArray(message.categories)
    ? message.categories.filter((c): c is string => typeof c === 'string')
    : [];
  return {
    ok: true,
    item: {
      itemId,
      changeKey: text(message.changeKey) ?? '',
      isDraft: message.isDraft === true,
      categories,
      tag: decodeTag(customProperties[CUSTOM_PROPERTY], {
        log: (line: string) => warnings.push(line),
      }),
      customProperties,
      facts,
      body: isObject(message.body) ? text(message.body.content) : null,
    },
    warnings,
  };
}
