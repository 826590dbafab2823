/**
 * Reads one `explain` case (spec §6) from parsed JSON into the rules' types, naming the exact field
 * when something is wrong. Strict: a value of the wrong JSON type is malformed input (§6), left-out
 * and null optional fields take their defaults. The readers are shared with the other actions' cases
 * (cycleInput.ts), so a field is read the same way wherever it appears.
 */
import type { RawSettings } from '../rules/settingsInput';
import type {
  Action,
  ComposeType,
  CrmRecord,
  Direction,
  EmailFacts,
  FolderMapping,
  MailAddress,
  RecordRef,
  TrackedEmail,
  UserContext,
} from '../rules/types';

/** A case that is not what §6 describes: `field` is a dotted path such as `email.from.address`. */
export class CaseInputError extends Error {
  override readonly name = 'CaseInputError';
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`field ${field}: ${problem}`);
  }
}

/** What every case gives besides its action's own fields: who, with which settings, against which CRM. */
export interface CaseSetup {
  readonly user: UserContext;
  readonly settings: RawSettings;
  readonly crm: {
    readonly records: readonly CrmRecord[];
    readonly trackedEmails: readonly TrackedEmail[];
    readonly folderMappings: readonly FolderMapping[];
  };
}

export interface ExplainCase extends CaseSetup {
  readonly action: Action;
  readonly email: EmailFacts;
  /** The raw header block, when the case gives one (its fields win over the structured ones). */
  readonly headers: string | null;
  readonly regarding: RecordRef | null;
}

export type Json = unknown;

const describe = (value: Json): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'an array'
      : typeof value === 'object'
        ? 'an object'
        : `${typeof value} ${JSON.stringify(value)}`;

export function fail(field: string, expected: string, value: Json): never {
  throw new CaseInputError(field, `expected ${expected}, got ${describe(value)}`);
}

export function object(value: Json, field: string): Record<string, Json> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(field, 'an object', value);
  return value as Record<string, Json>;
}

export function optionalObject(value: Json, field: string): Record<string, Json> | null {
  return value === undefined || value === null ? null : object(value, field);
}

export function string(value: Json, field: string): string {
  if (typeof value !== 'string') fail(field, 'a string', value);
  return value;
}

export function optionalString(value: Json, field: string): string | null {
  return value === undefined || value === null ? null : string(value, field);
}

export function boolean(value: Json, field: string, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') fail(field, 'true or false', value);
  return value;
}

export function array(value: Json, field: string): Json[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(field, 'an array', value);
  return value;
}

/**
 * An ISO 8601 date and time, with its offset (`Z`, `±hh:mm`) or without (read as UTC, **chosen**:
 * JavaScript would read it as the local time of wherever the command runs). Other forms Date.parse
 * takes (`Jan 10 2026`) are not ISO 8601.
 */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$/;

/** An ISO 8601 instant, required; the text the rules get always carries its offset. */
export function instant(value: Json, field: string): string {
  if (value === undefined) throw new CaseInputError(field, 'missing');
  const text = string(value, field).trim();
  const match = ISO_DATE_TIME.exec(text);
  const withOffset = match && match[3] === undefined ? `${text}Z` : text;
  if (!match || Number.isNaN(Date.parse(withOffset))) fail(field, 'an ISO 8601 instant', value);
  return withOffset;
}

export function required(o: Record<string, Json>, name: string, field: string): Json {
  if (o[name] === undefined) throw new CaseInputError(`${field}${field ? '.' : ''}${name}`, 'missing');
  return o[name];
}

function oneOf<T extends string>(value: Json, field: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(field, allowed.map((a) => `"${a}"`).join(' or '), value);
  }
  return value as T;
}

function address(value: Json, field: string): MailAddress {
  const o = object(value, field);
  return { address: string(o.address, `${field}.address`), name: optionalString(o.name, `${field}.name`) };
}

export function recordRef(value: Json, field: string): RecordRef {
  const o = object(value, field);
  return { type: string(o.type, `${field}.type`), id: string(o.id, `${field}.id`) };
}

export function optionalRecordRef(value: Json, field: string): RecordRef | null {
  return value === undefined || value === null ? null : recordRef(value, field);
}

function messageIds(value: Json, field: string): string[] {
  return array(value, field).map((v, i) => string(v, `${field}[${i}]`));
}

const COMPOSE_TYPES = ['newMail', 'reply', 'forward'] as const;

