import { effectivePersonalOptions } from '../../../src/rules/effectiveSettings';
import { OrgDbOrgSettingsXmlError, parseOrgDbOrgSettingsXml } from '../../../src/rules/orgDbOrgSettingsXml';
import { DEFAULT_SETTINGS } from '../../../src/rules/settings';
import { resolveSettings } from '../../../src/rules/settingsInput';
import { decideCase, orgDb } from '../../support/cases';

describe('§1 settings', () => {
  test('§1.1–§1.4: every setting left out takes the spec default', () => {
    const { settings, issues } = resolveSettings({});
    expect(issues).toEqual([]);
    expect(settings).toEqual(DEFAULT_SETTINGS);
    expect(settings.organization).toMatchObject({
      promoteIncomingEmail: true,
      tagpollingperiod: 10,
      tagmaxaggressivecycles: 3,
      allowoutlookscheduledsyncs: true,
      minoutlooksyncinterval: 15,
      allowofflinescheduledsyncs: true,
      minofflinesyncinterval: 15,
      allowaddressbooksyncs: true,
      minaddressbooksyncinterval: 60,
      emailcorrelationenabled: true,
      useTrackingToken: true,
      trackingprefix: 'CRM:',
      trackingtokeniddigits: 3,
      trackingtokenidbase: 0,
      maximumtrackingnumber: 999,
      enablesmartmatching: false,
      hashfilterkeywords: '^[\\s]*([\\w]+\\s?:[\\s]*)+',
      hashmaxcount: 20,
      hashdeltasubjectcount: 0,
      hashminaddresscount: 2,
      ignoreinternalemail: false,
      requireapprovalforuseremail: false,
      unresolveemailaddressifmultiplematch: false,
      isfolderbasedtrackingenabled: false,
      orgdborgsettings: '',
    });
    expect(settings.orgDb).toEqual({
      VerboseErrorsOnPromoteToCRM: 0,
      ClientDisableTrackingForReplyForwardEmails: false,
      OverrideTrackInCrmBehaviour: 0,
      SendEmailSynchronously: 0,
      AllowPromoteDuplicates: false,
      OverrideV5SenderConflictResolution: false,
      AutoCreateContactOnPromote: true,
      AutoTrackSentFolderItems: false,
      IgnoreConversationIndexAndInReplyToForCorrelation: false,
      DoNotCorrelateForwardedEmailsAsReplies: false,
      DisableSmartMatching: false,
      UnresolveSenderInCaseOfMultipleMatch: false,
      HideEmailAutoTrackOptions: false,
      TrackCategorizedItems: true,
    });
    expect(settings.client).toEqual({
      outlookSynchronization: true,
      backgroundSendEmail: true,
      backgroundTrackEmail: true,
      automaticEmailTagging: true,
    });
    expect(settings.user).toMatchObject({
      synccontactcompany: false,
      outlooksyncinterval: 15,
      recipientReconciliation: 'all-matches',
      addressbooksyncinterval: 60,
      offlinesyncinterval: 15,
      isduplicatedetectionenabledwhengoingonline: true,
      incomingemailfilteringmethod: 1,
      autocreatecontactonpromote: 0,
    });
  });

  test.each<[string, Record<string, unknown>, string, unknown]>([
    [
      'Dataverse booleans',
      { organization: { ignoreinternalemail: true } },
      'organization.ignoreinternalemail',
      true,
    ],
    [
      'tic_ environment variables by either name',
      { organization: { tic_useTrackingToken: 'false' } },
      'organization.useTrackingToken',
      false,
    ],
    [
      'camelCase env var name',
      { organization: { promoteIncomingEmail: false } },
      'organization.promoteIncomingEmail',
      false,
    ],
    ['numbers as text', { organization: { hashmaxcount: '7' } }, 'organization.hashmaxcount', 7],
    [
      'OrgDBOrgSettings written directly win over the XML',
      {
        organization: {
          orgdborgsettings: orgDb({ AllowPromoteDuplicates: false }),
          AllowPromoteDuplicates: true,
        },
      },
      'orgDb.AllowPromoteDuplicates',
      true,
    ],
    [
      'OrgDBOrgSettings "1" and "True"',
      {
        organization: {
          orgdborgsettings: orgDb({
            OverrideV5SenderConflictResolution: 'True',
            VerboseErrorsOnPromoteToCRM: 1,
          }),
        },
      },
      'orgDb.OverrideV5SenderConflictResolution',
      true,
    ],
    [
      'automatic record creation by name',
      { user: { autocreatecontactonpromote: 'lead' } },
      'user.autocreatecontactonpromote',
      2,
    ],
    [
      'personal option backgroundTrackEmail is the client switch',
      { user: { backgroundTrackEmail: false } },
      'client.backgroundTrackEmail',
      false,
    ],
    [
      'personal option backgroundSendEmail is the client switch',
      { user: { backgroundSendEmail: false } },
      'client.backgroundSendEmail',
      false,
    ],
  ])('§1: values are read from their sources: %s', (_name, raw, path, value) => {
    const { settings } = resolveSettings(raw);
    const [section, key] = path.split('.') as [keyof typeof settings, string];
    expect((settings[section] as unknown as Record<string, unknown>)[key]).toEqual(value);
  });

  test('§1.3: two views of one setting share one stored value', () => {
    const both = resolveSettings({
      client: { backgroundTrackEmail: true },
      user: { backgroundTrackEmail: false },
    });
    expect(both.settings.client.backgroundTrackEmail).toBe(false);
    expect(both.issues.map((i) => i.kind)).toEqual(['conflicting-views']);
    expect(effectivePersonalOptions(both.settings).backgroundTrackEmail.value).toBe(false);
  });

  test('§6: an unknown setting name is ignored and named in the trace', () => {
    const decision = decideCase({
      settings: {
        user: { nosuchoption: 1 },
        organization: { orgdborgsettings: orgDb({ SomeFutureSetting: 'x' }) },
      },
    });
    expect(decision.trace).toEqual(
      expect.arrayContaining([
        expect.stringContaining('settings.user.nosuchoption'),
        expect.stringContaining('SomeFutureSetting'),
      ]),
    );
  });

  test.each([
    ['<OrgSettings><AllowPromoteDuplicates>true</AllowPromoteDuplicates>', 'not closed'],
    ['<OrgSettings><A>1</B></OrgSettings>', 'closes'],
    ['<Other><A>1</A></Other>', 'root element'],
    ['<OrgSettings><A><B>1</B></A></OrgSettings>', 'flat'],
    ['<OrgSettings><A>1 & 2</A></OrgSettings>', "'&'"],
    ['<OrgSettings></OrgSettings><More/>', 'after'],
    ['just text', 'expected the <OrgSettings>'],
  ])('§1.2: malformed orgdborgsettings XML is a typed error: %s', (xml, message) => {
    expect(() => parseOrgDbOrgSettingsXml(xml)).toThrow(OrgDbOrgSettingsXmlError);
    expect(() => parseOrgDbOrgSettingsXml(xml)).toThrow(message);
  });

  test('§1.2: the XML reader keeps unknown names, entities, CDATA, comments and empty elements', () => {
    const xml = `<?xml version="1.0"?><!-- org --><OrgSettings>\n <A>1</A> <B>x &amp; &lt;y&gt; &#65;</B><C/><D><![CDATA[<raw>]]></D></OrgSettings>`;
    expect([...parseOrgDbOrgSettingsXml(xml)]).toEqual([
      ['A', '1'],
      ['B', 'x & <y> A'],
      ['C', ''],
      ['D', '<raw>'],
    ]);
    const { unknownOrgDbSettings } = resolveSettings({ organization: { orgdborgsettings: xml } });
    expect([...unknownOrgDbSettings.keys()]).toEqual(['A', 'B', 'C', 'D']);
  });

  test('§1.2: a malformed orgdborgsettings XML gives the defaults and the trace says so', () => {
    const decision = decideCase({
      action: 'track',
      settings: {
        organization: {
          orgdborgsettings: '<OrgSettings><OverrideTrackInCrmBehaviour>1</OverrideTrackInCrmBehaviour',
        },
      },
    });
    expect(decision.reason).toBe('ManualTrack');
    expect(decision.trace[0]).toMatch(/orgdborgsettings XML is malformed.*defaults?/);
  });

  test('§1.2: an OrgDBOrgSettings value that means nothing takes its default and is reported', () => {
    const { settings, issues } = resolveSettings({
      organization: { orgdborgsettings: orgDb({ AllowPromoteDuplicates: 'maybe' }) },
    });
    expect(settings.orgDb.AllowPromoteDuplicates).toBe(false);
    expect(issues[0]?.path).toBe('orgdborgsettings.AllowPromoteDuplicates');
  });

  test.each<[string, Record<string, unknown>, string]>([
    [
      'filtering method out of range',
      { user: { incomingemailfilteringmethod: 7 } },
      'settings.user.incomingemailfilteringmethod',
    ],
    [
      'a boolean as an object',
      { organization: { ignoreinternalemail: {} } },
      'settings.organization.ignoreinternalemail',
    ],
    [
      'a tracking prefix longer than 20 characters',
      { organization: { trackingprefix: 'X'.repeat(21) } },
      'settings.organization.trackingprefix',
    ],
    [
      'an empty tracking prefix',
      { organization: { trackingprefix: '' } },
      'settings.organization.trackingprefix',
    ],
    ['a negative interval', { user: { outlooksyncinterval: -5 } }, 'settings.user.outlooksyncinterval'],
    [
      'an unknown reconciliation',
      { user: { recipientReconciliation: 'some' } },
      'settings.user.recipientReconciliation',
    ],
  ])('§1: a value of the wrong type is an invalid-value issue naming it: %s', (_name, raw, path) => {
    const { issues } = resolveSettings(raw);
    expect(issues).toEqual([expect.objectContaining({ kind: 'invalid-value', path })]);
  });
});

