/**
 * §1.4 "an org switch that forbids a feature locks the personal option (shown disabled, with the
 * reason)": one case per lock rule, with the exact words the options screen shows. The sentence is for
 * a user who knows no setting names; the setting, apart, is what an administrator changes.
 */
import {
  effectivePersonalOptions,
  type EffectivePersonalOptions,
  type LockReason,
} from '../../../src/rules/effectiveSettings';
import { resolveSettings } from '../../../src/rules/settingsInput';
import { orgDb } from '../../support/cases';

const effective = (raw: Record<string, unknown>): EffectivePersonalOptions =>
  effectivePersonalOptions(resolveSettings(raw).settings);

type Case = [rule: string, raw: Record<string, unknown>, option: keyof EffectivePersonalOptions, LockReason];

const CASES: Case[] = [
  [
    '§1.1 allowoutlookscheduledsyncs false locks the synchronization schedule',
    { organization: { allowoutlookscheduledsyncs: false } },
    'outlooksyncinterval',
    {
      text: 'Your organization does not let users schedule synchronization.',
      setting: 'allowoutlookscheduledsyncs (System Settings › Outlook)',
    },
  ],
  [
    '§1.1 allowaddressbooksyncs false locks the address book refresh',
    { organization: { allowaddressbooksyncs: false } },
    'addressbooksyncinterval',
    {
      text: 'Your organization does not let users refresh the address book on a schedule.',
      setting: 'allowaddressbooksyncs (System Settings › Outlook)',
    },
  ],
  [
    '§1.1 allowofflinescheduledsyncs false locks local data updates',
    { organization: { allowofflinescheduledsyncs: false } },
    'offlinesyncinterval',
    {
      text: 'Your organization does not let users update local data in the background.',
      setting: 'allowofflinescheduledsyncs (System Settings › Outlook)',
    },
  ],
  [
    '§1.1 promoteIncomingEmail false locks "check incoming email" off',
    { organization: { tic_promoteIncomingEmail: false } },
    'backgroundTrackEmail',
    {
      text: 'Your organization has turned off checking incoming email for everyone.',
      setting: 'tic_promoteIncomingEmail (environment variable)',
    },
  ],
  [
    '§1.2 HideEmailAutoTrackOptions true locks which messages are tracked',
    { organization: { orgdborgsettings: orgDb({ HideEmailAutoTrackOptions: true }) } },
    'incomingemailfilteringmethod',
    {
      text: 'Your organization sets which messages are tracked (responses to CRM email).',
      setting: 'HideEmailAutoTrackOptions (OrgDBOrgSettings)',
    },
  ],
  [
    '§1.2 AutoCreateContactOnPromote false locks record creation from senders',
    { organization: { orgdborgsettings: orgDb({ AutoCreateContactOnPromote: false }) } },
    'autocreatecontactonpromote',
    {
      text: 'Your organization does not create contacts or leads from email senders.',
      setting: 'AutoCreateContactOnPromote (OrgDBOrgSettings)',
    },
  ],
];

describe('§1.4 lock reasons', () => {
  test.each(CASES)('%s: the plain sentence and, apart, the setting', (_rule, raw, option, reason) => {
    const options = effective(raw);
    expect(options[option]).toMatchObject({ locked: true, lockReason: reason });
    // The rule locks this option only.
    const others = Object.entries(options).filter(([key, o]) => key !== option && o.locked);
    expect(others).toEqual([]);
  });

  test.each(CASES)('%s: the sentence names no setting', (_rule, raw, option) => {
    const { text, setting } = effective(raw)[option].lockReason ?? { text: '', setting: '' };
    const name = setting.split(' ')[0] ?? '';
    expect(name).not.toBe('');
    expect(text.toLowerCase()).not.toContain(name.toLowerCase().replace(/^tic_/, ''));
    // An identifier (camelCase, PascalCase or an underscore) is not a word a user reads.
    expect(text).not.toMatch(/\b[a-z]+[A-Z]\w*|\b[A-Z][a-z]+[A-Z]\w*|_/);
    expect(text).toMatch(/^Your organization .*\.$/);
  });

  test('§1.4: an option that is not locked has no reason', () => {
    const options = effective({});
    expect(Object.values(options).map((o) => o.lockReason)).toEqual(Object.values(options).map(() => null));
  });

  test('§1.4: a clamped interval is not locked: it has a note, no lock reason', () => {
    expect(
      effective({ user: { outlooksyncinterval: 5 }, organization: { minoutlooksyncinterval: 30 } }),
    ).toMatchObject({
      outlooksyncinterval: { value: 30, locked: false, lockReason: null, note: expect.any(String) },
    });
  });
});
