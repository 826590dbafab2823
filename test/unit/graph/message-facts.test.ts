/**
 * Graph message JSON → the item and EmailFacts the background check decides on: the same facts the
 * pane gets from Office.js for the same message (src/mailbox/outlookMailbox.ts), including the
 * fields Graph has only as MAPI extended properties and the tag in the add-in's custom property.
 */
import { encodeTag } from '../../../src/mail/marks';
import { readGraphMessage, type FactsContext } from '../../../src/graph/messageFacts';
import { customPropertiesId } from '../../../src/graph/properties';

const TAG_ID = customPropertiesId('C7776A0D-EFCC-4504-B497-F889D0BED0D9');
const context: FactsContext = { folder: 'inbox', userAddress: 'Me@Contoso.com', customPropertiesId: TAG_ID };
const tag = { activityId: '11111111-2222-3333-4444-555555555555', regarding: { type: 'account', id: 'a1' } };

const base = {
  id: 'AAMkAD1',
  changeKey: 'CQAAAB',
  isDraft: false,
  categories: ['Tracked to CRM'],
  internetMessageId: '<m1@fabrikam.com>',
  subject: 'RE: Renewal',
  from: { emailAddress: { name: 'Ann Smith', address: 'ann@fabrikam.com' } },
  toRecipients: [{ emailAddress: { name: 'Megan Bowen', address: 'me@contoso.com' } }],
  ccRecipients: [{ emailAddress: { name: '', address: 'bob@contoso.com' } }],
  bccRecipients: [],
  receivedDateTime: '2026-01-10T08:59:00Z',
  conversationIndex: 'AQHZ',
};

/** The facts of `base` as the rules see them; each row changes what it names. */
const facts = {
  messageId: '<m1@fabrikam.com>',
  subject: 'RE: Renewal',
  direction: 'incoming',
  folder: 'inbox',
  from: { address: 'ann@fabrikam.com', name: 'Ann Smith' },
  to: [{ address: 'me@contoso.com', name: 'Megan Bowen' }],
  cc: [{ address: 'bob@contoso.com', name: null }],
  bcc: [],
  inReplyTo: null,
  references: [],
  threadIndex: 'AQHZ',
  receivedAt: '2026-01-10T08:59:00.000Z',
  composeType: null,
};

const prop = (id: string, value: string) => ({ singleValueExtendedProperties: [{ id, value }] });

describe('Graph message → facts (as Office.js gives them)', () => {
  test.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['the structured fields', {}, {}],
    [
      'From missing: Sender is the From, as Office.js reads item.from ?? item.sender',
      { from: undefined, sender: base.from },
      {},
    ],
    [
      'mail from the user is outgoing (addresses compared case-insensitively)',
      { from: { emailAddress: { name: 'Megan', address: 'me@contoso.com' } } },
      { direction: 'outgoing', from: { address: 'me@contoso.com', name: 'Megan' } },
    ],
    ['a draft has no Message-ID', { internetMessageId: null, isDraft: true }, { messageId: null }],
    [
      'In-Reply-To from PidTagInReplyToId (String 0x1042)',
      prop('String 0x1042', '<p@x>'),
      { inReplyTo: '<p@x>' },
    ],
    [
      'In-Reply-To without angle brackets is still a msg-id, as the header parser reads it',
      prop('String 0x1042', 'p@x'),
      { inReplyTo: 'p@x' },
    ],
    ['In-Reply-To holding no msg-id is absent', prop('String 0x1042', 'not an id'), { inReplyTo: null }],
    [
      'References from PidTagInternetReferences (String 0x1039), oldest first, bad ids skipped',
      prop('String 0x1039', '<a@x> <b@x> <bad id> <c@x>'),
      { references: ['<a@x>', '<b@x>', '<c@x>'] },
    ],
    [
      'an id Graph normalised (lower-case hex) still matches',
      prop('string 0X01042', '<p@x>'),
      { inReplyTo: '<p@x>' },
    ],
    [
      'Thread-Index is conversationIndex, white space removed',
      { conversationIndex: 'AQ HZ\r\n' },
      { threadIndex: 'AQHZ' },
    ],
    ['no conversationIndex: no Thread-Index', { conversationIndex: null }, { threadIndex: null }],
    [
      'receivedDateTime that is not an instant: no receivedAt',
      { receivedDateTime: 'yesterday' },
      { receivedAt: null },
    ],
    [
      'recipients without an address are dropped; a blank name is null',
      {
        toRecipients: [
          { emailAddress: { name: 'Nobody' } },
          { emailAddress: { address: ' x@y ', name: '  ' } },
        ],
      },
      { to: [{ address: 'x@y', name: null }] },
    ],
    [
      'Bcc of a sent item is read',
      { bccRecipients: [{ emailAddress: { name: 'Raj', address: 'raj@fabrikam.com' } }] },
      { bcc: [{ address: 'raj@fabrikam.com', name: 'Raj' }] },
    ],
    ['a null subject is the empty subject', { subject: null }, { subject: '' }],
  ])('%s', (_name, change, expected) => {
    const reading = readGraphMessage({ ...base, ...change }, context);
    expect(reading.ok && reading.item.facts).toEqual({ ...facts, ...expected });
  });

  test('the folder is the name the item is listed under, not anything in the message', () => {
    const reading = readGraphMessage(
      { ...base, parentFolderId: 'AAMkFolder' },
      { ...context, folder: 'Inbox/Projects' },
    );
    expect(reading.ok && reading.item.facts.folder).toBe('Inbox/Projects');
  });
});

