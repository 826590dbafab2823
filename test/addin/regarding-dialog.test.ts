/** The Set Regarding dialog's message to the command (src/commands/regardingDialog.ts). */
import type { RecentRecord } from '../../src/app/recentRecords';
import {
  DIALOG_CANCEL,
  DIALOG_URL_MAX,
  dialogUrl,
  parseRegardingChoice,
  RECENT_PARAM,
  recentFromParam,
} from '../../src/commands/regardingDialog';
import { RecordingLog } from '../support/diagnostics';

test('a chosen record is read with its name; anything else is no choice, and the log says what came', () => {
  const log = new RecordingLog();
  expect(parseRegardingChoice('{"type":"account","id":"a1","name":"Fabrikam"}', log)).toEqual({
    type: 'account',
    id: 'a1',
    name: 'Fabrikam',
  });
  expect(log.lines).toEqual([]);
  expect(parseRegardingChoice('{"type":"account"}', log)).toBeNull();
  expect(parseRegardingChoice('not json', log)).toBeNull();
  expect(log.text()).toMatch(/without a record: \{"type":"account"\}\n.*not JSON: not json/);
});

test('Escape in the dialog is "no record chosen", and nothing to log', () => {
  const log = new RecordingLog();
  expect(parseRegardingChoice(DIALOG_CANCEL, log)).toBeNull();
  expect(log.lines).toEqual([]);
});

describe('the dialog address (the dialog cannot read roaming settings)', () => {
  const BASE = 'https://localhost:3000/commands.html';
  const CRM = 'https://org.crm.dynamics.com';
  const record = (i: number, name = `Account ${i}`): RecentRecord => ({ type: 'account', id: `a${i}`, name });

  test('carries the CRM URL and the recent records, read back the same on the page', () => {
    const recent = [
      record(1, 'Fabrikam & "Co"'),
      { type: 'incident', id: 'i1', name: 'Broken' } as RecentRecord,
    ];
    const url = new URL(dialogUrl(BASE, CRM, recent));
    expect(url.pathname).toBe('/regarding.html');
    expect(url.searchParams.get('crm')).toBe(CRM);
    const log = new RecordingLog();
    expect(recentFromParam(url.searchParams.get(RECENT_PARAM), log)).toEqual(recent);
    expect(log.lines).toEqual([]);
  });

  test('no recent records: no parameter', () => {
    expect(new URL(dialogUrl(BASE, CRM, [])).searchParams.has(RECENT_PARAM)).toBe(false);
  });

  test(`stays within ${DIALOG_URL_MAX} characters: the oldest records go first`, () => {
    const recent = Array.from({ length: 10 }, (_, i) => record(i, `«${'é'.repeat(60)}»`));
    const url = dialogUrl(BASE, CRM, recent);
    expect(url.length).toBeLessThanOrEqual(DIALOG_URL_MAX);
    const kept = recentFromParam(new URL(url).searchParams.get(RECENT_PARAM), new RecordingLog());
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(10);
    expect(kept).toEqual(recent.slice(0, kept.length));
  });

  test('an unreadable parameter is no recent records, and the log says what came', () => {
    const log = new RecordingLog();
    expect(recentFromParam('{not json', log)).toEqual([]);
    expect(log.text()).toMatch(/cannot read: \{not json/);
    expect(recentFromParam(null, log)).toEqual([]);
    expect(log.lines).toHaveLength(1);
  });
});
