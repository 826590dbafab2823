import { factsFromOfficeFields } from '../../src/mail/officeFacts';

describe('§6 email facts from Office.js read-mode fields', () => {
  test('§6 a full read-mode item', () => {
    expect(
      factsFromOfficeFields({
        internetMessageId: ' <a@x> ',
        subject: 'RE: Quote CRM:0001234',
        from: { emailAddress: 'ann@fabrikam.com', displayName: 'Ann Lee' },
        to: [{ emailAddress: 'me@contoso.com', displayName: '' }],
        cc: [
          { emailAddress: 'b@x', displayName: 'B' },
          { emailAddress: '', displayName: 'No address' },
        ],
        dateTimeCreated: new Date('2026-01-10T09:00:00Z'),
        conversationId: 'AAQk…',
      }),
    ).toEqual({
      messageId: '<a@x>',
      subject: 'RE: Quote CRM:0001234',
      from: { address: 'ann@fabrikam.com', name: 'Ann Lee' },
      to: [{ address: 'me@contoso.com', name: null }],
      cc: [{ address: 'b@x', name: 'B' }],
      receivedAt: '2026-01-10T09:00:00.000Z',
    });
  });

  test('§6 only the fields given become keys', () => {
    expect(factsFromOfficeFields({})).toEqual({});
    expect(factsFromOfficeFields({ subject: 'x' })).toEqual({ subject: 'x' });
  });

  test('§6 ISO string dates; an invalid date → null', () => {
    expect(factsFromOfficeFields({ dateTimeCreated: '2026-01-10T10:00:00+01:00' }).receivedAt).toBe(
      '2026-01-10T09:00:00.000Z',
    );
    expect(factsFromOfficeFields({ dateTimeCreated: 'not a date' }).receivedAt).toBeNull();
    expect(factsFromOfficeFields({ dateTimeCreated: new Date(Number.NaN) }).receivedAt).toBeNull();
  });

  test('§6 dateTimeReceived, when given, wins over dateTimeCreated', () => {
    expect(
      factsFromOfficeFields({
        dateTimeCreated: '2026-01-10T09:00:00Z',
        dateTimeReceived: '2026-01-10T09:05:00Z',
      }).receivedAt,
    ).toBe('2026-01-10T09:05:00.000Z');
  });

  test('§6 null / empty values', () => {
    expect(factsFromOfficeFields({ internetMessageId: '', from: null, to: null })).toEqual({
      messageId: null,
      from: null,
      to: [],
    });
    expect(factsFromOfficeFields({ from: { emailAddress: '  ' } })).toEqual({ from: null });
  });

  test('§6 a compose-mode Subject object is ignored', () => {
    expect(factsFromOfficeFields({ subject: { getAsync: () => undefined } })).toEqual({});
  });
});
