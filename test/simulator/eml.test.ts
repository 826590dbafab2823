/** Loading .eml fixtures (postal-mime): decoded subjects, addresses, ids, dates, the raw header block. */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { loadEml, parseEml, rawHeaderBlock } from '../../simulator';
import { simulator, value } from './helpers';

const EML = join(__dirname, '..', 'fixtures', 'mail', 'eml');
const bytes = (name: string) => new Uint8Array(readFileSync(join(EML, name)));

describe('.eml fixtures', () => {
  test('RFC 2047 subject and From name are decoded; ids and dates read', async () => {
    const input = await parseEml(bytes('mikel-mail__example14.eml'));
    expect(input.subject).toBe('Re: TEST テストテスト');
    expect(input.from).toEqual({ emailAddress: 'atsushi@example.com', displayName: 'Atsushi Yoshida' });
    expect(input.to?.map((a) => a.emailAddress)).toEqual(['rudeboyjet@gmail.com']);
    expect(input.internetMessageId).toBe('<0CC5E11ED2C1D@example.com>');
    expect(input.inReplyTo).toBe('<rid_5582199198@msgid.example.com>');
    expect(input.date?.toISOString()).toBe('2011-08-19T01:47:17.000Z');
  });

  test('a Korean (ks_c_5601-1987) subject decodes', async () => {
    const input = await parseEml(bytes('webklex-php-imap__ks_c_5601-1987_headers.eml'));
    expect(input.subject).toBe('RE: 회원님께 Ersi님이 메시지를 보냈습니다.');
    expect(input.from.emailAddress).toBe('from@there.com');
  });

  test('an Outlook reply: Thread-Index, In-Reply-To, References, quoted To name', async () => {
    const input = await parseEml(bytes('webklex-php-imap__issue-412.eml'));
    expect(input.subject).toBe('RE: TEST MESSAGE');
    expect(input.threadIndex).toBe('AQHZjysmbQn8p2cYOEawNV6ywnFmN690oIyAgAAA5rw=');
    expect(input.inReplyTo).toBe('<944a7d16fcb607628f358cdd0f5ba8c0@tonymarston.co.uk>');
    expect(input.references).toHaveLength(2);
    expect(input.internetMessageId).toMatch(/^<.+@.+>$/);
    expect(input.to).toEqual([
      { emailAddress: 'gmx@tonymarston.co.uk', displayName: 'gmx@tonymarston.co.uk' },
    ]);
  });

  test('a loaded item shows the file header block in getAllInternetHeadersAsync, and joins its thread', async () => {
    const sim = simulator();
    const original = await loadEml(sim.mailbox, bytes('mikel-mail__example05.eml'));
    const reply = await loadEml(sim.mailbox, readFileSync(join(EML, 'mikel-mail__example06.eml'), 'utf8'));
    expect(reply.subject).toBe('Re: Saying Hello');
    expect(reply.from).toEqual({ emailAddress: 'mary@example.net', displayName: 'Mary Smith' });
    expect(reply.conversationId).toBe(original.conversationId);
    await sim.mailbox.select(reply.id);
    const item = sim.Office.context.mailbox.item as Office.MessageRead;
    const headers = await value<string>((cb) => item.getAllInternetHeadersAsync(cb));
    expect(headers).toBe(rawHeaderBlock(bytes('mikel-mail__example06.eml')));
    expect(headers).toContain('In-Reply-To: <1234@local.machine.example>\r\n');
    expect(headers.endsWith('\r\n')).toBe(true);
    expect(headers).not.toMatch(/\r\n\r\n/);
    expect(item.internetMessageId).toBe('<3456@example.net>');
  });

  test('every fixture loads', async () => {
    const sim = simulator();
    const names = readdirSync(EML).filter((n) => n.endsWith('.eml'));
    expect(names.length).toBeGreaterThan(10);
    for (const name of names)
      await expect(loadEml(sim.mailbox, bytes(name))).resolves.toMatchObject({ mode: 'read' });
  });
});
