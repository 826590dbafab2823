import { buildBatch, parseBatchResponse, type BatchResponse } from '../../../src/crm/batch';

const ROOT = 'https://org.example/api/data/v9.2/';

describe('$batch bodies', () => {
  test('GETs are parts of their own; writes go in a changeset with Content-IDs and may refer to $n', () => {
    const { body, contentType } = buildBatch(
      [
        { kind: 'request', request: { method: 'GET', path: 'contacts?$select=fullname' } },
        {
          kind: 'changeset',
          requests: [
            { method: 'POST', path: 'contacts', body: { lastname: 'Lee' } },
            { method: 'POST', path: 'emails', body: { subject: 'x', 'partyid_contact@odata.bind': '$1' } },
            { method: 'PATCH', path: '$2', body: { statecode: 1, statuscode: 4 } },
          ],
        },
      ],
      ROOT,
    );
    const batch = /boundary=(batch_\S+)/.exec(contentType)?.[1] as string;
    expect(contentType).toMatch(/^multipart\/mixed; boundary=batch_/);
    expect(body.endsWith(`--${batch}--\r\n`)).toBe(true);
    expect(body).toContain(`GET ${ROOT}contacts?$select=fullname HTTP/1.1`);
    expect(body).toMatch(/Content-Type: multipart\/mixed; boundary=changeset_\S+/);
    expect(body).toContain('Content-ID: 1\r\n');
    expect(body).toContain(`POST ${ROOT}emails HTTP/1.1`);
    expect(body).toContain('PATCH $2 HTTP/1.1');
    expect(body).toContain('Content-Type: application/json; type=entry');
    expect(body).toContain('"partyid_contact@odata.bind":"$1"');
  });

  test('a GET inside a changeset, or a write outside one, is refused', () => {
    expect(() => buildBatch([{ kind: 'changeset', requests: [{ method: 'GET', path: 'x' }] }], ROOT)).toThrow(
      /no GET/,
    );
    expect(() => buildBatch([{ kind: 'request', request: { method: 'POST', path: 'x' } }], ROOT)).toThrow(
      /changeset/,
    );
  });

  const response = [
    '--batchresponse_1',
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    '',
    'HTTP/1.1 200 OK',
    'Content-Type: application/json; odata.metadata=minimal',
    '',
    '{"value":[{"fullname":"Ann Lee"}]}',
    '--batchresponse_1',
    'Content-Type: multipart/mixed; boundary=changesetresponse_2',
    '',
    '--changesetresponse_2',
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    'Content-ID: 1',
    '',
    'HTTP/1.1 204 No Content',
    'OData-EntityId: https://org.example/api/data/v9.2/contacts(11111111-2222-3333-4444-555555555555)',
    '',
    '',
    '--changesetresponse_2--',
    '--batchresponse_1',
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    '',
    'HTTP/1.1 400 Bad Request',
    'Content-Type: application/json',
    '',
    '{"error":{"code":"0x80040217","message":"rolled back"}}',
    '--batchresponse_1--',
    '',
  ].join('\r\n');

  test('a response gives one entry per item: a GET, a changeset (array), a rolled-back changeset (one error)', () => {
    const parsed = parseBatchResponse(response, 'multipart/mixed; boundary=batchresponse_1');
    expect(parsed).toHaveLength(3);
    expect(parsed[0]).toMatchObject({ status: 200, body: { value: [{ fullname: 'Ann Lee' }] } });
    const changeset = parsed[1] as BatchResponse[];
    expect(Array.isArray(changeset)).toBe(true);
    expect(changeset[0]).toMatchObject({ status: 204, contentId: '1' });
    expect(changeset[0]?.headers.get('odata-entityid')).toMatch(/contacts\(11111111/);
    expect(parsed[2]).toMatchObject({ status: 400, body: { error: { code: '0x80040217' } } });
  });

  test('LF line endings and a quoted boundary parse the same', () => {
    const parsed = parseBatchResponse(
      response.replace(/\r\n/g, '\n'),
      'multipart/mixed; boundary="batchresponse_1"',
    );
    expect(parsed).toHaveLength(3);
  });

  test('a part without an HTTP status line is a protocol error', () => {
    expect(() =>
      parseBatchResponse(
        '--b\r\nContent-Type: application/http\r\n\r\nnonsense\r\n--b--',
        'multipart/mixed; boundary=b',
      ),
    ).toThrow(/status line/);
  });
});
