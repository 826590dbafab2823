/**
 * Walk 13, item 8: the screen-reader status said "Tracked in the CRM. Tracked in the CRM." Each state
 * is announced once: its status sentence, then its own message unless that message already opens
 * with the same sentence.
 */
import type { ItemState } from '../../../src/app/itemState';
import { englishPaneStrings, loadPaneStrings } from '../../../src/i18n/surfaces';
import { announceText } from '../../../src/taskpane/controller/itemViews';

const stateOf = (status: ItemState['status'], message: string): ItemState => ({
  itemId: 'item-1',
  status,
  activityId: null,
  regarding: null,
  decision: null,
  senderMatchCount: null,
  message,
  error: null,
  names: {},
});

describe('the item status is announced once', () => {
  const { t } = englishPaneStrings;

  test('a message that is the status sentence is read once', () => {
    const status = t('item.announceTracked');
    expect(announceText(stateOf('tracked', status), t)).toBe(status);
  });

  test('a message that opens with the status sentence is read alone', () => {
    const message = `${t('item.announceTracked').replace(/\.$/, '')} (${t('app.delivered')})`;
    expect(announceText(stateOf('tracked', message), t)).toBe(message);
  });

  test('a message that says something else follows the status sentence', () => {
    const message = t('appPane.noMessageIdYet');
    expect(announceText(stateOf('not-tracked', message), t)).toBe(
      `${t('item.announceNotTracked')} ${message}`,
    );
  });

  test('in German too', async () => {
    const de = await loadPaneStrings('de-DE');
    const status = de.t('item.announceTracked');
    expect(announceText(stateOf('tracked', status), de.t)).toBe(status);
  });
});
