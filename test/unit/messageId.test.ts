import { normalizeMessageId } from '../../src/rules/messageId';

describe('§2.1 step 1 Message-ID comparison: trim white space and angle brackets, case-sensitive', () => {
  test.each([
    ['<a@x>', 'a@x'],
    ['  <a@x>\r\n', 'a@x'],
    ['a@x', 'a@x'],
    [' a@x ', 'a@x'],
    ['< a@x >', 'a@x'],
    ['<<a@x>>', 'a@x'],
    ['<a@x', 'a@x'],
    ['a@x>', 'a@x'],
    ['> a@x <', 'a@x'],
    ['<a<b@x>', 'a<b@x'],
    ['<>', ''],
    ['', ''],
    ['<A@X>', 'A@X'],
  ])('§2.1 normalizeMessageId(%j) = %j', (id, expected) => {
    expect(normalizeMessageId(id)).toBe(expected);
  });

  test('§2.1 compared case-sensitively after normalising', () => {
    expect(normalizeMessageId('<a@x>')).toBe(normalizeMessageId(' a@x '));
    expect(normalizeMessageId('<a@x>')).not.toBe(normalizeMessageId('<A@x>'));
  });
});
