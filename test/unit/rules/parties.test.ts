import { ANN, ME, contact, decideCase, merge, org, record, type Json } from '../../support/cases';

const all = (...patches: Json[]): Json => patches.reduce((a, p) => merge(a, p), {});
const crm = (records: Json[]): Json => ({ crm: { records, trackedEmails: [], folderMappings: [] } });
const method0 = { settings: { user: { incomingemailfilteringmethod: 0 } } };

describe('§2.4 parties', () => {
  test('§2.4: each To/Cc/Bcc address resolves to every active matching record, in role order', () => {
    const decision = decideCase(
      all(
        method0,
        {
          email: {
            to: [{ address: ME.address }],
            cc: [{ address: 'BOB@x.com ' }],
            bcc: [{ address: 'nobody@x.com' }],
          },
        },
        crm([
          contact('c1', [ANN.address]),
          record('systemuser', 's1', [ME.address]),
          contact('c2', ['bob@x.com']),
          record('lead', 'l2', ['other@x.com', 'Bob@X.com']),
        ]),
      ),
    );
    expect(decision.parties).toEqual([
      { role: 'to', address: ME.address, records: [{ type: 'systemuser', id: 's1' }] },
      {
        role: 'cc',
        address: 'BOB@x.com',
        records: [
          { type: 'contact', id: 'c2' },
          { type: 'lead', id: 'l2' },
        ],
      },
      { role: 'bcc', address: 'nobody@x.com', records: [] },
    ]);
  });

  test.each<[string, Json, string[]]>([
    [
      'addresses compared case-insensitively after trimming',
      crm([contact('c1', [ANN.address]), contact('c2', ['  ME@Contoso.COM '])]),
      ['c2'],
    ],
    [
      'inactive records never match',
      crm([contact('c1', [ANN.address]), contact('c2', [ME.address], undefined, { active: false })]),
      [],
    ],
    [
      'a secondary address matches with all-matches',
      crm([contact('c1', [ANN.address]), contact('c2', ['x@y.com', ME.address])]),
      ['c2'],
    ],
    [
      'primary-email-only matches only the first address',
      all(
        crm([
          contact('c1', [ANN.address]),
          contact('c2', ['x@y.com', ME.address]),
          contact('c3', [ME.address]),
        ]),
        { settings: { user: { recipientReconciliation: 'primary-email-only' } } },
      ),
      ['c3'],
    ],
    [
      'unresolveemailaddressifmultiplematch: several matches stay unresolved',
      all(
        crm([contact('c1', [ANN.address]), contact('c2', [ME.address]), contact('c3', [ME.address])]),
        org({ unresolveemailaddressifmultiplematch: true }),
      ),
      [],
    ],
    [
      'unresolveemailaddressifmultiplematch: one match still resolves',
      all(
        crm([contact('c1', [ANN.address]), contact('c2', [ME.address])]),
        org({ unresolveemailaddressifmultiplematch: true }),
      ),
      ['c2'],
    ],
  ])('§2.4: %s', (_name, patch, ids) => {
    const party = decideCase(all(method0, patch)).parties[0];
    expect(party?.records.map((r) => r.id)).toEqual(ids);
  });

  test('§2.4: the sender is matched the same way (primary-email-only)', () => {
    const decision = decideCase(
      all(
        {
          settings: {
            user: { incomingemailfilteringmethod: 2, recipientReconciliation: 'primary-email-only' },
          },
        },
        crm([contact('c1', ['x@y.com', ANN.address])]),
      ),
    );
    expect(decision).toMatchObject({ reason: 'SenderNotMatched', sender: null });
  });
});

describe('§2.5 records created from the sender', () => {
  const unknown = (from: Json, option: unknown = 1): Json =>
    all(method0, crm([]), { email: { from }, settings: { user: { autocreatecontactonpromote: option } } });
  test.each<[string, Json, unknown[]]>([
    [
      'contact from "Ann Lee": split at the last space',
      unknown({ address: 'ann@fabrikam.com', name: 'Ann Lee' }),
      [{ type: 'contact', address: 'ann@fabrikam.com', firstname: 'Ann', lastname: 'Lee' }],
    ],
    [
      'lead when the option is lead',
      unknown({ address: 'ann@fabrikam.com', name: 'Ann Lee' }, 2),
      [{ type: 'lead', address: 'ann@fabrikam.com', firstname: 'Ann', lastname: 'Lee' }],
    ],
    [
      'the option by name: "contact"',
      unknown({ address: 'ann@fabrikam.com', name: 'Ann Lee' }, 'contact'),
      [{ type: 'contact', address: 'ann@fabrikam.com', firstname: 'Ann', lastname: 'Lee' }],
    ],
    [
      'last space: "Mary Ann van Dyke"',
      unknown({ address: 'm@x.com', name: 'Mary Ann van Dyke' }),
      [{ type: 'contact', address: 'm@x.com', firstname: 'Mary Ann van', lastname: 'Dyke' }],
    ],
    [
      'one word: no firstname',
      unknown({ address: 'cher@x.com', name: 'Cher' }),
      [{ type: 'contact', address: 'cher@x.com', firstname: null, lastname: 'Cher' }],
    ],
    [
      'no name: lastname is the part before @',
      unknown({ address: 'j.doe@x.com', name: null }),
      [{ type: 'contact', address: 'j.doe@x.com', firstname: null, lastname: 'j.doe' }],
    ],
    [
      'a name that is the address counts as no name',
      unknown({ address: 'j.doe@x.com', name: 'j.doe@x.com' }),
      [{ type: 'contact', address: 'j.doe@x.com', firstname: null, lastname: 'j.doe' }],
    ],
    ['option none: nothing', unknown({ address: 'ann@fabrikam.com', name: 'Ann Lee' }, 0), []],
    [
      'AutoCreateContactOnPromote false: nothing, whatever the option',
      all(
        unknown({ address: 'ann@fabrikam.com', name: 'Ann Lee' }),
        org({}, { AutoCreateContactOnPromote: false }),
      ),
      [],
    ],
    [
      'a resolved sender: nothing',
      all(method0, { settings: { user: { autocreatecontactonpromote: 1 } } }),
      [],
    ],
  ])('§2.5: %s', (_name, patch, create) => {
    expect(decideCase(patch).create).toEqual(create);
  });

  test('§2.5: the sender resolves to the created record', () => {
    expect(decideCase(unknown({ address: 'ann@fabrikam.com', name: 'Ann Lee' })).sender).toEqual({
      type: 'contact',
      id: null,
    });
  });

  test('§2.5: only when the email is tracked', () => {
    expect(
      decideCase(
        all(unknown({ address: 'ann@fabrikam.com', name: 'Ann Lee' }), {
          settings: { user: { incomingemailfilteringmethod: 4 } },
        }),
      ).create,
    ).toEqual([]);
  });
});
