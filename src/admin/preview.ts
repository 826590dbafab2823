/**
 * "With these settings, this email would…": a built-in sample case decided by the rules with the
 * page's EDITED settings, through the same path as `track-in-crm explain` (the case reader, the
 * settings reader and `decide`), so the preview cannot disagree with what support would reproduce.
 * The samples are the everyday cases the settings change: a reply to tracked email, a new email from
 * a known contact, an email between two users, an email carrying a tracking token.
 */
import { readCase } from '../cli/caseInput';
import { explainCase } from '../cli/explain';
import type { Decision } from '../rules/decide';
import type { AdminSnapshot, Draft } from './adminModel';
import { orgDbChanges } from './adminModel';
import { SETTINGS, settingKey, storedValue, type DraftValue } from './settingsCatalog';
import { writeOrgDbOrgSettingsXml } from '../rules/orgDbOrgSettingsWriter';

export const SAMPLE_IDS = ['replyToTracked', 'newFromContact', 'betweenUsers', 'withTrackingToken'] as const;
export type SampleId = (typeof SAMPLE_IDS)[number];

const ME = { address: 'dana@contoso.com', name: 'Dana Park' };
const COLLEAGUE = { address: 'sam@contoso.com', name: 'Sam Lee' };
const CONTACT = { address: 'ann@fabrikam.com', name: 'Ann Lee' };
const TRACKED_ID = '<quote-1@contoso.com>';
/** The token the tracked quote went out with, under the default prefix, digits and base (§3.2). */
const TRACKED_TOKEN = 'CRM:0001005';

const records = [
  { type: 'contact', id: 'c1', emails: [CONTACT.address], createdOn: '2025-01-01T00:00:00Z', active: true },
  { type: 'systemuser', id: 'u1', emails: [ME.address], createdOn: '2024-01-01T00:00:00Z', active: true },
  {
    type: 'systemuser',
    id: 'u2',
    emails: [COLLEAGUE.address],
    createdOn: '2024-01-01T00:00:00Z',
    active: true,
  },
];

const trackedQuote = (addresses: string[]) => ({
  activityId: 'a1',
  messageId: TRACKED_ID,
  subject: 'Quote',
  trackingToken: TRACKED_TOKEN,
  threadIndex: null,
  regarding: { type: 'opportunity', id: 'o1' },
  addresses,
  trackedBy: 'u1',
  receivedAt: '2026-01-09T09:00:00Z',
});

function email(
  from: typeof ME,
  subject: string,
  inReplyTo: string | null,
  composeType: string | null = null,
) {
  return {
    messageId: `<sample-${subject.length}@example.com>`,
    subject,
    direction: 'incoming',
    folder: 'inbox',
    from,
    to: [{ address: ME.address, name: ME.name }],
    cc: [],
    bcc: [],
    inReplyTo,
    references: inReplyTo ? [inReplyTo] : [],
    threadIndex: null,
    receivedAt: '2026-01-10T09:00:00Z',
    composeType,
    headers: null,
  };
}

const SAMPLES: Readonly<Record<SampleId, { email: object; trackedEmails: object[] }>> = {
  replyToTracked: {
    email: email(CONTACT, 'RE: Quote', TRACKED_ID, 'reply'),
    trackedEmails: [trackedQuote([CONTACT.address, ME.address])],
  },
  newFromContact: { email: email(CONTACT, 'Visit next week', null), trackedEmails: [] },
  betweenUsers: {
    email: email(COLLEAGUE, 'RE: Internal pricing', TRACKED_ID, 'reply'),
    trackedEmails: [trackedQuote([COLLEAGUE.address, ME.address])],
  },
  withTrackingToken: {
    email: email(CONTACT, `Quote ${TRACKED_TOKEN} revised`, null),
    trackedEmails: [trackedQuote([CONTACT.address, ME.address])],
  },
};

/**
 * The organization settings of a case (§6 `settings.organization`) from the draft: every column and
 * `tic_` variable by its name, and the OrgDBOrgSettings XML as a save would write it.
 */
export function organizationSettingsOf(snapshot: AdminSnapshot, draft: Draft): Record<string, unknown> {
  const organization: Record<string, unknown> = {};
  for (const definition of SETTINGS.filter((d) => d.source !== 'orgDb')) {
    organization[definition.name] = storedValue(
      definition,
      draft.values[settingKey(definition)] as DraftValue,
    );
  }
  // Environment variables are text in Dataverse; the case reader takes them typed.
  for (const definition of SETTINGS.filter((d) => d.source === 'environment')) {
    const value = draft.values[settingKey(definition)] as DraftValue;
    organization[definition.name] = typeof value === 'boolean' ? value : Number(String(value).trim());
  }
  const changes = orgDbChanges(snapshot, draft);
  organization.orgdborgsettings =
    snapshot.orgDb.ok && changes.size > 0
      ? writeOrgDbOrgSettingsXml(snapshot.organization.orgdborgsettings, changes)
      : snapshot.organization.orgdborgsettings;
  return organization;
}

/** The sample decided with the draft's settings (the personal options are the spec's defaults). */
export function previewDecision(sample: SampleId, snapshot: AdminSnapshot, draft: Draft): Decision {
  const { email: sampleEmail, trackedEmails } = SAMPLES[sample];
  return explainCase(
    readCase({
      action: 'incoming',
      email: sampleEmail,
      regarding: null,
      user: { id: 'u1', email: ME.address, mailboxApproved: true },
      settings: { organization: organizationSettingsOf(snapshot, draft), user: {}, client: {} },
      crm: { records, trackedEmails, folderMappings: [] },
    }),
  );
}
