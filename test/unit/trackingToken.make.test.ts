import { TrackingTokenError, makeTrackingToken, nextTrackingCounter } from '../../src/rules/trackingToken';

const base = { prefix: 'CRM:', idDigits: 3, idBase: 0, userNumber: 1, maxTrackingNumber: 999, counter: 234 };

describe('§3.2 tracking token: format', () => {
  test("§3.2 the spec example: 'CRM:', 3 digits, base 0, user 1, max 999, counter 234 → 'CRM:0001234'", () => {
    expect(makeTrackingToken(base)).toBe('CRM:0001234');
  });

  test.each([
    [{ counter: 0 }, 'CRM:0001000'],
    [{ counter: 999 }, 'CRM:0001999'],
    [{ counter: 5 }, 'CRM:0001005'],
    [{ idBase: 100 }, 'CRM:0101234'],
    [{ userNumber: 42, idBase: 7 }, 'CRM:0049234'],
    [{ idDigits: 5 }, 'CRM:000001234'],
    [{ maxTrackingNumber: 99999, counter: 234 }, 'CRM:000100234'],
    [{ maxTrackingNumber: 9, counter: 7 }, 'CRM:00017'],
    [{ maxTrackingNumber: 1000, counter: 7 }, 'CRM:00010007'],
    [{ prefix: 'TRK#' }, 'TRK#0001234'],
    [{ prefix: 'crm:' }, 'crm:0001234'],
    [{ userNumber: 12345 }, 'CRM:012345234'],
  ])('§3.2 %j → %s', (change, expected) => {
    expect(makeTrackingToken({ ...base, ...change })).toBe(expected);
  });
});

describe('§3.2 tracking token: validation throws TrackingTokenError', () => {
  const codeOf = (change: object): string => {
    try {
      makeTrackingToken({ ...base, ...change });
      return 'ok';
    } catch (e) {
      expect(e).toBeInstanceOf(TrackingTokenError);
      return (e as TrackingTokenError).code;
    }
  };
  test.each([
    [{ prefix: '' }, 'bad-prefix'],
    [{ prefix: 'A'.repeat(21) }, 'bad-prefix'],
    [{ prefix: 'A'.repeat(20) }, 'ok'],
    [{ prefix: 'X' }, 'ok'],
    [{ counter: -1 }, 'bad-counter'],
    [{ counter: 1000 }, 'bad-counter'],
    [{ counter: 1.5 }, 'bad-counter'],
    [{ idDigits: 0 }, 'bad-argument'],
    [{ userNumber: -1 }, 'bad-argument'],
    [{ idBase: Number.NaN }, 'bad-argument'],
    [{ maxTrackingNumber: 0 }, 'bad-argument'],
  ])('§3.2 %j → %s', (change, code) => {
    expect(codeOf(change)).toBe(code);
  });
});

describe('§3.2 tracking token: the counter wraps to 0 after maximumtrackingnumber', () => {
  test.each([
    [0, 999, 1],
    [998, 999, 999],
    [999, 999, 0],
    [1000, 999, 0],
    [-5, 999, 0],
    [0, 1, 1],
    [1, 1, 0],
  ])('§3.2 nextTrackingCounter(%d, %d) = %d', (counter, max, next) => {
    expect(nextTrackingCounter(counter, max)).toBe(next);
  });

  test('§3.2 a full cycle gives every counter once, then 0 again', () => {
    const seen: number[] = [];
    let c = 0;
    for (let i = 0; i <= 9; i++) {
      seen.push(c);
      c = nextTrackingCounter(c, 9);
    }
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(c).toBe(0);
  });
});
