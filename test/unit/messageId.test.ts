import { normalizeMessageId, sameMessageId } from '../../src/rules/messageId';

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

  test('§2.1 equal after normalising, case-sensitive', () => {
    expect(sameMessageId('<a@x>', ' a@x ')).toBe(true);
    expect(sameMessageId('<a@x>', '<A@x>')).toBe(false);
    expect(sameMessageId('<>', '')).toBe(false);
    expect(sameMessageId(null, 'a')).toBe(false);
  });
});
