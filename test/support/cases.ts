/**
 * Builds explain cases (spec §6) for the rules tests, and decides them through the same path as the
 * `explain` command, so every rule test also exercises the case reader.
 */
import { readCase } from '../../src/cli/caseInput';
import { decisionToJson, explainCase } from '../../src/cli/explain';

export type Json = Record<string, unknown>;

export const ME = { address: 'me@contoso.com', name: 'Me Myself' };
export const ANN = { address: 'ann@fabrikam.com', name: 'Ann Lee' };

export const contact = (
  id: string,
  emails: string[],
  createdOn = '2020-01-01T00:00:00Z',
  extra: Json = {},
): Json => ({
  type: 'contact',
  id,
  emails,
  createdOn,
  active: true,
  ...extra,
});
export const record = (
  type: string,
  id: string,
  emails: string[],
  createdOn = '2020-01-01T00:00:00Z',
  extra: Json = {},
): Json => ({
  ...contact(id, emails, createdOn, extra),
  type,
});

export const tracked = (activityId: string, extra: Json = {}): Json => ({
  activityId,
  messageId: `<${activityId}@crm>`,
  subject: 'Quote',
  trackingToken: null,
  threadIndex: null,
  regarding: { type: 'opportunity', id: 'o1' },
  addresses: [ANN.address, ME.address],
  trackedBy: 'u1',
  receivedAt: '2026-01-09T09:00:00Z',
  ...extra,
});

/** A plain incoming email from Ann (a contact) to me, in the Inbox, answering nothing. */
export function baseCase(): Json {
  return {
    action: 'incoming',
    email: {
      messageId: '<new@fabrikam.com>',
      subject: 'Quote',
      direction: 'incoming',
      folder: 'inbox',
      from: ANN,
      to: [{ address: ME.address }],
      cc: [],
      bcc: [],
      inReplyTo: null,
      references: [],
      threadIndex: null,
      receivedAt: '2026-01-10T09:00:00Z',
      composeType: null,
      headers: null,
    },
    regarding: null,
    user: { id: 'u1', email: ME.address, mailboxApproved: true },
    settings: { organization: {}, user: {}, client: {} },
    crm: { records: [contact('c1', [ANN.address])], trackedEmails: [], folderMappings: [] },
  };
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge of plain objects; arrays and scalars in `patch` replace. */
export function merge(base: Json, patch: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(patch))
    out[k] = isObject(v) && isObject(out[k]) ? merge(out[k] as Json, v) : v;
  return out;
}

export interface DecisionJson {
  track: boolean;
  reason: string;
  code: number | null;
  existingActivityId: string | null;
  correlation: { method: string; activityId: string } | null;
  regarding: { type: string; id: string } | null;
  sender: { type: string; id: string | null } | null;
  senderCandidates: { type: string; id: string }[];
  parties: { role: string; address: string; records: { type: string; id: string }[] }[];
  create: { type: string; address: string; firstname: string | null; lastname: string }[];
  requiresRegarding: boolean;
  trace: string[];
}

/** Decides baseCase() with `patch` merged in. */
export function decideCase(patch: Json = {}): DecisionJson {
  return decisionToJson(explainCase(readCase(merge(baseCase(), patch)))) as unknown as DecisionJson;
}

/** OrgDBOrgSettings as the XML the organizations row holds. */
export function orgDb(values: Record<string, string | number | boolean>): string {
  return `<OrgSettings>${Object.entries(values)
    .map(([k, v]) => `<${k}>${String(v)}</${k}>`)
    .join('')}</OrgSettings>`;
}

/** settings patch helper: organization attributes plus OrgDBOrgSettings XML. */
export function org(attributes: Json, orgDbValues?: Record<string, string | number | boolean>): Json {
  return {
    settings: {
      organization: { ...attributes, ...(orgDbValues ? { orgdborgsettings: orgDb(orgDbValues) } : {}) },
    },
  };
}
