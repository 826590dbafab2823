/**
 * "Copy as a case" (issue 13): the current item, the settings and the CRM facts a decision was made
 * on, as the case `track-in-crm explain` reads (tracking.md §6), so support decides it again offline
 * with the same code. Optionally with the addresses masked: every address's local part replaced
 * consistently (`ann@fabrikam.com` → `user1@fabrikam.com` wherever it appears), domains kept.
 *
 * The settings are written from the typed Settings the session decided with (not the rows it read):
 * the tic_ variables, the roaming options and the defaults are then already in, and the case says
 * exactly what the rules saw.
 */
import type { ItemLookupResult } from '../crm/port';
import { isValidAddress } from '../rules/addresses';
import type { Decision } from '../rules/decide';
import type { Settings } from '../rules/settings';
import type { Action, EmailFacts, MailAddress, RecordRef, UserContext } from '../rules/types';

/** A §6 case as plain JSON (what is copied; `explain` reads it back with src/cli/caseInput.ts). */
export type CaseJson = Record<string, unknown>;

export interface CaseSource {
  readonly action: Action;
  readonly facts: EmailFacts;
  /** The regarding record the user chose (action `track`); null otherwise. */
  readonly regarding: RecordRef | null;
  readonly user: UserContext;
  readonly settings: Settings;
  /** The CRM's answer the decision was made on: its records and tracked emails. */
  readonly lookup: Pick<ItemLookupResult, 'records' | 'trackedEmails'>;
}

/** OrgDBOrgSettings as the XML of the organizations row (§1.2): booleans `true`/`false`, flags 0/1. */
export function orgDbXml(orgDb: Settings['orgDb']): string {
  const elements = Object.entries(orgDb).map(([name, value]) => `<${name}>${String(value)}</${name}>`);
  return `<OrgSettings>${elements.join('')}</OrgSettings>`;
}

/** The typed settings as a case's raw sections, each value under its §1 name. */
export function caseSettingsOf(settings: Settings): CaseJson {
  return {
    organization: { ...settings.organization, orgdborgsettings: orgDbXml(settings.orgDb) },
    user: { ...settings.user },
    client: { ...settings.client },
  };
}

const address = (a: MailAddress) => ({ address: a.address, name: a.name });

/**
 * The action a pane's decision was made for: the reasons of §2.2 come from Track in CRM, every other
 * from the item being seen (§2.1). A Duplicate decides the same under both (step 1 of each).
 */
export function actionOfDecision(decision: Decision): Action {
  return decision.reason === 'ManualTrack' || decision.reason === 'RegardingRequired' ? 'track' : 'incoming';
}

/**
 * The regarding to give a `track` case: the record the decision ended with. Given as chosen it leaves
 * the decision as it was (a chosen record wins over a correlated one, §2.2 step 3, and one given
 * means RegardingRequired does not apply).
 */
export const chosenRegardingOf = (decision: Decision): RecordRef | null =>
  decision.reason === 'ManualTrack' ? decision.regarding : null;

export function caseOf(source: CaseSource): CaseJson {
  const { facts } = source;
  return {
    action: source.action,
    email: {
      messageId: facts.messageId,
      subject: facts.subject,
      direction: facts.direction,
      folder: facts.folder,
      from: facts.from ? address(facts.from) : null,
      to: facts.to.map(address),
      cc: facts.cc.map(address),
      bcc: facts.bcc.map(address),
      inReplyTo: facts.inReplyTo,
      references: [...facts.references],
      threadIndex: facts.threadIndex,
      receivedAt: facts.receivedAt,
      composeType: facts.composeType,
      // The pane's facts already have the parsed internet headers merged in (§6: they win).
      headers: null,
    },
    regarding: source.regarding,
    user: { id: source.user.id, email: source.user.email, mailboxApproved: source.user.mailboxApproved },
    settings: caseSettingsOf(source.settings),
    crm: {
      records: source.lookup.records.map((r) => ({
        type: r.type,
        id: r.id,
        emails: [...r.emails],
        createdOn: r.createdOn,
        active: r.active,
        name: r.name ?? null,
      })),
      trackedEmails: source.lookup.trackedEmails.map((t) => ({ ...t, addresses: [...t.addresses] })),
      // The pane decides on the lookup's records and tracked emails alone (pipeline.ts decideOn).
      folderMappings: [],
    },
  };
}

/**
 * Replaces every address's local part, the same address (compared as the rules compare them, §2.4:
 * trimmed, case-insensitive) always by the same `userN`. Domains stay: they are what "internal or
 * external" usually turns on for a reader, and keeping them keeps the case readable. An address that
 * is not valid is kept as it is (chosen): masking it could make it valid, and change §2.1 step 6.
 * Display names go with their address (`User 1`); records' names are dropped.
 */
export function maskCase(input: CaseJson): CaseJson {
  const masked = new Map<string, { address: string; n: number }>();
  const mask = (value: string): string => {
    const key = value.trim().toLowerCase();
    if (key === '' || !isValidAddress(key)) return value;
    let entry = masked.get(key);
    if (!entry) {
      const n = masked.size + 1;
      entry = { address: `user${n}${key.slice(key.lastIndexOf('@'))}`, n };
      masked.set(key, entry);
    }
    return entry.address;
  };
  const maskMail = (value: unknown) => {
    const a = value as { address: string; name: string | null } | null;
    if (!a) return a;
    const address = mask(a.address);
    const n = masked.get(a.address.trim().toLowerCase())?.n;
    return { address, name: a.name === null || n === undefined ? null : `User ${n}` };
  };
  const email = input.email as Record<string, unknown>;
  const user = input.user as Record<string, unknown>;
  const crm = input.crm as { records: Record<string, unknown>[]; trackedEmails: Record<string, unknown>[] };
  return {
    ...input,
    email: {
      ...email,
      from: maskMail(email.from),
      to: (email.to as unknown[]).map(maskMail),
      cc: (email.cc as unknown[]).map(maskMail),
      bcc: (email.bcc as unknown[]).map(maskMail),
    },
    user: { ...user, email: typeof user.email === 'string' ? mask(user.email) : user.email },
    crm: {
      ...crm,
      records: crm.records.map((r) => ({ ...r, emails: (r.emails as string[]).map(mask), name: null })),
      trackedEmails: crm.trackedEmails.map((t) => ({ ...t, addresses: (t.addresses as string[]).map(mask) })),
    },
  };
}
