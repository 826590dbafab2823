/** §1: every setting of the spec, set to each of two states, is read into the typed settings. */
import { effectivePersonalOptions } from '../../../src/rules/effectiveSettings';
import { resolveSettings } from '../../../src/rules/settingsInput';
import { makeTrackingToken } from '../../../src/rules/trackingToken';
import { orgDb } from '../../support/cases';

type Section = 'organization' | 'orgDb' | 'client' | 'user';
const ROWS: [string, Section, unknown, unknown][] = [
  // §1.1
  ['promoteIncomingEmail', 'organization', true, false],
  ['tagpollingperiod', 'organization', 10, 3],
  ['tagmaxaggressivecycles', 'organization', 3, 0],
  ['backgroundLookbackDays', 'organization', 2, 7],
  ['backgroundMaxItems', 'organization', 100, 25],
  ['allowoutlookscheduledsyncs', 'organization', true, false],
  ['minoutlooksyncinterval', 'organization', 15, 30],
  ['allowofflinescheduledsyncs', 'organization', true, false],
  ['minofflinesyncinterval', 'organization', 15, 45],
  ['allowaddressbooksyncs', 'organization', true, false],
  ['minaddressbooksyncinterval', 'organization', 60, 120],
  ['emailcorrelationenabled', 'organization', true, false],
  ['useTrackingToken', 'organization', true, false],
  ['trackingprefix', 'organization', 'CRM:', 'TKN#'],
  ['trackingtokeniddigits', 'organization', 3, 5],
  ['trackingtokenidbase', 'organization', 0, 100],
  ['maximumtrackingnumber', 'organization', 999, 99999],
  ['enablesmartmatching', 'organization', false, true],
  ['hashfilterkeywords', 'organization', '^[\\s]*([\\w]+\\s?:[\\s]*)+', '^RE:'],
  ['hashmaxcount', 'organization', 20, 5],
  ['hashdeltasubjectcount', 'organization', 0, 2],
  ['hashminaddresscount', 'organization', 2, 1],
  ['ignoreinternalemail', 'organization', false, true],
  ['requireapprovalforuseremail', 'organization', false, true],
  ['unresolveemailaddressifmultiplematch', 'organization', false, true],
  ['isfolderbasedtrackingenabled', 'organization', false, true],
  // Attachments (issue 10): bytes, and the refused extensions
  ['maxuploadfilesize', 'organization', 5_242_880, 1_048_576],
  ['blockedattachments', 'organization', 'exe;js', ''],
  // §1.2
  ['VerboseErrorsOnPromoteToCRM', 'orgDb', 0, 1],
  ['ClientDisableTrackingForReplyForwardEmails', 'orgDb', false, true],
  ['OverrideTrackInCrmBehaviour', 'orgDb', 0, 1],
  ['SendEmailSynchronously', 'orgDb', 0, 1],
  ['AllowPromoteDuplicates', 'orgDb', false, true],
  ['OverrideV5SenderConflictResolution', 'orgDb', false, true],
  ['AutoCreateContactOnPromote', 'orgDb', true, false],
  ['AutoTrackSentFolderItems', 'orgDb', false, true],
  ['IgnoreConversationIndexAndInReplyToForCorrelation', 'orgDb', false, true],
  ['DoNotCorrelateForwardedEmailsAsReplies', 'orgDb', false, true],
  ['DisableSmartMatching', 'orgDb', false, true],
  ['UnresolveSenderInCaseOfMultipleMatch', 'orgDb', false, true],
  ['HideEmailAutoTrackOptions', 'orgDb', false, true],
  ['TrackCategorizedItems', 'orgDb', true, false],
  // §1.3
  ['outlookSynchronization', 'client', true, false],
  ['backgroundSendEmail', 'client', true, false],
  ['backgroundTrackEmail', 'client', true, false],
  ['automaticEmailTagging', 'client', true, false],
  // §1.4
  ['synchronizeWithOutlook', 'user', true, false],
  ['synccontactcompany', 'user', false, true],
  ['isSynchronizationClient', 'user', true, false],
  ['outlooksyncinterval', 'user', 15, 60],
  ['recipientReconciliation', 'user', 'all-matches', 'primary-email-only'],
  ['addressbooksyncinterval', 'user', 60, 240],
  ['offlinesyncinterval', 'user', 15, 90],
  ['isduplicatedetectionenabledwhengoingonline', 'user', true, false],
  ['incomingemailfilteringmethod', 'user', 1, 3],
  ['autocreatecontactonpromote', 'user', 0, 2],
];

function raw(name: string, section: Section, value: unknown): Record<string, Record<string, unknown>> {
  if (section === 'orgDb') return { organization: { orgdborgsettings: orgDb({ [name]: value as string }) } };
  return { [section]: { [name]: value } };
}

describe('§1 every setting in both states', () => {
  test.each(ROWS)('§1: %s (%s) reads %p and %p', (name, section, first, second) => {
    for (const value of [first, second]) {
      const { settings, issues } = resolveSettings(raw(name, section, value));
      expect(issues).toEqual([]);
      expect((settings[section] as unknown as Record<string, unknown>)[name]).toEqual(value);
    }
  });

  test('§1: the list above is the whole model', () => {
    const { settings } = resolveSettings({});
    const all = [
      ...Object.keys(settings.organization).filter((k) => k !== 'orgdborgsettings'),
      ...Object.keys(settings.orgDb),
      ...Object.keys(settings.client),
      ...Object.keys(settings.user),
    ];
    expect(all.sort()).toEqual(ROWS.map((r) => r[0]).sort());
  });

  // synchronization.md §1 names two personal options more shortly than the model does.
  test.each<[string, 'synchronizeWithOutlook' | 'isSynchronizationClient']>([
    ['syncWithOutlook', 'synchronizeWithOutlook'],
    ['isSyncClient', 'isSynchronizationClient'],
  ])('synchronization.md §1: %s (user) reads true and false into %s', (name, field) => {
    for (const value of [true, false]) {
      const { settings, issues } = resolveSettings({ user: { [name]: value } });
      expect(issues).toEqual([]);
      expect(settings.user[field]).toBe(value);
    }
  });

  test("§1.4: the Email tab's two switches are the same stored values as the client switches", () => {
    const options = effectivePersonalOptions(
      resolveSettings({ user: { backgroundSendEmail: false, backgroundTrackEmail: false } }).settings,
    );
    expect(options.backgroundSendEmail.value).toBe(false);
    expect(options.backgroundTrackEmail.value).toBe(false);
  });

  test.each<[Record<string, unknown>, number, number, string]>([
    [{}, 1, 234, 'CRM:0001234'],
    [
      {
        trackingprefix: 'TKN#',
        trackingtokeniddigits: 2,
        trackingtokenidbase: 10,
        maximumtrackingnumber: 99999,
      },
      5,
      42,
      'TKN#01500042',
    ],
  ])(
    "§3.2: a token is made from the organization's token settings %p",
    (organization, userNumber, counter, token) => {
      const org = resolveSettings({ organization }).settings.organization;
      expect(
        makeTrackingToken({
          prefix: org.trackingprefix,
          idDigits: org.trackingtokeniddigits,
          idBase: org.trackingtokenidbase,
          userNumber,
          maxTrackingNumber: org.maximumtrackingnumber,
          counter,
        }),
      ).toBe(token);
    },
  );
});
