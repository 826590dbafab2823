import { parseMailDate } from '../../src/mail/date';

describe('§6 email.headers Date → receivedAt (RFC 5322, host time zone independent)', () => {
  test.each([
    ['Fri, 21 Nov 1997 09:55:06 -0600', '1997-11-21T15:55:06.000Z', null],
    ['27 Feb 2017 04:51:29 +0100', '2017-02-27T03:51:29.000Z', null],
    ['Mon, 6 Mar 2017 14:56:51 +0000 (GMT)', '2017-03-06T14:56:51.000Z', null],
    ['Thu, 8 Mar 2005 17:40:36 EDT', '2005-03-08T21:40:36.000Z', null],
    ['Thu, 8 Mar 2005 17:40:36 GMT', '2005-03-08T17:40:36.000Z', null],
    ['Wed, 01 May 2019 12:20', '2019-05-01T12:20:00.000Z', 'no time zone'],
    ['Wed, 01 May 19 12:20:00 +0000', '2019-05-01T12:20:00.000Z', null],
    ['Wed, 01 May 99 12:20:00 +0000', '1999-05-01T12:20:00.000Z', null],
    ['1 Jan 2020 00:00:00 A', '2020-01-01T00:00:00.000Z', 'military'],
    ['1 Jan 2020 00:00:00 XYZ', '2020-01-01T00:00:00.000Z', 'unknown time zone'],
    ['Tue Nov 19 10:00:00 2019', '2019-11-19T10:00:00.000Z', 'no time zone'],
    ['2026-01-10T10:00:00+01:00', '2026-01-10T09:00:00.000Z', null],
    ['Mon, 26 Dec 2016 13:33:31 +0800', '2016-12-26T05:33:31.000Z', null],
  ])('%j → %s', (value, iso, warning) => {
    const r = parseMailDate(value);
    expect(r.iso).toBe(iso);
    if (warning === null) expect(r.warning).toBeNull();
    else expect(r.warning).toContain(warning);
  });

  test.each([
    '',
    '<HR>',
    '31 Feb 2020 10:00:00 +0000',
    '1 Foo 2020 10:00 +0000',
    '1 Jan 2020 25:00 +0000',
    '1 Jan 2020 10:00 +0099',
    'yesterday',
  ])('%j → null with a warning', (value) => {
    const r = parseMailDate(value);
    expect(r.iso).toBeNull();
    expect(r.warning).not.toBeNull();
  });
});
