/**
 * The name-based GUIDs a track gives the rows it creates: RFC 4122 version 5, checked against
 * published vectors and Node's own SHA-1.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { nameUuid, sha1 } from '../../../src/crm/nameUuid';

const DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
const URL_NS = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
const hex = (bytes: number[]) => bytes.map((b) => b.toString(16).padStart(2, '0')).join('');

describe('sha1', () => {
  test.each([
    ['', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['abc', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '84983e441c3bd26ebaae4aa1f95129e5e54670f1'],
  ])('FIPS 180 vector %j', (text, digest) => {
    expect(hex(sha1([...Buffer.from(text, 'utf8')]))).toBe(digest);
  });

  test('equals Node crypto for any bytes (block boundaries included)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(hex(sha1([...bytes]))).toBe(createHash('sha1').update(bytes).digest('hex'));
      }),
    );
  });
});

describe('nameUuid (RFC 4122 version 5)', () => {
  test.each([
    [DNS, 'python.org', '886313e1-3b8a-5372-9b90-0c9aee199e5d'],
    // UTF-8 of non-ASCII names, a surrogate pair included (Python's uuid.uuid5).
    [URL_NS, 'héllo 😀', '195adee8-37cb-5733-8aee-fb358703ca6e'],
  ])('%s + %j = %s', (namespace, name, expected) => {
    expect(nameUuid(namespace, name)).toBe(expected);
  });

  test('the same name gives the same GUID; another name, another GUID; version 5, RFC variant', () => {
    const a = nameUuid(DNS, 'user\n<a@b>');
    expect(nameUuid(DNS.toUpperCase(), 'user\n<a@b>')).toBe(a);
    expect(nameUuid(DNS, 'user\n<a@B>')).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('a lone surrogate is hashed as U+FFFD (what TextEncoder writes)', () => {
    expect(nameUuid(DNS, 'a\ud800b')).toBe(nameUuid(DNS, 'a\ufffdb'));
  });

  test('a namespace that is not a GUID is refused', () => {
    expect(() => nameUuid('nope', 'x')).toThrow(TypeError);
  });
});
