/**
 * The pane controller's Create contact/lead review form and its regarding search (issue 10 §1), on
 * the Outlook simulator against the CRM emulator: whether the form is offered, what Create makes and
 * how the item then reads, the record-type filter, the true count and the recent records.
 */
import { ORG_DB_ORG_SETTINGS } from '../../emulator/seed';
import { NOT_OFFERED, type RecordFormOfferInput } from '../../src/app/recordForm';
import {
  RECENT_KEY,
  RECENT_LIMIT,
  ROAMING_LIMIT,
  RoamingSettingsFullError,
} from '../../src/mailbox/roamingStore';
import { shownOffer } from '../../src/taskpane/components/CreateRecordPart';
import type { PaneController } from '../../src/taskpane/controller/paneController';
import type { ReadItemView } from '../../src/taskpane/controller/types';
import { settledOn, until, useRig, type Rig } from '../unit/taskpane/harness';

jest.setTimeout(60_000);

const holder = useRig();
let rig: Rig;
beforeEach(() => {
  rig = holder.current;
});

const read = (item: unknown): ReadItemView => {
  expect(item).toMatchObject({ kind: 'read' });
  return item as ReadItemView;
};

async function paneOn(itemId: string): Promise<{ pane: PaneController; item: ReadItemView }> {
  await rig.sim.mailbox.select(itemId);
  const pane = rig.make();
  await pane.start();
  return { pane, item: read((await until(pane, settledOn(itemId))).item) };
}

const input = (pane: PaneController, item: ReadItemView): RecordFormOfferInput => {
  const given = pane.recordFormInput(item);
  expect(given).not.toBeNull();
  return given as RecordFormOfferInput;
};

describe('the review form is offered', () => {
  test('for an email whose sender is in no CRM record, contact first by default', async () => {
    const { pane, item } = await paneOn(rig.ids.partnership);
    expect(shownOffer(input(pane, item))).toEqual({ offered: true, defaultType: 'contact' });
  });

  test('not for a sender already in the CRM', async () => {
    const { pane, item } = await paneOn(rig.ids.pricing);
    expect(shownOffer(input(pane, item))).toEqual({ offered: false, reason: NOT_OFFERED.resolved });
  });

  test('AutoCreateContactOnPromote off: the plain reason where it would be offered, nothing else elsewhere', async () => {
    const off = (given: RecordFormOfferInput): RecordFormOfferInput => ({
      ...given,
      settings: { ...given.settings, orgDb: { ...given.settings.orgDb, AutoCreateContactOnPromote: false } },
    });
    const unknown = await paneOn(rig.ids.partnership);
    expect(shownOffer(off(input(unknown.pane, unknown.item)))).toEqual({
      offered: false,
      reason: NOT_OFFERED.orgOff,
    });
    const known = await paneOn(rig.ids.pricing);
    expect(shownOffer(off(input(known.pane, known.item)))).toEqual({
      offered: false,
      reason: NOT_OFFERED.resolved,
    });
  });

  describe('UnresolveSenderInCaseOfMultipleMatch on: the sender match count tells a conflict from no match', () => {
    beforeEach(() => {
      rig.emu.db
        .prepare('update organization set orgdborgsettings = ?')
        .run(
          ORG_DB_ORG_SETTINGS.replace(
            '</OrgSettings>',
            '<UnresolveSenderInCaseOfMultipleMatch>true</UnresolveSenderInCaseOfMultipleMatch></OrgSettings>',
          ),
        );
    });

    test('a sender on a contact and a lead (left unresolved): not offered, with the plain reason', async () => {
      const { pane, item } = await paneOn(rig.ids.invoice);
      expect(item.state.decision).toMatchObject({ sender: null, senderCandidates: [] });
      const given = input(pane, item);
      expect(given.senderMatchCount).toBe(2);
      expect(shownOffer(given)).toEqual({ offered: false, reason: NOT_OFFERED.conflict });
    });

    test('a sender in no record: offered', async () => {
      const { pane, item } = await paneOn(rig.ids.partnership);
      const given = input(pane, item);
      expect(given.senderMatchCount).toBe(0);
      expect(shownOffer(given)).toEqual({ offered: true, defaultType: 'contact' });
    });
  });

  test('before the item was checked with a session there is nothing to decide on', () => {
    expect(shownOffer(null)).toEqual({ offered: false, reason: NOT_OFFERED.notChecked });
  });
});

