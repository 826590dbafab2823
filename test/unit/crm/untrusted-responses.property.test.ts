/** What comes over the network is untrusted: the batch reader and the emulator's $filter parser fail with their typed errors only. */
import fc from 'fast-check';
import { parseFilter, ODataError } from '../../../emulator/odata/filter';
import { parseBatchResponse } from '../../../src/crm/batch';
import { CrmProtocolError } from '../../../src/crm/errors';

const multipartish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '--b',
        '--b--',
        '\r\n',
        'HTTP/1.1 200 OK',
        'Content-Type: multipart/mixed; boundary=c',
        '--c',
        '--c--',
        '{"value":[]}',
        'Content-ID: 1',
        '',
      ),
      fc.string({ maxLength: 20 }),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join('\r\n'));

describe('untrusted responses (properties)', () => {
  test('a $batch response is read or refused with CrmProtocolError, nothing else', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), multipartish),
        fc.constantFrom(
          'multipart/mixed; boundary=b',
          'multipart/mixed',
          'text/plain',
          'multipart/mixed; boundary="b"',
        ),
        (body, type) => {
          try {
            const parts = parseBatchResponse(body, type);
            for (const part of parts.flat()) expect(part.status).toBeGreaterThanOrEqual(100);
          } catch (error) {
            if (!(error instanceof CrmProtocolError)) throw error;
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  const filterish = fc
    .array(
      fc.oneof(
        fc.constantFrom(
          '(',
          ')',
          ' and ',
          ' or ',
          'not ',
          "'o''b'",
          'eq',
          ' ne ',
          'contains(',
          ',',
          'emailaddress1',
          'statecode',
          '0',
          'null',
          'Microsoft.Dynamics.CRM.In(PropertyName=',
          'PropertyValues=[',
          ']',
          'true',
          '_x_value',
        ),
        fc.string({ maxLength: 6 }),
      ),
      { maxLength: 25 },
    )
    .map((parts) => parts.join(''));

  test('the emulator parses a $filter or answers a typed OData error (a 400), never crashes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), filterish), (filter) => {
        try {
          parseFilter(filter);
        } catch (error) {
          if (!(error instanceof ODataError)) throw error;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
