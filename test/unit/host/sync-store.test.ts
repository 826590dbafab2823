/**
 * What synchronization keeps on the device must read back whole (src/host/syncStore.ts): above all a
 * create's chosen CRM id, without which a run cut short by a reload would create the record twice.
 */
import type { SyncState } from '../../../src/app/syncStatus';
import { EMPTY_SYNC_STATE, EMPTY_SYNC_TYPE_STATE } from '../../../src/app/syncStatus';
import { readSyncState } from '../../../src/host/syncStore';

const item = {
  itemId: 'AAMk-1',
  changeKey: 'ck1',
  crmId: 'c1',
  tracked: true,
  modifiedAt: '2026-01-09T12:00:00Z',
  fields: { givenName: 'Ann' },
  emails: ['ann@fabrikam.com'],
  title: 'Ann Lee',
};

const full: SyncState = {
  contact: {
    watermark: 'https://graph/delta?token=1',
    items: [item],
    deleted: [{ ...item, itemId: 'AAMk-2' }],
    pairs: [{ crmId: 'c1', itemId: 'AAMk-1', crm: { firstname: 'Ann' }, outlook: { givenName: 'Ann' } }],
    excluded: ['c9'],
    pendingLinks: [{ itemId: 'AAMk-3', crmId: 'c3' }],
    pendingCreates: [{ itemId: 'AAMk-4', crmId: 'c4' }],
  },
  appointment: {
    ...EMPTY_SYNC_TYPE_STATE,
    window: { start: '2026-01-01T00:00:00Z', end: '2027-01-01T00:00:00Z' },
    known: [
      {
        crmId: 'a1',
        modifiedOn: '2026-01-02T00:00:00Z',
        fields: { requiredattendees: ['ann@fabrikam.com'] },
      },
    ],
  },
  task: EMPTY_SYNC_TYPE_STATE,
  runs: [],
  running: { trigger: 'manual', startedAt: 1, reason: 'Ran', savedAt: 2, types: [], entries: [] },
};

const stored = (state: unknown): unknown => JSON.parse(JSON.stringify(state));

describe('the synchronization state read back from the device', () => {
  test('every field a run must remember across a reload reads back as it was saved', () => {
    expect(readSyncState(stored(full))).toEqual(full);
  });

  test('a create whose chosen id does not read starts the type over rather than losing the id silently', () => {
    const broken = stored(full) as { contact: { pendingCreates: unknown } };
    broken.contact.pendingCreates = [{ itemId: 'AAMk-4' }];
    expect(readSyncState(broken)).toBeNull();
  });

  test('a state saved before these fields existed reads as it did', () => {
    const old = { ...(stored(EMPTY_SYNC_STATE) as object) };
    expect(readSyncState(old)).toEqual(EMPTY_SYNC_STATE);
  });

  test('a run marker that does not read is left out; the rest of the state is kept', () => {
    const odd = { ...(stored(full) as object), running: { startedAt: 'soon' } };
    const read = readSyncState(odd);
    expect(read?.running).toBeUndefined();
    expect(read?.contact.pendingCreates).toEqual(full.contact.pendingCreates);
  });
});