describe('§1.4 effective value rules', () => {
  const effective = (raw: Record<string, unknown>) => effectivePersonalOptions(resolveSettings(raw).settings);

  test.each<
    [
      string,
      Record<string, unknown>,
      'outlooksyncinterval' | 'offlinesyncinterval' | 'addressbooksyncinterval',
      number,
      boolean,
    ]
  >([
    [
      'synchronization interval below the minimum is raised',
      { user: { outlooksyncinterval: 5 } },
      'outlooksyncinterval',
      15,
      true,
    ],
    [
      'synchronization interval above the minimum is kept',
      { user: { outlooksyncinterval: 30 } },
      'outlooksyncinterval',
      30,
      false,
    ],
    [
      'local data interval clamped to minofflinesyncinterval',
      { user: { offlinesyncinterval: 1 }, organization: { minofflinesyncinterval: 20 } },
      'offlinesyncinterval',
      20,
      true,
    ],
    [
      'address book interval clamped to minaddressbooksyncinterval',
      { user: { addressbooksyncinterval: 10 } },
      'addressbooksyncinterval',
      60,
      true,
    ],
  ])('§1.4: %s', (_name, raw, option, value, noted) => {
    const result = effective(raw)[option];
    expect(result.value).toBe(value);
    expect(result.note !== null).toBe(noted);
  });

  test.each<[string, Record<string, unknown>, string, unknown]>([
    [
      'allowoutlookscheduledsyncs false locks the schedule',
      { organization: { allowoutlookscheduledsyncs: false } },
      'outlooksyncinterval',
      15,
    ],
    [
      'allowofflinescheduledsyncs false locks local data updates',
      { organization: { allowofflinescheduledsyncs: false } },
      'offlinesyncinterval',
      15,
    ],
    [
      'allowaddressbooksyncs false locks the address book refresh',
      { organization: { allowaddressbooksyncs: false } },
      'addressbooksyncinterval',
      60,
    ],
    [
      'promoteIncomingEmail false locks "check incoming email" off',
      { organization: { promoteIncomingEmail: false } },
      'backgroundTrackEmail',
      false,
    ],
    [
      'HideEmailAutoTrackOptions locks the filtering method at 1',
      {
        organization: { orgdborgsettings: orgDb({ HideEmailAutoTrackOptions: true }) },
        user: { incomingemailfilteringmethod: 0 },
      },
      'incomingemailfilteringmethod',
      1,
    ],
    [
      'AutoCreateContactOnPromote false locks record creation at none',
      { organization: { AutoCreateContactOnPromote: false }, user: { autocreatecontactonpromote: 1 } },
      'autocreatecontactonpromote',
      0,
    ],
  ])(
    '§1.4: an org switch that forbids a feature locks the option, with the reason: %s',
    (_name, raw, option, value) => {
      const result = (
        effective(raw) as unknown as Record<
          string,
          { value: unknown; locked: boolean; lockReason: { text: string; setting: string } | null }
        >
      )[option];
      expect(result).toMatchObject({ value, locked: true });
      expect(result?.lockReason?.text).toMatch(/organization/i);
    },
  );

  test('§1.4: nothing is locked by default', () => {
    expect(Object.values(effective({})).filter((o) => o.locked)).toEqual([]);
  });
});

