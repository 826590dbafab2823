/**
 * Graph's answers are untrusted JSON: whatever a message holds, reading it never throws, and what it
 * gives is either "not an item" with a reason or an item whose every fact has the type the rules expect.
 */
import fc from 'fast-check';
import { readGraphMessage } from '../../../src/graph/messageFacts';
import { customPropertiesId, IN_REPLY_TO_ID, REFERENCES_ID } from '../../../src/graph/properties';

const TAG_ID = customPropertiesId('c7776a0d-efcc-4504-b497-f889d0bed0d9');
const context = { folder: 'inbox', userAddress: 'me@contoso.com', customPropertiesId: TAG_ID };

const junk = fc.oneof(fc.anything(), fc.string(), fc.constant(null), fc.constant(undefined));
const address = fc.oneof(
  junk,
  fc.record({
    emailAddress: fc.oneof(junk, fc.record({ name: junk, address: fc.oneof(junk, fc.emailAddress()) })),
  }),
);
const property = fc.oneof(
  junk,
  fc.record({
    id: fc.oneof(fc.constantFrom(IN_REPLY_TO_ID, REFERENCES_ID, TAG_ID, 'string 0x1039'), junk),
    value: fc.oneof(
      junk,
      fc.string(),
      fc.json(),
      fc.constantFrom(
        '<a@x> <b@x>',
        '{"tic":"{\\"a\\":\\"x\\"}"}',
        '{"tic":5}',
        '{"tic":"{\\"a\\":\\"ok\\",\\"r\\":7}"}',
      ),
    ),
  }),
);
const message = fc.record(
  {
    id: fc.oneof(fc.string({ minLength: 1 }), junk),
    changeKey: junk,
    isDraft: junk,
    categories: fc.oneof(junk, fc.array(junk)),
    internetMessageId: fc.oneof(junk, fc.string()),
    subject: junk,
    from: address,
    sender: address,
    toRecipients: fc.oneof(junk, fc.array(address)),
    ccRecipients: fc.oneof(junk, fc.array(address)),
    bccRecipients: fc.oneof(junk, fc.array(address)),
    receivedDateTime: fc.oneof(
      junk,
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.string(),
    ),
    conversationIndex: fc.oneof(junk, fc.base64String()),
    singleValueExtendedProperties: fc.oneof(junk, fc.array(property, { maxLength: 5 })),
  },
  { requiredKeys: [] },
);

const isAddress = (a: unknown): boolean =>
  typeof a === 'object' &&
  a !== null &&
  typeof (a as { address: unknown }).address === 'string' &&
  (a as { address: string }).address !== '' &&
  ((a as { name: unknown }).name === null || typeof (a as { name: unknown }).name === 'string');
const stringOrNull = (v: unknown): boolean => v === null || typeof v === 'string';

describe('Graph message → facts on untrusted JSON (properties)', () => {
  test('never throws; an item has every fact in the type the rules expect, or a reason it is none', () => {
    let items = 0;
    fc.assert(
      fc.property(fc.oneof(message, fc.anything()), (input) => {
        const reading = readGraphMessage(input, context);
        if (!reading.ok) return typeof reading.reason === 'string' && reading.reason !== '';
        items += 1;
        const { item } = reading;
        const f = item.facts;
        return (
          typeof item.itemId === 'string' &&
          item.itemId !== '' &&
          typeof item.changeKey === 'string' &&
          typeof item.isDraft === 'boolean' &&
          item.categories.every((c) => typeof c === 'string') &&
          (item.tag === null || (typeof item.tag.activityId === 'string' && item.tag.activityId !== '')) &&
          typeof f.subject === 'string' &&
          (f.direction === 'incoming' || f.direction === 'outgoing') &&
          f.folder === 'inbox' &&
          (f.from === null || isAddress(f.from)) &&
          [...f.to, ...f.cc, ...f.bcc].every(isAddress) &&
          stringOrNull(f.messageId) &&
          stringOrNull(f.inReplyTo) &&
          f.references.every((r) => /^<[^\s<>]+>$/.test(r)) &&
          (f.threadIndex === null || /^\S+$/.test(f.threadIndex)) &&
          (f.receivedAt === null || !Number.isNaN(Date.parse(f.receivedAt)))
        );
      }),
      { numRuns: 500 },
    );
    // The generators reach the mapping itself, not only the "no id" refusal.
    expect(items).toBeGreaterThan(100);
  });
});