/** A §6 `email` at `field` (`email`, or an item's `mailbox.folders[0].items[1].email`). */
export function readEmail(value: Json, field: string): { facts: EmailFacts; headers: string | null } {
  const o = object(value, field);
  const direction = oneOf<Direction>(o.direction, `${field}.direction`, ['incoming', 'outgoing'], 'incoming');
  const composeType: ComposeType =
    o.composeType === undefined || o.composeType === null
      ? null
      : oneOf(o.composeType, `${field}.composeType`, COMPOSE_TYPES, 'newMail');
  const from = o.from === undefined || o.from === null ? null : address(o.from, `${field}.from`);
  const list = (name: 'to' | 'cc' | 'bcc'): MailAddress[] =>
    array(o[name], `${field}.${name}`).map((v, i) => address(v, `${field}.${name}[${i}]`));
  return {
    facts: {
      messageId: optionalString(o.messageId, `${field}.messageId`),
      subject: optionalString(o.subject, `${field}.subject`) ?? '',
      direction,
      folder:
        optionalString(o.folder, `${field}.folder`) ?? (direction === 'outgoing' ? 'sentitems' : 'inbox'),
      from,
      to: list('to'),
      cc: list('cc'),
      bcc: list('bcc'),
      inReplyTo: optionalString(o.inReplyTo, `${field}.inReplyTo`),
      references: messageIds(o.references, `${field}.references`),
      threadIndex: optionalString(o.threadIndex, `${field}.threadIndex`),
      receivedAt: optionalString(o.receivedAt, `${field}.receivedAt`),
      composeType,
    },
    headers: optionalString(o.headers, `${field}.headers`),
  };
}

function record(value: Json, field: string): CrmRecord {
  const o = object(value, field);
  return {
    type: string(o.type, `${field}.type`),
    id: string(o.id, `${field}.id`),
    // A null slot (emailaddress2 empty) keeps its position so emails[0] stays the primary address.
    emails: array(o.emails, `${field}.emails`).map((v, i) =>
      v === null ? '' : string(v, `${field}.emails[${i}]`),
    ),
    createdOn: optionalString(o.createdOn, `${field}.createdOn`) ?? '',
    active: boolean(o.active, `${field}.active`, true),
    name: optionalString(o.name, `${field}.name`),
  };
}

function trackedEmail(value: Json, field: string): TrackedEmail {
  const o = object(value, field);
  return {
    activityId: string(o.activityId, `${field}.activityId`),
    messageId: optionalString(o.messageId, `${field}.messageId`),
    subject: optionalString(o.subject, `${field}.subject`),
    trackingToken: optionalString(o.trackingToken, `${field}.trackingToken`),
    threadIndex: optionalString(o.threadIndex, `${field}.threadIndex`),
    regarding: optionalRecordRef(o.regarding, `${field}.regarding`),
    addresses: array(o.addresses, `${field}.addresses`).map((v, i) => string(v, `${field}.addresses[${i}]`)),
    trackedBy: optionalString(o.trackedBy, `${field}.trackedBy`),
    receivedAt: optionalString(o.receivedAt, `${field}.receivedAt`),
  };
}

function settingsSection(value: Json, field: string): Record<string, unknown> | null {
  return optionalObject(value, field);
}

const ACTIONS = ['incoming', 'track', 'compose'] as const;
// A `cycle` case never gets here (cycleInput.ts reads it), so the message names the decisions only.
const EXPECTED_ACTION = ACTIONS.map((a) => `"${a}"`).join(' or ');

/** Reads a parsed JSON value as a decision case, or throws CaseInputError naming the field. */
export function readCase(value: Json): ExplainCase {
  const o = object(value, '(case)');
  if (o.action === undefined) throw new CaseInputError('action', 'missing');
  if (o.email === undefined) throw new CaseInputError('email', 'missing');
  if (typeof o.action !== 'string' || !(ACTIONS as readonly string[]).includes(o.action)) {
    fail('action', EXPECTED_ACTION, o.action);
  }
  const action = o.action as Action;
  const { facts, headers } = readEmail(o.email, 'email');
  return {
    action,
    email: facts,
    headers,
    regarding: optionalRecordRef(o.regarding, 'regarding'),
    ...readSetup(o),
  };
}

/** The `user`, `settings` and `crm` of a case, each optional. */
export function readSetup(o: Record<string, Json>): CaseSetup {
  const userObject = optionalObject(o.user, 'user');
  const settings = optionalObject(o.settings, 'settings');
  const crm = optionalObject(o.crm, 'crm');
  return {
    user: {
      id: optionalString(userObject?.id, 'user.id') ?? '',
      email: optionalString(userObject?.email, 'user.email'),
      mailboxApproved: boolean(userObject?.mailboxApproved, 'user.mailboxApproved', true),
    },
    settings: {
      organization: settingsSection(settings?.organization, 'settings.organization'),
      client: settingsSection(settings?.client, 'settings.client'),
      user: settingsSection(settings?.user, 'settings.user'),
    },
    crm: {
      records: array(crm?.records, 'crm.records').map((v, i) => record(v, `crm.records[${i}]`)),
      trackedEmails: array(crm?.trackedEmails, 'crm.trackedEmails').map((v, i) =>
        trackedEmail(v, `crm.trackedEmails[${i}]`),
      ),
      folderMappings: array(crm?.folderMappings, 'crm.folderMappings').map((v, i) => {
        const m = object(v, `crm.folderMappings[${i}]`);
        return {
          folder: string(m.folder, `crm.folderMappings[${i}].folder`),
          regarding: recordRef(m.regarding, `crm.folderMappings[${i}].regarding`),
        };
      }),
    },
  };
}
