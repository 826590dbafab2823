/** The admin page's save: one change set, a 403 or 412 said plainly with the edits kept, read-only without the privilege. */
import { AdminController, type AdminState } from '../../../src/admin/adminController';
import { definitionOf, settingKey, type SettingDefinition } from '../../../src/admin/settingsCatalog';
import {
  CrmConflictError,
  CrmForbiddenError,
  CrmNetworkError,
  CrmUnavailableError,
} from '../../../src/crm/errors';
import { FakeAdminPort, organizationRow } from './fakeAdminPort';

const polling = definitionOf(
  settingKey({ source: 'organization', name: 'tagpollingperiod' }),
) as SettingDefinition;
const prefix = definitionOf(
  settingKey({ source: 'organization', name: 'trackingprefix' }),
) as SettingDefinition;
const detail = { status: 403, code: '0x80040220', requestId: 'r1', request: 'POST $batch' };

function ready(state: AdminState): Extract<AdminState, { phase: 'ready' }> {
  if (state.phase !== 'ready') throw new Error(`expected ready, got ${state.phase}`);
  return state;
}

async function started(
  port = new FakeAdminPort(),
): Promise<{ port: FakeAdminPort; controller: AdminController }> {
  const controller = new AdminController(port);
  await controller.reload();
  return { port, controller };
}

