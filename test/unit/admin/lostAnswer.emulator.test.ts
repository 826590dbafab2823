/**
 * The admin page's save against the CRM emulator when the answer is lost (faults.ts dropResponse: the
 * $batch runs and commits, then the connection is cut): the page reads the organization again and says
 * what is true, and a save the CRM never ran is said as such with the draft kept.
 */
import { AdminController, type AdminState } from '../../../src/admin/adminController';
import { definitionOf, settingKey, type SettingDefinition } from '../../../src/admin/settingsCatalog';
import type { Emulator } from '../../../emulator/server';
import { DataverseAdmin } from '../../../src/crm/adminAdapter';
import { NO_TOKEN } from '../../../src/crm/auth';
import { DataverseHttp } from '../../../src/crm/dataverseHttp';
import { startDemoEmulator } from '../../support/demoEmulator';

const polling = definitionOf(
  settingKey({ source: 'organization', name: 'tagpollingperiod' }),
) as SettingDefinition;

let emu: Emulator;
beforeEach(async () => {
  emu = await startDemoEmulator('admin-lost-answer');
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(async () => {
  await emu.close();
  jest.restoreAllMocks();
});

function ready(state: AdminState): Extract<AdminState, { phase: 'ready' }> {
  if (state.phase !== 'ready') throw new Error(`expected ready, got ${state.phase}`);
  return state;
}

async function page(): Promise<AdminController> {
  const orgUrl = emu.url.replace(/\/api\/data\/v9\.2\/?$/, '');
  const controller = new AdminController(new DataverseAdmin(new DataverseHttp({ orgUrl, tokens: NO_TOKEN })));
  await controller.reload();
  return controller;
}

const storedPolling = (): number =>
  (emu.db.prepare('SELECT tagpollingperiod FROM organization').get() as { tagpollingperiod: number })
    .tagpollingperiod;

test('the $batch committed but its answer was dropped: the page says saved, never "nothing was saved"', async () => {
  const controller = await page();
  const next = String(storedPolling() + 3);
  controller.edit(polling, next);
  emu.faults.add({ match: { method: 'POST', pathContains: '$batch' }, dropResponse: true });
  await controller.save();
  expect(storedPolling()).toBe(Number(next));
  const state = ready(controller.getState());
  expect(state.outcome?.kind).toBe('savedAnswerLost');
  expect(state.draft.values[settingKey(polling)]).toBe(next);
});

test('after a dropped answer, saving a further edit goes through with the etag read again (no 412 against itself)', async () => {
  const controller = await page();
  const first = storedPolling() + 3;
  controller.edit(polling, String(first));
  emu.faults.add({ match: { method: 'POST', pathContains: '$batch' }, dropResponse: true });
  await controller.save();
  controller.edit(polling, String(first + 1));
  await controller.save();
  expect(ready(controller.getState()).outcome).toEqual({ kind: 'saved' });
  expect(storedPolling()).toBe(first + 1);
});
