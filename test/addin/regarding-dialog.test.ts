/** The Set Regarding dialog's message to the command (src/commands/regardingDialog.ts). */
import { DIALOG_CANCEL, parseRegardingChoice } from '../../src/commands/regardingDialog';
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