describe('admin controller', () => {
  test('a save sends one change set with only what changed, then shows what was read back', async () => {
    const { port, controller } = await started();
    controller.edit(polling, '5');
    port.organization = organizationRow({ columns: { tagpollingperiod: 5 } });
    await controller.save();
    expect(port.saved).toEqual([
      { organization: expect.objectContaining({ columns: { tagpollingperiod: 5 } }) },
    ]);
    expect(ready(controller.getState()).outcome).toEqual({ kind: 'saved' });
    expect(ready(controller.getState()).draft.values['organization:tagpollingperiod']).toBe('5');
  });

  test('nothing changed: no call to save', async () => {
    const { port, controller } = await started();
    await controller.save();
    expect(port.saved).toEqual([]);
  });

  test('an invalid value is not saved and is said', async () => {
    const { port, controller } = await started();
    controller.edit(prefix, '');
    await controller.save();
    expect(port.saved).toEqual([]);
    expect(ready(controller.getState()).outcome).toEqual({ kind: 'invalid' });
  });

  test('a 403 is said with the privilege message, and the edits stay as typed', async () => {
    const { port, controller } = await started();
    port.saveFailure = new CrmForbiddenError(
      'Principal user is missing prvWriteOrganization privilege',
      detail,
    );
    controller.edit(polling, '5');
    await controller.save();
    const state = ready(controller.getState());
    expect(state.outcome).toEqual({
      kind: 'forbidden',
      detail: expect.stringContaining('prvWriteOrganization'),
    });
    expect(state.draft.values['organization:tagpollingperiod']).toBe('5');
  });

  test('a 412 says someone else saved, keeps the edits, and reload reads the organization again', async () => {
    const { port, controller } = await started();
    port.saveFailure = new CrmConflictError('etag', { ...detail, status: 412 });
    controller.edit(polling, '5');
    await controller.save();
    expect(ready(controller.getState()).outcome).toEqual({ kind: 'conflict' });
    expect(ready(controller.getState()).draft.values['organization:tagpollingperiod']).toBe('5');
    port.organization = organizationRow({ etag: 'W/"2"', columns: { tagpollingperiod: 30 } });
    await controller.reload();
    expect(ready(controller.getState()).draft.values['organization:tagpollingperiod']).toBe('30');
  });

  test('without prvWriteOrganization the page is read-only: edits are not taken, nothing is saved', async () => {
    const port = new FakeAdminPort();
    port.access = { canWriteOrganization: false };
    const { controller } = await started(port);
    controller.edit(polling, '5');
    await controller.save();
    expect(ready(controller.getState()).draft.values['organization:tagpollingperiod']).toBe('10');
    expect(port.saved).toEqual([]);
  });

  test('a read that fails leaves the page failed with the reason', async () => {
    const port = new FakeAdminPort();
    port.readOrganization = async () => {
      throw new Error('offline');
    };
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const { controller } = await started(port);
    expect(controller.getState()).toEqual({ phase: 'failed', detail: 'offline' });
  });

  describe('a save whose answer is lost', () => {
    const lost = () => new CrmNetworkError('The CRM could not be reached (Failed to fetch).', detail);
    beforeEach(() => {
      jest.spyOn(console, 'error').mockImplementation(() => undefined);
    });

    test('written after all: the page reads again and says saved, not "nothing was saved"', async () => {
      const { port, controller } = await started();
      controller.edit(polling, '5');
      port.save = async (changes) => {
        port.saved.push(changes);
        port.organization = organizationRow({ etag: 'W/"2"', columns: { tagpollingperiod: 5 } });
        throw lost();
      };
      await controller.save();
      const state = ready(controller.getState());
      expect(state.outcome).toEqual({ kind: 'savedAnswerLost' });
      expect(state.snapshot.organization.etag).toBe('W/"2"');
      expect(state.draft.values['organization:tagpollingperiod']).toBe('5');
    });

    test('not written: the page says which settings differ and keeps the draft over the fresh read', async () => {
      const { port, controller } = await started();
      port.saveFailure = lost();
      controller.edit(polling, '5');
      port.organization = organizationRow({ etag: 'W/"2"', columns: { tagpollingperiod: 10 } });
      await controller.save();
      const state = ready(controller.getState());
      expect(state.outcome).toMatchObject({
        kind: 'differsAnswerLost',
        detail: 'The CRM could not be reached (Failed to fetch)',
        differences: [{ kind: 'setting', definition: polling }],
      });
      expect(state.draft.values['organization:tagpollingperiod']).toBe('5');
      expect(state.snapshot.organization.etag).toBe('W/"2"');
    });

    test('not written: saving again sends the etag read after the loss, so it is not a 412 against itself', async () => {
      const { port, controller } = await started();
      port.saveFailure = lost();
      controller.edit(polling, '5');
      port.organization = organizationRow({ etag: 'W/"2"' });
      await controller.save();
      port.saveFailure = null;
      await controller.save();
      expect(port.saved[1]?.organization).toMatchObject({ etag: 'W/"2"', columns: { tagpollingperiod: 5 } });
    });

    test('a setting someone else changed meanwhile, not edited here, is not called a difference', async () => {
      const { port, controller } = await started();
      controller.edit(polling, '5');
      port.save = async () => {
        port.organization = organizationRow({
          etag: 'W/"3"',
          columns: { tagpollingperiod: 5, trackingprefix: 'Other:' },
        });
        throw lost();
      };
      await controller.save();
      expect(ready(controller.getState()).outcome).toEqual({ kind: 'savedAnswerLost' });
    });

    test('the read after the loss fails too: the page says it may have gone through, keeping the draft', async () => {
      const { port, controller } = await started();
      port.saveFailure = lost();
      controller.edit(polling, '5');
      port.readOrganization = async () => {
        throw new CrmNetworkError('The CRM could not be reached (Failed to fetch).', detail);
      };
      await controller.save();
      const state = ready(controller.getState());
      expect(state.outcome).toEqual({
        kind: 'unknownAnswerLost',
        detail: 'The CRM could not be reached (Failed to fetch)',
      });
      expect(state.draft.values['organization:tagpollingperiod']).toBe('5');
    });

    test('saving again after an unconfirmed save: a 412 whose read equals the draft is saved, not "someone else"', async () => {
      const { port, controller } = await started();
      const readOrganization = port.readOrganization;
      port.saveFailure = lost();
      controller.edit(polling, '5');
      port.readOrganization = async () => {
        throw lost();
      };
      await controller.save();
      // The first save was written; its etag is stale now, so the second is a 412.
      port.readOrganization = readOrganization;
      port.organization = organizationRow({ etag: 'W/"2"', columns: { tagpollingperiod: 5 } });
      port.saveFailure = new CrmConflictError('etag', { ...detail, status: 412 });
      await controller.save();
      expect(ready(controller.getState()).outcome).toEqual({ kind: 'saved' });
    });

    test('an answer that says the CRM is unavailable is not a lost answer: nothing was saved, no read', async () => {
      const { port, controller } = await started();
      port.saveFailure = new CrmUnavailableError('Service Unavailable.', { ...detail, status: 503 });
      controller.edit(polling, '5');
      let reads = 0;
      port.readOrganization = async () => {
        reads += 1;
        return port.organization;
      };
      await controller.save();
      expect(ready(controller.getState()).outcome).toEqual({ kind: 'failed', detail: 'Service Unavailable' });
      expect(reads).toBe(0);
    });
  });
});
