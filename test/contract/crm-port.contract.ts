/**
 * ONE set of cases for the CrmPort, run against the in-memory FakeCrm (crm-port.fake.test.ts) and
 * the Dataverse adapter on the emulator (crm-port.adapter.test.ts): the fake the use-case tests
 * rely on must answer as the adapter does. Data the port cannot write (records to find, inactive
 * ones) comes through the rig.
 */
import { CrmNotFoundError } from '../../src/crm/errors';
import type { CrmPort, EmailToTrack, ItemLookupQuery } from '../../src/crm/port';
import type { RecordRef } from '../../src/rules/types';

export interface CrmPortRig {
  readonly crm: CrmPort;
  /** The signed-in user's id, as openSession reports it. */
  readonly userId: string;
  /** A contact straight into the store (not through the port); inactive when asked. */
  addContact(email: string, options?: { lastname?: string; active?: boolean }): Promise<RecordRef>;
  /** A tracked email whose conversationindex Dataverse filled in (the port cannot write it); its id. */
  addEmailWithThreadIndex(messageId: string, threadIndex: string): Promise<string>;
}

let serial = 0;
const unique = (label: string): string =>
  `${label}${Date.now().toString(36)}${(serial += 1).toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

const query = (extra: Partial<ItemLookupQuery>): ItemLookupQuery => ({
  messageId: null,
  addresses: [],
  threadMessageIds: [],
  trackingTokens: [],
  threadIndexes: [],
  subjectWords: null,
  ...extra,
});

const email = (messageId: string, extra: Partial<EmailToTrack> = {}): EmailToTrack => ({
  messageId,
  subject: 'Contract subject',
  direction: 'incoming',
  sentOn: '2026-02-01T10:00:00Z',
  body: 'Hello',
  trackingToken: null,
  threadIndex: null,
  regarding: null,
  parties: [{ role: 'from', address: 'someone@contract.example', records: [] }],
  create: [],
  ...extra,
});

export function crmPortContract(rig: () => CrmPortRig): void {
  const ids = (list: readonly { activityId: string }[]) => list.map((t) => t.activityId);

  test('openSession: the signed-in user, the mailbox approval and the raw settings', async () => {
    const { crm, userId } = rig();
    const start = await crm.openSession();
    expect(start.identity.userId).toBe(userId);
    expect(typeof start.identity.mailboxApproved).toBe('boolean');
    expect(typeof start.settings.raw.organization).toBe('object');
    expect(Array.isArray(start.emailTables.tables)).toBe(true);
  });

  test('lookupItem: records by address (an apostrophe included, any case), inactive ones left out', async () => {
    const { crm, addContact } = rig();
    const quoted = `${unique("o'brien")}@contract.example`;
    const gone = `${unique('gone')}@contract.example`;
    const ann = await addContact(quoted);
    await addContact(gone, { active: false });
    const result = await crm.lookupItem(
      query({ addresses: [quoted.toUpperCase(), gone, 'nobody@nowhere.example'] }),
    );
    expect(result.records.map((r) => r.id)).toEqual([ann.id]);
    expect(result.records[0]).toMatchObject({ type: 'contact', active: true });
    expect(result.records[0]?.emails[0]).toBe(quoted);
  });

  test('trackEmails is idempotent per Message-ID and user; lookupItem finds it with or without brackets', async () => {
    const { crm, userId } = rig();
    const id = `<${unique('idem')}@contract.example>`;
    const [first] = await crm.trackEmails(userId, [email(id)]);
    expect(first).toMatchObject({ existed: false });
    const [again] = await crm.trackEmails(userId, [email(id)]);
    expect(again).toEqual({ activityId: first?.activityId, existed: true, createdRecords: [] });
    const found = await crm.lookupItem(query({ messageId: id.slice(1, -1) }));
    expect(ids(found.trackedEmails)).toEqual([first?.activityId]);
    expect(found.trackedEmails[0]).toMatchObject({ messageId: id, trackedBy: userId });
  });

  test('updateMessageId: a send-time activity found under its real id, and under the provisional one as an extra id', async () => {
    const { crm, userId } = rig();
    const provisional = `<${unique('mark')}@track-in-crm.invalid>`;
    const real = `<${unique('real')}@contract.example>`;
    const [tracked] = await crm.trackEmails(userId, [email(provisional)]);
    expect(
      ids((await crm.lookupItem(query({ messageId: real, extraMessageIds: [provisional] }))).trackedEmails),
    ).toEqual([tracked?.activityId]);
    await crm.updateMessageId(tracked?.activityId as string, real);
    expect(ids((await crm.lookupItem(query({ messageId: real }))).trackedEmails)).toEqual([
      tracked?.activityId,
    ]);
    expect((await crm.lookupItem(query({ messageId: provisional }))).trackedEmails).toEqual([]);
  });

  test('References: the newest ancestors are asked for, when there are more than a query holds', async () => {
    const { crm, userId } = rig();
    const parent = `<${unique('parent')}@contract.example>`;
    const [tracked] = await crm.trackEmails(userId, [email(parent)]);
    const older = Array.from({ length: 60 }, (_, i) => `<${unique(`old${i}`)}@contract.example>`);
    // Newest first (lookupQuery's order): the parent leads, sixty older ids follow.
    const found = await crm.lookupItem(query({ threadMessageIds: [parent, ...older] }));
    expect(ids(found.trackedEmails)).toContain(tracked?.activityId);
  });

  test('tracking tokens: found by the whole token as stored; the digits alone find nothing', async () => {
    const { crm, userId } = rig();
    const digits = `0${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
    const token = `CRM:${digits}`;
    const [tracked] = await crm.trackEmails(userId, [
      email(`<${unique('tok')}@contract.example>`, { subject: `Quote ${token}`, trackingToken: token }),
    ]);
    expect(ids((await crm.lookupItem(query({ trackingTokens: [token] }))).trackedEmails)).toEqual([
      tracked?.activityId,
    ]);
    expect((await crm.lookupItem(query({ trackingTokens: [digits] }))).trackedEmails).toEqual([]);
  });

  test('smart-matching candidates: tracked emails whose subject holds any of the words', async () => {
    const { crm, userId } = rig();
    const word = unique('zq').toLowerCase();
    const [tracked] = await crm.trackEmails(userId, [
      email(`<${unique('smart')}@contract.example>`, { subject: `RE: Spring ${word} order` }),
    ]);
    const hit = await crm.lookupItem(query({ subjectWords: ['nothinglikeit', word] }));
    expect(ids(hit.trackedEmails)).toContain(tracked?.activityId);
    const miss = await crm.lookupItem(query({ subjectWords: [unique('absent')] }));
    expect(ids(miss.trackedEmails)).not.toContain(tracked?.activityId);
  });

  test('Thread-Index: an email holding an ancestor value is found; a track never writes the read-only column', async () => {
    const { crm, userId, addEmailWithThreadIndex } = rig();
    const index = `AQHZ${unique('x').replace(/[^A-Za-z0-9]/g, '')}AAAAAAAAAAAAAAAAAAAAAAAA==`;
    const activityId = await addEmailWithThreadIndex(`<${unique('ci')}@contract.example>`, index);
    const found = await crm.lookupItem(query({ threadIndexes: [`${index}x`, index] }));
    expect(ids(found.trackedEmails)).toEqual([activityId]);
    expect(found.trackedEmails[0]?.threadIndex).toBe(index);
    const other = `AQHZ${unique('y').replace(/[^A-Za-z0-9]/g, '')}AAAAAAAAAAAAAAAAAAAAAAAA==`;
    await crm.trackEmails(userId, [email(`<${unique('ci')}@contract.example>`, { threadIndex: other })]);
    expect((await crm.lookupItem(query({ threadIndexes: [other] }))).trackedEmails).toEqual([]);
  });

  test('a record created from the sender in the same track is found by its address', async () => {
    const { crm, userId } = rig();
    const address = `${unique('new')}@contract.example`;
    const [tracked] = await crm.trackEmails(userId, [
      email(`<${unique('create')}@contract.example>`, {
        parties: [{ role: 'from', address, records: [], createdIndex: 0 }],
        create: [{ type: 'contact', address, firstname: 'Nia', lastname: 'Okafor' }],
      }),
    ]);
    expect(tracked?.createdRecords).toHaveLength(1);
    const found = await crm.lookupItem(query({ addresses: [address] }));
    expect(found.records.map((r) => r.id)).toEqual([tracked?.createdRecords[0]?.id]);
  });

  test('setRegarding: set, then cleared, as lookupItem reads it', async () => {
    const { crm, userId, addContact } = rig();
    const contact = await addContact(`${unique('reg')}@contract.example`);
    const id = `<${unique('reg')}@contract.example>`;
    const [tracked] = await crm.trackEmails(userId, [email(id)]);
    await crm.setRegarding(tracked?.activityId as string, contact);
    expect((await crm.lookupItem(query({ messageId: id }))).trackedEmails[0]?.regarding).toEqual(contact);
    await crm.setRegarding(tracked?.activityId as string, null);
    expect((await crm.lookupItem(query({ messageId: id }))).trackedEmails[0]?.regarding).toBeNull();
  });

  test('untrack deletes the activity; untracking it again is CrmNotFoundError', async () => {
    const { crm, userId } = rig();
    const id = `<${unique('untrack')}@contract.example>`;
    const [tracked] = await crm.trackEmails(userId, [email(id)]);
    await crm.untrack(tracked?.activityId as string);
    expect((await crm.lookupItem(query({ messageId: id }))).trackedEmails).toEqual([]);
    await expect(crm.untrack(tracked?.activityId as string)).rejects.toBeInstanceOf(CrmNotFoundError);
  });

  test('searchRecords finds an active contact by name; createRecord makes one lookupItem finds', async () => {
    const { crm, addContact } = rig();
    const name = unique('Zephyrine');
    const contact = await addContact(`${unique('s')}@contract.example`, { lastname: name });
    const hits = await crm.searchRecords(name, 5);
    expect(hits.map((h) => [h.type, h.id])).toEqual([['contact', contact.id]]);
    const address = `${unique('made')}@contract.example`;
    const made = await crm.createRecord({ type: 'lead', address, firstname: null, lastname: 'Made' });
    expect(made).toMatchObject({ type: 'lead', name: 'Made' });
    const found = await crm.lookupItem(query({ addresses: [address] }));
    expect(found.records.map((r) => [r.type, r.id])).toEqual([['lead', made.id]]);
  });

  test('findRecords: prefix matches before other matches, then by name; active only; more than top is said', async () => {
    const { crm, addContact } = rig();
    const name = unique('Qorvath');
    const add = (lastname: string, active = true) =>
      addContact(`${unique('f')}@contract.example`, { lastname, active });
    await add(`a${name}`);
    await add(`${name}b`);
    await add(`${name}a`);
    await add(`${name}c`, false);
    const names = (found: { hits: readonly { name: string }[] }) => found.hits.map((h) => h.name);
    const all = await crm.findRecords(name, { top: 5 });
    expect(names(all)).toEqual([`${name}a`, `${name}b`, `a${name}`]);
    expect(all.more).toBe(false);
    expect(await crm.findRecords(name, { top: 3 })).toMatchObject({ more: false });
    const two = await crm.findRecords(name, { top: 2 });
    expect(names(two)).toEqual([`${name}a`, `${name}b`]);
    expect(two.more).toBe(true);
    expect(await crm.findRecords(name, { top: 5, types: ['lead', 'account'] })).toEqual({
      hits: [],
      more: false,
    });
    expect(names(await crm.findRecords(name, { top: 5, types: ['contact'] }))).toHaveLength(3);
    expect(await crm.findRecords('  ', { top: 5 })).toEqual({ hits: [], more: false });
    // The older call is the same search.
    expect((await crm.searchRecords(name, 2)).map((h) => h.name)).toEqual(names(two));
  });

  test('recordsByIds: the records as they are now, in the order asked; gone or inactive ones left out', async () => {
    const { crm, addContact } = rig();
    const first = await addContact(`${unique('r')}@contract.example`, { lastname: unique('First') });
    const second = await addContact(`${unique('r')}@contract.example`, { lastname: unique('Second') });
    const inactive = await addContact(`${unique('r')}@contract.example`, { active: false });
    const gone = { type: 'contact', id: 'ffffffff-0000-4000-8000-00000000ffff' };
    const found = await crm.recordsByIds([second, gone, inactive, first]);
    expect(found.map((h) => [h.type, h.id])).toEqual([
      ['contact', second.id.toLowerCase()],
      ['contact', first.id.toLowerCase()],
    ]);
    expect(found[0]?.name).toMatch(/^Second/);
    expect(await crm.recordsByIds([])).toEqual([]);
  });
}
