import {
  ThreadIndexError,
  decodeBase64,
  decodeThreadIndex,
  fileTimeToIso,
} from '../../src/rules/threadIndex';
import { conversationIndexVectors, hexToBytes } from './helpers/mailFixtures';

const vectors = conversationIndexVectors();

describe('§3.3 conversation index: decoding the four mfcmapi vectors', () => {
  test('there are four vectors', () => {
    expect(vectors).toHaveLength(4);
  });

  describe.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const fromBase64 = decodeThreadIndex(v.base64);
    const fromBytes = decodeThreadIndex(hexToBytes(v.hex));

    test('§3.3 base64 and raw bytes decode alike', () => {
      expect(Array.from(fromBase64.bytes)).toEqual(Array.from(hexToBytes(v.hex)));
      expect(fromBase64).toEqual(fromBytes);
    });

    test('§3.3 Ac layout: byte 0 = 0x01, bytes 0-5 << 16 (filetime48)', () => {
      expect(v.base64.startsWith('Ac')).toBe(true);
      expect(fromBase64.layout).toBe('filetime48');
    });

    test('§3.3 header FILETIME and time reproduce derived.specHeaderFileTime / specHeaderUtc', () => {
      expect(fromBase64.headerFileTime).toBe(BigInt(v.derived.specHeaderFileTime));
      expect(fromBase64.headerTime).toBe(v.derived.specHeaderUtc);
    });

    test('§3.3 GUID as mfcmapi prints it', () => {
      expect(fromBase64.guid).toBe(v.expected.guid);
      expect(fromBase64.guid).toBe(v.derived.guidFromBytes6to21);
    });

    test('§3.3 child blocks: count, deltaCode, timeDelta, random, level match mfcmapi', () => {
      expect(fromBase64.children).toHaveLength(v.derived.childBlockCount);
      expect(fromBase64.children).toHaveLength(v.expected.responseLevels.length);
      fromBase64.children.forEach((c, i) => {
        const e = v.expected.responseLevels[i]!;
        expect(c.deltaCode).toBe(e.deltaCode);
        expect(c.timeDelta).toBe(e.timeDeltaDecimal);
        expect(c.random).toBe(e.randomDecimal);
        expect(c.level).toBe(e.responseLevelDecimal);
      });
    });

    test('§3.3 child delta100ns = timeDelta << 18 (deltaCode 0) or << 23 (deltaCode 1), as derived', () => {
      fromBase64.children.forEach((c, i) => {
        const d = v.derived.childBlocks[i]!;
        expect(c.delta100ns).toBe(BigInt(d.delta100ns));
        expect(c.delta100ns).toBe(BigInt(c.timeDelta) << (c.deltaCode === 1 ? 23n : 18n));
      });
    });

    test('§3.3 header time plus the added-up deltas gives derived cumulativeUtc', () => {
      let t = fromBase64.headerFileTime!;
      fromBase64.children.forEach((c, i) => {
        t += c.delta100ns;
        expect(fileTimeToIso(t)).toBe(v.derived.childBlocks[i]!.cumulativeUtc);
      });
    });
  });

  test('§3.3 vector 4 differs from vector 3 only in the first child deltaCode (1, so << 23)', () => {
    const v3 = decodeThreadIndex(vectors[2]!.base64);
    const v4 = decodeThreadIndex(vectors[3]!.base64);
    expect(v3.children[0]!.deltaCode).toBe(0);
    expect(v4.children[0]!.deltaCode).toBe(1);
    expect(v4.children[0]!.timeDelta).toBe(v3.children[0]!.timeDelta);
    expect(v4.children[0]!.delta100ns).toBe(v3.children[0]!.delta100ns << 5n);
    expect(v4.children.slice(1)).toEqual(v3.children.slice(1));
  });
});