describe('Create', () => {
  test('a lead with edited names and a company: the record, its name for the link, the sender then resolves', async () => {
    const { pane } = await paneOn(rig.ids.partnership);
    const outcome = await pane.createFromForm({
      type: 'lead',
      address: 'stranger@example.org',
      firstname: 'Alexandra',
      lastname: 'Stranger-Smith',
      companyName: 'Stranger Things Ltd',
    });
    expect(outcome).toMatchObject({ ok: true, record: { type: 'lead' } });
    const id = outcome.ok ? outcome.record.id : '';
    const rows = rig.emu.db.prepare('select * from lead where leadid = ?').all(id) as Record<
      string,
      unknown
    >[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      firstname: 'Alexandra',
      lastname: 'Stranger-Smith',
      companyname: 'Stranger Things Ltd',
      emailaddress1: 'stranger@example.org',
    });
    const item = read(pane.getState().item);
    expect(item.state.decision?.sender).toEqual({ type: 'lead', id });
    expect(shownOffer(input(pane, item))).toEqual({ offered: false, reason: NOT_OFFERED.resolved });
  });

  test('a contact under a parent account found by the account search', async () => {
    const { pane } = await paneOn(rig.ids.partnership);
    const found = await pane.searchAccounts('Fabrikam');
    expect('accounts' in found && found.accounts.map((a) => a.name)).toContain('Fabrikam');
    const fabrikam = 'accounts' in found ? found.accounts.find((a) => a.name === 'Fabrikam') : undefined;
    const outcome = await pane.createFromForm({
      type: 'contact',
      address: 'stranger@example.org',
      firstname: 'Alex',
      lastname: 'Stranger',
      parentAccountId: fabrikam?.id ?? null,
    });
    expect(outcome).toMatchObject({ ok: true, record: { type: 'contact', name: 'Alex Stranger' } });
    const row = rig.emu.db
      .prepare("select * from contact where emailaddress1 = 'stranger@example.org'")
      .get() as Record<string, unknown>;
    expect(String(row['parentcustomerid'] ?? row['_parentcustomerid_value'])).toBe(fabrikam?.id);
  });

  test('a refused create says why in the form, is logged, and leaves the item as it was', async () => {
    const { pane, item } = await paneOn(rig.ids.partnership);
    const outcome = await pane.createFromForm({
      type: 'contact',
      address: 'stranger@example.org',
      firstname: null,
      lastname: 'Stranger',
      parentAccountId: '00000000-0000-0000-0000-00000000dead',
    });
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.message).toMatch(/^Could not create the contact: /);
    expect(rig.log).toHaveBeenCalledWith(
      expect.stringContaining('Could not create the contact for item'),
      expect.anything(),
    );
    expect(read(pane.getState().item).state.status).toBe(item.state.status);
  });
});

describe('the regarding search', () => {
  test('the record-type filter asks by type; the count is true ("10+")', async () => {
    const { pane } = await paneOn(rig.ids.partnership);
    const crm = pane.session!.crm;
    for (let i = 0; i < 12; i += 1)
      await crm.createRecord({
        type: 'contact',
        address: `zephyr${i}@example.org`,
        firstname: 'Zephyr',
        lastname: `Test ${i}`,
      });
    pane.openSearch();
    pane.search('Zephyr');
    let state = await until(pane, (s) => s.search.status === 'done');
    expect(state.search.hits).toHaveLength(10);
    expect(state.search.more).toBe(true);
    expect(state.search.message).toBe('10+ records found.');

    pane.setSearchFilter('lead');
    state = await until(pane, (s) => s.search.status === 'done' && s.search.filter === 'lead');
    expect(state.search.hits).toEqual([]);
    expect(state.search.message).toBe('No lead matches "Zephyr".');

    pane.setSearchFilter('contact');
    state = await until(
      pane,
      (s) => s.search.status === 'done' && s.search.filter === 'contact' && s.search.hits.length > 0,
    );
    expect(state.search.hits.every((h) => h.type === 'contact')).toBe(true);
    expect(state.search.message).toBe('10+ contacts found.');
  });

  test('the chosen record is remembered and offered first before typing, next time', async () => {
    const { pane } = await paneOn(rig.ids.partnership);
    pane.openSearch();
    expect(pane.getState().search.recent ?? []).toEqual([]);
    pane.search('Fabrikam');
    const state = await until(pane, (s) => s.search.status === 'done' && s.search.hits.length > 0);
    const hit = state.search.hits.find((h) => h.type === 'account')!;
    await pane.chooseRegarding(hit);
    await until(pane, () => rig.office.context.roamingSettings.get(RECENT_KEY) !== undefined);
    expect(read(pane.getState().item).state.regarding).toEqual({ type: 'account', id: hit.id });

    pane.openSearch();
    const reopened = await until(pane, (s) => (s.search.recent?.length ?? 0) > 0);
    expect(reopened.search.recent).toEqual([{ type: 'account', id: hit.id, name: hit.name }]);
    expect(reopened.search.query).toBe('');
  });

  test('recent records that cannot be read are none, and do not stop the search', async () => {
    rig.office.context.roamingSettings.set(RECENT_KEY, { v: 99, r: 'junk' });
    const { pane } = await paneOn(rig.ids.partnership);
    pane.openSearch();
    pane.search('Fabrikam');
    const state = await until(pane, (s) => s.search.status === 'done');
    expect(state.search.recent ?? []).toEqual([]);
    expect(state.search.hits.length).toBeGreaterThan(0);
  });
});

describe('the recent records in roaming settings', () => {
  test('a list over its bound is refused and nothing changes', async () => {
    const store = rig.roaming.recentRecords();
    await store.save({ v: 1, r: [['account', 'a-1', 'Fabrikam']] });
    await expect(store.save({ v: 1, r: [['account', 'a-2', 'x'.repeat(RECENT_LIMIT)]] })).rejects.toThrow(
      `at most ${RECENT_LIMIT}`,
    );
    expect(store.load()).toEqual({ v: 1, r: [['account', 'a-1', 'Fabrikam']] });
  });

  test('the recent key counts against the 32 KB the main key shares', async () => {
    await rig.roaming.recentRecords().save({ v: 1, r: [['account', 'a-1', 'y'.repeat(RECENT_LIMIT - 100)]] });
    const before = rig.roaming.read();
    // A main key that would fit alone does not fit with the recent records beside it.
    const filler = 'z'.repeat(ROAMING_LIMIT - RECENT_LIMIT - 200);
    await expect(rig.roaming.update((s) => ({ ...s, client: { filler } }))).rejects.toBeInstanceOf(
      RoamingSettingsFullError,
    );
    expect(rig.roaming.read()).toEqual(before);
  });
});
