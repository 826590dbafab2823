import fc from 'fast-check';
import { parseHeaderBlock } from '../../src/mail/headers';
import {
  decodeBase64,
  isThreadIndexAncestor,
  threadIndexAncestorKeys,
  threadIndexKey,
  threadIndexKeyOfBytes,
} from '../../src/rules/threadIndex';
import { conversationIndexVectors, emlLatin1, hexToBytes } from './helpers/mailFixtures';

const vectors = conversationIndexVectors();
const v2 = hexToBytes(vectors[1]!.hex); // 57 bytes, 7 children

/** A well-formed Thread-Index: 22-byte header + k 5-byte children. */
const wellFormed = fc
  .tuple(
    fc.uint8Array({ minLength: 22, maxLength: 22 }),
    fc.array(fc.uint8Array({ minLength: 5, maxLength: 5 }), { maxLength: 12 }),
  )
  .map(([h, cs]) => {
    const out = new Uint8Array(22 + cs.length * 5);
    out.set(h);
    cs.forEach((c, i) => out.set(c, 22 + i * 5));
    return out;
  });

describe('§3.3 conversation index: proper-prefix ancestry', () => {
  test('§3.3 the header alone is an ancestor of the full index; each shorter prefix of whole blocks is too', () => {
    for (let len = 22; len < v2.length; len += 5) {
      expect(isThreadIndexAncestor(v2.subarray(0, len), v2)).toBe(true);
    }
  });

  test('§3.3 an index is not its own ancestor (PROPER prefix)', () => {
    expect(isThreadIndexAncestor(v2, v2)).toBe(false);
  });

  test('§3.3 a descendant is not an ancestor of its ancestor', () => {
    expect(isThreadIndexAncestor(v2, v2.subarray(0, 27))).toBe(false);
  });

  test('§3.3 a prefix that is not whole blocks is not an ancestor (malformed)', () => {
    expect(isThreadIndexAncestor(v2.subarray(0, 21), v2)).toBe(false);
    expect(isThreadIndexAncestor(v2.subarray(0, 24), v2)).toBe(false);
    expect(isThreadIndexAncestor(v2.subarray(0, 22), v2.subarray(0, 56))).toBe(false);
  });

  test('§3.3 a different header (one byte changed) is not an ancestor', () => {
    const other = v2.slice(0, 27);
    other[10] = (other[10] ?? 0) ^ 0xff;
    expect(isThreadIndexAncestor(other, v2)).toBe(false);
  });

  test('§3.3 vectors 3 and 4 share the header but differ in the first child: 22-byte header is ancestor of both, 27-byte prefixes are not', () => {
    const v3 = hexToBytes(vectors[2]!.hex);
    const v4 = hexToBytes(vectors[3]!.hex);
    expect(isThreadIndexAncestor(v3.subarray(0, 22), v4)).toBe(true);
    expect(isThreadIndexAncestor(v3.subarray(0, 27), v4)).toBe(false);
  });

  test('§3.3 the Zimbra forward (unknown layout): the attached original is an ancestor of the forward', () => {
    const text = emlLatin1('php-mime-mail-parser__issue158a.eml');
    const inner = text.slice(text.indexOf('\n\n', text.indexOf('Content-Type: message/rfc822')) + 2);
    const outer = decodeBase64(parseHeaderBlock(text).threadIndex!)!;
    const original = decodeBase64(parseHeaderBlock(inner).threadIndex!)!;
    expect(isThreadIndexAncestor(original, outer)).toBe(true);
    expect(isThreadIndexAncestor(outer, original)).toBe(false);
    // …and found by key lookup, as correlation does it
    expect(threadIndexAncestorKeys(outer)).toEqual([threadIndexKeyOfBytes(original)]);
  });
});

describe('§3.3 conversation index: keys for "longest tracked ancestor" lookups', () => {
  test('threadIndexKey is upper-case hex of the bytes, the same for every spelling of them', () => {
    const v = vectors[0]!;
    expect(threadIndexKey(v.base64)).toBe(v.hex);
    expect(threadIndexKey(v.base64.replace(/=+$/, ''))).toBe(v.hex);
    expect(threadIndexKey(` ${v.base64.slice(0, 10)}\r\n ${v.base64.slice(10)} `)).toBe(v.hex);
  });

  test('threadIndexKey is null for values that are not a Thread-Index', () => {
    expect(threadIndexKey('')).toBeNull();
    expect(threadIndexKey('not base64!')).toBeNull();
    expect(threadIndexKey('AQID')).toBeNull();
    expect(threadIndexKey(vectors[0]!.base64.slice(0, 32))).toBeNull();
  });

  test('threadIndexAncestorKeys: every proper prefix, longest first', () => {
    const keys = threadIndexAncestorKeys(v2);
    expect(keys).toHaveLength(7);
    expect(keys[0]).toBe(vectors[1]!.hex.slice(0, 52 * 2));
    expect(keys[6]).toBe(vectors[1]!.hex.slice(0, 22 * 2));
  });

  test('threadIndexAncestorKeys: a header-only or malformed index has none', () => {
    expect(threadIndexAncestorKeys(v2.subarray(0, 22))).toEqual([]);
    expect(threadIndexAncestorKeys(v2.subarray(0, 23))).toEqual([]);
    expect(threadIndexAncestorKeys(new Uint8Array(0))).toEqual([]);
  });

  test('property: the key list of a valid index holds exactly the keys of its proper prefixes, longest first', () => {
    fc.assert(
      fc.property(wellFormed, (bytes) => {
        const keys = threadIndexAncestorKeys(bytes);
        const expected: string[] = [];
        for (let len = bytes.length - 5; len >= 22; len -= 5)
          expected.push(threadIndexKeyOfBytes(bytes.subarray(0, len))!);
        expect(keys).toEqual(expected);
        for (const k of keys) expect(isThreadIndexAncestor(hexToBytes(k), bytes)).toBe(true);
      }),
    );
  });

  test('property: isThreadIndexAncestor(a, b) iff a is a well-formed proper prefix of b', () => {
    fc.assert(
      fc.property(wellFormed, fc.nat(), (bytes, cut) => {
        const len = 22 + 5 * (cut % ((bytes.length - 22) / 5 + 1));
        expect(isThreadIndexAncestor(bytes.subarray(0, len), bytes)).toBe(len < bytes.length);
      }),
    );
  });
});