describe('§3.3 conversation index: base64 decoding (pure, no Buffer/atob)', () => {
  test.each([
    ['', []],
    ['AQ==', [1]],
    ['AQ', [1]],
    ['AQI=', [1, 2]],
    ['AQID', [1, 2, 3]],
    [' A Q\r\n\tI D ', [1, 2, 3]],
    ['-_8=', [0xfb, 0xff]],
    ['+/8=', [0xfb, 0xff]],
    ['+/8', [0xfb, 0xff]],
  ])('decodeBase64(%j)', (text, bytes) => {
    expect(Array.from(decodeBase64(text) ?? [-1])).toEqual(bytes);
  });

  test.each(['A', 'AQ=A', 'AQ===', 'A*Q=', 'é', 'AQID\u0000', 'AQ.D'])(
    'decodeBase64(%j) is null (invalid)',
    (text) => {
      expect(decodeBase64(text)).toBeNull();
    },
  );

  test('agrees with Node Buffer on every vector, with and without padding', () => {
    for (const v of vectors) {
      const expected = Array.from(Buffer.from(v.base64, 'base64'));
      expect(Array.from(decodeBase64(v.base64)!)).toEqual(expected);
      expect(Array.from(decodeBase64(v.base64.replace(/=+$/, ''))!)).toEqual(expected);
      expect(Array.from(decodeBase64(v.base64.replace(/\+/g, '-').replace(/\//g, '_'))!)).toEqual(expected);
    }
  });
});

describe('§3.3 conversation index: values that are not a Thread-Index throw ThreadIndexError', () => {
  const code = (value: string | Uint8Array): string => {
    try {
      decodeThreadIndex(value);
      return 'no error';
    } catch (e) {
      expect(e).toBeInstanceOf(ThreadIndexError);
      expect(e).toBeInstanceOf(Error);
      return (e as ThreadIndexError).code;
    }
  };
  test('not base64 → not-base64', () => expect(code('Ac#x')).toBe('not-base64'));
  test('empty → too-short', () => expect(code('')).toBe('too-short'));
  test('21 bytes → too-short', () => expect(code(new Uint8Array(21).fill(1))).toBe('too-short'));
  test('23 bytes → bad-length', () => expect(code(new Uint8Array(23).fill(1))).toBe('bad-length'));
  test('26 bytes → bad-length', () => expect(code(new Uint8Array(26).fill(1))).toBe('bad-length'));
  test('22 and 27 bytes decode', () => {
    expect(code(new Uint8Array(22).fill(1))).toBe('no error');
    expect(code(new Uint8Array(27).fill(1))).toBe('no error');
  });
});

describe('§3.3 conversation index: layout choice', () => {
  const header = (first: number[]): Uint8Array => {
    const b = new Uint8Array(22);
    b.set(first);
    return b;
  };
  test('a first byte other than 0x01 is unknown: no time, no GUID, children still split', () => {
    const b = new Uint8Array(27).fill(0x06);
    const d = decodeThreadIndex(b);
    expect(d.layout).toBe('unknown');
    expect(d.headerFileTime).toBeNull();
    expect(d.headerTime).toBeNull();
    expect(d.guid).toBeNull();
    expect(d.children).toHaveLength(1);
  });
  test('0x01 0x01 … reads as reserved-filetime40 (the 48-bit reading would be in 1829)', () => {
    const d = decodeThreadIndex(header([0x01, 0x01, 0xd9, 0x8f, 0x2b, 0x26]));
    expect(d.layout).toBe('reserved-filetime40');
    expect(d.headerFileTime).toBe(0x01d98f2b26n << 24n);
    expect(d.headerTime).toBe('2023-05-25T17:05:46.8040192Z');
  });
  test('0x01 0xCA … reads as filetime48', () => {
    const d = decodeThreadIndex(header([0x01, 0xca, 0xe5, 0x5b, 0x20, 0xe5]));
    expect(d.layout).toBe('filetime48');
    expect(d.headerTime).toBe('2010-04-26T16:11:29.0143744Z');
  });
  test('0x01 with neither reading in 1990-2100 is unknown (chosen)', () => {
    const d = decodeThreadIndex(header([0x01, 0x50, 0, 0, 0, 0]));
    expect(d.layout).toBe('unknown');
    expect(d.headerTime).toBeNull();
  });
});
