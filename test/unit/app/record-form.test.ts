/** The create-contact/lead review form (src/app/recordForm.ts): §2.5's names, the checks, the offer. */
import fc from 'fast-check';
import {
  initialRecordForm,
  nameFromSender,
  NOT_OFFERED,
  recordFormOffer,
  recordFromForm,
  validateRecordForm,
  type RecordFormOffer,
  type RecordFormOfferInput,
  type RecordFormValues,
} from '../../../src/app/recordForm';
import { DEFAULT_ORGDB_SETTINGS, DEFAULT_PERSONAL_OPTIONS } from '../../../src/rules/settings';
import { decideCase } from '../../support/cases';

describe('§2.5 names from the sender: split at the last space; no name → lastname = part before @', () => {
  test.each([
    ['a first and last name', 'Ann Lee', 'ann@x.com', 'Ann', 'Lee'],
    ['several words: only the last is the lastname', 'Mary Ann van Dyke', 'm@x.com', 'Mary Ann van', 'Dyke'],
    ['one word is the lastname alone', 'Cher', 'cher@x.com', null, 'Cher'],
    ['no name: the local part', null, 'bob.smith@x.com', null, 'bob.smith'],
    ['an empty name: the local part', '   ', 'bob@x.com', null, 'bob'],
    ['a name equal to the address counts as no name', 'Bob@X.com', 'bob@x.com', null, 'bob'],
    ['surrounding quotes are not part of the name', '"Ann Lee"', 'ann@x.com', 'Ann', 'Lee'],
    ['white space around the name is dropped', '  Ann Lee  ', 'ann@x.com', 'Ann', 'Lee'],
    ['a comma stays where it is (the spec splits at the space only)', 'Lee, Ann', 'a@x.com', 'Lee,', 'Ann'],
    ['the local part before the LAST @', null, '"a@b"@x.com', null, '"a@b"'],
  ])('%s', (_rule, name, address, firstname, lastname) => {
    expect(nameFromSender(name, address)).toEqual({ firstname, lastname });
  });

  test('property: the form proposes the names a track would create (decide, §2.5)', () => {
    const word = fc.stringMatching(/^[A-Za-zÀ-ÿ'.-]{1,12}$/);
    fc.assert(
      fc.property(fc.option(fc.array(word, { maxLength: 3 }).map((w) => w.join(' '))), (name) => {
        const address = 'new.sender@fabrikam.com';
        const decided = decideCase({
          action: 'track',
          email: { from: { address, name } },
          settings: { user: { autocreatecontactonpromote: 1 } },
          crm: { records: [] },
        });
        const [create] = decided.create;
        expect(create).toBeDefined();
        expect(nameFromSender(name, address)).toEqual({
          firstname: create?.firstname,
          lastname: create?.lastname,
        });
      }),
      { numRuns: 60 },
    );
  });

  test('each part is cut to its column (50), as a track cuts it', () => {
    const long = 'A'.repeat(80);
    expect(nameFromSender(`${long} ${long}`, 'a@x.com')).toEqual({
      firstname: 'A'.repeat(50),
      lastname: 'A'.repeat(50),
    });
    expect(nameFromSender(null, `${'b'.repeat(70)}@x.com`).lastname).toBe('b'.repeat(50));
  });

  test('a cut never splits a surrogate pair', () => {
    const { lastname } = nameFromSender(`${'a'.repeat(49)}😀`, 'a@x.com');
    expect(lastname).toBe('a'.repeat(49));
  });

  test('property: any display name and address give parts within their columns, never throwing', () => {
    fc.assert(
      fc.property(
        fc.option(fc.string({ unit: 'binary', maxLength: 300 })),
        fc.string({ unit: 'binary', maxLength: 200 }),
        (name, address) => {
          const form = initialRecordForm('contact', { name, address });
          expect(form.firstname.length).toBeLessThanOrEqual(50);
          expect(form.lastname.length).toBeLessThanOrEqual(50);
          // Whatever the checks say of it, asking for the record never throws either.
          const result = recordFromForm(form);
          if (result.ok) expect(result.record.lastname.length).toBeGreaterThan(0);
        },
      ),
    );
  });
});

describe('initial values', () => {
  test('the form starts from the sender, with no company', () => {
    expect(initialRecordForm('lead', { name: 'Ann Lee', address: ' ann@x.com ' })).toEqual({
      type: 'lead',
      firstname: 'Ann',
      lastname: 'Lee',
      address: 'ann@x.com',
      companyName: '',
      parentAccount: null,
    });
  });
});

const contact = (over: Partial<RecordFormValues> = {}): RecordFormValues => ({
  type: 'contact',
  firstname: 'Ann',
  lastname: 'Lee',
  address: 'ann@x.com',
  companyName: '',
  parentAccount: null,
  ...over,
});

describe('validation: clear messages by field', () => {
  test.each<[string, Partial<RecordFormValues>, Record<string, string>]>([
    ['a complete form has no problem', {}, {}],
    ['lastname is required', { lastname: '   ' }, { lastname: 'Last name is required.' }],
    ['firstname is optional', { firstname: '' }, {}],
    [
      'firstname at most 50 characters',
      { firstname: 'a'.repeat(51) },
      { firstname: 'First name can be at most 50 characters (now 51).' },
    ],
    [
      'lastname at most 50 characters',
      { lastname: 'a'.repeat(51) },
      { lastname: 'Last name can be at most 50 characters (now 51).' },
    ],
    ['50 characters fit', { firstname: 'a'.repeat(50), lastname: 'b'.repeat(50) }, {}],
    ['lengths are counted after trimming', { lastname: ` ${'b'.repeat(50)} ` }, {}],
    [
      'no line breaks or control characters',
      { lastname: 'Lee\nDrop' },
      { lastname: 'Last name cannot contain line breaks or control characters.' },
    ],
    [
      'lead companyname at most 100 characters',
      { type: 'lead', companyName: 'c'.repeat(101) },
      { companyName: 'Company can be at most 100 characters (now 101).' },
    ],
    ['a contact ignores the company text', { companyName: 'c'.repeat(101) }, {}],
    [
      'the address must be one a record can hold',
      { address: 'not an address' },
      { address: 'The sender has no email address a record can hold.' },
    ],
    [
      'the address fits emailaddress1 (100)',
      { address: `${'a'.repeat(60)}@${'b'.repeat(40)}.com` },
      { address: "The sender's address is longer than a CRM record holds (100 characters)." },
    ],
  ])('%s', (_rule, over, errors) => {
    expect(validateRecordForm(contact(over))).toEqual(errors);
  });
});

describe('the record the form creates', () => {
  test('a contact: trimmed names, the parent account chosen, no company text', () => {
    expect(
      recordFromForm(contact({ firstname: ' Ann ', parentAccount: { id: 'a1', name: 'Fabrikam' } })),
    ).toEqual({
      ok: true,
      record: {
        type: 'contact',
        address: 'ann@x.com',
        firstname: 'Ann',
        lastname: 'Lee',
        parentAccountId: 'a1',
      },
    });
  });

  test('a lead: the company name as text; empty optional fields are null', () => {
    expect(recordFromForm(contact({ type: 'lead', firstname: ' ', companyName: ' Fabrikam ' }))).toEqual({
      ok: true,
      record: {
        type: 'lead',
        address: 'ann@x.com',
        firstname: null,
        lastname: 'Lee',
        companyName: 'Fabrikam',
      },
    });
    expect(recordFromForm(contact({ type: 'lead' }))).toMatchObject({
      ok: true,
      record: { companyName: null },
    });
  });

  test('a contact without a parent account has none', () => {
    expect(recordFromForm(contact())).toMatchObject({ ok: true, record: { parentAccountId: null } });
  });

  test('a form with problems creates nothing and says why', () => {
    expect(recordFromForm(contact({ lastname: '' }))).toEqual({
      ok: false,
      errors: { lastname: 'Last name is required.' },
    });
  });
});

const offer = (over: Partial<RecordFormOfferInput> = {}, orgDb = {}, user = {}): RecordFormOffer =>
  recordFormOffer({
    status: 'not-tracked',
    direction: 'incoming',
    sender: { name: 'Ann Lee', address: 'ann@x.com' },
    decision: { sender: null, senderCandidates: [] },
    settings: {
      orgDb: { ...DEFAULT_ORGDB_SETTINGS, ...orgDb },
      user: { ...DEFAULT_PERSONAL_OPTIONS, ...user },
    },
    ...over,
  });
const OFFERED: RecordFormOffer = { offered: true, defaultType: 'contact' };
const no = (reason: string): RecordFormOffer => ({ offered: false, reason });

describe('whether the form is offered', () => {
  test.each<[string, RecordFormOffer, RecordFormOffer]>([
    ['an unresolved sender of a not-yet-tracked email', offer(), OFFERED],
    ['an email that needs a regarding record first', offer({ status: 'needs-regarding' }), OFFERED],
    ['a tracked email whose sender stayed unresolved', offer({ status: 'tracked' }), OFFERED],
    [
      '§2.5 a sender the track will create (id null) matched nothing',
      offer({ decision: { sender: { type: 'contact', id: null }, senderCandidates: [] } }),
      OFFERED,
    ],
    [
      '§1.2 AutoCreateContactOnPromote false: not offered, with the plain reason',
      offer({}, { AutoCreateContactOnPromote: false }),
      no(NOT_OFFERED.orgOff),
    ],
    [
      '§1.4 the personal option "lead" puts the lead first',
      offer({}, {}, { autocreatecontactonpromote: 2 }),
      {
        offered: true,
        defaultType: 'lead',
      },
    ],
    [
      '§1.4 the personal option "none" does not hide what the user asks for',
      offer({}, {}, { autocreatecontactonpromote: 0 }),
      OFFERED,
    ],
    [
      '§2.4 a resolved sender is already in the CRM',
      offer({ decision: { sender: { type: 'contact', id: 'c1' }, senderCandidates: [] } }),
      no(NOT_OFFERED.resolved),
    ],
    [
      '§2.1 step 8 a conflict (candidates) is not unresolved',
      offer({
        decision: {
          sender: null,
          senderCandidates: [
            { type: 'contact', id: 'c1' },
            { type: 'lead', id: 'l1' },
          ],
        },
      }),
      no(NOT_OFFERED.conflict),
    ],
    [
      'UnresolveSenderInCaseOfMultipleMatch: several matches left it unresolved',
      offer({ senderMatchCount: 2 }, { UnresolveSenderInCaseOfMultipleMatch: true }),
      no(NOT_OFFERED.conflict),
    ],
    [
      'UnresolveSenderInCaseOfMultipleMatch: no match at all is offered',
      offer({ senderMatchCount: 0 }, { UnresolveSenderInCaseOfMultipleMatch: true }),
      OFFERED,
    ],
    [
      'UnresolveSenderInCaseOfMultipleMatch without a count cannot tell a conflict from no match',
      offer({}, { UnresolveSenderInCaseOfMultipleMatch: true }),
      no(NOT_OFFERED.unknownMatches),
    ],
    ['a sent email: the sender is the user', offer({ direction: 'outgoing' }), no(NOT_OFFERED.outgoing)],
    ['no decision (the CRM was not asked)', offer({ decision: null }), no(NOT_OFFERED.notChecked)],
    ['a waiting track', offer({ status: 'pending' }), no(NOT_OFFERED.notChecked)],
    ['a failed check', offer({ status: 'failed' }), no(NOT_OFFERED.notChecked)],
    ['no sender', offer({ sender: null }), no(NOT_OFFERED.noAddress)],
    [
      '§2.1 step 6 an invalid sender address',
      offer({ sender: { name: 'X', address: '/o=ExchangeLabs/cn=x' } }),
      no(NOT_OFFERED.noAddress),
    ],
    [
      'an address longer than emailaddress1 (100) gets no record',
      offer({ sender: { name: null, address: `${'a'.repeat(60)}@${'b'.repeat(40)}.com` } }),
      no(NOT_OFFERED.longAddress),
    ],
  ])('%s', (_rule, actual, expected) => {
    expect(actual).toEqual(expected);
  });
});
