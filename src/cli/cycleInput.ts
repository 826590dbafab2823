/**
 * Reads an `explain` case of action `cycle` (background-check.md §2): a §6 case without `email` and
 * `regarding`, with `now`, the mailbox and the previous cycle's state. Malformed input names the
 * field, as for the other actions.
 */
import type { ItemTag, SeenEntry } from '../rules/backgroundCycle';
import type { EmailFacts } from '../rules/types';
import {
  array,
  boolean,
  fail,
  instant,
  object,
  optionalObject,
  optionalRecordRef,
  optionalString,
  readEmail,
  readSetup,
  required,
  string,
  type CaseSetup,
  type Json,
} from './caseInput';

export interface CycleCaseItem {
  readonly itemId: string;
  readonly changeKey: string;
  readonly isDraft: boolean;
  readonly categories: readonly string[];
  readonly tag: ItemTag | null;
  readonly email: EmailFacts;
  /** The raw header block, when the item gives one (its fields win over the structured ones). */
  readonly headers: string | null;
  /** The `email.receivedAt` as given (a Date header never replaces it, §1.2 steps 4–5). */
  readonly receivedAt: string;
  /** Where the item is in the case, for messages: `mailbox.folders[0].items[1]`. */
  readonly field: string;
}

export interface CycleCase extends CaseSetup {
  readonly action: 'cycle';
  readonly now: string;
  readonly folders: readonly { readonly name: string; readonly items: readonly CycleCaseItem[] }[];
  readonly state: { readonly seen: readonly SeenEntry[]; readonly aggressiveCyclesLeft: number };
}

function wholeNumber(value: Json, field: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) fail(field, 'a whole number', value);
  return value;
}

function tag(value: Json, field: string): ItemTag | null {
  const o = optionalObject(value, field);
  if (o === null) return null;
  return {
    activityId: string(required(o, 'activityId', field), `${field}.activityId`),
    regarding: optionalRecordRef(o.regarding, `${field}.regarding`),
  };
}

function item(value: Json, field: string): CycleCaseItem {
  const o = object(value, field);
  const itemId = string(required(o, 'itemId', field), `${field}.itemId`);
  const emailObject = object(required(o, 'email', field), `${field}.email`);
  const receivedAt = instant(emailObject.receivedAt, `${field}.email.receivedAt`);
  const { facts, headers } = readEmail(emailObject, `${field}.email`);
  return {
    itemId,
    changeKey: optionalString(o.changeKey, `${field}.changeKey`) ?? '',
    isDraft: boolean(o.isDraft, `${field}.isDraft`, false),
    categories: array(o.categories, `${field}.categories`).map((c, i) =>
      string(c, `${field}.categories[${i}]`),
    ),
    tag: tag(o.tag, `${field}.tag`),
    email: facts,
    headers,
    receivedAt,
    field,
  };
}

function seenEntry(value: Json, field: string): SeenEntry {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(field, 'an {"itemId", "changeKey"} object', value);
  }
  const o = value as Record<string, Json>;
  return {
    itemId: string(required(o, 'itemId', field), `${field}.itemId`),
    // A missing changeKey is the empty string (§1.2 step 3), in the state as on an item.
    changeKey: optionalString(o.changeKey, `${field}.changeKey`) ?? '',
  };
}

/** Reads a parsed case whose `action` is `cycle`, or throws CaseInputError naming the field. */
export function readCycleCase(o: Record<string, Json>): CycleCase {
  const now = instant(o.now, 'now');
  const mailbox = object(required(o, 'mailbox', ''), 'mailbox');
  const folders = array(mailbox.folders, 'mailbox.folders').map((v, f) => {
    const folder = object(v, `mailbox.folders[${f}]`);
    const field = `mailbox.folders[${f}]`;
    return {
      name: string(required(folder, 'name', field), `${field}.name`),
      items: array(folder.items, `${field}.items`).map((it, i) => item(it, `${field}.items[${i}]`)),
    };
  });
  const state = optionalObject(o.state, 'state');
  return {
    action: 'cycle',
    now,
    folders,
    state: {
      seen: array(state?.seen, 'state.seen').map((v, i) => seenEntry(v, `state.seen[${i}]`)),
      aggressiveCyclesLeft: wholeNumber(state?.aggressiveCyclesLeft, 'state.aggressiveCyclesLeft', 0),
    },
    ...readSetup(o),
  };
}