describe("Graph message → item: the tag is the pane's custom property", () => {
  const props = (value: string) =>
    prop(
      TAG_ID.replace('{00020329-0000-0000-C000-000000000046}', '{00020329-0000-0000-c000-000000000046}'),
      value,
    );

  test.each<[string, Record<string, unknown>, unknown, Record<string, unknown>]>([
    [
      'the tag from {"tic": …}, other properties kept',
      props(JSON.stringify({ tic: encodeTag(tag), ticd: 'v1; id=d1; r=; p=' })),
      tag,
      { tic: encodeTag(tag), ticd: 'v1; id=d1; r=; p=' },
    ],
    ['no custom property: untagged', {}, null, {}],
    ['custom properties that are not JSON: untagged, none kept', props('{not json'), null, {}],
    ['custom properties that are a JSON array: untagged', props('[1,2]'), null, {}],
    [
      'a tic that is not a valid tag: untagged, properties kept',
      props(JSON.stringify({ tic: '{"a":"bad id!"}' })),
      null,
      { tic: '{"a":"bad id!"}' },
    ],
  ])('%s', (_name, change, expectedTag, expectedProps) => {
    const reading = readGraphMessage({ ...base, ...change }, context);
    expect(reading.ok && [reading.item.tag, reading.item.customProperties]).toEqual([
      expectedTag,
      expectedProps,
    ]);
  });

  test('item fields: id, changeKey, isDraft and the categories that are strings', () => {
    const reading = readGraphMessage(
      { ...base, categories: ['A', 7, null, 'B'], changeKey: undefined, isDraft: 'yes' },
      context,
    );
    expect(
      reading.ok && [
        reading.item.itemId,
        reading.item.changeKey,
        reading.item.isDraft,
        reading.item.categories,
      ],
    ).toEqual(['AAMkAD1', '', false, ['A', 'B']]);
  });

  test('a malformed property is named in the warnings', () => {
    const reading = readGraphMessage({ ...base, ...props('{not json') }, context);
    expect(reading.ok && reading.warnings.join(' ')).toMatch(/not a JSON object/);
  });

  test.each([
    ['not an object', 'text', 'the message is not a JSON object'],
    ['no id', { subject: 'x' }, 'the message has no id'],
  ])('%s: not an item, with the reason', (_name, message, reason) => {
    expect(readGraphMessage(message, context)).toEqual({ ok: false, itemId: null, reason });
  });
});