describe('§1.2 OrgDBOrgSettings names', () => {
  test('§1.2: XML names are case-sensitive: another case is an unknown name, kept and ignored', () => {
    const { settings, unknownOrgDbSettings } = resolveSettings({
      organization: {
        orgdborgsettings: '<OrgSettings><allowpromoteduplicates>true</allowpromoteduplicates></OrgSettings>',
      },
    });
    expect(settings.orgDb.AllowPromoteDuplicates).toBe(false);
    expect([...unknownOrgDbSettings.keys()]).toEqual(['allowpromoteduplicates']);
  });
});

describe('attachment settings (organization maxuploadfilesize, blockedattachments)', () => {
  test("left out: Dataverse's 5 MB, and no extension known blocked (Dataverse enforces its own list)", () => {
    const { settings } = resolveSettings({});
    expect(settings.organization.maxuploadfilesize).toBe(5_242_880);
    expect(settings.organization.blockedattachments).toBe('');
  });

  test('read from the organization row; a size outside 0–128 MB is an issue and the default applies', () => {
    const ok = resolveSettings({
      organization: { maxuploadfilesize: 1_048_576, blockedattachments: 'zip;pdf' },
    });
    expect(ok.issues).toEqual([]);
    expect(ok.settings.organization).toMatchObject({
      maxuploadfilesize: 1_048_576,
      blockedattachments: 'zip;pdf',
    });
    const bad = resolveSettings({ organization: { maxuploadfilesize: -1 } });
    expect(bad.issues).toEqual([expect.objectContaining({ kind: 'invalid-value' })]);
    expect(bad.settings.organization.maxuploadfilesize).toBe(5_242_880);
  });
});
