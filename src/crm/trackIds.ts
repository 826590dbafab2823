/**
 * The keys a track gives the rows it creates, derived from what is tracked rather than drawn at
 * random, so every runtime that tracks the same email for the same user (the pane, the ribbon, the
 * pending queue, a retry) sends the same keys. The second create then fails on Dataverse's duplicate
 * key (0x80040237) instead of making a second activity, and the adapter checks again and finds the first.
 *
 * Untrack deletes the activity; a new row may take the key of a deleted one (the emulator allows it;
 * dataverse-facts.md), so tracking again after an untrack creates under the same key. Where a derived
 * key is held by a row no check can see, the adapter asks for salted keys (`plannedIds`' salt).
 */
import { normalizeMessageId } from '../rules/messageId';
import { storedMessageId } from './columns';
import { loadPart } from './lazyPart';
import type { EmailToTrack } from './port';

type NameUuid = (namespace: string, name: string) => string;

/** The GUID code: a chunk loaded on the first track (lazyPart.ts). */
export const loadNameUuid = (): Promise<NameUuid> =>
  loadPart(async () => (await import(/* webpackChunkName: "track-ids" */ './nameUuid')).nameUuid);

/** This add-in's namespace for version-5 keys (fixed: changing it changes every key). */
const TRACK_NAMESPACE = '3f0c6a52-6e0b-4c1e-9a57-2d8b1f4e7c90';

export interface PlannedIds {
  readonly activity: string;
  /** One per entry of `email.create`. */
  readonly records: readonly string[];
  /** One per entry of `email.attachments`. */
  readonly attachments: readonly string[];
}

/**
 * The activity key of `messageId` tracked by `userId`: over the Message-ID as it is stored
 * (columns.ts) in its comparison form (§2.1 step 1: brackets and white space off, case kept), so
 * `<a@b>` and `a@b` give one key and `<A@b>` another, as the rules compare them.
 */
export function activityKey(nameUuid: NameUuid, userId: string, messageId: string): string {
  return nameUuid(
    TRACK_NAMESPACE,
    `${userId.toLowerCase()}\n${normalizeMessageId(storedMessageId(messageId))}`,
  );
}

/**
 * Keys of the records and files created with the activity, under the activity's key: a record by its
 * type and address (two plans creating the sender's contact give it one key), a file by its place.
 */
export function plannedIds(
  nameUuid: NameUuid,
  userId: string,
  email: EmailToTrack,
  salt?: string,
): PlannedIds {
  const key = activityKey(nameUuid, userId, email.messageId);
  // A salt gives other keys, for when the derived ones are held by a row no check can see.
  const activity = salt === undefined ? key : nameUuid(key, `salt\n${salt}`);
  const seen = new Set<string>();
  return {
    activity,
    records: email.create.map((record, k) => {
      let name = `record\n${record.type}\n${record.address.trim().toLowerCase()}`;
      if (seen.has(name)) name += `\n${k}`;
      seen.add(name);
      return nameUuid(activity, name);
    }),
    attachments: (email.attachments ?? []).map((_, k) => nameUuid(activity, `attachment\n${k}`)),
  };
}
