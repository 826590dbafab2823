/** The preview decides a sample with the EDITED settings, through the explain command's path. */
import { editValue, loadSnapshot, storedDraft } from '../../../src/admin/adminModel';
import { previewDecision } from '../../../src/admin/preview';
import { definitionOf, settingKey, type SettingDefinition } from '../../../src/admin/settingsCatalog';
import { FakeAdminPort } from './fakeAdminPort';

const def = (source: SettingDefinition['source'], name: string): SettingDefinition =>
  definitionOf(settingKey({ source, name })) as SettingDefinition;

describe('admin preview', () => {
  test('a reply to tracked email is tracked with the stored settings', async () => {
    const s = await loadSnapshot(new FakeAdminPort());
    expect(previewDecision('replyToTracked', s, storedDraft(s))).toMatchObject({
      track: true,
      reason: 'CorrelationMatch',
    });
  });

  test('an unsaved OrgDBOrgSetting (IgnoreConversationIndexAndInReplyToForCorrelation) changes the reply sample', async () => {
    const s = await loadSnapshot(new FakeAdminPort());
    const draft = editValue(
      storedDraft(s),
      def('orgDb', 'IgnoreConversationIndexAndInReplyToForCorrelation'),
      true,
    );
    expect(previewDecision('replyToTracked', s, draft)).toMatchObject({
      track: false,
      reason: 'NoCorrelationMatch',
    });
  });

  test('an unsaved ignoreinternalemail stops the email between users', async () => {
    const s = await loadSnapshot(new FakeAdminPort());
    expect(previewDecision('betweenUsers', s, storedDraft(s)).track).toBe(true);
    const draft = editValue(storedDraft(s), def('organization', 'ignoreinternalemail'), true);
    expect(previewDecision('betweenUsers', s, draft)).toMatchObject({
      track: false,
      reason: 'InternalEmailReject',
    });
  });

  test('the tracking token sample follows an unsaved prefix', async () => {
    const s = await loadSnapshot(new FakeAdminPort());
    expect(previewDecision('withTrackingToken', s, storedDraft(s)).track).toBe(true);
    const draft = editValue(storedDraft(s), def('organization', 'trackingprefix'), 'TIC:');
    expect(previewDecision('withTrackingToken', s, draft).track).toBe(false);
  });

  test('an unsaved tic_promoteIncomingEmail off stops every automatic track', async () => {
    const s = await loadSnapshot(new FakeAdminPort());
    const draft = editValue(storedDraft(s), def('environment', 'promoteIncomingEmail'), false);
    expect(previewDecision('replyToTracked', s, draft)).toMatchObject({
      track: false,
      reason: 'PromotionDisabled',
    });
  });

  test('the decision carries the rules trace', async () => {
    const s = await loadSnapshot(new FakeAdminPort());
    expect(previewDecision('newFromContact', s, storedDraft(s)).trace.length).toBeGreaterThan(0);
  });
});
